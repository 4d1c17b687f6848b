"""The eligibility engine as plain unit tests: no Flask, no database."""
import pytest

from tracker.catalogue.regimes import regime_for
from tracker.rules.eligibility import check_eligibility, check_not_rewarded_twice, check_quota
from tracker.rules.facts import History, Result, YearFacts
from datetime import date


def person(**years):
    """person(y2018=dict(...)) -> History of an individual."""
    return History("individual", {int(k[1:]): YearFacts(year=int(k[1:]), **v) for k, v in years.items()})


def group(**years):
    return History("collective", {int(k[1:]): YearFacts(year=int(k[1:]), **v) for k, v in years.items()})


def results(checks):
    return [c.result for c in checks]


def verdict(checks):
    """The overall verdict: fail if any blocking check fails, unknown if any is unknown, else pass."""
    if any(c.result is Result.FAIL and c.blocking for c in checks):
        return Result.FAIL
    if any(c.result is not Result.PASS for c in checks):
        return Result.UNKNOWN
    return Result.PASS


# --- regimes -----------------------------------------------------------------------------

@pytest.mark.parametrize("day,regime", [
    (date(2019, 10, 15), "2017"), (date(2020, 4, 20), "2017"), (date(2023, 12, 31), "2017"),
    (date(2024, 1, 1), "2024"), (date(2025, 6, 30), "2024"), (date(2025, 7, 1), "2025"),
    (date(2026, 11, 25), "2025"), (date(2010, 1, 1), "2017"),
])
def test_regime_boundaries(day, regime):
    assert regime_for(day) == regime


# --- Lao động tiên tiến ------------------------------------------------------------------

@pytest.mark.parametrize("rating,expected", [
    ("excellent", Result.PASS), ("good", Result.PASS), ("completed", Result.FAIL), ("failed", Result.FAIL),
    (None, Result.UNKNOWN),
])
def test_ldtt_by_rating(rating, expected):
    checks = check_eligibility("LDTT", "individual", "V", person(y2019=dict(rating=rating)), 2019, "2017")
    assert verdict(checks) is expected


def test_ldtt_without_any_history_is_unknown_not_fail():
    checks = check_eligibility("LDTT", "individual", "V", person(), 2019, "2024")
    assert verdict(checks) is Result.UNKNOWN
    assert "2019" in checks[0].message and "Luật Thi đua, Khen thưởng số 06/2022/QH15" in checks[0].legal_basis


def test_threshold_can_be_raised_by_the_catalogue():
    history = person(y2019=dict(rating="good"))
    assert verdict(check_eligibility("LDTT", "individual", "V", history, 2019, "2017")) is Result.PASS
    raised = check_eligibility("LDTT", "individual", "V", history, 2019, "2017", {"min_rating": "excellent"})
    assert verdict(raised) is Result.FAIL


# --- Chiến sĩ thi đua cơ sở --------------------------------------------------------------

def test_cstdcs_2017_requires_an_initiative():
    without = person(y2019=dict(rating="excellent", awards=frozenset({"LDTT"})))
    with_one = person(y2019=dict(rating="good", awards=frozenset({"LDTT"}), initiative_level="grassroots"))
    assert verdict(check_eligibility("CSTDCS", "individual", "S", without, 2019, "2017")) is Result.UNKNOWN
    recorded_none = person(y2019=dict(rating="excellent", awards=frozenset({"LDTT"}), initiative_count=0))
    assert verdict(check_eligibility("CSTDCS", "individual", "S", recorded_none, 2019, "2017")) is Result.FAIL
    assert verdict(check_eligibility("CSTDCS", "individual", "S", with_one, 2019, "2017")) is Result.PASS


def test_cstdcs_2024_accepts_excellence_instead_of_an_initiative():
    history = person(y2024=dict(rating="excellent", awards=frozenset({"LDTT"}), initiative_count=0,
                                research_accepted=False))
    assert verdict(check_eligibility("CSTDCS", "individual", "S", history, 2024, "2024")) is Result.PASS


def test_cstdcs_needs_ldtt_the_same_year():
    history = person(y2019=dict(rating="excellent", initiative_level="grassroots"))
    checks = check_eligibility("CSTDCS", "individual", "S", history, 2019, "2017")
    assert verdict(checks) is Result.FAIL
    assert "Lao động tiên tiến" in checks[0].message


def test_two_awards_in_one_year_count_separately():
    history = person(y2019=dict(rating="excellent", awards=frozenset({"LDTT", "CSTDCS"}), initiative_level="grassroots"))
    assert verdict(check_eligibility("CSTDCS", "individual", "S", history, 2019, "2017")) is Result.PASS
    twice = check_not_rewarded_twice("CSTDCS", history, 2019, "2017")
    assert twice.result is Result.FAIL and twice.blocking
    assert check_not_rewarded_twice("CSTD_TINH", history, 2019, "2017").result is Result.PASS


@pytest.mark.parametrize("facts,requirement,result", [
    (dict(months_in_service=8), "months_in_service", Result.FAIL),
    (dict(months_in_service=10), "months_in_service", Result.PASS),
    (dict(leave_working_days=45), "leave", Result.FAIL),
    (dict(leave_working_days=39), "leave", Result.PASS),
])
def test_the_exclusions_from_an_annual_title_are_facts_that_warn(facts, requirement, result):
    history = person(y2019=dict(rating="good", **facts))
    checks = check_eligibility("LDTT", "individual", "V", history, 2019, "2017")
    check = [c for c in checks if c.requirement == requirement][0]
    assert check.result is result and check.confidence == "U" and not check.blocking
    assert verdict([c for c in checks if c.blocking]) is Result.PASS  # a warning, never a block


def test_exclusions_not_recorded_say_nothing():
    checks = check_eligibility("CSTDCS", "individual", "S", person(y2019=dict(rating="good")), 2019, "2017")
    assert not {c.requirement for c in checks} & {"months_in_service", "leave", "discipline"}


def test_discipline_in_the_year_only_warns():
    history = person(y2019=dict(rating="good", discipline="reprimand"))
    checks = check_eligibility("LDTT", "individual", "V", history, 2019, "2017")
    discipline = [c for c in checks if c.requirement == "discipline"][0]
    assert discipline.result is Result.FAIL and discipline.is_warning


# --- Chiến sĩ thi đua cấp tỉnh: streaks --------------------------------------------------

def _cstdcs(year, **extra):
    return dict(awards=frozenset({"LDTT", "CSTDCS"}), rating="excellent", **extra)


def test_cstd_tinh_three_consecutive_years():
    history = person(y2017=_cstdcs(2017), y2018=_cstdcs(2018), y2019=_cstdcs(2019, initiative_level="provincial"))
    assert verdict(check_eligibility("CSTD_TINH", "individual", "S", history, 2019, "2017")) is Result.PASS


def test_cstd_tinh_gap_year_fails_with_the_missing_year_named():
    history = person(y2017=_cstdcs(2017), y2018=dict(rating="good", awards=frozenset({"LDTT"})),
                     y2019=_cstdcs(2019, initiative_level="provincial"))
    checks = check_eligibility("CSTD_TINH", "individual", "S", history, 2019, "2017")
    streak = checks[0]
    assert streak.result is Result.FAIL
    assert "3 năm liên tục 2017–2019" in streak.message and "năm 2018 không có" in streak.message


def test_cstd_tinh_missing_year_is_unknown():
    history = person(y2017=_cstdcs(2017), y2019=_cstdcs(2019, initiative_level="provincial"))
    checks = check_eligibility("CSTD_TINH", "individual", "S", history, 2019, "2017")
    assert checks[0].result is Result.UNKNOWN and "2018" in checks[0].message


def test_cstd_tinh_needs_a_provincial_initiative():
    history = person(y2017=_cstdcs(2017, initiative_count=0), y2018=_cstdcs(2018, initiative_count=0),
                     y2019=_cstdcs(2019, initiative_level="grassroots"))
    checks = check_eligibility("CSTD_TINH", "individual", "S", history, 2019, "2017")
    assert [c.result for c in checks] == [Result.PASS, Result.FAIL]
    # Years whose initiatives were never recorded leave the question open.
    unrecorded = person(y2017=_cstdcs(2017), y2018=_cstdcs(2018), y2019=_cstdcs(2019, initiative_level="grassroots"))
    assert check_eligibility("CSTD_TINH", "individual", "S", unrecorded, 2019, "2017")[1].result is Result.UNKNOWN


def test_streak_length_is_configurable():
    history = person(y2018=_cstdcs(2018), y2019=_cstdcs(2019, initiative_level="provincial"))
    checks = check_eligibility("CSTD_TINH", "individual", "S", history, 2019, "2017", {"consecutive_years": 2})
    assert verdict(checks) is Result.PASS


def test_cstd_toan_quoc():
    history = person(**{f"y{y}": dict(rating="excellent") for y in range(2014, 2020)})
    history.years[2016] = YearFacts(2016, rating="excellent", awards=frozenset({"CSTD_TINH"}))
    history.years[2019] = YearFacts(2019, rating="excellent", awards=frozenset({"CSTD_TINH"}), initiative_level="national")
    assert verdict(check_eligibility("CSTD_TQ", "individual", "S", history, 2019, "2017")) is Result.PASS
    history.years[2016] = YearFacts(2016, rating="excellent")
    assert verdict(check_eligibility("CSTD_TQ", "individual", "S", history, 2019, "2017")) is Result.FAIL


def test_cstd_toan_quoc_needs_two_conferrals_in_a_row_not_any_two():
    """2014 and 2019 are two CSTĐ cấp tỉnh within six years, but 2017 was missed between them:
    not in a row (each conferral covers three years)."""
    history = person(**{f"y{y}": dict(rating="excellent", initiative_level="national") for y in range(2014, 2020)})
    history.years[2014] = YearFacts(2014, rating="excellent", awards=frozenset({"CSTD_TINH"}))
    history.years[2019] = YearFacts(2019, rating="excellent", awards=frozenset({"CSTD_TINH"}), initiative_level="national")
    streak = check_eligibility("CSTD_TQ", "individual", "S", history, 2019, "2017")[0]
    assert streak.result is Result.FAIL and "2014, 2019" in streak.message
    # The later one must be recent: 2013 and 2016, then nothing since, is no ground in 2019.
    old = person(**{f"y{y}": dict(rating="excellent") for y in range(2013, 2020)})
    for y in (2013, 2016):
        old.years[y] = YearFacts(y, rating="excellent", awards=frozenset({"CSTD_TINH"}))
    assert check_eligibility("CSTD_TQ", "individual", "S", old, 2019, "2017")[0].result is Result.FAIL
    # Years not recorded leave it open.
    sparse = person(y2019=dict(rating="excellent", awards=frozenset({"CSTD_TINH"}), initiative_level="national"))
    assert check_eligibility("CSTD_TQ", "individual", "S", sparse, 2019, "2017")[0].result is Result.UNKNOWN


def test_an_initiative_whose_level_was_not_recorded_is_not_no_initiative():
    counted = person(y2019=dict(rating="good", awards=frozenset({"LDTT"}), initiative_count=2))
    checks = check_eligibility("CSTDCS", "individual", "S", counted, 2019, "2017")
    initiative = [c for c in checks if c.requirement == "initiative"][0]
    assert initiative.result is Result.UNKNOWN  # two initiatives, level unknown: never "no initiative"
    none = person(y2019=dict(rating="good", awards=frozenset({"LDTT"}), initiative_count=0))
    assert [c for c in check_eligibility("CSTDCS", "individual", "S", none, 2019, "2017")
            if c.requirement == "initiative"][0].result is Result.FAIL
    level = person(y2019=dict(rating="good", awards=frozenset({"LDTT"}), initiative_count=1,
                              initiative_level="grassroots"))
    assert verdict(check_eligibility("CSTDCS", "individual", "S", level, 2019, "2017")) is Result.PASS


def test_a_campaign_award_never_blocks_the_years_own_and_is_given_once_per_campaign():
    campaign = person(y2019=dict(rating="excellent", awards=frozenset({"GIAY_KHEN"}),
                                 campaign_awards=frozenset({("GIAY_KHEN", 7)})))
    # The year's own Giấy khen is another achievement: not blocked by the campaign's.
    assert check_not_rewarded_twice("GIAY_KHEN", campaign, 2019, "2017").result is Result.PASS
    # The same campaign cannot reward the same achievement twice; another campaign may.
    assert check_not_rewarded_twice("GIAY_KHEN", campaign, 2019, "2017", plan_id=7).result is Result.FAIL
    assert check_not_rewarded_twice("GIAY_KHEN", campaign, 2019, "2017", plan_id=8).result is Result.PASS
    annual = person(y2019=dict(rating="excellent", awards=frozenset({"GIAY_KHEN"})))
    assert check_not_rewarded_twice("GIAY_KHEN", annual, 2019, "2017").result is Result.FAIL
    assert check_not_rewarded_twice("GIAY_KHEN", annual, 2019, "2017", plan_id=7).result is Result.PASS
    # A title (danh hiệu) is always the year's: a plan does not make LĐTT a campaign award.
    ldtt = person(y2019=dict(rating="good", awards=frozenset({"LDTT"})))
    assert check_not_rewarded_twice("LDTT", ldtt, 2019, "2017", plan_id=7).result is Result.FAIL


def test_hcld3_chain_on_the_prime_ministers_bang_khen_only_warns():
    years = {f"y{y}": dict(rating="excellent", initiative_count=1) for y in range(2013, 2020)}
    years["y2013"] = dict(rating="excellent", awards=frozenset({"BK_TTG"}))
    history = person(**years)
    checks = check_eligibility("HCLD3", "both", "U", history, 2019, "2017")
    assert verdict(checks) is Result.PASS and {c.confidence for c in checks} == {"U"}
    history.years[2013] = YearFacts(2013, rating="excellent")
    failed = check_eligibility("HCLD3", "both", "U", history, 2019, "2017")
    assert failed[0].result is Result.FAIL and failed[0].is_warning and not any(c.blocking for c in failed)
    assert check_eligibility("HCLD3", "both", "U", person(), 2019, "2017")[0].result is Result.UNKNOWN


# --- Bằng khen ---------------------------------------------------------------------------

def test_bk_tinh_by_two_cstdcs_years():
    history = person(y2018=_cstdcs(2018), y2019=_cstdcs(2019))
    assert verdict(check_eligibility("BK_TINH", "both", "V", history, 2019, "2017")) is Result.PASS


def test_bk_tinh_by_excellence_and_two_initiatives():
    history = person(y2018=dict(rating="excellent", initiative_count=1, awards=frozenset({"LDTT"})),
                     y2019=dict(rating="excellent", initiative_count=1, awards=frozenset({"LDTT"})))
    assert verdict(check_eligibility("BK_TINH", "both", "V", history, 2019, "2017")) is Result.PASS
    history.years[2019] = YearFacts(2019, rating="excellent", initiative_count=0, awards=frozenset({"LDTT"}))
    assert verdict(check_eligibility("BK_TINH", "both", "V", history, 2019, "2017")) is Result.FAIL


def test_bk_tinh_for_a_collective_is_a_warning_only():
    checks = check_eligibility("BK_TINH", "both", "V", group(), 2019, "2017")
    assert all(c.is_warning for c in checks if c.result is not Result.PASS)


def test_bk_ttg_2017_needs_provincial_bang_khen_and_five_excellent_years():
    years = {f"y{y}": dict(rating="excellent", initiative_count=1) for y in range(2015, 2020)}
    years["y2014"] = dict(rating="excellent", initiative_count=1, awards=frozenset({"BK_TINH"}))
    history = person(**years)
    assert verdict(check_eligibility("BK_TTG", "both", "V", history, 2019, "2017")) is Result.PASS
    history.years[2017] = YearFacts(2017, rating="good", initiative_count=1)
    checks = check_eligibility("BK_TTG", "both", "V", history, 2019, "2017")
    assert verdict(checks) is Result.FAIL and "2017" in checks[1].message


def test_bk_ttg_2017_wants_the_provincial_bang_khen_before_the_five_years():
    """The five excellent years are those *after* the provincial Bằng khen: one received inside
    them does not count."""
    years = {f"y{y}": dict(rating="excellent", initiative_count=1) for y in range(2014, 2020)}
    years["y2016"] = dict(rating="excellent", initiative_count=1, awards=frozenset({"BK_TINH"}))
    checks = check_eligibility("BK_TTG", "both", "V", person(**years), 2019, "2017")
    assert checks[0].result is Result.FAIL and "2016" in checks[0].message
    nothing_before = {k: v for k, v in years.items() if k != "y2014"}
    assert check_eligibility("BK_TTG", "both", "V", person(**nothing_before), 2019, "2017")[0].result is Result.UNKNOWN


def test_bk_ttg_under_the_current_regime_is_unverified_and_only_warns():
    checks = check_eligibility("BK_TTG", "both", "V", person(), 2025, "2025")
    assert verdict(checks) is Result.UNKNOWN and all(c.is_warning for c in checks)


# --- collectives -------------------------------------------------------------------------

def test_ttldtt_more_than_half_ldtt():
    assert verdict(check_eligibility("TTLDTT", "collective", "V", group(
        y2019=dict(members_total=20, members_ldtt=11, members_disciplined=0)), 2019, "2017")) is Result.PASS
    checks = check_eligibility("TTLDTT", "collective", "V", group(
        y2019=dict(members_total=20, members_ldtt=10, members_disciplined=0)), 2019, "2017")
    assert verdict(checks) is Result.FAIL and "10/20" in checks[0].message  # exactly half is not "more than"


def test_ttldtt_discipline_fails():
    checks = check_eligibility("TTLDTT", "collective", "V", group(
        y2019=dict(members_total=20, members_ldtt=15, members_disciplined=1)), 2019, "2017")
    assert results(checks) == [Result.PASS, Result.FAIL]


def test_ttldxs():
    good = dict(members_total=10, members_completed=10, members_ldtt=7, members_cstdcs=1, members_disciplined=0)
    assert verdict(check_eligibility("TTLDXS", "collective", "S", group(y2019=good), 2019, "2017")) is Result.PASS
    for change in ({"members_completed": 9}, {"members_ldtt": 6}, {"members_cstdcs": 0}, {"members_disciplined": 2}):
        assert verdict(check_eligibility("TTLDXS", "collective", "S", group(y2019={**good, **change}),
                                         2019, "2017")) is Result.FAIL, change
    assert verdict(check_eligibility("TTLDXS", "collective", "S", group(), 2019, "2017")) is Result.UNKNOWN


def test_individual_title_refused_to_a_collective():
    checks = check_eligibility("LDTT", "individual", "V", group(), 2019, "2017")
    assert verdict(checks) is Result.FAIL and checks[0].requirement == "recipient"


def test_unverified_award_without_rules_warns():
    checks = check_eligibility("CO_TINH", "collective", "U", group(), 2019, "2017")
    assert verdict(checks) is Result.UNKNOWN and checks[0].is_warning


def test_qualitative_award_passes():
    assert verdict(check_eligibility("GIAY_KHEN", "both", "V", person(), 2019, "2017")) is Result.PASS


# --- quota -------------------------------------------------------------------------------

@pytest.mark.parametrize("ldtt,awarded,proposed,expected", [
    (20, 0, 3, Result.PASS),  # 15% of 20 = 3
    (20, 1, 3, Result.FAIL),
    (10, 0, 2, Result.PASS),  # 1.5 rounds to 2
    (9, 0, 2, Result.FAIL),  # 1.35 rounds to 1
    (None, 0, 1, Result.UNKNOWN),
])
def test_cstdcs_quota_2017(ldtt, awarded, proposed, expected):
    check = check_quota("CSTDCS", "2017", None, ldtt, awarded, proposed, "S")
    assert check.result is expected and check.blocking


def test_quota_after_2024_only_warns():
    check = check_quota("CSTDCS", "2025", None, 20, 0, 5, "S")
    assert check.result is Result.FAIL and check.is_warning


def test_quota_percent_is_configurable_and_other_awards_have_none():
    assert check_quota("CSTDCS", "2017", {"quota_percent": 30}, 10, 0, 3, "S").result is Result.PASS
    assert check_quota("LDTT", "2017", None, 10, 0, 30, "V") is None


def test_already_awarded_nomination_is_not_rewarded_twice():
    check = check_not_rewarded_twice("BK_TINH", person(), 2019, "2017", nomination_already_awarded=True)
    assert check.result is Result.FAIL and "Điều 5" in check.legal_basis


def test_one_achievement_is_rewarded_once_and_two_achievements_of_a_year_each_may_be():
    """Law art. 5 on the achievement, not on (award, year): the same named achievement may not get
    a second form; another achievement of the same year may be rewarded too."""
    from tracker.rules.eligibility import achievement_key

    road = achievement_key("Vận động hiến đất làm đường", 1, 1, 2015, 2019)
    history = person(y2019=dict(rating="excellent", awards=frozenset({"GIAY_KHEN"})))
    history.rewarded = frozenset({(road, "GIAY_KHEN", 11)})
    same = check_not_rewarded_twice("BK_TINH", history, 2019, "2017", achievement=achievement_key(
        "  VẬN ĐỘNG hiến đất làm đường ", 2, 2, 2019, 2019), nomination_id=12)
    assert same.result is Result.FAIL and "Giấy khen" in same.message  # case, spaces, diacritics aside
    other = check_not_rewarded_twice("GIAY_KHEN", history, 2019, "2017",
                                     achievement=achievement_key("Cứu người đuối nước", 1, 1, 2019, 2019))
    assert other.result is Result.PASS  # another achievement of the same year
    # Its own award (the nomination decided) is no second reward.
    assert check_not_rewarded_twice("GIAY_KHEN", history, 2019, "2017", achievement=road,
                                    nomination_id=11).result is Result.PASS
    # Without a name the achievement is the campaign's work: plan, movement and period.
    assert achievement_key("", 1, 2, 2015, 2019) == achievement_key(" ", 1, 2, 2015, 2019) != \
        achievement_key("", 1, 3, 2015, 2019)
