"""The API as another system uses it: a ward's nomination from draft to the committee's review,
a report, the figures, with the pages' rules (validation, versions, audit)."""
import json

from sqlalchemy import select

from tracker.audit.models import AuditEvent
from tracker.nominations.models import Nomination, NominationStatus as S
from tracker.reports.models import ReportStatus


def nomination_body(plan, **overrides):
    body = {
        "plan_id": plan.id, "movement_id": plan.movements[0].id,
        "candidate": {"kind": "individual", "full_name": "Nguyễn Văn Hòa", "gender": "male", "birth_year": 1972,
                      "position": "Tổ trưởng tổ dân phố", "workplace": "Tổ dân phố 5"},
        "achievements": "Vận động nhân dân hiến đất làm đường.", "period_start_year": 2015,
        "period_end_year": 2019, "meeting_date": "2020-03-10", "members_present": 25, "votes_for": 23,
        "proposed_honour": "Giấy khen", "achievement_title": "Vận động hiến đất làm đường",
    }
    body.update(overrides)
    return body


def test_a_ward_nominates_and_the_committee_reviews(api, users, plan, token_of, db):
    officer, committee = token_of(users["officer"]), token_of(users["committee"])
    created = api("POST", "/api/v1/nominations", officer, nomination_body(plan))
    assert created.status_code == 201, created.get_json()
    nomination = created.get_json()
    assert nomination["status"] == "draft" and nomination["candidate"]["full_name"] == "Nguyễn Văn Hòa"
    assert nomination["achievement_title"] == "Vận động hiến đất làm đường"
    etag = created.headers["ETag"]

    submitted = api("POST", f"/api/v1/nominations/{nomination['id']}/submit", officer, **{"If-Match": etag})
    assert submitted.status_code == 200 and submitted.get_json()["status"] == "submitted"
    # The draft's ETag is stale now: the write is refused and nothing changes.
    stale = api("POST", f"/api/v1/nominations/{nomination['id']}/withdraw", officer, **{"If-Match": etag})
    assert stale.status_code == 412 and stale.content_type == "application/problem+json"

    returned = api("POST", f"/api/v1/nominations/{nomination['id']}/return", committee,
                   {"comment": "Bổ sung minh chứng."})
    assert returned.get_json()["status"] == "returned" and returned.get_json()["review_comment"] == "Bổ sung minh chứng."
    changed = api("PATCH", f"/api/v1/nominations/{nomination['id']}", officer, {"votes_for": 24, "submit": True})
    assert changed.status_code == 200 and changed.get_json()["status"] == "resubmitted"
    assert changed.get_json()["votes_for"] == 24 and changed.get_json()["achievements"].startswith("Vận động")
    accepted = api("POST", f"/api/v1/nominations/{nomination['id']}/accept", committee)
    assert accepted.get_json()["status"] == "accepted"
    assert db.session.get(Nomination, nomination["id"]).status is S.ACCEPTED

    events = db.session.scalars(select(AuditEvent).where(AuditEvent.entity_type == "Nomination",
                                                         AuditEvent.entity_id == nomination["id"])).all()
    assert {e.action for e in events} >= {"nomination.created", "nomination.submitted", "nomination.returned",
                                         "nomination.resubmitted", "nomination.accepted"}
    assert all(e.via == "api" for e in events)


def test_bad_values_get_the_forms_messages_in_both_languages(api, users, plan, token_of):
    officer = token_of(users["officer"])
    answer = api("POST", "/api/v1/nominations", officer,
                 nomination_body(plan, members_present=10, votes_for=12, submit=True))
    assert answer.status_code == 422 and answer.content_type == "application/problem+json"
    problem = answer.get_json()
    assert problem["status"] == 422 and "votes_for" in problem["errors"]
    message = problem["errors"]["votes_for"][0]
    assert set(message) == {"vi", "en"} and message["vi"] != message["en"]
    # The schema's own checks are answered the same way, per field.
    body = nomination_body(plan)
    body["candidate"]["birth_year"] = "nineteen"
    typed = api("POST", "/api/v1/nominations", officer, body)
    assert typed.status_code == 422
    assert typed.get_json()["errors"]["candidate.birth_year"] == [
        {"vi": "Nhập một số nguyên.", "en": "Give a whole number."}]
    unknown = api("POST", "/api/v1/nominations", officer, nomination_body(plan, colour="red"))
    assert unknown.status_code == 422 and "colour" in unknown.get_json()["errors"]


def test_a_registered_person_is_offered_not_duplicated(api, users, plan, token_of, records):
    officer = token_of(users["officer"])
    person = records["own_nomination"].candidate
    body = nomination_body(plan, candidate={"kind": "individual", "full_name": person.full_name.upper(),
                                            "gender": "male", "birth_year": person.birth_year})
    twin = api("POST", "/api/v1/nominations", officer, body)
    assert twin.status_code == 409 and twin.get_json()["candidate_id"] == person.id
    confirmed = api("POST", "/api/v1/nominations", officer, {**body, "candidate_id": person.id})
    assert confirmed.status_code == 201 and confirmed.get_json()["candidate"]["id"] == person.id


def test_a_ward_files_its_report(api, users, plan, token_of):
    officer = token_of(users["officer"])
    milestone = plan.milestones[1]
    saved = api("PUT", f"/api/v1/milestones/{milestone.id}/report", officer,
                {"place": "Hội trường UBND phường", "participants": 120})
    assert saved.status_code == 200 and saved.get_json()["status"] == "draft"
    refused = api("POST", f"/api/v1/reports/{saved.get_json()['id']}/submit", officer)
    assert refused.status_code == 422 and "narrative" in refused.get_json()["errors"]
    done = api("PUT", f"/api/v1/milestones/{milestone.id}/report", officer, {
        "held_date": "2020-04-05", "chaired_by": "Chủ tịch UBND phường", "delegates": 5, "funding_vnd": 1_000_000,
        "narrative": "Hội nghị biểu dương điển hình.", "submit": True})
    assert done.status_code == 200, done.get_json()
    assert done.get_json()["status"] == ReportStatus.SUBMITTED.value and done.get_json()["participants"] == 120


def test_the_figures_are_the_dashboards(api, users, plan, token_of, records, login_as, client):
    leader = token_of(users["leader"])
    figures = api("GET", f"/api/v1/plans/{plan.id}/figures", leader).get_json()
    conference = next(m for m in figures["milestones"] if m["milestone_id"] == plan.milestones[0].id)
    # Two wards of city A owe the conference; A1 handed its report in; the due date has passed.
    assert (conference["owing"], conference["handed_in"], conference["late"]) == (2, 1, 1)
    assert figures["nominations"]["submitted"] == 1 and figures["nominations_total"] == 1
    late = api("GET", f"/api/v1/plans/{plan.id}/late-units", leader).get_json()
    assert [item["unit"]["name"] for item in late["items"]] == ["Xã A2"] and late["late_total"] == 1
    page = login_as(users["leader"]).get(f"/dashboard/?plan={plan.id}").get_data(as_text=True)
    assert "Xã A2" in page


def test_lists_go_on_from_a_cursor_and_new_rows_do_not_shift_them(api, users, plan, token_of):
    from tests.factories import make_nomination
    from tracker.commit import commit

    for n in range(5):
        make_nomination(users["officer"], plan, name=f"Người {n}", birth_year=1970 + n)
    commit()
    committee = token_of(users["committee"])
    first = api("GET", "/api/v1/nominations?limit=2", committee).get_json()
    assert len(first["items"]) == 2 and first["next_cursor"]
    make_nomination(users["officer"], plan, name="Người mới", birth_year=1990)
    commit()
    second = api("GET", f"/api/v1/nominations?limit=2&cursor={first['next_cursor']}", committee).get_json()
    names = [n["candidate"]["full_name"] for n in first["items"] + second["items"]]
    assert names == ["Người 4", "Người 3", "Người 2", "Người 1"]
    junk = api("GET", "/api/v1/nominations?cursor=abc", committee)
    assert junk.status_code == 422 and "cursor" in junk.get_json()["errors"]


def test_errors_are_problem_details_never_html(api, users, token_of, client):
    token = token_of(users["officer"])
    for method, url, body in [("GET", "/api/v1/no-such-thing", None), ("DELETE", "/api/v1/plans", None),
                              ("GET", "/api/v1/nominations/99999999999999999999", None),
                              ("GET", "/api/v1/nominations?limit=0", None)]:
        answer = api(method, url, token, body)
        assert answer.content_type == "application/problem+json", (url, answer.status_code)
        assert json.loads(answer.data)["status"] == answer.status_code
    broken = client.post("/api/v1/nominations", data="{not json", content_type="application/json",
                         headers={"Authorization": f"Bearer {token}"})
    assert broken.status_code in (400, 422) and broken.content_type == "application/problem+json"


def test_no_list_costs_more_statements_with_more_rows(api, users, plan, token_of, records, db):
    """Each list answers in the same number of statements for 2 rows as for 12 (no read per row)."""
    from tests.factories import make_nomination, make_report
    from tests.sql import statements
    from tracker.commit import commit

    committee = token_of(users["committee"])
    lists = ["/api/v1/nominations", "/api/v1/reports", "/api/v1/candidates", "/api/v1/units", "/api/v1/plans",
             "/api/v1/award-records", "/api/v1/proposals", f"/api/v1/plans/{plan.id}/figures",
             f"/api/v1/plans/{plan.id}/late-units", f"/api/v1/units/{users['officer'].unit_id}/obligations"]

    def counts():
        result = {}
        for url in lists:
            api("GET", url, committee)  # the token's last use is written once, not counted
            with statements(db) as seen:
                assert api("GET", url, committee).status_code == 200, url
            result[url] = len(seen)
        return result

    before = counts()
    for n in range(10):  # more rows of every list, the same late wards
        make_nomination(users["officer"], plan, name=f"Người {n}", birth_year=1970 + n, status="submitted")
    make_report(users["officer"], plan.milestones[1], status="submitted", today=plan.milestones[1].start_date,
                honours=[{"form": "Giấy khen", "individuals": 3, "collectives": 1}])
    commit()
    assert counts() == before


def test_a_nul_character_is_refused_not_a_500(api, users, plan, token_of):
    committee = token_of(users["committee"])
    for url in ["/api/v1/award-types?regime=%00", "/api/v1/nominations?q=a%00b", "/api/v1/units?q=%00"]:
        answer = api("GET", url, committee)
        assert answer.status_code == 422, url
        (message,) = next(iter(answer.get_json()["errors"].values()))
        assert message["vi"] != message["en"]
    officer = token_of(users["officer"])
    body = {"plan_id": plan.id, "movement_id": plan.movements[0].id, "achievements": "a\u0000b",
            "candidate": {"kind": "individual", "full_name": "Nguyễn Văn Hòa"}}
    assert api("POST", "/api/v1/nominations", officer, body).status_code == 422


def test_a_proposal_reads_with_its_reward_money(api, users, token_of, records):
    proposal = records["other_proposal"]
    answer = api("GET", f"/api/v1/proposals/{proposal.id}", token_of(users["leader_b"])).get_json()
    assert [item["reward_vnd"] for item in answer["items"]] == [450_000]  # 0,3 × 1.490.000, rounded up
    assert answer["reward_total_vnd"] == 450_000 and answer["base_salary_vnd"] == 1_490_000
    assert answer["decision"] is None and answer["award_type"]["code"] == "GIAY_KHEN"
