"""What a transaction changed that other parts keep figures or rendered pages of, said by the
services themselves.

A service that adds or changes something says so, by name, before it returns:

    changes.nominations_changed(db.session, [nomination])

That only notes it on the session; nothing is written. `tracker.commit.commit()` reads the notes:
just before the commit it brings the dashboard's running figures up to date in the same
transaction (tracker.stats.counters.apply); just after, it moves on the versions of the page
scopes the change touched (tracker.pagecache.versions), so that only the pages showing it are
rendered again. This module imports no area, so every area's services can say what they changed
without depending on the figures or the pages.
"""
from dataclasses import dataclass, field

_KEY = "tracker.changes"


@dataclass
class Changes:
    nominations: list = field(default_factory=list)  # added, or changed in a counted field
    reports: list = field(default_factory=list)  # added, or changed in status or hand-in time
    candidates: set = field(default_factory=set)  # ids of candidates whose kind changed
    units: bool = False  # units added or re-kinded
    rekinded: set = field(default_factory=set)  # ids of units whose kind changed
    moved: bool = False  # a unit moved under another parent
    # Shown on pages only (no figure counts them):
    touched: set = field(default_factory=set)  # ids of candidates changed in any way
    plan_units: set = field(default_factory=set)  # (plan id, unit id): a plan's work at a unit
    shared: bool = False  # what every page may show: plans, movements, milestones, the catalogue, users
    honours: set = field(default_factory=set)  # ids of plans whose honour roll changed
    notices: set = field(default_factory=set)  # ids of users whose notifications changed

    def __bool__(self) -> bool:
        return bool(self.nominations or self.reports or self.candidates or self.units or self.moved
                    or self.touched or self.plan_units or self.shared or self.honours or self.notices)


def _noted(session) -> Changes:
    return session.info.setdefault(_KEY, Changes())


def nominations_changed(session, nominations) -> None:
    """Nominations added or changed in status, movement, candidate or hand-in time."""
    _noted(session).nominations.extend(nominations)


def reports_changed(session, reports) -> None:
    """Progress reports added or changed in status or hand-in time."""
    _noted(session).reports.extend(reports)


def candidates_rekinded(session, candidate_ids) -> None:
    """Candidates whose kind (individual / collective) changed: their nominations count elsewhere."""
    _noted(session).candidates.update(candidate_ids)


def units_changed(session, *, rekinded=(), moved: bool = False) -> None:
    """Units were added, re-kinded (`rekinded`: their ids) or moved under another parent."""
    noted = _noted(session)
    noted.units = True
    noted.rekinded.update(rekinded)
    noted.moved = noted.moved or moved


def candidates_changed(session, candidate_ids) -> None:
    """Candidates changed in any way shown (name, details, yearly history, awards received)."""
    _noted(session).touched.update(candidate_ids)


def plan_work_changed(session, plan_id: int, unit_id: int) -> None:
    """A plan's work at a unit changed outside nominations and reports (a proposal, a decision)."""
    _noted(session).plan_units.add((plan_id, unit_id))


def shared_changed(session) -> None:
    """Something every page may show changed: a plan, its movements or milestones, the award
    catalogue, a user's name or role. Every kept page is rendered again."""
    _noted(session).shared = True


def honours_changed(session, plan_ids) -> None:
    """The honour roll of these plans changed (award records written)."""
    _noted(session).honours.update(plan_ids)


def notices_changed(session, user_ids) -> None:
    """These users' notifications changed (their unread count is on every page they see)."""
    _noted(session).notices.update(user_ids)


def take(session) -> Changes:
    """What was noted since the last commit or rollback, and forget it."""
    return session.info.pop(_KEY, None) or Changes()


def forget(session) -> None:
    session.info.pop(_KEY, None)
