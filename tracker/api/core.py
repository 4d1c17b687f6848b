"""What every operation of the JSON API shares: who is calling (a personal access token, or the
browser's session under the CSRF rules), answers in RFC 9457 problem details, cursor pagination
and optimistic locking with ETag/If-Match.

An operation reads like a page's view: load (404 outside the caller's subtree), permit
(tracker.permissions, 403), validate (the body's schema, then the service's own rules), one
service call through `perform`, which commits and maps a refusal to its problem.
"""
from typing import Any, Callable

from flask import current_app, g, request
from flask_babel import force_locale, lazy_gettext as _l
from flask_login import current_user
from flask_smorest import Blueprint
from werkzeug.exceptions import HTTPException

from tracker import clock
from tracker.audit.services import record_via
from tracker.commit import commit, rollback
from tracker.errors import ConflictError, DomainError, InvalidData, WorkflowError
from tracker.extensions import csrf, db
from tracker.tokens import services as tokens
from tracker.tokens.models import TokenScope
from tracker.throttle import throttle

PROBLEM = "application/problem+json"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
MAX_LIMIT, DEFAULT_LIMIT = 100, 25
BLUEPRINTS: list[Blueprint] = []


class Problem(HTTPException):
    """An API refusal: its status, a title, and per-field messages ({field: [messages]})."""

    def __init__(self, status: int, title, detail=None, errors: dict | None = None, headers: dict | None = None,
                 **members):
        super().__init__(description=str(detail or title))
        self.code = status
        self.title, self.detail, self.errors, self.extra_headers = title, detail, errors or {}, headers or {}
        self.members = members  # more members of the problem object (candidate_id, say)


def api_blueprint(name: str, description: str) -> Blueprint:
    """A blueprint of /api/v1 operations, authenticated by `authenticate` before each request."""
    bp = Blueprint(f"api_{name}", __name__, url_prefix="/api/v1", description=description)
    bp.before_request(authenticate)
    BLUEPRINTS.append(bp)
    return bp


def public(view):
    """Mark an operation that needs no token (its document says so with @bp.doc(security=[]))."""
    view._api_public = True
    return view


def is_api_request() -> bool:
    return request.path == "/api/v1" or request.path.startswith("/api/v1/")


# --- who is calling --------------------------------------------------------------------------


def _bearer() -> str | None:
    header = request.headers.get("Authorization", "")
    if not header:
        return None
    scheme, _sep, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" else ""


def authenticate() -> None:
    """A request with a token acts as the token's user (no cookie is read or set, no CSRF token
    is asked: a token cannot be sent by another site's page). A request without a token is the
    browser's session: its unsafe methods need the CSRF token like any form. Failed tokens are
    counted per address, and each token's requests per token, like sign-in (429 + Retry-After)."""
    view = current_app.view_functions.get(request.endpoint)
    g.pop("_login_user", None)  # who calls is worked out afresh for each request, from this one alone
    secret = _bearer()
    if secret is None:
        if not current_user.is_authenticated and not getattr(view, "_api_public", False):
            raise Problem(401, _l("Sign in with a personal access token."),
                          headers={"WWW-Authenticate": 'Bearer realm="tracker"'})
        if request.method not in SAFE_METHODS:
            csrf.protect()
        return
    address = request.remote_addr or ""
    config = current_app.config
    refusal = throttle().check(config["API_TOKEN_FAILURES_PER_ADDRESS"], "api-token-failure", address)
    if refusal is not None:
        _too_many(refusal.retry_after)
    token = tokens.authenticate(secret, clock.now())
    if token is None:
        throttle().hit(config["API_TOKEN_FAILURES_PER_ADDRESS"], "api-token-failure", address)
        raise Problem(401, _l("This token is not valid: it is unknown, expired or revoked."),
                      headers={"WWW-Authenticate": 'Bearer realm="tracker", error="invalid_token"'})
    refusal = throttle().hit(config["API_LIMIT_PER_TOKEN"], "api-token", token.id)
    if refusal is not None:
        _too_many(refusal.retry_after)
    if db.session.is_modified(token):
        commit()  # the token's last use, at most every few minutes
    current_app.login_manager._update_request_context_with_user(token.user)
    request.environ["tracker.api_token"] = token
    record_via("api")
    if token.scope is TokenScope.READ and request.method not in SAFE_METHODS:
        raise Problem(403, _l("This token may only read."))


def _too_many(seconds: int):
    problem = Problem(429, _l("Too many requests. Try again in %(n)s seconds.", n=seconds),
                      headers={"Retry-After": str(seconds)})
    problem.retry_after = seconds
    raise problem


def calling_token():
    """The token this request came with, or None (a browser's session)."""
    return request.environ.get("tracker.api_token")


def require(flag: bool) -> None:
    if not flag:
        raise Problem(403, _l("Your role may not do this here."))


def not_found():
    raise Problem(404, _l("Not found."))


def found(record):
    """The record, or 404 (a record outside the caller's subtree is answered the same way)."""
    if record is None:
        not_found()
    return record


# --- answers -----------------------------------------------------------------------------


def both(message) -> dict:
    """A message in Vietnamese and in English (a lazy string is rendered in each language)."""
    with force_locale("vi"):
        vi = str(message)
    with force_locale("en"):
        en = str(message)
    return {"vi": vi, "en": en}


TITLES = {
    400: _l("The request could not be read."), 401: _l("Sign in with a personal access token."),
    403: _l("Your role may not do this here."), 404: _l("Not found."),
    405: _l("This method is not allowed here."), 409: _l("The record changed meanwhile."),
    412: _l("The record changed since you read it."), 413: _l("The request is too large."),
    415: _l("Send the body as JSON."), 422: _l("Some values are not acceptable."),
    428: _l("Send If-Match with the record's ETag."), 429: _l("Too many requests."),
    500: _l("The tracker could not answer."), 503: _l("The tracker cannot reach its database; try again later."),
}

# marshmallow's and webargs's own messages, in the tracker's languages.
SCHEMA_MESSAGES = {
    "Missing data for required field.": _l("This is required."),
    "Not a valid integer.": _l("Give a whole number."),
    "Not a valid string.": _l("Give a text."),
    "Not a valid date.": _l("Give a date as YYYY-MM-DD."),
    "Not a valid boolean.": _l("Give true or false."),
    "Unknown field.": _l("This field is not known here."),
    "Field may not be null.": _l("This cannot be empty (null)."),
    "Invalid input type.": _l("The value has the wrong type."),
    "Invalid value.": _l("This value is not acceptable."),
    "Not a valid list.": _l("Give a list."),
    "Invalid JSON body.": _l("The body is not valid JSON."),
    "NUL characters are not allowed.": _l("This text holds a NUL character, which is not allowed."),
}


def _field_messages(messages) -> list[dict]:
    if isinstance(messages, dict):  # nested (a list's items, a sub-object): flattened
        return [m for value in messages.values() for m in _field_messages(value)]
    if not isinstance(messages, (list, tuple)):
        messages = [messages]
    result = []
    for message in messages:
        if isinstance(message, (dict, list, tuple)):
            result.extend(_field_messages(message))
            continue
        known = SCHEMA_MESSAGES.get(str(message))
        if known is not None:
            result.append(both(known))
        elif isinstance(message, str):
            result.append(_schema_message(message))
        else:
            result.append(both(message))
    return result


def _schema_message(text: str) -> dict:
    """A marshmallow message with figures in it ("Must be greater than or equal to 1 and ...")."""
    if text.startswith("Must be one of:"):
        choices = text.split(":", 1)[1].strip().rstrip(".")
        return both(_l("Choose one of: %(choices)s.", choices=choices))
    if text.startswith(("Must be greater", "Must be less", "Must be at")):
        return {"vi": f"Giá trị ngoài khoảng cho phép ({text}).", "en": text}
    if text.startswith(("Longer than", "Shorter than", "Length must")):
        return {"vi": f"Độ dài không hợp lệ ({text}).", "en": text}
    return {"vi": text, "en": text}


def _flat(errors: dict, prefix: str = "") -> dict:
    """Nested messages (a sub-object's, a list's items) under dotted names: candidate.birth_year,
    honours.0.form."""
    flat: dict = {}
    for name, messages in errors.items():
        key = f"{prefix}{name}" if name not in (None, "", "_schema") else (prefix.rstrip(".") or "_")
        if isinstance(messages, dict):
            flat.update(_flat(messages, f"{key}."))
        else:
            flat.setdefault(key, []).extend(messages if isinstance(messages, (list, tuple)) else [messages])
    return flat


def problem_body(status: int, title=None, detail=None, errors: dict | None = None) -> dict:
    title = title or TITLES.get(status) or _l("The request could not be answered.")
    body: dict[str, Any] = {"type": "about:blank", "title": str(title), "status": status}
    if detail:
        body["detail"] = str(detail)
    if errors:
        body["errors"] = {name: _field_messages(messages) for name, messages in _flat(errors).items()}
    return body


def problem_response(error: HTTPException | None, status: int | None = None):
    """Any error of an API request as problem details (never the HTML error page)."""
    status = status or getattr(error, "code", None) or 500
    headers = {}
    if isinstance(error, Problem):
        body = {**problem_body(status, error.title, error.detail, error.errors), **error.members}
        headers.update(error.extra_headers)
    else:
        data = getattr(error, "data", None) or {}
        errors = data.get("errors") or data.get("messages")
        if isinstance(errors, dict) and set(errors) <= {"json", "query", "headers", "path", "form", "files"}:
            merged: dict = {}
            for location, part in errors.items():  # webargs files them by where they came from
                if isinstance(part, dict):
                    merged.update(part)
                else:
                    merged.setdefault(location, []).extend(part if isinstance(part, list) else [part])
            errors = merged
        headers.update(data.get("headers") or {})
        retry_after = getattr(error, "retry_after", None)
        if status == 429 and retry_after:
            headers["Retry-After"] = str(int(retry_after))
        body = problem_body(status, errors=errors)
    response = current_app.response_class(
        current_app.json.dumps(body), status=status, mimetype=PROBLEM)
    for key, value in headers.items():
        response.headers[key] = value
    return response


# --- one service call ----------------------------------------------------------------------


def perform(call: Callable[[], Any], *, stale_status: int = 409, special: Callable | None = None):
    """The operation's one service call, committed; a refusal rolls back and becomes its problem:
    InvalidData 422 with each field's messages, a stale version `stale_status` (412 when the
    caller sent If-Match), a refused transition 409, any other rule 422; `special(error)` may
    give a refusal its own problem first."""
    try:
        value = call()
    except DomainError as error:
        rollback()
        problem = special(error) if special is not None else None
        if problem is not None:
            raise problem from None
        if isinstance(error, ConflictError):
            raise Problem(stale_status, error.message) from None
        if isinstance(error, InvalidData):
            raise Problem(422, TITLES[422], errors=error.errors) from None
        if isinstance(error, WorkflowError):
            raise Problem(409, error.message) from None
        errors = {error.field: [error.message]} if error.field else None
        raise Problem(422, error.message, errors=errors) from None
    commit()
    return value


# --- cursors and ETags ---------------------------------------------------------------------


def decode_cursor(cursor: int | None) -> int | None:
    """Where a list goes on: after the row whose id the previous page gave as next_cursor. A
    keyset by id, so a row added meanwhile never shifts the next page (nor repeats a row)."""
    return cursor or None


def encode_cursor(last_id: int) -> int:
    return last_id


def keyset_page(query, column, cursor: int | None, limit: int, to_json, *, descending: bool = True) -> dict:
    """One page of `query` ordered by `column` (an id), after the cursor: stable under inserts
    (a new row never shifts the next page). {"items": [to_json(row), ...], "next_cursor": id | None}."""
    after = decode_cursor(cursor)
    query = query.order_by(None).order_by(column.desc() if descending else column.asc())
    if after is not None:
        query = query.where(column < after if descending else column > after)
    rows = list(db.session.scalars(query.limit(limit + 1)).unique())
    more = len(rows) > limit
    rows = rows[:limit]
    return {"items": [to_json(row) for row in rows],
            "next_cursor": encode_cursor(rows[-1].id) if more and rows else None}


def etag_of(record) -> str:
    return f'"{record.__class__.__name__.lower()}-{record.id}-v{record.version}"'


def expected_version(record) -> tuple[int | None, int]:
    """The version the caller read (from If-Match), checked now: 412 when the record has moved on.
    Without If-Match the write goes ahead (last writer wins, as a form opened just now would)."""
    wanted = request.headers.get("If-Match")
    if not wanted:
        return None, 409
    if wanted.strip() == "*":
        return None, 412
    if etag_of(record) not in [tag.strip().removeprefix("W/") for tag in wanted.split(",")]:
        raise Problem(412, TITLES[412])
    return record.version, 412


def with_etag(response_body, record, status: int = 200):
    """A record's body with its ETag (what If-Match sends back)."""
    return response_body, status, {"ETag": etag_of(record)}


def param(name: str, value):
    """Fail a query parameter that names something the caller cannot see (or does not exist)."""
    if value is None:
        raise Problem(404, TITLES[404], errors={name: [_l("Not found.")]})
    return value

