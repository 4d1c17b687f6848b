"""A unit's council: who serves on it on a day, and memberships that begin and end (audited)."""
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from tracker.audit.services import record
from tracker.councils.models import CouncilMember, CouncilRole
from tracker.errors import InvalidData, WorkflowError
from tracker.extensions import db
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
