"""Nomination services: every transition and refusal, the rules, files, notices, the queue's queries."""
import io
from datetime import date

import pytest
from sqlalchemy import func, select

from tracker.nominations import validation
from tracker.nominations import queries
from tracker.nominations import candidates as nomination_candidates
from tests.factories import make_nomination, pdf_bytes
from tests.nominations.conftest import TODAY
from tracker.attachments.models import Attachment
from tracker.attachments.services import Upload
from tracker.audit.models import AuditEvent
from tracker.catalogue.models import AwardType
from tracker.errors import ConflictError, DomainError, InvalidData, WorkflowError
from tracker.nominations import services as s
from tracker.candidates.models import Candidate, CandidateKind, Gender
from tracker.nominations.models import Nomination, NominationStatus as S
from tracker.notifications.models import Notification
from tracker.permissions import visible_unit_ids
from tracker.plans.models import PlanStatus
from tracker.commit import commit, rollback

ALL_STATES = ["draft", "submitted", "returned", "resubmitted", "accepted", "rejected", "withdrawn"]


def person(name="Nguyễn Văn Hòa", kind=CandidateKind.INDIVIDUAL, **values):
    defaults = {"gender": Gender.MALE, "birth_year": 1972, "position": "Tổ trưởng", "workplace": "Tổ dân phố 5"} \
        if kind is CandidateKind.INDIVIDUAL else {"member_count": 42, "workplace": "UBND phường"}
    return validation.CandidateInput(kind=kind, full_name=name, **{**defaults, **values})


VALUES = {"achievements": "Gương mẫu, tích cực.", "period_start_year": 2015, "period_end_year": 2020,
          "meeting_date": date(2020, 3, 10), "members_present": 25, "votes_for": 23}


def save(users, plan, who=None, submit=False, **overrides):
    officer = users["officer"]
    values = {**VALUES, **overrides}
    return s.save_nomination(officer, officer.unit, plan, plan.movements[0], who or person(), today=TODAY,
                             submit=submit, **values)


def events(nomination, action):
    return [e for e in queries.events_of(nomination) if e.action == action]


# --- transitions -------------------------------------------------------------------------


def test_the_whole_lifecycle_with_audit(users, plan, db):
    officer, committee = users["officer"], users["committee"]
    nomination = save(users, plan)
    assert nomination.status is S.DRAFT and nomination.version >= 1
    s.submit_nomination(officer, nomination, today=TODAY)
    assert nomination.status is S.SUBMITTED and nomination.submitted_at is not None
    s.return_nomination(committee, nomination, "Bổ sung minh chứng")
    assert nomination.status is S.RETURNED and nomination.review_comment == "Bổ sung minh chứng"
    s.submit_nomination(officer, nomination, today=TODAY)
    assert nomination.status is S.RESUBMITTED
    s.accept_nomination(committee, nomination)
    assert nomination.status is S.ACCEPTED
    actions = [e.action for e in queries.events_of(nomination)]
    assert actions == ["nomination.created", "nomination.submitted", "nomination.returned",
                       "nomination.resubmitted", "nomination.accepted"]
    returned = events(nomination, "nomination.returned")[0]
    assert returned.username == "committee_a" and returned.summary == "Bổ sung minh chứng"
    assert '"status": ["submitted", "returned"]' in returned.changes


@pytest.mark.parametrize("state", ["submitted", "resubmitted"])
def test_reject_with_reason(users, plan, state):
    nomination = make_nomination(users["officer"], plan, status=state, reviewer=users["committee"])
    s.reject_nomination(users["committee"], nomination, "Thành tích chưa tiêu biểu")
    assert nomination.status is S.REJECTED and nomination.review_comment == "Thành tích chưa tiêu biểu"
    assert events(nomination, "nomination.rejected")


@pytest.mark.parametrize("state", ["draft", "submitted", "returned", "resubmitted"])
def test_the_ward_withdraws_before_acceptance(users, plan, state):
    nomination = make_nomination(users["officer"], plan, status=state, reviewer=users["committee"])
    s.withdraw_nomination(users["officer"], nomination)
    assert nomination.status is S.WITHDRAWN and events(nomination, "nomination.withdrawn")


ALLOWED = {
    "submit": {"draft", "returned"},
    "accept": {"submitted", "resubmitted"},
    "return": {"submitted", "resubmitted"},
    "reject": {"submitted", "resubmitted"},
    "withdraw": {"draft", "submitted", "returned", "resubmitted"},
}


def _do(action, users, nomination):
    officer, committee = users["officer"], users["committee"]
    return {
        "submit": lambda: s.submit_nomination(officer, nomination, today=TODAY),
        "accept": lambda: s.accept_nomination(committee, nomination),
        "return": lambda: s.return_nomination(committee, nomination, "Sửa lại"),
        "reject": lambda: s.reject_nomination(committee, nomination, "Không đạt"),
        "withdraw": lambda: s.withdraw_nomination(officer, nomination),
    }[action]()


REFUSED = [(action, state) for action in ALLOWED for state in ALL_STATES if state not in ALLOWED[action]]


@pytest.mark.parametrize("action,state", REFUSED)
def test_every_other_transition_is_refused(users, plan, db, action, state):
    nomination = make_nomination(users["officer"], plan, status=state, reviewer=users["committee"])
    count = db.session.scalar(select(func.count(AuditEvent.id)))
    with pytest.raises(WorkflowError):
        _do(action, users, nomination)
    assert nomination.status.value == state
    assert db.session.scalar(select(func.count(AuditEvent.id))) == count


def test_awarded_is_final_for_this_module(users, plan):
    nomination = make_nomination(users["officer"], plan, status="accepted", reviewer=users["committee"])
    nomination.status = S.AWARDED
    for action in ALLOWED:
        with pytest.raises(WorkflowError):
            _do(action, users, nomination)


@pytest.mark.parametrize("call", [
    lambda u, n: s.return_nomination(u["committee"], n, "   "),
    lambda u, n: s.reject_nomination(u["committee"], n, ""),
])
def test_return_and_reject_need_a_comment(users, plan, call):
    nomination = make_nomination(users["officer"], plan, status="submitted")
    with pytest.raises(InvalidData) as error:
        call(users, nomination)
    assert set(error.value.errors) <= {"comment", "reason"}
    assert nomination.status is S.SUBMITTED


def test_a_stale_version_is_a_conflict(users, plan):
    nomination = make_nomination(users["officer"], plan, status="submitted")
    with pytest.raises(ConflictError):
        s.accept_nomination(users["committee"], nomination, expected_version=nomination.version - 1)
    assert nomination.status is S.SUBMITTED


def test_submitting_needs_achievements_and_the_meeting(users, plan):
    nomination = save(users, plan, achievements="   ", meeting_date=None, votes_for=None)
    with pytest.raises(InvalidData) as error:
        s.submit_nomination(users["officer"], nomination, today=TODAY)
    assert {"achievements", "meeting_date", "votes_for"} <= set(error.value.errors)
    assert nomination.status is S.DRAFT


def test_a_meeting_after_today_cannot_be_submitted(users, plan):
    nomination = save(users, plan, meeting_date=date(2020, 4, 11))
    with pytest.raises(InvalidData) as error:
        s.submit_nomination(users["officer"], nomination, today=TODAY)
    assert "meeting_date" in error.value.errors


def test_a_closed_plan_takes_no_nomination(users, plan):
    plan.status = PlanStatus.CLOSED
    with pytest.raises(WorkflowError):
        save(users, plan)


# --- the form's rules --------------------------------------------------------------------


@pytest.mark.parametrize("who,values,field", [
    (person(birth_year=2021), {}, "birth_year"),  # in the future
    (person(birth_year=2006), {}, "birth_year"),  # 14 in 2020
    (person(birth_year=1890), {}, "birth_year"),
    (person(name="  "), {}, "full_name"),
    (person(kind=CandidateKind.COLLECTIVE, name="Chi hội Phụ nữ", member_count=0), {}, "member_count"),
    (person(), {"votes_for": 26}, "votes_for"),  # more votes than members present
    (person(), {"members_present": 0, "votes_for": 0}, "members_present"),
    (person(), {"members_present": -3}, "members_present"),
    (person(), {"period_start_year": 2021}, "period_start_year"),
    (person(), {"period_start_year": 2019, "period_end_year": 2016}, "period_end_year"),
    (person(), {"members_present": 10**9}, "members_present"),
])
def test_bad_values_are_refused_and_nothing_is_saved(users, plan, db, who, values, field):
    with pytest.raises(InvalidData) as error:
        save(users, plan, who=who, **values)
    assert field in error.value.errors
    assert db.session.scalar(select(func.count(Nomination.id))) == 0
    assert db.session.scalar(select(func.count(Candidate.id))) == 0


def test_born_exactly_fifteen_years_ago_is_fine(users, plan):
    assert save(users, plan, who=person(birth_year=2005)).candidate.birth_year == 2005


def test_submitting_at_once_needs_what_a_submission_needs(users, plan, db):
    with pytest.raises(InvalidData) as error:
        save(users, plan, who=person(gender=None), submit=True, achievements="")
    assert {"achievements", "gender"} <= set(error.value.errors)
    assert db.session.scalar(select(func.count(Nomination.id))) == 0


def test_the_movement_must_belong_to_the_plan(users, plan, other_plan):
    officer = users["officer"]
    with pytest.raises(InvalidData) as error:
        s.save_nomination(officer, officer.unit, plan, other_plan.movements[0], person(), today=TODAY, **VALUES)
    assert "movement_id" in error.value.errors


def test_the_proposed_award_must_fit_the_plan_and_the_kind(users, plan, db):
    collective_only = db.session.scalar(select(AwardType).where(AwardType.regime == "2017", AwardType.code == "TTLDTT"))
    wrong_regime = db.session.scalar(select(AwardType).where(AwardType.regime == "2025", AwardType.code == "GIAY_KHEN"))
    for award in (collective_only, wrong_regime):
        with pytest.raises(InvalidData) as error:
            save(users, plan, proposed_award_type_id=award.id)
        assert "proposed_award_type_id" in error.value.errors
    good = db.session.scalar(select(AwardType).where(AwardType.regime == "2017", AwardType.code == "GIAY_KHEN"))
    nomination = save(users, plan, proposed_award_type_id=good.id, proposed_honour="")
    assert nomination.proposed_honour_label == "Giấy khen"


def test_collective_fields(users, plan):
    who = person(kind=CandidateKind.COLLECTIVE, name="Chi hội Phụ nữ tổ dân phố 3", gender=Gender.FEMALE)
    nomination = save(users, plan, who=who, submit=True)
    candidate = nomination.candidate
    assert candidate.kind is CandidateKind.COLLECTIVE and candidate.member_count == 42
    assert candidate.gender is None and candidate.birth_year is None  # not asked of a collective
    assert nomination.status is S.SUBMITTED


def test_the_search_key_follows_name_and_achievements(users, plan):
    nomination = save(users, plan, achievements="Hiến đất làm đường giao thông nông thôn")
    assert nomination.search_key == "nguyen van hoa hien dat lam duong giao thong nong thon"
    s.save_nomination(users["officer"], users["officer"].unit, plan, plan.movements[0], person(name="Nguyễn Văn Hoà"),
                      today=TODAY, nomination=nomination, **{**VALUES, "achievements": "Vận động hiến đất"})
    assert nomination.search_key == "nguyen van hoa van dong hien dat"


# --- same candidate again ----------------------------------------------------------------


def test_the_same_person_is_offered_not_duplicated(users, plan, db):
    first = save(users, plan)
    s.accept_nomination(users["committee"], s.submit_nomination(users["officer"], first, today=TODAY))
    commit()
    with pytest.raises(nomination_candidates.CandidateMatch) as offer:
        save(users, plan, who=person(name="nguyen  van HOA"))
    assert offer.value.candidate.id == first.candidate_id
    rollback()
    second = s.save_nomination(users["officer"], users["officer"].unit, plan, plan.movements[1],
                               person(name="nguyen van hoa", position="Bí thư chi bộ", gender=None, workplace=""),
                               today=TODAY, candidate_id=first.candidate_id, **VALUES)
    assert second.candidate_id == first.candidate_id
    assert second.candidate.full_name == "Nguyễn Văn Hòa"  # the registered spelling is kept
    assert second.candidate.position == "Bí thư chi bộ"  # details are brought up to date
    assert second.candidate.gender is Gender.MALE and second.candidate.workplace == "Tổ dân phố 5"  # not erased
    assert db.session.scalar(select(func.count(Candidate.id))) == 1


def test_the_offer_comes_with_the_other_errors(users, plan):
    save(users, plan)
    with pytest.raises(nomination_candidates.CandidateMatch) as offer:
        save(users, plan, who=person(name="NGUYEN VAN HOA"), votes_for=99)
    assert "votes_for" in offer.value.errors


def test_a_different_birth_year_or_unit_is_a_different_person(users, plan, db):
    save(users, plan)
    save(users, plan, who=person(birth_year=1980))
    officer_a2 = users["officer_a2"]
    s.save_nomination(officer_a2, officer_a2.unit, plan, plan.movements[0], person(), today=TODAY, **VALUES)
    assert db.session.scalar(select(func.count(Candidate.id))) == 3


def test_a_confirmed_candidate_of_another_unit_is_not_taken(users, plan, db):
    theirs = save(users, plan)
    officer_a2 = users["officer_a2"]
    mine = s.save_nomination(officer_a2, officer_a2.unit, plan, plan.movements[0], person(), today=TODAY,
                             candidate_id=theirs.candidate_id, **VALUES)
    assert mine.candidate_id != theirs.candidate_id and mine.candidate.unit_id == officer_a2.unit_id


def test_editing_a_draft_renames_its_own_candidate(users, plan, db):
    nomination = save(users, plan, who=person(name="Nguyen Van Hoa"))
    s.save_nomination(users["officer"], users["officer"].unit, plan, plan.movements[0], person(name="Nguyễn Văn Hòa"),
                      today=TODAY, nomination=nomination, expected_version=nomination.version, **VALUES)
    assert nomination.candidate.full_name == "Nguyễn Văn Hòa"
    assert db.session.scalar(select(func.count(Candidate.id))) == 1


def test_editing_into_another_registered_person_is_offered(users, plan, db):
    save(users, plan, who=person(name="Trần Thị Mai", gender=Gender.FEMALE, birth_year=1985))
    draft = save(users, plan)
    with pytest.raises(nomination_candidates.CandidateMatch):
        s.save_nomination(users["officer"], users["officer"].unit, plan, plan.movements[0],
                          person(name="Tran Thi Mai", gender=Gender.FEMALE, birth_year=1985), today=TODAY,
                          nomination=draft, **VALUES)


def test_a_candidate_with_history_is_not_renamed(users, plan, db):
    first = save(users, plan)
    draft = s.save_nomination(users["officer"], users["officer"].unit, plan, plan.movements[1], person(), today=TODAY,
                              candidate_id=first.candidate_id, **VALUES)
    s.save_nomination(users["officer"], users["officer"].unit, plan, plan.movements[1], person(name="Lê Văn Tám"),
                      today=TODAY, nomination=draft, **VALUES)
    assert first.candidate.full_name == "Nguyễn Văn Hòa"
    assert draft.candidate.full_name == "Lê Văn Tám" and draft.candidate_id != first.candidate_id


def test_only_drafts_and_returned_nominations_are_edited(users, plan):
    nomination = make_nomination(users["officer"], plan, status="submitted")
    with pytest.raises(WorkflowError):
        s.save_nomination(users["officer"], users["officer"].unit, plan, plan.movements[0], person(), today=TODAY,
                          nomination=nomination, **VALUES)


# --- files -------------------------------------------------------------------------------


def test_evidence_files_follow_the_report_rules(users, plan, db):
    nomination = save(users, plan, uploads=[Upload("bien-ban.pdf", io.BytesIO(pdf_bytes()))], category="minutes")
    files = db.session.scalars(select(Attachment).where(Attachment.nomination_id == nomination.id)).all()
    assert [(f.original_name, f.content_type, f.category) for f in files] == [("bien-ban.pdf", "application/pdf", "minutes")]
    with pytest.raises(InvalidData) as error:
        s.save_nomination(users["officer"], users["officer"].unit, plan, plan.movements[0], person(), today=TODAY,
                          nomination=nomination, uploads=[Upload("virus.pdf", io.BytesIO(b"MZ\x90\x00not a pdf"))],
                          **VALUES)
    assert "files" in error.value.errors
    s.remove_nomination_attachment(users["officer"], nomination, files[0])
    assert db.session.scalar(select(func.count(Attachment.id))) == 0


def test_files_cannot_be_removed_once_submitted(users, plan, db):
    nomination = save(users, plan, uploads=[Upload("bien-ban.pdf", io.BytesIO(pdf_bytes()))])
    s.submit_nomination(users["officer"], nomination, today=TODAY)
    attachment = db.session.scalar(select(Attachment))
    with pytest.raises(WorkflowError):
        s.remove_nomination_attachment(users["officer"], nomination, attachment)


# --- telling the ward --------------------------------------------------------------------


def test_a_return_notifies_the_officer_in_the_app_and_by_mail(app, users, plan, db, outbox):
    users["officer"].email = "officer_a1@example.test"
    nomination = make_nomination(users["officer"], plan, status="submitted")
    s.return_nomination(users["committee"], nomination, "Bổ sung biên bản họp", config=app.config)
    notice = db.session.scalar(select(Notification).where(Notification.user_id == users["officer"].id))
    assert notice.link == f"/nominations/{nomination.id}" and "Bổ sung biên bản họp" in notice.body
    mails = list(outbox.glob("*.eml"))
    assert len(mails) == 1
    text = mails[0].read_bytes().decode("utf-8", "replace")
    assert "officer_a1@example.test" in text


def test_a_failed_mail_does_not_undo_the_return(app, users, plan, db, monkeypatch):
    users["officer"].email = "officer_a1@example.test"
    monkeypatch.setitem(app.config, "MAIL_OUTBOX", "")  # neither SMTP nor an outbox: send() raises
    nomination = make_nomination(users["officer"], plan, status="submitted")
    s.return_nomination(users["committee"], nomination, "Bổ sung", config=app.config)
    assert nomination.status is S.RETURNED
    assert db.session.scalar(select(func.count(Notification.id))) == 1


def test_without_its_author_the_whole_ward_is_told(users, plan, db):
    nomination = make_nomination(users["officer"], plan, status="submitted")
    nomination.created_by_id = None
    s.return_nomination(users["committee"], nomination, "Bổ sung")
    assert db.session.scalar(select(Notification.user_id)) == users["officer"].id


# --- bulk --------------------------------------------------------------------------------


def test_bulk_accept_and_return(app, users, plan, db, outbox):
    users["officer"].email = "officer_a1@example.test"
    items = [make_nomination(users["officer"], plan, name=f"Người {i}", status="submitted") for i in range(3)]
    s.accept_nominations(users["committee"], items[:1])
    s.return_nominations(users["committee"], items[1:], "Bổ sung ảnh", config=app.config)
    assert [n.status for n in items] == [S.ACCEPTED, S.RETURNED, S.RETURNED]
    assert {n.review_comment for n in items[1:]} == {"Bổ sung ảnh"}
    assert db.session.scalar(select(func.count(Notification.id))) == 2  # one per nomination
    assert len(list(outbox.glob("*.eml"))) == 1  # one e-mail for the officer


def test_bulk_is_all_or_nothing(users, plan, db):
    ready = make_nomination(users["officer"], plan, name="Người 1", status="submitted")
    draft = make_nomination(users["officer"], plan, name="Người 2")
    with pytest.raises(WorkflowError):
        s.accept_nominations(users["committee"], [ready, draft])
    with pytest.raises(InvalidData):
        s.return_nominations(users["committee"], [ready], " ")
    with pytest.raises(DomainError):
        s.accept_nominations(users["committee"], [])
    assert ready.status is S.SUBMITTED and draft.status is S.DRAFT


# --- the queue's queries -----------------------------------------------------------------


def test_twins_across_units_and_within_one(users, plan, db):
    first = make_nomination(users["officer"], plan, status="submitted")
    again = make_nomination(users["officer"], plan, plan.movements[1], status="submitted")
    elsewhere = make_nomination(users["officer_a2"], plan, name="NGUYỄN VĂN HOÀ", status="submitted")
    different = make_nomination(users["officer_a2"], plan, name="Nguyễn Văn Hòa", birth_year=1990, status="submitted")
    make_nomination(users["officer_a2"], plan, name="Nguyen Van Hoa", birth_year=1972, status="withdrawn")
    twins = nomination_candidates.twins_of([first, different], visible_unit_ids(users["committee"]))
    assert {t.nomination_id for t in twins[first.id]} == {again.id, elsewhere.id}
    assert {t.same_unit for t in twins[first.id]} == {True, False}
    assert different.id not in twins
    # A ward officer only hears of their own unit's nominations.
    officer_view = nomination_candidates.twins_of([first], visible_unit_ids(users["officer"]))
    assert [t.nomination_id for t in officer_view[first.id]] == [again.id]


def test_search_ignores_diacritics_and_filters(users, plan, db):
    hoa = make_nomination(users["officer"], plan, status="submitted", achievements="Hiến đất làm đường")
    mai = make_nomination(users["officer_a2"], plan, name="Trần Thị Mai", kind="individual", status="accepted",
                          reviewer=users["committee"], achievements="Hộ kinh doanh giỏi")
    chi_hoi = make_nomination(users["officer"], plan, plan.movements[1], name="Chi hội Phụ nữ", kind="collective")
    visible = visible_unit_ids(users["committee"])

    def ids(**filters):
        return [n.id for n in db.session.scalars(queries.search_nominations(visible, **filters))]

    assert ids(text="hien dat") == [hoa.id]
    assert ids(text="HIẾN   Đất") == [hoa.id]
    assert ids(text="tran mai") == [mai.id]
    assert ids(text="%") == []
    assert set(ids(status="pending")) == {hoa.id}
    assert ids(status="accepted") == [mai.id]
    assert ids(kind=CandidateKind.COLLECTIVE) == [chi_hoi.id]
    assert ids(movement_id=plan.movements[1].id) == [chi_hoi.id]
    assert set(ids(unit=users["officer"].unit)) == {hoa.id, chi_hoi.id}
    assert ids(sort="name") == [chi_hoi.id, hoa.id, mai.id]
    assert ids(sort="newest")[-1] == chi_hoi.id  # never submitted: last
    assert set(ids(plan_id=plan.id)) == {hoa.id, mai.id, chi_hoi.id}
    assert ids() and not [n for n in db.session.scalars(queries.search_nominations(visible_unit_ids(users["committee_b"])))]


def test_the_candidate_record(users, plan, db):
    from tracker.candidates.services import add_award_record

    first = make_nomination(users["officer"], plan, status="accepted", reviewer=users["committee"])
    second = make_nomination(users["officer"], plan, plan.movements[1])
    award = db.session.scalar(select(AwardType).where(AwardType.regime == "2017", AwardType.code == "LDTT"))
    add_award_record(None, first.candidate, award, 2019)
    record = queries.candidate_record(second.candidate, visible_unit_ids(users["committee"]), exclude_id=second.id)
    assert [n.id for n in record.nominations] == [first.id]
    assert [(a.year, a.award_type.code) for a in record.awards] == [(2019, "LDTT")]
