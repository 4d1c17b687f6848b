"""A proposal's documents (tờ trình, its list, the decision) and a revocation's decision, written
by a background job and kept in storage until downloaded from the job's page."""
import secrets

from flask_babel import gettext as _

from tracker import storage
from tracker.awards import documents, services
from tracker.awards.models import Proposal, Revocation
from tracker.extensions import db
from tracker.jobs.services import JobFailed, Result, start_job
from tracker.permissions import can_view_proposal, can_view_revocation

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Each document: its title on the job's page, its file name (from the number), its type.
KINDS = {
    "proposal_docx": (lambda: _("Proposal (.docx)"), "to-trinh-{number}.docx", DOCX),
    "proposal_xlsx": (lambda: _("List (.xlsx)"), "danh-sach-{number}.xlsx", XLSX),
    "decision_docx": (lambda: _("Decision (.docx)"), "quyet-dinh-{number}.docx", DOCX),
    "revocation_docx": (lambda: _("Revocation decision (.docx)"), "quyet-dinh-thu-hoi-{number}.docx", DOCX),
}


def slug(number: str) -> str:
    return number.replace("/", "-").replace("Đ", "D").replace("đ", "d")


def start_document(actor, proposal: Proposal, document: str):
    """Queue one of a proposal's documents (KINDS), made as `actor` may see it."""
    title, _name, _type = KINDS[document]
    return start_job(actor, "award_document", f"{title()} – {proposal.number}",
                     {"proposal_id": proposal.id, "document": document})


def start_revocation_document(actor, revocation: Revocation):
    title, _name, _type = KINDS["revocation_docx"]
    return start_job(actor, "award_document", f"{title()} – {revocation.decision_number}",
                     {"revocation_id": revocation.id, "document": "revocation_docx"})


def document_job(job, progress) -> Result:
    owner, params = job.owner, dict(job.params)
    if params.get("document") == "revocation_docx":
        return _revocation_job(job, progress, owner, params)
    proposal = db.session.get(Proposal, params["proposal_id"])
    if proposal is None or not owner.active or not can_view_proposal(owner, proposal):
        raise JobFailed(_("This proposal is no longer yours to see."))
    document = params["document"]
    _title, name, content_type = KINDS[document]
    progress(0, 1, phase="writing")
    decision = services.decision_of(proposal)
    money = services.proposal_money(proposal, decision)  # each line's reward money and the total
    if document == "proposal_docx":
        data, number = (documents.proposal_docx(proposal, money, proposal.plan, services.council_meetings(proposal)),
                        proposal.number)
    elif document == "proposal_xlsx":
        data, number = documents.proposal_xlsx(proposal, money), proposal.number
    else:
        if decision is None:
            raise JobFailed(_("This proposal has no decision yet."))
        data, number = (documents.decision_docx(proposal, decision, money, services.council_meetings(proposal)),
                        decision.number)
    progress(1, 1, phase="storing")
    key = f"exports/{job.id}-{secrets.token_hex(12)}.{name.rsplit('.', 1)[1]}"
    storage.current().put_bytes(key, data, content_type)
    return Result(key=key, name=name.format(number=slug(number)), content_type=content_type, size=len(data))


def _revocation_job(job, progress, owner, params) -> Result:
    revocation = db.session.get(Revocation, params["revocation_id"])
    if revocation is None or not owner.active or not can_view_revocation(owner, revocation):
        raise JobFailed(_("This revocation is no longer yours to see."))
    _title, name, content_type = KINDS["revocation_docx"]
    progress(0, 1, phase="writing")
    data = documents.revocation_docx(revocation)
    progress(1, 1, phase="storing")
    key = f"exports/{job.id}-{secrets.token_hex(12)}.docx"
    storage.current().put_bytes(key, data, content_type)
    return Result(key=key, name=name.format(number=slug(revocation.decision_number)), content_type=content_type,
                  size=len(data))
