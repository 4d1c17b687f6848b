"""The permission matrix: role x whose record x action, on the predicates and on every route."""
import pytest

from tests.factories import make_plan, make_user, route_records
from tracker import permissions as p
from tracker.extensions import db
from tracker.users.models import Role
from tracker.commit import commit

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


@pytest.mark.parametrize("role,unit,expected", [
    (Role.ADMIN, "province", True),  # the root of the tree: the catalogue applies to all of it
    (Role.ADMIN, "city_a", False), (Role.ADMIN, "ward_a1", False),
    (Role.COMMITTEE, "province", False), (Role.LEADER, "province", False), (Role.WARD_OFFICER, "province", False),
])
def test_only_an_admin_of_the_root_manages_the_catalogue(tree, role, unit, expected):
    assert p.can_manage_catalogue(make_user(role, tree[unit])) is expected


def test_the_catalogue_link_shows_by_the_same_rule(client, login_as, users):
    login_as(users["admin_root"])
    assert 'href="/awards/catalogue/"' in client.get("/").get_data(as_text=True)
    login_as(users["admin"])
    page = client.get("/").get_data(as_text=True)
    assert 'href="/admin/units/"' in page and 'href="/awards/catalogue/"' not in page


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


_WORLD: dict = {}


@pytest.fixture
def world(app, db):
    """The tree, a user per role, and one record of each kind inside city A (the signed-in user's
    side) and one in city B: built through the services once, then put back from a snapshot of
    the database and the files before each route (every test still starts from the same data)."""
    from tests.factories import make_city_tree, role_users
    from tests.snapshot import Snapshot
    from tracker.users.models import User

    if not _WORLD:
        tree = make_city_tree()
        users = role_users(tree)
        commit()
        records = route_records(users, tree)
        commit()
        _WORLD.update(snapshot=Snapshot.take(db, app), users={k: u.id for k, u in users.items()}, records=records)
    else:
        _WORLD["snapshot"].restore(db)
    return {k: db.session.get(User, i) for k, i in _WORLD["users"].items()}, _WORLD["records"]


ALL = {"admin": 200, "committee": 200, "leader": 200, "officer": 200}
ALL_POST = {"admin": 302, "committee": 302, "leader": 302, "officer": 302}
NONE_404 = {"admin": 404, "committee": 404, "leader": 404, "officer": 404}
ADMIN_ONLY = {"admin": 200, "committee": 403, "leader": 403, "officer": 403}
# The award catalogue is national: the admin of the tree's root only, never a city's admin.
ROOT_ADMIN_ONLY = {"admin_root": 200, "admin": 403, "committee": 403, "leader": 403, "officer": 403}
COMMITTEE_ONLY = {"admin": 403, "committee": 200, "leader": 403, "officer": 403}
COMMITTEE_POST = {"admin": 403, "committee": 302, "leader": 403, "officer": 403}
LEADER_POST = {"admin": 403, "committee": 403, "leader": 302, "officer": 403}
PROPOSAL_JOB = {"admin": 302, "committee": 302, "leader": 302, "officer": 403}
PROPOSAL_READERS = {"admin": 200, "committee": 200, "leader": 200, "officer": 403}
OTHER_PROPOSAL = {"admin": 404, "committee": 404, "leader": 404, "officer": 403}
HISTORY_WRITERS = {"admin": 403, "committee": 200, "leader": 403, "officer": 200}
OFFICER_REDIRECT = {"admin": 403, "committee": 403, "leader": 403, "officer": 302}
OFFICER_ONLY = {"admin": 403, "committee": 403, "leader": 403, "officer": 200}
NEIGHBOUR_WARD = {"admin": 200, "committee": 200, "leader": 200, "officer": 404}  # ward A2's, seen from A1


# (method, url template, record key or None, expected status per role for own / other record;
# a row may add roles beyond ROLES, such as the root's admin)
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
    # progress reports (own_report: ward A1's, submitted, with own_file; other_report: ward B1's)
    ("GET", "/reports/", None, {"admin": 403, "committee": 200, "leader": 200, "officer": 403}),
    ("GET", "/reports/mine", None, {"admin": 403, "committee": 403, "leader": 403, "officer": 200}),
    ("GET", "/reports/obligations/{own_milestone}", None, OFFICER_REDIRECT),  # started: to the report
    ("GET", "/reports/obligations/{other_milestone}", None, NONE_404),
    ("POST", "/reports/obligations/{own_milestone}", None, OFFICER_REDIRECT),  # submitted: refused
    ("POST", "/reports/obligations/{other_milestone}", None, NONE_404),
    ("GET", "/reports/{own_report}", None, ALL),
    ("GET", "/reports/{other_report}", None, NONE_404),
    ("GET", "/reports/{own_report}/edit", None, OFFICER_REDIRECT),  # submitted: to the read-only page
    ("GET", "/reports/{other_report}/edit", None, NONE_404),
    ("POST", "/reports/{own_report}/edit", None, OFFICER_REDIRECT),
    ("POST", "/reports/{other_report}/edit", None, NONE_404),
    ("POST", "/reports/{own_report}/accept", None, COMMITTEE_POST),
    ("POST", "/reports/{other_report}/accept", None, NONE_404),
    ("POST", "/reports/{own_report}/return", None, COMMITTEE_ONLY),  # no comment: field error, 200
    ("POST", "/reports/{other_report}/return", None, NONE_404),
    ("POST", "/reports/{own_report}/reopen", None, COMMITTEE_POST),  # not accepted: refused
    ("POST", "/reports/{other_report}/reopen", None, NONE_404),
    ("GET", "/reports/{own_report}/versions/1", None, ALL),
    ("GET", "/reports/{other_report}/versions/1", None, NONE_404),
    ("GET", "/reports/{own_report}/files/{own_file}", None, ALL),
    ("GET", "/reports/{other_report}/files/{other_file}", None, NONE_404),
    ("GET", "/reports/{own_report}/files/{other_file}", None, NONE_404),  # a file of another report
    ("POST", "/reports/{own_report}/files/{own_file}/delete", None, OFFICER_REDIRECT),  # submitted: refused
    ("POST", "/reports/{other_report}/files/{other_file}/delete", None, NONE_404),
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
    # the campaign dashboard and its matrix export (filters outside the user's reach: 404)
    ("GET", "/dashboard/", None, PROPOSAL_READERS),
    ("GET", "/dashboard/?plan={own_plan}&unit={own_unit}&movement={own_movement}", None, PROPOSAL_READERS),
    ("GET", "/dashboard/?plan={other_plan}", None, OTHER_PROPOSAL),
    ("GET", "/dashboard/?unit={other_unit}", None, OTHER_PROPOSAL),
    ("GET", "/dashboard/?plan={own_plan}&movement={other_movement}", None, PROPOSAL_READERS),  # ignored
    ("GET", "/dashboard/matrix.xlsx", None, PROPOSAL_READERS),
    ("GET", "/dashboard/reward-money", None, PROPOSAL_READERS),
    ("GET", "/dashboard/matrix.xlsx?plan={own_plan}&unit={other_unit}", None, OTHER_PROPOSAL),
    # the user's own space
    ("GET", "/account", None, ALL),
    ("POST", "/account/tokens", None, ALL),  # empty form: field errors
    ("POST", "/account/tokens/999999/revoke", None, {"admin": 404, "committee": 404, "leader": 404, "officer": 404}),
    ("GET", "/admin/users/tokens", None, {"admin": 200, "committee": 403, "leader": 403, "officer": 403}),
    ("POST", "/admin/users/tokens/999999/revoke", None, {"admin": 404, "committee": 403, "leader": 403, "officer": 403}),
    ("POST", "/account/calendar-token", None, {"admin": 302, "committee": 302, "leader": 302, "officer": 302}),
    ("POST", "/account/password", None, ALL),  # empty form: field errors
    ("POST", "/account/sessions/end-others", None, {"admin": 302, "committee": 302, "leader": 302, "officer": 302}),
    # Someone else's (here: no one's) session is not found, whoever asks.
    ("POST", "/account/sessions/999999/end", None, {"admin": 404, "committee": 404, "leader": 404, "officer": 404}),
    ("GET", "/notifications/", None, ALL),
    ("POST", "/notifications/read", None, {"admin": 302, "committee": 302, "leader": 302, "officer": 302}),
    # someone else's notification: nothing happens to it (tests/notifications), the answer is the same
    ("POST", "/notifications/{other_notification}/read", None, {"admin": 302, "committee": 302, "leader": 302, "officer": 302}),
    # award proposals (own_proposal: city A's draft with own_item; other_proposal: city B's)
    ("GET", "/awards/proposals/", None, PROPOSAL_READERS),
    ("GET", "/awards/proposals/new", None, COMMITTEE_ONLY),
    ("POST", "/awards/proposals/new", None, COMMITTEE_ONLY),  # empty form: field errors
    ("GET", "/awards/proposals/{own_proposal}", None, PROPOSAL_READERS),
    ("GET", "/awards/proposals/{other_proposal}", None, OTHER_PROPOSAL),
    ("POST", "/awards/proposals/{own_proposal}/items", None, COMMITTEE_POST),
    ("POST", "/awards/proposals/{other_proposal}/items", None, OTHER_PROPOSAL),
    ("POST", "/awards/proposals/{own_proposal}/items/{own_item}/delete", None, COMMITTEE_POST),
    ("POST", "/awards/proposals/{own_proposal}/submit", None, COMMITTEE_POST),
    ("POST", "/awards/proposals/{other_proposal}/submit", None, OTHER_PROPOSAL),
    ("POST", "/awards/proposals/{own_proposal}/dossier", None,
     {"admin": 403, "committee": 200, "leader": 403, "officer": 403}),  # no file: the field's message
    ("POST", "/awards/proposals/{other_proposal}/dossier", None, OTHER_PROPOSAL),
    ("GET", "/proposals/{own_proposal}/files/999999", None, NONE_404),
    ("GET", "/proposals/{other_proposal}/files/999999", None, NONE_404),
    ("POST", "/proposals/{own_proposal}/files/999999/delete", None, NONE_404),
    ("GET", "/awards/bao-cao-thanh-tich-ca-nhan.docx", None, ALL),
    ("GET", "/awards/bao-cao-thanh-tich-tap-the.docx", None, ALL),
    ("GET", "/awards/bao-cao-thanh-tich-ca-nhan-theo-dot.docx", None, ALL),
    ("GET", "/awards/bao-cao-thanh-tich-tap-the-theo-dot.docx", None, ALL),
    ("POST", "/awards/proposals/{own_proposal}/post", None, COMMITTEE_POST),  # posted from today
    ("POST", "/awards/proposals/{other_proposal}/post", None, OTHER_PROPOSAL),
    ("POST", "/awards/proposals/{own_proposal}/objections/999999/resolve", None,
     {"admin": 403, "committee": 404, "leader": 403, "officer": 403}),
    ("POST", "/awards/proposals/{other_proposal}/objections/999999/resolve", None, OTHER_PROPOSAL),
    ("POST", "/awards/proposals/{own_proposal}/approve", None, LEADER_POST),  # a draft: refused, redirected
    ("POST", "/awards/proposals/{other_proposal}/approve", None, OTHER_PROPOSAL),
    ("POST", "/awards/proposals/{own_proposal}/reject", None, {"admin": 403, "committee": 403, "leader": 200, "officer": 403}),
    ("GET", "/awards/proposals/{own_proposal}/decision", None, COMMITTEE_ONLY),
    ("POST", "/awards/proposals/{own_proposal}/decision", None, COMMITTEE_ONLY),  # empty form: field errors
    ("GET", "/awards/proposals/{other_proposal}/decision", None, OTHER_PROPOSAL),
    ("POST", "/awards/proposals/{own_proposal}/to-trinh.docx", None, PROPOSAL_JOB),  # a job: to its page
    ("POST", "/awards/proposals/{other_proposal}/to-trinh.docx", None, OTHER_PROPOSAL),
    ("POST", "/awards/proposals/{own_proposal}/danh-sach.xlsx", None, PROPOSAL_JOB),
    ("POST", "/awards/proposals/{own_proposal}/quyet-dinh.docx", None, OTHER_PROPOSAL),  # no decision yet
    # candidate history (own_candidate: ward A1's)
    ("GET", "/awards/candidates/{own_candidate}", None, ALL),
    ("GET", "/awards/candidates/{other_candidate}", None, NONE_404),
    ("POST", "/awards/candidates/{own_candidate}/years", None, HISTORY_WRITERS),  # empty form: field errors
    ("POST", "/awards/candidates/{other_candidate}/years", None, NONE_404),
    ("POST", "/awards/candidates/{own_candidate}/awards", None, HISTORY_WRITERS),
    ("POST", "/awards/candidates/{other_candidate}/awards", None, NONE_404),
    ("GET", "/awards/history/template.xlsx", None, COMMITTEE_ONLY),
    ("GET", "/awards/history/import", None, COMMITTEE_ONLY),
    ("POST", "/awards/history/import", None, COMMITTEE_ONLY),  # no file: field error
    # the award catalogue
    ("GET", "/awards/catalogue/", None, ROOT_ADMIN_ONLY),
    ("GET", "/awards/catalogue/{award}", None, ROOT_ADMIN_ONLY),
    ("GET", "/admin/working-days/", None, ROOT_ADMIN_ONLY),
    ("GET", "/council/", None, {"admin": 200, "committee": 200, "leader": 200, "officer": 403}),
    ("POST", "/council/", None, {"admin": 200, "committee": 200, "leader": 403, "officer": 403}),  # empty: errors
    ("POST", "/council/members/999999/end", None, {"admin": 404, "committee": 404, "leader": 404, "officer": 404}),
    ("POST", "/council/meetings", None, {"admin": 200, "committee": 200, "leader": 403, "officer": 403}),  # errors
    ("GET", "/council/meetings/{own_meeting}", None, {"admin": 200, "committee": 200, "leader": 200, "officer": 404}),
    ("GET", "/council/meetings/{other_meeting}", None, NONE_404),
    ("POST", "/council/meetings/{own_meeting}/agenda", None,
     {"admin": 200, "committee": 200, "leader": 403, "officer": 404}),  # nothing chosen: errors
    ("POST", "/council/meetings/{other_meeting}/agenda", None, NONE_404),
    ("POST", "/council/meetings/{own_meeting}/attendance", None,
     {"admin": 302, "committee": 302, "leader": 403, "officer": 404}),
    ("POST", "/council/meetings/{other_meeting}/attendance", None, NONE_404),
    ("POST", "/council/meetings/{own_meeting}/items/999999/vote", None, NONE_404),
    ("POST", "/council/meetings/{own_meeting}/items/999999/remove", None, NONE_404),
    ("POST", "/council/meetings/{own_meeting}/bien-ban.docx", None,
     {"admin": 302, "committee": 302, "leader": 302, "officer": 404}),  # a job started
    ("POST", "/council/meetings/{other_meeting}/bien-ban.docx", None, NONE_404),
    # revocations (own_revocation: city A's, proposed; other_revocation: city B's)
    ("GET", "/awards/revocations/", None, {"admin": 200, "committee": 200, "leader": 200, "officer": 403}),
    ("GET", "/awards/revocations/{own_revocation}", None,
     {"admin": 200, "committee": 200, "leader": 200, "officer": 404}),
    ("GET", "/awards/revocations/{other_revocation}", None, NONE_404),
    ("GET", "/awards/revocations/new/{own_record}", None, {"admin": 403, "committee": 200, "leader": 403,
                                                          "officer": 403}),
    ("GET", "/awards/revocations/new/{other_record}", None, NONE_404),
    ("POST", "/awards/revocations/new/{own_record}", None,
     {"admin": 403, "committee": 200, "leader": 403, "officer": 403}),  # empty: errors
    ("POST", "/awards/revocations/{own_revocation}/decide", None,
     {"admin": 403, "committee": 403, "leader": 200, "officer": 404}),  # empty: errors
    ("POST", "/awards/revocations/{other_revocation}/decide", None, NONE_404),
    ("POST", "/awards/revocations/{own_revocation}/dismiss", None,
     {"admin": 403, "committee": 403, "leader": 200, "officer": 404}),  # empty: errors
    ("POST", "/awards/revocations/{own_revocation}/quyet-dinh-thu-hoi.docx", None,
     {"admin": 404, "committee": 404, "leader": 404, "officer": 404}),  # not decided yet
    ("POST", "/admin/working-days/", None, ROOT_ADMIN_ONLY),  # empty form: field errors
    ("POST", "/admin/working-days/999999/remove", None, {**ROOT_ADMIN_ONLY, "admin_root": 404}),
    # Giấy khen has no threshold: an empty form saves nothing and goes back to the list.
    ("POST", "/awards/catalogue/{award}", None, ROOT_ADMIN_ONLY),  # empty form: "enter the day" (200)
    # nominations (own_nomination: ward A1's, submitted, with own_nomination_file; other_nomination:
    # ward B1's; sibling_nomination: ward A2's, in the same city as A1)
    ("GET", "/nominations/", None, ALL),
    ("POST", "/nominations/export.xlsx", None, ALL_POST),  # a job started: to its page
    ("POST", "/nominations/export.csv", None, ALL_POST),
    ("GET", "/jobs/", None, ALL),
    ("POST", "/admin/units/recount", None, {**ROOT_ADMIN_ONLY, "admin_root": 302}),  # a job: to its page
    # an export job of ward A1's officer: theirs, and readable by the levels above in scope
    ("GET", "/jobs/{own_job}", None, ALL),
    ("GET", "/jobs/{own_job}/status.json", None, ALL),
    ("GET", "/jobs/{own_job}/download", None, ALL),
    ("GET", "/jobs/{other_job}", None, NONE_404),
    ("GET", "/jobs/{other_job}/status.json", None, NONE_404),
    ("GET", "/jobs/{other_job}/download", None, NONE_404),
    ("GET", "/nominations/new", None, OFFICER_ONLY),
    ("POST", "/nominations/new", None, OFFICER_ONLY),  # empty form: field errors
    ("GET", "/nominations/{own_nomination}", None, ALL),
    ("GET", "/nominations/{other_nomination}", None, NONE_404),
    ("GET", "/nominations/{sibling_nomination}", None, NEIGHBOUR_WARD),
    ("GET", "/nominations/{own_nomination}/edit", None, OFFICER_REDIRECT),  # submitted: to the read-only page
    ("GET", "/nominations/{other_nomination}/edit", None, NONE_404),
    ("GET", "/nominations/{sibling_nomination}/edit", None, {"admin": 403, "committee": 403, "leader": 403, "officer": 404}),
    ("POST", "/nominations/{own_nomination}/edit", None, OFFICER_REDIRECT),
    ("POST", "/nominations/{other_nomination}/edit", None, NONE_404),
    ("POST", "/nominations/{sibling_nomination}/edit", None, {"admin": 403, "committee": 403, "leader": 403, "officer": 404}),
    ("POST", "/nominations/{own_nomination}/submit", None, OFFICER_REDIRECT),  # submitted already: refused
    ("POST", "/nominations/{other_nomination}/submit", None, NONE_404),
    ("POST", "/nominations/{own_nomination}/withdraw", None, OFFICER_REDIRECT),
    ("POST", "/nominations/{other_nomination}/withdraw", None, NONE_404),
    ("POST", "/nominations/{sibling_nomination}/withdraw", None, {"admin": 403, "committee": 403, "leader": 403, "officer": 404}),
    ("POST", "/nominations/{own_nomination}/accept", None, COMMITTEE_POST),
    ("POST", "/nominations/{other_nomination}/accept", None, NONE_404),
    ("POST", "/nominations/{own_nomination}/return", None, COMMITTEE_ONLY),  # no comment: field error, 200
    ("POST", "/nominations/{other_nomination}/return", None, NONE_404),
    ("POST", "/nominations/{own_nomination}/reject", None, COMMITTEE_ONLY),  # no reason: field error, 200
    ("POST", "/nominations/{other_nomination}/reject", None, NONE_404),
    ("POST", "/nominations/bulk/accept", None, COMMITTEE_POST),  # nothing chosen: a message
    ("POST", "/nominations/bulk/return", None, COMMITTEE_POST),
    ("GET", "/nominations/{own_nomination}/files/{own_nomination_file}", None, ALL),
    ("GET", "/nominations/{other_nomination}/files/{other_nomination_file}", None, NONE_404),
    ("GET", "/nominations/{own_nomination}/files/{other_nomination_file}", None, NONE_404),  # another's file
    ("POST", "/nominations/{own_nomination}/files/{own_nomination_file}/delete", None, OFFICER_REDIRECT),  # submitted
    ("POST", "/nominations/{other_nomination}/files/{other_nomination_file}/delete", None, NONE_404),
    ("GET", "/nominations/import", None, OFFICER_ONLY),
    ("POST", "/nominations/import", None, OFFICER_ONLY),  # no file: field error
    ("GET", "/nominations/import/template", None, OFFICER_ONLY),
]


@pytest.mark.parametrize("method,url,_key,expected", ROUTES, ids=[f"{r[0]} {r[1]}" for r in ROUTES])
def test_route_matrix(client, login_as, world, method, url, _key, expected):
    """Each role against one route (the same records before every route). The roles that are
    refused go first, so a role allowed to change something changes it last."""
    users, records = world
    target = url.format(**records)
    failures = []
    assert set(ROLES) <= set(expected), expected
    for role in sorted(expected, key=lambda r: -expected[r]):
        login_as(users[role])
        response = client.open(target, method=method)
        if response.status_code != expected[role]:
            failures.append(f"{role}: {response.status_code} != {expected[role]}")
        if expected[role] == 404:
            # Nothing of the other unit's record leaks into the page.
            html = response.get_data(as_text=True)
            if "Thành phố B" in html or "Phường B1" in html or "officer_b1" in html:
                failures.append(f"{role}: city B leaks into the 404 page")
    assert not failures, failures


PROTECTED = [r for r in ROUTES if r[1] != "/healthz"]


@pytest.mark.parametrize("method,url,_key,_expected", PROTECTED, ids=[f"{r[0]} {r[1]}" for r in PROTECTED])
def test_anonymous_is_sent_to_login(client, world, method, url, _key, _expected):
    _users, records = world
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
    # The honour roll is public by design (tests/awards/test_views.py checks what it never shows),
    # and so are the lists posted for objections (tests/awards/test_posting.py).
    # The JSON API answers with tokens and problem details, not sign-in redirects: its own matrix
    # (tests/api/test_scope.py) reads every operation off the OpenAPI document.
    exempt = ("/static/", "/login", "/logout", "/language/", "/calendar/", "/honour-roll/", "/cong-khai/", "/api/v1/")
    missing = []
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith(exempt):
            continue
        options = re.search(r"<any\(([^)]*)\):\w+>", rule.rule)
        variants = ([rule.rule.replace(options.group(0), o.strip().strip("\"'")) for o in options.group(1).split(",")]
                    if options else [rule.rule])
        for variant in variants:
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                if (method, shape(variant)) not in covered:
                    missing.append(f"{method} {variant}")
    assert not missing, missing
