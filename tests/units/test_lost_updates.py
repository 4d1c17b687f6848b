"""No lost update on units: a form from before someone else's save is refused."""
import pytest

from tests.editing import assert_conflict, hidden, open_form, session_of
from tracker.errors import ConflictError
from tracker.units import services
from tracker.units.models import Unit, UnitKind
from tracker.commit import rollback


def _form(unit, version, **overrides):
    data = {"version": version, "name": unit.name, "code": unit.code, "kind": unit.kind.value,
            "parent_id": unit.parent_id}
    return {**data, **overrides}


def test_a_unit_saved_from_a_stale_version_is_refused(users, tree):
    ward, city = tree["ward_a2"], tree["city_a"]
    opened = ward.version
    services.update_unit(users["admin"], ward, "Xã A2 mới", ward.code, UnitKind.COMMUNE, city, expected_version=opened)
    with pytest.raises(ConflictError):
        services.update_unit(users["admin"], ward, ward.name, "A2-KHAC", UnitKind.COMMUNE, city,
                             expected_version=opened)
    assert (ward.name, ward.version) == ("Xã A2 mới", opened + 1)


def test_a_stale_move_is_refused_and_a_move_above_leaves_the_subunits_forms_valid(users, tree, db):
    ward, city_a, city_b = tree["ward_a2"], tree["city_a"], tree["city_b"]
    opened = ward.version
    services.update_unit(users["admin"], ward, ward.name, ward.code, ward.kind, city_b, expected_version=opened)
    assert ward.path == f"{city_b.path}{ward.id}/" and ward.version == opened + 1
    with pytest.raises(ConflictError):
        services.update_unit(users["admin"], ward, ward.name, ward.code, ward.kind, city_a, expected_version=opened)
    rollback()
    # Moving a city rewrites its wards' paths, not what their forms show: their versions stay.
    ward_a1 = tree["ward_a1"]
    before = ward_a1.version
    services.update_unit(users["admin"], city_a, city_a.name, city_a.code, city_a.kind, city_b,
                         expected_version=city_a.version)
    db.session.expire_all()
    assert ward_a1.path.startswith(city_b.path) and ward_a1.version == before


def test_two_sessions_edit_the_same_unit(app, users, tree, db):
    ward = tree["ward_a2"]
    first, second = session_of(app, users["admin"]), session_of(app, users["admin"])
    url = f"/admin/units/{ward.id}/edit"
    mine, theirs = hidden(open_form(first, url)), hidden(open_form(second, url))
    assert first.post(url, data=_form(ward, mine, name="Xã A2 (đã đổi tên)")).status_code == 302
    response = second.post(url, data=_form(ward, theirs, name="Xã A2 khác", code="A2-KHAC"))
    assert_conflict(response, 'value="Xã A2 khác"', 'value="A2-KHAC"')
    db.session.expire_all()
    stored = db.session.get(Unit, ward.id)
    assert (stored.name, stored.code) == ("Xã A2 (đã đổi tên)", tree["ward_a2"].code)
