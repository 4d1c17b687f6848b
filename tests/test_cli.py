"""The flask commands: create-user with the password policy, and the idempotent demo loader."""
import json
from datetime import date

from sqlalchemy import func, select

from tracker.audit.models import AuditEvent
from tracker.nominations.models import Nomination
from tracker.plans.models import Milestone, MilestoneKind, MilestoneScope, Movement, Plan
from tracker.reports.models import ProgressReport
from tracker.units.models import Unit, UnitKind
from tracker.users.models import Role, User


def _create(runner, tree, password):
    return runner.invoke(args=["create-user", "--username", "canbo", "--full-name", "Cán bộ", "--role",
                               "ward_officer", "--unit", tree["ward_a1"].code, "--password", password])


def test_create_user(runner, tree, db):
    result = _create(runner, tree, "Hoi-nghi-2020-ok")
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.username == "canbo"))
    assert user.role is Role.WARD_OFFICER and user.unit_id == tree["ward_a1"].id


def test_create_user_refuses_short_and_common_passwords(runner, tree, db):
    for password in ("short", "1234567890", "password123"):
        result = _create(runner, tree, password)
        assert result.exit_code != 0
        assert "Mật khẩu" in result.output
    assert db.session.scalar(select(User).where(User.username == "canbo")) is None


def test_create_user_unknown_unit(runner, db):
    result = runner.invoke(args=["create-user", "--username", "x", "--full-name", "X", "--role", "leader",
                                 "--unit", "NOPE", "--password", "Hoi-nghi-2020-ok"])
    assert result.exit_code != 0 and "NOPE" in result.output


def _counts(db):
    return {model.__name__: db.session.scalar(select(func.count()).select_from(model))
            for model in (Unit, User, Plan, Movement, Milestone, ProgressReport, Nomination)}


def test_seed_demo_loads_plan_156_and_is_idempotent(runner, db, app):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    assert "admin" in result.output and app.config["DEMO_PASSWORD"] in result.output
    plan = db.session.scalar(select(Plan).where(Plan.number == "156/KH-UBND"))
    assert plan.issued_date == date(2019, 10, 15)
    assert (plan.period_start_year, plan.period_end_year) == (2020, 2025)
    assert plan.legal_basis.startswith("Chỉ thị 34-CT/TW ngày 07/4/2014")
    assert plan.issuing_unit.kind is UnitKind.CITY
    assert len(plan.movements) == 3
    milestones = {m.title: m for m in plan.milestones}
    grassroots = milestones["Hội nghị điển hình tiên tiến cấp xã, phường"]
    assert (grassroots.start_date, grassroots.due_date) == (date(2020, 1, 1), date(2020, 3, 31))
    assert grassroots.scope is MilestoneScope.SUBUNITS
    city = milestones["Hội nghị điển hình tiên tiến thành phố lần thứ V"]
    assert (city.start_date, city.due_date, city.scope) == (date(2020, 4, 20), date(2020, 4, 25), MilestoneScope.ISSUING_UNIT)
    dossier = [m for m in plan.milestones if m.is_assumption]
    assert len(dossier) == 1 and dossier[0].due_date < city.start_date
    assert dossier[0].kind is MilestoneKind.DOSSIER and grassroots.kind is MilestoneKind.CONFERENCE
    handed_in = db.session.scalars(select(ProgressReport).where(ProgressReport.milestone_id == dossier[0].id)).all()
    assert handed_in and all(r.nominations_handed_in for r in handed_in)  # some wards handed in their dossier
    wards = db.session.scalars(select(Unit).where(Unit.parent_id == plan.issuing_unit_id)).all()
    assert len(wards) == 40 and {w.kind for w in wards} == {UnitKind.WARD, UnitKind.COMMUNE}
    officers = db.session.scalar(select(func.count()).select_from(User).where(User.role == Role.WARD_OFFICER))
    assert officers == 40
    statuses = set(db.session.scalars(select(ProgressReport.status)))
    assert len(statuses) >= 4
    first = _counts(db)
    events = db.session.scalar(select(func.count()).select_from(AuditEvent))
    again = runner.invoke(args=["seed-demo"])
    assert again.exit_code == 0, again.output
    assert _counts(db) == first
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == events


def test_demo_users_can_sign_in(runner, app, db):
    runner.invoke(args=["seed-demo"])
    client = app.test_client()
    for username in ("admin", "committee", "leader", "phuong_thuan_hoa"):
        response = client.post("/login", data={"username": username, "password": app.config["DEMO_PASSWORD"]})
        assert response.status_code == 302, username
        client.post("/logout")


def test_the_demo_records_each_step_on_its_day(runner, db, app, monkeypatch):
    """No record of the demo is dated after its pinned today (10/04/2020) or before the plan was
    issued, and a report says it was handed in on the day its frozen version says."""
    from datetime import datetime, timezone

    from tracker.clock import zone
    from tracker.reports.models import ReportVersion

    monkeypatch.setitem(app.config, "TRACKER_TODAY", "2020-04-10")
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    days = {stamp.replace(tzinfo=stamp.tzinfo or timezone.utc).astimezone(zone()).date()
            for stamp in db.session.scalars(select(AuditEvent.created_at))}
    assert min(days) == date(2019, 10, 15) and max(days) <= date(2020, 4, 10), sorted(days)
    assert len(days) > 10  # the story's steps, each on its own day
    for version in db.session.scalars(select(ReportVersion)):
        handed_in = version.submitted_at.replace(tzinfo=version.submitted_at.tzinfo or timezone.utc)
        assert handed_in.astimezone(zone()).date().isoformat() == json.loads(version.data)["submitted_on"]
