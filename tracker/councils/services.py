"""A unit's council: who serves on it on a day, memberships that begin and end, and its meetings
with their attendance, agenda and secret-ballot results (each change audited)."""
from dataclasses import dataclass
from datetime import date

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from tracker.audit.services import record
from tracker.candidates.models import Candidate
from tracker.candidates.services import name_key
from tracker.catalogue import services as catalogue
from tracker.catalogue.models import AwardType
from tracker.catalogue.regimes import regime_for
from tracker.councils.models import (
    CouncilMeeting,
    CouncilMember,
    CouncilRole,
    MeetingAttendance,
    MeetingItem,
    MeetingRecusal,
    RecusalReason,
)
from tracker.errors import InvalidData, WorkflowError
from tracker.extensions import db
from tracker.nominations.models import Nomination, NominationStatus
from tracker.rules.ballot import (
    Quorum,
    Threshold,
    Verdict,
    ballot_required,
    judge,
    parse_quorum,
    quorum_met,
    quorum_needed,
    threshold_of,
)
from tracker.units.models import Unit

ORDER = {CouncilRole.CHAIR: 0, CouncilRole.VICE_CHAIR: 1, CouncilRole.STANDING: 2, CouncilRole.MEMBER: 3}


def memberships(unit: Unit) -> list[CouncilMember]:
    """Every membership of the unit's council, the serving and the ended (one read)."""
    rows = db.session.scalars(select(CouncilMember).where(CouncilMember.unit_id == unit.id)).all()
    return sorted(rows, key=lambda m: (m.until is not None, ORDER[m.role], m.full_name, m.id))


def members_on(unit: Unit, day: date) -> list[CouncilMember]:
    """Who serves on the unit's council on `day`, chair first."""
    return sorted((m for m in memberships(unit) if m.serves_on(day)), key=lambda m: (ORDER[m.role], m.full_name, m.id))


def add_member(actor, unit: Unit, full_name: str, position: str, role: CouncilRole | None,
               since: date | None) -> CouncilMember:
    """A new membership from `since`. One chair at a time: a second chair serving on the same day
    is refused (end the first one's membership first). InvalidData names each field."""
    full_name, position = (full_name or "").strip(), (position or "").strip()
    errors: dict[str, list] = {}
    if not full_name:
        errors.setdefault("full_name", []).append(_l("Enter the member's full name."))
    elif len(full_name) > 200:
        errors.setdefault("full_name", []).append(_l("At most %(max)s characters.", max=200))
    if len(position) > 200:
        errors.setdefault("position", []).append(_l("At most %(max)s characters.", max=200))
    if not isinstance(role, CouncilRole):
        errors.setdefault("role", []).append(_l("Choose the member's role on the council."))
    if since is None:
        errors.setdefault("since", []).append(_l("Enter the day the membership begins."))
    if not errors and role is CouncilRole.CHAIR and any(
            m.role is CouncilRole.CHAIR and (m.until is None or m.until >= since) for m in memberships(unit)):
        errors.setdefault("role", []).append(
            _l("The council has a chair on that day: end that membership first."))
    if errors:
        raise InvalidData(errors)
    member = CouncilMember(unit_id=unit.id, full_name=full_name, position=position, role=role, since=since,
                           created_by_id=actor.id if actor else None)
    db.session.add(member)
    db.session.flush()
    record(actor, "council_member.added", member, f"{full_name} ({role.value})", unit_id=unit.id)
    return member


def end_membership(actor, member: CouncilMember, until: date | None) -> CouncilMember:
    """The membership's last day; an ended membership stays in the council's history."""
    if member.until is not None:
        raise WorkflowError(_l("This membership has already ended."))
    if until is None or until < member.since:
        raise InvalidData({"until": [_l("Enter a day on or after the membership began (%(day)s).",
                                        day=member.since.strftime("%d/%m/%Y"))]})
    member.until = until
    record(actor, "council_member.ended", member, f"{member.full_name}: {until:%d/%m/%Y}", unit_id=member.unit_id)
    return member


# --- meetings and the secret ballot ----------------------------------------------------------


def quorum_setting() -> Quorum:
    """The share of the council's members who must be present (COUNCIL_QUORUM, "2/3" by default)."""
    return parse_quorum(current_app.config["COUNCIL_QUORUM"])


def meetings(unit: Unit) -> list[CouncilMeeting]:
    """The unit council's meetings, the latest first."""
    return list(db.session.scalars(select(CouncilMeeting).where(CouncilMeeting.unit_id == unit.id)
                                   .order_by(CouncilMeeting.meeting_date.desc(), CouncilMeeting.id.desc())))


def schedule_meeting(actor, unit: Unit, meeting_date: date | None, place: str, number: str) -> CouncilMeeting:
    """A meeting of the unit's council on a day its council has members, held under the quorum
    setting of today (kept with the meeting)."""
    place, number = (place or "").strip(), (number or "").strip()
    errors: dict[str, list] = {}
    if meeting_date is None:
        errors.setdefault("meeting_date", []).append(_l("Enter the day of the meeting."))
    elif not members_on(unit, meeting_date):
        errors.setdefault("meeting_date", []).append(
            _l("Nobody serves on the council on that day: add its members first."))
    if len(place) > 300:
        errors.setdefault("place", []).append(_l("At most %(max)s characters.", max=300))
    if len(number) > 64:
        errors.setdefault("number", []).append(_l("At most %(max)s characters.", max=64))
    if errors:
        raise InvalidData(errors)
    quorum = quorum_setting()
    meeting = CouncilMeeting(unit_id=unit.id, meeting_date=meeting_date, place=place, number=number,
                             quorum_numerator=quorum.numerator, quorum_denominator=quorum.denominator,
                             attendance_recorded=False, created_by_id=actor.id if actor else None)
    db.session.add(meeting)
    db.session.flush()
    record(actor, "council_meeting.scheduled", meeting, f"{meeting_date:%d/%m/%Y} {place}", unit_id=unit.id)
    return meeting


@dataclass(frozen=True)
class Attendance:
    members: list[CouncilMember]  # serving on the meeting's day, chair first
    present: set[int]  # member ids
    quorum: Quorum
    needed: int
    recorded: bool

    @property
    def met(self) -> bool:
        return self.recorded and quorum_met(len(self.members), len(self.present), self.quorum)


def attendance(meeting: CouncilMeeting) -> Attendance:
    """Who served and who was present. Once the attendance is recorded its rows are the members
    the votes were counted on (a membership changed afterwards never changes a held meeting)."""
    if meeting.attendance_recorded and meeting.attendance:
        members = sorted((row.member for row in meeting.attendance),
                         key=lambda m: (ORDER[m.role], m.full_name, m.id))
    else:
        members = members_on(meeting.unit, meeting.meeting_date)
    present = {row.member_id for row in meeting.attendance if row.present}
    quorum = Quorum(meeting.quorum_numerator, meeting.quorum_denominator)
    return Attendance(members, present & {m.id for m in members}, quorum, quorum_needed(len(members), quorum),
                      meeting.attendance_recorded)


def _voted(meeting: CouncilMeeting) -> bool:
    return any(item.passed is not None for item in meeting.items)


def record_attendance(actor, meeting: CouncilMeeting, present_ids: set[int]) -> Attendance:
    """Who of the members serving on the day was present. Once a vote is recorded the attendance
    it was counted on no longer changes."""
    if _voted(meeting):
        raise WorkflowError(_l("Votes are recorded: the attendance they were counted on can no longer change."))
    members = members_on(meeting.unit, meeting.meeting_date)
    known = {m.id for m in members}
    if not set(present_ids) <= known:
        raise InvalidData({"present": [_l("Choose among the members serving on the meeting's day.")]})
    rows = {row.member_id: row for row in meeting.attendance}
    for member in members:
        row = rows.get(member.id)
        if row is None:
            db.session.add(MeetingAttendance(meeting=meeting, member_id=member.id, present=member.id in present_ids))
        else:
            row.present = member.id in present_ids
    meeting.attendance_recorded = True
    db.session.flush()
    result = attendance(meeting)
    record(actor, "council_meeting.attendance", meeting,
           f"{len(result.present)}/{len(result.members)} (≥ {result.needed})", unit_id=meeting.unit_id)
    return result


def agenda_choices(meeting: CouncilMeeting, limit: int = 300) -> list[Nomination]:
    """Accepted nominations of the council's unit and below that are not on this meeting's agenda
    yet, by the award the ward proposes, then name (at most `limit`)."""
    unit = meeting.unit
    on_agenda = select(MeetingItem.nomination_id).where(MeetingItem.meeting_id == meeting.id)
    return list(db.session.scalars(
        select(Nomination).join(Nomination.unit).join(Nomination.candidate)
        .where(Nomination.status == NominationStatus.ACCEPTED, Unit.path.startswith(unit.path),
               Nomination.id.not_in(on_agenda))
        .options(joinedload(Nomination.candidate), joinedload(Nomination.proposed_award_type),
                 joinedload(Nomination.unit))
        .order_by(Nomination.proposed_award_type_id.is_(None), Nomination.proposed_award_type_id,
                  Candidate.full_name, Nomination.id).limit(limit)))


def add_to_agenda(actor, meeting: CouncilMeeting, chosen: list[Nomination], award: AwardType | int | None
                  ) -> list[MeetingItem]:
    """Accepted nominations of the unit's subtree on the agenda, for one award of the regime in
    force on the meeting's day (the council may weigh another award than the one the ward asked)."""
    if not isinstance(award, AwardType):  # an id from the form: an award of the catalogue, or none
        award = db.session.get(AwardType, award) if award else None
    errors: dict[str, list] = {}
    if not chosen:
        errors.setdefault("nomination_ids", []).append(_l("Choose at least one accepted nomination."))
    if award is None or award.regime != regime_for(meeting.meeting_date) or not award.active:
        errors.setdefault("award_type_id", []).append(_l("Choose an award of the regime in force on the meeting's day."))
    for nomination in chosen:
        name = nomination.candidate.full_name
        if not nomination.unit.is_within(meeting.unit):
            errors.setdefault("nomination_ids", []).append(_l("%(name)s is outside your unit.", name=name))
        elif nomination.status is not NominationStatus.ACCEPTED:
            errors.setdefault("nomination_ids", []).append(
                _l("%(name)s: only accepted nominations go before the council.", name=name))
        elif award is not None and award.recipient.value not in ("both", nomination.candidate.kind.value):
            errors.setdefault("nomination_ids", []).append(
                _l("%(name)s cannot receive this award (individuals and collectives differ).", name=name))
    if errors:
        raise InvalidData(errors)
    present = {item.nomination_id for item in meeting.items}
    members = members_on(meeting.unit, meeting.meeting_date)
    items = []
    for nomination in chosen:
        if nomination.id in present:
            continue
        item = MeetingItem(meeting=meeting, nomination_id=nomination.id, award_type_id=award.id)
        # A member who is the nominee is recused from the start (relatives and members of a
        # nominated collective the committee marks on the vote).
        item.recusals = [MeetingRecusal(member_id=m.id, reason=RecusalReason.CANDIDATE) for m in members
                         if nomination.candidate.kind.value == "individual"
                         and name_key(m.full_name) == name_key(nomination.candidate.full_name)]
        items.append(item)
    db.session.add_all(items)
    db.session.flush()
    record(actor, "council_meeting.agenda", meeting,
           f"{award.name}: " + ", ".join(i.nomination.candidate.full_name + (" (recused: " + ", ".join(
               r.member.full_name for r in i.recusals) + ")" if i.recusals else "") for i in items),
           unit_id=meeting.unit_id)
    return items


def remove_from_agenda(actor, item: MeetingItem) -> None:
    if item.passed is not None:
        raise WorkflowError(_l("This item has been voted on: it stays in the minutes."))
    meeting, name = item.meeting, item.nomination.candidate.full_name
    db.session.delete(item)
    db.session.flush()
    record(actor, "council_meeting.agenda_removed", meeting, name, unit_id=meeting.unit_id)


def vote_threshold(award: AwardType, day: date) -> tuple[Threshold, bool]:
    """The award's approval threshold in force on `day` and whether its dossier needs the ballot."""
    rule = catalogue.rules_in_force(award, day).get("council_vote")
    params = catalogue.rule_params(rule) if rule is not None else {}
    return threshold_of(params, award.code, award.regime), ballot_required(params, award.code, award.regime)


def _reason(value: str) -> RecusalReason | None:
    return next((r for r in RecusalReason if r.value == value), None)


def record_vote(actor, item: MeetingItem, agree: int | None, disagree: int | None, spoiled: int | None,
                recusals: dict[int, RecusalReason | str]) -> Verdict:
    """The ballot count of an item and the members recused from it. The quorum must be met; the
    ballots are those of the present members who are not recused, never more; the item passes
    when the agreeing votes reach the award's threshold of the council's members less the recused
    (the version of the rule in force on the meeting's day, kept with the item)."""
    meeting = item.meeting
    if item.passed is not None:
        raise WorkflowError(_l("The ballot on this item is recorded: it stays as the minutes have it."))
    state = attendance(meeting)
    if not state.recorded:
        raise WorkflowError(_l("Record who is present first."))
    if not state.met:
        raise WorkflowError(_l("The quorum is not met (%(present)s of %(members)s present, at least %(needed)s "
                               "needed): the votes cannot be recorded.", present=len(state.present),
                               members=len(state.members), needed=state.needed))
    errors: dict[str, list] = {}
    counts = {"agree": agree, "disagree": disagree, "spoiled": spoiled}
    for name, value in counts.items():
        if value is None:
            errors.setdefault(name, []).append(_l("Enter the number of ballots (0 if none)."))
        elif value < 0:
            errors.setdefault(name, []).append(_l("Enter a number from %(min)s to %(max)s.", min=0,
                                                  max=len(state.present)))
    recusals = {member_id: reason if isinstance(reason, RecusalReason) else _reason(reason)
                for member_id, reason in recusals.items() if reason}
    serving = {m.id for m in state.members}
    if None in recusals.values() or not set(recusals) <= serving:
        errors.setdefault("recused", []).append(_l("Choose among the members serving on the meeting's day."))
    voters = len(state.present - set(recusals))
    if not errors and agree + disagree + spoiled > voters:
        errors.setdefault("agree", []).append(
            _l("%(total)s ballots, but only %(voters)s members present may vote on this item (recused members "
               "do not vote).", total=agree + disagree + spoiled, voters=voters))
    if errors:
        raise InvalidData(errors)
    threshold, _required = vote_threshold(item.award_type, meeting.meeting_date)
    verdict = judge(len(state.members), len(recusals), agree, threshold)
    item.agree, item.disagree, item.spoiled = agree, disagree, spoiled
    item.members, item.threshold_percent, item.threshold_inclusive = len(state.members), threshold.percent, threshold.inclusive
    item.passed = verdict.passed
    item.recusals = [MeetingRecusal(member_id=member_id, reason=reason) for member_id, reason in recusals.items()]
    db.session.flush()
    record(actor, "council_meeting.vote", meeting,
           f"{item.nomination.candidate.full_name}: {'đạt' if verdict.passed else 'không đạt'} – {verdict.arithmetic()}",
           unit_id=meeting.unit_id)
    return verdict


def verdict_of(item: MeetingItem) -> Verdict | None:
    """The recorded result of an item, by the threshold kept with it (None before the vote)."""
    if item.passed is None:
        return None
    return judge(item.members or 0, len(item.recusals), item.agree or 0,
                 Threshold(item.threshold_percent or 50, bool(item.threshold_inclusive)))


def latest_votes(unit: Unit, nomination_ids: list[int], award_type_id: int) -> dict[int, MeetingItem]:
    """Of the unit council's meetings, the latest recorded vote on each nomination for the award
    (one read)."""
    if not nomination_ids:
        return {}
    rows = db.session.scalars(
        select(MeetingItem).join(MeetingItem.meeting)
        .where(CouncilMeeting.unit_id == unit.id, MeetingItem.nomination_id.in_(nomination_ids),
               MeetingItem.award_type_id == award_type_id, MeetingItem.passed.is_not(None))
        .options(selectinload(MeetingItem.recusals), joinedload(MeetingItem.meeting))
        .order_by(CouncilMeeting.meeting_date, MeetingItem.id))
    return {item.nomination_id: item for item in rows}
