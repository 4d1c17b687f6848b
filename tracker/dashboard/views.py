"""The home page of each role, and the health check."""
from flask import Blueprint, jsonify, render_template
from flask_login import current_user, login_required
from sqlalchemy import text

from tracker import clock
from tracker.dashboard import queries
from tracker.extensions import db
from tracker.plans import services as plans
from tracker.users.models import Role

bp = Blueprint("dashboard", __name__)


@bp.route("/")
@login_required
def index():
    today = clock.today()
    user = current_user._get_current_object()
    if user.role is Role.WARD_OFFICER:
        return render_template("dashboard/ward.html", today=today,
                               obligations=plans.obligations_for_unit(user.unit, today))
    if user.role is Role.LEADER:
        upcoming = [plans.milestone_progress(m, user.unit.path, today)
                    for m in plans.upcoming_milestones(user, today)]
        overdue = []
        for m in plans.overdue_milestones(user, today):
            progress = plans.milestone_progress(m, user.unit.path, today)
            if progress.late:
                overdue.append((progress, plans.late_units(m, user.unit.path, today)))
        return render_template("dashboard/leader.html", today=today, upcoming=upcoming, overdue=overdue)
    return render_template(
        "dashboard/committee.html",
        today=today,
        report_counts=queries.report_counts(user),
        nomination_counts=queries.nomination_counts(user),
        upcoming=[plans.milestone_progress(m, user.unit.path, today)
                  for m in plans.upcoming_milestones(user, today, limit=5)],
    )


@bp.route("/healthz")
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
    except Exception as error:  # any failure to reach the database is a 503
        db.session.rollback()
        return jsonify(status="error", database="unreachable", detail=error.__class__.__name__), 503
    return jsonify(status="ok", database="ok")
