"""User administration forms."""
from flask_babel import lazy_gettext as _l
from tracker.forms_base import FilterForm, TrackerForm, VersionForm, choices
from wtforms import EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Email, Length, Optional, Regexp

from tracker.users.labels import ROLE_LABELS

ROLE_CHOICES = [(r.value, label) for r, label in ROLE_LABELS.items()]



class _ProfileFields(TrackerForm):
    full_name = StringField(_l("Full name"), validators=[DataRequired(_l("Enter the full name.")), Length(max=120)])
    email = EmailField(_l("Email"), validators=[Optional(), Email(_l("This is not a valid email address.")), Length(max=254)])
    role = SelectField(_l("Role"), choices=choices(ROLE_CHOICES))
    unit_id = SelectField(_l("Unit"), coerce=int)


class UserCreateForm(_ProfileFields):
    username = StringField(
        _l("Username"),
        validators=[
            DataRequired(_l("Enter a username.")),
            Length(min=3, max=64, message=_l("A username has 3 to 64 characters.")),
            Regexp(r"^[A-Za-z0-9_.-]+$", message=_l("Use letters, digits, dots, dashes or underscores only.")),
        ],
    )
    password = PasswordField(_l("Password"), validators=[DataRequired(_l("Enter a password."))])
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[DataRequired(_l("Repeat the password.")), EqualTo("password", _l("The two passwords differ."))],
    )


class UserEditForm(_ProfileFields, VersionForm):
    pass


class PasswordResetForm(TrackerForm):
    password = PasswordField(_l("New password"), validators=[DataRequired(_l("Enter a password."))])
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[DataRequired(_l("Repeat the password.")), EqualTo("password", _l("The two passwords differ."))],
    )


class UserFilterForm(FilterForm):
    q = StringField(_l("Search"))
    role = SelectField(_l("Role"), choices=choices([("", _l("All roles"))] + ROLE_CHOICES))
    status = SelectField(
        _l("Status"),
        choices=choices([("", _l("All")), ("active", _l("Active")), ("inactive", _l("Deactivated"))]),
    )
