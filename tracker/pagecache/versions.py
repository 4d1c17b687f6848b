"""Page scopes and their versions: which kept pages a commit makes stale, and nothing more.

A kept page is keyed by the versions of the scopes it shows (see tracker.pagecache.render_page):

    tree               what every page may show: units, plans, movements, milestones, the
                       catalogue, users' names and roles
    user:<id>          one user's own pages (their unread notifications)
    plan:<plan>:<unit> one plan's nominations, reports, proposals and decisions in a unit's subtree
    all:<unit>         any plan's nominations and candidates in a unit's subtree
    honours:<plan>     a plan's public honour roll

`tracker.commit.commit()` turns what the services noted (tracker.changes) into scopes before the
commit (`scopes_of`) and moves them on after it (`publish`), each in a short transaction of its
own, in sorted order: no writer holds a version row while its own transaction runs, and a change
in one ward moves on the scopes of its plan at the ward and its ancestors only, never another
province's or another plan's. Moving a version on after the commit means a page is never kept
under a version newer than the data it was rendered from.
"""
from flask import current_app, g, has_app_context, session
from sqlalchemy import bindparam, func, select

from tracker.candidates.models import Candidate
from tracker.changes import Changes
from tracker.connections import PREPARED
from tracker.pagecache.models import PageVersion
from tracker.stats import counters
from tracker.units.models import Unit, ancestor_ids

TREE = "tree"
WROTE_AT = "wrote_at"  # in the browser's session: when this user last committed a change


def user_scope(user_id: int) -> str:
    return f"user:{user_id}"


def plan_scope(plan_id: int, unit_id: int) -> str:
    return f"plan:{plan_id}:{unit_id}"


def all_scope(unit_id: int) -> str:
    return f"all:{unit_id}"


def honours_scope(plan_id: int) -> str:
    return f"honours:{plan_id}"


def scopes_of(session, noted: Changes) -> set[str]:
    """The scopes what the services noted touches (called before the commit, after the flush)."""
    scopes: set[str] = set()
    if noted.units or noted.moved or noted.shared:
        scopes.add(TREE)
    scopes.update(honours_scope(p) for p in noted.honours)
    scopes.update(user_scope(u) for u in noted.notices)
    candidates = set(noted.touched) | set(noted.candidates)
    # Nominations and a plan's other work show on the plan's pages and on every plan's lists;
    # reports on the plan's pages only.
    nominated = counters.plan_units(session, nominations=noted.nominations, candidate_ids=candidates)
    nominated |= noted.plan_units
    any_plan_units = {u for _p, u in nominated}
    if candidates:
        any_plan_units |= set(session.scalars(select(Candidate.unit_id).where(Candidate.id.in_(candidates))))
    plan_units = {(p, u) for p, u in nominated if p is not None}  # a proposal under no plan has none
    plan_units |= counters.plan_units(session, reports=noted.reports)
    unit_ids = {u for _p, u in plan_units} | any_plan_units
    if not unit_ids:
        return scopes
    paths = dict(session.execute(select(Unit.id, Unit.path).where(Unit.id.in_(unit_ids))).all())
    for plan_id, unit_id in plan_units:
        scopes.update(plan_scope(plan_id, a) for a in ancestor_ids(paths.get(unit_id, "")))
    for unit_id in any_plan_units:
        scopes.update(all_scope(a) for a in ancestor_ids(paths.get(unit_id, "")))
    return scopes


def _insert(engine):
    if engine.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(PageVersion.__table__)


def publish(engine, scopes: set[str]) -> None:
    """Move the scopes' versions on, in a short transaction of their own (after the data's commit)."""
    if not scopes:
        return
    table = PageVersion.__table__
    stmt = _insert(engine)
    stmt = stmt.on_conflict_do_update(index_elements=["scope"], set_={"value": table.c.value + 1})
    if has_app_context():
        g.pop(_READ_EARLIER, None)  # what this request read before is no longer the version
    try:
        with engine.begin() as connection:
            connection.execute(stmt, [{"scope": scope, "value": 1} for scope in sorted(scopes)])
    except Exception:  # noqa: BLE001 - the data is committed; say loudly that pages may lag
        current_app.logger.exception("page versions not moved on for %s: kept pages may show older data "
                                     "until PAGE_CACHE_SECONDS", sorted(scopes))


def read(session, scopes) -> tuple:
    """The current versions of `scopes` (0 for a scope never moved on), in the order given."""
    scopes = list(scopes)
    found = dict(session.connection().execute(_READ, {"scopes": scopes}).all())
    return tuple(found.get(scope, 0) for scope in scopes)


# Every kept page runs this once: a plain statement on the table (no mapped objects).
_READ = (select(PageVersion.__table__.c.scope, PageVersion.__table__.c.value)
         .where(PageVersion.__table__.c.scope.in_(bindparam("scopes", expanding=True)))
         .execution_options(**PREPARED))  # by keys: kept prepared (tracker.connections)


def column(scope: str):
    """The version of `scope` (0 when never moved on) as a column, for a statement a request
    runs anyway to read it with (the application reads the tree's with the signed-in user)."""
    table = PageVersion.__table__
    return func.coalesce(select(table.c.value).where(table.c.scope == scope).scalar_subquery(), 0)


_READ_EARLIER = "tracker.pagecache.versions.read_earlier"


def read_with(scope: str, value: int) -> None:
    """This request has read `scope`'s version (with `column`): `earlier` gives it back until a
    commit of this request moves versions on (publish forgets it)."""
    g.setdefault(_READ_EARLIER, {})[scope] = value


def read_as_this_request(session, scopes) -> tuple:
    """The versions of `scopes` as `read` gives them, but those this request has read already
    (read_with) as it read them: the request's user, unit and gates come from that moment (a
    moment before, when the session was taken as read then: users.sessions), so a body rendered
    from them is kept under that version, never a newer one."""
    scopes = list(scopes)
    known = g.get(_READ_EARLIER, {})
    missing = [scope for scope in scopes if scope not in known]
    found = dict(zip(missing, read(session, missing))) if missing else {}
    return tuple(known[scope] if scope in known else found[scope] for scope in scopes)


def earlier(scope: str) -> int | None:
    """`scope`'s version as this request read it before (read_with), or None."""
    return g.get(_READ_EARLIER, {}).get(scope)


def noted_write() -> None:
    """Remember that this browser's user has just changed something: no kept page rendered
    before this moment is served to them, whatever PAGE_STALE_SECONDS allows (tracker.outcome
    calls it after each successful commit of a request)."""
    from tracker import clock

    session[WROTE_AT] = clock.utcnow_real().timestamp()
