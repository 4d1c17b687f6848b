"""What a transaction changed that other parts keep figures of, said by the services themselves.

A service that adds or changes something counted says so, by name, before it returns:

    changes.nominations_changed(db.session, [nomination])

That only notes it on the session; nothing is written. `tracker.commit.commit()` reads the notes
just before the commit and brings the dashboard's running figures up to date in the same
transaction (tracker.stats.counters.apply). This module imports no area, so every area's
services can say what they changed without depending on the figures.
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

    def __bool__(self) -> bool:
        return bool(self.nominations or self.reports or self.candidates or self.units or self.moved)


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


def take(session) -> Changes:
    """What was noted since the last commit or rollback, and forget it."""
    return session.info.pop(_KEY, None) or Changes()


def forget(session) -> None:
    session.info.pop(_KEY, None)
