"""The base form: WTForms' own messages translated through the tracker's catalogue, and the
clean-up every text field gets.

WTForms ships no Vietnamese catalogue, so its built-in messages are listed here for
extraction and answered from tracker/translations like every other string.
"""
import re
from datetime import date

from flask_babel import get_translations, lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    HiddenField,
    IntegerField,
    PasswordField,
    SelectChoice,
    StringField,
    TextAreaField,
)
from wtforms.validators import StopValidation
from wtforms.widgets import TextInput

from tracker import clock
from tracker.inputs import MAX_BIG_INT, multi_line, parse_choice, parse_enum, parse_id, query_text, single_line


class _CatalogueTranslations:
    """Raw look-ups: WTForms fills the %(placeholders)s itself."""

    def gettext(self, string):
        return get_translations().gettext(string)

    def ngettext(self, singular, plural, n):
        return get_translations().ngettext(singular, plural, n)


def _text_filter(field_class):
    """The clean-up a field of this class gets: a text area keeps its line breaks, any other text
    field (names, numbers of documents, titles, hidden fields) is one line; passwords are taken
    as typed."""
    if issubclass(field_class, TextAreaField):
        return multi_line
    if issubclass(field_class, StringField) and not issubclass(field_class, PasswordField):
        return single_line
    return None


EARLIEST_DATE, LATEST_DATE = date(1900, 1, 1), date(2999, 12, 31)
_DAY = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})$")
_ISO_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


class DayField(DateField):
    """A day shown and typed as dd/mm/yyyy whatever the browser's language.

    A browser's own date input shows the day in its language's order (04/10/2020 in an
    English-language Chrome for 10 April), so this is a text input: dd/mm/yyyy (also d/m/yyyy,
    with "-" or "." between) or yyyy-mm-dd is read, an impossible day (31/02/2020) gets its own
    message, and static/js/datepicker.js adds the vendored calendar to pick from.
    """

    widget = TextInput()

    def __init__(self, label=None, validators=None, **kwargs):
        render_kw = {"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off",
                     "data-datepicker": "", "data-today": clock.today().strftime("%d/%m/%Y"), "maxlength": 10,
                     **(kwargs.pop("render_kw", None) or {})}
        super().__init__(label, validators, format="%d/%m/%Y", render_kw=render_kw, **kwargs)

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]  # as typed, when it comes back with an error
        return self.data.strftime("%d/%m/%Y") if self.data else ""

    def process_formdata(self, valuelist):
        if not valuelist or not (valuelist[0] or "").strip():
            self.data = None
            return
        text = valuelist[0].strip()
        found = _DAY.match(text)
        day_month_year = (found.group(1), found.group(2), found.group(3)) if found else None
        if day_month_year is None and (iso := _ISO_DAY.match(text)):
            day_month_year = (iso.group(3), iso.group(2), iso.group(1))
        self.data = None
        if day_month_year is None:
            raise ValueError(str(_l("Enter the date as dd/mm/yyyy, for example 10/04/2020.")))
        try:
            self.data = date(int(day_month_year[2]), int(day_month_year[1]), int(day_month_year[0]))
        except ValueError:
            raise ValueError(str(_l("%(text)s is not a day of the calendar: check the day and the month.",
                                    text=text))) from None


def _plausible_date(form, field):
    """A date outside 1900–2999 is a typing slip (and the year 9999 has no next day to count to)."""
    if field.data is not None and not EARLIEST_DATE <= field.data <= LATEST_DATE:
        raise StopValidation(_l("Enter a date between 01/01/1900 and 31/12/2999."))


def _within_any_column(form, field):
    """A whole number no column can hold (beyond BIGINT) is refused, whatever the field's own range."""
    if field.data is not None and not -MAX_BIG_INT <= field.data <= MAX_BIG_INT:
        raise StopValidation(_l("This number is too large."))


class TrackerForm(FlaskForm):
    class Meta(FlaskForm.Meta):
        def get_translations(self, form):
            return _CatalogueTranslations()

        def bind_field(self, form, unbound_field, options):
            """Every field of every form: text without control characters (see _text_filter), and
            numbers within what a column can hold and plausible dates, checked before the field's own
            validators."""
            field_class = unbound_field.field_class
            clean = _text_filter(field_class)
            if clean is not None:
                options["filters"] = (*unbound_field.kwargs.get("filters", ()), clean)
            first = (_within_any_column if issubclass(field_class, IntegerField)
                     else _plausible_date if issubclass(field_class, DateField) else None)
            if first is not None:
                options["validators"] = (first, *(unbound_field.kwargs.get("validators") or ()))
            return super().bind_field(form, unbound_field, options)


class FilterForm(TrackerForm):
    """A GET form of list filters: no CSRF token, values read from the query string.

    A view reads the chosen values through chosen_id / chosen_enum / chosen_text, which ignore
    what is not a valid choice (an unknown status, an id too large for the column, junk)."""

    class Meta(TrackerForm.Meta):
        csrf = False

    def chosen_id(self, name: str) -> int | None:
        return parse_id(getattr(self, name).data)

    def chosen_enum(self, name: str, enum_cls):
        return parse_enum(getattr(self, name).data, enum_cls)

    def chosen(self, name: str, allowed) -> str | None:
        return parse_choice(getattr(self, name).data, allowed)

    def chosen_text(self, name: str) -> str:
        return query_text(getattr(self, name).data)


class VersionForm(TrackerForm):
    """A POST that changes a record carries the version it was read at (no lost update)."""

    version = HiddenField()


def version_number(form, name: str = "version") -> int | None:
    """The version a form was built from (its hidden field `name`), or None when the client sent none."""
    data = getattr(form, name).data
    value = data.strip() if isinstance(data, str) else data
    if value in (None, ""):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1  # a garbled version never matches: refused as a conflict


def show_error(form, error) -> int:
    """Put a DomainError's message next to its field, or flash it when it names no field; the
    status to answer with the form again: 409 for a stale form (ConflictError), else 200."""
    from flask import flash

    from tracker.errors import ConflictError

    field = getattr(form, error.field or "", None)
    if field is None:
        flash(error.message, "danger")
    else:
        field.errors = [*field.errors, error.message]
    return 409 if isinstance(error, ConflictError) else 200


def choices(pairs) -> list[SelectChoice]:
    """Select options from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]


def _n(singular, plural):  # marks plural messages for extraction only
    return singular, plural


WTFORMS_MESSAGES = (
    _l("Field must be equal to %(other_name)s."),
    _n("Field must be at least %(min)d character long.", "Field must be at least %(min)d characters long."),
    _n("Field cannot be longer than %(max)d character.", "Field cannot be longer than %(max)d characters."),
    _n("Field must be exactly %(max)d character long.", "Field must be exactly %(max)d characters long."),
    _l("Field must be between %(min)d and %(max)d characters long."),
    _l("Number must be at least %(min)s."),
    _l("Number must be at most %(max)s."),
    _l("Number must be between %(min)s and %(max)s."),
    _l("Date must be at least %(min)s."),
    _l("Date must be at most %(max)s."),
    _l("Date must be between %(min)s and %(max)s."),
    _l("This field is required."),
    _l("Invalid input."),
    _l("Invalid email address."),
    _l("Invalid value, must be one of: %(values)s."),
    _l("Invalid value, can't be any of: %(values)s."),
    _l("This field cannot be edited."),
    _l("This field is disabled and cannot have a value."),
    _l("Invalid CSRF Token."),
    _l("CSRF token missing."),
    _l("CSRF failed."),
    _l("CSRF token expired."),
    _l("Invalid Choice: could not coerce."),
    _l("Not a valid choice."),
    _l("Invalid choice(s): one or more data inputs could not be coerced."),
    _n("'%(value)s' is not a valid choice for this field.", "'%(value)s' are not valid choices for this field."),
    _l("Not a valid datetime value."),
    _l("Not a valid date value."),
    _l("Not a valid time value."),
    _l("Not a valid integer value."),
    _l("Not a valid decimal value."),
    _l("Not a valid float value."),
)


def files_to_choose_again(uploads) -> str:
    """What a form with errors says about the files chosen with it (a browser cannot keep them):
    which ones, by name, to choose again."""
    names = [u.filename for u in uploads or () if getattr(u, "filename", "")]
    return str(_l("These files were not saved because of the errors above: %(names)s. Choose them again.",
                  names=", ".join(names)))
