"""`make bench`: the main pages at national scale, on SQLite and on PostgreSQL.

For each database it
1. builds a small data set (10,000 nominations) and counts the SQL statements of every page;
2. builds the national data set (bench/dataset.py: 34 provinces, 3,321 communes and wards,
   2 plans, 1,000,000 nominations, 100,000 progress reports, 5,000 users) in its own database
   (a SQLite file under bench/results/, a PostgreSQL database made and dropped with
   scripts/pg_testdb.py), timing the schema, the bulk load and `rebuild-stats`;
3. opens every page in-process (Flask test client, signed in by writing the session) at
   least --requests times: p50 and p95 of the time, and the statements per request, first
   with every page rendered from the database, then with the rendered-page cache;
4. serves the app with gunicorn (--workers sync workers) on 127.0.0.1 and drives each page with
   wrk (--clients connections for --seconds), each between two runs of the one-line route
   /bench/ping (no database) served by the same gunicorn: each page's throughput as a ratio to that route's,
   read-only and again while bench/writer.py (in WRITERS processes) commits officers'
   nominations and reports through the services at --write-rate commits per second in all (the
   rate achieved and its errors are reported).
Results: bench/results/bench.md and bench/results/bench.json.
"""
import argparse
import gc
import json
import os
import platform
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "bench" / "results"
PG_SERVER = os.environ.get("BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432")
SECRET = secrets.token_hex(32)  # this run's own key: the gunicorn workers get it too
TARGET_P95_MS = 150
TARGET_STATEMENTS = 15
TARGET_RATIO = 0.25
SLOW_MS = 1000  # pages slower than this in-process are not driven under load

os.environ["SECRET_KEY"] = SECRET  # the production config insists on one
os.environ.setdefault("SESSION_COOKIE_SECURE", "0")  # plain HTTP on loopback
# One committee member opens the export page after page: not what the per-user limit is for.
os.environ.setdefault("EXPORT_LIMIT_PER_USER", "100000 per minute")

from bench import dataset  # noqa: E402
from bench import jobs as bench_jobs  # noqa: E402


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


# --- databases ---------------------------------------------------------------------------------


def database_url(kind: str, name: str) -> str:
    if kind == "sqlite":
        return f"sqlite:///{RESULTS / (name + '.sqlite3')}"
    return f"{PG_SERVER}/{name}"


def create_database(kind: str, name: str) -> None:
    if kind == "sqlite":
        path = RESULTS / f"{name}.sqlite3"
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        return
    subprocess.run([sys.executable, str(ROOT / "scripts" / "pg_testdb.py"), "create", name], check=True)


def drop_database(kind: str, name: str) -> None:
    if kind == "sqlite":
        create_database(kind, name)  # removes the files
        return
    subprocess.run([sys.executable, str(ROOT / "scripts" / "pg_testdb.py"), "drop", name], check=False)


def postgres_reachable() -> bool:
    return subprocess.run([sys.executable, str(ROOT / "scripts" / "pg_testdb.py"), "drop", "tracker_bench_probe"],
                          capture_output=True).returncode == 0


def make_app(url: str, **settings):
    """The app in this process (the in-process timings and statement counts): every request
    reads its session, as one after SESSION_RECHECK_SECONDS does, so that a page's count is the
    most it costs, whatever the timing. gunicorn's workers keep the production default."""
    from tracker import create_app

    settings = {"SESSION_RECHECK_SECONDS": 0, **settings}
    return create_app("production", SQLALCHEMY_DATABASE_URI=url, TRACKER_TODAY=dataset.TODAY.isoformat(),
                      SESSION_COOKIE_SECURE=False, SECRET_KEY=SECRET, **settings)


def _production_env(url: str) -> dict:
    """The environment of a gunicorn or worker process of the bench on the database at `url`."""
    return {**os.environ, "DATABASE_URL": url, "TRACKER_CONFIG": "production", "SECRET_KEY": SECRET,
            "TRACKER_TODAY": dataset.TODAY.isoformat(), "SESSION_COOKIE_SECURE": "0", "PYTHONPATH": str(ROOT)}


def build(kind: str, name: str, sizes: dataset.Sizes) -> tuple[object, dataset.Country, dict]:
    """A fresh database with the migrated schema and the data set; returns the app, what was
    written and the timings (seconds)."""
    import flask_migrate
    from sqlalchemy import select, text
    from werkzeug.security import generate_password_hash

    from tracker.catalogue.models import AwardType
    from tracker.catalogue.services import load_catalogue
    from tracker.extensions import db
    from tracker.stats.counters import rebuild

    create_database(kind, name)
    url = database_url(kind, name)
    app = make_app(url)
    timings = {}
    with app.app_context():
        started = time.perf_counter()
        flask_migrate.upgrade(directory=str(ROOT / "migrations"))
        load_catalogue(None)
        db.session.commit()
        award_type_id = db.session.scalar(select(AwardType.id).order_by(AwardType.id).limit(1))
        timings["schema"] = time.perf_counter() - started
        started = time.perf_counter()
        password_hash = generate_password_hash("Bench-mat-khau-2026", method="pbkdf2:sha256:1000")
        with db.engine.connect() as connection:
            if kind == "sqlite":
                connection.exec_driver_sql("PRAGMA synchronous=OFF")
            country = dataset.build(connection, sizes, password_hash, award_type_id)
            connection.commit()
        timings["load"] = time.perf_counter() - started
        started = time.perf_counter()
        rebuild(db.session)
        db.session.commit()
        timings["rebuild_stats"] = time.perf_counter() - started
        started = time.perf_counter()
        with db.engine.connect() as connection:
            connection.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("ANALYZE")
        timings["analyze"] = time.perf_counter() - started
        country.counts["stat_counters"] = db.session.scalar(text("SELECT COUNT(*) FROM stat_counters"))
        db.session.remove()
        db.engine.dispose()
    timings["total"] = sum(timings.values())
    return app, country, timings


# --- the pages -----------------------------------------------------------------------------------


def pages(country: dataset.Country) -> list[tuple[str, list[str], bool]]:
    """(name, URLs to cycle through, counts towards the targets), asked for by the national
    committee unless the page is in AS_PROVINCE."""
    plan = country.plan_ids[0]
    provinces = [country.largest_province_id] + [p for p in country.province_ids if p != country.largest_province_id]
    step = max(len(country.ward_ids) // 200, 1)
    wards = country.ward_ids[::step][:200]
    return [
        ("Dashboard, national", [f"/dashboard/?plan={plan}"], True),
        ("Dashboard, province", [f"/dashboard/?plan={plan}&unit={p}" for p in provinces], True),
        ("Dashboard, ward", [f"/dashboard/?plan={plan}&unit={w}" for w in wards], True),
        ("Dashboard, one movement", [f"/dashboard/?plan={plan}&movement={country.movement_ids[plan][1]}"], True),
        ("Nomination queue", ["/nominations/?status=pending"], True),
        ("Queue, search by common words", ["/nominations/?q=nguyen%20van"], True),
        ("Queue, search by a word nobody has", ["/nominations/?q=khongaico"], True),
        ("Queue, search by rarer words", ["/nominations/?q=phuc%20tam"], True),
        (PROVINCE_SEARCH, ["/nominations/?q=van", "/nominations/?q=nguyen%20van", "/nominations/?q=thi%20dua"], True),
        ("Queue, sorted by unit", ["/nominations/?sort=unit"], True),
        ("Queue, sorted by name", ["/nominations/?sort=name"], True),
        ("Queue, oldest first", ["/nominations/?sort=oldest"], True),
        ("Deadline view", [f"/deadlines/?plan={plan}"], True),
        ("One nomination", [f"/nominations/{n}" for n in country.nomination_ids[:200]], True),
        ("Honour roll", [f"/honour-roll/{plan}"], True),
        ("Matrix export (.xlsx), largest province", [f"/dashboard/matrix.xlsx?plan={plan}&unit={provinces[0]}"], False),
    ]


# The committee of the largest province searching words that most of the country's rows hold: its
# matches are found in the text index narrowed to the province (nominations.queries.matching_ids).
PROVINCE_SEARCH = "Queue, province committee, search by common words"
AS_PROVINCE = {PROVINCE_SEARCH}

EXTRA_BUDGET = {"Matrix export (.xlsx), largest province": 15}  # seconds: not a target, keep it short


def _user_of(country, name: str) -> int:
    """Who asks for the page `name`: the national committee, or the largest province's."""
    return country.province_committee_id if name in AS_PROVINCE else country.committee_id


def _signed_in(app, country, user_id: int | None = None) -> dict:
    """The cookie session of the committee member (`user_id`, else the national committee's),
    with a server-side session of its own."""
    user_id = user_id or country.committee_id
    from tracker.extensions import db
    from tracker.users import sessions
    from tracker.users.models import User

    with app.app_context():
        token = sessions.start_session(db.session.get(User, user_id), ip="127.0.0.1")
        db.session.commit()
    # "_fresh": False so that Flask-Login's session protection has nothing to rewrite, and the
    # form's secret a browser's session holds from its first page after signing in (without it
    # every page with a form would write the cookie again, which no browser's session does).
    return {"_user_id": str(user_id), "_fresh": False, sessions.SESSION_KEY: token,
            app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"): secrets.token_hex(20)}


def _client(app, country, user_id: int | None = None):
    client = app.test_client()
    signed_in = _signed_in(app, country, user_id)
    with client.session_transaction() as session:
        session.update(signed_in)
    return client


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def measure(app, country, requests: int | None, warmup: int, budget: float, cache: bool = False) -> dict:
    """In-process: time and statements of every page (requests=None: each URL of a page once).
    `cache`: with the rendered-page cache (tracker.pagecache), which starts empty; without it,
    every request renders the page from the database, as the first view after a change does."""
    from sqlalchemy import event

    from tracker import pagecache
    from tracker.extensions import db

    app.config["PAGE_CACHE_MB"] = 32 if cache else 0
    with app.app_context():
        pagecache.clear()

    with app.app_context():
        engine = db.engine
    statements = [0]

    def tick(_connection, _cursor, statement, *_args):
        # The session's last-seen time is written once a minute (users.sessions.TOUCH_EVERY): the
        # session's statement, falling on whichever page comes at that minute, not the page's own.
        if not statement.startswith("UPDATE user_sessions"):
            statements[0] += 1

    event.listen(engine, "before_cursor_execute", tick)
    clients = {}
    results = {}
    # As wsgi.py does in a worker: what exists now is never garbage (here, also the leftovers of
    # building the data set), so full collections do not rescan it.
    gc.collect()
    gc.freeze()
    try:
        for name, urls, _target in pages(country):
            user_id = _user_of(country, name)
            if user_id not in clients:
                clients[user_id] = _client(app, country, user_id)
            client = clients[user_id]
            page_budget = min(budget, EXTRA_BUDGET.get(name, budget))
            deadline = time.perf_counter() + page_budget  # warm-up included: a very slow page stops early
            for index in range(warmup):
                client.get(urls[index % len(urls)])
                if time.perf_counter() > deadline - page_budget / 2:
                    break
            times, counts, sizes = [], [], []
            for index in range(requests or len(urls)):
                url = urls[index % len(urls)]
                statements[0] = 0
                started = time.perf_counter()
                response = client.get(url)
                times.append((time.perf_counter() - started) * 1000)
                counts.append(statements[0])
                sizes.append(len(response.data))
                if response.status_code != 200:
                    raise RuntimeError(f"{url}: {response.status_code}")
                if time.perf_counter() > deadline and index >= 4:
                    break
            results[name] = {
                "url": urls[0], "requests": len(times),
                "p50_ms": round(_percentile(times, 0.5), 1), "p95_ms": round(_percentile(times, 0.95), 1),
                "mean_ms": round(statistics.fmean(times), 1),
                # The most a request needed (a ward with nothing late skips the late list's query).
                "statements": max(counts), "statements_median": int(statistics.median(counts)),
                "bytes": int(statistics.median(sizes)),
            }
            log(f"  {name}: p50 {results[name]['p50_ms']} ms, p95 {results[name]['p95_ms']} ms, "
                f"{results[name]['statements']} statements ({len(times)} requests)")
    finally:
        gc.unfreeze()
        event.remove(engine, "before_cursor_execute", tick)
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
    return results


def count_statements(app, country) -> dict[str, int]:
    """Statements per page, rendered from the database (no cache)."""
    return {name: r["statements"] for name, r in measure(app, country, requests=None, warmup=1, budget=60).items()}


# --- under load ---------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _session_cookie(app, country, user_id: int | None = None) -> str:
    serializer = app.session_interface.get_signing_serializer(app)
    return serializer.dumps(_signed_in(app, country, user_id))


def _wrk(url: str, cookie: str, clients: int, seconds: int) -> dict:
    output = subprocess.run(
        ["wrk", "-t2", f"-c{clients}", f"-d{seconds}s", "--timeout", "10s", "--latency",
         "-H", f"Cookie: session={cookie}", url],
        capture_output=True, text=True, check=True, timeout=seconds + 60).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    latency = dict(re.findall(r"^\s+(50|99)%\s+([\d.]+\w+)", output, re.M))
    return {"rps": round(rps, 1), "non_2xx": int(errors.group(1)) if errors else 0,
            "latency_p50": latency.get("50"), "latency_p99": latency.get("99")}


WRITERS = 3  # processes sharing the stream: officers write side by side, and one process alone
# falls behind the rate on a loaded 2-core machine (a commit waits for its turn on a core)


def _start_writer(env: dict, country, rate: float) -> list:
    """bench/writer.py: officers of wards all over the country saving and handing in through the
    services at `rate` commits per second in all, in WRITERS processes of their own (each with its
    own wards and its share of the rate)."""
    step = max(len(country.ward_ids) // 60, 1)
    wards = country.ward_ids[::step][:60]
    count = max(min(WRITERS, len(wards)), 1)
    writers = [subprocess.Popen([sys.executable, str(ROOT / "bench" / "writer.py"), "--rate", str(rate / count),
                                 "--wards", ",".join(str(w) for w in wards[i::count]), "--seed", str(7 + i),
                                 "--plan", str(country.plan_ids[0]), "--today", dataset.TODAY.isoformat()],
                                cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
               for i in range(count)]
    time.sleep(3)  # imported and writing
    return writers


def _stop_writer(writers: list) -> dict:
    """The stream's commits, refusals and errors in all, and its rate (the writers' rates added);
    a writer that gave no report counts as an error."""
    for writer in writers:
        writer.terminate()
    reports, missing = [], []
    for writer in writers:
        try:
            output, _ = writer.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            writer.kill()
            output, _ = writer.communicate()
        try:
            reports.append(json.loads(output.strip().splitlines()[-1]))
        except (ValueError, IndexError):
            missing.append(f"no report: {output[-300:]}")
    return {"commits": sum(r["commits"] for r in reports), "refused": sum(r["refused"] for r in reports),
            "errors": sum(r["errors"] for r in reports) + len(missing),
            "error_samples": (missing + [sample for r in reports for sample in r["error_samples"]])[:3],
            "rate": round(sum(r["rate"] for r in reports), 2)}


def load(kind: str, url: str, app, country, workers: int, clients: int, seconds: int, measured: dict,
         write_rate: float = 0) -> dict:
    """gunicorn + wrk on loopback: requests per second of each page, and of /bench/ping just
    before and after it. A page whose in-process p50 is over SLOW_MS is not driven (it would only tie the
    workers up)."""
    if shutil.which("wrk") is None:
        log("  wrk is not installed: the load test is skipped (make bench installs it)")
        return {}
    port = _free_port()
    env = _production_env(url)
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    server = subprocess.Popen([gunicorn, "--workers", str(workers), "--worker-class", "sync", "--timeout", "120",
                               "--graceful-timeout", "5", "--bind", f"127.0.0.1:{port}", "--log-level", "warning",
                               "bench.wsgi:app"], cwd=ROOT, env=env)
    base = f"http://127.0.0.1:{port}"
    cookie = _session_cookie(app, country)
    results = {}
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=2).read()
                break
            except OSError:
                time.sleep(0.2)
        ping = base + "/bench/ping"
        for name, urls, _target in pages(country):
            path = urls[0]
            if measured.get(name, {}).get("p50_ms", 0) > SLOW_MS:
                results[name] = {"url": path, "skipped": f"p50 {measured[name]['p50_ms'] / 1000:.1f} s in-process"}
                log(f"  {name}: not driven under load ({results[name]['skipped']})")
                continue
            page_cookie = _session_cookie(app, country, _user_of(country, name)) if name in AS_PROVINCE else cookie
            request = urllib.request.Request(base + path, headers={"Cookie": f"session={page_cookie}"})
            for _ in range(workers):  # the workers have opened their connections and loaded the code
                urllib.request.urlopen(request, timeout=60).read()
            # The one-line route right before the page, in the same conditions: the machine's
            # speed drifts over a run (by a third on a shared 2-core machine), so each page is
            # compared with the route as fast as it was around it (see below).
            route = _wrk(ping, cookie, clients, seconds)
            results[name] = {"url": path, **_wrk(base + path, page_cookie, clients, seconds), "ping_rps": route["rps"]}
            if write_rate:
                writer = _start_writer(env, country, write_rate)
                try:
                    route_writes = _wrk(ping, cookie, clients, seconds)
                    mixed = _wrk(base + path, page_cookie, clients, seconds)
                finally:
                    written = _stop_writer(writer)
                results[name].update(rps_writes=mixed["rps"], non_2xx_writes=mixed["non_2xx"],
                                     latency_p50_writes=mixed["latency_p50"], writes=written,
                                     ping_rps_writes=route_writes["rps"])
                log(f"  {name}: {results[name]['rps']} requests/s (route {route['rps']}), {mixed['rps']} under "
                    f"{written.get('rate')} writes/s (route {route_writes['rps']}; {written.get('errors')} errors)")
            else:
                log(f"  {name}: {results[name]['rps']} requests/s (route {route['rps']})")
        end = _wrk(ping, cookie, clients, seconds)  # the route after the last page
        if write_rate:
            writer = _start_writer(env, country, write_rate)
            try:
                end["rps_writes"] = _wrk(ping, cookie, clients, seconds)["rps"]
            finally:
                _stop_writer(writer)
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=30)
    # Each page against the one-line route measured the same way around it (the mean of the run
    # just before the page and of the one just after it, which is the next page's "before"):
    # read-only against read-only, under the writes against the route under the same stream of
    # writes (which takes its share of the two cores from both).
    driven = [value for value in results.values() if "ping_rps" in value]
    for key, last in (("ping_rps", end.get("rps")), ("ping_rps_writes", end.get("rps_writes"))):
        around = [value.get(key) for value in driven[1:]] + [last]
        for value, after in zip(driven, around):
            if value.get(key) and after:
                value[key] = round((value[key] + after) / 2, 1)
    for value in driven:
        value["ratio"] = round(value["rps"] / value["ping_rps"], 3)
        if value.get("ping_rps_writes"):
            value["ratio_writes"] = round(value["rps_writes"] / value["ping_rps_writes"], 3)
    return results


# --- the report ---------------------------------------------------------------------------------


def _mark(ok: bool) -> str:
    return "yes" if ok else "**no**"


def markdown(report: dict) -> str:
    lines = [f"# Bench: {report['finished']}", "",
             f"Command: `{('python bench/run.py ' + report.get('command', '')).strip()}`", "",
             f"Machine: {report['machine']['cpus']} cores, Python {report['machine']['python']}, "
             f"SQLite {report['machine']['sqlite']}, {report['machine'].get('postgresql', 'no PostgreSQL')}. "
             f"Data: {report['sizes']['nominations']:,} nominations, {report['sizes']['reports']:,} progress reports, "
             f"{report['sizes']['users']:,} users; small set for the statement counts: "
             f"{report['small_sizes']['nominations']:,} nominations. Today pinned to {report['today']}. "
             f"In-process: ≥{report['requests']} requests per page (p50/p95). Load: gunicorn "
             f"{report['workers']} sync workers, wrk {report['clients']} connections × {report['seconds']} s per page.",
             ""]
    for kind, result in report["databases"].items():
        build = result["build"]
        lines += [f"## {kind}", "",
                  f"Data set built in **{build['total']:.0f} s** (schema {build['schema']:.1f} s, bulk load "
                  f"{build['load']:.0f} s, rebuild-stats {build['rebuild_stats']:.0f} s, ANALYZE "
                  f"{build['analyze']:.0f} s); rows: " + ", ".join(f"{k} {v:,}" for k, v in result["counts"].items())
                  + (f". Small set built in {result['small_build']['total']:.0f} s." if "small_build" in result
                     else "."), ""]
        lines += _jobs_markdown(result.get("jobs"))
        if "pages" not in result:
            continue
        lines += [
                  "Uncached: every request renders the page from the database (as the first view after "
                  "a change does). Cached: the same requests with the rendered-page cache, starting empty "
                  "(a page cycling through many URLs renders each once). Under load the cache is on.", "",
                  f"Under writes: the same wrk run while bench/writer.py (in {WRITERS} processes) commits "
                  "officers' nominations and reports through the services (the commit rate achieved and the "
                  "writers' errors in the last columns). Each ratio is to the one-line route measured around the page, the same "
                  "way (the mean of its runs just before and just after the page, in brackets): read-only "
                  "to read-only runs, under writes to runs under the same stream of writes.", "",
                  "| page | requests | uncached p50 ms | uncached p95 ms | cached p50 ms | cached p95 ms | "
                  "statements, 10k (max) | statements, 1M (max) | req/s (wrk) | "
                  "ratio to /bench/ping | req/s under writes | ratio under writes | writes/s achieved | "
                  "writer errors | p95 ≤ 150 (uncached) | statements ≤ 15, flat | ratio ≥ 0.25 (both) |",
                  "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|:-:|:-:|:-:|"]
        load_results = result.get("load", {})
        routes = [w for w in load_results.values() if w.get("ping_rps")]
        if routes:
            def spread(key):
                values = [w[key] for w in routes if w.get(key)]
                return f"{min(values):,.0f}–{max(values):,.0f}" if values else "–"
            lines.append(f"| trivial route /bench/ping (around each page) | | | | | | | | {spread('ping_rps')} | 1 "
                         f"| {spread('ping_rps_writes')} | 1 | | | | | |")
        for name, m in result["pages"].items():
            small = result["small_statements"].get(name)
            w = load_results.get(name, {})
            target = m["target"]
            rps = (f"{w['rps']:,.0f} ({w['ping_rps']:,.0f})" if "rps" in w
                   else f"not driven ({w['skipped']})" if "skipped" in w else "–")
            rps_writes = f"{w['rps_writes']:,.0f} ({w['ping_rps_writes']:,.0f})" if "rps_writes" in w else "–"
            c = m.get("cached") or {}
            lines.append(
                f"| {name} | {m['requests']} | {m['p50_ms']} | {m['p95_ms']} | {c.get('p50_ms', '–')} | "
                f"{c.get('p95_ms', '–')} | {small} | {m['statements']} | "
                f"{rps} | {w.get('ratio', '–')} | {rps_writes} | {w.get('ratio_writes', '–')} | "
                f"{(w.get('writes') or {}).get('rate', '–')} | {(w.get('writes') or {}).get('errors', '–')} | "
                + (" | ".join([_mark(m["p95_ms"] <= TARGET_P95_MS),
                               _mark(m["statements"] <= TARGET_STATEMENTS and small == m["statements"]),
                               _mark((w.get("ratio") or 0) >= TARGET_RATIO
                                     and ("ratio_writes" not in w or (w.get("ratio_writes") or 0) >= TARGET_RATIO))
                               if w else "–"])
                   if target else "– | – | –") + " |")
        lines.append("")
    lines.append(f"Whole bench: {report['seconds_total']:.0f} s.")
    return "\n".join(lines) + "\n"


def _jobs_markdown(jobs: dict | None) -> list[str]:
    if not jobs:
        return []
    before = jobs.get("pages_before", {})

    def page(summary: dict, name: str) -> str:
        figure = summary.get(name)
        return f"{figure['p50_ms']} / {figure['p95_ms']}" if figure else "–"

    lines = ["Jobs: a Celery worker process (one at a time, on Redis) runs each job while sign-in and the "
             "national dashboard are asked for one after the other through gunicorn (2 workers). Page "
             f"times are p50 / p95 ms; before any job: sign-in {page(before, 'sign-in page')}, dashboard "
             f"{page(before, 'dashboard, national')}.", "",
             "| job | status | rows | seconds | worker peak MB | file MB | sign-in during | dashboard during | "
             "page errors |", "|---|---|---:|---:|---:|---:|---:|---:|---:|"]
    for name, job in jobs.items():
        if not isinstance(job, dict) or "seconds" not in job:
            continue
        during = job.get("pages_during", {})
        lines.append(f"| {name} | {job['status']}{' – ' + job['error'] if job.get('error') else ''} | "
                     f"{job.get('rows') or '–'} | {job['seconds']} | {job['worker_peak_mb']} | {job['size_mb']} | "
                     f"{page(during, 'sign-in page')} | {page(during, 'dashboard, national')} | "
                     f"{during.get('errors', 0)} |")
    return lines + [""]


def machine() -> dict:
    import sqlite3

    info = {"cpus": os.cpu_count(), "python": platform.python_version(), "sqlite": sqlite3.sqlite_version,
            "platform": platform.platform()}
    try:
        import psycopg

        with psycopg.connect(PG_SERVER.replace("+psycopg", "") + "/postgres", connect_timeout=3) as conn:
            info["postgresql"] = conn.execute("SHOW server_version").fetchone()[0].split()[0]
            info["postgresql"] = f"PostgreSQL {info['postgresql']}"
    except Exception:  # noqa: BLE001 - reported as absent
        pass
    return info


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--nominations", type=int, default=1_000_000)
    parser.add_argument("--reports", type=int, default=100_000)
    parser.add_argument("--users", type=int, default=5_000)
    parser.add_argument("--small", type=int, default=10_000, help="nominations of the statement-count data set")
    parser.add_argument("--requests", type=int, default=200, help="in-process requests per page")
    parser.add_argument("--budget", type=float, default=45, help="seconds at most per page in-process")
    parser.add_argument("--seconds", type=int, default=8, help="wrk duration per page")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--workers", type=int, default=5)
    parser.add_argument("--write-rate", type=float, default=10,
                        help="commits per second of the mixed mode (bench/writer.py); 0: read-only only")
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--keep", action="store_true", help="keep the databases afterwards")
    parser.add_argument("--parts", default="pages,load,jobs",
                        help="what to measure on the national data set: pages (in-process), load (gunicorn + wrk), "
                             "jobs (a Celery worker on Redis exports and imports while pages are asked for)")
    args = parser.parse_args(argv)
    RESULTS.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    sizes = dataset.Sizes(args.nominations, args.reports, args.users)
    small = dataset.Sizes(args.small, max(args.reports * args.small // max(args.nominations, 1), 100),
                          max(args.users // 10, 500))
    report = {"started": datetime.now(timezone.utc).isoformat(timespec="seconds"), "machine": machine(),
              "command": " ".join(sys.argv[1:] if argv is None else argv),
              "sizes": sizes.__dict__, "small_sizes": small.__dict__, "today": dataset.TODAY.isoformat(),
              "requests": args.requests, "workers": args.workers, "clients": args.clients, "seconds": args.seconds,
              "targets": {"p95_ms": TARGET_P95_MS, "statements": TARGET_STATEMENTS, "ratio": TARGET_RATIO},
              "databases": {}}
    for kind in [k.strip() for k in args.databases.split(",") if k.strip()]:
        if kind == "postgresql" and not postgres_reachable():
            log("PostgreSQL at 127.0.0.1:5432 is unreachable: its half is SKIPPED")
            report["databases"][kind] = {"skipped": "PostgreSQL unreachable"}
            continue
        result = {}
        parts = {p.strip() for p in args.parts.split(",")}
        if "pages" in parts:
            log(f"{kind}: the small data set ({small.nominations:,} nominations)")
            app, country, timings = build(kind, "tracker_bench_small", small)
            result["small_build"] = timings
            result["small_statements"] = count_statements(app, country)
            drop_database(kind, "tracker_bench_small")
        log(f"{kind}: the national data set ({sizes.nominations:,} nominations)")
        app, country, timings = build(kind, "tracker_bench", sizes)
        result["build"] = timings
        result["counts"] = country.counts
        log(f"  built in {timings['total']:.0f} s: {timings}")
        measured = {}
        if "pages" in parts:
            log(f"{kind}: every page rendered from the database")
            measured = measure(app, country, args.requests, warmup=10, budget=args.budget)
            log(f"{kind}: with the rendered-page cache")
            cached = measure(app, country, args.requests, warmup=0, budget=args.budget, cache=True)
            targets = {name: target for name, _urls, target in pages(country)}
            result["pages"] = {name: {**m, "target": targets[name], "cached": cached.get(name)}
                               for name, m in measured.items()}
        if "load" in parts:
            log(f"{kind}: under load")
            result["load"] = load(kind, database_url(kind, "tracker_bench"), app, country, args.workers,
                                  args.clients, args.seconds, measured, write_rate=args.write_rate)
        if "jobs" in parts:
            log(f"{kind}: jobs in a worker while pages are asked for")
            url = database_url(kind, "tracker_bench")
            result["jobs"] = bench_jobs.run(
                kind, url, lambda **settings: make_app(url, **settings), country, SECRET, dataset.TODAY.isoformat(),
                log, _production_env(url), _session_cookie(app, country))
        if not args.keep:
            drop_database(kind, "tracker_bench")
        report["databases"][kind] = result
    report["finished"] = datetime.now(timezone.utc).isoformat(timespec="seconds")
    report["seconds_total"] = time.perf_counter() - started
    (RESULTS / "bench.json").write_text(json.dumps(report, indent=2, ensure_ascii=False))
    text = markdown({**report, "databases": {k: v for k, v in report["databases"].items() if "skipped" not in v}})
    (RESULTS / "bench.md").write_text(text)
    print(text)
    log(f"results: {RESULTS / 'bench.md'} and bench.json ({report['seconds_total']:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
