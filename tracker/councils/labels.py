"""The council roles' labels."""
from flask_babel import lazy_gettext as _l

from tracker.councils.models import CouncilRole

COUNCIL_ROLE_LABELS = {
    CouncilRole.CHAIR: _l("Chair"),
    CouncilRole.VICE_CHAIR: _l("Vice-chair"),
    CouncilRole.STANDING: _l("Standing member (secretary)"),
    CouncilRole.MEMBER: _l("Member"),
}
