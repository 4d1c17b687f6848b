"""What users read for each role."""
from flask_babel import lazy_gettext as _l

from tracker.users.models import Role

ROLE_LABELS = {
    Role.WARD_OFFICER: _l("Ward officer"),
    Role.COMMITTEE: _l("Emulation committee"),
    Role.LEADER: _l("Leader"),
    Role.ADMIN: _l("Administrator"),
}
