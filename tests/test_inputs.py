"""No input makes a 500: every GET route, for every role, with hostile values in every query
parameter the app reads (the POST routes: tests/test_redirect_targets.py).

One data set serves the whole module (it is built once and wiped at the end): the sweep only
reads.
"""
import re
from pathlib import Path

import pytest
from wtforms.fields.core import UnboundField

from tests import factories
from tests.conftest import _wipe
from tests.sweep import (  # noqa: F401  (recording_app is a fixture)
    ROLES,
    Sweep,
    get_rules,
    other_values,
    out_of_range_values,
    own_values,
    recording_app,
    urls,
)
from tracker import pagecache
from tracker.extensions import db
from tracker.forms_base import FilterForm
from tracker.commit import commit, rollback

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
# Every way the code may touch request.args: a FilterForm over it, .get("a literal name") and the
# page cache's key. Anything else (a name in a variable, **request.args.to_dict() into url_for)
# fails test_every_read_is_known: use a FilterForm, tracker.inputs.arg_* or url_with_args.
_ARGS_USES = re.compile(r"""request\.args(?:\.get\(\s*["']\w+["']|\.items\(multi=True\)|\))""")


def _sources():
    for path in sorted(TRACKER.rglob("*.py")):
        yield path, path.read_text(encoding="utf-8")
    for path in sorted((TRACKER.parent / "templates").rglob("*.html")):
        yield path, path.read_text(encoding="utf-8")


def _filter_forms():
    import importlib
    import pkgutil

    import tracker

    for module in pkgutil.walk_packages(tracker.__path__, "tracker."):
        importlib.import_module(module.name)  # every form class exists, wherever it is defined
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
    names |= _api_query_names()
    return names


def _api_query_names() -> set[str]:
    """The query parameters of the JSON API: the fields of its query schemas (webargs reads them)."""
    from tracker.api import schemas

    return {name for schema in vars(schemas).values()
            if isinstance(schema, type) and issubclass(schema, schemas.Query) for name in schema._declared_fields}


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
        commit()
        ids["users"] = {role: users[role].id for role in ROLES if role != "anonymous"}
    yield ids
    with app.app_context():
        rollback()
        _wipe()
        db.session.remove()
        pagecache.clear()


@pytest.fixture(autouse=True)
def app_ctx(app, dataset):
    """Replaces conftest's: the module's data set lives until the module ends (see `dataset`)."""
    with app.app_context():
        yield
        rollback()
        db.session.remove()


# --- the sweep ---------------------------------------------------------------------------


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
            path_sets = [own_values(ids, rule.rule), other_values(ids, rule.rule), out_of_range_values(ids, rule.rule, 2**31 - 1),
                         out_of_range_values(ids, rule.rule, 2**31)]
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


# --- links that carry the query string ------------------------------------------------------


def test_links_carry_the_query_string_apart_from_url_for(app):
    from tracker.inputs import url_with_args

    with app.test_request_context("/audit/?page=2&action=x&endpoint=y&_external=1&_scheme=javascript&fmt=z"):
        assert url_with_args("audit.index", {}, page=3) == (
            "/audit/?action=x&endpoint=y&_external=1&_scheme=javascript&fmt=z&page=3")
        assert url_with_args("nominations.export", {"fmt": "csv"}, page=None).startswith("/nominations/export.csv?")


def test_the_export_links_keep_the_filters_but_not_the_page(recording_app, dataset):
    import html as html_lib
    from urllib.parse import parse_qsl, urlsplit

    client = Sweep(recording_app, dataset).client("committee")
    page = client.get("/nominations/", query_string=[("status", "pending"), ("fmt", "x"), ("_external", "1"),
                                                     ("page", "1")]).get_data(as_text=True)
    link = html_lib.unescape(re.search(r'action="(/nominations/export\.xlsx[^"]*)"', page).group(1))
    parts = urlsplit(link)
    assert parts.path == "/nominations/export.xlsx" and not parts.netloc
    assert parse_qsl(parts.query) == [("status", "pending"), ("fmt", "x"), ("_external", "1")]
