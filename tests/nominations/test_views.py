"""Nominations over HTTP: the form and its bad input, the review, bulk actions, the queue."""
import io
import re

import pytest
from sqlalchemy import func, select

from tests.attachments.office import ACTIVE_FILES
from tests.factories import exported, make_nomination, pdf_bytes
from tests.sql import statements as count_queries
from tracker.attachments.models import Attachment
from tracker.candidates.models import Candidate
from tracker.nominations.models import Nomination, NominationStatus as S
from tracker.notifications.models import Notification
from tracker.commit import commit


@pytest.fixture(autouse=True)
def _today(app, monkeypatch):
    monkeypatch.setitem(app.config, "TRACKER_TODAY", "2020-04-10")


def form_data(plan, **overrides):
    data = {
        "plan_id": str(plan.id), "movement_id": str(plan.movements[0].id), "kind": "individual",
        "full_name": "Nguyễn Văn Hòa", "gender": "male", "birth_year": "1972", "position": "Tổ trưởng tổ dân phố",
        "workplace": "Tổ dân phố 5", "member_count": "", "achievements": "Vận động nhân dân hiến đất làm đường.",
        "period_start_year": "2015", "period_end_year": "2020", "meeting_date": "2020-03-10",
        "members_present": "25", "votes_for": "23", "proposed_award_type_id": "", "proposed_honour": "Giấy khen",
        "category": "achievements", "save": "y",
    }
    data.update(overrides)
    return data


def count(db, model):
    return db.session.scalar(select(func.count(model.id)))


def test_officer_nominates_with_evidence(client, login_as, users, plan, db):
    login_as(users["officer"])
    data = form_data(plan, files=[(io.BytesIO(pdf_bytes()), "thanh-tich.pdf")])
    response = client.post("/nominations/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 302
    nomination = db.session.scalar(select(Nomination))
    assert response.headers["Location"] == f"/nominations/{nomination.id}"
    assert nomination.status is S.DRAFT and nomination.unit_id == users["officer"].unit_id
    assert nomination.candidate.full_name == "Nguyễn Văn Hòa" and nomination.proposed_honour == "Giấy khen"
    assert db.session.scalar(select(Attachment.original_name)) == "thanh-tich.pdf"
    page = client.get(f"/nominations/{nomination.id}").get_data(as_text=True)
    assert 'data-testid="vote-share">92' in page and "thanh-tich.pdf" in page


def test_save_and_submit_at_once(client, login_as, users, plan, db):
    login_as(users["officer"])
    data = form_data(plan, save="", hand_in="y")
    data.pop("save")
    assert client.post("/nominations/new", data=data).status_code == 302
    assert db.session.scalar(select(Nomination.status)) is S.SUBMITTED


@pytest.mark.parametrize("overrides,field", [
    ({"votes_for": "26"}, "votes_for"),  # more than the 25 present
    ({"birth_year": "2021"}, "birth_year"),  # in the future
    ({"birth_year": "2010"}, "birth_year"),  # under 15
    ({"birth_year": "một chín bảy hai"}, "birth_year"),  # text in a number field
    ({"members_present": "-1"}, "members_present"),
    ({"members_present": "99999999999999999999"}, "members_present"),
    ({"full_name": ""}, "full_name"),
    ({"meeting_date": "2020-02-30"}, "meeting_date"),
    ({"period_end_year": "2010"}, "period_end_year"),
    ({"movement_id": ""}, "movement_id"),
    ({"kind": "robot"}, "kind"),
    ({"hand_in": "y", "save": "", "achievements": "   "}, "achievements"),  # empty achievements on submit
    ({"files": [(io.BytesIO(b"MZ\x90\x00 an executable"), "bien-ban.pdf")]}, "files"),
])
def test_bad_input_keeps_what_was_typed_and_saves_nothing(client, login_as, users, plan, db, overrides, field):
    login_as(users["officer"])
    data = form_data(plan, **overrides)
    if not data.get("save"):
        data.pop("save")
    response = client.post("/nominations/new", data=data, content_type="multipart/form-data")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f'data-field-error="{field}"' in html
    if field != "full_name":
        assert 'value="Nguyễn Văn Hòa"' in html
    if field == "birth_year" and not overrides["birth_year"].isdigit():
        assert 'value="một chín bảy hai"' in html
    assert count(db, Nomination) == 0 and count(db, Candidate) == 0 and count(db, Attachment) == 0


@pytest.mark.parametrize("name,build,what", [ACTIVE_FILES[i] for i in (2, 4, 7, 9)])
def test_an_office_file_with_macros_or_embedded_content_is_refused(client, login_as, users, plan, db,
                                                                   name, build, what):
    login_as(users["officer"])
    data = form_data(plan, files=[(io.BytesIO(build()), name)])
    response = client.post("/nominations/new", data=data, content_type="multipart/form-data")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert re.search(rf'data-field-error="files">[^<]*{re.escape(name)}[^<]*{what}', html)
    assert 'value="Nguyễn Văn Hòa"' in html
    assert count(db, Nomination) == 0 and count(db, Attachment) == 0


def test_a_movement_of_another_city_is_refused_without_leaking(client, login_as, users, plan, other_plan, db):
    login_as(users["officer"])
    response = client.post("/nominations/new", data=form_data(plan, movement_id=str(other_plan.movements[0].id)))
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and 'data-field-error="movement_id"' in html
    assert "Phong trào thành phố B" not in html
    assert client.post("/nominations/new", data=form_data(plan, plan_id=str(other_plan.id))).status_code == 200
    assert count(db, Nomination) == 0


def test_the_registered_candidate_is_offered(client, login_as, users, plan, db):
    existing = make_nomination(users["officer"], plan, status="accepted", reviewer=users["committee"])
    commit()
    login_as(users["officer"])
    data = form_data(plan, full_name="nguyen van hoa", position="Bí thư chi bộ",
                     movement_id=str(plan.movements[1].id))
    html = client.post("/nominations/new", data=data).get_data(as_text=True)
    assert f'data-candidate-id="{existing.candidate_id}"' in html
    assert re.search(rf'name="candidate_id" type="hidden" value="{existing.candidate_id}"', html)
    assert count(db, Nomination) == 1
    response = client.post("/nominations/new", data={**data, "candidate_id": str(existing.candidate_id)})
    assert response.status_code == 302
    assert count(db, Candidate) == 1 and count(db, Nomination) == 2
    db.session.expire_all()
    assert db.session.get(Candidate, existing.candidate_id).position == "Bí thư chi bộ"


def test_edit_a_returned_nomination_and_resubmit(client, login_as, users, plan, db):
    nomination = make_nomination(users["officer"], plan, status="returned", reviewer=users["committee"])
    commit()
    login_as(users["officer"])
    html = client.get(f"/nominations/{nomination.id}/edit").get_data(as_text=True)
    assert 'value="Nguyễn Văn Hòa"' in html and 'data-testid="review-comment"' in html
    data = form_data(plan, version=str(nomination.version), achievements="Đã bổ sung minh chứng.", save="",
                     hand_in="y")
    data.pop("save")
    assert client.post(f"/nominations/{nomination.id}/edit", data=data).status_code == 302
    db.session.expire_all()
    nomination = db.session.get(Nomination, nomination.id)
    assert nomination.status is S.RESUBMITTED and nomination.achievements == "Đã bổ sung minh chứng."


def test_a_stale_form_is_a_conflict(client, login_as, users, plan, db):
    nomination = make_nomination(users["officer"], plan)
    commit()
    login_as(users["officer"])
    response = client.post(f"/nominations/{nomination.id}/edit", data=form_data(plan, version="0"))
    assert response.status_code == 409
    assert 'value="Nguyễn Văn Hòa"' in response.get_data(as_text=True)


def test_a_submitted_nomination_is_not_edited(client, login_as, users, plan, db):
    nomination = make_nomination(users["officer"], plan, status="submitted")
    commit()
    login_as(users["officer"])
    response = client.post(f"/nominations/{nomination.id}/edit", data=form_data(plan))
    assert response.status_code == 302 and response.headers["Location"] == f"/nominations/{nomination.id}"
    db.session.expire_all()
    assert db.session.get(Nomination, nomination.id).status is S.SUBMITTED


def test_submit_from_the_page_lists_what_is_missing(client, login_as, users, plan, db):
    nomination = make_nomination(users["officer"], plan, achievements="")
    commit()
    login_as(users["officer"])
    response = client.post(f"/nominations/{nomination.id}/submit", data={"version": str(nomination.version)},
                           follow_redirects=True)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "alert-danger" in html and 'data-testid="nomination-form"' in html
    db.session.expire_all()
    assert db.session.get(Nomination, nomination.id).status is S.DRAFT


def test_the_committee_returns_with_a_comment(client, login_as, users, plan, db, outbox):
    nomination = make_nomination(users["officer"], plan, status="submitted")
    commit()
    login_as(users["committee"])
    response = client.post(f"/nominations/{nomination.id}/return", data={"comment": "  "})
    assert response.status_code == 200 and 'data-field-error="comment"' in response.get_data(as_text=True)
    response = client.post(f"/nominations/{nomination.id}/return", data={"comment": "Bổ sung biên bản họp"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Nomination, nomination.id).status is S.RETURNED
    assert db.session.scalar(select(Notification.user_id)) == users["officer"].id
    history = client.get(f"/nominations/{nomination.id}").get_data(as_text=True)
    assert 'data-action="nomination.returned"' in history and "Bổ sung biên bản họp" in history


def test_accepting_twice_is_refused_with_a_message(client, login_as, users, plan, db):
    nomination = make_nomination(users["officer"], plan, status="submitted")
    commit()
    login_as(users["committee"])
    assert client.post(f"/nominations/{nomination.id}/accept").status_code == 302
    response = client.post(f"/nominations/{nomination.id}/accept", follow_redirects=True)
    assert response.status_code == 200 and "alert-danger" in response.get_data(as_text=True)


def test_the_ward_withdraws(client, login_as, users, plan, db):
    nomination = make_nomination(users["officer"], plan, status="submitted")
    commit()
    login_as(users["officer"])
    assert client.post(f"/nominations/{nomination.id}/withdraw").status_code == 302
    db.session.expire_all()
    assert db.session.get(Nomination, nomination.id).status is S.WITHDRAWN


# --- bulk --------------------------------------------------------------------------------


def _several(users, plan, db, n=3, status="submitted"):
    items = [make_nomination(users["officer"], plan, name=f"Người số {i}", status=status) for i in range(n)]
    commit()
    return [i.id for i in items]


def statuses(db, ids):
    db.session.expire_all()
    return [db.session.get(Nomination, i).status for i in ids]


def test_bulk_accept(client, login_as, users, plan, db):
    ids = _several(users, plan, db)
    login_as(users["committee"])
    back = "/nominations/?status=pending&page=1"
    response = client.post("/nominations/bulk/accept", data={"ids": [str(i) for i in ids[:2]], "back": back})
    assert response.status_code == 302 and response.headers["Location"] == back
    assert statuses(db, ids) == [S.ACCEPTED, S.ACCEPTED, S.SUBMITTED]


def test_bulk_return_with_one_comment(client, login_as, users, plan, db):
    ids = _several(users, plan, db)
    login_as(users["committee"])
    client.post("/nominations/bulk/return", data={"ids": [str(i) for i in ids], "comment": ""})
    assert statuses(db, ids) == [S.SUBMITTED] * 3  # a return needs its comment
    client.post("/nominations/bulk/return", data={"ids": [str(i) for i in ids], "comment": "Bổ sung ảnh"})
    assert statuses(db, ids) == [S.RETURNED] * 3
    assert {db.session.get(Nomination, i).review_comment for i in ids} == {"Bổ sung ảnh"}


def test_bulk_refuses_foreign_ids_and_other_roles(client, login_as, users, plan, other_plan, db):
    ids = _several(users, plan, db, n=1)
    theirs = make_nomination(users["officer_b"], other_plan, name="Người thành phố B", status="submitted")
    commit()
    login_as(users["committee"])
    assert client.post("/nominations/bulk/accept", data={"ids": [str(ids[0]), str(theirs.id)]}).status_code == 404
    assert client.post("/nominations/bulk/accept", data={"ids": ["999999"]}).status_code == 404
    assert statuses(db, [ids[0], theirs.id]) == [S.SUBMITTED, S.SUBMITTED]
    for role in ("officer", "leader", "admin"):
        login_as(users[role])
        assert client.post("/nominations/bulk/accept", data={"ids": [str(ids[0])]}).status_code == 403


def test_bulk_is_all_or_nothing_over_http(client, login_as, users, plan, db):
    ids = _several(users, plan, db, n=2) + _several(users, plan, db, n=1, status="draft")
    login_as(users["committee"])
    response = client.post("/nominations/bulk/accept", data={"ids": [str(i) for i in ids]}, follow_redirects=True)
    assert "alert-danger" in response.get_data(as_text=True)
    assert statuses(db, ids) == [S.SUBMITTED, S.SUBMITTED, S.DRAFT]
    # An empty choice and a foreign "back" address are harmless.
    response = client.post("/nominations/bulk/accept", data={"back": "https://evil.example/"})
    assert response.status_code == 302 and response.headers["Location"] == "/nominations/"


# --- the queue ---------------------------------------------------------------------------


def test_the_queue_query_count_does_not_grow(client, login_as, users, plan, db):
    login_as(users["committee"])
    _several(users, plan, db, n=2)
    client.get("/nominations/?status=pending")  # the server has read the tree (pagecache.tree) once
    with count_queries(db) as few:
        assert client.get("/nominations/?status=pending&kind=").status_code == 200
    for i in range(12):
        make_nomination(users["officer_a2"] if i % 2 else users["officer"], plan, name=f"Người thêm {i}",
                        kind="collective" if i % 3 == 0 else "individual", status="submitted")
    commit()
    with count_queries(db) as many:
        html = client.get("/nominations/?status=pending").get_data(as_text=True)
    assert html.count('data-testid="nomination-row"') == 14
    assert len(many) == len(few)


def test_the_queue_shows_twins_and_filters(client, login_as, users, plan, db):
    make_nomination(users["officer"], plan, status="submitted")
    make_nomination(users["officer_a2"], plan, name="NGUYEN VAN HOA", status="submitted")
    make_nomination(users["officer"], plan, name="Trần Thị Mai", birth_year=1985, status="accepted",
                    reviewer=users["committee"])
    commit()
    login_as(users["committee"])
    html = client.get("/nominations/?status=pending").get_data(as_text=True)
    assert html.count('data-testid="nomination-row"') == 2
    assert html.count('data-testid="twin-warning"') == 2
    assert html.count('data-testid="choose-nomination"') == 2
    html = client.get("/nominations/?q=tran+thi&sort=name").get_data(as_text=True)
    assert html.count('data-testid="nomination-row"') == 1 and "Trần Thị Mai" in html


@pytest.mark.parametrize("query", [
    "?plan=abc", "?movement=-1", "?unit=1e9", "?status=bogus", "?kind=robot", "?sort=drop+table", "?page=-5",
    "?page=abc", "?q=" + "x" * 500, "?q=%25%5F", "?plan=99999999999999999999999",
])
def test_odd_filters_never_fail(client, login_as, users, plan, query):
    login_as(users["committee"])
    assert client.get("/nominations/" + query).status_code == 200


def test_filters_outside_the_scope_are_404(client, login_as, users, plan, other_plan, tree):
    login_as(users["committee"])
    assert client.get(f"/nominations/?plan={other_plan.id}").status_code == 404
    assert client.get(f"/nominations/?movement={other_plan.movements[0].id}").status_code == 404
    assert client.get(f"/nominations/?unit={tree['ward_b1'].id}").status_code == 404
    assert exported(client, f"/nominations/export.xlsx?unit={tree['ward_b1'].id}").status_code == 404


def test_a_ward_officer_lists_only_their_ward(client, login_as, users, plan, db):
    make_nomination(users["officer"], plan, name="Người phường A1")
    make_nomination(users["officer_a2"], plan, name="Người xã A2")
    commit()
    login_as(users["officer"])
    html = client.get("/nominations/").get_data(as_text=True)
    assert "Người phường A1" in html and "Người xã A2" not in html
    assert 'data-testid="bulk-actions"' not in html


def test_ids_beyond_the_database_range_are_404_or_field_errors(client, login_as, users, plan, db):
    huge = "99999999999999999999"
    login_as(users["officer"])
    assert client.get(f"/nominations/{huge}").status_code == 404
    assert client.get(f"/nominations/1/files/{huge}").status_code == 404
    assert client.get(f"/nominations/?plan={huge}&movement={huge}&unit={huge}").status_code == 200
    response = client.post("/nominations/new", data=form_data(plan, movement_id=huge, candidate_id=huge,
                                                             proposed_award_type_id=huge))
    assert response.status_code == 200 and 'data-field-error="movement_id"' in response.get_data(as_text=True)
    login_as(users["committee"])
    assert client.post("/nominations/bulk/accept", data={"ids": [huge]}).status_code == 302
    assert count(db, Nomination) == 0


def test_after_a_decision_the_reviewer_is_offered_the_next_nomination(client, login_as, users, plan, db):
    """The committee accepts one nomination and the page offers the one handed in longest ago
    that still awaits review; an officer is offered nothing."""
    from tests.factories import make_nomination

    first = make_nomination(users["officer"], plan, name="Người thứ nhất", status="submitted")
    second = make_nomination(users["officer_a2"], plan, name="Người thứ hai", status="submitted")
    commit()
    login_as(users["committee"])
    client.post(f"/nominations/{first.id}/accept", data={"version": first.version})
    html = client.get(f"/nominations/{first.id}").get_data(as_text=True)
    offered = re.search(r'data-testid="next-awaiting-review">.*?href="/nominations/(\d+)">([^<]+)<', html, re.S)
    assert offered and int(offered.group(1)) == second.id and offered.group(2) == "Người thứ hai"
    login_as(users["officer"])
    assert 'data-testid="next-awaiting-review"' not in client.get(f"/nominations/{first.id}").get_data(as_text=True)


def test_a_form_with_errors_names_the_files_to_choose_again(client, login_as, users, plan, db):
    """A browser cannot keep the files chosen with a form that comes back with errors: the form
    says which ones, by name, and keeps everything typed."""
    login_as(users["officer"])
    data = form_data(plan, birth_year="abc", files=[(io.BytesIO(pdf_bytes()), "thanh-tich.pdf"),
                                                    (io.BytesIO(pdf_bytes("Ảnh")), "giay-khen-2019.pdf")])
    response = client.post("/nominations/new", data=data, content_type="multipart/form-data")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and count(db, Nomination) == 0
    assert ("Các tệp sau chưa được lưu vì các lỗi ở trên: thanh-tich.pdf, giay-khen-2019.pdf. "
            "Hãy chọn lại các tệp này.") in html
    assert 'value="Vận động nhân dân hiến đất làm đường."' in html or "Vận động nhân dân hiến đất làm đường." in html


def test_the_history_names_people_not_logins(client, login_as, users, plan, db):
    nomination = make_nomination(users["officer"], plan, status="returned", reviewer=users["committee"])
    commit()
    login_as(users["officer"])
    html = client.get(f"/nominations/{nomination.id}").get_data(as_text=True)
    history = html[html.index('data-testid="history"'):]
    returned = history[history.index('data-action="nomination.returned"'):][:600]
    assert f'>{users["committee"].full_name}</td>' in returned and ">committee_a<" not in returned
