"""The production shape for real: two app servers sharing the database, Redis and an S3-compatible
object store, with real Celery worker processes taking the jobs."""
import csv
import io
import os
import re
import signal

from sqlalchemy import select

from tests.conftest import another_server, sign_in_cookie
from tests.factories import PASSWORD, make_nomination, nomination_records
from tests.runtime.conftest import needs_redis, own_redis, wait_until, worker_process
from tracker import storage, tasks
from tracker.commit import commit
from tracker.extensions import db
from tracker.jobs.models import Job, JobStatus
from tracker.nominations.exports import EXPORT_HEADERS

pytestmark = needs_redis
NAME = EXPORT_HEADERS.index("Họ và tên / Tên tập thể")


def _job(job_id: int) -> Job:
    db.session.expire_all()
    return db.session.get(Job, job_id)


def _started_job(client, url: str) -> int:
    response = client.post(url)
    assert response.status_code == 302, response.status_code
    return int(re.search(r"/jobs/(\d+)$", response.headers["Location"]).group(1))


def test_two_servers_share_sessions_files_changes_and_jobs(app, users, plan, shared, monkeypatch):
    with another_server(app, **shared) as one, another_server(app, **shared) as two:
        first, second = one.test_client(), two.test_client()
        # A session opened through one server works on the other; signing out on either ends it on both.
        first.post("/login", data={"username": users["officer"].username, "password": PASSWORD})
        second.set_cookie(*_session_cookie(first))
        assert second.get("/reports/mine").status_code == 200
        second.post("/logout")
        assert first.get("/reports/mine").status_code == 302

        # Evidence files stored by the services of this installation go to the bucket, not to a
        # server's disk, and download through either server.
        for key in ("STORAGE_URL", "STORAGE_ENDPOINT_URL"):
            monkeypatch.setitem(app.config, key, shared[key])
        records = nomination_records(users, plan, plan, plan.movements[0], plan.movements[0])
        commit()
        stored = list(storage.current().keys())
        assert len(stored) == 2 and not os.path.exists(shared["UPLOAD_FOLDER"])
        sign_in_cookie(second, users["committee"])
        sign_in_cookie(first, users["committee"])
        url = f"/nominations/{records['own_nomination']}/files/{records['own_nomination_file']}"
        for client in (first, second):
            response = client.get(url)
            assert response.status_code == 200 and response.data in {storage.current().read(k) for k in stored}
            assert response.data.startswith(b"%PDF") and "thanh-tich.pdf" in response.headers["Content-Disposition"]

        # A change made through one server shows on the next page view through the other.
        page = f"/nominations/{records['own_nomination']}"
        assert "Đã chấp nhận" not in second.get(page).get_data(as_text=True)  # rendered and kept
        first.post(f"{page}/accept", data={})
        assert "Đã chấp nhận" in second.get(page).get_data(as_text=True)

        # An export started through one server is run by a real worker and downloads through the other.
        with worker_process(app, shared):
            job_id = _started_job(first, "/nominations/export.csv")
            wait_until(lambda: _job(job_id).status == JobStatus.DONE, seconds=60)
        job = _job(job_id)
        assert job.worker and job.worker.split(":")[-1] != str(os.getpid())  # not this process
        download = second.get(f"/jobs/{job_id}/download")
        assert download.status_code == 200
        rows = list(csv.reader(io.StringIO(download.data.decode("utf-8-sig"))))
        # The worker ran it as its owner, within their scope: city B's nomination is not listed.
        assert sorted(r[NAME] for r in rows[1:]) == ["Phạm Thị Lan", "Trần Thị Mai"]
        state = second.get(f"/jobs/{job_id}/status.json").get_json()
        assert state["status"] == "done" and state["percent"] == 100
        with one.app_context():
            from tracker import pagecache

            pagecache.clear()


def _session_cookie(client):
    cookie = client.get_cookie("session")
    return cookie.key, cookie.value


def test_a_worker_killed_in_the_middle_leaves_no_file_and_the_job_runs_again(app, users, plan, shared):
    for i in range(30):
        make_nomination(users["officer"], plan, name=f"Người số {i}", status="submitted")
    commit()
    with another_server(app, **shared) as one:
        client = one.test_client()
        sign_in_cookie(client, users["committee"])
        # A worker that writes a row at a time, slowly (tests/runtime/slow_worker.py), so that it
        # can be killed half-way through the list.
        with worker_process(app, shared, module="tests.runtime.slow_worker"):
            job_id = _started_job(client, "/nominations/export.xlsx")
            running = wait_until(lambda: (j := _job(job_id)).status == JobStatus.RUNNING and j.done > 0 and j)
            first_worker, first_done = running.worker, running.done
            os.kill(int(first_worker.rsplit(":", 1)[1]), signal.SIGKILL)  # the process running the job
            with one.app_context():
                assert [k for k in storage.current().keys("exports/")] == []  # nothing half-written is visible
            # The message goes back to the queue at once; the worker's next process takes the job,
            # and the job's page says so while it runs again.
            wait_until(lambda: _job(job_id).attempts == 2, seconds=60)
            page = client.get(f"/jobs/{job_id}").get_data(as_text=True)
            assert "lần thứ 2" in page or _job(job_id).status == JobStatus.DONE
            wait_until(lambda: _job(job_id).status == JobStatus.DONE, seconds=90)
        job = _job(job_id)
        assert job.attempts == 2 and job.worker != first_worker and first_done < 30
        with one.app_context():
            assert list(storage.current().keys("exports/")) == [job.result_key]
        response = client.get(f"/jobs/{job_id}/download")
        from openpyxl import load_workbook

        sheet = load_workbook(io.BytesIO(response.data)).active
        assert sheet.max_row == 3 + 30  # heading, blank, headers, every row once


def test_redis_stopped_and_started_during_requests_causes_no_error(app, users, plan, shared):
    with own_redis() as redis_server:
        settings = {**shared, "REDIS_URL": redis_server.url, "CELERY_BROKER_URL": redis_server.url}
        with another_server(app, **settings) as one:
            client = one.test_client()
            for running in (True, False, True):
                if not running:
                    redis_server.stop()
                assert client.post("/login", data={"username": users["committee"].username,
                                                   "password": PASSWORD}).status_code == 302
                for page in ("/", f"/honour-roll/{plan.id}", "/nominations/", "/healthz"):
                    response = client.get(page)
                    assert response.status_code == 200, (page, response.status_code)
                health = client.get("/healthz").get_json()
                assert health["redis"] == ("ok" if running else "unreachable")
                assert health["status"] == ("degraded" if not running or health["workers"] == 0 else "ok")
                job_id = _started_job(client, "/nominations/export.csv")  # queued, or waiting for the broker
                assert client.get(f"/jobs/{job_id}").status_code == 200
                client.post("/logout")
                if not running:
                    redis_server.start()
            # The job started while Redis was down waits; the scheduler's sweep sends it again and
            # a worker does it (the others may have been sent twice: each runs once).
            with one.app_context():
                waiting = db.session.scalars(select(Job.id).where(Job.status == JobStatus.QUEUED)).all()
                assert len(waiting) == 3
            with worker_process(app, settings):
                one.config["JOB_STALE_SECONDS"] = 0
                with one.app_context():
                    assert tasks.requeue_stale_jobs() == 3
                wait_until(lambda: all(_job(i).status == JobStatus.DONE for i in waiting), seconds=60)
            assert {_job(i).attempts for i in waiting} == {1}
