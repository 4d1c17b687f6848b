"""The job queue: what runs outside the request, and where.

Two shapes (config: CELERY_BROKER_URL, by default REDIS_URL):

* **Embedded** (no broker): `submit(job)` runs the job in this process, in a thread of its own
  (JOBS_IN_PROCESS="thread", `make run`) or at once in the request (="eager", the tests).
* **Production**: Celery on Redis, the Flask documentation's pattern. `submit(job)` sends the
  job's id to the queue; any worker (`celery -A worker worker`, see worker.py) runs it.
  Messages are acknowledged only when the job ends (acks_late) and given back when a worker
  process dies (reject_on_worker_lost), so a killed worker's job is run again by another; the
  job itself refuses to run twice at once (tracker.jobs.services.claim). The scheduler
  (`celery -A worker beat`) sends the morning reminders at REMINDER_HOUR (07:00 in the tracker's
  time zone), every minute hands jobs whose worker vanished back to the queue, and every night
removes the files of jobs finished more than JOB_KEEP_DAYS ago.

Each worker beats in a sorted set on the broker's Redis; /healthz counts the workers seen recently.
"""
import logging
import os
import socket
import threading
from datetime import timedelta

from celery import Celery, Task, shared_task
from celery.schedules import crontab
from celery.signals import worker_ready, worker_shutdown
from flask import Flask, current_app
from flask_babel import force_locale, gettext as _

from tracker.awards.document_jobs import document_job
from tracker.councils.document_jobs import minutes_job
from tracker.candidates.history_import import history_job
from tracker import clock
from tracker.commit import commit, rollback, work_in_transactions
from tracker.errors import DomainError
from tracker.extensions import db
from tracker.jobs import services as jobs
from tracker.jobs.models import Job, JobStatus
from tracker.nominations.exports import export_job
from tracker.nominations.imports import import_job
from tracker.notifications.services import locale_of

log = logging.getLogger(__name__)

def rebuild_figures_job(job, progress) -> jobs.Result:
    """Recount every figure of the dashboards from the data and give every nomination its unit's
    path where it differs (as `flask rebuild-stats` does), for the root's administrator; every
    kept page is rendered again afterwards."""
    from tracker import changes
    from tracker.nominations.units import follow_units
    from tracker.permissions import can_rebuild_figures
    from tracker.stats.counters import rebuild

    if not job.owner.active or not can_rebuild_figures(job.owner):
        raise jobs.JobFailed(_("Only an administrator of the whole tree may recount the figures."))
    progress(0, phase="counting")
    follow_units()  # each nomination's unit path, where it differs
    written = rebuild(db.session)
    changes.shared_changed(db.session)  # every page may show a figure
    return jobs.Result(outcome={"written": written})


# Every kind of job: the handler that does it, (job, progress) -> jobs.Result.
KINDS = {
    "rebuild_stats": rebuild_figures_job,
    "nominations_export": export_job,
    "nominations_import": import_job,
    "history_import": history_job,
    "award_document": document_job,
    "council_minutes": minutes_job,
}

WORKERS_KEY = "tracker:workers"  # a sorted set: worker name -> when it last beat
WORKER_BEAT_SECONDS = 15
WORKER_SEEN_SECONDS = 60  # /healthz counts the workers that beat within this long


def init_app(app: Flask) -> Celery:
    """The Celery app of this Flask app (app.extensions["celery"]); tasks run in an app context."""

    class FlaskTask(Task):
        def __call__(self, *args, **kwargs):
            with app.app_context():
                return self.run(*args, **kwargs)

    broker = app.config.get("CELERY_BROKER_URL") or "memory://"
    celery = Celery(app.name, task_cls=FlaskTask, set_as_current=True)
    celery.conf.update(
        broker_url=broker,
        result_backend=app.config.get("CELERY_RESULT_BACKEND") or None,
        task_default_queue=app.config["JOB_QUEUE_NAME"],
        task_ignore_result=True,  # a job's state is its row, readable from every server
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        broker_connection_retry_on_startup=True,
        # Redis hands an unacknowledged message to another worker after this long: longer than
        # any job (a job that is still running beats its heartbeat and is never run twice).
        broker_transport_options={"visibility_timeout": app.config["JOB_VISIBILITY_SECONDS"]},
        timezone=app.config["BABEL_DEFAULT_TIMEZONE"],
        enable_utc=True,
        beat_schedule={
            "morning-reminders": {
                "task": "tracker.send_reminders",
                "schedule": crontab(hour=app.config["REMINDER_HOUR"], minute=0),
            },
            "requeue-stale-jobs": {"task": "tracker.requeue_stale_jobs", "schedule": timedelta(minutes=1)},
            "drop-old-job-files": {"task": "tracker.drop_old_job_files", "schedule": crontab(hour=3, minute=30)},
        },
    )
    app.extensions["celery"] = celery
    return celery


def uses_queue(app: Flask | None = None) -> bool:
    return bool((app or current_app).config.get("CELERY_BROKER_URL"))


def submit(job: Job) -> None:
    """Have the (committed) job run: by a worker through the queue, or in this process."""
    app, job_id = current_app._get_current_object(), job.id
    if uses_queue(app):
        send(app, job_id)
        return
    if app.config.get("JOBS_IN_PROCESS") == "eager":
        with app.app_context():  # a session of its own, as a worker would have
            run_here(job_id)
        return
    thread = threading.Thread(target=_run_in_thread, args=(app, job_id), name=f"job-{job_id}", daemon=True)
    thread.start()


def send(app: Flask, job_id: int) -> bool:
    """Put the job on the queue. When the broker cannot be reached the job stays queued (its page
    says it waits) and the scheduler sends it again once the broker is back."""
    try:
        app.extensions["celery"].send_task("tracker.run_job", args=[job_id], retry=False)
        return True
    except Exception:  # noqa: BLE001 (kombu raises its own and the socket's errors)
        log.warning("job %s: the broker cannot be reached; the job waits", job_id, exc_info=True)
        return False


def _run_in_thread(app: Flask, job_id: int) -> None:
    with app.app_context():
        run_here(job_id)


def run_here(job_id: int) -> JobStatus | None:
    """Run one job in this process (what a worker does with a message): claim it, run its kind's
    handler while a thread beats its heartbeat, and commit the handler's work with the job's end
    (figures and pages noted by the services, tracker.commit), or roll it back and record why it
    failed. Returns the job's final status, or None when it was not this worker's to run."""
    work_in_transactions()  # also when run at once while its page (a GET) is answered
    job = db.session.get(Job, job_id)
    if job is None:
        return None
    handler = KINDS.get(job.kind)
    if handler is None:
        log.error("job %s: unknown kind %r", job_id, job.kind)
        return None
    config = current_app.config
    job = jobs.claim(job_id, config["JOB_STALE_SECONDS"])
    if job is None:
        return None
    mine = (job_id, job.worker, job.attempts)
    if job.attempts > config["JOB_MAX_ATTEMPTS"]:  # its workers died that often: it is given up
        return _end(mine, JobStatus.FAILED, error=jobs.stopped_message(job))
    kind, locale = job.kind, locale_of(job.owner, config)
    heartbeat = _Heartbeat(current_app._get_current_object(), mine, config["JOB_STALE_SECONDS"] / 4)
    try:
        with force_locale(locale):
            result = handler(job, jobs.Progress(job_id))
    except DomainError as error:  # the job cannot be done as asked: the owner reads why
        rollback()
        return _end(mine, JobStatus.FAILED, error=str(error.message))
    except Exception:  # an error of the tracker: the owner sees that it failed, the log says why
        rollback()
        log.exception("job %s (%s) failed", job_id, kind)
        return _end(mine, JobStatus.FAILED, error=jobs.crash_message(db.session.get(Job, job_id)))
    finally:
        heartbeat.stop()
    if result.failed:
        rollback()
        return _end(mine, JobStatus.FAILED, error=result.failed, outcome=result.outcome)
    return _end(mine, JobStatus.DONE, result=result)


def _end(mine: tuple, status: JobStatus, **details) -> JobStatus | None:
    """End the job as this worker's attempt, committing with it what the handler wrote; nothing
    when another worker took the job over meanwhile (its attempt ends it)."""
    job_id = mine[0]
    try:
        if not jobs.hold(*mine):
            rollback()
            log.warning("job %s: taken over by another worker; this attempt's work is dropped", job_id)
            return None
        jobs.end_job(db.session.get(Job, job_id), status, **details)
        commit()  # with what the handler wrote and noted, if it succeeded
        return status
    except Exception:  # the work could not be committed (a constraint, a lock): the job fails
        rollback()
        log.exception("job %s: its end could not be committed", job_id)
        if not jobs.hold(*mine):
            rollback()
            return None
        job = db.session.get(Job, job_id)
        jobs.end_job(job, JobStatus.FAILED, error=jobs.crash_message(job))
        commit()
        return JobStatus.FAILED


class _Heartbeat:
    """Beats a running job's heartbeat every `every` seconds from a thread of its own, so that a
    long step that reports no progress (a save, an upload, a recount) is not taken for a dead
    worker."""

    def __init__(self, app: Flask, mine: tuple, every: float):
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(app, mine, max(every, 1)), daemon=True)
        self._thread.start()

    def _run(self, app: Flask, mine: tuple, every: float) -> None:
        with app.app_context():
            while not self._stopped.wait(every):
                try:
                    jobs.beat(*mine)
                except Exception:  # noqa: BLE001 (a busy database: the next beat will do)
                    log.warning("job %s: heartbeat not written", mine[0], exc_info=True)
            db.session.remove()

    def stop(self) -> None:
        self._stopped.set()
        self._thread.join(5)


def resume_if_stalled(job: Job) -> None:
    """Without a queue, a job whose process stopped (a restart) would wait forever: it is run
    again here (claim() takes it over; JOB_MAX_ATTEMPTS applies). With a queue the scheduler
    does this (requeue_stale_jobs)."""
    if not uses_queue() and jobs.is_stale(job, current_app.config["JOB_STALE_SECONDS"]):
        submit(job)


@shared_task(name="tracker.run_job", acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def run_job(job_id: int) -> None:
    run_here(job_id)


@shared_task(name="tracker.requeue_stale_jobs", ignore_result=True)
def requeue_stale_jobs() -> int:
    """Jobs whose worker stopped beating go back to the queue (claim() fails them after
    JOB_MAX_ATTEMPTS). Run every minute by the scheduler."""
    ids = jobs.stale_jobs(current_app.config["JOB_STALE_SECONDS"])
    commit()  # the queued ones' heartbeats moved on: each is sent once per period
    app = current_app._get_current_object()
    for job_id in ids:
        send(app, job_id)
    return len(ids)


@shared_task(name="tracker.drop_old_job_files", ignore_result=True)
def drop_old_job_files() -> int:
    """Every night: the files of jobs finished more than JOB_KEEP_DAYS ago are removed."""
    removed = jobs.drop_old_files(current_app.config["JOB_KEEP_DAYS"])
    commit()
    return removed


@shared_task(name="tracker.send_reminders", ignore_result=True)
def send_reminders() -> int:
    """The morning reminders (the `flask send-reminders` command does the same)."""
    from tracker import clock
    from tracker.commit import commit
    from tracker.obligations.reminders import officers_to_remind, remind_officer

    today, days, sent = clock.today(), current_app.config["REMINDER_DAYS"], 0
    for officer in officers_to_remind():
        reminder = remind_officer(officer, today, days, current_app.config)
        commit()  # one officer at a time: a failure later never re-sends this one
        sent += reminder is not None
    log.info("%s reminders sent for %s", sent, today)
    return sent


# --- workers seen ------------------------------------------------------------------------------

_beating = threading.Event()


def _beat_worker(client, name: str) -> None:
    """This worker was alive now: its score in the sorted set WORKERS_KEY (/healthz counts the
    recent ones), and workers gone long ago dropped from it."""
    now = clock.utcnow_real().timestamp()
    client.zadd(WORKERS_KEY, {name: now})
    client.zremrangebyscore(WORKERS_KEY, 0, now - 24 * 3600)


@worker_ready.connect
def _start_heartbeat(sender=None, **_kwargs) -> None:
    app = sender.app if sender is not None else None
    url = (app.conf.broker_url if app is not None else "") or ""
    if not url.startswith("redis"):
        return
    import redis

    name = f"{socket.gethostname()}:{os.getpid()}"
    client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)

    def beat():
        while True:
            try:
                _beat_worker(client, name)
            except redis.RedisError:
                pass  # Redis is away: the next beat will tell
            if _beating.wait(WORKER_BEAT_SECONDS):
                break
        try:
            client.zrem(WORKERS_KEY, name)
        except redis.RedisError:
            pass

    threading.Thread(target=beat, name="tracker-worker-heartbeat", daemon=True).start()


@worker_shutdown.connect
def _stop_heartbeat(**_kwargs) -> None:
    _beating.set()
