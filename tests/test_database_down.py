"""When the database cannot answer, every page is the tracker's own Vietnamese error page (503),
never the server's bare one, and /healthz says 503."""
import pytest
from sqlalchemy import event

from tests.conftest import sign_in_cookie
from tests.factories import PASSWORD
from tests.conftest import DATABASE_URL
from tracker import create_app
from tracker.extensions import db
from tracker.commit import commit

UNAVAILABLE = "Không thể kết nối tới cơ sở dữ liệu"  # the 503 page, in Vietnamese
DOWN_URLS = {
    # nothing listens on port 1: the connection is refused at once
    "postgresql": "postgresql+psycopg://postgres@127.0.0.1:1/tracker?connect_timeout=2",
    "sqlite": "sqlite:////nonexistent-directory/tracker.sqlite3",  # cannot be opened
}


def _is_the_tracker_page(response, status: int = 503) -> None:
    html = response.get_data(as_text=True)
    assert response.status_code == status, html[:300]
    assert '<html lang="vi">' in html and "Thi đua" in html  # the tracker's frame, in Vietnamese
    assert UNAVAILABLE in html
    assert response.headers["Retry-After"] == "30"


@pytest.fixture(params=sorted(DOWN_URLS), scope="module")
def down_app(request, tmp_path_factory):
    """An app whose database cannot be reached."""
    return create_app("testing", SQLALCHEMY_DATABASE_URI=DOWN_URLS[request.param],
                      UPLOAD_FOLDER=str(tmp_path_factory.mktemp("uploads")))


def test_health_check_says_503(down_app):
    response = down_app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["database"] == "unreachable"


def test_a_visitor_gets_the_trackers_page(down_app):
    client = down_app.test_client()
    _is_the_tracker_page(client.get("/honour-roll/"))
    assert client.get("/login").status_code == 200  # the sign-in page needs no database
    _is_the_tracker_page(client.post("/login", data={"username": "admin", "password": PASSWORD}))


def test_a_signed_in_user_gets_the_trackers_page(down_app):
    """The user is loaded from the database before anything else: that failure too."""
    client = down_app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = "1"
        session["_fresh"] = True
        session["_sid"] = "a-token-the-loader-must-look-up"
    for url in ("/", "/dashboard/", "/nominations/", "/plans/1", "/account"):
        _is_the_tracker_page(client.get(url))
    _is_the_tracker_page(client.post("/notifications/read", data={"next": "/plans/"}))
    assert client.get("/healthz").status_code == 503


def test_a_json_client_gets_json(down_app):
    response = down_app.test_client().get("/honour-roll/", headers={"Accept": "application/json"})
    assert response.status_code == 503 and response.get_json() == {"status": 503}


# --- the connection breaks in the middle of a request ----------------------------------------


class BreakAt:
    """Makes the n-th statement (from 0) fail as a dropped connection does (or every statement
    from the n-th on): the driver's own OperationalError, raised where the driver would raise it
    (SQLAlchemy wraps it)."""

    HOOKS = ("do_execute", "do_execute_no_params", "do_executemany")

    def __init__(self, n: int | None, onwards: bool = False):
        self.n, self.onwards, self.seen = n, onwards, 0

    def __call__(self, _cursor, _statement, *_rest):
        self.seen += 1
        if self.n is not None and (self.seen - 1 == self.n or (self.onwards and self.seen - 1 > self.n)):
            raise db.engine.dialect.loaded_dbapi.OperationalError("server closed the connection unexpectedly")
        return False  # not handled: the driver runs the statement

    def __enter__(self):
        for hook in self.HOOKS:
            event.listen(db.engine, hook, self)
        return self

    def __exit__(self, *_exc):
        for hook in self.HOOKS:
            event.remove(db.engine, hook, self)


@pytest.mark.parametrize("role,method,url", [
    ("anonymous", "GET", "/honour-roll/"),
    ("committee", "GET", "/"),
    ("committee", "GET", "/dashboard/"),
    ("committee", "GET", "/nominations/?status=pending"),
    ("officer", "GET", "/notifications/"),
    ("officer", "POST", "/notifications/read"),
    ("officer", "POST", "/account/calendar-token"),
])
def test_a_connection_lost_at_any_statement(app, client, login_as, users, monkeypatch, role, method, url):
    """Whichever statement fails (the user loader's, the page cache's version, the page's own
    queries, the unread count the frame shows, the change itself), the answer is the tracker's 503
    page; the next request finds the database again."""
    from tests.factories import make_plan

    make_plan(users["committee"].unit)
    commit()
    monkeypatch.setitem(app.config, "PAGE_CACHE_MB", 0)  # every request reads the database
    if role != "anonymous":
        login_as(users[role])

    def run(n):
        with BreakAt(n) as breaker:
            return client.open(url, method=method), breaker.seen

    healthy, count = run(None)
    assert healthy.status_code in (200, 302)
    assert count >= 1
    for n in range(count):
        response, _seen = run(n)
        _is_the_tracker_page(response)
        assert run(None)[0].status_code == healthy.status_code, f"statement {n}: the database did not come back"


def test_a_server_error_whose_frame_fails_too(users, tmp_path):
    """A 500 whose page frame cannot read the signed-in user any more (the database went away
    during the request) is still the tracker's own page, shown as to a visitor."""
    from flask import abort
    from flask_login import current_user

    app = create_app("testing", SQLALCHEMY_DATABASE_URI=DATABASE_URL, UPLOAD_FOLDER=str(tmp_path),
                     PROPAGATE_EXCEPTIONS=False)

    @app.route("/boom")
    def boom():
        db.session.expire(current_user._get_current_object())  # the frame will read it again
        raise RuntimeError("boom")

    @app.route("/forbidden")
    def forbidden():
        db.session.expire(current_user._get_current_object())
        abort(403)

    client = app.test_client()
    assert client.get("/healthz").status_code == 200  # the new engine connects (and asks its server's version)
    sign_in_cookie(client, users["committee"])
    for url, status, text in [("/boom", 500, "Hệ thống đã xảy ra lỗi"), ("/forbidden", 403, "403")]:
        with app.app_context(), BreakAt(1, onwards=True):  # the user loader's statement goes through
            response = client.get(url)
        html = response.get_data(as_text=True)
        assert response.status_code == status, html[:300]
        assert '<html lang="vi">' in html and text in html
        assert users["committee"].full_name not in html  # shown as to a visitor
