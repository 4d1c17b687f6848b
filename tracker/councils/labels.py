"""The council roles' and recusals' labels."""
from flask_babel import lazy_gettext as _l

from tracker.councils.models import CouncilRole, RecusalReason

COUNCIL_ROLE_LABELS = {
    CouncilRole.CHAIR: _l("Chair"),
    CouncilRole.VICE_CHAIR: _l("Vice-chair"),
    CouncilRole.STANDING: _l("Standing member (secretary)"),
    CouncilRole.MEMBER: _l("Member"),
}

RECUSAL_REASONS = {  # why a member is recused, as the meeting page lists them
    RecusalReason.CANDIDATE: _l("is the nominee"),
    RecusalReason.RELATIVE: _l("a relative of the nominee"),
    RecusalReason.COLLECTIVE: _l("a member of the nominated collective"),
}
RECUSAL_LABELS = {  # the choices of the vote form
    RecusalReason.CANDIDATE: _l("Recused: is the nominee"),
    RecusalReason.RELATIVE: _l("Recused: a relative of the nominee"),
    RecusalReason.COLLECTIVE: _l("Recused: a member of the nominated collective"),
}
# As the minutes write them (in Vietnamese, whatever the reader's language).
RECUSAL_TEXT = {
    RecusalReason.CANDIDATE: "là người được đề nghị",
    RecusalReason.RELATIVE: "là người thân của người được đề nghị",
    RecusalReason.COLLECTIVE: "là thành viên của tập thể được đề nghị",
}
