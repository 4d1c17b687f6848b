"""Generic Jinja filters: dates dd/mm/yyyy, moments, numbers with the locale's separators.

Each area keeps the labels of its own enums (tracker/<area>/labels.py); the factory hands them
to templates, so this module imports nothing of the areas.
"""
from datetime import date, datetime

from flask_babel import format_datetime, format_decimal


def format_day(value) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def format_moment(value) -> str:
    if value is None:
        return ""
    return format_datetime(value, "dd/MM/yyyy HH:mm")


def format_clock(value) -> str:
    """The time of day, to the second, in the tracker's time zone ("09:41:05")."""
    if value is None:
        return ""
    return format_datetime(value, "HH:mm:ss")


def format_number(value) -> str:
    if value is None or value == "":
        return ""
    if type(value) is int and value >= 0:  # the common case, without Babel's general machinery
        if value < 1000:
            return str(value)
        group = _int_grouping()
        if group is not None:
            return f"{value:,}".replace(",", group)
    return format_decimal(value)


def _int_grouping() -> str | None:
    """The locale's group symbol when it groups integers by threes (vi, en), per request."""
    from babel.numbers import get_group_symbol
    from flask import has_request_context, request
    from flask_babel import get_locale

    current = request._get_current_object() if has_request_context() else None
    if current is not None and hasattr(current, "_tracker_number_group"):
        return current._tracker_number_group
    locale = get_locale()
    group = get_group_symbol(locale) if locale.decimal_formats[None].grouping == (3, 3) else None
    if current is not None:
        current._tracker_number_group = group
    return group


def shorten(text: str, length: int) -> str:
    """`text` on one line, cut at the last whole word before `length` characters with "…"."""
    text = " ".join((text or "").split())
    return text if len(text) <= length else text[:length].rsplit(" ", 1)[0] + "…"


FILTERS = {"day": format_day, "moment": format_moment, "clock": format_clock, "number": format_number}
