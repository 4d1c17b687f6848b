"""Obligations: which units owe a milestone, and the status each one shows."""
from datetime import date

import pytest

from tests.factories import make_milestone, make_plan
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
    report = reports.get_or_start_report(users["officer"], first, tree["ward_a1"])
    reports.submit_report(users["officer"], report)
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
    report = reports.get_or_start_report(users["officer"], milestone, tree["ward_a1"])
    reports.submit_report(users["officer"], report)
    reports.accept_report(users["committee"], report)
    before = services.milestone_progress(milestone, tree["city_a"].path, date(2020, 3, 1))
    assert (before.total, before.handed_in, before.accepted, before.late, before.pending) == (2, 1, 1, 0, 1)
    after = services.milestone_progress(milestone, tree["city_a"].path, date(2020, 4, 10))
    assert (after.late, after.pending) == (1, 0)
    assert [u.name for u in services.late_units(milestone, tree["city_a"].path, date(2020, 4, 10))] == ["Xã A2"]
    # Scoped to one ward, the city-wide figures shrink to that ward.
    own = services.milestone_progress(milestone, tree["ward_a2"].path, date(2020, 4, 10))
    assert (own.total, own.late) == (1, 1)
