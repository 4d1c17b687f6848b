"""Labels of the token scopes, in the user's language."""
from flask_babel import lazy_gettext as _l

from tracker.tokens.models import TokenScope

TOKEN_SCOPE_LABELS = {
    TokenScope.READ: _l("Read only"),
    TokenScope.WRITE: _l("Read and write"),
}
