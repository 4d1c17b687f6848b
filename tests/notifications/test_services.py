"""Reminders: who is reminded, with whom in copy, and at most once a day."""
import email
from datetime import date
from email import policy

import pytest
from sqlalchemy import func, select

from tests.factories import make_milestone, make_plan, make_report, make_user
from tracker.notifications import services
from tracker.obligations import reminders
from tracker.notifications.models import Notification, ReminderLog
from tracker.plans.models import MilestoneScope
from tracker.users.models import Role
from tracker.commit import commit


@pytest.fixture
def outbox(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_OUTBOX", str(tmp_path))
    return tmp_path


@pytest.fixture
def campaign(tree, users, db):
    for user in users.values():
        user.email = f"{user.username}@example.vn"
    plan = make_plan(tree["city_a"])
    grassroots = make_milestone(plan, title="Hội nghị cấp xã, phường", due=date(2020, 3, 31))
    dossier = make_milestone(plan, title="Nộp hồ sơ", start=date(2020, 4, 1), due=date(2020, 4, 15))
    make_milestone(plan, title="Xa hơn", start=date(2020, 5, 1), due=date(2020, 5, 30))
    make_milestone(plan, title="Hội nghị thành phố", start=date(2020, 4, 20), due=date(2020, 4, 25),
                   scope=MilestoneScope.ISSUING_UNIT, kinds="")
    make_report(users["officer"], grassroots, status="submitted")  # a complete report, handed in
    commit()
    return {"grassroots": grassroots, "dossier": dossier}


def _mails(outbox):
    return [email.message_from_bytes(p.read_bytes(), policy=policy.default) for p in sorted(outbox.glob("*.eml"))]


TODAY = date(2020, 4, 10)


def test_due_obligations(campaign, tree):
    titles = lambda unit: [o.milestone.title for o in reminders.due_obligations(unit, TODAY, 7)]  # noqa: E731
    assert titles(tree["ward_a1"]) == ["Nộp hồ sơ"]  # the conference report is in
    assert titles(tree["ward_a2"]) == ["Hội nghị cấp xã, phường", "Nộp hồ sơ"]  # one late, one due
    assert [o.milestone.title for o in reminders.due_obligations(tree["ward_a2"], TODAY, 3)] == ["Hội nghị cấp xã, phường"]


def test_reminder_mail_with_committee_in_copy(app, campaign, users, outbox, db):
    reminder = reminders.remind_officer(users["officer_a2"], TODAY, 7, app.config)
    commit()
    assert reminder is not None
    [message] = _mails(outbox)
    assert message["To"] == "officer_a2@example.vn"
    assert message["Cc"] == "committee_a@example.vn"  # not city B's committee
    body = message.get_content()
    assert "Hội nghị cấp xã, phường" in body and "Nộp hồ sơ" in body and "Xa hơn" not in body
    assert "Xã A2" in message["Subject"]
    assert services.unread_count(users["officer_a2"]) == 1


def test_reminders_are_sent_once_a_day(app, campaign, users, outbox, db):
    assert reminders.remind_officer(users["officer_a2"], TODAY, 7, app.config) is not None
    commit()
    assert reminders.remind_officer(users["officer_a2"], TODAY, 7, app.config) is None
    assert len(_mails(outbox)) == 1
    assert reminders.remind_officer(users["officer_a2"], date(2020, 4, 11), 7, app.config) is not None
    assert len(_mails(outbox)) == 2


def test_nothing_owed_nothing_sent(app, campaign, users, outbox, db):
    assert reminders.remind_officer(users["officer_b"], TODAY, 7, app.config) is None
    assert _mails(outbox) == []


def test_officer_without_email_is_reminded_in_app(app, campaign, tree, outbox, db):
    officer = make_user(Role.WARD_OFFICER, tree["ward_a2"], "no_mail")
    officer.email = None
    reminder = reminders.remind_officer(officer, TODAY, 7, app.config)
    assert reminder.delivered_to == "" and _mails(outbox) == []
    assert services.unread_count(officer) == 1


def test_cli_is_idempotent_per_day(runner, app, campaign, outbox, db, monkeypatch):
    monkeypatch.setitem(app.config, "TRACKER_TODAY", "2020-04-10")
    first = runner.invoke(args=["send-reminders", "--days", "7"])
    assert first.exit_code == 0, first.output
    sent = len(_mails(outbox))
    assert sent == 2  # officer_a1 (dossier) and officer_a2 (late + dossier)
    second = runner.invoke(args=["send-reminders", "--days", "7"])
    assert "0 reminders" in second.output
    assert len(_mails(outbox)) == sent
    assert db.session.scalar(select(func.count(ReminderLog.id))) == 2


def test_notifications_page_and_mark_read(client, login_as, users, db):
    services.notify(users["officer"], "Nhắc hạn", "Nội dung", "/")
    commit()
    login_as(users["officer"])
    html = client.get("/").get_data(as_text=True)
    assert 'data-testid="unread-count">1<' in html
    assert "Nhắc hạn" in client.get("/notifications/").get_data(as_text=True)
    client.post("/notifications/read")
    assert 'data-testid="unread-count"' not in client.get("/").get_data(as_text=True)
    db.session.expire_all()
    assert db.session.scalar(select(Notification.read_at)) is not None


def test_cannot_mark_someone_elses_notification(client, login_as, users, db):
    notification = services.notify(users["officer_b"], "Của người khác")
    commit()
    login_as(users["officer"])
    client.post(f"/notifications/{notification.id}/read")
    db.session.expire_all()
    assert db.session.get(Notification, notification.id).read_at is None


def test_opening_a_notification_marks_it_read_and_goes_where_it_points(client, login_as, users, db):
    import re

    notification = services.notify(users["officer"], "Đề cử bị trả lại", "Bổ sung minh chứng.", "/nominations/")
    commit()
    login_as(users["officer"])
    html = client.get("/notifications/").get_data(as_text=True)
    form = re.search(r'<form method="post" action="(/notifications/\d+/read)">.*?name="next" value="([^"]+)"'
                     r'.*?data-testid="open-notification"', html, re.S)
    assert form is not None, html
    response = client.post(form.group(1), data={"next": form.group(2)})
    assert response.status_code == 302 and response.headers["Location"] == "/nominations/"
    db.session.expire_all()
    assert db.session.get(Notification, notification.id).read_at is not None
    # once read, "Open" is a plain link
    assert 'data-testid="open-notification"' not in client.get("/notifications/").get_data(as_text=True)


def test_a_returned_report_comes_first_in_the_reminder_and_on_the_wards_pages(app, campaign, users, outbox, db,
                                                                              client, login_as):
    """Sent back by the committee after its due date, the ward's report is listed first, with the
    committee's words, and the ward's pages show it as returned (past due beside it), not as late."""
    from tracker.reports import services as reports

    late = make_milestone(campaign["grassroots"].plan, title="Báo cáo sơ kết", start=date(2020, 3, 1),
                          due=date(2020, 3, 20))
    report = make_report(users["officer"], late, status="submitted", today=date(2020, 3, 10))
    reports.return_report(users["committee"], report, "Bổ sung danh sách khách mời.")
    commit()
    owed = reminders.due_obligations(users["officer"].unit, TODAY, 7)
    assert [o.milestone.title for o in owed] == ["Báo cáo sơ kết", "Nộp hồ sơ"]
    reminder = reminders.remind_officer(users["officer"], TODAY, 7, app.config)
    commit()
    body = _mails(outbox)[0].get_content()
    assert body.index("Báo cáo sơ kết") < body.index("Nộp hồ sơ")
    assert "Trả lại để bổ sung: Bổ sung danh sách khách mời." in body and reminder is not None

    login_as(users["officer"])
    for url in ("/", "/reports/mine"):
        html = client.get(url).get_data(as_text=True)
        cell = html[html.index('data-returned="yes"') - 80:html.index('data-returned="yes"') + 700]
        assert 'data-obligation="late"' in cell  # counted as every page counts it
        assert "Trả lại để bổ sung" in cell and "đã quá hạn" in cell and "Quá hạn<" not in cell
        assert "Ý kiến Ban Thi đua: Bổ sung danh sách khách mời." in cell
