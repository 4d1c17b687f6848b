"""Nomination predicates: role x whose nomination, without HTTP."""
import pytest

from tests.factories import make_nomination
from tracker import permissions as p

OWNERS = {"own": "officer", "neighbour": "officer_a2", "other_city": "officer_b"}


@pytest.mark.parametrize("role,owner,view,edit,review", [
    ("officer", "own", True, True, False),
    ("officer", "neighbour", False, False, False),
    ("officer", "other_city", False, False, False),
    ("committee", "own", True, False, True),
    ("committee", "neighbour", True, False, True),
    ("committee", "other_city", False, False, False),
    ("leader", "own", True, False, False),
    ("leader", "other_city", False, False, False),
    ("admin", "own", True, False, False),
    ("committee_b", "other_city", True, False, True),
])
def test_nomination_predicates(users, plan, other_plan, role, owner, view, edit, review):
    officer = users[OWNERS[owner]]
    nomination = make_nomination(officer, other_plan if owner == "other_city" else plan)
    user = users[role]
    assert p.can_view_nomination(user, nomination) is view
    assert p.can_edit_nomination(user, nomination) is edit
    assert p.can_review_nomination(user, nomination) is review


@pytest.mark.parametrize("role,nominate,review", [
    ("officer", True, False), ("committee", False, True), ("leader", False, False), ("admin", False, False),
])
def test_who_nominates_and_who_reviews(users, role, nominate, review):
    assert p.can_nominate(users[role]) is nominate
    assert p.can_review_nominations(users[role]) is review
    assert p.can_list_nominations(users[role]) is True
