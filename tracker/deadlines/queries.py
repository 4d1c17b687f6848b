"""Read models of the deadline view: the month timeline, milestone progress, late units."""
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from tracker.obligations import status as obligations
from tracker.extensions import db
from tracker.plans import services as plans
from tracker.plans.models import Milestone, Plan, PlanStatus
from tracker.units.models import Unit

LATE_LIST_LIMIT = 30  # per milestone; the rest are counted ("and N more") and on the dashboard
TIMELINE_WIDTH = 1000
ROW_HEIGHT = 30
HEADER_HEIGHT = 34


@dataclass
class Bar:
    milestone: Milestone
    x: float
    width: float
    y: float
    state: str  # "past", "current", "future"


@dataclass
class Timeline:
    width: int
    height: int
    months: list[tuple[float, str]]
    bars: list[Bar]
    today_x: float | None
    today: date


def _month_starts(first: date, last: date) -> list[date]:
    months, current = [], date(first.year, first.month, 1)
    while current <= last:
        months.append(current)
        current = date(current.year + (current.month == 12), current.month % 12 + 1, 1)
    return months


def build_timeline(milestones: list[Milestone], today: date) -> Timeline | None:
    """Milestones as bars on a month axis from the first start to the last due date (pure)."""
    if not milestones:
        return None
    first = min(m.start_date for m in milestones)
    last = max(m.due_date for m in milestones)
    months = _month_starts(first, last)
    axis_start = months[0]
    end_month = months[-1]
    axis_end = date(end_month.year + (end_month.month == 12), end_month.month % 12 + 1, 1)
    span = (axis_end - axis_start).days

    def x_of(day: date) -> float:
        return round((day - axis_start).days / span * TIMELINE_WIDTH, 1)

    bars = []
    for index, m in enumerate(sorted(milestones, key=lambda m: (m.start_date, m.due_date, m.id))):
        state = "past" if m.due_date < today else "current" if m.start_date <= today else "future"
        start_x = x_of(m.start_date)
        end_x = x_of(date.fromordinal(m.due_date.toordinal() + 1))
        bars.append(Bar(m, start_x, max(end_x - start_x, 3.0), HEADER_HEIGHT + index * ROW_HEIGHT, state))
    today_x = x_of(today) if axis_start <= today < axis_end else None
    return Timeline(
        width=TIMELINE_WIDTH,
        height=HEADER_HEIGHT + len(bars) * ROW_HEIGHT + 6,
        months=[(x_of(m), m.strftime("%m/%Y")) for m in months],
        bars=bars,
        today_x=today_x,
        today=today,
    )


@dataclass
class MilestoneRow:
    progress: obligations.MilestoneProgress
    late_units: list[Unit] = field(default_factory=list)


def active_plans(user) -> list[Plan]:
    return list(db.session.scalars(plans.visible_plans(user).where(Plan.status == PlanStatus.ACTIVE)))


def deadline_rows(plan: Plan, scope: Unit, today: date) -> list[MilestoneRow]:
    """Every milestone of the plan with its counts in `scope` and its first late units.

    Three statements whatever the number of milestones or the size of the data: the
    milestones, one read of the running figures (tracker.stats), one for the late units.
    """
    from tracker.stats import figures as stats

    milestones = db.session.scalars(
        select(Milestone).where(Milestone.plan_id == plan.id)
        .options(joinedload(Milestone.plan).joinedload(Plan.issuing_unit))
        .order_by(Milestone.due_date, Milestone.id)
    ).all()
    issuer = plan.issuing_unit
    figures = stats.read(plan.id, [], [scope.id, issuer.id], stats.PROGRESS_PREFIXES)
    progress = stats.progress_many(milestones, issuer, scope, figures, today)
    late = stats.late_units([(p.milestone, min(p.late, LATE_LIST_LIMIT)) for p in progress if p.late],
                            issuer, scope.path)
    return [MilestoneRow(p, late.get(p.milestone.id, [])) for p in progress]
