"""The tree as the kept pages' gates read it: units, plans and their movements, held in this
process for as long as the tree's version (versions.TREE) stays the same.

A kept page is permitted before its body is looked up (tracker.pagecache.render_page): the
dashboard checks that the plan and the unit asked for are the user's to see, the queue that its
filters name the user's plans and units, a nomination that its unit is in the user's subtree.
Those checks read only the tree, which changes rarely (a unit added or moved, a plan or a
movement changed: every such service notes it, and the commit moves TREE on). So each process
keeps what it has read of the tree and reads it again only when TREE has moved, and a gate costs
one small read (the version) instead of building the plans' query and loading their rows.

What is held answers the same questions as the rows it comes from: `TreeUnit.is_within` and a
plan's `issuing_unit` are what tracker.permissions reads, so the gates call the same permission
functions as every other page. A unit or a plan this process has not seen yet (made since, or
asked for by id) is read from the database at once, never assumed absent.
"""
from dataclasses import dataclass
from datetime import date

from flask import current_app
from flask_login import current_user
from sqlalchemy import bindparam, select

from tracker.connections import PREPARED
from tracker.extensions import db
from tracker.pagecache.versions import TREE, earlier, read as read_versions
from tracker.permissions import plan_in_scope
from tracker.plans.models import Movement, Plan, PlanStatus
from tracker.units.models import Unit

_UNITS = Unit.__table__
_PLANS = Plan.__table__
_MOVEMENTS = Movement.__table__
_UNIT = (select(_UNITS.c.id, _UNITS.c.path, _UNITS.c.depth).where(_UNITS.c.id == bindparam("unit_id"))
         .execution_options(**PREPARED))  # by its key: kept prepared (tracker.connections)
_ALL_PLANS = (select(_PLANS.c.id, _PLANS.c.status, _PLANS.c.issued_date, _UNITS.c.id, _UNITS.c.path, _UNITS.c.depth)
              .join(_UNITS, _UNITS.c.id == _PLANS.c.issuing_unit_id)
              .order_by(_PLANS.c.issued_date.desc(), _PLANS.c.id.desc()))
_ALL_MOVEMENTS = select(_MOVEMENTS.c.plan_id, _MOVEMENTS.c.id).order_by(_MOVEMENTS.c.position, _MOVEMENTS.c.id)


@dataclass(frozen=True)
class TreeUnit:
    id: int
    path: str
    depth: int

    def is_within(self, other) -> bool:
        """True when this unit is `other` or lies below it (as Unit.is_within)."""
        return self.path.startswith(other.path)


@dataclass(frozen=True)
class TreePlan:
    id: int
    status: PlanStatus
    issued_date: date
    issuing_unit: TreeUnit
    movement_ids: tuple[int, ...]  # in their order on the plan


class Tree:
    """What this process has read of the tree at one version."""

    def __init__(self, version: int):
        self.version = version
        self._units: dict[int, TreeUnit] = {}
        self.plans: list[TreePlan] = []  # newest first, as plans.services.visible_plans orders them
        self._load_plans()

    def _load_plans(self) -> None:
        connection = db.session.connection()
        movements: dict[int, list[int]] = {}
        for plan_id, movement_id in connection.execute(_ALL_MOVEMENTS):
            movements.setdefault(plan_id, []).append(movement_id)
        plans = []
        for plan_id, status, issued, unit_id, path, depth in connection.execute(_ALL_PLANS):
            issuer = self._units.setdefault(unit_id, TreeUnit(unit_id, path, depth))
            plans.append(TreePlan(plan_id, PlanStatus(status) if isinstance(status, str) else status, issued,
                                  issuer, tuple(movements.get(plan_id, ()))))
        self.plans = plans
        self._by_id = {plan.id: plan for plan in plans}
        self._by_movement = {m: plan for plan in plans for m in plan.movement_ids}

    def unit(self, unit_id: int | None) -> TreeUnit | None:
        """The unit `unit_id`, or None when there is none."""
        if unit_id is None:
            return None
        found = self._units.get(unit_id)
        if found is None:
            row = db.session.connection().execute(_UNIT, {"unit_id": unit_id}).first()
            if row is None:
                return None
            found = self._units[unit_id] = TreeUnit(*row)
        return found

    def plan(self, plan_id: int | None) -> TreePlan | None:
        """The plan `plan_id`, or None when there is none (a plan made since is read again)."""
        if plan_id is None:
            return None
        if plan_id not in self._by_id:
            self._load_plans()
        return self._by_id.get(plan_id)

    def movement_plan(self, movement_id: int | None) -> TreePlan | None:
        """The plan of the movement `movement_id`, or None when there is no such movement."""
        if movement_id is None:
            return None
        if movement_id not in self._by_movement:
            self._load_plans()
        return self._by_movement.get(movement_id)

    def plans_of(self, user) -> list[TreePlan]:
        """The plans the user may see (tracker.permissions.plan_in_scope), newest first."""
        return [plan for plan in self.plans if plan_in_scope(user, plan)]


def current() -> Tree:
    """The tree at its version now: this process's copy when TREE has not moved since it was
    read, else read again. The version is read with the signed-in user (users.sessions.user_of),
    so the user is loaded first: the gate of a kept page then costs no statement of its own (a
    visitor's, or a request that has committed since, reads it: one small statement)."""
    bool(current_user)  # loads the signed-in user (once a request), and with it the tree's version
    version = earlier(TREE)
    if version is None:
        (version,) = read_versions(db.session, [TREE])
    held = current_app.extensions.get("tracker.tree")
    if held is not None and held.version == version and _fresh_enough():
        return held
    tree = current_app.extensions["tracker.tree"] = Tree(version)
    return tree


def _fresh_enough() -> bool:
    """With the page cache off (PAGE_CACHE_MB = 0) nothing is held: every request reads afresh."""
    return bool(current_app.config.get("PAGE_CACHE_MB", 32))


def forget() -> None:
    """Drop this process's copy (tracker.pagecache.clear calls it)."""
    current_app.extensions.pop("tracker.tree", None)
