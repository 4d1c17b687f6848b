"""No lost update on a nomination and its candidate: a form from before someone else's save is refused.

The candidate carries its own version, in every nomination form of the person: a change of its
details through one nomination makes every other form showing the old details stale.
"""
import pytest
from sqlalchemy import select

from tracker.nominations import validation
from tests.editing import assert_conflict, hidden, open_form, session_of
from tests.factories import make_nomination
from tests.nominations.conftest import TODAY
from tracker.errors import ConflictError
from tracker.nominations import services as s
from tracker.candidates.models import CandidateKind, Gender
from tracker.nominations.models import Nomination
from tracker.commit import commit


@pytest.fixture(autouse=True)
def _today(app, monkeypatch):
    monkeypatch.setitem(app.config, "TRACKER_TODAY", "2020-04-10")


def person(**values):
    details = {"gender": Gender.MALE, "birth_year": 1972, "position": "Tổ trưởng tổ dân phố",
               "workplace": "Tổ dân phố 5", **values}
    return validation.CandidateInput(kind=CandidateKind.INDIVIDUAL, full_name="Nguyễn Văn Hòa", **details)


def edit(users, nomination, who, version, candidate_version, movement=None, **values):
    officer = users["officer"]
    return s.save_nomination(officer, officer.unit, nomination.plan, movement or nomination.movement, who,
                             today=TODAY, nomination=nomination, expected_version=version,
                             expected_candidate_version=candidate_version, **values)


def form_data(plan, version, candidate_version, **overrides):
    data = {
        "version": version, "candidate_version": candidate_version, "candidate_id": "",
        "plan_id": str(plan.id), "movement_id": str(plan.movements[0].id), "kind": "individual",
        "full_name": "Nguyễn Văn Hòa", "gender": "male", "birth_year": "1972", "position": "Tổ trưởng tổ dân phố",
        "workplace": "Tổ dân phố 5", "member_count": "", "achievements": "Vận động nhân dân hiến đất làm đường.",
        "period_start_year": "2015", "period_end_year": "2020", "meeting_date": "2020-03-10",
        "members_present": "25", "votes_for": "23", "proposed_award_type_id": "", "proposed_honour": "",
        "category": "achievements", "save": "y",
    }
    return {**data, **overrides}


# --- services ----------------------------------------------------------------------------


def test_a_change_of_the_candidate_alone_makes_the_other_form_stale(users, plan):
    nomination = make_nomination(users["officer"], plan)
    opened, candidate_opened = nomination.version, nomination.candidate.version
    edit(users, nomination, person(position="Bí thư chi bộ"), opened, candidate_opened)
    assert nomination.version == opened  # nothing of the nomination itself changed
    assert nomination.candidate.version == candidate_opened + 1
    with pytest.raises(ConflictError):
        edit(users, nomination, person(workplace="Tổ dân phố 7"), opened, candidate_opened)
    assert (nomination.candidate.position, nomination.candidate.workplace) == ("Bí thư chi bộ", "Tổ dân phố 5")


def test_the_candidate_changed_through_another_nomination_of_the_person(users, plan):
    first = make_nomination(users["officer"], plan, movement=plan.movements[0])
    second = make_nomination(users["officer"], plan, movement=plan.movements[1])
    assert first.candidate_id == second.candidate_id
    opened_second = (second.version, second.candidate.version)
    edit(users, first, person(position="Bí thư chi bộ"), first.version, first.candidate.version)
    with pytest.raises(ConflictError):
        edit(users, second, person(workplace="Tổ dân phố 7"), *opened_second)
    assert (first.candidate.position, first.candidate.workplace) == ("Bí thư chi bộ", "Tổ dân phố 5")


def test_a_stale_nomination_version_is_refused_before_the_candidate_is_touched(users, plan):
    nomination = make_nomination(users["officer"], plan)
    opened = (nomination.version, nomination.candidate.version)
    edit(users, nomination, person(), *opened, achievements="Thành tích đã sửa.")
    with pytest.raises(ConflictError):
        edit(users, nomination, person(position="Bí thư chi bộ"), *opened)
    assert nomination.candidate.position == "Tổ trưởng tổ dân phố" and nomination.candidate.version == opened[1]


# --- over HTTP: two sessions open the same form ------------------------------------------


def test_two_sessions_edit_the_candidate_of_the_same_nomination(app, users, plan, db):
    nomination = make_nomination(users["officer"], plan)
    commit()
    first, second = session_of(app, users["officer"]), session_of(app, users["officer"])
    url = f"/nominations/{nomination.id}/edit"
    page = open_form(first, url)
    mine = (hidden(page), hidden(page, "candidate_version"))
    page = open_form(second, url)
    theirs = (hidden(page), hidden(page, "candidate_version"))
    assert first.post(url, data=form_data(plan, *mine, position="Bí thư chi bộ")).status_code == 302
    response = second.post(url, data=form_data(plan, *theirs, workplace="Tổ dân phố 7"))
    assert_conflict(response, 'value="Tổ dân phố 7"')
    db.session.expire_all()
    candidate = db.session.get(Nomination, nomination.id).candidate
    assert (candidate.position, candidate.workplace) == ("Bí thư chi bộ", "Tổ dân phố 5")


def test_two_sessions_edit_the_same_nomination(app, users, plan, db):
    nomination = make_nomination(users["officer"], plan)
    commit()
    first, second = session_of(app, users["officer"]), session_of(app, users["officer"])
    url = f"/nominations/{nomination.id}/edit"
    page = open_form(first, url)
    mine = (hidden(page), hidden(page, "candidate_version"))
    page = open_form(second, url)
    theirs = (hidden(page), hidden(page, "candidate_version"))
    assert first.post(url, data=form_data(plan, *mine, votes_for="24")).status_code == 302
    response = second.post(url, data=form_data(plan, *theirs, achievements="Thành tích của người thứ hai."))
    assert_conflict(response, "Thành tích của người thứ hai.")
    db.session.expire_all()
    stored = db.session.scalar(select(Nomination).where(Nomination.id == nomination.id))
    assert stored.votes_for == 24 and stored.achievements == "Vận động nhân dân hiến đất làm đường."
