"""The council of the user's unit: its members over time and its meetings (attendance, agenda,
the secret ballot on each item, the minutes), managed by the unit's committee and admins, read by
its leaders."""
from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from tracker import clock
from tracker.catalogue import services as catalogue
from tracker.councils import document_jobs, services
from tracker.councils.forms import AgendaForm, AttendanceForm, EndForm, MeetingForm, MemberForm, vote_form
from tracker.councils.labels import COUNCIL_ROLE_LABELS, RECUSAL_REASONS
from tracker.councils.models import CouncilMeeting, CouncilMember, CouncilRole, MeetingItem
from tracker.jobs.views import to_the_job
from tracker.outcome import attempt, done
from tracker.permissions import (
    can_manage_council,
    can_open_meeting,
    can_view_council,
    get_by_id,
    get_in_scope_or_404,
    require,
)
from tracker.throttle import enforce

bp = Blueprint("councils", __name__, url_prefix="/council")


@bp.before_request
@login_required
def _signed_in():
    pass


def _page(form=None, end_forms=None, meeting_form=None, status: int = 200):
    unit = current_user.unit
    today = clock.today()
    rows = services.memberships(unit)
    serving = [m for m in rows if m.serves_on(today)]
    end_forms = {m.id: (end_forms or {}).get(m.id) or EndForm(formdata=None, prefix=f"m{m.id}") for m in serving}
    return render_template(
        "councils/index.html", unit=unit, serving=serving, past=[m for m in rows if not m.serves_on(today)],
        form=form or MemberForm(formdata=None, data={"since": today}), end_forms=end_forms,
        roles=COUNCIL_ROLE_LABELS, may_manage=can_manage_council(current_user, unit),
        meetings=services.meetings(unit),
        meeting_form=meeting_form or MeetingForm(formdata=None, data={"meeting_date": today})), status


@bp.route("/")
def index():
    require(can_view_council(current_user, current_user.unit))
    return _page()


@bp.route("/", methods=["POST"])
def add():
    require(can_manage_council(current_user, current_user.unit))
    form = MemberForm()
    if form.validate_on_submit():
        role = next((r for r in CouncilRole if r.value == form.role.data), None)
        outcome = attempt(lambda: services.add_member(current_user._get_current_object(), current_user.unit,
                                                      form.full_name.data, form.position.data, role,
                                                      form.since.data), form)
        if outcome.ok:
            return done(_("%(name)s joined the council.", name=outcome.value.full_name), url_for("councils.index"))
        return _page(form, status=outcome.status)
    return _page(form)


@bp.route("/members/<int:member_id>/end", methods=["POST"])
def end(member_id: int):
    member = get_in_scope_or_404(current_user, CouncilMember, member_id)
    if member.unit_id != current_user.unit_id:
        abort(404)  # another unit's council, even one below: not this page's
    require(can_manage_council(current_user, current_user.unit))
    form = EndForm(prefix=f"m{member.id}")  # one form a row: its fields named after the member
    if form.validate_on_submit():
        outcome = attempt(lambda: services.end_membership(current_user._get_current_object(), member,
                                                         form.until.data), form)
        if outcome.ok:
            return done(_("The membership of %(name)s ended.", name=member.full_name), url_for("councils.index"))
        return _page(end_forms={member.id: form}, status=outcome.status)
    return _page(end_forms={member.id: form})


# --- meetings ---------------------------------------------------------------------------------


@bp.route("/meetings", methods=["POST"])
def schedule():
    require(can_manage_council(current_user, current_user.unit))
    form = MeetingForm()
    if form.validate_on_submit():
        outcome = attempt(lambda: services.schedule_meeting(current_user._get_current_object(), current_user.unit,
                                                            form.meeting_date.data, form.place.data,
                                                            form.number.data), form)
        if outcome.ok:
            return done(_("The meeting is scheduled: record who is present, then put nominations on its agenda."),
                        url_for("councils.meeting", meeting_id=outcome.value.id))
        return _page(meeting_form=form, status=outcome.status)
    return _page(meeting_form=form)


def _meeting_or_404(meeting_id: int) -> CouncilMeeting:
    """A meeting of the council of the user's own unit (another unit's, even one below: 404)."""
    meeting = get_in_scope_or_404(current_user, CouncilMeeting, meeting_id)
    if not can_open_meeting(current_user, meeting):
        abort(404)
    return meeting


def _item_or_404(meeting: CouncilMeeting, item_id: int) -> MeetingItem:
    item = get_by_id(MeetingItem, item_id)
    if item is None or item.meeting_id != meeting.id:
        abort(404)
    return item


def _recusals_of(item: MeetingItem) -> dict:
    return {f"recused_{r.member_id}": r.reason.value for r in item.recusals}


def _meeting_page(meeting: CouncilMeeting, attendance_form=None, agenda_form=None, vote_forms=None,
                  status: int = 200):
    state = services.attendance(meeting)
    vote_forms = vote_forms or {}
    forms = {}
    for item in meeting.items:
        forms[item.id] = vote_forms.get(item.id) or vote_form(
            item.id, state.members, data={"agree": item.agree, "disagree": item.disagree, "spoiled": item.spoiled,
                                          **_recusals_of(item)})
    if attendance_form is None:
        attendance_form = AttendanceForm(formdata=None, data={"present": sorted(state.present)})
    attendance_form.present.choices = [(m.id, f"{m.full_name} – {COUNCIL_ROLE_LABELS[m.role]}") for m in state.members]
    if agenda_form is None:
        agenda_form = AgendaForm(formdata=None)
    agenda_form.award_type_id.choices = [("", _("Choose an award"))] + [
        (a.id, a.name) for a in catalogue.award_choices(meeting.meeting_date)]
    waiting = services.agenda_choices(meeting)
    agenda_form.nomination_ids.choices = [
        (n.id, f"{n.candidate.full_name} – {n.unit.name}" + (f" ({n.proposed_award_type.name})"
                                                               if n.proposed_award_type else "")) for n in waiting]
    return render_template(
        "councils/meeting.html", meeting=meeting, state=state, attendance_form=attendance_form,
        agenda_form=agenda_form, vote_forms=forms, roles=COUNCIL_ROLE_LABELS, recusal_reasons=RECUSAL_REASONS, voted=any(item.passed is not None for item in meeting.items),
        verdicts={item.id: services.verdict_of(item) for item in meeting.items},
        may_manage=can_manage_council(current_user, meeting.unit)), status


@bp.route("/meetings/<int:meeting_id>")
def meeting(meeting_id: int):
    return _meeting_page(_meeting_or_404(meeting_id))


@bp.route("/meetings/<int:meeting_id>/attendance", methods=["POST"])
def attendance(meeting_id: int):
    meeting = _meeting_or_404(meeting_id)
    require(can_manage_council(current_user, meeting.unit))
    form = AttendanceForm()
    form.present.choices = [(m.id, m.full_name) for m in services.attendance(meeting).members]
    if form.validate_on_submit():
        outcome = attempt(lambda: services.record_attendance(current_user._get_current_object(), meeting,
                                                             set(form.present.data or [])), form)
        if outcome.ok:
            state = outcome.value
            message = (_("Attendance recorded: %(present)s of %(members)s present, the quorum is met.",
                         present=len(state.present), members=len(state.members)) if state.met else
                       _("Attendance recorded: %(present)s of %(members)s present, fewer than the %(needed)s the "
                         "quorum needs: no vote can be recorded.", present=len(state.present),
                         members=len(state.members), needed=state.needed))
            return done(message, url_for("councils.meeting", meeting_id=meeting.id))
        return _meeting_page(meeting, attendance_form=form, status=outcome.status)
    return _meeting_page(meeting, attendance_form=form)


@bp.route("/meetings/<int:meeting_id>/agenda", methods=["POST"])
def agenda(meeting_id: int):
    meeting = _meeting_or_404(meeting_id)
    require(can_manage_council(current_user, meeting.unit))
    form = AgendaForm()
    waiting = services.agenda_choices(meeting)
    form.nomination_ids.choices = [(n.id, "") for n in waiting]
    if form.validate_on_submit():
        chosen = [n for n in waiting if n.id in set(form.nomination_ids.data or [])]
        outcome = attempt(lambda: services.add_to_agenda(current_user._get_current_object(), meeting, chosen,
                                                         form.award_type_id.data), form)
        if outcome.ok:
            return done(_("%(count)s nominations put on the agenda.", count=len(outcome.value)),
                        url_for("councils.meeting", meeting_id=meeting.id) + "#agenda")
        return _meeting_page(meeting, agenda_form=form, status=outcome.status)
    return _meeting_page(meeting, agenda_form=form)


@bp.route("/meetings/<int:meeting_id>/items/<int:item_id>/vote", methods=["POST"])
def vote(meeting_id: int, item_id: int):
    meeting = _meeting_or_404(meeting_id)
    item = _item_or_404(meeting, item_id)
    require(can_manage_council(current_user, meeting.unit))
    members = services.attendance(meeting).members
    form = vote_form(item.id, members, formdata=request.form)
    if form.validate_on_submit():
        recusals = {member.id: getattr(form, f"recused_{member.id}").data for member in members}
        outcome = attempt(lambda: services.record_vote(current_user._get_current_object(), item, form.agree.data,
                                                       form.disagree.data, form.spoiled.data, recusals), form)
        if outcome.ok:
            verdict = outcome.value
            name = item.nomination.candidate.full_name
            return done(_("%(name)s: passed.", name=name) if verdict.passed else _("%(name)s: did not pass.", name=name),
                        url_for("councils.meeting", meeting_id=meeting.id) + f"#item-{item.id}")
        return _meeting_page(meeting, vote_forms={item.id: form}, status=outcome.status)
    return _meeting_page(meeting, vote_forms={item.id: form})


@bp.route("/meetings/<int:meeting_id>/items/<int:item_id>/remove", methods=["POST"])
def remove(meeting_id: int, item_id: int):
    meeting = _meeting_or_404(meeting_id)
    item = _item_or_404(meeting, item_id)
    require(can_manage_council(current_user, meeting.unit))
    name = item.nomination.candidate.full_name
    outcome = attempt(lambda: services.remove_from_agenda(current_user._get_current_object(), item))
    if outcome.ok:
        return done(_("%(name)s taken off the agenda.", name=name), url_for("councils.meeting", meeting_id=meeting.id))
    return redirect(url_for("councils.meeting", meeting_id=meeting.id))


@bp.route("/meetings/<int:meeting_id>/bien-ban.docx", methods=["POST"])
def minutes(meeting_id: int):
    """The minutes, written by a background job: to the job's page."""
    meeting = _meeting_or_404(meeting_id)
    enforce("EXPORT_LIMIT_PER_USER", "export", current_user)
    return to_the_job(attempt(lambda: document_jobs.start_minutes(current_user._get_current_object(), meeting)),
                      url_for("councils.meeting", meeting_id=meeting.id))
