"""The audit trail, browsed and filtered by admins."""
from flask import Blueprint, render_template, request
from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user, login_required
from wtforms import SelectField, StringField
from wtforms.validators import Optional

from tracker.audit import labels
from tracker.audit.services import search_events
from tracker.extensions import db
from tracker.forms_base import DayField, FilterForm, choices
from tracker.permissions import can_view_audit, require, visible_unit_ids

bp = Blueprint("audit", __name__, url_prefix="/audit")


class AuditFilterForm(FilterForm):
    action = SelectField(_l("Action"))
    username = StringField(_l("Username"))
    entity_type = SelectField(_l("Record type"))
    date_from = DayField(_l("From"), validators=[Optional()])
    date_to = DayField(_l("To"), validators=[Optional()])


@bp.before_request
@login_required
def _admins_only():
    require(can_view_audit(current_user))


def _field_labels() -> dict:
    """Every field name the audit may show, with its label: the nominations' declared fields,
    the progress report's, and the shared ones (tracker.audit.labels)."""
    from tracker.nominations.fields import FIELDS
    from tracker.reports.forms import FIELD_LABELS as REPORT_FIELDS

    return {**labels.FIELD_LABELS, **REPORT_FIELDS, **{f.name: f.label for f in FIELDS}}


def _record_names(events) -> dict:
    """The name each event's record goes by now ({(type, id): name}): a nomination by its
    candidate, a report by its milestone and unit, an account by its holder. One query per kind
    of record on the page, whatever the page holds."""
    from sqlalchemy import select

    from tracker.candidates.models import Candidate
    from tracker.nominations.models import Nomination
    from tracker.plans.models import Milestone, Plan
    from tracker.reports.models import ProgressReport
    from tracker.units.models import Unit
    from tracker.users.models import User

    wanted: dict[str, set] = {}
    for event in events:
        if event.entity_type and event.entity_id:
            wanted.setdefault(event.entity_type, set()).add(event.entity_id)
    queries = {
        "Nomination": lambda ids: select(Nomination.id, Candidate.full_name).join(Candidate)
        .where(Nomination.id.in_(ids)),
        "ProgressReport": lambda ids: select(ProgressReport.id, Milestone.title + " – " + Unit.name)
        .join(Milestone, Milestone.id == ProgressReport.milestone_id).join(Unit, Unit.id == ProgressReport.unit_id)
        .where(ProgressReport.id.in_(ids)),
        "User": lambda ids: select(User.id, User.full_name).where(User.id.in_(ids)),
        "Unit": lambda ids: select(Unit.id, Unit.name).where(Unit.id.in_(ids)),
        "Plan": lambda ids: select(Plan.id, Plan.number).where(Plan.id.in_(ids)),
        "Candidate": lambda ids: select(Candidate.id, Candidate.full_name).where(Candidate.id.in_(ids)),
    }
    names = {}
    for kind, ids in wanted.items():
        if kind in queries:
            names.update({(kind, row[0]): row[1] for row in db.session.execute(queries[kind](ids))})
    return names


def _value_labels() -> dict:
    """The words for coded values, by kind of record and field: {entity type: {field: {code: label}}}."""
    from tracker import template_labels

    words = template_labels()

    def by_value(mapping):
        return {key.value: label for key, label in mapping.items()}

    return {
        "Nomination": {"status": by_value(words["nomination_status"])},
        "ProgressReport": {"status": by_value(words["report_status"])},
        "Plan": {"status": by_value(words["plan_status"])},
        "Proposal": {"status": by_value(words["proposal_status"])},
        "User": {"role": by_value(words["role"])},
        "Unit": {"kind": by_value(words["unit_kind"])},
    }


@bp.route("/")
def index():
    form = AuditFilterForm(request.args)
    form.action.choices = choices([("", _("All actions"))] + sorted(
        ((code, str(label)) for code, label in labels.ACTION_LABELS.items()), key=lambda c: c[1]))
    form.entity_type.choices = choices([("", _("All records"))] + sorted(
        ((code, str(label)) for code, label in labels.RECORD_LABELS.items()), key=lambda c: c[1]))
    form.validate()
    query = search_events(
        visible_unit_ids(current_user),
        action=form.chosen("action", labels.ACTION_LABELS) or "",
        username=form.chosen_text("username"),
        entity_type=form.chosen("entity_type", labels.RECORD_LABELS) or "",
        date_from=form.date_from.data if not form.date_from.errors else None,
        date_to=form.date_to.data if not form.date_to.errors else None,
    )
    page = db.paginate(query, per_page=50, error_out=False)
    return render_template("audit/index.html", page=page, form=form, action_label=labels.action_label,
                           record_label=labels.record_label, change_lines=labels.change_lines,
                           field_labels=_field_labels(), value_labels=_value_labels(),
                           names=_record_names(page.items))
