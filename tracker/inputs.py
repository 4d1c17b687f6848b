"""What a request brings in: ids, choices, words, page numbers and redirect targets.

Every value a view takes from the query string (and every text field of a form, through
forms_base) passes through these parsers, so that an input nobody would type — an unknown
choice, an id no column can hold, digits that are not ASCII, NUL or other control characters, a
redirect target on another site or with a line break — is ignored or refused here, never turned
into a 500 further down.
"""
import re
from enum import Enum
from urllib.parse import urlencode, urlsplit

from flask import request, url_for
from werkzeug.datastructures import MultiDict

MAX_ID = 2**31 - 1  # ids are 32-bit integers in PostgreSQL: a larger one would fail the query
MAX_PAGE = 10**6  # a page beyond any list; its offset would overflow the database's integers
MAX_BIG_INT = 2**63 - 1  # the largest number any column holds (BIGINT)
MAX_QUERY_TEXT = 200  # words searched for in a list
MAX_TARGET = 2000  # a redirect target longer than this is no page of ours

# Line breaks and tabs (and the Unicode line and paragraph separators) become a space in a
# single-line field; every other control character (C0, DEL, C1) is dropped.
_BREAK = "\t\n\v\f\r\x1c-\x1f\x85\u2028\u2029"
_BREAKS = re.compile(f"[ {_BREAK}]*[{_BREAK}][ {_BREAK}]*")  # with the spaces around them
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f]")
# A multi-line field keeps its tabs and line breaks (CR and LF) and loses the rest.
_CONTROLS_MULTILINE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Never in a redirect target: controls (header splitting; browsers drop tabs and line breaks, so
# "/\t/evil" becomes "//evil"), the backslash (browsers read "/\evil" as "//evil"), spaces.
_UNSAFE_IN_TARGET = re.compile("[\x00-\x20\x7f-\x9f\\\\\u2028\u2029]")


# --- text ----------------------------------------------------------------------------------


def single_line(value):
    """A one-line text without control characters: line breaks and tabs become a space (a title
    pasted from two lines), the rest is dropped, and so are the spaces around it (a number pasted
    with its line break). Anything but a string is returned as it is."""
    if not isinstance(value, str):
        return value
    return _CONTROLS.sub("", _BREAKS.sub(" ", value)).strip()


def multi_line(value):
    """A text that keeps its line breaks and tabs, without the other control characters."""
    if not isinstance(value, str):
        return value
    return _CONTROLS_MULTILINE.sub("", value)


def query_text(value, max_length: int = MAX_QUERY_TEXT) -> str:
    """Words to search for: one line, at most `max_length` characters, never None."""
    return single_line(value if isinstance(value, str) else "")[:max_length]


# --- numbers and choices -----------------------------------------------------------------


def parse_int(value, low: int, high: int) -> int | None:
    """A whole number written in ASCII digits (an optional minus, spaces around), within
    [low, high]; None for anything else (words, decimals, '１２', '²', '1_0', out of range)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if low <= value <= high else None
    if not isinstance(value, str):
        return None
    text = value.strip()
    digits = text[1:] if text.startswith("-") else text
    if not digits or len(digits) > 19 or not (digits.isascii() and digits.isdigit()):
        return None
    number = int(text)
    return number if low <= number <= high else None


def parse_id(value) -> int | None:
    """The id of a row (1 to MAX_ID), or None for junk, zero, negative and too large numbers."""
    return parse_int(value, 1, MAX_ID)


def parse_choice(value, allowed) -> str | None:
    """`value` when it is one of `allowed` (strings), else None."""
    return value if isinstance(value, str) and value in allowed else None


def parse_enum(value, enum_cls: type[Enum]):
    """The member of `enum_cls` whose value is `value`, or None for an unknown one."""
    if isinstance(value, enum_cls):
        return value
    return next((member for member in enum_cls if member.value == value), None) if isinstance(value, str) else None


# --- the query string --------------------------------------------------------------------


def arg_id(name: str) -> int | None:
    """?name= as a row id, or None (missing, junk, out of range)."""
    return parse_id(request.args.get(name))


def arg_page() -> int | None:
    """?page= as a page number of 1 or more, or None when it is missing or junk (the first
    page). Read as Flask-SQLAlchemy's paginate reads it (int(): '１２' is 12), so that the check
    of its range in create_app sees what every list sees; a number beyond MAX_PAGE is returned
    as it is, and that check answers 404."""
    page = request.args.get("page", type=int)
    return page if page is not None and page >= 1 else None


def url_with_args(endpoint: str, path_values: dict | None = None, **changes) -> str:
    """The URL of `endpoint` carrying this request's query string, with `changes` made (None
    removes a name): the next page of a list, the export of the filtered list. The query string
    is added apart from url_for, so no name in it can be taken for url_for's own arguments
    (_external, _scheme, endpoint) or a route's (fmt)."""
    args = MultiDict(request.args)
    for name, value in changes.items():
        args.poplist(name)
        if value is not None:
            args[name] = value
    url = url_for(endpoint, **(path_values or {}))
    query = urlencode(list(args.items(multi=True)))
    return f"{url}?{query}" if query else url


# --- redirect targets --------------------------------------------------------------------


def safe_next(target) -> str | None:
    """A redirect target that stays on this site, or None: a path of our own ("/plans/?page=2"),
    never another site ("//evil", "/\\evil", "https://evil"), nor a line break or other control
    character that could split the Location header. Every view that redirects to a target the
    request names (?next=, a form's `next` or `back`) asks this BEFORE it commits anything."""
    if not isinstance(target, str) or not target or len(target) > MAX_TARGET:
        return None
    if not target.startswith("/") or target.startswith("//") or _UNSAFE_IN_TARGET.search(target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


def redirect_target(target, fallback: str, within: str = "/") -> str:
    """`target` when it is safe and lies under `within`, else `fallback`."""
    safe = safe_next(target)
    return safe if safe is not None and safe.startswith(within) else fallback
