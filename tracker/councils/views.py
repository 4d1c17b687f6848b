"""The council of the user's unit: its members over time, managed by the unit's committee and
admins, read by its leaders."""
from flask import Blueprint, abort, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from tracker import clock
from tracker.councils import services
from tracker.councils.forms import EndForm, MemberForm
from tracker.councils.labels import COUNCIL_ROLE_LABELS
from tracker.councils.models import CouncilMember, CouncilRole
from tracker.outcome import attempt, done
from tracker.permissions import can_manage_council, can_view_council, get_in_scope_or_404, require

bp = Blueprint("councils", __name__, url_prefix="/council")


@bp.before_request
@login_required
def _signed_in():
    pass


def _page(form=None, end_forms=None, status: int = 200):
    unit = current_user.unit
    today = clock.today()
    rows = services.memberships(unit)
    serving = [m for m in rows if m.serves_on(today)]
    end_forms = {m.id: (end_forms or {}).get(m.id) or EndForm(formdata=None, prefix=f"m{m.id}") for m in serving}
    return render_template(
        "councils/index.html", unit=unit, serving=serving, past=[m for m in rows if not m.serves_on(today)],
        form=form or MemberForm(formdata=None, data={"since": today}), end_forms=end_forms,
        roles=COUNCIL_ROLE_LABELS, may_manage=can_manage_council(current_user, unit)), status


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
