"""Background jobs as their owners see them: my recent jobs, one job's progress (updated by
static/js/jobs.js from the status address) and its result."""
from flask import Blueprint, abort, jsonify, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from tracker import tasks
from tracker.downloads import stored_file_response
from tracker.extensions import db
from tracker.formatting import format_number
from tracker.jobs import services
from tracker.jobs.models import Job, JobStatus
from tracker.permissions import can_view_job, get_in_scope_or_404, require

bp = Blueprint("jobs", __name__, url_prefix="/jobs")


@bp.before_request
@login_required
def _signed_in():
    pass


def to_the_job(outcome, back: str):
    """After a view started a job (`outcome` of its one service call, committed): hand it to the
    workers and go to its page; a refusal (flashed) goes back to `back`."""
    if not outcome.ok:
        return redirect(back)
    job_id = outcome.value.id
    tasks.submit(outcome.value)  # after the commit: a worker must find the job's row
    return redirect(url_for("jobs.show", job_id=job_id))


def _job_or_404(job_id: int) -> Job:
    job = get_in_scope_or_404(current_user, Job, job_id)
    if not can_view_job(current_user, job):
        abort(404)
    return job


@bp.route("/")
def index():
    page = db.paginate(services.jobs_of(current_user), per_page=25, error_out=False)
    return render_template("jobs/index.html", page=page, phases=services.PHASES)


@bp.route("/<int:job_id>")
def show(job_id: int):
    job = _job_or_404(job_id)
    tasks.resume_if_stalled(job)
    return render_template("jobs/show.html", job=job, status=status_of(job))


@bp.route("/<int:job_id>/status.json")
def status(job_id: int):
    job = _job_or_404(job_id)
    tasks.resume_if_stalled(job)
    return jsonify(status_of(job))


@bp.route("/<int:job_id>/download")
def download(job_id: int):
    job = _job_or_404(job_id)
    require(job.status == JobStatus.DONE and job.result_key is not None)
    return stored_file_response(job.result_key, mimetype=job.result_type, download_name=job.result_name)


def status_of(job: Job) -> dict:
    """What the job's page shows, as its script reads it."""
    if job.total:
        counted = _("%(done)s of %(total)s rows", done=format_number(job.done), total=format_number(job.total))
    else:
        counted = ""
    return {
        "status": job.status.value,
        "finished": job.finished,
        "phase": str(services.PHASES.get(job.phase, job.phase)),
        "done": job.done,
        "total": job.total,
        "percent": job.percent,
        "counted": counted,
        "error": job.error or "",
        "attempt": job.attempts,
    }
