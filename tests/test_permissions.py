"""The permission matrix: role x whose record x action, on the predicates and on every route."""
import pytest

from tests.factories import make_plan
from tracker import permissions as p
from tracker.extensions import db
from tracker.users.models import Role

ROLES = ["admin", "committee", "leader", "officer"]


# --- pure predicates ---------------------------------------------------------------------


def test_anonymous_user_is_safe_everywhere(tree):
    from flask_login import AnonymousUserMixin

    anonymous = AnonymousUserMixin()
    for name, predicate in p.TEMPLATE_PREDICATES.items():
        if predicate.__code__.co_argcount == 1:
            assert predicate(anonymous) is False, name
    assert p.in_scope(anonymous, tree["ward_a1"]) is False
    assert db.session.scalars(p.visible_unit_ids(anonymous)).all() == []


def test_scope_is_the_subtree(users, tree):
    visible = set(db.session.scalars(p.visible_unit_ids(users["committee"])))
    assert visible == {tree["city_a"].id, tree["ward_a1"].id, tree["ward_a2"].id}
    assert set(db.session.scalars(p.visible_unit_ids(users["officer"]))) == {tree["ward_a1"].id}


@pytest.mark.parametrize("role,unit,expected", [
    ("committee", "ward_a1", True), ("committee", "city_a", True), ("committee", "ward_b1", False),
    ("committee", "province", False), ("officer", "ward_a1", True), ("officer", "ward_a2", False),
    ("officer", "city_a", False), ("leader", "ward_a2", True), ("leader", "city_b", False),
])
def test_in_scope(users, tree, role, unit, expected):
    assert p.in_scope(users[role], tree[unit]) is expected


@pytest.mark.parametrize("role,expected", [("admin", True), ("committee", False), ("leader", False), ("officer", False)])
def test_only_admins_administer(users, role, expected):
    user = users[role]
    assert p.can_manage_units(user) is expected
    assert p.can_manage_users(user) is expected
    assert p.can_view_audit(user) is expected


@pytest.mark.parametrize("target,expected", [("officer", True), ("committee", True), ("admin", False), ("officer_b", False)])
def test_admin_edits_users_of_the_subtree_but_not_self(users, target, expected):
    assert p.can_edit_user(users["admin"], users[target]) is expected


@pytest.mark.parametrize("unit,expected", [("ward_a1", True), ("city_a", False), ("ward_b1", False), ("province", False)])
def test_admin_edits_units_below_own_unit(users, tree, unit, expected):
    assert p.can_edit_unit(users["admin"], tree[unit]) is expected


@pytest.mark.parametrize("role,plan_unit,expected", [
    ("officer", "city_a", True),  # the city's plan applies to its wards
    ("officer", "city_b", False),
    ("officer", "ward_a2", False),  # a neighbour ward's own plan
    ("leader", "city_a", True), ("leader", "ward_a1", True), ("leader", "city_b", False),
    ("committee", "province", True),  # a plan of the level above
])
def test_plan_visibility(users, tree, role, plan_unit, expected):
    plan = make_plan(tree[plan_unit])
    assert p.can_view_plan(users[role], plan) is expected


# --- routes ------------------------------------------------------------------------------


@pytest.fixture
def records(users, tree):
    own_plan = make_plan(tree["city_a"])
    other_plan = make_plan(tree["city_b"])
    db.session.commit()
    return {
        "own_plan": own_plan.id, "other_plan": other_plan.id,
        "own_unit": tree["ward_a1"].id, "other_unit": tree["ward_b1"].id,
        "own_user": users["officer"].id, "other_user": users["officer_b"].id,
    }


# (method, url template, record key or None, expected status per role for own / other record)
ROUTES = [
    ("GET", "/", None, {"admin": 200, "committee": 200, "leader": 200, "officer": 200}),
    ("GET", "/plans/", None, {"admin": 200, "committee": 200, "leader": 200, "officer": 200}),
    ("GET", "/plans/{own_plan}", None, {"admin": 200, "committee": 200, "leader": 200, "officer": 200}),
    ("GET", "/plans/{other_plan}", None, {"admin": 404, "committee": 404, "leader": 404, "officer": 404}),
    ("GET", "/plans/999999", None, {"admin": 404, "committee": 404, "leader": 404, "officer": 404}),
    ("GET", "/admin/units/", None, {"admin": 200, "committee": 403, "leader": 403, "officer": 403}),
    ("GET", "/admin/units/new", None, {"admin": 200, "committee": 403, "leader": 403, "officer": 403}),
    ("GET", "/admin/units/{own_unit}/edit", None, {"admin": 200, "committee": 403, "leader": 403, "officer": 403}),
    ("GET", "/admin/units/{other_unit}/edit", None, {"admin": 404, "committee": 403, "leader": 403, "officer": 403}),
    ("GET", "/admin/users/", None, {"admin": 200, "committee": 403, "leader": 403, "officer": 403}),
    ("GET", "/admin/users/new", None, {"admin": 200, "committee": 403, "leader": 403, "officer": 403}),
    ("GET", "/admin/users/{own_user}/edit", None, {"admin": 200, "committee": 403, "leader": 403, "officer": 403}),
    ("GET", "/admin/users/{other_user}/edit", None, {"admin": 404, "committee": 403, "leader": 403, "officer": 403}),
    ("POST", "/admin/users/{own_user}/deactivate", None, {"admin": 302, "committee": 403, "leader": 403, "officer": 403}),
    ("POST", "/admin/users/{other_user}/deactivate", None, {"admin": 404, "committee": 403, "leader": 403, "officer": 403}),
    ("POST", "/admin/users/{own_user}/activate", None, {"admin": 302, "committee": 403, "leader": 403, "officer": 403}),
    ("POST", "/admin/users/{other_user}/activate", None, {"admin": 404, "committee": 403, "leader": 403, "officer": 403}),
    ("POST", "/admin/users/{own_user}/password", None, {"admin": 200, "committee": 403, "leader": 403, "officer": 403}),
    ("POST", "/admin/users/{other_user}/password", None, {"admin": 404, "committee": 403, "leader": 403, "officer": 403}),
    ("GET", "/audit/", None, {"admin": 200, "committee": 403, "leader": 403, "officer": 403}),
    ("GET", "/healthz", None, {"admin": 200, "committee": 200, "leader": 200, "officer": 200}),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("method,url,_key,expected", ROUTES, ids=[f"{r[0]} {r[1]}" for r in ROUTES])
def test_route_matrix(client, login_as, users, records, role, method, url, _key, expected):
    login_as(users[role])
    response = client.open(url.format(**records), method=method)
    assert response.status_code == expected[role]
    if expected[role] == 404:
        # Nothing of the other unit's record leaks into the page.
        html = response.get_data(as_text=True)
        assert "Thành phố B" not in html and "Phường B1" not in html and "officer_b1" not in html


PROTECTED = [r for r in ROUTES if r[1] != "/healthz"]


@pytest.mark.parametrize("method,url,_key,_expected", PROTECTED, ids=[f"{r[0]} {r[1]}" for r in PROTECTED])
def test_anonymous_is_sent_to_login(client, records, method, url, _key, _expected):
    response = client.open(url.format(**records), method=method)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_every_route_is_in_the_matrix(app):
    """A new route must be added to ROUTES (and so to the matrix) to keep this test green."""
    covered = {url.split("{")[0].rstrip("/") for _m, url, _k, _e in ROUTES}
    exempt = {"/static", "/login", "/logout", "/language"}
    for rule in app.url_map.iter_rules():
        path = rule.rule.split("<")[0].rstrip("/")
        if any(path.startswith(e) for e in exempt):
            continue
        assert any(c == path or c.startswith(path) for c in covered), rule.rule
