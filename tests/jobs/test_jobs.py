"""Background jobs in the embedded shape (run in the process): an export as a job, its page, its
file, who may see it, and what happens when a job fails or its worker dies."""
import csv
import io
import re
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from tests.factories import exported, make_nomination
from tracker import clock, storage, tasks
from tracker.commit import commit
from tracker.jobs import services as jobs
from tracker.jobs.models import Job, JobStatus
from tracker.nominations import exports
from tracker.nominations.exports import EXPORT_HEADERS
from tracker.notifications.models import Notification

NAME = EXPORT_HEADERS.index("Họ và tên / Tên tập thể")


def _rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_an_export_is_a_job_with_a_page_a_file_and_a_notification(client, login_as, users, plan, db):
    make_nomination(users["officer"], plan, name="Nguyễn Văn Hòa", status="submitted")
    commit()
    login_as(users["committee"])
    started = client.post("/nominations/export.csv?status=pending")
    assert started.status_code == 302
    job_url = started.headers["Location"]
    job_id = int(re.search(r"/jobs/(\d+)$", job_url).group(1))
    page = client.get(job_url).get_data(as_text=True)
    assert "Danh sách trích ngang (.csv) – Thành phố A" in page
    assert 'value="100"' in page and "1/1 dòng" in page and "Tải về danh-sach-trich-ngang-" in page
    state = client.get(f"/jobs/{job_id}/status.json").get_json()
    assert state == {"status": "done", "finished": True, "phase": "Đã xong", "done": 1, "total": 1,
                     "percent": 100, "counted": "1/1 dòng", "error": "", "attempt": 1}
    download = client.get(f"/jobs/{job_id}/download")
    assert download.status_code == 200 and download.mimetype == "text/csv"
    assert "attachment; filename=danh-sach-trich-ngang-" in download.headers["Content-Disposition"]
    assert [r[NAME] for r in _rows(download.data)[1:]] == ["Nguyễn Văn Hòa"]
    told = db.session.scalars(select(Notification).where(Notification.user_id == users["committee"].id)).all()
    assert [(n.title, n.link) for n in told] == [
        ("Đã xong: Danh sách trích ngang (.csv) – Thành phố A", f"/jobs/{job_id}")]
    listing = client.get("/jobs/").get_data(as_text=True)
    assert f'href="/jobs/{job_id}"' in listing and "Đã xong" in listing


def test_an_export_is_started_by_a_form_not_a_link(client, login_as, users):
    login_as(users["committee"])
    assert client.get("/nominations/export.csv").status_code == 405
    assert db_jobs() == []


def db_jobs():
    from tracker.extensions import db

    return db.session.scalars(select(Job)).all()


def test_a_job_is_its_owners_and_the_levels_above(client, login_as, users, plan, app):
    login_as(users["officer"])
    job_url = client.post("/nominations/export.xlsx").headers["Location"]
    assert client.get(job_url).status_code == 200
    for outsider in ("officer_a2", "officer_b", "committee_b"):  # a neighbour ward, another city
        login_as(users[outsider])
        assert client.get(job_url).status_code == 404
        assert client.get(job_url + "/download").status_code == 404
        assert client.get(job_url + "/status.json").status_code == 404
    login_as(users["committee"])  # the city above ward A1
    assert client.get(job_url + "/download").status_code == 200
    assert f'href="{job_url}"' not in client.get("/jobs/").get_data(as_text=True)  # not in *their* list


def test_a_long_list_is_written_in_batches_in_its_order(client, login_as, users, plan, monkeypatch):
    for i in range(7):
        make_nomination(users["officer"], plan, name=f"Người số {i}", status="submitted")
    commit()
    monkeypatch.setattr(exports, "EXPORT_BATCH", 3)
    login_as(users["committee"])
    rows = _rows(exported(client, "/nominations/export.csv?sort=name").data)
    assert [r[0] for r in rows[1:]] == [str(n) for n in range(1, 8)]
    assert [r[NAME] for r in rows[1:]] == [f"Người số {i}" for i in range(7)]
    xlsx = exported(client, "/nominations/export.xlsx?sort=name")
    assert xlsx.status_code == 200 and xlsx.data[:2] == b"PK"


def test_a_failing_job_keeps_no_file_and_says_why(client, login_as, users, plan, monkeypatch, app):
    make_nomination(users["officer"], plan, status="submitted")
    commit()

    def broken_rows(*_args, **_kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(exports, "write_csv", broken_rows)
    login_as(users["committee"])
    kept_before = set(storage.current().keys("exports/"))
    job_url = client.post("/nominations/export.csv").headers["Location"]
    page = client.get(job_url).get_data(as_text=True)
    assert "Công việc không thành công do lỗi của hệ thống; không có gì được lưu lại." in page
    assert client.get(job_url + "/download").status_code == 403
    assert set(storage.current().keys("exports/")) == kept_before
    assert client.get(job_url + "/status.json").get_json()["status"] == "failed"


def _running_job(owner, *, beat_seconds_ago: float, worker: str = "elsewhere:1", attempts: int = 1) -> int:
    job = jobs.start_job(owner, "nominations_export", "Danh sách", {"fmt": "csv", "sort": "newest"})
    commit()
    from tracker.extensions import db

    db.session.execute(update(Job).where(Job.id == job.id).values(
        status=JobStatus.RUNNING, worker=worker, attempts=attempts,
        heartbeat_at=clock.utcnow_real() - timedelta(seconds=beat_seconds_ago)))
    commit()
    return job.id


def test_a_job_whose_worker_stopped_beating_is_run_again(users, plan, app, db):
    fresh = _running_job(users["committee"], beat_seconds_ago=5)
    stale = _running_job(users["committee"], beat_seconds_ago=app.config["JOB_STALE_SECONDS"] + 5)
    assert jobs.stale_jobs(app.config["JOB_STALE_SECONDS"]) == [stale]
    assert tasks.run_here(fresh) is None  # its worker is alive: never run twice at once
    assert tasks.run_here(stale) == JobStatus.DONE
    job = db.session.get(Job, stale)
    db.session.refresh(job)
    assert job.attempts == 2 and job.result_key and storage.current().size(job.result_key) > 0


def test_a_job_whose_worker_process_died_here_is_taken_at_once(users, plan, db):
    import subprocess
    import socket

    gone = subprocess.Popen(["true"])
    gone.wait()
    job_id = _running_job(users["committee"], beat_seconds_ago=1, worker=f"{socket.gethostname()}:{gone.pid}")
    assert tasks.run_here(job_id) == JobStatus.DONE


def test_a_job_that_killed_its_workers_too_often_fails_and_says_so(users, plan, app, db):
    job_id = _running_job(users["committee"], beat_seconds_ago=app.config["JOB_STALE_SECONDS"] + 5,
                          attempts=app.config["JOB_MAX_ATTEMPTS"])
    assert tasks.run_here(job_id) == JobStatus.FAILED
    job = db.session.get(Job, job_id)
    db.session.refresh(job)
    assert job.status == JobStatus.FAILED and job.result_key is None
    assert "đã dừng 3 lần; không có gì được lưu lại" in job.error


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_closed_account_gets_no_file(users, plan, db, fmt):
    job = jobs.start_job(users["officer"], "nominations_export", "Danh sách", {"fmt": fmt})
    users["officer"].active = False
    commit()
    assert tasks.run_here(job.id) == JobStatus.FAILED
    db.session.refresh(job)
    assert job.error == "Tài khoản yêu cầu danh sách này đã bị khóa."


def test_the_scheduler_sends_the_reminders_at_seven_in_vietnam_and_sweeps_every_minute(app):
    celery = app.extensions["celery"]
    schedule = celery.conf.beat_schedule
    reminders = schedule["morning-reminders"]
    assert reminders["task"] == "tracker.send_reminders"
    assert reminders["schedule"].hour == {7} and reminders["schedule"].minute == {0}
    assert celery.conf.timezone == "Asia/Ho_Chi_Minh"
    assert schedule["requeue-stale-jobs"]["schedule"].total_seconds() == 60
    assert {"tracker.run_job", "tracker.send_reminders", "tracker.requeue_stale_jobs"} <= set(celery.tasks)


def test_the_scheduled_reminders_are_the_commands(app, users, tmp_path, monkeypatch):
    """The task sends what `flask send-reminders` sends (tests/obligations cover the content)."""
    from tracker.obligations import reminders

    called = []
    monkeypatch.setattr(reminders, "officers_to_remind", lambda: called.append(True) or [])
    assert tasks.send_reminders.run() == 0 and called == [True]


def test_old_job_files_are_removed_and_the_job_says_so(client, login_as, users, plan, app, db):
    login_as(users["committee"])
    job_url = client.post("/nominations/export.csv").headers["Location"]
    job_id = int(job_url.rsplit("/", 1)[1])
    key = db.session.get(Job, job_id).result_key
    assert storage.current().size(key) is not None
    assert jobs.drop_old_files(app.config["JOB_KEEP_DAYS"]) == 0  # finished just now: kept
    db.session.execute(update(Job).where(Job.id == job_id).values(
        heartbeat_at=clock.utcnow_real() - timedelta(days=app.config["JOB_KEEP_DAYS"] + 1)))
    commit()
    assert tasks.drop_old_job_files.run() == 1
    assert storage.current().size(key) is None
    page = client.get(job_url).get_data(as_text=True)
    assert "Tệp đã được xóa 7 ngày sau khi công việc hoàn thành" in page
    assert client.get(job_url + "/download").status_code == 403


def test_the_root_admin_recounts_the_figures_as_a_job(client, login_as, users, plan, db, tree):
    from tracker.stats.models import StatCounter

    make_nomination(users["officer"], plan, status="submitted")
    commit()
    figures = sorted((c.unit_id, c.metric, c.value) for c in db.session.scalars(select(StatCounter)))
    db.session.execute(update(StatCounter).values(value=StatCounter.value + 7))  # figures gone wrong
    commit()
    root_admin = users["admin_root"]
    login_as(users["admin"])  # an admin of a city: not theirs to do
    assert 'data-testid="recount-figures"' not in client.get("/admin/units/").get_data(as_text=True)
    assert client.post("/admin/units/recount").status_code == 403
    login_as(root_admin)
    assert 'data-testid="recount-figures"' in client.get("/admin/units/").get_data(as_text=True)
    job_url = client.post("/admin/units/recount").headers["Location"]
    assert "Đã xong" in client.get(job_url).get_data(as_text=True)
    db.session.expire_all()
    assert sorted((c.unit_id, c.metric, c.value) for c in db.session.scalars(select(StatCounter))) == figures


def test_who_above_the_owner_may_read_a_job_depends_on_what_it_holds(client, login_as, users, plan, db):
    """An officer's import lists their ward's rows: the committee above may read it, a leader
    may not; a nominations list is readable by every role above."""
    from tests.factories import finished_job

    imported = jobs.start_job(users["officer"], "nominations_import", "Nhập", {"plan_id": plan.id})
    listed = finished_job(users["officer"])
    commit()
    for role, expected in (("committee", 200), ("leader", 404), ("admin", 404)):
        login_as(users[role])
        assert client.get(f"/jobs/{imported.id}").status_code == expected, role
        assert client.get(f"/jobs/{listed.id}").status_code == 200


def test_a_job_whose_process_stopped_runs_again_when_its_page_is_opened(client, login_as, users, plan, app, db):
    """Without a queue nobody else would notice that the thread running it died with its process."""
    job_id = _running_job(users["committee"], beat_seconds_ago=app.config["JOB_STALE_SECONDS"] + 5)
    login_as(users["committee"])
    assert client.get(f"/jobs/{job_id}/status.json").get_json()["status"] == "running"  # as it was read
    state = client.get(f"/jobs/{job_id}/status.json").get_json()
    assert state["status"] == "done" and state["attempt"] == 2


def test_a_worker_that_lost_its_job_does_not_end_it(users, plan, app, db):
    """Taken over by another worker meanwhile (its heartbeat looked dead): the first worker's
    attempt writes nothing when it ends."""
    job = jobs.start_job(users["committee"], "nominations_export", "Danh sách", {"fmt": "csv", "sort": "newest"})
    commit()
    taken = jobs.claim(job.id, app.config["JOB_STALE_SECONDS"])
    mine = (job.id, taken.worker, taken.attempts)
    db.session.execute(update(Job).where(Job.id == job.id).values(worker="elsewhere:2", attempts=2))
    commit()
    assert jobs.hold(*mine) is False
    assert tasks._end(mine, JobStatus.DONE, result=jobs.Result()) is None
    db.session.refresh(job)
    assert job.status == JobStatus.RUNNING and job.worker == "elsewhere:2"
