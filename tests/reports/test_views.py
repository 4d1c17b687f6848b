"""Report pages: the ward's form, bad input, files, the review loop, lists and the version check."""
import io
import re
from datetime import date

import pytest
from sqlalchemy import select

from tests.attachments.office import ACTIVE_FILES
from tests.factories import attach_file, make_report, pdf_bytes
from tests.sql import statements
from tracker.extensions import db
from tracker.reports.models import ProgressReport, ReportStatus
from tracker.commit import commit


@pytest.fixture(autouse=True)
def today(app, monkeypatch):
    monkeypatch.setitem(app.config, "TRACKER_TODAY", "2020-03-16")


def form_data(version=0, **values):
    data = {
        "version": str(version),
        "held_date": "2020-03-12", "place": "Hội trường UBND phường", "chaired_by": "Chủ tịch UBND phường",
        "participants": "120", "delegates": "5", "funding_vnd": "15.000.000",
        "narrative": "Hội nghị biểu dương 12 cá nhân, 3 tập thể.",
        "honours-0-form_name": "Giấy khen của Chủ tịch UBND phường", "honours-0-movement_id": "",
        "honours-0-individuals": "12", "honours-0-collectives": "3",
        "honours-1-form_name": "", "honours-1-movement_id": "", "honours-1-individuals": "", "honours-1-collectives": "",
        "category": "minutes",
    }
    data.update({k: v for k, v in values.items() if v is not None})
    for key in [k for k, v in values.items() if v is None]:
        data.pop(key, None)
    return data


def errors(html):
    return set(re.findall(r'data-field-error="([^"]+)"', html))


def report_of(users, campaign, who="officer"):
    return db.session.scalar(select(ProgressReport).where(
        ProgressReport.unit_id == users[who].unit_id, ProgressReport.milestone_id == campaign["grassroots"].id))


# --- the ward's form ---------------------------------------------------------------------


def test_opening_an_obligation_shows_an_empty_form_and_creates_nothing(client, login_as, users, campaign):
    login_as(users["officer"])
    response = client.get(f"/reports/obligations/{campaign['grassroots'].id}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and 'data-testid="report-form"' in html
    assert 'name="version" type="hidden" value="0"' in html
    assert "Cả nước chung tay vì người nghèo" in html  # the plan's movements to choose from
    assert report_of(users, campaign) is None


def test_save_a_draft_then_come_back_to_it(client, login_as, users, campaign):
    login_as(users["officer"])
    response = client.post(f"/reports/obligations/{campaign['grassroots'].id}",
                           data={"version": "0", "place": "Nhà văn hóa", "save": "1", "category": "other"})
    report = report_of(users, campaign)
    assert response.status_code == 302 and response.headers["Location"] == f"/reports/{report.id}/edit"
    assert (report.status, report.place, report.participants) == (ReportStatus.DRAFT, "Nhà văn hóa", None)
    # Opening the obligation again leads to the draft.
    assert client.get(f"/reports/obligations/{campaign['grassroots'].id}").headers["Location"] == f"/reports/{report.id}/edit"
    html = client.get(f"/reports/{report.id}/edit").get_data(as_text=True)
    assert 'value="Nhà văn hóa"' in html


def test_funding_with_thousands_separators(client, login_as, users, campaign):
    login_as(users["officer"])
    client.post(f"/reports/obligations/{campaign['grassroots'].id}", data=form_data(save="1"))
    report = report_of(users, campaign)
    assert report.funding_vnd == 15_000_000 and report.participants == 120
    assert [(h.form, h.individuals, h.collectives) for h in report.honours] == [("Giấy khen của Chủ tịch UBND phường", 12, 3)]
    assert (report.individuals_honoured, report.collectives_honoured) == (12, 3)
    html = client.get(f"/reports/{report.id}/edit").get_data(as_text=True)
    assert 'value="15.000.000"' in html


def test_bad_shapes_get_field_messages_and_keep_the_input(client, login_as, users, campaign):
    login_as(users["officer"])
    response = client.post(f"/reports/obligations/{campaign['grassroots'].id}", data=form_data(
        save="1", participants="-5", funding_vnd="mười lăm triệu", delegates="abc", **{"honours-0-individuals": "-2"},
        held_date="31/02/2020"))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert {"participants", "funding_vnd", "delegates", "honours-0-individuals", "held_date"} <= errors(html)
    assert 'value="mười lăm triệu"' in html and 'value="Hội trường UBND phường"' in html
    assert report_of(users, campaign) is None


def test_rules_get_field_messages_and_save_nothing(client, login_as, users, campaign):
    login_as(users["officer"])
    response = client.post(f"/reports/obligations/{campaign['grassroots'].id}", data=form_data(
        save="1", participants="10", held_date="2020-04-20", **{"honours-0-individuals": "30"}))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert errors(html) == {"outside_window_reason", "honours"}
    assert 'value="2020-04-20"' in html and 'value="30"' in html
    assert report_of(users, campaign) is None


def test_negative_funding_has_its_own_message(client, login_as, users, campaign):
    login_as(users["officer"])
    html = client.post(f"/reports/obligations/{campaign['grassroots'].id}",
                       data=form_data(save="1", funding_vnd="-500.000")).get_data(as_text=True)
    assert errors(html) == {"funding_vnd"} and 'value="-500.000"' in html


def test_submitting_enforces_the_required_fields(client, login_as, users, campaign):
    login_as(users["officer"])
    response = client.post(f"/reports/obligations/{campaign['grassroots'].id}",
                           data=form_data(hand_in="1", place="", chaired_by="", narrative=""))
    assert errors(response.get_data(as_text=True)) == {"place", "chaired_by", "narrative"}
    assert report_of(users, campaign) is None
    client.post(f"/reports/obligations/{campaign['grassroots'].id}", data=form_data(save="1", place=""))
    report = report_of(users, campaign)
    assert report.status is ReportStatus.DRAFT  # a draft may lack them


def test_submit_with_a_pdf_of_the_minutes(client, login_as, users, campaign, uploads):
    login_as(users["officer"])
    data = form_data(hand_in="1", files=(io.BytesIO(pdf_bytes()), "Biên bản.pdf"))
    response = client.post(f"/reports/obligations/{campaign['grassroots'].id}", data=data,
                           content_type="multipart/form-data")
    report = report_of(users, campaign)
    assert response.status_code == 302 and response.headers["Location"] == f"/reports/{report.id}"
    assert report.status is ReportStatus.SUBMITTED
    html = client.get(f"/reports/{report.id}").get_data(as_text=True)
    assert 'data-status="submitted"' in html and "Biên bản.pdf" in html and 'data-version="1"' in html
    assert 'data-testid="edit-report"' not in html  # handed in: no more editing


def test_a_renamed_executable_is_refused_and_the_form_kept(client, login_as, users, campaign, uploads):
    login_as(users["officer"])
    report = make_report(users["officer"], campaign["grassroots"])
    commit()
    data = form_data(version=report.version, save="1", place="Chỗ mới",
                     files=(io.BytesIO(b"MZ\x90\x00" + bytes(500)), "bien-ban.pdf"))
    response = client.post(f"/reports/{report.id}/edit", data=data, content_type="multipart/form-data")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and errors(html) == {"files"} and "bien-ban.pdf" in html
    assert 'value="Chỗ mới"' in html
    db.session.expire_all()
    assert report.place != "Chỗ mới" and not list(uploads.glob("*"))


@pytest.mark.parametrize("name,build,what", [ACTIVE_FILES[i] for i in (0, 6, 8, 9)])
def test_an_office_file_with_macros_or_embedded_content_is_refused(client, login_as, users, campaign, uploads,
                                                                   name, build, what):
    login_as(users["officer"])
    response = client.post(f"/reports/obligations/{campaign['grassroots'].id}",
                           data=form_data(save="1", place="Chỗ mới", files=(io.BytesIO(build()), name)),
                           content_type="multipart/form-data")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and errors(html) == {"files"}
    assert re.search(rf'data-field-error="files">[^<]*{re.escape(name)}[^<]*{what}', html)
    assert 'value="Chỗ mới"' in html and report_of(users, campaign) is None and not list(uploads.glob("*"))


def test_a_bad_file_is_named_even_when_another_field_is_wrong(client, login_as, users, campaign, uploads):
    login_as(users["officer"])
    response = client.post(f"/reports/obligations/{campaign['grassroots'].id}",
                           data=form_data(save="1", participants="-1", files=(io.BytesIO(b"MZ" + bytes(300)), "a.pdf")),
                           content_type="multipart/form-data")
    html = response.get_data(as_text=True)
    assert errors(html) == {"participants", "files"}
    assert re.search(r'data-field-error="files">[^<]*a\.pdf', html)


def test_an_oversized_file_gets_a_form_message(client, login_as, users, campaign, uploads, app, monkeypatch):
    monkeypatch.setitem(app.config, "REPORT_MAX_FILE_MB", 1)
    login_as(users["officer"])
    big = pdf_bytes() + b"%" * (1024 * 1024)
    response = client.post(f"/reports/obligations/{campaign['grassroots'].id}",
                           data=form_data(save="1", files=(io.BytesIO(big), "bien-ban.pdf")),
                           content_type="multipart/form-data")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and errors(html) == {"files"}
    assert 'value="Hội trường UBND phường"' in html and report_of(users, campaign) is None


def test_a_request_over_the_hard_limit_is_413_not_500(client, login_as, users, campaign, app, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 64 * 1024)
    login_as(users["officer"])
    response = client.post(f"/reports/obligations/{campaign['grassroots'].id}",
                           data=form_data(save="1", files=(io.BytesIO(b"%PDF" + bytes(100 * 1024)), "a.pdf")),
                           content_type="multipart/form-data")
    assert response.status_code == 413


def test_remove_a_file_from_a_draft(client, login_as, users, campaign, uploads):
    report = make_report(users["officer"], campaign["grassroots"])
    attachment = attach_file(users["officer"], report)
    commit()
    login_as(users["officer"])
    response = client.post(f"/reports/{report.id}/files/{attachment.id}/delete")
    assert response.status_code == 302 and not list(uploads.glob("*"))
    login_as(users["officer_a2"])
    assert client.post(f"/reports/{report.id}/files/{attachment.id}/delete").status_code == 404


# --- no lost update ----------------------------------------------------------------------


def test_the_second_of_two_saves_from_the_same_version_is_refused(client, login_as, users, campaign):
    report = make_report(users["officer"], campaign["grassroots"])
    commit()
    opened = report.version
    login_as(users["officer"])
    first = client.post(f"/reports/{report.id}/edit", data=form_data(version=opened, save="1", place="Tab một"))
    assert first.status_code == 302
    second = client.post(f"/reports/{report.id}/edit", data=form_data(version=opened, save="1", place="Tab hai"))
    html = second.get_data(as_text=True)
    assert second.status_code == 409 and 'value="Tab hai"' in html  # what was typed is still there to copy
    db.session.expire_all()
    assert report.place == "Tab một" and report.version == opened + 1


def test_a_report_started_meanwhile_is_a_conflict_too(client, login_as, users, campaign):
    login_as(users["officer"])
    make_report(users["officer"], campaign["grassroots"], place="Người khác")
    commit()
    response = client.post(f"/reports/obligations/{campaign['grassroots'].id}", data=form_data(save="1"))
    assert response.status_code == 409
    db.session.expire_all()
    assert report_of(users, campaign).place == "Người khác"


# --- review ------------------------------------------------------------------------------


def test_return_fix_resubmit_accept_reopen(client, login_as, users, campaign):
    report = make_report(users["officer"], campaign["grassroots"], status="submitted", today=date(2020, 3, 14))
    commit()
    rid = report.id
    login_as(users["committee"])
    html = client.get(f"/reports/{rid}").get_data(as_text=True)
    assert 'data-testid="accept-report"' in html and 'data-testid="return-report"' in html
    response = client.post(f"/reports/{rid}/return", data={"comment": "  "})
    assert response.status_code == 200 and errors(response.get_data(as_text=True)) == {"comment"}
    response = client.post(f"/reports/{rid}/return", data={"comment": "Bổ sung biên bản.", "version": str(report.version)})
    assert response.status_code == 302

    login_as(users["officer"])
    home = client.get("/").get_data(as_text=True)
    assert "Bổ sung biên bản." in home and f'href="/reports/obligations/{campaign["grassroots"].id}"' in home
    html = client.get(f"/reports/{rid}/edit").get_data(as_text=True)
    assert 'data-testid="review-comment"' in html and "Bổ sung biên bản." in html
    version = int(re.search(r'name="version" type="hidden" value="(\d+)"', html).group(1))
    response = client.post(f"/reports/{rid}/edit", data=form_data(version=version, hand_in="1", participants="130"))
    assert response.status_code == 302

    db.session.expire_all()
    assert report.status is ReportStatus.RESUBMITTED
    html = client.get(f"/reports/{rid}/versions/2").get_data(as_text=True)
    assert 'data-change-field="participants"' in html and 'data-change-field="delegates"' not in html

    login_as(users["committee"])
    assert client.post(f"/reports/{rid}/accept", data={"version": str(report.version)}).status_code == 302
    db.session.expire_all()
    assert report.status is ReportStatus.ACCEPTED
    html = client.get(f"/reports/{rid}").get_data(as_text=True)
    assert 'data-testid="reopen-report"' in html and 'data-testid="accept-report"' not in html

    login_as(users["officer"])
    assert client.get(f"/reports/{rid}/edit").status_code == 302  # locked
    assert client.post(f"/reports/{rid}/edit", data=form_data(version=report.version, save="1")).status_code == 302
    db.session.expire_all()
    assert report.participants == 130

    login_as(users["committee"])
    assert client.post(f"/reports/{rid}/reopen", data={"reason": "Sai số liệu."}).status_code == 302
    db.session.expire_all()
    assert (report.status, report.review_comment) == (ReportStatus.RETURNED, "Sai số liệu.")


def test_a_review_from_a_stale_page_is_refused(client, login_as, users, campaign):
    report = make_report(users["officer"], campaign["grassroots"], status="submitted")
    commit()
    login_as(users["committee"])
    response = client.post(f"/reports/{report.id}/accept", data={"version": str(report.version - 1)})
    assert response.status_code == 302
    db.session.expire_all()
    assert report.status is ReportStatus.SUBMITTED


def test_leaders_read_but_do_not_review(client, login_as, users, campaign):
    report = make_report(users["officer"], campaign["grassroots"], status="submitted")
    commit()
    login_as(users["leader"])
    html = client.get(f"/reports/{report.id}").get_data(as_text=True)
    assert 'data-testid="review"' not in html
    assert client.post(f"/reports/{report.id}/accept").status_code == 403


def test_officers_cannot_open_other_wards_obligations(client, login_as, users, campaign, tree):
    login_as(users["officer"])
    assert client.get(f"/reports/obligations/{campaign['other'].id}").status_code == 404
    campaign["grassroots"].requires_report = False
    commit()
    assert client.get(f"/reports/obligations/{campaign['grassroots'].id}").status_code == 404


# --- lists -------------------------------------------------------------------------------


def test_committee_list_filters(client, login_as, users, campaign):
    a1 = make_report(users["officer"], campaign["grassroots"], status="submitted")
    a2 = make_report(users["officer_a2"], campaign["grassroots"])
    make_report(users["officer_b"], campaign["other"], status="submitted")
    commit()
    login_as(users["committee"])

    def listed(query=""):
        html = client.get(f"/reports/{query}").get_data(as_text=True)
        return {int(i) for i in re.findall(r'data-report-id="(\d+)"', html)}

    assert listed() == {a1.id, a2.id}
    assert listed("?status=submitted") == {a1.id}
    assert listed(f"?unit={users['officer_a2'].unit_id}") == {a2.id}
    assert listed(f"?milestone={campaign['dossier'].id}") == set()
    assert listed(f"?plan={campaign['plan'].id}&status=draft") == {a2.id}
    assert listed("?status=nonsense&plan=abc&page=x") == {a1.id, a2.id}  # bad filters are ignored
    assert client.get(f"/reports/?unit={users['officer_b'].unit_id}").status_code == 404


def test_committee_list_is_paginated_without_n_plus_one(client, login_as, users, campaign, tree, app, monkeypatch):
    from tests.factories import make_unit, make_user
    from tracker.units.models import UnitKind
    from tracker.users.models import Role

    monkeypatch.setitem(app.config, "PER_PAGE", 5)
    login_as(users["committee"])

    def add(n):
        for _ in range(n):
            ward = make_unit(kind=UnitKind.WARD, parent=tree["city_a"])
            make_report(make_user(Role.WARD_OFFICER, ward), campaign["grassroots"], status="submitted")
        commit()

    def count_queries(url):
        with statements(db) as seen:
            response = client.get(url)
        assert response.status_code == 200
        return len(seen), response.get_data(as_text=True)

    add(3)
    few, _ = count_queries("/reports/")
    add(9)
    many, html = count_queries("/reports/")
    assert many == few
    assert html.count("data-report-id=") == 5 and "?page=2" in html
    _, last = count_queries("/reports/?page=3")
    assert last.count("data-report-id=") == 2


def test_officer_list_of_obligations(client, login_as, users, campaign):
    make_report(users["officer"], campaign["grassroots"], status="submitted", today=date(2020, 3, 14))
    make_report(users["officer_b"], campaign["other"])
    commit()
    login_as(users["officer"])
    html = client.get("/reports/mine").get_data(as_text=True)
    rows = re.findall(r'<tr data-milestone-id="(\d+)">(.*?)</tr>', html, re.S)
    assert [int(m) for m, _ in rows] == [campaign["grassroots"].id, campaign["dossier"].id]
    assert 'data-status="submitted"' in rows[0][1] and "14/03/2020" in rows[0][1]
    assert 'data-status="not_started"' in rows[1][1] and "30" in rows[1][1]  # 16/03 -> 15/04
    assert "Hội nghị thành phố B" not in html


def test_late_submission_is_shown(client, login_as, users, campaign, app, monkeypatch):
    monkeypatch.setitem(app.config, "TRACKER_TODAY", "2020-04-10")
    report = make_report(users["officer"], campaign["grassroots"], status="submitted", today=date(2020, 4, 8))
    commit()
    login_as(users["committee"])
    assert 'data-testid="late-submission"' in client.get("/reports/").get_data(as_text=True)
    page = client.get(f"/reports/{report.id}").get_data(as_text=True)
    assert 'data-testid="late-submission">trễ hạn<' in page
    heading = re.sub(r"<[^>]+>|\s+", " ", page[page.index("<h1"):page.index("</h1>")])
    assert "Đã gửi" in heading and "gửi gửi" not in heading  # no doubled word beside the status


def test_navigation_links_follow_the_role(client, login_as, users):
    login_as(users["officer"])
    html = client.get("/").get_data(as_text=True)
    assert 'data-testid="nav-my-obligations"' in html and 'data-testid="nav-reports"' not in html
    for role in ("committee", "leader"):
        login_as(users[role])
        html = client.get("/").get_data(as_text=True)
        assert 'data-testid="nav-reports"' in html and 'data-testid="nav-my-obligations"' not in html


def test_a_returned_report_tells_its_ward_with_the_comment(client, login_as, users, campaign, db, app, tmp_path,
                                                           monkeypatch):
    """The officer who handed the report in hears it came back: in the app and by e-mail, with
    the committee's words and a link to the report."""
    import email
    from email import policy

    from sqlalchemy import select

    from tests.factories import make_report
    from tracker.notifications.models import Notification

    monkeypatch.setitem(app.config, "MAIL_OUTBOX", str(tmp_path))
    officer = users["officer"]
    officer.email = "phuong.a1@example.vn"
    report = make_report(officer, campaign["grassroots"], status="submitted")
    commit()
    login_as(users["committee"])
    response = client.post(f"/reports/{report.id}/return",
                           data={"comment": "Bổ sung biên bản hội nghị.", "version": report.version})
    assert response.status_code == 302
    notice = db.session.scalar(select(Notification).where(Notification.user_id == officer.id))
    assert notice is not None and "Hội nghị điển hình tiên tiến cấp xã, phường" in notice.title
    assert "Bổ sung biên bản hội nghị." in notice.body and notice.link == f"/reports/{report.id}"
    sent = [email.message_from_bytes(path.read_bytes(), policy=policy.default) for path in tmp_path.glob("*.eml")]
    assert [m["To"] for m in sent] == ["phuong.a1@example.vn"]
    assert "Bổ sung biên bản hội nghị." in sent[0].get_body().get_content()
