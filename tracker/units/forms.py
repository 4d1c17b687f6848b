"""Unit tree forms."""
from flask_babel import lazy_gettext as _l
from tracker.forms_base import FilterForm, VersionForm, choices
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length, Regexp

from tracker.units.labels import UNIT_KIND_LABELS


class UnitForm(VersionForm):
    name = StringField(_l("Name"), validators=[DataRequired(_l("Enter the unit's name.")), Length(max=200)])
    code = StringField(
        _l("Code"),
        validators=[
            DataRequired(_l("Enter the unit's code.")),
            Length(max=32),
            Regexp(r"^[A-Za-z0-9_.-]+$", message=_l("Use letters, digits, dots, dashes or underscores only.")),
        ],
    )
    kind = SelectField(_l("Kind"), choices=choices((k.value, label) for k, label in UNIT_KIND_LABELS.items()))
    parent_id = SelectField(_l("Parent unit"), coerce=int, validate_choice=True)


class UnitFilterForm(FilterForm):
    q = StringField(_l("Search"))
    kind = SelectField(_l("Kind"), choices=choices([("", _l("All kinds"))] + [(k.value, label) for k, label in UNIT_KIND_LABELS.items()]))
