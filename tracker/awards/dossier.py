"""A proposal's dossier against the parts its award needs (tracker.rules.dossier): what the
tracker writes itself is there; the council's minutes are there when the council's secret ballot
passed on every nominee; each nominee's report of achievements is a file of the nomination; the
proposal's own files (the certificate of an initiative, copies of earlier decisions) are uploaded
on it while it is a draft. A proposal is submitted only with every part present."""
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from tracker import clock
from tracker.attachments import services as files
from tracker.attachments.models import Attachment
from tracker.attachments.services import Upload
from tracker.awards.models import Proposal, ProposalStatus
from tracker.councils import services as councils
from tracker.errors import DomainError, InvalidData, WorkflowError
from tracker.extensions import db
from tracker.rules.dossier import PROPOSAL_FILE_CATEGORIES, Part, parts_of


@dataclass
class PartState:
    part: Part
    present: bool
    missing: list[str] = field(default_factory=list)  # the nominees it lacks, by name
    files: list[Attachment] = field(default_factory=list)  # the proposal's files of this part


def dossier_of(proposal: Proposal) -> list[PartState]:
    """Each part the award's dossier needs, present or missing (a fixed number of reads)."""
    award = proposal.award_type
    _threshold, ballot = councils.vote_threshold(award, proposal.proposal_date or clock.today())
    nominations = [item.nomination for item in proposal.items]
    ids = [n.id for n in nominations]
    own = files.attachments_of(proposal_id=proposal.id) if proposal.id else []
    states = []
    for part in parts_of(award.code, ballot):
        if part.source == "generated":
            states.append(PartState(part, bool(nominations)))
        elif part.source == "ballot":
            votes = councils.latest_votes(proposal.proposing_unit, ids, award.id)
            missing = [n.candidate.full_name for n in nominations if not (votes.get(n.id) and votes[n.id].passed)]
            states.append(PartState(part, bool(nominations) and not missing, missing))
        elif part.source == "nominee_file":
            having = set(db.session.scalars(select(Attachment.nomination_id).where(
                Attachment.nomination_id.in_(ids), Attachment.category == part.category))) if ids else set()
            missing = [n.candidate.full_name for n in nominations if n.id not in having]
            states.append(PartState(part, bool(nominations) and not missing, missing))
        else:
            kept = [a for a in own if a.category == part.category]
            states.append(PartState(part, bool(kept), files=kept))
    return states


def check_complete(proposal: Proposal) -> None:
    """DomainError naming every part missing (and whom it lacks)."""
    missing = [state for state in dossier_of(proposal) if not state.present]
    if missing:
        raise DomainError(_l("The dossier is not complete: %(parts)s.", parts="; ".join(
            state.part.label + (f" ({', '.join(state.missing)})" if state.missing else "") for state in missing)))


def add_files(actor, proposal: Proposal, uploads: list[Upload], category: str) -> list[Attachment]:
    """Files of the proposal's own dossier parts, checked by content, size and shape first."""
    if proposal.status is not ProposalStatus.DRAFT:
        raise WorkflowError(_l("The dossier of a submitted proposal no longer changes."))
    if category not in PROPOSAL_FILE_CATEGORIES:
        raise InvalidData({"category": [_l("Choose what the file is.")]})
    if not uploads:
        raise InvalidData({files.FIELD: [_l("Choose a file.")]})
    max_file, max_total = files.limits()
    checked = files.check_uploads(uploads, max_file, max_total, files.used_bytes(proposal_id=proposal.id))
    return [files.add_attachment(actor, item, category, unit_id=proposal.proposing_unit_id, proposal=proposal)
            for item in checked]


def remove_file(actor, proposal: Proposal, attachment: Attachment) -> None:
    if proposal.status is not ProposalStatus.DRAFT:
        raise WorkflowError(_l("The dossier of a submitted proposal no longer changes."))
    if attachment.proposal_id != proposal.id:
        raise DomainError(_l("This file does not belong to this proposal."))
    files.remove_attachment(actor, attachment, unit_id=proposal.proposing_unit_id)
