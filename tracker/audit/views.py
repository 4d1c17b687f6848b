"""The audit trail, browsed and filtered by admins."""
from flask import Blueprint, render_template, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from wtforms import StringField
from wtforms.validators import Optional

from tracker.audit.services import search_events
from tracker.extensions import db
from tracker.forms_base import DayField, FilterForm
from tracker.permissions import can_view_audit, require, visible_unit_ids

bp = Blueprint("audit", __name__, url_prefix="/audit")


class AuditFilterForm(FilterForm):
    action = StringField(_l("Action"))
    username = StringField(_l("Username"))
    entity_type = StringField(_l("Record type"))
    date_from = DayField(_l("From"), validators=[Optional()])
    date_to = DayField(_l("To"), validators=[Optional()])


@bp.before_request
@login_required
def _admins_only():
    require(can_view_audit(current_user))


@bp.route("/")
def index():
    form = AuditFilterForm(request.args)
    form.validate()
    query = search_events(
        visible_unit_ids(current_user),
        action=form.chosen_text("action").strip(),
        username=form.chosen_text("username"),
        entity_type=form.chosen_text("entity_type").strip(),
        date_from=form.date_from.data if not form.date_from.errors else None,
        date_to=form.date_to.data if not form.date_to.errors else None,
    )
    page = db.paginate(query, per_page=50, error_out=False)
    return render_template("audit/index.html", page=page, form=form)
