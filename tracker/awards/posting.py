"""The public posting (công khai) of a proposal's list before it goes up: posted for a number of
working days (PUBLIC_POSTING_DAYS, 5 by default) on the working-day calendar, open meanwhile to
objections from anyone (name, contact, the nominee, the objection). The committee resolves each:
upheld withdraws the nominee from the proposal, dismissed keeps it with a reason. A proposal is
submitted only after its posting ended with no objection open (tracker.awards.services)."""
from dataclasses import dataclass
from datetime import date, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from tracker import changes as noted, clock
from tracker.audit.services import record
from tracker.awards.models import ObjectionStatus as O, Proposal, ProposalStatus, PublicObjection
from tracker.errors import DomainError, InvalidData, WorkflowError
from tracker.extensions import db
from tracker.notifications.services import committee_of, notify_each
from tracker.rules.workdays import WorkingCalendar
from tracker.workdays import services as workdays


def posting_days() -> int:
    return int(current_app.config["PUBLIC_POSTING_DAYS"])


@dataclass(frozen=True)
class Posting:
    since: date | None
    ends: date | None  # the last day of the posting
    days: int
    open_objections: int
    today: date

    @property
    def posted(self) -> bool:
        return self.since is not None

    @property
    def running(self) -> bool:
        return self.posted and self.since <= self.today <= self.ends

    @property
    def over(self) -> bool:
        return self.posted and self.today > self.ends


def posting_of(proposal: Proposal, calendar: WorkingCalendar | None = None, count: bool = True) -> Posting:
    """Where the proposal's posting stands today (one read of the calendar unless given, and the
    count of open objections unless `count` is False)."""
    days, today = posting_days(), clock.today()
    if proposal.posted_since is None:
        return Posting(None, None, days, 0, today)
    calendar = calendar or workdays.calendar()
    open_count = db.session.scalar(select(func.count(PublicObjection.id)).where(
        PublicObjection.proposal_id == proposal.id, PublicObjection.status == O.OPEN)) if count else 0
    return Posting(proposal.posted_since, calendar.span_end(proposal.posted_since, days), days, open_count, today)


def post_publicly(actor, proposal: Proposal) -> Posting:
    """The list goes up today on the public page (/cong-khai/), for the posting's working days. A
    posting is never backdated: what counts is the days the public could read it."""
    if proposal.status is not ProposalStatus.DRAFT:
        raise WorkflowError(_l("Only a draft proposal is posted: its list is made public before it goes up."))
    if proposal.posted_since is not None:
        raise WorkflowError(_l("The list is already posted."))
    if not proposal.items:
        raise DomainError(_l("A proposal needs at least one nomination before it is posted."))
    proposal.posted_since = clock.today()
    db.session.flush()
    noted.plan_work_changed(db.session, proposal.plan_id, proposal.proposing_unit_id)
    state = posting_of(proposal)
    record(actor, "proposal.posted", proposal, f"{state.since:%d/%m/%Y} – {state.ends:%d/%m/%Y}",
           unit_id=proposal.proposing_unit_id)
    return state


def list_changed(actor, proposal: Proposal) -> bool:
    """A nominee added to a posted list: the posting starts again (returns whether it was posted)."""
    if proposal.posted_since is None:
        return False
    proposal.posted_since = None
    record(actor, "proposal.posting_restarted", proposal, proposal.number, unit_id=proposal.proposing_unit_id)
    return True


def check_submittable(proposal: Proposal) -> None:
    """DomainError unless the list was posted, its posting ended and no objection is open."""
    state = posting_of(proposal)
    if not state.posted:
        raise DomainError(_l("Post the list publicly first: it is submitted after %(days)s working days of posting.",
                             days=state.days))
    if not state.over:
        raise DomainError(_l("The list is posted until %(day)s: it can be submitted from the next day.",
                             day=state.ends.strftime("%d/%m/%Y")))
    if state.open_objections:
        raise DomainError(_l("%(count)s objections are still open: resolve each before submitting.",
                             count=state.open_objections))


def posted_proposals() -> list[tuple[Proposal, Posting]]:
    """The drafts whose lists are posted and still open to objections, the earliest end first. A
    posting lasts a few working days: only those begun in the last weeks are read."""
    calendar, days, today = workdays.calendar(), posting_days(), clock.today()
    rows = db.session.scalars(select(Proposal).where(
        Proposal.status == ProposalStatus.DRAFT, Proposal.posted_since.is_not(None),
        Proposal.posted_since >= today - timedelta(days=3 * days + 30)).order_by(Proposal.posted_since, Proposal.id))
    states = [(p, posting_of(p, calendar, count=False)) for p in rows]
    return sorted(((p, s) for p, s in states if s.running), key=lambda pair: (pair[1].ends, pair[0].id))


OBJECTION_LIMITS = {"name": 200, "contact": 200, "text": 2000}


def object_to(proposal: Proposal, nomination_id: int | None, name: str, contact: str, text: str) -> PublicObjection:
    """An objection from the public while the list is posted; the committee is told."""
    state = posting_of(proposal)
    if proposal.status is not ProposalStatus.DRAFT or not state.running:
        raise WorkflowError(_l("This list is not open to objections."))
    values = {"name": (name or "").strip(), "contact": (contact or "").strip(), "text": (text or "").strip()}
    errors: dict[str, list] = {}
    missing = {"name": _l("Enter your full name."), "contact": _l("Enter a telephone number or an address."),
               "text": _l("Write the objection.")}
    for field, value in values.items():
        if not value:
            errors.setdefault(field, []).append(missing[field])
        elif len(value) > OBJECTION_LIMITS[field]:
            errors.setdefault(field, []).append(_l("At most %(max)s characters.", max=OBJECTION_LIMITS[field]))
    if nomination_id not in {item.nomination_id for item in proposal.items}:
        errors.setdefault("nomination_id", []).append(_l("Choose the person or collective concerned."))
    if errors:
        raise InvalidData(errors)
    objection = PublicObjection(proposal_id=proposal.id, nomination_id=nomination_id, status=O.OPEN, **values)
    db.session.add(objection)
    db.session.flush()
    record(None, "objection.received", proposal, f"{objection.nomination.candidate.full_name}: {values['text'][:200]}",
           unit_id=proposal.proposing_unit_id)
    number = proposal.number
    notify_each(committee_of(proposal.proposing_unit_id),
                lambda: _l("An objection to the posted list of proposal %(number)s", number=number),
                values["text"][:300], f"/awards/proposals/{proposal.id}#objections")
    return objection


def objections_of(proposal: Proposal) -> list[PublicObjection]:
    return list(db.session.scalars(select(PublicObjection).where(PublicObjection.proposal_id == proposal.id)
                                   .order_by(PublicObjection.id)))


def resolve_objection(actor, objection: PublicObjection, upheld: bool, resolution: str) -> PublicObjection:
    """Upheld: the nominee is withdrawn from the proposal (a draft). Dismissed: kept, with the
    committee's reason (required)."""
    from tracker.awards import services  # removing the item is the proposal's own change

    if objection.status is not O.OPEN:
        raise WorkflowError(_l("This objection has already been resolved."))
    resolution = (resolution or "").strip()
    if not upheld and not resolution:
        raise InvalidData({"resolution": [_l("Give the reason for dismissing the objection.")]})
    if len(resolution) > 2000:
        raise InvalidData({"resolution": [_l("At most %(max)s characters.", max=2000)]})
    proposal = objection.proposal
    if upheld:
        item = next((i for i in proposal.items if i.nomination_id == objection.nomination_id), None)
        if item is not None:
            services.remove_item(actor, proposal, item)
    objection.status = O.UPHELD if upheld else O.DISMISSED
    objection.resolution, objection.resolved_by_id = resolution, actor.id if actor else None
    objection.resolved_at = clock.now()
    db.session.flush()
    record(actor, f"objection.{objection.status.value}", proposal,
           f"{objection.nomination.candidate.full_name}: {resolution[:200]}", unit_id=proposal.proposing_unit_id)
    return objection
