"""Reading the running figures: a few indexed reads, and what they mean for milestones today."""
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, exists, func, literal, or_, select, union_all

from tracker.extensions import db
from tracker.plans.models import Milestone, MilestoneScope, Plan
from tracker.obligations.status import MilestoneProgress, progress_from_counts
from tracker.reports.models import HANDED_IN, ProgressReport, ReportStatus
from tracker.candidates.models import CandidateKind
from tracker.nominations.services import TRANSITIONS as NOMINATION_TRANSITIONS
from tracker.stats.counters import ALL, CHILDREN, handed_in_metric, report_metric, unit_metric
from tracker.stats.models import NO_PLAN, StatCounter
from tracker.units.models import Unit, UnitKind

# The metrics the milestone figures read (with the plan-0 unit counts, always read).
PROGRESS_PREFIXES = ("h:", "r:")


class Figures(dict):
    """One unit's subtree figures for one plan (and plan 0): metric -> value, 0 when missing."""

    def __missing__(self, metric: str) -> int:
        return 0

    def total(self, prefix: str) -> int:
        return sum(v for k, v in self.items() if k.startswith(prefix))

    @property
    def children(self) -> int:
        return self[CHILDREN]


def read(plan_id: int, whole: list[int], partial: list[int] = (), prefixes: tuple[str, ...] = ()) -> dict[int, Figures]:
    """The figures of units under one plan, in one statement: every metric of the units in
    `whole`; of those in `partial`, only metrics starting with one of `prefixes` (plus the
    plan-0 unit counts, which are few)."""
    SC = StatCounter
    condition = SC.unit_id.in_(sorted(set(whole)))
    if partial:
        wanted = or_(SC.plan_id == NO_PLAN, *[SC.metric.like(f"{p}%") for p in prefixes])
        condition = or_(condition, and_(SC.unit_id.in_(sorted(set(partial))), wanted))
    result: dict[int, Figures] = defaultdict(Figures)
    for unit_id, metric, value in db.session.execute(
            select(SC.unit_id, SC.metric, SC.value).where(SC.plan_id.in_((NO_PLAN, plan_id)), condition)):
        result[unit_id][metric] += value
    return result


def totals(unit_id: int, prefix: str, plan_id: int | None = None) -> dict[str, int]:
    """One unit's subtree figures whose metric starts with `prefix`, summed over every plan (or
    for one plan): one indexed read (the plans are named, so the read follows the index on
    (plan_id, unit_id, metric) rather than scanning every plan's rows)."""
    SC = StatCounter
    plans = SC.plan_id == plan_id if plan_id else SC.plan_id.in_(select(Plan.id))
    return dict(db.session.execute(
        select(SC.metric, func.sum(SC.value))
        .where(plans, SC.unit_id == unit_id, SC.metric.like(f"{prefix}%"))
        .group_by(SC.metric)
    ).all())


def progress_many(milestones: list[Milestone], issuer: Unit, unit, figures: dict[int, Figures],
                  today: date) -> list[MilestoneProgress]:
    """Each milestone's figures in `unit`'s subtree (owing, handed in, accepted, late), from the
    running figures: the counts plans.services.progress_from_counts decides them from.

    The units that matter are those of `unit`'s subtree that lie under the plan's issuer: read
    from the unit's figures when the unit lies under the issuer, from the issuer's when the
    issuer lies below the unit (none otherwise). Named units come from the plan-0 unit counts of
    the milestone's kinds (the issuer itself never owes its own SUBUNITS milestone); handed-in
    reports from the h:<milestone>:<kind> counts, split between the named kinds and the others
    (units re-kinded after they handed in); accepted from r:<milestone>:accepted. An
    ISSUING_UNIT milestone is owed by the issuer alone. `figures` must hold the unit's figures,
    and the issuer's when the issuer lies below `unit`, with the "h:" and "r:" metrics.
    """
    within, above = unit.path.startswith(issuer.path), issuer.path.startswith(unit.path)
    base = figures[unit.id] if within else figures[issuer.id] if above else None
    issuer_kind = issuer.kind.value
    result = []
    for m in milestones:
        named = named_handed_in = others_handed_in = accepted = 0
        if base is not None:
            handed_in = {kind: base[handed_in_metric(m.id, kind.value)] for kind in UnitKind}
            accepted = base[report_metric(m.id, ReportStatus.ACCEPTED.value)]
            if m.scope is MilestoneScope.ISSUING_UNIT:
                named = 1 if above else 0
                named_handed_in = sum(handed_in.values()) if above else 0
            else:
                kinds = set(m.kinds)
                named = sum(base[unit_metric(kind)] for kind in kinds)
                if above and issuer_kind in kinds:
                    named -= 1
                named_handed_in = sum(v for kind, v in handed_in.items() if kind.value in kinds)
                others_handed_in = sum(v for kind, v in handed_in.items() if kind.value not in kinds)
        result.append(progress_from_counts(m, today, named=named, named_handed_in=named_handed_in,
                                           others_handed_in=others_handed_in, accepted=accepted))
    return result


def scope_progress(milestones: list[Milestone], scope: Unit, today: date) -> list[MilestoneProgress]:
    """The figures of milestones (of any plans; each with its plan and issuing unit loaded) in
    `scope`'s subtree, in the order given: one read of the running figures per plan."""
    by_plan = defaultdict(list)
    for m in milestones:
        by_plan[m.plan_id].append(m)
    result = {}
    for plan_id, group in by_plan.items():
        issuer = group[0].plan.issuing_unit
        figures = read(plan_id, [], [scope.id, issuer.id], PROGRESS_PREFIXES)
        for p in progress_many(group, issuer, scope, figures, today):
            result[p.milestone.id] = p
    return [result[m.id] for m in milestones]


@dataclass(frozen=True)
class LateUnit:
    milestone_id: int
    id: int
    name: str
    path: str
    sort_key: str


def late_units(wanted: list[tuple[Milestone, int]], issuer: Unit, scope_path: str) -> dict[int, list[LateUnit]]:
    """The first `quota` late units (in Vietnamese alphabetical order) of each (milestone, quota) in the subtree, in ONE
    statement. Give only past-due milestones whose late count (from the figures) is positive, with
    a quota no larger than that count, so each part stops as soon as it has found its units."""
    parts = []
    for milestone, quota in wanted:
        if quota <= 0:
            continue
        handed_in = exists().where(
            ProgressReport.milestone_id == milestone.id, ProgressReport.unit_id == Unit.id,
            ProgressReport.status.in_(HANDED_IN))
        query = (select(literal(milestone.id).label("milestone_id"), Unit.id, Unit.name, Unit.path, Unit.sort_key)
                 .where(Unit.path.startswith(scope_path, autoescape=True), ~handed_in))
        if milestone.scope is MilestoneScope.ISSUING_UNIT:
            query = query.where(Unit.id == issuer.id)
        else:
            query = query.where(Unit.path.startswith(issuer.path, autoescape=True), Unit.id != issuer.id,
                                Unit.kind.in_([UnitKind(k) for k in milestone.kinds]))
        parts.append(select(query.order_by(Unit.sort_key, Unit.id).limit(quota).subquery()))
    result: dict[int, list[LateUnit]] = defaultdict(list)
    if not parts:
        return result
    statement = parts[0] if len(parts) == 1 else union_all(*parts)
    for row in db.session.execute(statement):
        result[row.milestone_id].append(LateUnit(*row))
    for units in result.values():
        units.sort(key=lambda u: (u.sort_key, u.id))
    return result


def count_nominations(scope: Unit, *, plan_id: int | None = None, movement_id: int | None = None,
                      unit: Unit | None = None, status: str | None = None, kind: CandidateKind | None = None,
                      **_ignored) -> int:
    """How many nominations of `scope`'s subtree the queue's filters (text aside) select, read
    from the running figures (stats.counters): one indexed read, whatever the data size."""
    prefix = f"n:{movement_id or ALL}:"
    statuses = ({s.value for s in NOMINATION_TRANSITIONS["accept"]} if status == "pending" else {status} if status else None)
    total = 0
    for metric, value in totals((unit or scope).id, prefix, plan_id).items():
        kind_value, status_value = metric[len(prefix):].split(":")
        if (kind is None or kind_value == kind.value) and (statuses is None or status_value in statuses):
            total += value
    return total
