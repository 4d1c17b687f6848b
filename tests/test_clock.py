"""One clock: every "today" and "now" of the tracker comes from tracker.clock, which a setting can
pin; sessions and throttling alone run on the real time."""
import ast
import io
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from docx import Document
from openpyxl import Workbook
from sqlalchemy import select

from tests.factories import PASSWORD, make_accepted_nomination, make_milestone, make_plan, make_report
from tracker import clock
from tracker.audit.models import AuditEvent
from tracker.extensions import db
from tracker.commit import commit

TRACKER = Path(__file__).resolve().parent.parent / "tracker"
PINNED = date(2020, 4, 14)

# Calls that read the system clock for a date or a time.
FORBIDDEN = {("date", "today"), ("datetime", "now"), ("datetime", "utcnow"), ("datetime", "today"),
             ("time", "time")}
# The throttle compares the limits library's reset times, which that library takes from
# time.time(): the same clock must read them. It measures durations, never a day.
EXEMPT = {("throttle.py", "time", "time")}


def _clock_reads(path: Path, root: Path = TRACKER) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Attribute):
            continue
        owner = node.value
        name = owner.id if isinstance(owner, ast.Name) else owner.attr if isinstance(owner, ast.Attribute) else None
        if (name, node.attr) in FORBIDDEN and (str(path.relative_to(root)), name, node.attr) not in EXEMPT:
            found.append(f"{path.relative_to(root)}:{node.lineno}: {name}.{node.attr}")
    return found


def test_only_the_clock_reads_the_system_clock():
    """date.today(), datetime.now(), datetime.utcnow(), datetime.today() (called, or passed as a
    column default) anywhere but tracker/clock.py would ignore TRACKER_TODAY or the time zone."""
    found = [hit for path in sorted(TRACKER.rglob("*.py")) if path != TRACKER / "clock.py"
             for hit in _clock_reads(path)]
    assert not found, found


def test_the_rule_sees_every_form(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("import datetime as dt\nfrom datetime import date, datetime\n"
                      "a = date.today()\nb = datetime.now(tz)\nc = dt.datetime.utcnow()\nd = datetime.today\n",
                      encoding="utf-8")
    assert sorted(hit.rsplit(": ", 1)[1] for hit in _clock_reads(sample, tmp_path)) == [
        "date.today", "datetime.now", "datetime.today", "datetime.utcnow"]


# --- the clock ---------------------------------------------------------------------------


def test_pinned_today(app, monkeypatch):
    monkeypatch.setitem(app.config, "TRACKER_TODAY", "2020-03-16")
    assert clock.today() == date(2020, 3, 16)


def test_real_today_without_the_setting(app, monkeypatch):
    monkeypatch.setitem(app.config, "TRACKER_TODAY", "")
    assert abs((clock.today() - date.today()).days) <= 1


def test_today_is_the_local_date_of_the_time_zone(app, monkeypatch):
    """Vietnam is 7 hours ahead of UTC: its day starts while UTC is still on the day before."""
    monkeypatch.setitem(app.config, "TRACKER_TODAY", "")
    real = datetime.now(timezone.utc)
    assert clock.today() in {(real + timedelta(hours=7)).date(), (real + timedelta(hours=7, seconds=5)).date()}
    assert str(clock.zone()) == "Asia/Ho_Chi_Minh"


def test_now_is_aware_utc_and_its_local_day_is_today(app, monkeypatch):
    monkeypatch.setitem(app.config, "TRACKER_TODAY", "")
    before = clock.today()
    moment = clock.now()
    assert moment.utcoffset() == timedelta(0)
    assert abs(moment - datetime.now(timezone.utc)) < timedelta(seconds=5)
    assert moment.astimezone(clock.zone()).date() in {before, clock.today()}


def test_pinned_now_is_the_pinned_day_at_the_local_time_of_day(app, monkeypatch):
    monkeypatch.setitem(app.config, "TRACKER_TODAY", PINNED.isoformat())
    moment = clock.now()
    local = moment.astimezone(clock.zone())
    real_local = datetime.now(clock.zone())
    assert moment.utcoffset() == timedelta(0)
    assert local.date() == PINNED == clock.today()
    seconds = lambda t: t.hour * 3600 + t.minute * 60 + t.second  # noqa: E731
    assert abs(seconds(real_local) - seconds(local)) < 5 or seconds(real_local) < 5  # (unless midnight passed)


def test_the_real_clock_ignores_the_pin(app, monkeypatch):
    monkeypatch.setitem(app.config, "TRACKER_TODAY", "2020-04-10")
    assert abs(clock.utcnow_real() - datetime.now(timezone.utc)) < timedelta(seconds=5)
    assert clock.utcnow_real().utcoffset() == timedelta(0)


# --- the places that read the system clock before --------------------------------------


def _local_day(moment: datetime) -> date:
    moment = moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)  # SQLite returns naive UTC
    return moment.astimezone(clock.zone()).date()


@pytest.fixture
def pinned(app, monkeypatch):
    monkeypatch.setitem(app.config, "TRACKER_TODAY", PINNED.isoformat())


def test_a_submission_is_stamped_with_the_pinned_day(pinned, users, tree):
    plan = make_plan(tree["city_a"])
    nomination = make_accepted_nomination(plan, tree["ward_a1"])
    report = make_report(users["officer"], make_milestone(plan), status="accepted", reviewer=users["committee"])
    commit()
    db.session.expire_all()
    assert _local_day(nomination.submitted_at) == PINNED
    assert _local_day(report.submitted_at) == PINNED and _local_day(report.reviewed_at) == PINNED
    assert _local_day(nomination.created_at) == PINNED  # every record's own timestamps too
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "nomination.submitted")).first()
    assert _local_day(event.created_at) == PINNED


def test_the_proposal_document_is_dated_by_the_pinned_day(pinned, users, tree):
    from tracker.awards import documents, services
    from tracker.catalogue.services import load_catalogue
    from tracker.catalogue.models import AwardType

    load_catalogue(None)
    plan = make_plan(tree["city_a"], number="156/KH-UBND")
    award = db.session.scalar(select(AwardType).where(AwardType.code == "GIAY_KHEN", AwardType.regime == "2017"))
    proposal = services.create_proposal(users["committee"], tree["city_a"], "12/TTr-UBND", date(2020, 4, 12), award,
                                        "Chủ tịch UBND thành phố", [make_accepted_nomination(plan, tree["ward_a1"])])
    proposal.proposal_date = None  # not dated yet: the document carries today's date
    header = Document(io.BytesIO(documents.proposal_docx(proposal, services.proposal_money(proposal), plan))).tables[0].rows[0].cells[1].text
    assert "ngày 14 tháng 4 năm 2020" in header


def test_the_history_import_bounds_birth_years_by_the_pinned_year(pinned, users, tree):
    from tracker.candidates import history_import
    from tracker.catalogue.services import load_catalogue

    load_catalogue(None)
    make_accepted_nomination(make_plan(tree["city_a"]), tree["ward_a1"], "Nguyễn Văn Hòa")
    commit()
    workbook = Workbook()
    workbook.active.append(history_import.HEADERS)
    for birth_year in (2020, 2021):
        workbook.active.append([tree["ward_a1"].code, "Nguyễn Văn Hòa", birth_year, 2019, "HTXSNV", "", "", "", "KHONG"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = history_import.read_history(buffer.getvalue(), tree["city_a"])
    assert [(row, column) for row, column, _message in result.errors if column == "C"] == [(3, "C")]


def test_a_pinned_day_never_expires_a_session(app, client, users, monkeypatch):
    """Sessions run on the real time: signing in under a demo's day years ago keeps one signed in."""
    from tracker.users.models import UserSession

    monkeypatch.setitem(app.config, "TRACKER_TODAY", "2020-04-10")
    assert client.post("/login", data={"username": "officer_a1", "password": PASSWORD}).status_code == 302
    assert client.get("/account").status_code == 200
    row = db.session.scalars(select(UserSession).where(UserSession.user_id == users["officer"].id)).one()
    created = row.created_at if row.created_at.tzinfo else row.created_at.replace(tzinfo=timezone.utc)
    assert abs(created - datetime.now(timezone.utc)) < timedelta(minutes=1)
