"""Obligations: which units owe a milestone, the status each one shows, and the figures of a
subtree; then planning itself."""
from datetime import date

import pytest

from tests.factories import make_milestone, make_plan, make_report, make_unit
from tracker.obligations import status as obligations
from tracker.plans import services
from tracker.plans.models import Milestone, MilestoneScope, Plan, PlanStatus
from tracker.reports import services as reports
from tracker.reports.models import ReportStatus
from tracker.stats import figures
from tracker.units.models import Unit, UnitKind
from tracker.units.services import update_unit
from tracker.commit import commit

DUE = date(2020, 3, 31)


def _pure_milestone(scope=MilestoneScope.SUBUNITS, kinds="ward,commune"):
    """A city's milestone and a few units, never stored: the rules read attributes only."""
    city = Unit(id=2, path="/1/2/", kind=UnitKind.CITY, name="Thành phố")
    plan = Plan(id=1, issuing_unit=city, status=PlanStatus.ACTIVE)
    milestone = Milestone(id=1, plan=plan, start_date=date(2020, 1, 1), due_date=DUE, scope=scope, unit_kinds=kinds)
    units = {
        "city": city,
        "ward": Unit(id=3, path="/1/2/3/", kind=UnitKind.WARD, name="Phường"),
        "agency": Unit(id=4, path="/1/2/4/", kind=UnitKind.AGENCY, name="Cơ quan (đổi loại)"),
        "elsewhere": Unit(id=5, path="/1/5/", kind=UnitKind.WARD, name="Phường ngoài"),
    }
    return milestone, units


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
    milestone, units = _pure_milestone()
    assert obligations.obligation_status(milestone, units["ward"], report_status, today) == expected


@pytest.mark.parametrize("report_status,today,expected", [
    # A unit no longer of a named kind keeps what it handed in ...
    (ReportStatus.SUBMITTED, date(2020, 4, 9), "submitted"),
    (ReportStatus.RESUBMITTED, date(2020, 3, 1), "submitted"),
    (ReportStatus.ACCEPTED, date(2020, 4, 9), "accepted"),
    # ... and owes nothing else: never pending, never late.
    (None, date(2020, 4, 9), None),
    (ReportStatus.DRAFT, date(2020, 4, 9), None),
    (ReportStatus.RETURNED, date(2020, 3, 1), None),
])
def test_a_unit_rekinded_keeps_only_what_it_handed_in(report_status, today, expected):
    milestone, units = _pure_milestone()
    assert obligations.obligation_status(milestone, units["agency"], report_status, today) == expected


def test_who_owes_a_milestone():
    milestone, units = _pure_milestone()
    assert obligations.owes(milestone, units["ward"], None)
    # Neither the issuer (for its own wards' milestone) nor a unit outside its subtree, even
    # with a report handed in.
    for name in ("city", "elsewhere"):
        assert not obligations.owes(milestone, units[name], ReportStatus.ACCEPTED)
        assert obligations.obligation_status(milestone, units[name], ReportStatus.ACCEPTED, DUE) is None
    conference, units = _pure_milestone(MilestoneScope.ISSUING_UNIT, "")
    assert obligations.obligation_status(conference, units["city"], None, date(2020, 4, 1)) == "late"
    assert not obligations.owes(conference, units["ward"], ReportStatus.SUBMITTED)


@pytest.mark.parametrize("today,expected", [
    (date(2020, 3, 1), (6, 3, 1, 0, 3)),  # not due: nobody late, three pending
    (DUE, (6, 3, 1, 0, 3)),
    (date(2020, 4, 1), (6, 3, 1, 3, 0)),  # past due: whoever has not handed in is late
])
def test_progress_from_counts(today, expected):
    milestone, _units = _pure_milestone()
    p = obligations.progress_from_counts(milestone, today, named=5, named_handed_in=2, others_handed_in=1, accepted=1)
    assert (p.total, p.handed_in, p.accepted, p.late, p.pending) == expected
    assert p.days_left == (DUE - today).days


def test_progress_from_counts_never_shows_more_done_than_owed():
    milestone, _units = _pure_milestone()
    p = obligations.progress_from_counts(milestone, date(2020, 4, 1), named=2, named_handed_in=3, others_handed_in=0,
                                      accepted=5)
    assert (p.total, p.handed_in, p.accepted, p.late) == (2, 2, 2, 0)


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
    result = obligations.obligations_for_unit(tree["ward_a1"], date(2020, 4, 10))
    assert [(o.milestone.id, o.status, o.done, o.late) for o in result] == [(first.id, "submitted", True, False)]
    late = obligations.obligations_for_unit(tree["ward_a2"], date(2020, 4, 10))[0]
    assert (late.status, late.late, late.days_late) == ("late", True, 10)
    assert obligations.obligations_for_unit(tree["ward_b1"], date(2020, 4, 10)) == []


def test_a_ward_rekinded_keeps_the_obligations_it_met(tree, users):
    plan = make_plan(tree["city_a"])
    first = make_milestone(plan, due=date(2020, 3, 31))
    second = make_milestone(plan, due=date(2020, 4, 30))
    make_report(users["officer"], first, status="accepted", reviewer=users["committee"])
    make_report(users["officer"], second, status="draft")
    update_unit(None, tree["ward_a1"], "Phường A1", tree["ward_a1"].code, UnitKind.AGENCY, tree["city_a"])
    result = obligations.obligations_for_unit(tree["ward_a1"], date(2020, 4, 10))
    assert [(o.milestone.id, o.status) for o in result] == [(first.id, "accepted")]


def test_draft_plans_create_no_obligations(tree):
    plan = make_plan(tree["city_a"], status=PlanStatus.DRAFT)
    make_milestone(plan)
    assert obligations.obligations_for_unit(tree["ward_a1"], date(2020, 4, 10)) == []


def test_new_ward_gets_obligations_without_a_manual_step(tree):
    plan = make_plan(tree["city_a"])
    make_milestone(plan)
    new_ward = make_unit("Phường Mới", UnitKind.WARD, tree["city_a"])
    assert len(obligations.obligations_for_unit(new_ward, date(2020, 2, 1))) == 1


# --- a subtree's figures agree with its units' statuses ----------------------------------


def _recount(milestones, scope, today):
    """The figures as counting obligation_status over every unit of the scope would give them."""
    from tracker.extensions import db
    from tracker.reports.models import ProgressReport

    units = db.session.scalars(db.select(Unit).where(Unit.path.startswith(scope.path))).all()
    result = []
    for m in milestones:
        found = {r.unit_id: r.status for r in db.session.scalars(
            db.select(ProgressReport).where(ProgressReport.milestone_id == m.id))}
        statuses = [s for s in (obligations.obligation_status(m, u, found.get(u.id), today) for u in units) if s]
        result.append((len(statuses), sum(s in obligations.DONE for s in statuses), statuses.count("accepted"),
                       statuses.count("late")))
    return result


@pytest.fixture
def every_state(tree, users, db):
    """A province plan: wards in every state, one re-kinded after handing in, one re-kinded with
    a draft only, one added after the reports, and the province's own conference."""
    committee = users["committee"]
    plan = make_plan(tree["province"])
    first = make_milestone(plan, due=date(2020, 3, 31))
    second = make_milestone(plan, due=date(2020, 4, 30))
    conference = make_milestone(plan, scope=MilestoneScope.ISSUING_UNIT, kinds="", due=date(2020, 4, 25))
    make_report(users["officer"], first, status="accepted", reviewer=committee)  # ward A1, re-kinded below
    make_report(users["officer"], second, status="submitted")
    make_report(users["officer_a2"], first, status="returned", reviewer=committee)
    make_report(users["officer_a2"], second, status="draft")
    make_report(users["officer_b"], first, status="submitted")
    from tests.factories import make_user
    from tracker.users.models import Role

    officer_b2 = make_user(Role.WARD_OFFICER, tree["ward_b2"], "officer_b2_states")
    make_report(officer_b2, second, status="draft")
    update_unit(None, tree["ward_a1"], "Phường A1", tree["ward_a1"].code, UnitKind.AGENCY, tree["city_a"])
    update_unit(None, tree["ward_b2"], "Phường B2", tree["ward_b2"].code, UnitKind.OTHER, tree["city_b"])
    make_unit("Phường Mới", UnitKind.WARD, tree["city_a"])
    commit()
    return [first, second, conference]


@pytest.mark.parametrize("scope", ["province", "city_a", "city_b", "ward_a1", "ward_a2", "ward_b2"])
def test_scope_progress_is_the_sum_of_the_obligations(tree, every_state, scope):
    today = date(2020, 4, 10)
    got = [(p.total, p.handed_in, p.accepted, p.late)
           for p in figures.scope_progress(every_state, tree[scope], today)]
    assert got == _recount(every_state, tree[scope], today)


def test_scope_progress_of_the_province(tree, every_state):
    first, second, conference = figures.scope_progress(every_state, tree["province"], date(2020, 4, 10))
    own_conference = every_state[2]
    # First: A1 (re-kinded, accepted), A2 (returned: late), B1 (submitted), the new ward (late);
    # B2, re-kinded before handing anything in, owes nothing.
    assert (first.total, first.handed_in, first.accepted, first.late) == (4, 2, 1, 2)
    # Second, not due: A1 (re-kinded, submitted), A2 and B1 and the new ward pending.
    assert (second.total, second.handed_in, second.late, second.pending) == (4, 1, 0, 3)
    assert (conference.total, conference.handed_in) == (1, 0)
    # Seen from a city, the province's own conference is nobody's.
    assert figures.scope_progress([own_conference], tree["city_a"], date(2020, 4, 10))[0].total == 0


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
    assert len(obligations.obligations_for_unit(tree["ward_a2"], date(2020, 2, 1))) == 2


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
    commit()
    assert db.session.get(Movement, unused.id) is None
    assert db.session.scalar(select(AuditEvent.summary).where(AuditEvent.action == "movement.deleted")) == \
        "Phong trào chưa dùng"
