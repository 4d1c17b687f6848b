"""No lost update on the award catalogue's thresholds and a candidate's yearly history."""
from tracker.candidates import services as candidates
from datetime import date

import pytest
from sqlalchemy import select

from tests.editing import assert_conflict, hidden, open_form, session_of
from tests.factories import make_accepted_nomination, make_plan
from tracker.candidates.models import CandidateYear, Rating
from tracker.catalogue import services as catalogue_services
from tracker.catalogue.models import AwardType
from tracker.errors import ConflictError
from tracker.extensions import db
from tracker.commit import commit


@pytest.fixture
def award(users):
    catalogue_services.load_catalogue(None)
    commit()
    return db.session.scalar(select(AwardType).where(AwardType.code == "BK_TINH", AwardType.regime == "2017"))


@pytest.fixture
def candidate(tree, users):
    plan = make_plan(tree["city_a"], number="156/KH-UBND")
    nomination = make_accepted_nomination(plan, tree["ward_a1"], "Nguyễn Văn Hòa")
    commit()
    return nomination.candidate


def _year(candidate, year):
    db.session.expire_all()
    return db.session.scalar(select(CandidateYear).where(CandidateYear.candidate_id == candidate.id,
                                                         CandidateYear.year == year))


def _year_form(version, year=2019, opened_year="", **values):
    data = {"version": version, "opened_year": opened_year, "year": str(year), "rating": "", "initiative_level": "",
            "initiative_title": "", "initiative_count": "", "research_accepted": "", "discipline": "", "note": ""}
    return {**data, **values}


# --- services ----------------------------------------------------------------------------


def _streak_change(award, **params):
    from tracker.catalogue.services import rules_in_force

    row = rules_in_force(award, date(2020, 1, 1))["cstdcs_or_excellent"]
    return {"cstdcs_or_excellent": {"params": params, "legal_basis": row.legal_basis, "confidence": row.confidence}}


def _in_force(award):
    return catalogue_services.params_of(catalogue_services.rules_in_force(award, date(2021, 1, 1)), award)


def test_rules_saved_from_a_stale_version_are_refused(users, award):
    opened = award.version
    catalogue_services.add_rule_version(users["admin_root"], award, date(2020, 6, 1),
                                        _streak_change(award, consecutive_years=3), expected_version=opened)
    with pytest.raises(ConflictError):
        catalogue_services.add_rule_version(users["admin_root"], award, date(2020, 6, 1),
                                            _streak_change(award, initiatives=4), expected_version=opened)
    assert _in_force(award) == {"consecutive_years": 3, "initiatives": 2}


def test_a_year_saved_from_a_stale_version_is_refused(users, candidate):
    officer = users["officer"]
    row = candidates.save_candidate_year(officer, candidate, 2019, expected_version=0, rating=Rating.COMPLETED)
    opened = row.version
    candidates.save_candidate_year(officer, candidate, 2019, expected_version=opened, rating=Rating.EXCELLENT)
    with pytest.raises(ConflictError):
        candidates.save_candidate_year(officer, candidate, 2019, expected_version=opened, note="Ghi chú")
    with pytest.raises(ConflictError):  # a form for a new year, and the year is recorded meanwhile
        candidates.save_candidate_year(officer, candidate, 2019, expected_version=0, rating=Rating.GOOD)
    assert (row.rating, row.note, row.version) == (Rating.EXCELLENT, "", opened + 1)
    # Without a form version (an import of history), the year is simply brought up to date.
    candidates.save_candidate_year(officer, candidate, 2019, rating=Rating.GOOD)
    assert row.rating is Rating.GOOD


# --- over HTTP: two sessions open the same form ------------------------------------------


def _rules_form(version, **values):
    data = {"version": version, "valid_from": "01/06/2020", "note": "",
            "cstdcs_or_excellent-consecutive_years": "2", "cstdcs_or_excellent-initiatives": "2",
            "cstdcs_or_excellent-legal_basis": "Điều 72 Luật Thi đua, Khen thưởng",
            "cstdcs_or_excellent-confidence": "V", "not_twice-legal_basis": "Điều 5 Luật Thi đua, Khen thưởng",
            "not_twice-confidence": "V",
            "council_vote-approval_percent": "50", "council_vote-approval_inclusive": "0",
            "council_vote-ballot_required": "0", "council_vote-legal_basis": "Điều 90 Luật Thi đua, Khen thưởng",
            "council_vote-confidence": "U"}
    return {**data, **values}


def test_two_sessions_edit_the_same_rules(app, users, award):
    first, second = session_of(app, users["admin_root"]), session_of(app, users["admin_root"])
    url = f"/awards/catalogue/{award.id}"
    mine, theirs = hidden(open_form(first, url)), hidden(open_form(second, url))
    assert first.post(url, data=_rules_form(mine, **{"cstdcs_or_excellent-consecutive_years": "3"})).status_code == 302
    response = second.post(url, data=_rules_form(theirs, **{"cstdcs_or_excellent-initiatives": "4"}))
    assert_conflict(response, 'value="4"')
    db.session.expire_all()
    assert _in_force(db.session.get(AwardType, award.id)) == {"consecutive_years": 3, "initiatives": 2}


def test_two_sessions_edit_the_same_year(app, users, candidate):
    candidates.save_candidate_year(users["officer"], candidate, 2019, rating=Rating.COMPLETED,
                                 initiative_title="Sổ tay tổ dân phố")
    commit()
    first, second = session_of(app, users["officer"]), session_of(app, users["committee"])
    listing = open_form(first, f"/awards/candidates/{candidate.id}")
    assert 'data-testid="edit-year"' in listing and hidden(listing) == "0"  # the blank form: a new year
    url = f"/awards/candidates/{candidate.id}?year=2019"
    page = open_form(first, url)
    assert 'value="Sổ tay tổ dân phố"' in page and 'selected value="completed"' in page
    mine, theirs = hidden(page), hidden(open_form(second, url))
    post = f"/awards/candidates/{candidate.id}/years"
    assert first.post(post, data=_year_form(mine, opened_year="2019", rating="excellent")).status_code == 302
    response = second.post(post, data=_year_form(theirs, opened_year="2019", rating="completed",
                                                 note="Ghi chú của người thứ hai"))
    assert_conflict(response, "Ghi chú của người thứ hai")
    row = _year(candidate, 2019)
    assert (row.rating, row.note) == (Rating.EXCELLENT, "")


def test_two_sessions_record_the_same_new_year(app, users, candidate):
    first, second = session_of(app, users["officer"]), session_of(app, users["officer"])
    page = f"/awards/candidates/{candidate.id}"
    mine, theirs = hidden(open_form(first, page)), hidden(open_form(second, page))
    post = f"/awards/candidates/{candidate.id}/years"
    assert first.post(post, data=_year_form(mine, 2020, rating="good")).status_code == 302
    response = second.post(post, data=_year_form(theirs, 2020, rating="excellent", initiative_title="Sáng kiến B"))
    assert_conflict(response, 'value="Sáng kiến B"')
    assert _year(candidate, 2020).rating is Rating.GOOD
    # An edit form whose year is changed to another recorded year is a new-year form for it: refused too.
    version = hidden(open_form(first, page + "?year=2020"))
    candidates.save_candidate_year(users["officer"], candidate, 2021, rating=Rating.GOOD)
    commit()
    response = first.post(post, data=_year_form(version, 2021, opened_year="2020", rating="failed"))
    assert_conflict(response)
    assert _year(candidate, 2021).rating is Rating.GOOD
