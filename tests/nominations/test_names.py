"""Finding the same person again: names compared without case, diacritics or extra spaces."""
import unicodedata

import pytest

from tracker.candidates.models import CandidateKind, Gender
from tracker.candidates.services import create_candidate, find_candidate, name_key
from tracker.nominations.candidates import search_key_of

HOA = "Nguyễn Văn Hòa"


@pytest.mark.parametrize("typed", [
    "Nguyễn Văn Hòa",
    "nguyen van hoa",
    "NGUYỄN VĂN HÒA",
    "Nguyễn Văn Hoà",  # the tone mark on the other vowel (old style)
    "  Nguyễn   Văn\tHòa ",
    "Nguyễn\u00a0Văn Hòa",  # a non-breaking space pasted from a Word file
    unicodedata.normalize("NFD", "Nguyễn Văn Hòa"),  # decomposed, as some keyboards type it
    "nguyễn văn hòa",
])
def test_the_same_name_however_typed(typed):
    assert name_key(typed) == "nguyen van hoa"


def test_d_with_stroke_and_other_letters():
    assert name_key("Đặng Thị Đào") == "dang thi dao"
    assert name_key("Hợp tác xã nông nghiệp Thủy Biều") == "hop tac xa nong nghiep thuy bieu"
    assert name_key("Lê Ư Ơ Ă Â Ê Ô") == "le u o a a e o"
    assert name_key("") == "" and name_key(None) == ""


def test_different_names_stay_different():
    assert name_key("Nguyễn Văn Hòa") != name_key("Nguyễn Văn Hoà Bình")
    assert name_key("Lê Thị Hà") != name_key("Lê Thị Hạnh")


def test_search_key_joins_name_and_achievements():
    assert search_key_of("Trần Thị Mai", "Hộ kinh doanh  giỏi") == "tran thi mai ho kinh doanh gioi"


@pytest.mark.parametrize("typed,year,found", [
    ("nguyen van hoa", 1972, True),
    ("NGUYỄN  VĂN HOÀ", 1972, True),
    ("Nguyễn Văn Hòa", 1973, False),
    ("Nguyễn Văn Hòa", None, False),
    ("Nguyễn Văn Hải", 1972, False),
])
def test_find_candidate_by_name_year_and_unit(tree, typed, year, found):
    registered = create_candidate(None, CandidateKind.INDIVIDUAL, HOA, tree["ward_a1"], birth_year=1972,
                                  gender=Gender.MALE)
    match = find_candidate(CandidateKind.INDIVIDUAL, typed, year, tree["ward_a1"])
    assert (match is registered) if found else match is None
    # Another unit, or a collective of the same name, is someone else.
    assert find_candidate(CandidateKind.INDIVIDUAL, typed, year, tree["ward_a2"]) is None
    assert find_candidate(CandidateKind.COLLECTIVE, typed, year, tree["ward_a1"]) is None


def test_collectives_match_without_a_birth_year(tree):
    chi_hoi = create_candidate(None, CandidateKind.COLLECTIVE, "Chi hội Phụ nữ tổ dân phố 3", tree["ward_a1"],
                               member_count=42)
    assert find_candidate(CandidateKind.COLLECTIVE, "chi hoi phu nu to dan pho 3", None, tree["ward_a1"]) is chi_hoi
