"""No lost update on a progress report: two sessions open the same form, the later save is refused."""
from tests.editing import assert_conflict, hidden, open_form, session_of
from tests.factories import make_report
from tests.reports.test_views import form_data
from tracker.extensions import db
from tracker.reports.models import ProgressReport
from tracker.commit import commit


def test_two_sessions_edit_the_same_report(app, users, campaign):
    report = make_report(users["officer"], campaign["grassroots"])
    commit()
    first, second = session_of(app, users["officer"]), session_of(app, users["officer"])
    url = f"/reports/{report.id}/edit"
    mine, theirs = hidden(open_form(first, url)), hidden(open_form(second, url))
    assert first.post(url, data=form_data(version=mine, save="1", place="Nhà văn hóa khu phố 3")).status_code == 302
    response = second.post(url, data=form_data(version=theirs, save="1", chaired_by="Phó Chủ tịch UBND phường"))
    assert_conflict(response, 'value="Phó Chủ tịch UBND phường"')
    db.session.expire_all()
    stored = db.session.get(ProgressReport, report.id)
    assert (stored.place, stored.chaired_by) == ("Nhà văn hóa khu phố 3", "Chủ tịch UBND phường")
