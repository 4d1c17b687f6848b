"""Read models of the home pages and the committee's dashboard: plain dataclasses and dicts.

Every figure comes from the running counters (tracker.stats), so a page costs the same few
indexed reads whether the plan has a hundred nominations or a million.
"""
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from tracker.awards.models import Proposal, ProposalStatus
from tracker.extensions import db
from tracker.candidates.models import CandidateKind
from tracker.nominations.models import NominationStatus
from tracker.plans.models import Milestone, MilestoneScope, Movement, Plan
from tracker.obligations.status import MilestoneProgress
from tracker.reports.models import ReportStatus
from tracker.stats import figures as stats
from tracker.stats.counters import ALL, CHILDREN
from tracker.units.models import Unit

PER_PAGE = 25
# The rows of a printed matrix: every child of one unit (the largest province has about 170 communes).
PRINT_PER_PAGE = 1000
LATE_LIST_LIMIT = 20
# Nominations the committee has in hand: everything but drafts and withdrawn ones.
HANDED_IN = tuple(s for s in NominationStatus if s not in (NominationStatus.DRAFT, NominationStatus.WITHDRAWN))
MAX_WEEKS = 160


# --- the home pages ------------------------------------------------------------------------


def _all_plans_totals(unit: Unit, prefix: str) -> dict[str, int]:
    """Metrics starting with `prefix` summed over every plan, for one unit's subtree."""
    return stats.totals(unit.id, prefix)


def report_counts(user) -> dict[ReportStatus, int]:
    """Progress reports of the user's subtree by status, over every plan (one indexed read)."""
    counts = {status: 0 for status in ReportStatus}
    for metric, value in _all_plans_totals(user.unit, "r:").items():
        counts[ReportStatus(metric.rsplit(":", 1)[1])] += value
    return counts


def nomination_counts(user) -> dict[NominationStatus, int]:
    """Nominations of the user's subtree by status, over every plan (one indexed read)."""
    counts = {status: 0 for status in NominationStatus}
    for metric, value in _all_plans_totals(user.unit, f"n:{ALL}:").items():
        counts[NominationStatus(metric.rsplit(":", 1)[1])] += value
    return counts


def milestones_progress(milestones: list[Milestone], scope: Unit, today: date) -> list[MilestoneProgress]:
    """Progress of milestones (of any plans) in `scope`'s subtree (stats.figures.scope_progress)."""
    return stats.scope_progress(milestones, scope, today)


# --- the dashboard -------------------------------------------------------------------------


@dataclass
class Cell:
    """One unit x milestone of the matrix."""

    progress: MilestoneProgress
    owes_itself: bool  # the unit itself owes the milestone: its obligation page is behind the cell
    has_children: bool  # a unit above wards: its own dashboard is behind the cell
    milestone_id: int = 0
    state: str = "none"  # none (nothing owed), late, done, open

    def __post_init__(self):
        p = self.progress
        self.milestone_id = p.milestone.id
        self.state = ("none" if p.total == 0 else "late" if p.late else "done" if p.handed_in >= p.total
                      else "open")


@dataclass
class Row:
    unit: Unit
    cells: list[Cell]
    nominations: dict[NominationStatus, int]
    has_children: bool

    @property
    def nominations_total(self) -> int:
        return sum(self.nominations.values())

    @property
    def late(self) -> int:
        return sum(c.progress.late for c in self.cells)


@dataclass
class MovementFigures:
    movement: Movement | None  # None: nominations under no movement
    counts: dict[NominationStatus, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass
class Week:
    monday: date
    nominations: int
    reports: int


@dataclass
class Board:
    plan: Plan
    scope: Unit
    breadcrumb: list[Unit]
    movements: list[Movement]
    movement: Movement | None
    milestones: list[Milestone]
    progress: list[MilestoneProgress]  # the scope's own figures per milestone
    statuses: dict[NominationStatus, int]
    kinds: dict[CandidateKind, dict[str, int]]
    by_movement: list[MovementFigures]
    page: Pagination
    rows: list[Row]
    weeks: list[Week]
    late: list[tuple[MilestoneProgress, list[stats.LateUnit]]]
    proposals: dict[ProposalStatus, int]
    today: date

    @property
    def nominations_total(self) -> int:
        return sum(self.statuses.values())

    @property
    def awarded(self) -> int:
        return self.statuses[NominationStatus.AWARDED]

    @property
    def accepted(self) -> int:
        """Accepted, awarded included (an award follows acceptance)."""
        return self.statuses[NominationStatus.ACCEPTED] + self.statuses[NominationStatus.AWARDED]

    @property
    def individuals(self) -> int:
        return self.kinds[CandidateKind.INDIVIDUAL]["handed_in"]

    @property
    def collectives(self) -> int:
        return self.kinds[CandidateKind.COLLECTIVE]["handed_in"]

    @property
    def proposals_total(self) -> int:
        return sum(self.proposals.values())

    @property
    def chart_statuses(self) -> list[NominationStatus]:
        """The statuses the charts show: those with a nomination somewhere on the page."""
        return [s for s in NominationStatus
                if any(f.counts[s] for f in self.by_movement) or any(r.nominations[s] for r in self.rows)]

    @property
    def late_total(self) -> int:
        return sum(p.late for p in self.progress)


class _Children(Pagination):
    """A page of the scope's children; the total comes from the figures (no COUNT query)."""

    def _query_items(self) -> list:
        query = self._query_args["select"]
        return list(db.session.scalars(query.limit(self.per_page).offset(self._query_offset)))

    def _query_count(self) -> int:
        return 0  # set by the caller from the figures


def scope_and_ancestors(scope_id: int) -> list[Unit]:
    """The unit and every unit above it, top first, in one statement (empty when it does not exist)."""
    scope = aliased(Unit)
    return list(db.session.scalars(
        select(Unit).join(scope, scope.path.startswith(Unit.path)).where(scope.id == scope_id).order_by(Unit.depth)))


def _nomination_prefix(movement: Movement | None) -> str:
    return f"n:{movement.id if movement else ALL}:"


def _statuses(figures: stats.Figures, prefix: str) -> dict[NominationStatus, int]:
    counts = {s: 0 for s in NominationStatus}
    for metric, value in figures.items():
        if metric.startswith(prefix):
            counts[NominationStatus(metric.rsplit(":", 1)[1])] += value
    return counts


def _kinds(figures: stats.Figures, prefix: str) -> dict[CandidateKind, dict[str, int]]:
    result = {k: {"handed_in": 0, "accepted": 0, "awarded": 0} for k in CandidateKind}
    for kind in CandidateKind:
        for status in HANDED_IN:
            value = figures[f"{prefix}{kind.value}:{status.value}"]
            result[kind]["handed_in"] += value
            if status is NominationStatus.ACCEPTED:
                result[kind]["accepted"] += value
            if status is NominationStatus.AWARDED:
                result[kind]["awarded"] += value
    return result


def _weeks(figures: stats.Figures, movement: Movement | None) -> list[Week]:
    nominations, reports = defaultdict(int), defaultdict(int)
    prefix = f"nw:{movement.id if movement else ALL}:"
    for metric, value in figures.items():
        if metric.startswith(prefix):
            nominations[date.fromisoformat(metric[len(prefix):])] += value
        elif metric.startswith("rw:"):
            reports[date.fromisoformat(metric[3:])] += value
    mondays = set(nominations) | set(reports)
    if not mondays:
        return []
    first, last = min(mondays), max(mondays)
    if (last - first).days // 7 >= MAX_WEEKS:  # keep the chart readable: the latest weeks
        first = last - timedelta(weeks=MAX_WEEKS - 1)
    weeks, day = [], first
    while day <= last:
        weeks.append(Week(day, nominations.get(day, 0), reports.get(day, 0)))
        day += timedelta(weeks=1)
    return weeks


def _owes_itself(progress: MilestoneProgress, issuer: Unit, unit: Unit, has_children: bool) -> bool:
    """Whether the row's unit itself owes the milestone (its obligation page is behind the cell).

    A unit without subunits owes exactly what its cell counts (plans.services.owes: a unit
    re-kinded after it handed in included); a unit above others owes what the milestone names.
    """
    if not has_children:
        return progress.total > 0
    milestone = progress.milestone
    if milestone.scope is MilestoneScope.ISSUING_UNIT:
        return unit.id == issuer.id
    return (unit.id != issuer.id and unit.path.startswith(issuer.path)
            and unit.kind.value in milestone.kinds)


def _rows(units: list[Unit], milestones: list[Milestone], issuer: Unit, figures, prefix: str,
          today: date) -> list[Row]:
    rows = []
    for unit in units:
        own = figures[unit.id]
        has_children = own[CHILDREN] > 0
        cells = [Cell(p, _owes_itself(p, issuer, unit, has_children), has_children)
                 for p in stats.progress_many(milestones, issuer, unit, figures, today)]
        rows.append(Row(unit, cells, _statuses(own, prefix), has_children))
    return rows


def proposal_counts(plan: Plan, scope: Unit) -> dict[ProposalStatus, int]:
    """The plan's award proposals made by units of the scope's subtree, by status (a small table)."""
    counts = {s: 0 for s in ProposalStatus}
    counts.update(dict(db.session.execute(
        select(Proposal.status, func.count(Proposal.id))
        .join(Unit, Unit.id == Proposal.proposing_unit_id)
        .where(Proposal.plan_id == plan.id, Unit.path.startswith(scope.path, autoescape=True))
        .group_by(Proposal.status)
    ).all()))
    return counts


def late_list(progress: list[MilestoneProgress], issuer: Unit, scope: Unit, limit: int):
    """The late list: the most recently due milestones first, at most `limit` units in all."""
    wanted, left = [], limit
    for p in sorted((p for p in progress if p.late), key=lambda p: (p.milestone.due_date, p.milestone.id),
                    reverse=True):
        if left <= 0:
            break
        quota = min(p.late, left)
        wanted.append((p, quota))
        left -= quota
    units = stats.late_units([(p.milestone, q) for p, q in wanted], issuer, scope.path)
    return [(p, units.get(p.milestone.id, [])) for p, _q in wanted]


def board(plan: Plan, scope: Unit, breadcrumb: list[Unit], movements: list[Movement], movement: Movement | None,
          today: date, page: int = 1, per_page: int = PER_PAGE) -> Board:
    """Everything the dashboard shows for one plan (with its movements), one unit subtree and
    optionally one movement.

    Statements: milestones, a page of the scope's children, one read of the figures (scope,
    children, issuer), the late list, the proposals: five, whatever the data size. (The reward
    money reads every proposal item of the scope: it has its own page, reward_money.)
    """
    issuer = plan.issuing_unit
    milestones = list(db.session.scalars(
        select(Milestone).where(Milestone.plan_id == plan.id).order_by(Milestone.due_date, Milestone.id)))
    children = _Children(select=select(Unit).where(Unit.parent_id == scope.id).order_by(Unit.sort_key, Unit.id),
                         page=page, per_page=per_page, max_per_page=None, error_out=False)
    prefix = _nomination_prefix(movement)
    figures = stats.read(plan.id, [scope.id], [u.id for u in children.items] + [issuer.id],
                         (*stats.PROGRESS_PREFIXES, prefix))
    own = figures[scope.id]
    children.total = own[CHILDREN]
    progress = stats.progress_many(milestones, issuer, scope, figures, today)
    row_units = children.items if children.total else ([scope] if page == 1 else [])
    by_movement = [MovementFigures(m, _statuses(own, f"n:{m.id}:")) for m in movements]
    everything = _statuses(own, f"n:{ALL}:")
    unassigned = {s: everything[s] - sum(f.counts[s] for f in by_movement) for s in NominationStatus}
    if any(unassigned.values()):
        by_movement.append(MovementFigures(None, unassigned))
    return Board(
        plan=plan, scope=scope, breadcrumb=breadcrumb, movements=movements, movement=movement,
        milestones=milestones, progress=progress, statuses=_statuses(own, prefix), kinds=_kinds(own, prefix),
        by_movement=by_movement, page=children,
        rows=_rows(row_units, milestones, issuer, figures, prefix, today),
        weeks=_weeks(own, movement),
        late=late_list(progress, issuer, scope, LATE_LIST_LIMIT),
        proposals=proposal_counts(plan, scope),
        today=today,
    )


def matrix(plan: Plan, scope: Unit, movement: Movement | None, today: date) -> tuple[list[Milestone], list[Row]]:
    """Every row of the matrix (all of the scope's children, or the scope itself), unpaginated."""
    issuer = plan.issuing_unit
    milestones = list(db.session.scalars(
        select(Milestone).where(Milestone.plan_id == plan.id).order_by(Milestone.due_date, Milestone.id)))
    units = list(db.session.scalars(select(Unit).where(Unit.parent_id == scope.id).order_by(Unit.sort_key, Unit.id)))
    prefix = _nomination_prefix(movement)
    figures = stats.read(plan.id, [scope.id], [u.id for u in units] + [issuer.id], (*stats.PROGRESS_PREFIXES, prefix))
    return milestones, _rows(units or [scope], milestones, issuer, figures, prefix, today)


def leader_overview(user, milestones_upcoming, milestones_overdue, today: date, late_limit: int = 10):
    """The leader's home page: progress of the next deadlines, and what is late with its units."""
    scope = user.unit
    upcoming = milestones_progress(milestones_upcoming, scope, today)
    overdue = [p for p in milestones_progress(milestones_overdue, scope, today) if p.late]
    late = {}
    for plan_id in {p.milestone.plan_id for p in overdue}:
        group = [p for p in overdue if p.milestone.plan_id == plan_id]
        issuer = group[0].milestone.plan.issuing_unit
        late.update(stats.late_units([(p.milestone, min(p.late, late_limit)) for p in group], issuer, scope.path))
    return upcoming, [(p, late.get(p.milestone.id, [])) for p in overdue]
