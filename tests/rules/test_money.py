"""The reward money: a multiple of the base salary in force on the decision's day, rounded up to
ten thousand đồng, with its confidence."""
from datetime import date

from tracker.rules.money import base_salary_on, reward, round_up


def test_the_base_salary_follows_its_decrees():
    assert base_salary_on(date(2020, 4, 25)).amount == 1_490_000
    assert base_salary_on(date(2023, 6, 30)).amount == 1_490_000
    assert base_salary_on(date(2023, 7, 1)).amount == 1_800_000
    assert base_salary_on(date(2024, 6, 30)).amount == 1_800_000
    assert base_salary_on(date(2024, 7, 1)).amount == 2_340_000
    assert base_salary_on(date(2016, 1, 1)) is None


def test_the_same_award_across_a_base_salary_change():
    before = reward("CSTDCS", "2024", "individual", date(2024, 6, 30))
    after = reward("CSTDCS", "2024", "individual", date(2024, 7, 1))
    assert (before.amount, after.amount) == (1_800_000, 2_340_000)
    assert after.base.instrument == "Nghị định 73/2024/NĐ-CP"


def test_amounts_are_rounded_up_to_ten_thousand():
    # LĐTT: 0,3 × 1.490.000 = 447.000 -> 450.000; 0,3 × 2.340.000 = 702.000 -> 710.000
    assert reward("LDTT", "2017", "individual", date(2020, 4, 25)).amount == 450_000
    assert reward("LDTT", "2025", "individual", date(2025, 12, 1)).amount == 710_000
    # TTLĐTT: 0,8 × 1.800.000 = 1.440.000 stays
    assert reward("TTLDTT", "2024", "collective", date(2024, 1, 15)).amount == 1_440_000
    assert round_up(1_440_000) == 1_440_000 and round_up(1_440_001) == 1_450_000


def test_confidence_is_the_weakest_part():
    verified = reward("CSTD_TINH", "2025", "individual", date(2025, 9, 1))
    assert verified.multiple == 3.0 and verified.amount == 7_020_000 and verified.confidence == "S"
    older = reward("CSTD_TINH", "2017", "individual", date(2020, 4, 25))
    assert older.confidence == "U" and older.amount == 4_470_000
    assert "3 × 1.490.000 đ" in older.basis


def test_a_form_for_the_other_kind_or_unknown_carries_no_money():
    flag = reward("CO_TINH", "2025", "individual", date(2025, 9, 1))
    assert flag.amount == 0 and not flag.known
    assert reward("GIAY_KHEN", "2017", "collective", date(2020, 4, 25)).amount == 900_000
