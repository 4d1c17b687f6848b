"""Redirect targets named by the request (?next=, a form's `next` or `back`) never leave the site
nor split the Location header, on every POST route; and no form field's value makes a 500."""
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.factories import PASSWORD, route_records
from tests.sweep import ROLES, Sweep, get_rules, own_values, recording_app, urls  # noqa: F401  (a fixture)
from tracker.extensions import db
from tracker.inputs import redirect_target, safe_next
from tracker.commit import commit

TRACKER = Path(__file__).resolve().parent.parent / "tracker"

EVIL = [
    "https://evil.example/", "//evil.example/", "/\\evil.example/", "\\\\evil.example/", "/\t/evil.example/",
    "/\n/evil.example/", " //evil.example/", "http:/evil.example/", "javascript:alert(1)", "/nominations/\r\nSet-Cookie: a=b",
    "/nominations/\rSet-Cookie: a=b", "/nominations/\x00", "/nominations/\u2028", "/nominations/\x85",
    "/nominations/?q=" + "x" * 5000, "", "x" * 100, "/%0d%0a",
]
OWN = ["/plans/", "/nominations/?status=pending&page=2", "/nominations/?q=%C4%90%E1%BB%97"]


@pytest.mark.parametrize("target", EVIL)
def test_a_target_off_the_site_or_with_control_characters_is_refused(target):
    expected = "/%0d%0a" if target == "/%0d%0a" else None  # encoded: a plain path of ours
    assert safe_next(target) == expected
    assert redirect_target(target, "/fallback") == (expected or "/fallback")


@pytest.mark.parametrize("target", OWN)
def test_a_path_of_the_site_is_kept(target):
    assert safe_next(target) == target
    assert redirect_target(target, "/", within="/nominations/") == (target if target.startswith("/nominations/")
                                                                   else "/")


def test_every_view_reading_a_target_asks_the_one_validator():
    """A view that reads a redirect target from the request passes it to safe_next (or
    redirect_target, or a helper built on them) on the same line."""
    reads = re.compile(r"""request\.referrer|request\.(?:args|form|values)\.get\(\s*["'](?:next|back|return_to|url)["']"""
                       r"""|\.(?:next|back)\.data""")
    unchecked = []
    for path in sorted(TRACKER.rglob("*.py")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if reads.search(line) and not re.search(r"\b(_safe_next|safe_next|redirect_target|_back)\(", line):
                unchecked.append(f"{path.relative_to(TRACKER.parent)}:{number}: {line.strip()}")
    assert not unchecked, unchecked


# --- every POST route --------------------------------------------------------------------


@pytest.fixture
def ids(users, tree):
    from tracker.notifications.services import notify

    records = route_records(users, tree)
    records["own_notification"] = notify(users["officer"], "Thông báo A").id
    records["token"] = "x"
    commit()
    records["users"] = {role: users[role].id for role in ROLES if role != "anonymous"}
    return records


def _post_rules(app):
    """The POST routes, signing out last."""
    return sorted((r for r in app.url_map.iter_rules() if "POST" in r.methods),
                  key=lambda r: (r.rule == "/logout", r.rule))


def test_post_routes_with_hostile_targets(recording_app, ids):
    """Every POST route, for every role, with a hostile `next` and `back` in the form and the query
    string: no 500, and a redirect stays on the site without control characters. The routes that
    read a target get every hostile one, then one of the site's own, which they follow."""
    sweep = Sweep(recording_app, ids)
    readers = set()
    # The roles that may change things go last; the admin (who deactivates users) at the very end.
    for role in ("anonymous", "officer", "leader", "committee", "admin"):
        client = sweep.client(role)
        for n, rule in enumerate(_post_rules(recording_app)):
            for url in urls(rule.rule, own_values(ids, rule.rule)):
                evil = EVIL[n % len(EVIL)]
                read = sweep.open(client, role, url, method="POST", query={"next": evil},
                                  data={"next": evil, "back": evil})
                if read and read & {"next", "back"}:
                    readers.add((role, url))
    assert not sweep.failures, sweep.report()
    assert {url for _role, url in readers} >= {"/language/vi", "/login", "/notifications/read", "/nominations/bulk/accept"}
    from sqlalchemy import update

    from tracker.extensions import db
    from tracker.users.models import User

    db.session.execute(update(User).values(active=True))  # the admin's pass deactivated some
    commit()
    for role, url in sorted(readers):
        client = sweep.client(role)
        for evil in EVIL:
            sweep.open(client, role, url, method="POST", query={"next": evil}, data={"next": evil, "back": evil})
        if url.startswith("/nominations/"):
            target = "/nominations/?status=pending&page=2"
            response = client.post(url, data={"back": target})
            assert response.headers["Location"] == target, url
    assert not sweep.failures, sweep.report()


def test_the_sites_own_target_is_followed(client, login_as, users):
    login_as(users["officer"])
    response = client.post("/language/en", data={"next": "/nominations/?status=pending"})
    assert response.headers["Location"] == "/nominations/?status=pending"
    response = client.post("/notifications/read", data={"next": "/plans/?page=2"})
    assert response.headers["Location"] == "/plans/?page=2"
    response = client.post("/notifications/read", data={"next": "/plans/\r\nSet-Cookie: a=b"})
    assert response.headers["Location"] == "/notifications/"


@pytest.mark.parametrize("target", ["//evil.example/", "/\\evil.example/", "/plans/\r\nSet-Cookie: a=b", "/\t/evil"])
def test_sign_in_with_a_hostile_next_lands_on_the_home_page(client, users, target):
    response = client.post("/login", query_string={"next": target},
                           data={"username": users["officer"].username, "password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    with client.session_transaction() as session:
        assert session.get("_user_id") == str(users["officer"].id)  # signed in, and no 500 after the commit


def test_sign_in_follows_a_next_of_the_site(client, users):
    response = client.post("/login", query_string={"next": "/nominations/?status=pending"},
                           data={"username": users["officer"].username, "password": PASSWORD})
    assert response.headers["Location"] == "/nominations/?status=pending"


# --- every form field --------------------------------------------------------------------


class _Forms(HTMLParser):
    """The POST forms of a page: their action and the names of their fields."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._open = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self._open = {"action": attrs.get("action"), "fields": {}}
            self.forms.append(self._open)
        elif self._open is not None and tag in ("input", "textarea", "select") and attrs.get("name"):
            kind = attrs.get("type", tag) if tag == "input" else tag
            if kind not in ("submit", "button", "file", "checkbox", "radio", "hidden") or attrs["name"] in (
                    "version", "next", "back", "candidate_id"):
                self._open["fields"][attrs["name"]] = kind

    def handle_endtag(self, tag):
        if tag == "form":
            self._open = None


FIELD_VALUES = ["x" * 100_000, "\x00", "a\x00b\r\nc\x1b", "-99999999999999999999", "9" * 40, "2147483648", "-1",
                "9999-12-31", "０１/０１/２０２０", " "]


def test_no_form_field_value_answers_500(recording_app, ids):
    """Every POST form the pages show, sent by the first role that sees it, with the same hostile
    value in each of its fields (text, numbers, dates, choices, hidden version): a message or a
    refusal, never a 500."""
    sweep = Sweep(recording_app, ids)
    done = set()
    for role in ("officer", "leader", "committee", "admin"):
        client = sweep.client(role)
        for rule in get_rules(recording_app):
            if rule.rule.startswith(("/static/", "/calendar/")):
                continue
            for url in urls(rule.rule, own_values(ids, rule.rule)):
                response = client.get(url)
                if response.status_code != 200 or response.mimetype != "text/html":
                    continue
                parser = _Forms()
                parser.feed(response.get_data(as_text=True))
                for form in parser.forms:
                    action = form["action"] or url
                    if not form["fields"] or action in done or action.startswith(("/logout", "/language/")):
                        continue
                    done.add(action)
                    for value in FIELD_VALUES:
                        sweep.open(client, role, action, method="POST",
                                   data={name: value for name in form["fields"]})
    assert len(done) > 15, sorted(done)  # the pages' forms were found
    assert not sweep.failures, sweep.report()
