"""The morning reminders: each ward officer whose unit owes a report due soon or late gets one
e-mail (the committee of the levels above in copy) and one in-app notice, at most once a day
(`flask send-reminders`)."""
from dataclasses import dataclass
from datetime import date

from flask_babel import force_locale, gettext as _
from sqlalchemy import literal, select
from sqlalchemy.orm import joinedload

from tracker import mail
from tracker.audit.services import record
from tracker.extensions import db
from tracker.reports.models import ReportStatus
from tracker.notifications.models import ReminderLog
from tracker.notifications.services import notify
from tracker.obligations import status as obligations
from tracker.units.models import Unit
from tracker.users.models import Role, User


@dataclass
class Reminder:
    officer: User
    obligations: list[obligations.Obligation]
    cc: list[str]
    delivered_to: str


def officers_to_remind() -> list[User]:
    """Active ward officers, with their units loaded (one query)."""
    return list(db.session.scalars(
        select(User).where(User.role == Role.WARD_OFFICER, User.active.is_(True))
        .options(joinedload(User.unit)).order_by(User.id)
    ))


def returned(obligation: obligations.Obligation) -> bool:
    """The committee sent the unit's report back for changes and it is not handed in again."""
    report = obligation.report
    return report is not None and report.status is ReportStatus.RETURNED


def due_obligations(unit: Unit, today: date, days: int) -> list[obligations.Obligation]:
    """The unit's reports still owed: those returned for changes first (whatever their date),
    then those due within `days` days or already late, in their order."""
    owed = [o for o in obligations.obligations_for_unit(unit, today)
            if o.milestone.requires_report and o.status not in ("submitted", "accepted")]
    sent_back = [o for o in owed if returned(o)]
    due = [o for o in owed if not returned(o) and (o.status == "late" or o.days_left <= days)]
    return sent_back + due


def committee_addresses(unit: Unit) -> list[str]:
    """E-mails of active committee members of the unit's own level and the levels above."""
    return list(db.session.scalars(
        select(User.email).join(User.unit)
        .where(User.role == Role.COMMITTEE, User.active.is_(True), User.email.is_not(None),
               literal(unit.path).startswith(Unit.path))
        .order_by(User.email)
    ))


def already_reminded(user: User, today: date) -> bool:
    return db.session.scalar(
        select(ReminderLog.id).where(ReminderLog.user_id == user.id, ReminderLog.sent_on == today)
    ) is not None


def _line(obligation: obligations.Obligation) -> str:
    m = obligation.milestone
    if obligation.status == "late":
        when = _("%(n)s days late", n=-obligation.days_left)
    elif obligation.days_left == 0:
        when = _("due today")
    else:
        when = _("%(n)s days left", n=obligation.days_left)
    line = f"- {m.title} ({m.plan.number}): {m.start_date:%d/%m/%Y} – {m.due_date:%d/%m/%Y}, {when}"
    if returned(obligation):
        comment = (obligation.report.review_comment or "").strip()
        line += "\n  " + (_("Returned for changes: %(comment)s", comment=comment) if comment
                          else _("Returned for changes"))
    return line


def remind_officer(officer: User, today: date, days: int, config) -> Reminder | None:
    """Send one reminder (e-mail and in-app) listing the officer's due and late reports.

    Returns None, sending nothing, when the officer was already reminded today or owes nothing.
    """
    if already_reminded(officer, today):
        return None
    obligations = due_obligations(officer.unit, today, days)
    if not obligations:
        return None
    cc = [address for address in committee_addresses(officer.unit) if address != officer.email]
    with force_locale(officer.locale or config["BABEL_DEFAULT_LOCALE"]):
        late = sum(1 for o in obligations if o.status == "late")
        subject = _("Reminder: %(n)s progress reports due for %(unit)s", n=len(obligations), unit=officer.unit.name)
        body = "\n".join([
            _("Dear %(name)s,", name=officer.full_name),
            "",
            _("These progress reports of %(unit)s are due soon or late (%(late)s late):",
              unit=officer.unit.name, late=late),
            *[_line(o) for o in obligations],
            "",
            _("Please file them in the tracker: %(url)s", url=config["PUBLIC_BASE_URL"]),
        ])
    delivered = ""
    if officer.email:
        delivered = mail.send(config, mail.build_message(config, [officer.email], subject, body, cc))
    notify(officer, subject, body, link="/")
    db.session.add(ReminderLog(user_id=officer.id, sent_on=today, summary=subject))
    record(None, "reminder.sent", officer, subject, unit_id=officer.unit_id, username="system")
    db.session.flush()
    return Reminder(officer, obligations, cc, delivered)
