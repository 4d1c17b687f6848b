"""Sign-in form."""
from flask_babel import lazy_gettext as _l
from tracker.forms_base import TrackerForm
from wtforms import PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length


class LoginForm(TrackerForm):
    username = StringField(_l("Username"), validators=[DataRequired(_l("Enter your username.")), Length(max=64)])
    password = PasswordField(_l("Password"), validators=[DataRequired(_l("Enter your password."))])


class PasswordChangeForm(TrackerForm):
    current_password = PasswordField(_l("Current password"),
                                     validators=[DataRequired(_l("Enter your current password."))])
    password = PasswordField(_l("New password"), validators=[DataRequired(_l("Enter a password."))])
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[DataRequired(_l("Repeat the password.")), EqualTo("password", _l("The two passwords differ."))],
    )


class TokenForm(TrackerForm):
    """A new personal access token of the JSON API (its choices are set by the view)."""

    name = StringField(_l("Name (the system that will use it)"),
                       validators=[DataRequired(_l("Give the token a name (the system that will use it).")),
                                   Length(max=100)])
    scope = SelectField(_l("What it may do"), choices=[])
    days = SelectField(_l("Lasts"), choices=[], coerce=int)
