"""The plain data the rules read: a candidate's history, one row per year."""
from dataclasses import dataclass, field
from enum import Enum


class Result(Enum):
    PASS = "pass"
    FAIL = "fail"
    UNKNOWN = "unknown"


RATING_ORDER = {"failed": 0, "completed": 1, "good": 2, "excellent": 3}
INITIATIVE_ORDER = {"grassroots": 1, "provincial": 2, "national": 3}


@dataclass(frozen=True)
class YearFacts:
    """What is known of one candidate in one year. None means "not recorded" (unknown)."""

    year: int
    rating: str | None = None  # excellent / good / completed / failed
    awards: frozenset[str] = frozenset()  # award codes received for that year (LDTT, CSTDCS, ...)
    initiative_level: str | None = None  # grassroots / provincial / national
    initiative_count: int | None = None
    research_accepted: bool | None = None
    discipline: str | None = None  # reprimand / warning / higher; "" = recorded as none
    members_total: int | None = None
    members_completed: int | None = None
    members_ldtt: int | None = None
    members_cstdcs: int | None = None
    members_disciplined: int | None = None


@dataclass
class History:
    """A candidate's history: individual or collective, and its years."""

    kind: str  # individual / collective
    years: dict[int, YearFacts] = field(default_factory=dict)

    def get(self, year: int) -> YearFacts | None:
        return self.years.get(year)

    def has_award(self, code: str, year: int) -> bool | None:
        """True/False when the year is recorded, None when nothing is known of that year."""
        facts = self.years.get(year)
        if facts is None:
            return None
        return code in facts.awards


@dataclass(frozen=True)
class Check:
    """One requirement's verdict, with its Vietnamese explanation and legal basis."""

    requirement: str
    result: Result
    message: str
    legal_basis: str
    confidence: str  # V, S, U
    blocking: bool  # an unverified rule (U) only warns

    @property
    def is_warning(self) -> bool:
        """Shown as a warning: missing data, or a failed rule that is not verified."""
        return self.result is not Result.PASS and not (self.blocking and self.result is Result.FAIL)
