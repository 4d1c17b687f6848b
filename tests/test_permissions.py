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
    """One record of each kind inside city A (the signed-in user's side) and one in city B."""
    from tests.factories import make_milestone
    from tracker.notifications.services import notify
    from tracker.plans.services import add_movement

    own_plan, other_plan = make_plan(tree["city_a"]), make_plan(tree["city_b"])
    own_milestone, other_milestone = make_milestone(own_plan), make_milestone(other_plan)
    own_movement = add_movement(None, own_plan, "Phong trào A")
    other_movement = add_movement(None, other_plan, "Phong trào B")
    notification = notify(users["officer_b"], "Thông báo B")
    db.session.commit()
    return {
        "own_plan": own_plan.id, "other_plan": other_plan.id,
        "own_milestone": own_milestone.id, "other_milestone": other_milestone.id,
        "own_movement": own_movement.id, "other_movement": other_movement.id,
        "own_unit": tree["ward_a1"].id, "other_unit": tree["ward_b1"].id,
        "own_user": users["officer"].id, "other_user": users["officer_b"].id,
        "other_notification": notification.id,
    }


ALL = {"admin": 200, "committee": 200, "leader": 200, "officer": 200}
NONE_404 = {"admin": 404, "committee": 404, "leader": 404, "officer": 404}
ADMIN_ONLY = {"admin": 200, "committee": 403, "leader": 403, "officer": 403}
COMMITTEE_ONLY = {"admin": 403, "committee": 200, "leader": 403, "officer": 403}
COMMITTEE_POST = {"admin": 403, "committee": 302, "leader": 403, "officer": 403}


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
    ("POST", "/admin/units/new", None, ADMIN_ONLY),  # empty form: field errors
    ("POST", "/admin/units/{own_unit}/edit", None, ADMIN_ONLY),
    ("POST", "/admin/units/{other_unit}/edit", None, {"admin": 404, "committee": 403, "leader": 403, "officer": 403}),
    ("POST", "/admin/users/new", None, ADMIN_ONLY),
    ("POST", "/admin/users/{own_user}/edit", None, ADMIN_ONLY),
    ("POST", "/admin/users/{other_user}/edit", None, {"admin": 404, "committee": 403, "leader": 403, "officer": 403}),
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
    # planning
    ("GET", "/plans/new", None, COMMITTEE_ONLY),
    ("POST", "/plans/new", None, COMMITTEE_ONLY),  # empty form: field errors, 200
    ("GET", "/plans/{own_plan}/edit", None, COMMITTEE_ONLY),
    ("GET", "/plans/{other_plan}/edit", None, NONE_404),
    ("POST", "/plans/{own_plan}/activate", None, COMMITTEE_POST),
    ("POST", "/plans/{other_plan}/close", None, NONE_404),
    ("POST", "/plans/{own_plan}/close", None, COMMITTEE_POST),
    # An empty POST to an edit form keeps the record's values: saved unchanged, redirected.
    ("POST", "/plans/{own_plan}/edit", None, COMMITTEE_POST),
    ("POST", "/plans/{own_plan}/movements/new", None, COMMITTEE_ONLY),  # empty form: field errors
    ("POST", "/plans/{own_plan}/movements/{own_movement}/edit", None, COMMITTEE_POST),
    ("POST", "/plans/{own_plan}/milestones/new", None, COMMITTEE_ONLY),
    ("POST", "/plans/{own_plan}/milestones/{own_milestone}/edit", None, COMMITTEE_POST),
    ("POST", "/plans/{other_plan}/milestones/{other_milestone}/edit", None, NONE_404),
    ("GET", "/plans/{own_plan}/movements/new", None, COMMITTEE_ONLY),
    ("GET", "/plans/{other_plan}/movements/new", None, NONE_404),
    ("GET", "/plans/{own_plan}/movements/{own_movement}/edit", None, COMMITTEE_ONLY),
    ("GET", "/plans/{other_plan}/movements/{other_movement}/edit", None, NONE_404),
    ("POST", "/plans/{own_plan}/movements/{own_movement}/delete", None, COMMITTEE_POST),
    ("POST", "/plans/{other_plan}/movements/{other_movement}/delete", None, NONE_404),
    ("GET", "/plans/{own_plan}/milestones/new", None, COMMITTEE_ONLY),
    ("GET", "/plans/{own_plan}/milestones/{own_milestone}/edit", None, COMMITTEE_ONLY),
    ("GET", "/plans/{other_plan}/milestones/{other_milestone}/edit", None, NONE_404),
    ("POST", "/plans/{own_plan}/milestones/{own_milestone}/delete", None, COMMITTEE_POST),
    ("POST", "/plans/{other_plan}/milestones/{other_milestone}/delete", None, NONE_404),
    # deadlines
    ("GET", "/deadlines/", None, {"admin": 200, "committee": 200, "leader": 200, "officer": 403}),
    ("GET", "/deadlines/{own_milestone}/units/{own_unit}", None, ALL),
    ("GET", "/deadlines/{other_milestone}/units/{other_unit}", None, NONE_404),
    ("GET", "/deadlines/{own_milestone}/units/{other_unit}", None, NONE_404),
    # the user's own space
    ("GET", "/account", None, ALL),
    ("POST", "/account/calendar-token", None, {"admin": 302, "committee": 302, "leader": 302, "officer": 302}),
    ("GET", "/notifications/", None, ALL),
    ("POST", "/notifications/read", None, {"admin": 302, "committee": 302, "leader": 302, "officer": 302}),
    # someone else's notification: nothing happens to it (tests/notifications), the answer is the same
    ("POST", "/notifications/{other_notification}/read", None, {"admin": 302, "committee": 302, "leader": 302, "officer": 302}),
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
    """Every (method, route) must have a row in ROUTES: a new route cannot skip the matrix."""
    import re

    def shape(url):
        return re.sub(r"\{[^}]+\}|\d+|<[^>]+>", "<>", url)

    covered = {(method, shape(url)) for method, url, _k, _e in ROUTES}
    # Sign-in, sign-out and the language switch have their own tests (tests/auth); the calendar
    # feed is opened by its secret token, not a session (tests/deadlines/test_calendar.py).
    exempt = ("/static/", "/login", "/logout", "/language/", "/calendar/")
    missing = []
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith(exempt):
            continue
        options = re.search(r"<any\(([^)]*)\):\w+>", rule.rule)
        variants = ([rule.rule.replace(options.group(0), o.strip()) for o in options.group(1).split(",")]
                    if options else [rule.rule])
        for variant in variants:
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                if (method, shape(variant)) not in covered:
                    missing.append(f"{method} {variant}")
    assert not missing, missing
