"""Sweeping routes with hostile input: the requests, what each one read from the query string
and the form, and the failures (500s, unsafe redirects), grouped by kind."""
import itertools
import re
import traceback
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from werkzeug.datastructures import ImmutableMultiDict

ROLES = ("anonymous", "admin", "committee", "leader", "officer")


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


# Path parameters: the records of the user's side, the other city's, and ids no row has.
def own_values(ids, rule: str) -> dict:
    return {
        "plan_id": ids["own_plan"], "milestone_id": ids["own_milestone"], "movement_id": ids["own_movement"],
        "unit_id": ids["own_unit"], "user_id": ids["own_user"], "candidate_id": ids["own_candidate"],
        "award_id": ids["award"], "proposal_id": ids["own_proposal"], "item_id": ids["own_item"],
        "report_id": ids["own_report"], "nomination_id": ids["own_nomination"],
        "notification_id": ids["own_notification"], "number": 1, "token": ids["token"], "code": "vi",
        "filename": "css/app.css", "session_id": 1, "job_id": ids["own_job"],
        "report_file": ids["own_file"], "nomination_file": ids["own_nomination_file"], "token_id": 1, "day_id": 1, "member_id": 1,
        "meeting_id": ids["own_meeting"], "record_id": ids["own_record"], "revocation_id": ids["own_revocation"],
        "objection_id": 1,
    }


def other_values(ids, rule: str) -> dict:
    return {
        **own_values(ids, rule),
        "plan_id": ids["other_plan"], "milestone_id": ids["other_milestone"], "movement_id": ids["other_movement"],
        "unit_id": ids["other_unit"], "user_id": ids["other_user"], "candidate_id": ids["other_candidate"],
        "proposal_id": ids["other_proposal"], "report_id": ids["other_report"],
        "nomination_id": ids["other_nomination"],
        "notification_id": ids["other_notification"], "token": "x" * 43, "code": "xx",
        "filename": "../../config.py", "job_id": ids["other_job"],
        "report_file": ids["other_file"], "nomination_file": ids["other_nomination_file"],
        "meeting_id": ids["other_meeting"], "record_id": ids["other_record"],
        "revocation_id": ids["other_revocation"],
    }


def out_of_range_values(ids, rule: str, value: int) -> dict:
    return {**own_values(ids, rule), **{k: value for k in ("plan_id", "milestone_id", "movement_id", "unit_id", "user_id",
                                                    "candidate_id", "award_id", "proposal_id", "item_id",
                                                    "report_id", "nomination_id",
                                                    "notification_id", "number", "session_id", "job_id", "report_file",
                                                    "nomination_file", "token_id", "day_id", "member_id",
                                                    "meeting_id", "record_id", "revocation_id", "objection_id")}}


_PARAM = re.compile(r"<(?:(\w+)(?:\(([^)]*)\))?:)?(\w+)>")


def urls(rule: str, values: dict) -> list[str]:
    """The rule filled in with `values`; one URL per option of an <any(...)> part."""
    options = [[o.strip().strip("\"'") for o in m.group(2).split(",")] for m in _PARAM.finditer(rule) if m.group(1) == "any"]
    result = []
    for chosen in itertools.product(*options) if options else [()]:
        picks = iter(chosen)
        filled = dict(values)
        owner = next((o for o in chosen if o in ("reports", "nominations", "proposals")), None)
        if owner is not None:  # an evidence file's route: the record and the file of that kind
            filled["owner_id"] = values[{"reports": "report_id", "nominations": "nomination_id",
                                         "proposals": "proposal_id"}[owner]]
            filled["attachment_id"] = values.get({"reports": "report_file", "nominations": "nomination_file",
                                                  "proposals": "proposal_file"}[owner], 1)
        elif "attachment_id" not in filled:
            filled["attachment_id"] = values["nomination_file"]

        def fill(m):
            return next(picks) if m.group(1) == "any" else str(filled[m.group(3)])

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
        """A client signed in as `role` through a server-side session, as the sign-in form does."""
        from tests.conftest import sign_in_cookie
        from tracker.extensions import db
        from tracker.users.models import User

        client = self.app.test_client()
        if role != "anonymous":
            sign_in_cookie(client, db.session.get(User, self.ids["users"][role]))
            assert client.get("/account").status_code == 200, f"{role} is not signed in"
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
