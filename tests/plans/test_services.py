"""Obligations: which units owe a milestone, and the status each one shows."""
from datetime import date

import pytest

from tests.factories import make_milestone, make_plan, make_report
from tracker.plans import services
from tracker.plans.models import MilestoneScope, PlanStatus
from tracker.reports import services as reports
from tracker.reports.models import ReportStatus

DUE = date(2020, 3, 31)


@pytest.mark.parametrize("report_status,today,expected", [
    (None, date(2020, 3, 1), "not_started"),
    (None, DUE, "not_started"),
    (None, date(2020, 4, 1), "late"),
    (ReportStatus.DRAFT, date(2020, 3, 1), "in_progress"),
    (ReportStatus.DRAFT, date(2020, 4, 1), "late"),
    (ReportStatus.RETURNED, date(2020, 3, 1), "returned"),
    (ReportStatus.RETURNED, date(2020, 4, 1), "late"),
    (ReportStatus.SUBMITTED, date(2020, 3, 1), "submitted"),
    (ReportStatus.SUBMITTED, date(2020, 4, 9), "submitted"),
    (ReportStatus.RESUBMITTED, date(2020, 4, 9), "submitted"),
    (ReportStatus.ACCEPTED, date(2020, 4, 9), "accepted"),
])
def test_obligation_status(report_status, today, expected):
    assert services.obligation_status(report_status, DUE, today) == expected


def test_milestone_applies_to_wards_and_communes_under_the_issuer(tree):
    plan = make_plan(tree["city_a"])
    grassroots = make_milestone(plan)
    conference = make_milestone(plan, scope=MilestoneScope.ISSUING_UNIT, kinds="")
    assert services.applies_to(grassroots, tree["ward_a1"]) and services.applies_to(grassroots, tree["ward_a2"])
    assert not services.applies_to(grassroots, tree["city_a"])
    assert not services.applies_to(grassroots, tree["ward_b1"])
    assert services.applies_to(conference, tree["city_a"]) and not services.applies_to(conference, tree["ward_a1"])


def test_obligations_for_a_ward(tree, users):
    plan = make_plan(tree["city_a"])
    first = make_milestone(plan, due=date(2020, 3, 31))
    make_milestone(plan, scope=MilestoneScope.ISSUING_UNIT, kinds="")
    make_plan(tree["city_a"], status=PlanStatus.DRAFT) and None
    make_report(users["officer"], first, status="submitted")
    result = services.obligations_for_unit(tree["ward_a1"], date(2020, 4, 10))
    assert [(o.milestone.id, o.status) for o in result] == [(first.id, "submitted")]
    assert services.obligations_for_unit(tree["ward_a2"], date(2020, 4, 10))[0].status == "late"
    assert services.obligations_for_unit(tree["ward_b1"], date(2020, 4, 10)) == []


def test_draft_plans_create_no_obligations(tree):
    plan = make_plan(tree["city_a"], status=PlanStatus.DRAFT)
    make_milestone(plan)
    assert services.obligations_for_unit(tree["ward_a1"], date(2020, 4, 10)) == []


def test_new_ward_gets_obligations_without_a_manual_step(tree):
    from tests.factories import make_unit
    from tracker.units.models import UnitKind

    plan = make_plan(tree["city_a"])
    make_milestone(plan)
    new_ward = make_unit("Phường Mới", UnitKind.WARD, tree["city_a"])
    assert len(services.obligations_for_unit(new_ward, date(2020, 2, 1))) == 1


def test_progress_counts_and_late_units(tree, users):
    plan = make_plan(tree["city_a"])
    milestone = make_milestone(plan)
    make_report(users["officer"], milestone, status="accepted", reviewer=users["committee"])
    before = services.milestone_progress(milestone, tree["city_a"].path, date(2020, 3, 1))
    assert (before.total, before.handed_in, before.accepted, before.late, before.pending) == (2, 1, 1, 0, 1)
    after = services.milestone_progress(milestone, tree["city_a"].path, date(2020, 4, 10))
    assert (after.late, after.pending) == (1, 0)
    assert [u.name for u in services.late_units(milestone, tree["city_a"].path, date(2020, 4, 10))] == ["Xã A2"]
    # Scoped to one ward, the city-wide figures shrink to that ward.
    own = services.milestone_progress(milestone, tree["ward_a2"].path, date(2020, 4, 10))
    assert (own.total, own.late) == (1, 1)


# --- planning ----------------------------------------------------------------------------

from tracker.errors import DomainError, WorkflowError  # noqa: E402


@pytest.mark.parametrize("text,expected", [
    ("Q1/2020", (date(2020, 1, 1), date(2020, 3, 31))),
    ("q2-2020", (date(2020, 4, 1), date(2020, 6, 30))),
    ("Quý III/2020", (date(2020, 7, 1), date(2020, 9, 30))),
    (" quý 4 / 2021 ", (date(2021, 10, 1), date(2021, 12, 31))),
    ("Q1/2024", (date(2024, 1, 1), date(2024, 3, 31))),
])
def test_parse_quarter(text, expected):
    assert services.parse_quarter(text) == expected


@pytest.mark.parametrize("text", ["Q5/2020", "Q0/2020", "2020", "Q1", "quarter 1 2020", "", "Q1/20"])
def test_parse_quarter_refuses(text):
    with pytest.raises(ValueError):
        services.parse_quarter(text)


def test_duplicate_number_in_one_unit_refused(tree):
    make_plan(tree["city_a"], number="156/KH-UBND")
    with pytest.raises(DomainError) as error:
        make_plan(tree["city_a"], number="156/KH-UBND")
    assert error.value.field == "number"
    make_plan(tree["city_b"], number="156/KH-UBND")  # another city may use the same number


def test_plan_lifecycle_and_closed_plan_is_read_only(db, tree, users):
    plan = make_plan(tree["city_a"], status=PlanStatus.DRAFT)
    services.activate_plan(users["committee"], plan)
    assert plan.status is PlanStatus.ACTIVE
    with pytest.raises(WorkflowError):
        services.activate_plan(users["committee"], plan)
    services.close_plan(users["committee"], plan)
    assert plan.status is PlanStatus.CLOSED
    with pytest.raises(WorkflowError):
        services.update_plan(users["committee"], plan, title="Đổi tên")
    with pytest.raises(WorkflowError):
        services.add_movement(users["committee"], plan, "Phong trào mới")
    with pytest.raises(WorkflowError):
        make_milestone(plan)
    from sqlalchemy import select

    from tracker.audit.models import AuditEvent

    actions = list(db.session.scalars(select(AuditEvent.action).where(AuditEvent.entity_type == "Plan")))
    assert actions == ["plan.created", "plan.active", "plan.closed"]


def test_milestone_due_before_start_refused(tree):
    plan = make_plan(tree["city_a"])
    with pytest.raises(DomainError) as error:
        make_milestone(plan, start=date(2020, 3, 1), due=date(2020, 2, 1))
    assert error.value.field == "due_date"


def test_subunit_milestone_needs_unit_kinds(tree):
    plan = make_plan(tree["city_a"])
    with pytest.raises(DomainError) as error:
        make_milestone(plan, kinds="")
    assert error.value.field == "unit_kinds"


def test_milestone_outside_period_is_only_a_warning(tree):
    plan = make_plan(tree["city_a"])
    milestone = make_milestone(plan, start=date(2019, 12, 1), due=date(2019, 12, 31))
    assert milestone.id is not None
    assert services.milestone_warnings(plan, milestone.start_date, milestone.due_date)
    assert services.milestone_warnings(plan, date(2020, 1, 1), date(2020, 3, 31)) == []


def test_adding_a_milestone_gives_every_ward_an_obligation(tree):
    plan = make_plan(tree["city_a"])
    make_milestone(plan)
    make_milestone(plan, title="Mốc mới", start=date(2020, 5, 1), due=date(2020, 5, 31))
    assert len(services.obligations_for_unit(tree["ward_a2"], date(2020, 2, 1))) == 2


def test_milestone_with_reports_cannot_be_deleted(tree, users):
    plan = make_plan(tree["city_a"])
    milestone = make_milestone(plan)
    reports.get_or_start_report(users["officer"], milestone, tree["ward_a1"])
    with pytest.raises(DomainError):
        services.delete_milestone(users["committee"], milestone)
    other = make_milestone(plan)
    services.delete_milestone(users["committee"], other)


def test_parent_plan_choices_are_plans_of_levels_above(tree):
    province_plan = make_plan(tree["province"])
    make_plan(tree["city_b"])
    choices = services.parent_plan_choices(tree["city_a"])
    from tracker.extensions import db as _db

    assert [p.id for p in _db.session.scalars(choices)] == [province_plan.id]


def test_a_movement_in_use_is_not_deleted(db, tree, users):
    from sqlalchemy import select

    from tests.factories import make_nomination
    from tracker.audit.models import AuditEvent
    from tracker.plans.models import Movement

    plan = make_plan(tree["city_a"], status=PlanStatus.ACTIVE)
    used = services.add_movement(None, plan, "Phong trào có đề cử")
    unused = services.add_movement(None, plan, "Phong trào chưa dùng")
    make_nomination(users["officer"], plan, movement=used)
    with pytest.raises(DomainError, match="không thể xóa|cannot be deleted"):
        services.delete_movement(users["committee"], used)
    assert db.session.get(Movement, used.id) is not None  # still there, and the session still works
    services.delete_movement(users["committee"], unused)
    db.session.commit()
    assert db.session.get(Movement, unused.id) is None
    assert db.session.scalar(select(AuditEvent.summary).where(AuditEvent.action == "movement.deleted")) == \
        "Phong trào chưa dùng"
