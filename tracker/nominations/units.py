"""The unit tree as nominations keep it: each nomination keeps its unit's path
(Nomination.unit_path), which a search by words narrows the text index to a subtree with
(queries.matching_ids), as it keeps its candidate's name in its search key (candidates.py). A
move of a unit carries the new paths to the nominations of the moved subtree, in the same
transaction."""
from sqlalchemy import Select, select, update
from sqlalchemy.orm import aliased

from tracker.extensions import db
from tracker.nominations.models import Nomination
from tracker.units import services as tree
from tracker.units.models import Unit, UnitKind


def update_unit(actor, unit: Unit, name: str, code: str, kind: UnitKind, parent: Unit | None, *,
                expected_version: int | None = None) -> Unit:
    """Change a unit (see units.services.update_unit); a move also gives the nominations of the
    moved subtree their units' new paths (follow_units)."""
    old_path = unit.path
    tree.update_unit(actor, unit, name, code, kind, parent, expected_version=expected_version)
    if unit.path != old_path:
        follow_units(select(Unit.id).where(Unit.path.startswith(unit.path, autoescape=True)))
    return unit


def follow_units(units: Select | None = None) -> int:
    """The nominations of `units` (a select of unit ids; every unit when None) take their units'
    paths where they differ; nothing else of theirs changes, their last change's time neither.
    The rows are locked in id order first (PostgreSQL), as the bulk actions on nominations lock
    theirs: a move beside a bulk acceptance waits for it, never deadlocks. Returns how many
    nominations took a new path. (`flask rebuild-stats` and the recount job run it over every
    unit: the repair of rows loaded around the services.)

    A move rewrites every nomination of the moved subtree (on PostgreSQL each also goes into the
    indexes again: at the migration's rate, about 20 s for a province of 60,000 nominations)."""
    held = aliased(Nomination)
    stale = select(held.id).where(held.unit_path != _path_of_unit(held.unit_id))
    if units is not None:
        stale = stale.where(held.unit_id.in_(units))
    return db.session.execute(
        update(Nomination).where(Nomination.id.in_(stale.order_by(held.id).with_for_update(of=held)))
        .values(unit_path=_path_of_unit(Nomination.unit_id), updated_at=Nomination.updated_at)
        .execution_options(synchronize_session=False)).rowcount


def _path_of_unit(unit_id):
    """The path of the unit `unit_id` (a nomination's column) names, as a scalar subquery."""
    return select(Unit.path).where(Unit.id == unit_id).scalar_subquery()
