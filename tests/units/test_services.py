"""The unit tree keeps its materialized paths right through creation and moves."""
import pytest
from sqlalchemy import select

from tests.factories import make_unit
from tracker.audit.models import AuditEvent
from tracker.errors import DomainError
from tracker.units import services
from tracker.units.models import Unit, UnitKind


def test_paths_follow_the_tree(db, tree):
    city, ward = tree["city_a"], tree["ward_a1"]
    assert tree["province"].path == f"/{tree['province'].id}/"
    assert city.path == f"{tree['province'].path}{city.id}/"
    assert ward.path == f"{city.path}{ward.id}/" and ward.depth == 2
    assert ward.is_within(city) and not city.is_within(ward)


def test_subtree_is_one_prefix_query(db, tree):
    names = [u.name for u in db.session.scalars(services.subtree(tree["city_a"]))]
    assert sorted(names) == ["Phường A1", "Thành phố A", "Xã A2"]


def test_prefix_does_not_catch_siblings_with_longer_ids(db):
    root = make_unit("Gốc", UnitKind.PROVINCE)
    first = make_unit("Một", UnitKind.CITY, root)
    # Create units until one has an id that starts with the first one's digits.
    others = [make_unit(f"Khác {i}", UnitKind.CITY, root) for i in range(12)]
    lookalike = next((u for u in others if str(u.id).startswith(str(first.id))), None)
    inside = {u.id for u in db.session.scalars(services.subtree(first))}
    assert inside == {first.id}
    if lookalike:
        assert lookalike.id not in inside


def test_duplicate_code_refused(db, tree):
    with pytest.raises(DomainError) as error:
        services.create_unit(None, "Trùng", tree["ward_a1"].code.lower(), UnitKind.WARD, tree["city_a"])
    assert error.value.field == "code"


def test_moving_a_unit_moves_its_subtree(db, tree):
    city_a, city_b, ward = tree["city_a"], tree["city_b"], tree["ward_a1"]
    group = make_unit("Tổ dân phố 1", UnitKind.OTHER, ward)
    services.update_unit(None, ward, ward.name, ward.code, ward.kind, city_b)
    db.session.flush()
    db.session.expire_all()
    moved = db.session.get(Unit, ward.id)
    child = db.session.get(Unit, group.id)
    assert moved.path == f"{city_b.path}{moved.id}/"
    assert child.path == f"{moved.path}{child.id}/" and child.depth == 3
    assert not moved.is_within(city_a)
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "unit.updated")).one()
    assert "parent_id" in event.changes


def test_cannot_move_under_itself(db, tree):
    ward = tree["ward_a1"]
    child = make_unit("Con", UnitKind.OTHER, ward)
    with pytest.raises(DomainError):
        services.update_unit(None, ward, ward.name, ward.code, ward.kind, child)


def test_creation_is_audited(db, tree):
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "unit.created")).all()
    assert len(events) == 7 and {e.entity_type for e in events} == {"Unit"}
