"""Downloading evidence files: only for those who may see the report, always as an attachment."""
import pytest

from tests.factories import attach_file, make_report, pdf_bytes
from tracker.commit import commit


@pytest.fixture
def files(users, campaign, uploads, db):
    own = make_report(users["officer"], campaign["grassroots"])
    own_file = attach_file(users["officer"], own, name="Biên bản hội nghị.pdf")
    other = make_report(users["officer_b"], campaign["other"])
    other_file = attach_file(users["officer_b"], other)
    commit()
    return {"own": own, "own_file": own_file, "other": other, "other_file": other_file}


@pytest.mark.parametrize("role", ["officer", "committee", "leader", "admin"])
def test_download_as_an_attachment_with_nosniff(client, login_as, users, files, role):
    login_as(users[role])
    response = client.get(f"/reports/{files['own'].id}/files/{files['own_file'].id}")
    assert response.status_code == 200
    assert response.data == pdf_bytes()
    assert response.mimetype == "application/pdf"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;") and "filename*=UTF-8''Bi%C3%AAn%20b%E1%BA%A3n" in disposition
    assert "sandbox" in response.headers["Content-Security-Policy"]


@pytest.mark.parametrize("role", ["officer_a2", "officer_b", "committee_b", "leader_b"])
def test_others_get_404_for_the_report_and_its_file(client, login_as, users, files, role):
    login_as(users[role])
    assert client.get(f"/reports/{files['own'].id}").status_code == 404
    assert client.get(f"/reports/{files['own'].id}/files/{files['own_file'].id}").status_code == 404


def test_a_file_is_reached_only_through_its_own_report(client, login_as, users, files):
    login_as(users["officer"])
    assert client.get(f"/reports/{files['own'].id}/files/{files['other_file'].id}").status_code == 404
    assert client.get(f"/reports/{files['own'].id}/files/999999").status_code == 404


def test_a_missing_file_is_404_not_500(client, login_as, users, files, uploads):
    (uploads / files["own_file"].stored_name).unlink()
    login_as(users["officer"])
    assert client.get(f"/reports/{files['own'].id}/files/{files['own_file'].id}").status_code == 404


def test_files_are_not_under_the_static_folder(app, files, uploads):
    import os

    stored = uploads / files["own_file"].stored_name
    assert stored.exists()
    assert not os.path.abspath(stored).startswith(os.path.abspath(app.static_folder))


def test_anonymous_cannot_download(client, files):
    response = client.get(f"/reports/{files['own'].id}/files/{files['own_file'].id}")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
