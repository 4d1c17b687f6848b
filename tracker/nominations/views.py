"""Nominations of advanced exemplars: the ward's form, import and files; the committee's queue and review."""
from dataclasses import dataclass

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user, login_required

from tracker import clock, tasks
from tracker.attachments.services import ACCEPT_ATTRIBUTE, CATEGORY_LABELS, MB, Upload, attachments_of, limits
from tracker.errors import InvalidData
from tracker.spreadsheets.writer import workbook_response
from tracker.extensions import db
from tracker.forms_base import VersionForm, choices, files_to_choose_again, version_number
from tracker.inputs import arg_id, parse_id, redirect_target, url_with_args
from tracker.jobs.views import to_the_job
from tracker.nominations import fields, queries, services
from tracker.nominations.candidates import CandidateMatch, twins_of
from tracker.jobs.services import start_job
from tracker.nominations.exports import export_params, template_workbook
from tracker.nominations.forms import (
    BulkForm,
    ImportForm,
    NominationFilterForm,
    NominationForm,
    RejectForm,
    ReturnForm,
)
from tracker.nominations.imports import ImportRefused, start_import
from tracker.candidates.labels import CANDIDATE_KIND_LABELS
from tracker.candidates.models import CandidateKind
from tracker.nominations.labels import NOMINATION_STATUS_LABELS
from tracker.nominations.models import Nomination, NominationStatus
from tracker.outcome import attempt, done
from tracker.pagecache import render_page, tree, versions
from tracker.pagination import paginate_counted
from tracker.permissions import (
    can_edit_nomination,
    can_list_nominations,
    can_nominate,
    can_review_nomination,
    can_review_nominations,
    can_view_nomination,
    get_in_scope_or_404,
    get_unit_or_404,
    in_scope,
    plan_in_scope,
    require,
    require_found,
    visible_unit_ids,
)
from tracker.plans import services as plans
from tracker.plans.models import Movement
from tracker.units.services import drill_down
from tracker.stats import figures
from tracker.throttle import enforce

bp = Blueprint("nominations", __name__, url_prefix="/nominations")


@bp.before_request
@login_required
def _signed_in():
    pass


def _nomination_or_404(nomination_id: int) -> Nomination:
    if parse_id(nomination_id) is None:
        abort(404)
    nomination = get_in_scope_or_404(current_user, Nomination, nomination_id)
    require(can_view_nomination(current_user, nomination))
    return nomination


# --- the queue ---------------------------------------------------------------------------

def _sort_choices():
    return [("newest", _("Newest submitted first")), ("oldest", _("Oldest submitted first")),
            ("name", _("Name")), ("unit", _("Unit")), ("updated", _("Last changed"))]


def _short(text: str, length: int = 70) -> str:
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def _chosen() -> tuple[NominationFilterForm, dict]:
    """The filter form (without its choices) and the filters the URL asks for, the unit as an
    id, permitted on the tree alone (tracker.pagecache.tree: no query while the tree has not
    changed): 404 for a plan, movement or unit outside the user's scope."""
    form = NominationFilterForm(request.args)
    held = tree.current()
    plan_id, movement_id, unit_id = form.chosen_id("plan"), form.chosen_id("movement"), form.chosen_id("unit")
    if plan_id and not _seen(held.plan(plan_id)):
        abort(404)
    if movement_id and not _seen(held.movement_plan(movement_id)):
        abort(404)
    if unit_id and not in_scope(current_user, held.unit(unit_id)):
        abort(404)
    filters = {
        "plan_id": plan_id,
        "movement_id": movement_id,
        "unit_id": unit_id,
        "status": form.chosen("status", {"pending"} | {s.value for s in NominationStatus}),
        "kind": form.chosen_enum("kind", CandidateKind),
        "text": form.chosen_text("q"),
        "sort": form.chosen("sort", queries.SORTS) or "newest",
    }
    return form, filters


def _seen(plan) -> bool:
    return plan is not None and plan_in_scope(current_user, plan)


def _filters(form: NominationFilterForm, chosen: dict) -> dict:
    """The form's choices filled in, and the filters with the chosen unit's record."""
    plan_list = db.session.scalars(plans.visible_plans(current_user)).all()
    movements = queries.movements_of({p.id for p in plan_list})
    numbers = {p.id: p.number for p in plan_list}
    form.plan.choices = choices([("", _("All plans"))] + [(p.id, _short(f"{p.number} – {p.title}")) for p in plan_list])
    form.movement.choices = choices([("", _("All movements"))] + [
        (m.id, f"{numbers[m.plan_id]} · {m.name}") for m in movements])
    for choice, movement in zip(form.movement.choices[1:], movements):
        choice.render_kw = {"data-plan": movement.plan_id}  # the list follows the chosen plan (app.js)
    filters = {key: value for key, value in chosen.items() if key != "unit_id"}
    filters["unit"] = chosen_unit = get_unit_or_404(current_user, chosen["unit_id"]) if chosen["unit_id"] else None
    root_depth = current_user.unit.depth
    form.unit.choices = choices([("", _("All units"))] + [
        (u.id, f"{'— ' * (u.depth - root_depth)}{u.name}") for u in drill_down(current_user.unit, chosen_unit)])
    form.status.choices = choices([("", _("All statuses")), ("pending", _("Awaiting review"))] + [
        (s.value, NOMINATION_STATUS_LABELS[s]) for s in NominationStatus])
    form.kind.choices = choices([("", _("Individuals and collectives"))] + [
        (k.value, CANDIDATE_KIND_LABELS[k]) for k in CandidateKind])
    form.sort.choices = choices(_sort_choices())
    return filters


@bp.route("/")
def index():
    require(can_list_nominations(current_user))
    form, chosen = _chosen()  # a plan, movement or unit outside the user's scope: 404 before the cache
    # What it shows: the chosen plan's (or every plan's) nominations in the chosen unit's subtree.
    unit_id = chosen["unit_id"] or current_user.unit_id
    scope = versions.plan_scope(chosen["plan_id"], unit_id) if chosen["plan_id"] else versions.all_scope(unit_id)
    return render_page("nominations/index.html", lambda: _queue_context(form, _filters(form, chosen)), [scope])


def _queue_context(form, filters: dict) -> dict:
    visible = visible_unit_ids(current_user)
    total, capped = figures.count_nominations(current_user.unit, **filters), False
    broad = total > queries.BROAD
    if filters["text"].strip():
        query, total, capped = queries.search_by_words(visible, filters, broad, current_user.unit)
    else:
        query = queries.search_nominations(visible, **filters, broad=broad)
    page = paginate_counted(query, min(total, queries.SEARCH_COUNT_CAP) if capped else total,
                            per_page=current_app.config.get("PER_PAGE", 25), capped=capped)
    return {"page": page, "form": form, "twins": twins_of(page.items, visible),
            "bulk_form": BulkForm(formdata=None, data={"back": request.full_path}),
            "reviewable": services.AWAITING_REVIEW}


@bp.route("/export.<any(xlsx, csv):fmt>", methods=["POST"])
def export(fmt: str):
    """The filtered list as a file, written by a background job (any length: a whole country's
    list too); the user is taken to the job's page, which offers the file when it is ready."""
    require(can_list_nominations(current_user))
    enforce("EXPORT_LIMIT_PER_USER", "export", current_user)
    filters = _filters(*_chosen())
    title = _("List of nominations (.%(fmt)s) – %(unit)s", fmt=fmt, unit=(filters["unit"] or current_user.unit).name)
    return to_the_job(attempt(lambda: start_job(current_user, "nominations_export", title, export_params(fmt, filters))),
                      url_with_args("nominations.index"))


# --- the ward's form ---------------------------------------------------------------------


def _form_choices(form: NominationForm, plan_list: list) -> None:
    form.plan_id.choices = choices([(p.id, f"{p.number} – {p.title}") for p in plan_list])
    movement_choices = choices([("", "—")])
    award_choices = choices([("", "—")])
    awards, plans_of_award = {}, {}
    for plan in plan_list:
        for movement in plan.movements:
            movement_choices.extend(choices([(movement.id, movement.name)]))
            movement_choices[-1].render_kw = {"data-plan": plan.id}
        for award in queries.award_choices(plan):  # the plan's legal regime
            awards.setdefault(award.id, award)
            plans_of_award.setdefault(award.id, []).append(str(plan.id))
    for award in awards.values():
        # app.js shows only the awards of the chosen kind (individual or collective) and plan.
        award_choices.extend(choices([(award.id, award.name)]))
        award_choices[-1].render_kw = {"data-recipient": award.recipient.value,
                                       "data-plans": " ".join(plans_of_award[award.id])}
    form.movement_id.choices = movement_choices
    form.proposed_award_type_id.choices = award_choices


def _render_form(form: NominationForm, nomination: Nomination | None, plan_list: list, match=None,
                 status: int = 200):
    if request.method == "POST" and form.files.data and any(f.filename for f in form.files.data) \
            and not form.files.errors:
        form.files.errors = list(form.files.errors) + [files_to_choose_again(form.files.data)]
    max_file, max_total = limits()
    return render_template(
        "nominations/form.html", form=form, nomination=nomination, plans=plan_list, match=match,
        match_record=queries.candidate_record(match, visible_unit_ids(current_user)) if match else None,
        attachments=attachments_of(nomination_id=nomination.id) if nomination else [],
        accept=ACCEPT_ATTRIBUTE, max_file_bytes=max_file, max_file_mb=max_file // MB,
        max_total_mb=max_total // MB, categories=CATEGORY_LABELS,
        sections={name: fields.in_section(name) for name in fields.SECTIONS},
    ), status


def _save(form: NominationForm, nomination: Nomination | None, plan_list: list):
    """Validate and save the form (one service call); the response to send."""
    match = None
    if form.validate_on_submit():
        plan = nomination.plan if nomination else next((p for p in plan_list if p.id == form.plan_id.data), None)
        if plan is None:
            form.plan_id.errors = list(form.plan_id.errors) + [_("Choose a plan.")]
            return _render_form(form, nomination, plan_list)
        movement = db.session.get(Movement, form.movement_id.data) if form.movement_id.data else None
        submit = bool(form.hand_in.data)
        outcome = attempt(lambda: services.save_nomination(
            current_user, current_user.unit, plan, movement, form.person(), today=clock.today(),
            nomination=nomination, candidate_id=parse_id(form.candidate_id.data),
            expected_version=version_number(form) if nomination else None,
            expected_candidate_version=version_number(form, "candidate_version") if nomination else None,
            uploads=[Upload(f.filename or "", f.stream) for f in form.files.data or [] if f.filename],
            category=form.category.data, submit=submit, **form.values(),
        ), form)
        if outcome.ok:
            return done(_("The nomination was submitted to the committee.") if submit else _("Draft saved."),
                        url_for("nominations.show", nomination_id=outcome.value.id))
        if isinstance(outcome.error, CandidateMatch):  # offer the registered candidate instead of a twin
            match = outcome.error.candidate
            form.candidate_id.data = str(match.id)
        return _render_form(form, nomination, plan_list, match, status=outcome.status)
    return _render_form(form, nomination, plan_list, match)


@bp.route("/new", methods=["GET", "POST"])
def new():
    require(can_nominate(current_user))
    plan_list = queries.plans_for_nominating(current_user.unit)
    form = NominationForm()
    _form_choices(form, plan_list)
    if request.method == "GET":
        chosen = arg_id("plan")
        form.plan_id.data = chosen if any(p.id == chosen for p in plan_list) else (
            plan_list[0].id if plan_list else None)
        form.category.data = "achievements"
    return _save(form, None, plan_list)


@bp.route("/<int:nomination_id>/edit", methods=["GET", "POST"])
def edit(nomination_id: int):
    nomination = _nomination_or_404(nomination_id)
    require(can_edit_nomination(current_user, nomination))
    if not services.is_editable(nomination):
        flash(_("This nomination cannot be changed in its current state."), "warning")
        return redirect(url_for("nominations.show", nomination_id=nomination.id))
    plan_list = [nomination.plan]
    form = NominationForm(obj=nomination)
    _form_choices(form, plan_list)
    if request.method == "GET":
        form.fill_candidate(nomination.candidate)
        form.version.data = nomination.version
        form.candidate_version.data = nomination.candidate.version
        form.candidate_id.data = ""
        form.category.data = "achievements"
    return _save(form, nomination, plan_list)


# --- reading and the lifecycle -----------------------------------------------------------


EVENT_LABELS = {
    "nomination.created": _l("Created"),
    "nomination.updated": _l("Changed"),
    "nomination.submitted": _l("Submitted"),
    "nomination.resubmitted": _l("Resubmitted"),
    "nomination.accepted": _l("Accepted"),
    "nomination.returned": _l("Returned"),
    "nomination.rejected": _l("Rejected"),
    "nomination.withdrawn": _l("Withdrawn"),
    "nomination.awarded": _l("Awarded"),
}


@bp.route("/<int:nomination_id>")
def show(nomination_id: int):
    # Permitted before any cached body is looked up, on the nomination's unit (no statement once
    # this process holds where the nomination is).
    require_found(parse_id(nomination_id) is not None and _may_view(nomination_id))
    # What it shows: the nomination, its candidate's record and twins among every plan's
    # nominations the user may see.
    return render_page("nominations/show.html", lambda: _show_context(_nomination_or_404(nomination_id)),
                       [versions.all_scope(current_user.unit_id)])


def _may_view(nomination_id: int) -> bool:
    """The user may see the nomination, judged on where this process holds it to be; a refusal
    is judged again on the row read afresh (queries.placed)."""
    for fresh in (False, True):
        place, held = queries.placed(nomination_id, tree.current, fresh=fresh)
        if place is not None and can_view_nomination(current_user, Placed(tree.TreeUnit(*place))):
            return True
        if not held:
            return False
    return False


@dataclass(frozen=True)
class Placed:
    """A nomination as its permissions read it: where it is."""

    unit: tree.TreeUnit


def _render_show(nomination: Nomination, return_form=None, reject_form=None, status: int = 200):
    """The page again with a refused form's messages (never cached)."""
    return render_template("nominations/show.html", **_show_context(nomination, return_form, reject_form)), status


def _show_context(nomination: Nomination, return_form=None, reject_form=None) -> dict:
    visible = visible_unit_ids(current_user)
    version = {"version": nomination.version}
    return dict(
        nomination=nomination, candidate=nomination.candidate,
        events=queries.events_of(nomination),
        record=queries.candidate_record(nomination.candidate, visible, exclude_id=nomination.id),
        twins=twins_of([nomination], visible).get(nomination.id, []),
        attachments=attachments_of(nomination_id=nomination.id), categories=CATEGORY_LABELS,
        editable=services.is_editable(nomination),
        version_form=VersionForm(formdata=None, data=version),
        return_form=return_form or ReturnForm(formdata=None, data=version),
        reject_form=reject_form or RejectForm(formdata=None, data=version),
        transitions=services.TRANSITIONS, event_labels=EVENT_LABELS,
        next_up=(queries.next_awaiting_review(visible, nomination)
                 if can_review_nomination(current_user, nomination) else None),
        candidate_fields=[fields.BY_NAME[name] for name in fields.CANDIDATE_FIELDS],
    )


def _act(nomination_id: int, allowed, form_class, action, success: str, form_slot: str | None = None):
    """Load, permit, validate, one service call, commit; a refused transition is flashed."""
    nomination = _nomination_or_404(nomination_id)
    require(allowed(current_user, nomination))
    form = form_class()
    if form.validate_on_submit():
        outcome = attempt(lambda: action(nomination, form), form)
        if outcome.ok:
            return done(success, url_for("nominations.show", nomination_id=nomination.id))
        if isinstance(outcome.error, InvalidData):
            if form_slot is None:  # an incomplete nomination: its form shows what is missing
                return redirect(url_for("nominations.edit", nomination_id=nomination.id))
            return _render_show(nomination, **{form_slot: form})
    return redirect(url_for("nominations.show", nomination_id=nomination.id))


@bp.route("/<int:nomination_id>/submit", methods=["POST"])
def submit(nomination_id: int):
    return _act(nomination_id, can_edit_nomination, VersionForm,
                lambda n, form: services.submit_nomination(current_user, n, today=clock.today(),
                                                           expected_version=version_number(form)),
                _("The nomination was submitted to the committee."))


@bp.route("/<int:nomination_id>/withdraw", methods=["POST"])
def withdraw(nomination_id: int):
    return _act(nomination_id, can_edit_nomination, VersionForm,
                lambda n, form: services.withdraw_nomination(current_user, n, expected_version=version_number(form)),
                _("The nomination was withdrawn."))


@bp.route("/<int:nomination_id>/accept", methods=["POST"])
def accept(nomination_id: int):
    return _act(nomination_id, can_review_nomination, VersionForm,
                lambda n, form: services.accept_nomination(current_user, n, expected_version=version_number(form)),
                _("The nomination was accepted."))


@bp.route("/<int:nomination_id>/return", methods=["POST"])
def return_(nomination_id: int):
    return _act(nomination_id, can_review_nomination, ReturnForm,
                lambda n, form: services.return_nomination(current_user, n, form.comment.data,
                                                           expected_version=version_number(form),
                                                           config=current_app.config),
                _("The nomination was returned to the unit with your comment."), "return_form")


@bp.route("/<int:nomination_id>/reject", methods=["POST"])
def reject(nomination_id: int):
    return _act(nomination_id, can_review_nomination, RejectForm,
                lambda n, form: services.reject_nomination(current_user, n, form.reason.data,
                                                           expected_version=version_number(form),
                                                           config=current_app.config),
                _("The nomination was rejected."), "reject_form")


def _back(value: str | None) -> str:
    """Where a bulk action returns: the queue page it came from, never another site."""
    return redirect_target(value, url_for("nominations.index"), within="/nominations/")


@bp.route("/bulk/<any(accept, return):action>", methods=["POST"])
def bulk(action: str):
    require(can_review_nominations(current_user))
    form = BulkForm()
    back = _back(form.back.data)
    if not form.validate_on_submit():
        flash(_("The form could not be read; try again."), "error")
        return redirect(back)
    ids = sorted(set(form.ids.data or []))
    nominations = queries.load_for_review(ids, visible_unit_ids(current_user))
    if len(nominations) != len(ids):
        abort(404)
    for nomination in nominations:
        require(can_review_nomination(current_user, nomination))
    if action == "accept":
        outcome = attempt(lambda: services.accept_nominations(current_user, nominations))
    else:
        outcome = attempt(lambda: services.return_nominations(current_user, nominations, form.comment.data,
                                                              config=current_app.config))
    if outcome.ok:
        flash(_("%(n)s nominations accepted.", n=len(nominations)) if action == "accept"
              else _("%(n)s nominations returned with your comment.", n=len(nominations)), "success")
    return redirect(back)


# --- spreadsheets in ---------------------------------------------------------------------


@bp.route("/import", methods=["GET", "POST"])
def import_():
    require(can_nominate(current_user))
    plan_list = queries.plans_for_nominating(current_user.unit)
    form = ImportForm()
    form.plan_id.choices = choices([(p.id, f"{p.number} – {p.title}") for p in plan_list])
    if request.method == "GET":
        chosen = arg_id("plan")
        form.plan_id.data = chosen if any(p.id == chosen for p in plan_list) else (
            plan_list[0].id if plan_list else None)
    problems = []
    max_rows = current_app.config["NOMINATION_IMPORT_MAX_ROWS"]
    max_mb = current_app.config["NOMINATION_IMPORT_MAX_MB"]
    if form.validate_on_submit():
        enforce("IMPORT_LIMIT_PER_USER", "import", current_user)
        plan = next((p for p in plan_list if p.id == form.plan_id.data), None)
        upload = form.file.data
        if plan is None:
            form.plan_id.errors = list(form.plan_id.errors) + [_("Choose a plan.")]
        elif upload is None or not getattr(upload, "filename", ""):
            form.file.errors = list(form.file.errors) + [_("Choose the filled-in template (.xlsx).")]
        else:
            outcome = attempt(lambda: start_import(
                current_user, plan, Upload(upload.filename, upload.stream), max_rows=max_rows,
                max_bytes=max_mb * MB), form)
            if outcome.ok:  # the file is kept and checked row by row by a background job
                job_id = outcome.value.id
                tasks.submit(outcome.value)
                return redirect(url_for("jobs.show", job_id=job_id))
            if isinstance(outcome.error, ImportRefused):
                problems = outcome.error.problems
    return render_template("nominations/import.html", form=form, plans=plan_list, problems=problems,
                           max_rows=max_rows, max_mb=max_mb)


@bp.route("/import/template")
def template():
    require(can_nominate(current_user))
    plan_list = queries.plans_for_nominating(current_user.unit)
    chosen = arg_id("plan")
    plan = next((p for p in plan_list if p.id == chosen), None) if chosen else (plan_list[0] if plan_list else None)
    if plan is None:
        abort(404)
    workbook = template_workbook(plan, list(plan.movements), [a.name for a in queries.award_choices(plan)],
                                 current_app.config["NOMINATION_IMPORT_MAX_ROWS"])
    number = "".join(ch if ch.isalnum() else "-" for ch in plan.number)
    return workbook_response(workbook, f"mau-de-nghi-dien-hinh-tien-tien-{number}.xlsx")
