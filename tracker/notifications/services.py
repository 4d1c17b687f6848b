"""In-app notifications and e-mails to the people a change concerns, and the deadline reminders
sent to ward officers."""
import logging
from dataclasses import dataclass
from datetime import date

from flask_babel import force_locale, gettext as _
from sqlalchemy import Select, func, literal, select, update
from sqlalchemy.orm import joinedload

from tracker.obligations import status as obligations
from tracker import changes, clock, mail
from tracker.audit.services import record
from tracker.extensions import db
from tracker.notifications.models import Notification, ReminderLog
from tracker.units.models import Unit
from tracker.users.models import Role, User


def notify(user: User, title: str, body: str = "", link: str = "") -> Notification:
    """Add a notification to the user's in-app list."""
    notification = Notification(user_id=user.id, title=title, body=body, link=link)
    db.session.add(notification)
    db.session.flush()
    changes.notices_changed(db.session, [user.id])  # the unread count on the user's pages
    return notification


log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Notice:
    """One thing to tell, already in the reader's language; `link` is a path of the tracker."""

    title: str
    body: str
    link: str


def officers_of(unit_id: int, author_id: int | None = None) -> list[User]:
    """Who hears about a decision on a unit's record: its author if they still serve the unit as
    an active ward officer, otherwise every active ward officer of the unit."""
    officers = list(db.session.scalars(
        select(User).where(User.unit_id == unit_id, User.role == Role.WARD_OFFICER,
                           User.active.is_(True)).order_by(User.id)))
    author = [u for u in officers if u.id == author_id]
    return author or officers


def locale_of(user: User, config) -> str:
    return user.locale or (config or {}).get("BABEL_DEFAULT_LOCALE", "vi")


def tell(user: User, notices: list[Notice], config, subject: str, closing: str = "") -> None:
    """One in-app notification per notice and, with `config` and an e-mail address, one e-mail
    listing them (links made absolute with PUBLIC_BASE_URL; "{base_url}" in `closing` too). Call
    it in the user's language (force_locale(locale_of(user, config))). A failed e-mail is logged,
    never undoes the change it reports: the in-app notice is there."""
    for notice in notices:
        notify(user, notice.title, notice.body, notice.link)
    if config is None or not user.email:
        return
    base_url = config.get("PUBLIC_BASE_URL", "")
    lines = [f"- {n.title}\n  {n.body}\n  {base_url}{n.link}" for n in notices]
    text = "\n".join([_("Dear %(name)s,", name=user.full_name), "", *lines, "",
                      closing.replace("{base_url}", base_url)])
    try:
        mail.send(config, mail.build_message(config, [user.email], subject, text))
    except (OSError, RuntimeError) as error:
        log.warning("notice to %s not delivered: %s", user.email, error)


def unread_count(user: User) -> int:
    return db.session.scalar(
        select(func.count(Notification.id)).where(Notification.user_id == user.id, Notification.read_at.is_(None))
    )


def notifications_of(user: User) -> Select:
    return select(Notification).where(Notification.user_id == user.id).order_by(Notification.id.desc())


def mark_read(user: User, notification_id: int | None = None) -> int:
    """Mark one of the user's notifications (or all of them) read; returns how many changed."""
    query = update(Notification).where(Notification.user_id == user.id, Notification.read_at.is_(None))
    if notification_id is not None:
        query = query.where(Notification.id == notification_id)
    result = db.session.execute(query.values(read_at=clock.now()))
    if result.rowcount:  # marking nothing read changes no page
        changes.notices_changed(db.session, [user.id])
    return result.rowcount


# --- reminders ---------------------------------------------------------------------------


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


def due_obligations(unit: Unit, today: date, days: int) -> list[obligations.Obligation]:
    """The unit's reports still owed that are due within `days` days or already late."""
    return [
        o for o in obligations.obligations_for_unit(unit, today)
        if o.milestone.requires_report
        and o.status not in ("submitted", "accepted")
        and (o.status == "late" or o.days_left <= days)
    ]


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
    return f"- {m.title} ({m.plan.number}): {m.start_date:%d/%m/%Y} – {m.due_date:%d/%m/%Y}, {when}"


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
