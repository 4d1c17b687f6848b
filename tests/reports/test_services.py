"""Report services: every transition and every refused one, the rules, versions and files."""
import io
import json
from datetime import date

import pytest
from sqlalchemy import select, text

from tests.factories import REPORT_VALUES, attach_file, make_report, pdf_bytes
from tracker.attachments.models import Attachment
from tracker.attachments.services import Upload
from tracker.audit.models import AuditEvent
from tracker.errors import ConflictError, DomainError, InvalidData, WorkflowError
from tracker.extensions import db
from tracker.plans.models import MilestoneKind
from tracker.reports import queries, services
from tracker.reports.models import ReportStatus, ReportVersion
from tracker.reports.services import HonourRow
from tracker.commit import commit, rollback

TODAY = date(2020, 3, 16)


def actions(report):
    return [e.action for e in db.session.scalars(
        select(AuditEvent).where(AuditEvent.entity_type == "ProgressReport", AuditEvent.entity_id == report.id)
        .order_by(AuditEvent.id))]


def start(users, campaign, unit="officer"):
    return services.get_or_start_report(users[unit], campaign["grassroots"], users[unit].unit)


# --- starting and drafting ---------------------------------------------------------------


def test_start_is_idempotent_and_audited(users, campaign):
    report = start(users, campaign)
    assert services.get_or_start_report(users["officer"], campaign["grassroots"], users["officer"].unit) is report
    assert report.status is ReportStatus.DRAFT and report.version == 1
    assert actions(report) == ["report.created"]


@pytest.mark.parametrize("unit", ["city_a", "ward_b1"])
def test_no_report_for_a_unit_that_owes_nothing(users, tree, campaign, unit):
    with pytest.raises(DomainError):
        services.get_or_start_report(users["officer"], campaign["grassroots"], tree[unit])


def test_no_report_for_a_milestone_without_report(users, campaign):
    campaign["grassroots"].requires_report = False
    with pytest.raises(DomainError):
        start(users, campaign)


def test_a_draft_saves_whatever_is_filled(users, campaign):
    report = start(users, campaign)
    services.save_report(users["officer"], report, expected_version=1, place="  Hội trường  ")
    assert (report.status, report.place, report.participants, report.version) == (ReportStatus.DRAFT, "Hội trường", None, 2)
    assert actions(report)[-1] == "report.updated"
    before = report.version
    services.save_report(users["officer"], report, place="Hội trường")  # nothing changed: no new version
    assert report.version == before


@pytest.mark.parametrize("field", ["participants", "delegates", "funding_vnd"])
def test_negative_counts_are_refused(users, campaign, field):
    report = start(users, campaign)
    with pytest.raises(InvalidData) as caught:
        services.save_report(users["officer"], report, **{field: -1})
    assert field in caught.value.errors
    assert getattr(report, field) is None


def test_more_individuals_honoured_than_participants(users, campaign):
    report = start(users, campaign)
    with pytest.raises(InvalidData) as caught:
        services.save_report(users["officer"], report, participants=10,
                             honours=[HonourRow("Giấy khen", None, 8, 1), HonourRow("Bằng khen", None, 5, 0)])
    assert list(caught.value.errors) == ["honours"]
    with pytest.raises(InvalidData) as caught:
        services.save_report(users["officer"], report, participants=10, individuals_honoured=11)
    assert list(caught.value.errors) == ["individuals_honoured"]
    assert report.honours == [] and report.participants is None


def test_a_date_outside_the_window_needs_a_reason(users, campaign):
    report = start(users, campaign)
    with pytest.raises(InvalidData) as caught:
        services.save_report(users["officer"], report, held_date=date(2020, 4, 2))
    assert list(caught.value.errors) == ["outside_window_reason"]
    services.save_report(users["officer"], report, held_date=date(2020, 4, 2),
                         outside_window_reason="Hoãn vì dịch bệnh")
    assert report.held_date == date(2020, 4, 2)
    services.save_report(users["officer"], report, held_date=date(2020, 3, 31), outside_window_reason="")
    assert report.held_date == date(2020, 3, 31)  # the last day of the window is inside


def test_honours_replace_the_table_and_set_the_totals(users, campaign):
    report = start(users, campaign)
    poor, office = campaign["movements"]
    services.save_report(users["officer"], report, participants=120, honours=[
        HonourRow("Giấy khen của Chủ tịch UBND phường", poor.id, 10, 2),
        HonourRow("", None, 0, 0),  # a blank line is dropped
        HonourRow("Giấy khen của Chủ tịch UBND phường", office.id, 4, 1),
    ])
    assert [(h.movement_id, h.individuals, h.collectives) for h in report.honours] == [(poor.id, 10, 2), (office.id, 4, 1)]
    assert (report.individuals_honoured, report.collectives_honoured) == (14, 3)
    changes = json.loads(db.session.scalars(select(AuditEvent).where(AuditEvent.action == "report.updated")).all()[-1].changes)
    assert changes["honours"][0] == [] and len(changes["honours"][1]) == 2
    services.save_report(users["officer"], report, honours=[])
    assert report.honours == [] and report.individuals_honoured is None


def test_honours_need_a_form_and_a_movement_of_the_plan(users, campaign):
    report = start(users, campaign)
    valid = HonourRow("Giấy khen", None, 1, 0)
    with pytest.raises(InvalidData):
        services.save_report(users["officer"], report, honours=[HonourRow("", None, 3, 0)])
    from tracker.plans.services import add_movement

    elsewhere = add_movement(None, campaign["other_plan"], "Phong trào khác")
    with pytest.raises(InvalidData):
        services.save_report(users["officer"], report, honours=[HonourRow("Giấy khen", elsewhere.id, 1, 0)])
    services.save_report(users["officer"], report, honours=[valid])
    assert len(report.honours) == 1


# --- submitting --------------------------------------------------------------------------


def test_submit_enforces_the_required_fields_and_changes_nothing(users, campaign):
    report = start(users, campaign)
    services.save_report(users["officer"], report, place="Hội trường")
    version = report.version
    with pytest.raises(InvalidData) as caught:
        services.submit_report(users["officer"], report, TODAY)
    assert set(caught.value.errors) == set(services.REQUIRED_ON_SUBMIT[MilestoneKind.CONFERENCE]) - {"place"}
    assert report.status is ReportStatus.DRAFT and report.version == version
    assert db.session.scalar(select(ReportVersion.id)) is None


def test_save_and_submit_together_checks_everything_at_once(users, campaign):
    report = start(users, campaign)
    with pytest.raises(InvalidData) as caught:
        services.save_report(users["officer"], report, today=TODAY, submit=True, participants=-3,
                             held_date=date(2020, 5, 1))
    assert {"participants", "outside_window_reason", "place", "held_date"} <= set(caught.value.errors)
    assert report.participants is None and report.status is ReportStatus.DRAFT


def test_a_conference_in_the_future_cannot_be_reported(users, campaign):
    report = make_report(users["officer"], campaign["grassroots"], held_date=date(2020, 3, 20))
    with pytest.raises(InvalidData) as caught:
        services.submit_report(users["officer"], report, date(2020, 3, 16))
    assert list(caught.value.errors) == ["held_date"]


def test_submit_keeps_a_frozen_version(users, campaign):
    report = make_report(users["officer"], campaign["grassroots"], held_date=date(2020, 3, 10),
                         honours=[HonourRow("Giấy khen", campaign["movements"][0].id, 12, 3)])
    attach_file(users["officer"], report)
    services.submit_report(users["officer"], report, TODAY)
    assert report.status is ReportStatus.SUBMITTED and report.submitted_by_id == users["officer"].id
    version = db.session.scalars(select(ReportVersion)).one()
    data = json.loads(version.data)
    assert version.number == 1 and data["submitted_on"] == "2020-03-16" and data["late"] is False
    assert data["held_date"] == "2020-03-10" and data["participants"] == REPORT_VALUES["participants"]
    assert data["honours"] == [{"form": "Giấy khen", "movement_id": campaign["movements"][0].id,
                                "movement": "Cả nước chung tay vì người nghèo", "individuals": 12, "collectives": 3}]
    assert [a["name"] for a in data["attachments"]] == ["bien-ban.pdf"]
    assert actions(report)[-1] == "report.submitted"


def test_late_submission_is_allowed_and_recorded(users, campaign):
    report = make_report(users["officer"], campaign["grassroots"])
    services.submit_report(users["officer"], report, date(2020, 4, 10))
    assert report.status is ReportStatus.SUBMITTED
    assert queries.submissions([report.id])[report.id][0].late is True


# --- review ------------------------------------------------------------------------------


def test_return_needs_a_comment(users, campaign):
    report = make_report(users["officer"], campaign["grassroots"], status="submitted")
    with pytest.raises(InvalidData) as caught:
        services.return_report(users["committee"], report, "   ")
    assert list(caught.value.errors) == ["comment"] and report.status is ReportStatus.SUBMITTED


def test_the_whole_loop_keeps_every_version(users, campaign):
    officer, committee = users["officer"], users["committee"]
    report = make_report(officer, campaign["grassroots"], status="submitted", today=TODAY)
    services.return_report(committee, report, "Bổ sung biên bản hội nghị.")
    assert (report.status, report.review_comment, report.reviewed_by_id) == (
        ReportStatus.RETURNED, "Bổ sung biên bản hội nghị.", committee.id)
    services.save_report(officer, report, today=TODAY, submit=True, participants=130,
                         uploads=[Upload("bien-ban.pdf", io.BytesIO(pdf_bytes()))], category="minutes")
    assert report.status is ReportStatus.RESUBMITTED
    services.accept_report(committee, report)
    assert report.status is ReportStatus.ACCEPTED
    first, second = queries.versions_of(report)
    changes = queries.version_changes(json.loads(first.data), json.loads(second.data))
    assert {c.field: (c.old, c.new) for c in changes if c.field == "participants"} == {"participants": (100, 130)}
    assert [c.new[0]["name"] for c in changes if c.field == "attachments"] == ["bien-ban.pdf"]
    assert actions(report)[-5:] == ["report.submitted", "report.returned", "report.updated",
                                    "report.resubmitted", "report.accepted"]


def test_an_accepted_report_is_locked_until_reopened(users, campaign):
    officer = users["officer"]
    report = make_report(officer, campaign["grassroots"], status="accepted", reviewer=users["committee"])
    with pytest.raises(WorkflowError):
        services.save_report(officer, report, place="Khác")
    with pytest.raises(WorkflowError):
        services.save_report(officer, report, uploads=[Upload("a.pdf", io.BytesIO(pdf_bytes()))])
    with pytest.raises(InvalidData) as caught:
        services.reopen_report(users["committee"], report, "")
    assert list(caught.value.errors) == ["reason"] and report.status is ReportStatus.ACCEPTED
    services.reopen_report(users["committee"], report, "Sai số người tham dự.")
    assert (report.status, report.review_comment) == (ReportStatus.RETURNED, "Sai số người tham dự.")
    assert actions(report)[-1] == "report.reopened"
    services.save_report(officer, report, today=TODAY, submit=True, participants=99)
    assert report.status is ReportStatus.RESUBMITTED and len(queries.versions_of(report)) == 2


STATES = ["draft", "submitted", "returned", "resubmitted", "accepted"]


def _do(action, users, report):
    officer, committee = users["officer"], users["committee"]
    if action == "edit":
        services.save_report(officer, report, place="Nơi khác")
    elif action == "submit":
        services.submit_report(officer, report, TODAY)
    elif action == "accept":
        services.accept_report(committee, report)
    elif action == "return":
        services.return_report(committee, report, "Sửa lại.")
    elif action == "reopen":
        services.reopen_report(committee, report, "Mở lại.")


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("action", list(services.TRANSITIONS))
def test_every_transition_and_every_refused_one(users, campaign, action, state):
    report = make_report(users["officer"], campaign["grassroots"], status=state, today=TODAY)
    allowed = ReportStatus(state) in services.TRANSITIONS[action]
    version = report.version
    if allowed:
        _do(action, users, report)
        assert report.version > version
    else:
        with pytest.raises(WorkflowError):
            _do(action, users, report)
        assert report.status is ReportStatus(state) and report.version == version


def test_the_table_matches_the_issue():
    T, S = services.TRANSITIONS, ReportStatus
    assert set(T["submit"]) == {S.DRAFT, S.RETURNED} and set(T["accept"]) == {S.SUBMITTED, S.RESUBMITTED}
    assert set(T["return"]) == {S.SUBMITTED, S.RESUBMITTED} and set(T["reopen"]) == {S.ACCEPTED}
    assert set(T["edit"]) == {S.DRAFT, S.RETURNED}


# --- no lost update ----------------------------------------------------------------------


def test_a_stale_form_is_refused_and_nothing_is_overwritten(users, campaign):
    report = make_report(users["officer"], campaign["grassroots"])
    opened = report.version
    services.save_report(users["officer"], report, expected_version=opened, place="Người thứ nhất")
    with pytest.raises(ConflictError):
        services.save_report(users["officer"], report, expected_version=opened, place="Người thứ hai")
    assert report.place == "Người thứ nhất"


def test_a_stale_review_is_refused(users, campaign):
    report = make_report(users["officer"], campaign["grassroots"], status="submitted")
    with pytest.raises(ConflictError):
        services.accept_report(users["committee"], report, expected_version=report.version - 1)
    assert report.status is ReportStatus.SUBMITTED


def test_a_race_past_the_check_is_caught_by_the_database(users, campaign):
    """Another request saved between our read and our write: the guarded UPDATE matches no row."""
    report = make_report(users["officer"], campaign["grassroots"])
    commit()
    version = report.version  # loaded now, as a request would
    with db.engine.connect() as other:
        other.execute(text("UPDATE progress_reports SET version = version + 1, place = 'Khác' WHERE id = :id"),
                      {"id": report.id})
        other.commit()
    with pytest.raises(ConflictError):
        services.save_report(users["officer"], report, expected_version=version, place="Của tôi")
    rollback()
    assert report.place == "Khác"


# --- files -------------------------------------------------------------------------------


def test_uploads_are_stored_under_random_names_with_their_hash(users, campaign, uploads):
    import hashlib

    report = make_report(users["officer"], campaign["grassroots"])
    data = pdf_bytes()
    services.save_report(users["officer"], report, category="minutes",
                         uploads=[Upload("C:\\Tài liệu\\Biên bản.pdf", io.BytesIO(data))])
    attachment = db.session.scalars(select(Attachment)).one()
    assert attachment.original_name == "Biên bản.pdf" and attachment.category == "minutes"
    assert attachment.content_type == "application/pdf" and attachment.size == len(data)
    assert attachment.sha256 == hashlib.sha256(data).hexdigest()
    assert "." not in attachment.stored_name and "Bi" not in attachment.stored_name
    assert (uploads / attachment.stored_name).read_bytes() == data
    assert db.session.scalar(select(AuditEvent.action).where(AuditEvent.entity_type == "Attachment")) == "attachment.added"


def test_a_refused_upload_saves_nothing(users, campaign, uploads):
    report = make_report(users["officer"], campaign["grassroots"])
    version = report.version
    with pytest.raises(InvalidData) as caught:
        services.save_report(users["officer"], report, place="Mới", uploads=[
            Upload("bien-ban.pdf", io.BytesIO(pdf_bytes())), Upload("virus.pdf", io.BytesIO(b"MZ\x90\x00" + bytes(300)))])
    assert list(caught.value.errors) == ["files"] and "virus.pdf" in str(caught.value.errors["files"][0])
    assert report.place == REPORT_VALUES["place"] and report.version == version
    assert db.session.scalar(select(Attachment.id)) is None
    assert not uploads.exists() or not any(uploads.iterdir())


def test_the_total_per_report_is_limited(users, campaign, uploads, app, monkeypatch):
    monkeypatch.setitem(app.config, "REPORT_MAX_TOTAL_MB", 1)
    report = make_report(users["officer"], campaign["grassroots"])
    big = pdf_bytes() + b"%" * (600 * 1024)
    services.save_report(users["officer"], report, uploads=[Upload("a.pdf", io.BytesIO(big))])
    with pytest.raises(InvalidData) as caught:
        services.save_report(users["officer"], report, uploads=[Upload("b.pdf", io.BytesIO(big))])
    assert list(caught.value.errors) == ["files"]


def test_a_rolled_back_upload_leaves_no_file(users, campaign, uploads):
    report = make_report(users["officer"], campaign["grassroots"])
    commit()
    services.save_report(users["officer"], report, uploads=[Upload("a.pdf", io.BytesIO(pdf_bytes()))])
    assert len(list(uploads.iterdir())) == 1
    rollback()
    assert list(uploads.iterdir()) == []


def test_a_removed_file_goes_when_the_removal_is_committed(users, campaign, uploads):
    report = make_report(users["officer"], campaign["grassroots"])
    attachment = attach_file(users["officer"], report)
    commit()
    path = uploads / attachment.stored_name
    services.remove_report_attachment(users["officer"], report, attachment)
    assert path.exists()  # not yet: the removal could still be rolled back
    commit()
    assert not path.exists() and db.session.scalar(select(Attachment.id)) is None


def test_files_cannot_be_removed_once_submitted(users, campaign, uploads):
    report = make_report(users["officer"], campaign["grassroots"])
    attachment = attach_file(users["officer"], report)
    services.submit_report(users["officer"], report, TODAY)
    with pytest.raises(WorkflowError):
        services.remove_report_attachment(users["officer"], report, attachment)


# --- reading -----------------------------------------------------------------------------


def test_version_changes_compare_fields_lines_and_files():
    before = {"participants": 100, "place": "A", "honours": [{"form": "GK", "movement_id": None, "individuals": 3, "collectives": 0}],
              "attachments": [{"sha256": "1", "name": "a.pdf"}]}
    after = {"participants": 120, "place": "A", "honours": [{"form": "GK", "movement_id": None, "individuals": 4, "collectives": 0}],
             "attachments": [{"sha256": "1", "name": "a.pdf"}, {"sha256": "2", "name": "b.pdf"}]}
    changes = {c.field: (c.old, c.new) for c in queries.version_changes(before, after)}
    assert changes["participants"] == (100, 120) and "place" not in changes
    assert changes["honours"][0][0]["individuals"] == 3 and changes["honours"][1][0]["individuals"] == 4
    assert changes["attachments"] == ([], [{"sha256": "2", "name": "b.pdf"}])
    assert queries.version_changes(None, after) == []


def test_search_filters_and_scope(users, tree, campaign):
    from tracker.permissions import visible_unit_ids

    a1 = make_report(users["officer"], campaign["grassroots"], status="submitted")
    a2 = make_report(users["officer_a2"], campaign["grassroots"])
    b1 = make_report(users["officer_b"], campaign["other"], status="submitted")

    def ids(**filters):
        return {r.id for r in db.session.scalars(queries.search_reports(visible_unit_ids(users["committee"]), **filters))}

    assert ids() == {a1.id, a2.id} and b1.id not in ids()
    assert ids(status=ReportStatus.SUBMITTED) == {a1.id}
    assert ids(unit=tree["ward_a2"]) == {a2.id} and ids(unit=tree["city_a"]) == {a1.id, a2.id}
    assert ids(milestone_id=campaign["dossier"].id) == set()
    assert ids(plan_id=campaign["plan"].id) == {a1.id, a2.id}
