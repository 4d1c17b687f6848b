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
    awards: frozenset[str] = frozenset()  # award codes received for that year (LDTT, CSTDCS, ...), all of them
    # Of those, the forms conferred in a campaign (theo đợt / chuyên đề), as (code, plan id): a
    # campaign's award rewards the campaign's achievement, not the year's work.
    campaign_awards: frozenset[tuple[str, int]] = frozenset()
    initiative_level: str | None = None  # grassroots / provincial / national
    initiative_count: int | None = None
    research_accepted: bool | None = None
    discipline: str | None = None  # reprimand / warning / higher; "" = recorded as none
    members_total: int | None = None
    members_completed: int | None = None
    members_ldtt: int | None = None
    members_cstdcs: int | None = None
    members_disciplined: int | None = None
    months_in_service: int | None = None  # an individual's months in service in the year
    leave_working_days: int | None = None  # working days of leave in the year, maternity leave not counted


@dataclass
class History:
    """A candidate's history: individual or collective, and its years."""

    kind: str  # individual / collective
    years: dict[int, YearFacts] = field(default_factory=dict)
    # The achievements already rewarded, as (achievement key, award code, nomination id): Law art. 5
    # rewards one achievement once, by one form.
    rewarded: frozenset[tuple[str, str, int]] = frozenset()

    def get(self, year: int) -> YearFacts | None:
        return self.years.get(year)

    def has_award(self, code: str, year: int) -> bool | None:
        """True/False when the year is recorded, None when nothing is known of that year."""
        facts = self.years.get(year)
        if facts is None:
            return None
        return code in facts.awards

    def has_annual_award(self, code: str, year: int) -> bool:
        """The award was conferred for the year's work (not in a campaign)."""
        facts = self.years.get(year)
        return facts is not None and code in facts.awards and code not in {c for c, _p in facts.campaign_awards}

    def campaign_award_years(self, code: str, plan_id: int) -> list[int]:
        """The years in which the campaign of `plan_id` conferred award `code`."""
        return sorted(y for y, facts in self.years.items() if (code, plan_id) in facts.campaign_awards)


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
