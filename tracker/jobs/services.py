"""Starting, running and finishing background jobs.

    job = start_job(actor, "nominations_export", title, params)   # a row, queued; audited
    commit(); tracker.tasks.submit(job)                          # a worker (or this process) runs it

A worker (tracker.tasks.run_here) claims the row (`claim`: queued, or running with no heartbeat
for JOB_STALE_SECONDS because its worker died), calls the kind's handler with a `Progress`, and
ends the row (`end_job`) as done (the file is already whole in storage) or failed (with the
reason the owner reads). Claiming counts attempts: a job whose worker died JOB_MAX_ATTEMPTS
times is failed. Each state change is committed at once, so the job's page sees it from any
server.
"""
import logging
import os
import secrets
import socket
from dataclasses import dataclass, field
from datetime import timedelta, timezone

from flask import current_app
from flask_babel import force_locale, gettext as _, lazy_gettext as _l
from sqlalchemy import Select, or_, select, update

from tracker import clock, storage
from tracker.audit.services import record
from tracker.errors import DomainError
from tracker.extensions import db
from tracker.jobs.models import FINISHED, Job, JobStatus
from tracker.notifications.services import locale_of, notify

log = logging.getLogger(__name__)

# What a job is doing now, as its page says it.
PHASES = {
    "": _l("Waiting for a worker"),
    "counting": _l("Counting the rows"),
    "writing": _l("Writing the rows"),
    "storing": _l("Saving the file"),
    "reading": _l("Reading the file"),
    "checking": _l("Checking the rows"),
    "saving": _l("Saving the rows"),
    "done": _l("Finished"),
    "failed": _l("Failed"),
}


class JobFailed(DomainError):
    """The job cannot be done as asked (the owner's account was closed, the file is unreadable):
    its message is what the owner reads."""


@dataclass
class Result:
    """What a finished job leaves: a stored file (key, download name, type, size), and/or facts
    for its page (an import's count, its errors by row and column)."""

    key: str | None = None
    name: str | None = None
    content_type: str | None = None
    size: int | None = None
    outcome: dict = field(default_factory=dict)
    failed: str | None = None  # a refusal the owner reads (an import with errors): the job failed


def keep_upload(data: bytes, content_type: str, field: str) -> str:
    """Keep an uploaded file (already checked) for the job that will read it; returns its key.
    A store that does not answer is a refusal named after the form's `field`."""
    key = f"imports/{secrets.token_hex(20)}.xlsx"
    storage.put_or_refuse(key, data, content_type, field)
    return key


def kept_upload(key: str) -> bytes:
    """The file a job was started with (keep_upload); JobFailed once it is no longer kept."""
    try:
        return storage.current().read(key)
    except FileNotFoundError:
        raise JobFailed(_("The uploaded file is no longer kept: upload it again.")) from None


def start_job(actor, kind: str, title: str, params: dict) -> Job:
    """Queue a job owned by `actor` (run as them, within their scope); audit "job.started"."""
    job = Job(kind=kind, title=title[:300], owner_id=actor.id, unit_id=actor.unit_id, params=params,
              status=JobStatus.QUEUED, heartbeat_at=_real_now())
    db.session.add(job)
    db.session.flush()
    record(actor, "job.started", job, title[:200], {"kind": kind}, unit_id=actor.unit_id)
    return job


def jobs_of(actor) -> Select:
    """The user's own jobs, newest first."""
    return select(Job).where(Job.owner_id == actor.id).order_by(Job.created_at.desc(), Job.id.desc())


def _real_now():
    return clock.utcnow_real()


def _worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


class Progress:
    """How a handler says how far it is: `progress(done, total=None, phase=None)`. Each call
    writes the row at most every PROGRESS_SECONDS (and always when the phase changes), in a
    short transaction of its own, which also beats the job's heartbeat."""

    def __init__(self, job_id: int, interval: float = 0.5):
        self.job_id = job_id
        self.interval = interval
        self._last = None
        self._phase = None

    def __call__(self, done: int, total: int | None = None, phase: str | None = None) -> None:
        now = _real_now()
        if phase == self._phase and self._last is not None and (now - self._last).total_seconds() < self.interval:
            return
        self._last, self._phase = now, phase if phase is not None else self._phase
        values = {"done": done, "heartbeat_at": now}
        if total is not None:
            values["total"] = total
        if phase is not None:
            values["phase"] = phase
        with db.engine.begin() as connection:  # never the handler's own transaction
            connection.execute(update(Job).where(Job.id == self.job_id).values(**values))


def claim(job_id: int, stale_seconds: float) -> Job | None:
    """Take the job for this worker (its row says which worker and which attempt): None when it
    is finished, or running under a worker that still beats."""
    now = _real_now()
    stale = now - timedelta(seconds=stale_seconds)
    taken = db.session.execute(
        update(Job)
        .where(Job.id == job_id, or_(Job.status == JobStatus.QUEUED,
                                     (Job.status == JobStatus.RUNNING) & (Job.heartbeat_at < stale)))
        .values(status=JobStatus.RUNNING, attempts=Job.attempts + 1, heartbeat_at=now, worker=_worker_name(),
                phase="", done=0)
        .execution_options(synchronize_session=False)
    ).rowcount
    if not taken:
        taken = _take_from_dead_worker(job_id, now)
    db.session.commit()  # the job's own row, nothing any page or figure shows
    if not taken:
        return None
    db.session.expire_all()
    job = db.session.get(Job, job_id)
    job.started_at = job.started_at or clock.now()
    db.session.commit()
    return job


def hold(job_id: int, worker: str, attempt: int) -> bool:
    """Beat the job's heartbeat if this worker's attempt still holds it (running, not taken over
    by another worker since). In the transaction that ends the job this also locks its row, so a
    worker that lost the job never ends it."""
    return bool(db.session.execute(
        update(Job).where(Job.id == job_id, Job.status == JobStatus.RUNNING, Job.worker == worker,
                          Job.attempts == attempt)
        .values(heartbeat_at=_real_now()).execution_options(synchronize_session=False)).rowcount)


def beat(job_id: int, worker: str, attempt: int) -> None:
    """The heartbeat of a running job, in a short transaction of its own (a thread beats it while
    a long step of the handler says nothing)."""
    with db.engine.begin() as connection:
        connection.execute(update(Job).where(Job.id == job_id, Job.status == JobStatus.RUNNING,
                                             Job.worker == worker, Job.attempts == attempt)
                           .values(heartbeat_at=_real_now()))


def _take_from_dead_worker(job_id: int, now) -> int:
    """A running job whose worker was a process of this host that no longer exists (a worker
    process killed, its message handed back at once): taken without waiting for staleness."""
    job = db.session.get(Job, job_id)
    if job is None or job.status != JobStatus.RUNNING or not job.worker:
        return 0
    host, _colon, pid = job.worker.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit() or _alive(int(pid)):
        return 0
    return db.session.execute(
        update(Job).where(Job.id == job_id, Job.status == JobStatus.RUNNING, Job.worker == job.worker)
        .values(status=JobStatus.RUNNING, attempts=Job.attempts + 1, heartbeat_at=now, worker=_worker_name(),
                phase="", done=0)
        .execution_options(synchronize_session=False)
    ).rowcount


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def stopped_message(job: Job) -> str:
    with force_locale(locale_of(job.owner, current_app.config)):
        return _("The worker running this job stopped %(n)s times; nothing was kept. Start it again, "
                 "and tell the administrator if it happens again.", n=job.attempts - 1)


def end_job(job: Job, status: JobStatus, *, error: str | None = None, result: Result | None = None,
            outcome: dict | None = None) -> None:
    """Mark the job done or failed with its result, and tell its owner (in their language). The
    caller commits: together with the handler's own work, all or nothing."""
    job.status = status
    job.phase = "done" if status == JobStatus.DONE else "failed"
    job.finished_at = clock.now()
    job.heartbeat_at = _real_now()
    job.error = error
    if result is not None:
        job.result_key, job.result_name = result.key, result.name
        job.result_type, job.result_size = result.content_type, result.size
        job.outcome = result.outcome or None
        if job.total is not None:
            job.done = job.total
    elif outcome is not None:
        job.outcome = outcome
    with force_locale(locale_of(job.owner, current_app.config)):
        title = (_("Finished: %(title)s", title=job.title) if status == JobStatus.DONE
                 else _("Failed: %(title)s", title=job.title))
    notify(job.owner, title, error or "", f"/jobs/{job.id}")


def crash_message(job: Job) -> str:
    with force_locale(locale_of(job.owner, current_app.config)):
        return _("The job failed because of an error in the tracker; nothing was kept. The "
                 "administrator can see the details in the log.")


def stale_jobs(stale_seconds: float) -> list[int]:
    """Jobs that are queued or running but whose worker has not beaten for `stale_seconds`
    (queued ones: not picked up in that long, for example after the broker lost its queue).
    Their heartbeat is moved on, so that a job is sent again at most once per such period."""
    now = _real_now()
    stale = now - timedelta(seconds=stale_seconds)
    ids = list(db.session.scalars(
        select(Job.id).where(Job.status.not_in(FINISHED), Job.heartbeat_at < stale).order_by(Job.id)))
    if ids:
        db.session.execute(update(Job).where(Job.id.in_(ids), Job.status == JobStatus.QUEUED)
                           .values(heartbeat_at=now).execution_options(synchronize_session=False))
    return ids


def is_stale(job: Job, stale_seconds: float) -> bool:
    beat_at = job.heartbeat_at
    if job.finished or beat_at is None:
        return False
    if beat_at.tzinfo is None:  # SQLite gives naive UTC
        beat_at = beat_at.replace(tzinfo=timezone.utc)
    return (_real_now() - beat_at).total_seconds() > stale_seconds


def drop_old_files(keep_days: int) -> int:
    """Remove the files of jobs finished more than `keep_days` ago (an export's result, an
    import's uploaded workbook); the jobs stay listed, saying their file is gone. Returns how
    many files were removed."""
    before = _real_now() - timedelta(days=keep_days)
    removed = 0
    old = db.session.scalars(select(Job).where(Job.status.in_(FINISHED), Job.heartbeat_at < before,
                                               or_(Job.result_key.is_not(None), Job.kind.like("%_import"))))
    for job in old:
        keys = [k for k in (job.result_key, (job.params or {}).get("key")) if k]
        for key in keys:
            try:
                storage.current().delete(key)
                removed += 1
            except FileNotFoundError:
                pass
        if job.result_key:
            job.result_key = None
            job.outcome = {**(job.outcome or {}), "expired": True}
        if (job.params or {}).get("key"):
            job.params = {**job.params, "key": None}
    return removed
