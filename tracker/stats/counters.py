"""Running figures kept up to date as data changes, so no page recounts a million rows.

`stat_counters` holds, for EVERY unit of the tree, the figures of its whole subtree: a ward's
rows count the ward's own nominations and reports; a city's rows count the city's own plus
all of its wards'; a province's, everything below it. A page at any scope reads the scope's
rows and its children's rows: a constant number of small indexed reads, whatever the data size.

Metrics (per plan; plan_id 0 holds those that belong to no plan):

    u:<unit kind>                  plan 0: units of that kind in the subtree, the unit included
    c                              plan 0: the unit's direct children
    n:<movement id|*>:<kind>:<status>   nominations, by candidate kind and status
    nw:<movement id|*>:<yyyy-mm-dd>     nominations by the week (its Monday) they were handed in
    r:<milestone id>:<status>      progress reports by status
    h:<milestone id>:<unit kind>   progress reports handed in (submitted, resubmitted, accepted),
                                   by the kind the reporting unit has now
    rw:<yyyy-mm-dd>                progress reports by the week they were handed in

"*" is every movement together. Weeks are local weeks (BABEL_DEFAULT_TIMEZONE) of the latest
hand-in (`submitted_at`). "Late" is not stored: it depends on the day, so readers derive it
from what is owed (unit counts) and what was handed in (report counts); see stats.figures
and plans.services.progress_from_counts. Handed-in reports are kept by the unit's kind so that
a unit re-kinded after it handed in still counts (plans.services.owes).

How the figures stay exact, said where it happens:

1. Every service that changes what is counted says so, by name, before it returns
   (tracker.changes: `nominations_changed`, `reports_changed`, `candidates_rekinded`,
   `units_changed`). That only notes it on the session; nothing is written yet.
2. The transaction is committed through `tracker.commit.commit()`, which calls `apply`
   first: it recomputes each noted unit's OWN figures from the source tables (small indexed
   counts for one unit), derives its previous own figures from the stored rows (its rows minus
   its children's rows, read in one statement), and adds the difference to the unit and every
   ancestor with INSERT .. ON CONFLICT DO UPDATE SET value = value + excluded.value. The
   counters commit in the same transaction as the change, and are applied once per commit, in
   one sorted batch. Units added or re-kinded recompute the plan-0 rows, and a re-kinded unit's
   own report figures of every plan (its h: rows move to its new kind); a unit moved under
   another parent rebuilds everything (rare, and only an administrator does it).
3. On PostgreSQL the tree is guarded by one advisory lock taken before anything else: shared by
   the commits that add differences, exclusive by those that rebuild or recount the units (a
   move, a new unit, a re-kind). So a difference is always added along the tree as it is after
   any move committed before it, and no two writers take locks in opposite orders. Each
   recomputed (plan, unit) is then guarded by its own advisory lock, always taken in the same
   order, so two commits touching the same unit cannot each miss the other's change. (A move
   also rewrites its subtree's nominations' paths, locking them in id order as the bulk actions
   on nominations do: nominations.units.follow_units.) SQLite has a single writer.

Writes that bypass the services (bulk loads, raw SQL) must be followed by `flask rebuild-stats`,
which recomputes every row with a few set-based statements (also the repair for counters that
drifted). It writes the rows in (plan, unit, metric) order, so one unit's rows sit on a few
pages; rows added later land at the end of the table, and a rebuild after heavy growth (a new
plan with many units) puts them back together.
"""
from collections import Counter, defaultdict
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context
from sqlalchemy import (
    Column,
    Integer,
    MetaData,
    String,
    Table,
    bindparam,
    delete,
    func,
    insert,
    literal,
    select,
    text,
    union_all,
)
from sqlalchemy.sql.expression import cast

from tracker import changes, clock
from tracker.candidates.models import Candidate
from tracker.nominations.models import Nomination
from tracker.plans.models import Milestone
from tracker.reports.models import HANDED_IN, ProgressReport
from tracker.stats.models import NO_PLAN, StatCounter
from tracker.units.models import Unit, ancestor_ids

ALL = "*"
CHILDREN = "c"
# Fields whose change moves a nomination or a report from one figure to another.
_NOMINATION_FIELDS = ("plan_id", "unit_id", "movement_id", "candidate_id", "status", "submitted_at")
_REPORT_FIELDS = ("milestone_id", "unit_id", "status", "submitted_at")
# Every unit's ancestors, itself included: a temporary table that only rebuild() fills.
_ANCESTORS = Table("stat_unit_ancestors", MetaData(), Column("unit_id", Integer), Column("ancestor_id", Integer))


# --- metric names --------------------------------------------------------------------------


def report_metric(milestone_id: int, status: str) -> str:
    return f"r:{milestone_id}:{status}"


def handed_in_metric(milestone_id: int, kind: str) -> str:
    return f"h:{milestone_id}:{kind}"


def unit_metric(kind: str) -> str:
    return f"u:{kind}"


# --- the figures of units' own rows, as SQL ---------------------------------------------


def _text(value) -> object:
    return literal(value, String) if isinstance(value, str) else cast(value, String)


def _concat(*parts):
    expr = _text(parts[0])
    for part in parts[1:]:
        expr = expr.op("||")(_text(part))
    return expr


def _tz_name() -> str:
    if has_app_context():
        return current_app.config.get("BABEL_DEFAULT_TIMEZONE") or "UTC"
    return "UTC"


def week_of(column, dialect: str):
    """The Monday (yyyy-mm-dd) of the local week of a UTC timestamp, computed by the database."""
    tz = _tz_name()
    if dialect == "postgresql":
        return func.to_char(func.date_trunc("week", func.timezone(tz, column)), "YYYY-MM-DD")
    # SQLite keeps UTC wall-clock text; a fixed offset is exact for zones without DST (Vietnam).
    offset = clock.now().astimezone(ZoneInfo(tz)).utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset else 0
    return func.date(column, f"{minutes:+d} minutes", "weekday 0", "-6 days")


def own_figures(dialect: str, plan_ids=None, unit_ids=None):
    """A UNION ALL of (plan_id, unit_id, metric, n): each unit's OWN figures (not its subtree's),
    optionally only for some plans and units."""
    N, C, R, M, U = Nomination, Candidate, ProgressReport, Milestone, Unit

    def only(query, plan_col, unit_col):
        if plan_ids is not None:
            query = query.where(plan_col.in_(plan_ids))
        if unit_ids is not None:
            query = query.where(unit_col.in_(unit_ids))
        return query

    nominations = only(select(N.plan_id, N.unit_id).join(C, C.id == N.candidate_id), N.plan_id, N.unit_id)
    n_week = week_of(N.submitted_at, dialect)
    r_week = week_of(R.submitted_at, dialect)
    reports = only(select(M.plan_id, R.unit_id).join(M, M.id == R.milestone_id), M.plan_id, R.unit_id)
    parts = [
        nominations.add_columns(_concat("n:*:", C.kind, ":", N.status).label("metric"), func.count().label("n"))
        .group_by(N.plan_id, N.unit_id, C.kind, N.status),
        nominations.add_columns(_concat("n:", N.movement_id, ":", C.kind, ":", N.status).label("metric"),
                                func.count().label("n"))
        .where(N.movement_id.is_not(None))
        .group_by(N.plan_id, N.unit_id, N.movement_id, C.kind, N.status),
        nominations.add_columns(_concat("nw:*:", n_week).label("metric"), func.count().label("n"))
        .where(N.submitted_at.is_not(None))
        .group_by(N.plan_id, N.unit_id, n_week),
        nominations.add_columns(_concat("nw:", N.movement_id, ":", n_week).label("metric"), func.count().label("n"))
        .where(N.submitted_at.is_not(None), N.movement_id.is_not(None))
        .group_by(N.plan_id, N.unit_id, N.movement_id, n_week),
        reports.add_columns(_concat("r:", R.milestone_id, ":", R.status).label("metric"), func.count().label("n"))
        .group_by(M.plan_id, R.unit_id, R.milestone_id, R.status),
        reports.join(U, U.id == R.unit_id)
        .add_columns(_concat("h:", R.milestone_id, ":", U.kind).label("metric"), func.count().label("n"))
        .where(R.status.in_(HANDED_IN))
        .group_by(M.plan_id, R.unit_id, R.milestone_id, U.kind),
        reports.add_columns(_concat("rw:", r_week).label("metric"), func.count().label("n"))
        .where(R.submitted_at.is_not(None))
        .group_by(M.plan_id, R.unit_id, r_week),
    ]
    return parts


def own_counts(session, plan_ids, unit_ids) -> dict[tuple[int, int], Counter]:
    """The same figures as own_figures, for some plans and units, as {(plan, unit): Counter of
    metric -> n}: read in two statements, one pass over the units' nominations and one over
    their reports, each grouped by everything a metric names (at a commit: one ward's rows,
    where own_figures' seven passes read the ward's nominations four times)."""
    N, C, R, M, U = Nomination, Candidate, ProgressReport, Milestone, Unit
    dialect = session.get_bind().dialect.name
    counts: dict[tuple[int, int], Counter] = defaultdict(Counter)
    n_week = week_of(N.submitted_at, dialect)
    nominations = (select(N.plan_id, N.unit_id, N.movement_id, C.kind, N.status, n_week, func.count())
                   .join(C, C.id == N.candidate_id)
                   .where(N.plan_id.in_(plan_ids), N.unit_id.in_(unit_ids))
                   .group_by(N.plan_id, N.unit_id, N.movement_id, C.kind, N.status, n_week))
    for plan_id, unit_id, movement_id, kind, status, week, n in session.execute(nominations):
        figures = counts[(plan_id, unit_id)]
        figures[f"n:{ALL}:{kind.value}:{status.value}"] += n
        if movement_id is not None:
            figures[f"n:{movement_id}:{kind.value}:{status.value}"] += n
        if week is not None:
            figures[f"nw:{ALL}:{week}"] += n
            if movement_id is not None:
                figures[f"nw:{movement_id}:{week}"] += n
    r_week = week_of(R.submitted_at, dialect)
    reports = (select(M.plan_id, R.unit_id, R.milestone_id, R.status, U.kind, r_week, func.count())
               .join(M, M.id == R.milestone_id).join(U, U.id == R.unit_id)
               .where(M.plan_id.in_(plan_ids), R.unit_id.in_(unit_ids))
               .group_by(M.plan_id, R.unit_id, R.milestone_id, R.status, U.kind, r_week))
    for plan_id, unit_id, milestone_id, status, kind, week, n in session.execute(reports):
        figures = counts[(plan_id, unit_id)]
        figures[report_metric(milestone_id, status.value)] += n
        if status in HANDED_IN:
            figures[handed_in_metric(milestone_id, kind.value)] += n
        if week is not None:
            figures[f"rw:{week}"] += n
    return counts


# --- writing -------------------------------------------------------------------------------


def _insert(session):
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    elif dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert
    else:  # pragma: no cover - the tracker runs on SQLite and PostgreSQL
        raise NotImplementedError(f"stat counters are not written on {dialect}")
    return insert(StatCounter.__table__)


def _upsert(session, rows: list[dict], add: bool) -> None:
    """Write counters: add `value` to what is stored (add=True) or replace it."""
    if not rows:
        return
    stmt = _insert(session)
    table = StatCounter.__table__
    new_value = table.c.value + stmt.excluded.value if add else stmt.excluded.value
    stmt = stmt.on_conflict_do_update(index_elements=["plan_id", "unit_id", "metric"], set_={"value": new_value})
    # Sorted, so concurrent writers lock rows in the same order (no deadlocks on PostgreSQL).
    rows = sorted(rows, key=lambda r: (r["plan_id"], r["unit_id"], r["metric"]))
    for start in range(0, len(rows), 5000):
        session.execute(stmt, rows[start:start + 5000])


# The advisory lock guarding the whole tree's figures: no plan has the id -1.
_TREE = (-1, 0)


def _postgres(session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def _lock_tree(session, exclusive: bool) -> None:
    """PostgreSQL: the tree's lock, before any other figure lock (shared to add differences,
    exclusive to recount units or rebuild). Held until the transaction ends."""
    if _postgres(session):
        name = "pg_advisory_xact_lock" if exclusive else "pg_advisory_xact_lock_shared"
        session.execute(text(f"SELECT {name}(:p, :u)"), {"p": _TREE[0], "u": _TREE[1]})


def _lock(session, keys) -> None:
    """PostgreSQL: a transaction-scoped advisory lock per (plan, unit), always in the same order."""
    if not _postgres(session):
        return
    for plan_id, unit_id in sorted(keys):
        session.execute(text("SELECT pg_advisory_xact_lock(:p, :u)"), {"p": plan_id, "u": unit_id})


def refresh_units(session) -> None:
    """Recompute the plan-0 figures (units of each kind in every subtree, children) from the tree."""
    _lock_tree(session, exclusive=True)
    want: Counter = Counter()
    for unit_id, parent_id, path, kind in session.execute(select(Unit.id, Unit.parent_id, Unit.path, Unit.kind)):
        metric = unit_metric(kind.value)
        for ancestor in ancestor_ids(path):
            want[(ancestor, metric)] += 1
        if parent_id is not None:
            want[(parent_id, CHILDREN)] += 1
    SC = StatCounter
    have = {(u, m): v for u, m, v in session.execute(
        select(SC.unit_id, SC.metric, SC.value).where(SC.plan_id == NO_PLAN))}
    changed = [{"plan_id": NO_PLAN, "unit_id": u, "metric": m, "value": v}
               for (u, m), v in want.items() if have.get((u, m)) != v]
    gone = [{"u": u, "m": m} for (u, m) in have if (u, m) not in want]
    _upsert(session, changed, add=False)
    if gone:
        table = SC.__table__
        session.connection().execute(
            delete(table).where(table.c.plan_id == NO_PLAN, table.c.unit_id == bindparam("u"),
                                table.c.metric == bindparam("m")),
            gone,
        )


def refresh_own(session, pairs: set[tuple[int, int]]) -> None:
    """Bring the figures of the given (plan, unit) pairs, and of every ancestor, up to date."""
    pairs = {(p, u) for p, u in pairs if p is not None and u is not None}
    if not pairs:
        return
    _lock_tree(session, exclusive=False)
    _lock(session, pairs)
    plan_ids = sorted({p for p, _u in pairs})
    unit_ids = sorted({u for _p, u in pairs})
    new = own_counts(session, plan_ids, unit_ids)
    # What the units' own figures were: their stored rows minus their children's (one statement,
    # so both sides come from the same snapshot).
    SC, child = StatCounter, Unit
    stored = union_all(
        select(SC.plan_id, SC.unit_id, SC.metric, SC.value, literal(1).label("sign"))
        .where(SC.unit_id.in_(unit_ids), SC.plan_id.in_(plan_ids)),
        select(SC.plan_id, child.parent_id, SC.metric, SC.value, literal(-1).label("sign"))
        .join(child, child.id == SC.unit_id)
        .where(child.parent_id.in_(unit_ids), SC.plan_id.in_(plan_ids)),
    )
    old: dict[tuple[int, int], Counter] = defaultdict(Counter)
    for plan_id, unit_id, metric, value, sign in session.execute(stored):
        if (plan_id, unit_id) in pairs:
            old[(plan_id, unit_id)][metric] += sign * value
    paths = dict(session.execute(select(Unit.id, Unit.path).where(Unit.id.in_(unit_ids))).all())
    deltas: Counter = Counter()
    for plan_id, unit_id in pairs:
        if unit_id not in paths:  # the unit itself is gone
            continue
        before, after = old[(plan_id, unit_id)], new[(plan_id, unit_id)]
        for metric in set(before) | set(after):
            delta = after[metric] - before[metric]
            if delta:
                for ancestor in ancestor_ids(paths[unit_id]):
                    deltas[(plan_id, ancestor, metric)] += delta
    _upsert(session, [{"plan_id": p, "unit_id": u, "metric": m, "value": d}
                      for (p, u, m), d in deltas.items() if d], add=True)


def rebuild(session, plan_id: int | None = None) -> int:
    """Recompute every counter (or one plan's) from the source tables with set-based statements.

    For bulk loads and repair. Returns the number of counter rows written.
    """
    dialect = session.get_bind().dialect.name
    _lock_tree(session, exclusive=True)  # first, as every writer of the figures does
    if dialect == "postgresql":
        session.execute(text("LOCK TABLE stat_counters IN EXCLUSIVE MODE"))
    SC = StatCounter
    session.execute(delete(SC).where(SC.plan_id == plan_id) if plan_id is not None
                    else delete(SC).where(SC.plan_id != NO_PLAN))
    if plan_id is None:
        refresh_units(session)
    # Every unit's ancestors (itself included), from the materialized paths, as a temporary table.
    session.execute(text("DROP TABLE IF EXISTS stat_unit_ancestors"))
    session.execute(text("CREATE TEMPORARY TABLE stat_unit_ancestors (unit_id INTEGER NOT NULL, "
                         "ancestor_id INTEGER NOT NULL)"))
    links = [{"unit_id": unit_id, "ancestor_id": ancestor}
             for unit_id, path in session.execute(select(Unit.id, Unit.path))
             for ancestor in ancestor_ids(path)]
    for start in range(0, len(links), 20000):
        session.execute(insert(_ANCESTORS), links[start:start + 20000])
    session.execute(text("CREATE INDEX ix_stat_unit_ancestors ON stat_unit_ancestors (unit_id)"))
    plans = [plan_id] if plan_id is not None else None
    parts = []
    for part in own_figures(dialect, plans):
        leaf = part.subquery()
        parts.append(
            select(leaf.c.plan_id, _ANCESTORS.c.ancestor_id.label("unit_id"), leaf.c.metric,
                   func.sum(leaf.c.n).label("value"))
            .join(_ANCESTORS, _ANCESTORS.c.unit_id == leaf.c.unit_id)
            .group_by(leaf.c.plan_id, _ANCESTORS.c.ancestor_id, leaf.c.metric)
        )
    # One statement, in (plan, unit, metric) order: a unit's rows are written side by side, so
    # reading them later touches a few pages instead of one page per row.
    every = union_all(*parts).subquery()
    session.execute(insert(SC.__table__).from_select(
        ["plan_id", "unit_id", "metric", "value"],
        select(every.c.plan_id, every.c.unit_id, every.c.metric, every.c.value)
        .order_by(every.c.plan_id, every.c.unit_id, every.c.metric)))
    session.execute(text("DROP TABLE stat_unit_ancestors"))
    written = select(func.count()).select_from(SC).where(SC.plan_id != NO_PLAN)
    return session.scalar(written.where(SC.plan_id == plan_id) if plan_id is not None else written)


# --- at the commit (tracker.commit) -------------------------------------------------------


def plan_units(session, *, nominations=(), reports=(), candidate_ids=()) -> set[tuple[int, int]]:
    """The (plan, unit) pairs of the given nominations and reports (flushed: ids known), and of
    every nomination of the given candidates; the pairs whose figures (and pages) they touch."""
    pairs = {(n.plan_id, n.unit_id) for n in nominations}
    report_units = {(r.milestone_id, r.unit_id) for r in reports}
    if report_units:
        milestone_ids = {m for m, _u in report_units}
        plans = dict(session.execute(select(Milestone.id, Milestone.plan_id).where(Milestone.id.in_(milestone_ids))).all())
        pairs |= {(plans[m], u) for m, u in report_units if m in plans}
    if candidate_ids:
        pairs |= set(session.execute(
            select(Nomination.plan_id, Nomination.unit_id).where(Nomination.candidate_id.in_(candidate_ids))
            .distinct()).tuples())
    return pairs


def apply(session, pending: changes.Changes) -> None:
    """Bring the counters up to date with what the services noted (flushed by now: ids known)."""
    if pending.moved:
        rebuild(session)
        return
    if pending.units:
        refresh_units(session)
    pairs = plan_units(session, nominations=pending.nominations, reports=pending.reports,
                       candidate_ids=pending.candidates)
    if pending.rekinded:
        pairs |= set(session.execute(
            select(Milestone.plan_id, ProgressReport.unit_id).join(Milestone, Milestone.id == ProgressReport.milestone_id)
            .where(ProgressReport.unit_id.in_(pending.rekinded)).distinct()).tuples())
    refresh_own(session, pairs)
