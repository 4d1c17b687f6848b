"""Working days in Vietnam and the time limits counted in them: public holidays from the
`holidays` library (Tết, Giỗ Tổ, 30/4, 1/5, Quốc khánh, with their days off in lieu and the
Saturdays worked in exchange), plus the days an administrator records (a compensatory day off
decided later, a day worked). Pure: the caller gives the recorded days."""
from dataclasses import dataclass, field
from datetime import date, timedelta

import holidays

# How many working days the authority has to decide on a proposal, by the proposing unit's kind.
# AWARDS.md: "processing at commune level is about 10 working days" (S); the other levels are
# unverified (U) and configurable (PROPOSAL_PROCESSING_DAYS).
PROCESSING_DAYS = {
    "ward": (10, "S"), "commune": (10, "S"), "special_zone": (10, "S"),
    "city": (20, "U"), "district": (20, "U"), "province": (30, "U"), "agency": (20, "U"), "other": (20, "U"),
}


@dataclass
class WorkingCalendar:
    """Vietnam's working days, with `days_off` and `days_worked` recorded on top of the law's."""

    days_off: set[date] = field(default_factory=set)
    days_worked: set[date] = field(default_factory=set)

    def __post_init__(self):
        self._law = holidays.country_holidays("VN", language="vi")

    def is_working_day(self, day: date) -> bool:
        if day in self.days_worked:
            return True
        if day in self.days_off:
            return False
        return self._law.is_working_day(day)

    def holiday_name(self, day: date) -> str | None:
        return self._law.get(day)

    def add_working_days(self, start: date, count: int) -> date:
        """The `count`-th working day after `start` (the day of receipt is not counted)."""
        day, left = start, count
        while left > 0:
            day += timedelta(days=1)
            if self.is_working_day(day):
                left -= 1
        return day

    def span_end(self, start: date, count: int) -> date:
        """The last day of a span of `count` working days from `start` (counted when it is a
        working day): a list posted on Monday 4/5 for 5 working days stays up to Friday 8/5."""
        first = start if self.is_working_day(start) else self.add_working_days(start, 1)
        return self.add_working_days(first, count - 1) if count > 1 else first

    def working_days_between(self, start: date, end: date) -> int:
        """Working days after `start` up to and including `end` (0 when `end` is not later)."""
        count, day = 0, start
        while day < end:
            day += timedelta(days=1)
            if self.is_working_day(day):
                count += 1
        return count


def processing_days(unit_kind: str, overrides: dict | None = None) -> tuple[int, str]:
    """The working days the authority has for a proposal of a unit of this kind, and the
    figure's confidence (an override from the settings is the office's own: V)."""
    if overrides and unit_kind in overrides:
        return overrides[unit_kind], "V"
    return PROCESSING_DAYS.get(unit_kind, PROCESSING_DAYS["other"])


def parse_overrides(text: str) -> dict[str, int]:
    """"ward=10,city=15" -> {"ward": 10, "city": 15} (the PROPOSAL_PROCESSING_DAYS setting)."""
    result = {}
    for part in (text or "").split(","):
        name, _sep, value = part.partition("=")
        if name.strip() and value.strip().isdigit():
            result[name.strip()] = int(value.strip())
    return result
