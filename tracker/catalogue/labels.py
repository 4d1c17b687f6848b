"""What users read for whom an award is for."""
from flask_babel import lazy_gettext as _l

from tracker.catalogue.models import Recipient

RECIPIENT_LABELS = {
    Recipient.INDIVIDUAL: _l("Individual"),
    Recipient.COLLECTIVE: _l("Collective"),
    Recipient.BOTH: _l("Individual and collective"),
}
