"""Sign-in form."""
from flask_babel import lazy_gettext as _l
from tracker.forms_base import TrackerForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length


class LoginForm(TrackerForm):
    username = StringField(_l("Username"), validators=[DataRequired(_l("Enter your username.")), Length(max=64)])
    password = PasswordField(_l("Password"), validators=[DataRequired(_l("Enter your password."))])
