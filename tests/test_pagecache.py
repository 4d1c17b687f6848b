"""The rendered-page cache: a page is never older than the data, each session gets its own
CSRF token, each user their own page, and a repeated view skips the queries."""
import re
import time

import pytest

from tests.factories import make_nomination, make_plan
from tests.sql import statements
from tests.conftest import another_server, sign_in_cookie
from tracker import pagecache
from tracker.nominations.models import Nomination
from tracker.plans.services import add_movement
from tracker.units.services import update_unit
from tracker.commit import commit, rollback


@pytest.fixture
def plan(tree, db):
    plan = make_plan(tree["city_a"], number="156/KH-UBND")
    add_movement(None, plan, "Cán bộ, công chức, viên chức thi đua thực hiện văn hóa công sở")
    commit()
    return plan


def _names(html: str) -> list[str]:
    return re.findall(r'data-testid="nomination-link">([^<]+)<', html)


def _versions(db) -> dict:
    from tracker.pagecache.models import PageVersion

    db.session.expire_all()
    return {v.scope: v.value for v in db.session.scalars(db.select(PageVersion))}


def test_a_change_moves_on_the_scopes_of_its_plan_at_its_ward_and_above_only(users, plan, tree, db):
    start = _versions(db)
    make_nomination(users["officer"], plan, name="Người thứ nhất")
    commit()
    moved = {scope for scope, value in _versions(db).items() if value != start.get(scope, 0)}
    ward, city, province = tree["ward_a1"].id, tree["city_a"].id, tree["province"].id
    assert moved == {f"plan:{plan.id}:{ward}", f"plan:{plan.id}:{city}", f"plan:{plan.id}:{province}",
                     f"all:{ward}", f"all:{city}", f"all:{province}"}


def test_a_commit_that_changed_nothing_or_rolled_back_moves_nothing(users, plan, db):
    from tracker.notifications import services as notices

    start = _versions(db)
    commit()
    assert notices.mark_read(users["officer"]) == 0  # no notification to mark: nothing shown changes
    commit()
    make_nomination(users["officer"], plan, name="Người bị huỷ")
    rollback()
    commit()
    assert _versions(db) == start


def test_a_write_in_one_city_leaves_the_other_citys_pages_kept(client, login_as, users, plan, other_plan_b,
                                                             tree, db, monkeypatch):
    renders = _renders(monkeypatch)
    login_as(users["committee_b"])
    board_b = f"/dashboard/?plan={other_plan_b.id}&unit={tree['city_b'].id}"
    queue_b = "/nominations/"
    client.get(board_b), client.get(queue_b)
    login_as(users["committee"])
    board_a = f"/dashboard/?plan={plan.id}&unit={tree['city_a'].id}"
    client.get(board_a)
    assert len(renders) == 3
    make_nomination(users["officer"], plan, name="Người thành phố A", status="submitted")  # ward A1
    commit()
    client.get(board_a)
    assert len(renders) == 4  # city A's dashboard shows the new nomination
    login_as(users["committee_b"])
    client.get(board_b), client.get(queue_b)
    assert len(renders) == 4  # city B's pages were kept


def test_pages_are_never_older_than_the_data(client, login_as, users, plan, db):
    make_nomination(users["officer"], plan, name="Người thứ nhất", status="submitted")
    commit()
    login_as(users["committee"])
    assert _names(client.get("/nominations/?status=pending").get_data(as_text=True)) == ["Người thứ nhất"]
    with statements(db) as again:
        assert _names(client.get("/nominations/?status=pending").get_data(as_text=True)) == ["Người thứ nhất"]
    make_nomination(users["officer_a2"], plan, name="Người thứ hai", status="submitted")
    commit()
    assert _names(client.get("/nominations/?status=pending").get_data(as_text=True)) == [
        "Người thứ hai", "Người thứ nhất"]
    # The repeated view read the session, the user, what permitting the filters needs (the
    # user's plans and units) and the data version: nothing of the list itself.
    assert not any("nominations" in sql for sql in again), again
    assert any("page_versions" in sql for sql in again) and len(again) <= 6, again


def test_each_user_sees_their_own_page(client, login_as, users, plan, other_plan_b, db):
    make_nomination(users["officer"], plan, name="Người thành phố A", status="submitted")
    make_nomination(users["officer_b"], other_plan_b, name="Người thành phố B", status="submitted")
    commit()
    login_as(users["committee"])
    assert _names(client.get("/nominations/").get_data(as_text=True)) == ["Người thành phố A"]
    login_as(users["committee_b"])
    assert _names(client.get("/nominations/").get_data(as_text=True)) == ["Người thành phố B"]
    login_as(users["committee"])
    assert _names(client.get("/nominations/").get_data(as_text=True)) == ["Người thành phố A"]


@pytest.fixture
def other_plan_b(tree, db):
    plan = make_plan(tree["city_b"], number="99/KH-UBND")
    add_movement(None, plan, "Phong trào thành phố B")
    commit()
    return plan


def test_each_session_gets_its_own_csrf_token(app, users, plan, db, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    nomination = make_nomination(users["officer"], plan, name="Người chờ duyệt", status="submitted")
    commit()
    tokens = []
    for _ in range(2):  # two browsers of the same committee member: the second page comes from the cache
        browser = app.test_client()
        sign_in_cookie(browser, users["committee"])
        html = browser.get("/nominations/?status=pending").get_data(as_text=True)
        assert pagecache.CSRF_PLACEHOLDER not in html
        token = re.search(r'<form method="post" action="/nominations/bulk/accept".*?name="csrf_token" '
                          r'type="hidden" value="([^"]+)"', html, re.S).group(1)
        tokens.append((browser, token))
    assert tokens[0][1] != tokens[1][1]
    browser, token = tokens[1]
    response = browser.post("/nominations/bulk/accept", data={"csrf_token": token, "ids": [nomination.id],
                                                              "back": "/nominations/"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Nomination, nomination.id).status.value == "accepted"


def test_the_cache_can_be_turned_off(client, login_as, users, plan, db, app, monkeypatch):
    monkeypatch.setitem(app.config, "PAGE_CACHE_MB", 0)
    login_as(users["committee"])
    client.get("/nominations/")
    with statements(db) as again:
        client.get("/nominations/")
    assert len(again) > 2


def test_each_address_has_its_own_page(client, login_as, users, plan, other_plan_b, db):
    first = make_nomination(users["officer"], plan, name="Người thứ nhất", status="submitted")
    second = make_nomination(users["officer_a2"], plan, name="Người thứ hai", status="submitted")
    outside = make_nomination(users["officer_b"], other_plan_b, name="Người thành phố B", status="submitted")
    commit()
    login_as(users["committee"])
    assert "Người thứ nhất" in client.get(f"/nominations/{first.id}").get_data(as_text=True)
    assert "Người thứ hai" in client.get(f"/nominations/{second.id}").get_data(as_text=True)
    assert client.get(f"/nominations/{outside.id}").status_code == 404  # still checked, cache or not
    anonymous = client.application.test_client()
    plan.status = plan.status.__class__("active")
    commit()
    assert anonymous.get(f"/honour-roll/{plan.id}").status_code == 200
    assert anonymous.get(f"/honour-roll/{plan.id + 1000}").status_code == 404


def test_typed_text_never_becomes_a_token(app, client, login_as, users, plan, monkeypatch):
    """The placeholder is a secret of the process: text that looks like one stays as typed."""
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    login_as(users["committee"])
    typed = "csrf-placeholder-" + "0" * 32
    assert typed != pagecache.CSRF_PLACEHOLDER
    client.get(f"/nominations/?q={typed}")
    html = client.get(f"/nominations/?q={typed}").get_data(as_text=True)  # from the cache
    assert pagecache.CSRF_PLACEHOLDER not in html
    assert re.search(r'<input[^>]*name="q"[^>]*value="' + typed + '"', html)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    assert html.count(token) == html.count('name="csrf_token"')  # only in the forms' token fields


def test_signing_in_leaves_the_pages_of_others_in_place(app, users, plan, db):
    from tests.factories import PASSWORD
    from tracker.users.services import update_user

    start = _versions(db)
    browser = app.test_client()
    assert browser.post("/login", data={"username": "officer_a1", "password": "wrong"}).status_code == 200
    assert browser.post("/login", data={"username": "officer_a1", "password": PASSWORD}).status_code == 302
    assert _versions(db) == start
    officer = users["officer"]
    assert officer.last_login_at is not None  # signed in, only the bookkeeping changed
    update_user(users["admin"], officer, "Tên mới", officer.email, officer.role, officer.unit)  # a name is shown
    commit()
    assert _versions(db)["tree"] > start.get("tree", 0)


@pytest.mark.parametrize("url", ["/nominations/{other}", "/nominations/?plan={other_plan}",
                                 "/dashboard/?unit={city_b}", "/deadlines/?unit={city_b}&plan={plan}",
                                 "/honour-roll/{draft_plan}"])
def test_the_user_is_permitted_before_any_cached_body_is_looked_up(client, login_as, users, plan, tree, db,
                                                                   monkeypatch, url):
    """Even a cache answering every key with a body never serves a record outside the user's
    scope: the view loads and permits first (404), then looks the body up."""
    from tracker.plans.models import PlanStatus

    other_plan = make_plan(tree["city_b"])
    add_movement(None, other_plan, "Phong trào thành phố B")
    other = make_nomination(users["officer_b"], other_plan, name="Người thành phố B", status="submitted")
    draft_plan = make_plan(tree["city_a"], status=PlanStatus.DRAFT)
    commit()
    monkeypatch.setattr(pagecache._store, "get", lambda key: "<p>A BODY FROM THE CACHE</p>")
    login_as(users["committee"])
    response = client.get(url.format(other=other.id, other_plan=other_plan.id, city_b=tree["city_b"].id,
                                     plan=plan.id, draft_plan=draft_plan.id))
    assert response.status_code == 404
    assert "A BODY FROM THE CACHE" not in response.get_data(as_text=True)


# --- one store for every server ------------------------------------------------------------

def _renders(monkeypatch) -> list:
    calls = []
    real = pagecache._render

    def counted(template, context):
        calls.append(template)
        return real(template, context)

    monkeypatch.setattr(pagecache, "_render", counted)
    return calls


def test_two_servers_share_the_rendered_pages_through_redis(app, plan, db, monkeypatch):
    """A page rendered by one server is served by the other from Redis, and a change made
    through either is seen on the next view through the other."""
    import uuid

    from tests.auth.test_throttling import REDIS_URL, _redis_is_up

    if not _redis_is_up():
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    prefix = f"tracker-test-page-{uuid.uuid4().hex}:"
    settings = {"REDIS_URL": REDIS_URL, "PAGE_CACHE_PREFIX": prefix}
    renders = _renders(monkeypatch)
    with another_server(app, **settings) as one, another_server(app, **settings) as two:
        try:
            first, second = one.test_client(), two.test_client()
            page = f"/honour-roll/{plan.id}"
            assert first.get(page).status_code == 200
            assert second.get(page).status_code == 200
            assert renders == ["honours/plan.html"]  # rendered once, for both servers
            from tracker.plans.services import update_plan

            update_plan(None, plan, title="Kế hoạch đổi tên")
            commit()
            body = second.get(page).get_data(as_text=True)
            assert "Kế hoạch đổi tên" in body and len(renders) == 2
            assert "Kế hoạch đổi tên" in first.get(page).get_data(as_text=True) and len(renders) == 2
        finally:
            with one.app_context():
                pagecache.clear()  # this test's prefix only


def test_an_unreachable_redis_renders_from_the_database(app, plan, db, monkeypatch):
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    renders = _renders(monkeypatch)
    with another_server(app, REDIS_URL=f"redis://127.0.0.1:{port}/0") as server:
        client = server.test_client()
        for _ in range(2):
            response = client.get(f"/honour-roll/{plan.id}")
            assert response.status_code == 200 and plan.number in response.get_data(as_text=True)
        assert len(renders) == 2  # nothing kept, nothing refused


# --- a bounded age -------------------------------------------------------------------------------

def test_a_page_may_be_older_than_the_data_within_the_bound_and_says_so(client, login_as, users, plan, tree,
                                                                       app, db, monkeypatch):
    """With PAGE_STALE_SECONDS a reader may get the page as it was a moment ago while others
    write, with the moment its figures were read; past the bound it is rendered again."""
    from datetime import timedelta

    from tracker import clock

    monkeypatch.setitem(app.config, "PAGE_STALE_SECONDS", 30)
    renders = _renders(monkeypatch)
    start = clock.utcnow_real()
    monkeypatch.setattr(clock, "utcnow_real", lambda: start)
    login_as(users["committee"])
    queue = f"/nominations/?plan={plan.id}"
    first = client.get(queue).get_data(as_text=True)
    assert "Số liệu lúc" in first and _names(first) == []
    make_nomination(users["officer"], plan, name="Người mới nộp", status="submitted")  # someone else writes
    commit()
    monkeypatch.setattr(clock, "utcnow_real", lambda: start + timedelta(seconds=10))
    assert _names(client.get(queue).get_data(as_text=True)) == [] and len(renders) == 1  # within the bound
    monkeypatch.setattr(clock, "utcnow_real", lambda: start + timedelta(seconds=31))
    assert _names(client.get(queue).get_data(as_text=True)) == ["Người mới nộp"] and len(renders) == 2


def test_whoever_changed_something_never_gets_an_older_page(client, login_as, users, plan, app, db, monkeypatch):
    monkeypatch.setitem(app.config, "PAGE_STALE_SECONDS", 300)
    nomination = make_nomination(users["officer"], plan, name="Người chờ duyệt", status="submitted")
    commit()
    login_as(users["committee"])
    queue = f"/nominations/?plan={plan.id}&status=accepted"
    assert _names(client.get(queue).get_data(as_text=True)) == []
    version = nomination.version
    response = client.post(f"/nominations/{nomination.id}/accept", data={"version": version})
    assert response.status_code == 302
    for _ in range(2):  # with the confirmation message, then without
        assert _names(client.get(queue).get_data(as_text=True)) == ["Người chờ duyệt"]  # their change shows


# --- the tree each process holds, and what a kept page reads ---------------------------------

def test_a_unit_moved_to_another_city_leaves_the_old_citys_scope_at_once(client, login_as, users, plan, tree,
                                                                         app, monkeypatch):
    """The gates permit on the tree each process holds (tracker.pagecache.tree); a move moves the
    tree's version on, so the old city's very next request finds the ward outside its scope,
    whatever age PAGE_STALE_SECONDS allows a body."""
    from tracker.units.services import update_unit

    monkeypatch.setitem(app.config, "PAGE_STALE_SECONDS", 300)
    ward = tree["ward_a2"]
    pages = [f"/dashboard/?plan={plan.id}&unit={ward.id}", f"/nominations/?unit={ward.id}",
             f"/deadlines/?plan={plan.id}&unit={ward.id}"]
    login_as(users["committee"])
    assert [client.get(page).status_code for page in pages] == [200, 200, 200]
    update_unit(users["admin_root"], ward, ward.name, ward.code, ward.kind, tree["city_b"])
    commit()
    assert [client.get(page).status_code for page in pages] == [404, 404, 404]
    login_as(users["committee_b"])
    assert client.get(f"/nominations/?unit={ward.id}").status_code == 200  # now city B's


def test_a_plan_made_after_the_tree_was_read_is_found(client, login_as, users, plan, tree):
    login_as(users["committee"])
    assert client.get(f"/dashboard/?plan={plan.id}").status_code == 200  # the tree is held
    newer = make_plan(tree["city_a"], number="200/KH-UBND")
    commit()
    response = client.get(f"/dashboard/?plan={newer.id}")
    assert response.status_code == 200 and "200/KH-UBND" in response.get_data(as_text=True)


def test_within_the_bound_a_repeated_page_reads_no_versions_but_is_still_permitted(client, login_as, users, plan,
                                                                                  db, app, monkeypatch):
    nomination = make_nomination(users["officer"], plan, name="Người đọc lại", status="submitted")
    commit()
    login_as(users["committee"])
    url = f"/nominations/{nomination.id}"
    for bound, reads_versions in ((30, False), (0, True)):
        monkeypatch.setitem(app.config, "PAGE_STALE_SECONDS", bound)
        client.get(url)
        with statements(db) as seen:
            assert "Người đọc lại" in client.get(url).get_data(as_text=True)
        # the tree's version comes with the user, in the user's statement; the page's own versions
        # are read only when the bound is 0
        assert any("page_versions" in s and "user_sessions" not in s for s in seen) is reads_versions
        # its unit as this process holds it (a nomination never changes unit): not read again
        assert not any("FROM nominations" in s for s in seen), seen
    login_as(users["committee_b"])
    assert client.get(url).status_code == 404  # permitted on that unit, every time


def test_a_nomination_whose_id_names_a_row_elsewhere_now_is_refused_whatever_this_process_holds(
        client, login_as, users, plan, tree, db, app):
    """The body behind the gate is rendered from the row permitted again: had a removed
    nomination's id been taken by one in another city (or the row been changed around the
    services), the unit held for the old one lets the request through the gate and the row
    itself refuses it; and a refusal on the unit held is judged again on the row."""
    nomination = make_nomination(users["officer"], plan, name="Người đổi chỗ", status="submitted")
    commit()
    login_as(users["committee"])
    url = f"/nominations/{nomination.id}"
    place = "(SELECT nominations.unit_id"  # the read of where it is
    with statements(db) as seen:
        assert "Người đổi chỗ" in client.get(url).get_data(as_text=True)
    assert any(place in s for s in seen), seen
    pagecache._store.clear()
    with statements(db) as seen:
        assert "Người đổi chỗ" in client.get(url).get_data(as_text=True)
    assert not any(place in s for s in seen), seen  # held
    ward_b = users["officer_b"].unit_id
    db.session.execute(db.text("UPDATE nominations SET unit_id = :unit WHERE id = :id"),
                       {"unit": ward_b, "id": nomination.id})
    db.session.commit()
    pagecache._store.clear()  # no page kept (where the nomination was is still held): rendered from the row
    response = client.get(url)
    assert response.status_code == 404 and "Người đổi chỗ" not in response.get_data(as_text=True)
    # and the city it is in now is never refused on the unit held for it
    login_as(users["committee_b"])
    assert "Người đổi chỗ" in client.get(url).get_data(as_text=True)


def test_a_kept_dashboard_costs_the_users_statement_alone(client, login_as, users, plan, db, app, monkeypatch):
    """A repeated dashboard within the bound reads the session, its user and unit, and the tree's
    version in one statement; its gate then reads the tree this process holds (no statement)."""
    monkeypatch.setitem(app.config, "PAGE_STALE_SECONDS", 30)
    login_as(users["committee"])
    url = f"/dashboard/?plan={plan.id}"
    client.get(url)
    with statements(db) as seen:
        assert plan.number in client.get(url).get_data(as_text=True)
    assert len(seen) == 1 and "user_sessions" in seen[0] and "page_versions" in seen[0], seen


def test_a_kept_dashboard_read_again_within_the_session_bound_costs_no_statement(client, login_as, users, plan,
                                                                               db, app, monkeypatch):
    """Within SESSION_RECHECK_SECONDS this worker takes the session, user and tree's version as it
    read them a moment before (users.sessions): the kept page then reads nothing at all, and still
    shows the page to its user only."""
    monkeypatch.setitem(app.config, "PAGE_STALE_SECONDS", 30)
    monkeypatch.setitem(app.config, "SESSION_RECHECK_SECONDS", 30)
    login_as(users["committee"])
    url = f"/dashboard/?plan={plan.id}"
    client.get(url)
    with statements(db) as seen:
        html = client.get(url).get_data(as_text=True)
    assert plan.number in html and users["committee"].full_name in html
    assert seen == []


def test_a_page_from_a_session_read_a_moment_before_is_kept_under_that_moments_tree(app, users, plan, db):
    """A page answered with the session as this server read it a moment before (the user's unit
    named as it was then) is kept under the tree's version of that moment, not a newer one: once
    the bound has passed, the page names the unit as it is."""
    officer = users["officer"]
    with another_server(app, SESSION_RECHECK_SECONDS=1) as server:
        browser = server.test_client()
        sign_in_cookie(browser, officer)
        url = "/nominations/"
        first = browser.get(url)
        assert first.status_code == 200 and officer.unit.name in first.get_data(as_text=True)  # the session read and kept
        update_unit(users["admin"], officer.unit, "Phường Tên Mới", officer.unit.code, officer.unit.kind,
                    officer.unit.parent)
        commit()  # on the other server
        browser.get(url)  # within the bound: the session as read before, rendered and kept
        time.sleep(1.1)
        assert "Phường Tên Mới" in browser.get(url).get_data(as_text=True)


def test_a_get_reads_without_a_transaction_on_postgresql(client, login_as, users, plan, db):
    """No BEGIN and ROLLBACK round trips for a page that only reads; a form's POST keeps its
    transaction."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite's driver opens no transaction for reads")
    from sqlalchemy import event

    levels = []

    def seen(conn, *_args):
        levels.append(conn.get_execution_options().get("isolation_level"))

    login_as(users["committee"])
    dashboard = f"/dashboard/?plan={plan.id}"
    event.listen(db.engine, "before_cursor_execute", seen)
    try:
        assert client.get(dashboard).status_code == 200
        read = set(levels)
        levels.clear()
        assert client.post("/notifications/read", data={"next": "/plans/"}).status_code == 302
        posted = set(levels)
    finally:
        event.remove(db.engine, "before_cursor_execute", seen)
    assert read == {"AUTOCOMMIT"}
    assert "AUTOCOMMIT" not in posted and posted
