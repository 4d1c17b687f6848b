"""Changes to the unit tree; every change keeps the materialized paths right."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, literal, or_, select, update
from sqlalchemy.orm import aliased

from tracker.audit.services import diff, record
from tracker.errors import DomainError
from tracker import changes
from tracker.extensions import db
from tracker.models_base import check_version, new_version
from tracker.units.models import Unit, UnitKind


MSG_CONFLICT = _l(
    "Someone else changed this unit after you opened it. Nothing of yours was saved: "
    "open it again to see their changes, then make yours."
)


def _check_code(code: str, exclude_id: int | None = None) -> None:
    query = select(Unit.id).where(func.lower(Unit.code) == code.lower())
    if exclude_id is not None:
        query = query.where(Unit.id != exclude_id)
    if db.session.scalar(query) is not None:
        raise DomainError(_l("Another unit already uses this code."), field="code")


def create_unit(actor, name: str, code: str, kind: UnitKind, parent: Unit | None) -> Unit:
    """Add a unit under `parent` (None makes a root). Raises DomainError for a used code."""
    code = code.strip()
    _check_code(code)
    unit = Unit(name=name.strip(), code=code, kind=kind, parent=parent)
    db.session.add(unit)
    db.session.flush()  # the id is part of the path
    unit.path = f"{parent.path if parent else '/'}{unit.id}/"
    unit.depth = parent.depth + 1 if parent else 0
    db.session.flush()
    record(actor, "unit.created", unit, f"{unit.code} {unit.name}")
    changes.units_changed(db.session)
    return unit


def update_unit(actor, unit: Unit, name: str, code: str, kind: UnitKind, parent: Unit | None, *,
                expected_version: int | None = None) -> Unit:
    """Rename, recode, reclassify or move a unit; a move rewrites the paths of its subtree (the
    nominations' copies of them too when called through nominations.units.update_unit).

    Raises ConflictError when the unit changed since the form was built (`expected_version`),
    DomainError when the code is used elsewhere or the new parent lies inside the unit.
    """
    check_version(unit, expected_version, MSG_CONFLICT)
    code = code.strip()
    _check_code(code, exclude_id=unit.id)
    if parent is not None and parent.is_within(unit):
        raise DomainError(_l("A unit cannot be moved under itself or its own subunits."), field="parent_id")
    values = {"name": name.strip(), "code": code, "kind": kind, "parent_id": parent.id if parent else None}
    changed = diff(unit, values)
    if not changed:
        return unit
    old_path, moved = unit.path, values["parent_id"] != unit.parent_id
    new_path = f"{parent.path if parent else '/'}{unit.id}/"
    depth_shift = (parent.depth + 1 if parent else 0) - unit.depth
    unit.name, unit.code, unit.kind = values["name"], code, kind
    if moved:
        unit.parent = parent
    new_version(unit, MSG_CONFLICT)
    if moved:  # the paths below follow (the subtree's own versions stay: no form field changed)
        db.session.execute(
            update(Unit)
            .where(Unit.path.startswith(old_path, autoescape=True))
            .values(
                path=literal(new_path).concat(func.substr(Unit.path, len(old_path) + 1)),
                depth=Unit.depth + depth_shift,
            )
            .execution_options(synchronize_session=False)
        )
        db.session.expire_all()
    record(actor, "unit.updated", unit, f"{code} {values['name']}", changed)
    if "kind" in changed or moved:
        changes.units_changed(db.session, rekinded=[unit.id] if "kind" in changed else (), moved=moved)
    else:
        changes.shared_changed(db.session)  # a new name or code shows on every page
    return unit


# Between the keys of a unit's ancestors in its tree key: below any character a sort key holds, so
# that a parent comes before its children and a shorter name before a longer one.
_TREE_SEPARATOR = "\x01"


def subtree(root: Unit) -> Select:
    """A select of the units under `root` (itself included), in tree order with each unit's
    children in Vietnamese alphabetical order: one recursive query builds every unit's key from
    its ancestors' sort keys (a country's tree is a few thousand units)."""
    tree = (select(Unit.id.label("id"), (Unit.sort_key + _TREE_SEPARATOR).label("key"))
            .where(Unit.id == root.id).cte("tree", recursive=True))
    child = aliased(Unit)
    tree = tree.union_all(select(child.id, tree.c.key + child.sort_key + _TREE_SEPARATOR)
                          .where(child.parent_id == tree.c.id))
    return select(Unit).join(tree, tree.c.id == Unit.id).order_by(tree.c.key, Unit.id)


def in_tree_order(units) -> list[Unit]:
    """`units` (a subtree, or several levels of one) parents first, each unit's children under it
    in Vietnamese alphabetical order (Unit.sort_key), as subtree() orders a whole subtree: for a
    few levels already read (drill_down)."""
    units = list(units)
    present = {u.id for u in units}
    children: dict[int | None, list[Unit]] = {}
    for unit in units:
        children.setdefault(unit.parent_id if unit.parent_id in present else None, []).append(unit)
    ordered: list[Unit] = []
    stack = sorted(children.get(None, []), key=lambda u: (u.sort_key, u.id), reverse=True)
    while stack:
        unit = stack.pop()
        ordered.append(unit)
        stack.extend(sorted(children.get(unit.id, []), key=lambda u: (u.sort_key, u.id), reverse=True))
    return ordered


def drill_down(root: Unit, chosen: Unit | None = None) -> list[Unit]:
    """The units a unit filter offers, in tree order (see in_tree_order): `root`, its children and, down the path to
    the chosen unit, the children of every unit on that path (the chosen one's included).

    A national list would hold thousands of communes; this one holds the provinces, then the
    wards of the chosen province, so it stays short at any scale (one indexed read)."""
    path_ids = (chosen or root).ancestor_ids
    path_ids = path_ids[path_ids.index(root.id):] if root.id in path_ids else [root.id]
    return in_tree_order(db.session.scalars(
        select(Unit).where((Unit.id == root.id) | Unit.parent_id.in_(path_ids)).order_by(Unit.path)))



def units_within(root: Unit, words: str = "", kind: UnitKind | None = None) -> Select:
    """The units of `root`'s subtree (itself included) whose name or code holds `words`, of `kind`
    if given, unordered (one indexed prefix read; the caller pages it by id)."""
    return _matching(select(Unit).where(Unit.path.startswith(root.path, autoescape=True)), words, kind)


def _matching(query: Select, words: str, kind: UnitKind | None) -> Select:
    words = (words or "").strip()
    if words:
        term = f"%{words}%"
        query = query.where(or_(Unit.name.ilike(term), Unit.code.ilike(term)))
    if kind is not None:
        query = query.where(Unit.kind == kind)
    return query


def children_of(unit: Unit) -> list[Unit]:
    """The unit's children in Vietnamese alphabetical order."""
    return list(db.session.scalars(select(Unit).where(Unit.parent_id == unit.id).order_by(Unit.sort_key, Unit.id)))


def search_units(root: Unit, words: str = "", kind: UnitKind | None = None) -> Select:
    """The units of `root`'s subtree whose name or code holds `words`, of `kind` if given, in
    tree order (see subtree)."""
    return _matching(subtree(root), words, kind)

