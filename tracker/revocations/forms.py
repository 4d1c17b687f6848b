"""The forms of a revocation: the committee's proposal, the leader's decision or dismissal."""
from flask_babel import lazy_gettext as _l
from wtforms import StringField, TextAreaField
from wtforms.validators import Length, Optional, Regexp

from tracker.forms_base import DayField, TrackerForm
from tracker.plans.forms import DOCUMENT_NUMBER


class RevocationForm(TrackerForm):
    reason = TextAreaField(_l("Reason for the revocation"), validators=[Optional(), Length(max=2000)])
    legal_basis = TextAreaField(_l("Legal basis (down to the article)"), validators=[Optional(), Length(max=1000)])


class RevocationDecisionForm(TrackerForm):
    decision_number = StringField(_l("Decision number and symbol"), validators=[
        Optional(), Length(max=64), Regexp(DOCUMENT_NUMBER, message=_l("Write the number and symbol like %(example)s.",
                                                                     example="12/QĐ-UBND"))])
    decision_date = DayField(_l("Decision date"), validators=[Optional()])
    signer = StringField(_l("Signed by"), validators=[Optional(), Length(max=200)])


class DismissRevocationForm(TrackerForm):
    dismissal = TextAreaField(_l("Why the award is kept"), validators=[Optional(), Length(max=2000)])
