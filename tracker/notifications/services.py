"""In-app notifications and e-mails to the people a change concerns (the deadline reminders that
use them are tracker.obligations.reminders)."""
import logging
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import Select, func, select, update

from tracker import changes, clock, mail
from tracker.extensions import db
from tracker.notifications.models import Notification
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


def leaders_of(unit_id: int) -> list[User]:
    """The active leaders of a unit (who approve its proposals)."""
    return list(db.session.scalars(
        select(User).where(User.unit_id == unit_id, User.role == Role.LEADER, User.active.is_(True))
        .order_by(User.id)))


def committee_of(unit_id: int) -> list[User]:
    """The active emulation committee staff of a unit (who build its proposals)."""
    return list(db.session.scalars(
        select(User).where(User.unit_id == unit_id, User.role == Role.COMMITTEE, User.active.is_(True))
        .order_by(User.id)))


def notify_each(users: list[User], title, body="", link: str = "") -> None:
    """One notification per user, each in the user's own language (`title` and `body` are lazy
    texts, or callables of no argument, rendered under each user's locale)."""
    from flask_babel import force_locale

    for user in users:
        with force_locale(locale_of(user, None)):
            notify(user, str(title() if callable(title) else title), str(body() if callable(body) else body), link)


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
