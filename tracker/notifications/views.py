"""Each user's in-app notifications."""
from flask import Blueprint, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from tracker.extensions import db
from tracker.inputs import redirect_target
from tracker.notifications import services
from tracker.outcome import attempt

bp = Blueprint("notifications", __name__, url_prefix="/notifications")


@bp.before_request
@login_required
def _signed_in():
    pass


@bp.route("/")
def index():
    page = db.paginate(services.notifications_of(current_user), per_page=25, error_out=False)
    return render_template("notifications/index.html", page=page)


@bp.route("/read", methods=["POST"])
@bp.route("/<int:notification_id>/read", methods=["POST"])
def mark_read(notification_id: int | None = None):
    target = redirect_target(request.form.get("next"), url_for("notifications.index"))
    attempt(lambda: services.mark_read(current_user, notification_id))
    return redirect(target)
