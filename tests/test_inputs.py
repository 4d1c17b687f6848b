"""No input makes a 500: every GET route, for every role, with hostile values in every query
parameter the app reads; every POST route with hostile redirect targets.

One data set serves the whole module (it is built once and wiped at the end): the sweeps only
read, and the POST sweep (which changes things) lives in tests/test_redirect_targets.py.
"""
import itertools
import re
import traceback
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from werkzeug.datastructures import ImmutableMultiDict
from wtforms.fields.core import UnboundField

from tests import factories
from tests.conftest import _wipe
from tracker import pagecache
from tracker.extensions import db
from tracker.forms_base import FilterForm

ROLES = ("anonymous", "admin", "committee", "leader", "officer")
TRACKER = Path(__file__).resolve().parent.parent / "tracker"

# Values nobody would type, in any query parameter: unknown choices, ids that are not numbers,
# negative, zero, too large for a 32-bit column, digits that are not ASCII, NUL and other control
# characters, a header injection, a very long value, markup and SQL.
HOSTILE = [
    "x", "", "-1", "0", "1_0", "2147483648", "9" * 30, "９" * 30, "²", "\x00", "1\x00", "\r\nSet-Cookie: a=b",
    "\t\x0b\x1b\u2028", "x" * 20000, "'\";--<script>", "//evil.example/", "9999-12-31",
]
# A shorter list sent to each parameter alone (the long one goes to all of them at once).
SHARP = ["x", "-1", "2147483648", "\x00", "x" * 5000]
# Names that are no parameter of the app but that a careless url_for(**request.args) would take
# for its own arguments, or for a route's.
HOSTILE_NAMES = ["_external", "_scheme", "_anchor", "_method", "endpoint", "fmt", "values", "nomination_id",
                 "plan_id", "filename", "\x00", "x" * 300]


# --- the parameters the app reads --------------------------------------------------------


_ARGS_GET = re.compile(r"""request\.args\.get\(\s*["'](\w+)["']""")
_ARG_HELPER = re.compile(r"""\barg_\w+\(\s*["'](\w+)["']""")
# Every way the code may touch request.args; anything else fails test_every_read_is_known.
_ARGS_USES = re.compile(
    r"""request\.args(?:\.get\(\s*["']\w+["']|\.to_dict\(\)|\.items\(multi=True\)|\))"""
)


def _sources():
    for path in sorted(TRACKER.rglob("*.py")):
        yield path, path.read_text(encoding="utf-8")
    for path in sorted((TRACKER.parent / "templates").rglob("*.html")):
        yield path, path.read_text(encoding="utf-8")


def _filter_forms():
    import tracker.models  # noqa: F401  (every area imported, so every form class exists)
    from tracker import create_app  # noqa: F401

    seen, todo = [], [FilterForm]
    while todo:
        cls = todo.pop()
        seen.append(cls)
        todo.extend(cls.__subclasses__())
    return seen


def query_names() -> set[str]:
    """Every query-string name the app reads: request.args.get("…"), the arg_* helpers, and the
    fields of every FilterForm (they read request.args), and ?page= (the pagination)."""
    names = {"page"}
    for _path, text in _sources():
        names |= set(_ARGS_GET.findall(text)) | set(_ARG_HELPER.findall(text))
    for form in _filter_forms():
        names |= {name for name in dir(form) if isinstance(getattr(form, name, None), UnboundField)}
    return names


def test_every_read_is_known():
    """A view reading the query string some other way would escape the sweep: the list above
    says every way the code reads it."""
    odd = []
    for path, text in _sources():
        if path == TRACKER / "inputs.py":  # the arg_* helpers: their callers are read by _ARG_HELPER
            continue
        for match in re.finditer(r"request\.args\b.{0,40}", text):
            if not _ARGS_USES.match(match.group(0)):
                odd.append(f"{path.relative_to(TRACKER.parent)}: {match.group(0)}")
    assert not odd, odd
    assert {"plan", "unit", "movement", "milestone", "status", "kind", "sort", "role", "q", "page"} <= query_names()


# --- recording what each request reads ---------------------------------------------------


class RecordingDict(ImmutableMultiDict):
    """A query string or form that notes every name looked up in it."""

    read: set | None = None

    def _note(self, key):
        if RecordingDict.read is not None and isinstance(key, str):
            RecordingDict.read.add(key)

    def __getitem__(self, key):
        self._note(key)
        return super().__getitem__(key)

    def __contains__(self, key):
        self._note(key)
        return super().__contains__(key)

    def getlist(self, key, type=None):
        self._note(key)
        return super().getlist(key, type=type)

    def get(self, key, default=None, type=None):
        self._note(key)
        return super().get(key, default=default, type=type)


@pytest.fixture(scope="module")
def recording_app(app):
    original = app.request_class

    class RecordingRequest(original):
        parameter_storage_class = RecordingDict

    app.request_class = RecordingRequest
    yield app
    app.request_class = original


# --- the data set ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def dataset(app):
    """Records of every kind on both sides, built once for the module."""
    from tracker.notifications.services import notify
    from tracker.users.services import regenerate_calendar_token

    with app.app_context():
        tree = factories.make_city_tree()
        users = factories.role_users(tree)
        ids = factories.route_records(users, tree)
        ids["own_notification"] = notify(users["officer"], "Thông báo A").id
        ids["token"] = regenerate_calendar_token(users["officer"])
        db.session.commit()
        ids["users"] = {role: users[role].id for role in ROLES if role != "anonymous"}
    yield ids
    with app.app_context():
        db.session.rollback()
        _wipe()
        db.session.remove()
        pagecache.clear()


@pytest.fixture(autouse=True)
def app_ctx(app, dataset):
    """Replaces conftest's: the module's data set lives until the module ends (see `dataset`)."""
    with app.app_context():
        yield
        db.session.rollback()
        db.session.remove()


# Path parameters: the records of the user's side, the other city's, and ids no row has.
def _own(ids, rule: str) -> dict:
    in_reports = rule.startswith("/reports/")
    return {
        "plan_id": ids["own_plan"], "milestone_id": ids["own_milestone"], "movement_id": ids["own_movement"],
        "unit_id": ids["own_unit"], "user_id": ids["own_user"], "candidate_id": ids["own_candidate"],
        "award_id": ids["award"], "proposal_id": ids["own_proposal"], "item_id": ids["own_item"],
        "report_id": ids["own_report"], "nomination_id": ids["own_nomination"],
        "attachment_id": ids["own_file"] if in_reports else ids["own_nomination_file"],
        "notification_id": ids["own_notification"], "number": 1, "token": ids["token"], "code": "vi",
        "filename": "css/app.css",
    }


def _other(ids, rule: str) -> dict:
    in_reports = rule.startswith("/reports/")
    return {
        **_own(ids, rule),
        "plan_id": ids["other_plan"], "milestone_id": ids["other_milestone"], "movement_id": ids["other_movement"],
        "unit_id": ids["other_unit"], "user_id": ids["other_user"], "candidate_id": ids["other_candidate"],
        "proposal_id": ids["other_proposal"], "report_id": ids["other_report"],
        "nomination_id": ids["other_nomination"],
        "attachment_id": ids["other_file"] if in_reports else ids["other_nomination_file"],
        "notification_id": ids["other_notification"], "token": "x" * 43, "code": "xx",
        "filename": "../../config.py",
    }


def _out_of_range(ids, rule: str, value: int) -> dict:
    return {**_own(ids, rule), **{k: value for k in ("plan_id", "milestone_id", "movement_id", "unit_id", "user_id",
                                                    "candidate_id", "award_id", "proposal_id", "item_id",
                                                    "report_id", "nomination_id", "attachment_id",
                                                    "notification_id", "number")}}


_PARAM = re.compile(r"<(?:(\w+)(?:\(([^)]*)\))?:)?(\w+)>")


def urls(rule: str, values: dict) -> list[str]:
    """The rule filled in with `values`; one URL per option of an <any(...)> part."""
    options = [[o.strip() for o in m.group(2).split(",")] for m in _PARAM.finditer(rule) if m.group(1) == "any"]
    result = []
    for chosen in itertools.product(*options) if options else [()]:
        picks = iter(chosen)

        def fill(m):
            return next(picks) if m.group(1) == "any" else str(values[m.group(3)])

        result.append(_PARAM.sub(fill, rule))
    return result


def get_rules(app):
    return sorted((r for r in app.url_map.iter_rules() if "GET" in r.methods), key=lambda r: r.rule)


# --- the sweep ---------------------------------------------------------------------------


class Sweep:
    def __init__(self, app, ids):
        self.app, self.ids = app, ids
        self.failures: dict[str, list[str]] = {}  # one entry per kind of failure, with its examples
        self.requests = 0

    def client(self, role):
        client = self.app.test_client()
        if role != "anonymous":
            with client.session_transaction() as session:
                session["_user_id"] = str(self.ids["users"][role])
                session["_fresh"] = True
        return client

    def open(self, client, role, url, method="GET", query=None, data=None) -> set[str] | None:
        """One request; a failure is noted. The names the request looked up, or None on failure."""
        RecordingDict.read = set()
        self.requests += 1
        label = f"{role} {method} {url} {_short(query or data)}"
        try:
            response = client.open(url, method=method, query_string=query, data=data)
        except Exception as error:  # TESTING propagates what would be a 500
            frame = traceback.extract_tb(error.__traceback__)[-1]
            self.fail(f"{method} {url}: {error.__class__.__name__} at {Path(frame.filename).name}:{frame.lineno}",
                      f"{label}: {_short(str(error))}")
            return None
        finally:
            read, RecordingDict.read = RecordingDict.read, None
        if response.status_code >= 500:
            self.fail(f"{method} {url}: {response.status_code}", label)
            return None
        problem = unsafe_location(response)
        if problem:
            self.fail(f"{method} {url}: unsafe redirect", f"{label}: {problem}")
        return read

    def fail(self, kind: str, example: str) -> None:
        self.failures.setdefault(kind, []).append(example)

    def report(self) -> str:
        count = sum(len(v) for v in self.failures.values())
        lines = [f"{count} of {self.requests} requests failed:"]
        for kind, examples in self.failures.items():
            lines.append(f"- {kind} ({len(examples)}x), e.g. {examples[0]}")
        return "\n".join(lines)


def unsafe_location(response) -> str | None:
    """Why a redirect's target would leave the site or split the header, or None."""
    location = response.headers.get("Location")
    if location is None:
        return None
    if re.search(r"[\x00-\x1f\x7f]", location):
        return f"control character in Location {location!r}"
    parts = urlsplit(location)
    if parts.scheme not in ("", "http", "https") or parts.netloc not in ("", "localhost"):
        return f"Location leaves the site: {location!r}"
    if "\\" in location or location.startswith("//"):
        return f"Location may leave the site: {location!r}"
    return None


def _short(value) -> str:
    text = repr(value)
    return text if len(text) <= 120 else text[:117] + "..."


def test_no_get_route_answers_500(recording_app, dataset):
    """Each GET route for each role, with the records the role can see, another city's, and ids
    no row has (out of the column's range too). A route that reads the query string then gets
    hostile values in every parameter it reads, all at once, for every role; and for the first
    role that reaches it, each parameter alone, every name the app reads given twice, and names
    that would confuse url_for."""
    app, ids = recording_app, dataset
    sweep = Sweep(app, ids)
    known = query_names()
    unknown_reads, swept_alone = set(), set()
    for role in ROLES:
        client = sweep.client(role)
        for rule in get_rules(app):
            path_sets = [_own(ids, rule.rule), _other(ids, rule.rule), _out_of_range(ids, rule.rule, 2**31 - 1),
                         _out_of_range(ids, rule.rule, 2**31)]
            for values in path_sets:
                for url in urls(rule.rule, values):
                    sweep.open(client, role, url)
            url = urls(rule.rule, path_sets[0])[0]  # one of <any(...)>: the same view reads the same
            read = sweep.open(client, role, url)
            # ?page= is read by every request (create_app checks its range): swept with the lists.
            if not read or read == {"page"}:
                continue
            unknown_reads |= {f"{rule.rule}: {name}" for name in read - known - {"next"}}
            for value in HOSTILE:
                sweep.open(client, role, url, query={name: value for name in read})
            if rule.endpoint in swept_alone:
                continue
            swept_alone.add(rule.endpoint)
            for name in sorted(read):
                for value in SHARP:
                    sweep.open(client, role, url, query={name: value})
            sweep.open(client, role, url, query=[(name, v) for name in sorted(known) for v in ("1", "x")])
            sweep.open(client, role, url, query=[(name, v) for name in sorted(known) for v in ("x", "1")])
            sweep.open(client, role, url, query={name: "1" for name in HOSTILE_NAMES})
            sweep.open(client, role, url, query={name: "x" for name in HOSTILE_NAMES + sorted(known)})
    assert not unknown_reads, f"names read but not found by query_names(): {sorted(unknown_reads)}"
    assert not sweep.failures, sweep.report()
