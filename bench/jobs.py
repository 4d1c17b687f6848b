"""The jobs part of `make bench`: at national scale, a real Celery worker process (on Redis)
exports the national list of nominations (.csv and .xlsx) and imports a ward's 2,000-row
workbook, while sign-in and the national dashboard are asked for, one request after another,
through gunicorn. Reports each job's time, the peak memory of the worker process that ran it,
and the pages' times before and during the job."""
import io
import os
import secrets
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/3")
IMPORT_ROWS = 2000


def _rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


class Pages:
    """Sign-in and the national dashboard asked for one after the other, timing each (ms)."""

    def __init__(self, base: str, cookie: str, plan_id: int):
        self.urls = [(base + "/login", None), (f"{base}/dashboard/?plan={plan_id}", cookie)]
        self.times: dict[str, list[float]] = {"sign-in page": [], "dashboard, national": []}
        self.errors = 0
        self._stop = threading.Event()

    def _once(self) -> None:
        for (url, cookie), name in zip(self.urls, self.times):
            headers = {"Cookie": f"session={cookie}"} if cookie else {}
            started = time.perf_counter()
            try:
                urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=60).read()
                self.times[name].append((time.perf_counter() - started) * 1000)
            except OSError:
                self.errors += 1

    def sample(self, count: int) -> dict:
        for _ in range(count):
            self._once()
        return self.summary()

    def start(self) -> None:
        self.times = {name: [] for name in self.times}
        self._thread = threading.Thread(target=self._loop, daemon=True)
        self._thread.start()

    def _loop(self) -> None:
        while not self._stop.is_set():
            self._once()
            time.sleep(0.2)

    def stop(self) -> dict:
        self._stop.set()
        self._thread.join(120)
        self._stop.clear()
        return self.summary()

    def summary(self) -> dict:
        out = {"errors": self.errors}
        for name, values in self.times.items():
            if values:
                ordered = sorted(values)
                out[name] = {"n": len(values), "p50_ms": round(statistics.median(values), 1),
                             "p95_ms": round(ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))], 1)}
        return out


def _import_workbook(movement: str) -> bytes:
    from openpyxl import Workbook

    from tracker.nominations.exports import TEMPLATE_COLUMNS, TEMPLATE_SHEET

    book = Workbook()
    sheet = book.active
    sheet.title = TEMPLATE_SHEET
    sheet.append([c.header for c in TEMPLATE_COLUMNS])
    for number in range(1, IMPORT_ROWS + 1):
        values = {
            "number": number, "kind": "Cá nhân", "full_name": f"Người nhập thử {number}", "gender": "Nam",
            "birth_year": 1960 + number % 40, "position": "Tổ trưởng tổ dân phố", "workplace": "Tổ dân phố 5",
            "member_count": None, "movement_id": movement, "achievements": "Vận động hiến đất làm đường.",
            "period_start_year": 2015, "period_end_year": 2020, "meeting_date": "10/03/2020",
            "members_present": 25, "votes_for": 23, "proposed_honour": "Giấy khen",
        }
        sheet.append([values[c.key] for c in TEMPLATE_COLUMNS])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def run(kind: str, url: str, app_factory, country, secret: str, today: str, log, gunicorn_env: dict,
        cookie: str) -> dict:
    """Start a worker and two gunicorn workers on the national database; run the jobs."""
    from sqlalchemy import select

    from tracker import tasks
    from tracker.attachments.services import MB, Upload
    from tracker.commit import commit
    from tracker.extensions import db
    from tracker.jobs.models import Job, JobStatus
    from tracker.jobs.services import start_job
    from tracker.nominations.exports import export_params
    from tracker.nominations.imports import start_import
    from tracker.plans.models import Movement, Plan
    from tracker.users.models import User

    queue = f"tracker-bench-{secrets.token_hex(4)}"
    files = ROOT / "bench" / "results" / f"files-{kind}"
    settings = {"REDIS_URL": REDIS_URL, "CELERY_BROKER_URL": REDIS_URL, "JOB_QUEUE_NAME": queue,
                "UPLOAD_FOLDER": str(files), "PAGE_CACHE_PREFIX": f"{queue}-page:", "THROTTLE_PREFIX": queue}
    env = {**gunicorn_env, **settings}
    bin_dir = Path(sys.executable).parent
    worker = subprocess.Popen([str(bin_dir / "celery"), "-A", "worker", "worker", "--loglevel=WARNING",
                               "--concurrency=1", "-Q", queue, "--without-gossip", "--without-mingle",
                               "-n", f"{queue}@%h"], cwd=ROOT, env=env)
    port = _free_port()
    server = subprocess.Popen([str(bin_dir / "gunicorn"), "--workers", "2", "--bind", f"127.0.0.1:{port}",
                               "--log-level", "warning", "--timeout", "120", "bench.wsgi:app"], cwd=ROOT, env=env)
    app = app_factory(**settings)
    base = f"http://127.0.0.1:{port}"
    results: dict = {"queue": queue}
    try:
        _wait(base + "/healthz")
        with app.app_context():
            plan = db.session.get(Plan, country.plan_ids[0])
            committee = db.session.get(User, country.committee_id)
            officer = db.session.scalar(select(User).where(User.username == f"officer_{country.ward_ids[0]}"))
            movement = db.session.scalar(select(Movement.name).where(Movement.plan_id == plan.id)
                                         .order_by(Movement.position))
        pages = Pages(base, cookie, country.plan_ids[0])
        pages.sample(3)  # warm
        results["pages_before"] = pages.sample(15)
        log(f"  pages before any job: {results['pages_before']}")
        jobs_to_run = [
            ("Export, national list (.csv)", lambda: start_job(committee, "nominations_export", "bench csv",
                                                                export_params("csv", {}))),
            ("Export, national list (.xlsx)", lambda: start_job(committee, "nominations_export", "bench xlsx",
                                                                 export_params("xlsx", {}))),
            (f"Import, {IMPORT_ROWS:,} rows of a ward", lambda: start_import(
                officer, plan, Upload("danh-sach.xlsx", io.BytesIO(_import_workbook(movement))),
                max_rows=IMPORT_ROWS, max_bytes=5 * MB)),
        ]
        for name, start in jobs_to_run:
            with app.app_context():
                db.session.add_all([committee, officer, plan])
                job = start()
                commit()
                job_id = job.id
                pages.start()
                started = time.perf_counter()
                tasks.send(app, job_id)
                peak, status = 0.0, None
                while True:
                    for child in _children(worker.pid):
                        peak = max(peak, _rss_mb(child))
                    db.session.expire_all()
                    job = db.session.get(Job, job_id)
                    status = job.status
                    if status in (JobStatus.DONE, JobStatus.FAILED):
                        break
                    db.session.rollback()
                    time.sleep(0.25)
                seconds = time.perf_counter() - started
                during = pages.stop()
                results[name] = {"status": status.value, "seconds": round(seconds, 1), "worker_peak_mb": round(peak),
                                 "rows": job.total if job.total is not None else (job.outcome or {}).get("imported"),
                                 "size_mb": round((job.result_size or 0) / 2**20, 1), "error": job.error,
                                 "pages_during": during}
                db.session.rollback()
            log(f"  {name}: {results[name]}")
    finally:
        for process in (server, worker):
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
        import shutil

        shutil.rmtree(files, ignore_errors=True)
    return results


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait(url: str) -> None:
    for _ in range(150):
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} does not answer")
