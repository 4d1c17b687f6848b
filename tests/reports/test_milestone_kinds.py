"""What a unit hands in depends on the milestone's kind: a conference report, its dossier of
nominations (done when it hands its nominations in, with their count), or a plain report."""
from datetime import date

import pytest

from tests.factories import make_milestone, make_nomination, make_plan
from tracker.errors import InvalidData
from tracker.plans.models import MilestoneKind
from tracker.reports import services
from tracker.reports.models import ReportStatus, ReportVersion
from tracker.commit import commit

TODAY = date(2020, 4, 10)


@pytest.fixture
def plan(tree):
    plan = make_plan(tree["city_a"])
    commit()
    return plan


def _report(users, milestone):
    officer = users["officer"]
    return officer, services.get_or_start_report(officer, milestone, officer.unit)


def test_a_dossier_is_handed_in_with_the_count_of_the_units_nominations(db, users, plan):
    dossier = make_milestone(plan, kind=MilestoneKind.DOSSIER, start=date(2020, 4, 1), due=date(2020, 4, 15))
    officer, report = _report(users, dossier)
    with pytest.raises(InvalidData) as caught:  # nothing handed in yet: no dossier
        services.save_report(officer, report, today=TODAY, submit=True)
    assert set(caught.value.errors) == {"nominations"}  # and none of a conference's fields
    make_nomination(officer, plan, name="Nguyễn Thị Mai", status="submitted")
    make_nomination(officer, plan, name="Trần Văn Bình", status="accepted", reviewer=users["committee"])
    make_nomination(officer, plan, name="Lê Văn Hải")  # a draft: not in the dossier
    assert services.dossier_figures(dossier, officer.unit_id) == services.DossierFigures(handed_in=2, drafts=1)
    services.save_report(officer, report, today=TODAY, submit=True, narrative="Kèm hồ sơ.", place="ignored")
    commit()
    assert report.status is ReportStatus.SUBMITTED and report.nominations_handed_in == 2
    assert report.place == ""  # a dossier has no conference fields
    version = db.session.scalar(db.select(ReportVersion).where(ReportVersion.report_id == report.id))
    assert '"nominations_handed_in": 2' in version.data  # the frozen version keeps the count


def test_a_plain_report_needs_only_its_text(db, users, plan):
    plain = make_milestone(plan, kind=MilestoneKind.REPORT)
    officer, report = _report(users, plain)
    with pytest.raises(InvalidData) as caught:
        services.save_report(officer, report, today=TODAY, submit=True)
    assert set(caught.value.errors) == {"narrative"}
    services.save_report(officer, report, today=TODAY, submit=True, narrative="Đã triển khai kế hoạch.")
    assert report.status is ReportStatus.SUBMITTED


def test_a_conference_report_still_needs_its_fields(db, users, plan):
    conference = make_milestone(plan)
    assert conference.kind is MilestoneKind.CONFERENCE  # the default
    officer, report = _report(users, conference)
    with pytest.raises(InvalidData) as caught:
        services.save_report(officer, report, today=TODAY, submit=True, narrative="Có nội dung.")
    assert {"held_date", "place", "participants"} <= set(caught.value.errors)
