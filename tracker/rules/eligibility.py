"""Eligibility of a candidate for a title or form of commendation, per legal regime.

Every function is pure: it reads a History (plain data) and thresholds, and returns Checks with
a verdict (pass / fail / unknown), a Vietnamese explanation and the legal basis. Missing history
gives "unknown", never "fail". A rule the catalogue marks unverified ("U") only ever warns.
"""
from tracker.rules.facts import (
    INITIATIVE_ORDER,
    RATING_ORDER,
    Check,
    History,
    Result,
)

BASIS = {
    "2017": "Luật Thi đua, Khen thưởng 2003 (sửa đổi, bổ sung 2013); Nghị định 91/2017/NĐ-CP",
    "2024": "Luật Thi đua, Khen thưởng số 06/2022/QH15; Nghị định 98/2023/NĐ-CP",
    "2025": "Luật Thi đua, Khen thưởng số 06/2022/QH15; Nghị định 152/2025/NĐ-CP",
}
# Where a requirement's article is known, its first version cites it: {(regime, code,
# requirement or "*" for every requirement of the award): basis}.
# Only articles read in a copy of the text are cited, or those its numbering leaves no doubt about
# (Điều 22 between the national and the grassroots CSTĐ, Điều 74 between the Prime Minister's
# Bằng khen and the Giấy khen); the others keep the regime's instruments.
_LAW_2022 = "Luật Thi đua, khen thưởng số 06/2022/QH15"
_LAW_2003 = "Luật Thi đua, Khen thưởng 2003 (sửa đổi, bổ sung 2013)"
_ND_98, _ND_152, _ND_91 = "Nghị định 98/2023/NĐ-CP", "Nghị định 152/2025/NĐ-CP", "Nghị định 91/2017/NĐ-CP"
ARTICLES: dict[tuple[str, str, str], str] = {
    **{(regime, code, "*"): f"Điều {article} {_LAW_2022}; {decree}"
       for regime, decree in (("2024", _ND_98), ("2025", _ND_152))
       for code, article in (("CSTD_TQ", 21), ("CSTD_TINH", 22), ("CSTDCS", 23), ("LDTT", 24), ("TTLDTT", 28),
                             ("HCLD3", 44), ("BK_TTG", 73), ("BK_TINH", 74), ("GIAY_KHEN", 75))},
    **{("2017", code, "*"): f"Điều {article} {_LAW_2003}; {_ND_91}"
       for code, article in (("CSTD_TINH", 22), ("CSTDCS", 23), ("TTLDTT", 28), ("HCLD3", 44))},
    ("2017", "CSTDCS", "quota"): f"Khoản 3 Điều 9 {_ND_91} (không quá 15% số Lao động tiên tiến)",
    ("2017", "BK_TTG", "*"): f"Điều 38 {_ND_91}",
    # The council's secret ballot: at least 90 % of all its members for the provincial and
    # national CSTĐ titles under the 2017 decree; the later decrees' shares are not confirmed.
    **{("2017", code, "council_vote"): f"Khoản 8 Điều 45 {_ND_91} (bỏ phiếu kín, từ 90% tổng số thành viên)"
       for code in ("CSTD_TINH", "CSTD_TQ")},
    **{(regime, code, "council_vote"): f"Điều 90 {_LAW_2022} (Hội đồng Thi đua – Khen thưởng); {decree}"
       for regime, decree in (("2024", _ND_98), ("2025", _ND_152))
       for code in ("LDTT", "CSTDCS", "CSTD_TINH", "CSTD_TQ", "TTLDTT", "TTLDXS", "BK_TINH", "BK_TTG", "HCLD3",
                    "GIAY_KHEN")},
}
PRINCIPLES_BASIS = "Điều 5 Luật Thi đua, Khen thưởng (thành tích đến đâu khen thưởng đến đó; không khen thưởng trùng)"

NAMES = {
    "LDTT": "Lao động tiên tiến",
    "CSTDCS": "Chiến sĩ thi đua cơ sở",
    "CSTD_TINH": "Chiến sĩ thi đua cấp tỉnh",
    "CSTD_TQ": "Chiến sĩ thi đua toàn quốc",
    "TTLDTT": "Tập thể lao động tiên tiến",
    "TTLDXS": "Tập thể lao động xuất sắc",
    "BK_TINH": "Bằng khen của Chủ tịch UBND tỉnh",
    "BK_TTG": "Bằng khen của Thủ tướng Chính phủ",
    "HCLD3": "Huân chương Lao động hạng Ba",
    "GIAY_KHEN": "Giấy khen",
}

# Thresholds an admin may change per award type and regime (AwardType.rules_json overrides these).
DEFAULT_PARAMS = {
    "LDTT": {"min_rating": "good"},
    "CSTDCS": {"quota_percent": 15},
    "CSTD_TINH": {"consecutive_years": 3},
    "CSTD_TQ": {"times": 2, "cycle_years": 3},
    "TTLDTT": {"min_ldtt_percent": 50},
    "TTLDXS": {"min_ldtt_percent": 70, "min_cstdcs": 1},
    "BK_TINH": {"consecutive_years": 2, "initiatives": 2},
    "BK_TTG": {"consecutive_years": 5, "initiatives": 5},
    "HCLD3": {"consecutive_years": 5, "initiatives": 5},
}

# The forms of commendation a campaign may confer (theo đợt / chuyên đề): such an award rewards
# the campaign's achievement and never blocks the year's own; the titles (danh hiệu) are annual.
CAMPAIGN_FORMS = ("GIAY_KHEN", "BK_TINH", "BK_TTG", "HCLD3")

RATING_NAMES = {"excellent": "hoàn thành xuất sắc nhiệm vụ", "good": "hoàn thành tốt nhiệm vụ",
                "completed": "hoàn thành nhiệm vụ", "failed": "không hoàn thành nhiệm vụ"}
LEVEL_NAMES = {"grassroots": "cơ sở", "provincial": "cấp tỉnh", "national": "toàn quốc"}


def default_confidence(code: str, requirement: str, regime: str, award_confidence: str) -> str:
    """The confidence the engine gives a requirement before any version says otherwise."""
    if requirement in ("months_in_service", "leave", "discipline") or code == "HCLD3":
        return "U"
    if requirement == "not_twice":
        return "V"
    if requirement == "council_vote":  # read for the 2017 decree's provincial and national titles only
        return "V" if regime == "2017" and code in ("CSTD_TINH", "CSTD_TQ") else "U"
    if requirement == "quota":
        return award_confidence if regime == "2017" else "U"
    if code == "BK_TTG" and regime != "2017":
        return "U"
    return award_confidence


def default_basis(requirement: str, regime: str, code: str = "") -> str:
    """The legal basis a requirement's first version cites: its article where it is known
    (ARTICLES), else the regime's instruments."""
    if requirement == "not_twice":
        return PRINCIPLES_BASIS
    return ARTICLES.get((regime, code, requirement)) or ARTICLES.get((regime, code, "*")) or BASIS[regime]


def as_in_force(checks: list[Check], rules: dict[str, tuple[str, str]]) -> list[Check]:
    """The checks with the legal basis and confidence of the rule versions in force ({requirement:
    (basis, confidence)}); a check whose requirement has no version keeps its own. An unverified
    version (U) only warns."""
    result = []
    for check in checks:
        found = rules.get(check.requirement)
        if found is None:
            result.append(check)
            continue
        basis, confidence = found
        result.append(Check(check.requirement, check.result, check.message, basis or check.legal_basis,
                            confidence, blocking=confidence != "U"))
    return result


def params_for(code: str, overrides: dict | None) -> dict:
    params = dict(DEFAULT_PARAMS.get(code, {}))
    params.update(overrides or {})
    return params


def _check(requirement, result, message, regime, confidence, basis=None) -> Check:
    return Check(requirement, result, message, basis or BASIS[regime], confidence,
                 blocking=confidence != "U")


def _years(first: int, last: int) -> str:
    return f"{first}–{last}" if first != last else str(first)


def _streak(history: History, code: str, year: int, length: int) -> tuple[list[int], list[int]]:
    """The years of [year-length+1, year] lacking the award, and those with no record at all."""
    missing, unknown = [], []
    for y in range(year - length + 1, year + 1):
        held = history.has_award(code, y)
        if held is None:
            unknown.append(y)
        elif not held:
            missing.append(y)
    return missing, unknown


def _streak_check(requirement, history, code, year, length, regime, confidence) -> Check:
    first = year - length + 1
    missing, unknown = _streak(history, code, year, length)
    need = f"cần danh hiệu {NAMES[code]} {length} năm liên tục {_years(first, year)}"
    if missing:
        lacking = ", ".join(str(y) for y in missing)
        return _check(requirement, Result.FAIL, f"Không đạt: {need}; năm {lacking} không có.", regime, confidence)
    if unknown:
        lacking = ", ".join(str(y) for y in unknown)
        return _check(requirement, Result.UNKNOWN, f"Chưa đủ thông tin: {need}; chưa có dữ liệu năm {lacking}.",
                      regime, confidence)
    return _check(requirement, Result.PASS, f"Đạt: có danh hiệu {NAMES[code]} các năm {_years(first, year)}.",
                  regime, confidence)


def _rating_at_least(history, year, minimum) -> bool | None:
    facts = history.get(year)
    if facts is None or facts.rating is None:
        return None
    return RATING_ORDER[facts.rating] >= RATING_ORDER[minimum]


def _initiative_at_least(history, years, minimum) -> bool | None:
    """True if an initiative of at least `minimum` level is recorded in any of `years`."""
    seen_unknown = False
    for y in years:
        facts = history.get(y)
        if facts is None or facts.initiative_level is None:
            # Nothing recorded, or initiatives recognised at a level nobody wrote down: unknown.
            # Only a count of none recorded says there was no initiative.
            if facts is None or facts.initiative_count is None or facts.initiative_count > 0:
                seen_unknown = True
            continue
        if INITIATIVE_ORDER[facts.initiative_level] >= INITIATIVE_ORDER[minimum]:
            return True
    return None if seen_unknown else False


def _combine(requirement, regime, confidence, options: list[Check], success: str) -> Check:
    """Pass when any option passes; fail when all fail; unknown otherwise."""
    if any(o.result is Result.PASS for o in options):
        passed = next(o for o in options if o.result is Result.PASS)
        return _check(requirement, Result.PASS, f"{success} {passed.message}", regime, confidence)
    reasons = " ".join(o.message for o in options)
    if all(o.result is Result.FAIL for o in options):
        return _check(requirement, Result.FAIL, reasons, regime, confidence)
    return _check(requirement, Result.UNKNOWN, reasons, regime, confidence)


# --- individual titles -------------------------------------------------------------------


def _ldtt(history, year, regime, params, confidence) -> list[Check]:
    minimum = params["min_rating"]
    ok = _rating_at_least(history, year, minimum)
    need = f"xếp loại từ \"{RATING_NAMES[minimum]}\" trở lên năm {year}"
    if ok is None:
        return [_check("rating", Result.UNKNOWN, f"Chưa có kết quả xếp loại năm {year} ({need}).", regime, confidence)]
    if not ok:
        rating = RATING_NAMES[history.get(year).rating]
        return [_check("rating", Result.FAIL, f"Không đạt: {need}; năm {year} xếp loại \"{rating}\".", regime, confidence)]
    return [_check("rating", Result.PASS, f"Đạt: {need}.", regime, confidence)]


def _cstdcs(history, year, regime, params, confidence) -> list[Check]:
    checks = []
    ldtt = history.has_award("LDTT", year)
    if ldtt is None:
        checks.append(_check("ldtt_same_year", Result.UNKNOWN,
                             f"Chưa có dữ liệu năm {year}: cần đạt Lao động tiên tiến cùng năm.", regime, confidence))
    elif not ldtt:
        checks.append(_check("ldtt_same_year", Result.FAIL,
                             f"Không đạt: năm {year} chưa có danh hiệu Lao động tiên tiến.", regime, confidence))
    else:
        checks.append(_check("ldtt_same_year", Result.PASS, f"Đạt: có danh hiệu Lao động tiên tiến năm {year}.",
                             regime, confidence))
    initiative = _initiative_at_least(history, [year], "grassroots")
    initiative_check = (
        _check("initiative", Result.PASS, f"Có sáng kiến được công nhận năm {year}.", regime, confidence)
        if initiative else
        _check("initiative", Result.FAIL if initiative is False else Result.UNKNOWN,
               f"{'Không có' if initiative is False else 'Chưa có dữ liệu về'} sáng kiến được công nhận ở cơ sở năm {year}.",
               regime, confidence)
    )
    if regime == "2017":
        checks.append(initiative_check)  # the 2017 regime required an initiative
        return checks
    excellent = _rating_at_least(history, year, "excellent")
    rating_check = _check(
        "excellent", Result.PASS if excellent else Result.UNKNOWN if excellent is None else Result.FAIL,
        f"{'Có' if excellent else 'Chưa có dữ liệu' if excellent is None else 'Không có'} xếp loại "
        f"\"hoàn thành xuất sắc nhiệm vụ\" năm {year}.", regime, confidence)
    facts = history.get(year)
    research = facts.research_accepted if facts else None
    research_check = _check(
        "research", Result.PASS if research else Result.UNKNOWN if research is None else Result.FAIL,
        f"{'Có' if research else 'Chưa có dữ liệu về' if research is None else 'Không có'} đề tài nghiên cứu "
        f"được nghiệm thu năm {year}.", regime, confidence)
    checks.append(_combine("excellence_or_initiative", regime, confidence,
                           [rating_check, initiative_check, research_check],
                           "Đạt (xuất sắc, hoặc sáng kiến, hoặc đề tài):"))
    return checks


def _cstd_tinh(history, year, regime, params, confidence) -> list[Check]:
    length = params["consecutive_years"]
    checks = [_streak_check("cstdcs_streak", history, "CSTDCS", year, length, regime, confidence)]
    years = range(year - length + 1, year + 1)
    initiative = _initiative_at_least(history, years, "provincial")
    result = Result.PASS if initiative else Result.UNKNOWN if initiative is None else Result.FAIL
    checks.append(_check("initiative_provincial", result,
                         f"{'Đạt' if initiative else 'Chưa có dữ liệu' if initiative is None else 'Không đạt'}: "
                         f"cần sáng kiến có phạm vi ảnh hưởng cấp tỉnh trong các năm {_years(years[0], year)}.",
                         regime, confidence))
    return checks


def _cstd_tq(history, year, regime, params, confidence) -> list[Check]:
    """CSTĐ toàn quốc: CSTĐ cấp tỉnh twice in a row (each conferral covers `cycle_years` years, so
    two in a row are `cycle_years` apart, the later within the last cycle), and an initiative of
    national effect."""
    times, cycle = params["times"], params["cycle_years"]
    first = year - times * cycle + 1
    held = [y for y in range(first, year + 1) if history.has_award("CSTD_TINH", y)]
    chain = [held[-1]] if held and held[-1] > year - cycle else []
    while chain and len(chain) < times and chain[-1] - cycle in held:
        chain.append(chain[-1] - cycle)
    need = f"cần {times} lần liên tục Chiến sĩ thi đua cấp tỉnh (cách nhau {cycle} năm, lần sau trong {_years(year - cycle + 1, year)})"
    unknown = [y for y in range(first, year + 1) if history.get(y) is None]
    if len(chain) >= times:
        streak = _check("cstd_tinh_twice", Result.PASS,
                        f"Đạt: {times} lần liên tục Chiến sĩ thi đua cấp tỉnh ({', '.join(map(str, sorted(chain)))}).",
                        regime, confidence)
    elif unknown:
        streak = _check("cstd_tinh_twice", Result.UNKNOWN,
                        f"Chưa đủ thông tin: {need}; chưa có dữ liệu năm {', '.join(map(str, unknown))}.",
                        regime, confidence)
    else:
        streak = _check("cstd_tinh_twice", Result.FAIL,
                        f"Không đạt: {need}; các lần đã có: {', '.join(map(str, held)) or 'không có'}.", regime, confidence)
    initiative = _initiative_at_least(history, range(year - cycle + 1, year + 1), "national")
    result = Result.PASS if initiative else Result.UNKNOWN if initiative is None else Result.FAIL
    return [streak, _check("initiative_national", result,
                           f"{'Đạt' if initiative else 'Chưa có dữ liệu' if initiative is None else 'Không đạt'}: "
                           "cần sáng kiến có phạm vi ảnh hưởng toàn quốc.", regime, confidence)]


def _excellent_years(history, year, length, initiatives) -> Check:
    """`length` consecutive years "hoàn thành xuất sắc" up to `year`, with `initiatives` initiatives
    (basis and confidence are filled in by the caller)."""
    first = year - length + 1
    lacking, unknown, count, count_unknown = [], [], 0, False
    for y in range(first, year + 1):
        ok = _rating_at_least(history, y, "excellent")
        if ok is None:
            unknown.append(y)
        elif not ok:
            lacking.append(y)
        facts = history.get(y)
        if facts is not None and facts.initiative_count is not None:
            count += facts.initiative_count
        elif facts is not None and facts.initiative_level:
            count += 1
        else:
            count_unknown = True
    need = (f"{length} năm liên tục {_years(first, year)} hoàn thành xuất sắc nhiệm vụ "
            f"và {initiatives} sáng kiến được áp dụng")
    if lacking:
        return Check("excellent_years", Result.FAIL,
                     f"Không đạt: cần {need}; năm {', '.join(map(str, lacking))} không đạt xuất sắc.", "", "V", True)
    if count < initiatives and not count_unknown:
        return Check("excellent_years", Result.FAIL, f"Không đạt: cần {need}; mới có {count} sáng kiến.", "", "V", True)
    if unknown or count < initiatives:
        return Check("excellent_years", Result.UNKNOWN, f"Chưa đủ thông tin: cần {need}.", "", "V", True)
    return Check("excellent_years", Result.PASS, f"Đạt: {need}.", "", "V", True)


def _with_basis(check: Check, regime: str, confidence: str) -> Check:
    return _check(check.requirement, check.result, check.message, regime, confidence)


def _bk_tinh(history, year, regime, params, confidence) -> list[Check]:
    length = params["consecutive_years"]
    if history.kind == "collective":
        return [_check("qualitative", Result.UNKNOWN,
                       "Tập thể: tiêu chuẩn Bằng khen cấp tỉnh do Hội đồng xem xét theo thành tích, không kiểm tra tự động.",
                       regime, "U")]
    streak = _streak_check("cstdcs_streak", history, "CSTDCS", year, length, regime, confidence)
    excellent = _with_basis(_excellent_years(history, year, length, params["initiatives"]), regime, confidence)
    return [_combine("cstdcs_or_excellent", regime, confidence, [streak, excellent], "Đạt:")]


def _bk_ttg(history, year, regime, params, confidence) -> list[Check]:
    if regime != "2017" or history.kind == "collective":
        return [_check("unverified", Result.UNKNOWN,
                       "Tiêu chuẩn Bằng khen của Thủ tướng theo quy định hiện hành chưa được kiểm chứng; Hội đồng xem xét.",
                       regime, "U")]
    return _held_before_then_excellent(history, year, regime, params["consecutive_years"], params["initiatives"],
                                       "BK_TINH", "Bằng khen của Chủ tịch UBND tỉnh", confidence)


def _held_before_then_excellent(history, year, regime, length, initiatives, earlier_code, earlier_name,
                                confidence) -> list[Check]:
    """An earlier award held *before* a streak of `length` excellent years up to `year` (the streak
    is "the years after it"), and the streak itself with its initiatives."""
    first = year - length + 1
    earlier = [y for y in sorted(history.years) if y < first and history.has_award(earlier_code, y)]
    recorded_before = any(y < first for y in history.years)
    need = f"{earlier_name} trước giai đoạn {_years(first, year)}"
    if earlier:
        held = _check(f"{earlier_code.lower()}_before", Result.PASS, f"Đạt: có {earlier_name} ({', '.join(map(str, earlier))}).",
                      regime, confidence)
    elif recorded_before:
        inside = [y for y in range(first, year + 1) if history.has_award(earlier_code, y)]
        tail = f"; năm {', '.join(map(str, inside))} nằm trong giai đoạn xét, không tính" if inside else ""
        held = _check(f"{earlier_code.lower()}_before", Result.FAIL, f"Không đạt: cần {need}{tail}.", regime, confidence)
    else:
        held = _check(f"{earlier_code.lower()}_before", Result.UNKNOWN, f"Chưa đủ thông tin: cần {need}.",
                      regime, confidence)
    return [held, _with_basis(_excellent_years(history, year, length, initiatives), regime, confidence)]


def _hcld3(history, year, regime, params, confidence) -> list[Check]:
    """Huân chương Lao động hạng Ba, an individual's chain on the Prime Minister's Bằng khen: held
    before, then five years in a row "hoàn thành xuất sắc" with five initiatives. Unverified
    (AWARDS.md): every check only warns."""
    if history.kind == "collective":
        return [_check("unverified", Result.UNKNOWN,
                       "Tập thể: tiêu chuẩn Huân chương Lao động hạng Ba chưa được kiểm chứng; Hội đồng xem xét.",
                       regime, "U")]
    return _held_before_then_excellent(history, year, regime, params["consecutive_years"], params["initiatives"],
                                       "BK_TTG", "Bằng khen của Thủ tướng Chính phủ", "U")


# --- collective titles -------------------------------------------------------------------


def _members(history, year) -> tuple[int | None, ...]:
    facts = history.get(year)
    if facts is None:
        return None, None, None, None, None
    return (facts.members_total, facts.members_completed, facts.members_ldtt, facts.members_cstdcs,
            facts.members_disciplined)


def _no_discipline(history, year, regime, confidence) -> Check:
    disciplined = _members(history, year)[4]
    if disciplined is None:
        return _check("no_discipline", Result.UNKNOWN, f"Chưa có dữ liệu kỷ luật của thành viên năm {year}.",
                      regime, confidence)
    if disciplined > 0:
        return _check("no_discipline", Result.FAIL,
                      f"Không đạt: năm {year} có {disciplined} thành viên bị kỷ luật từ cảnh cáo trở lên.", regime, confidence)
    return _check("no_discipline", Result.PASS, f"Đạt: năm {year} không có thành viên bị kỷ luật từ cảnh cáo trở lên.",
                  regime, confidence)


def _ldtt_share(history, year, regime, confidence, percent, strictly) -> Check:
    total, _completed, ldtt, _cstdcs, _disc = _members(history, year)
    need = f"{'trên' if strictly else 'từ'} {percent}% thành viên đạt Lao động tiên tiến năm {year}"
    if not total or ldtt is None:
        return _check("ldtt_share", Result.UNKNOWN, f"Chưa đủ thông tin: cần {need}.", regime, confidence)
    share = ldtt * 100 / total
    ok = share > percent if strictly else share >= percent
    return _check("ldtt_share", Result.PASS if ok else Result.FAIL,
                  f"{'Đạt' if ok else 'Không đạt'}: cần {need}; có {ldtt}/{total} ({share:.0f}%).", regime, confidence)


def _ttldtt(history, year, regime, params, confidence) -> list[Check]:
    return [_ldtt_share(history, year, regime, confidence, params["min_ldtt_percent"], strictly=True),
            _no_discipline(history, year, regime, confidence)]


def _ttldxs(history, year, regime, params, confidence) -> list[Check]:
    total, completed, _ldtt, cstdcs, _disc = _members(history, year)
    if not total or completed is None:
        all_done = _check("all_completed", Result.UNKNOWN, f"Chưa đủ thông tin về kết quả hoàn thành nhiệm vụ năm {year}.",
                          regime, confidence)
    else:
        ok = completed >= total
        all_done = _check("all_completed", Result.PASS if ok else Result.FAIL,
                          f"{'Đạt' if ok else 'Không đạt'}: cần 100% thành viên hoàn thành nhiệm vụ; có {completed}/{total}.",
                          regime, confidence)
    minimum = params["min_cstdcs"]
    if cstdcs is None:
        cstdcs_check = _check("cstdcs_member", Result.UNKNOWN, f"Chưa có dữ liệu Chiến sĩ thi đua cơ sở năm {year}.",
                              regime, confidence)
    else:
        ok = cstdcs >= minimum
        cstdcs_check = _check("cstdcs_member", Result.PASS if ok else Result.FAIL,
                              f"{'Đạt' if ok else 'Không đạt'}: cần ít nhất {minimum} cá nhân đạt Chiến sĩ thi đua cơ sở; có {cstdcs}.",
                              regime, confidence)
    return [all_done, _ldtt_share(history, year, regime, confidence, params["min_ldtt_percent"], strictly=False),
            cstdcs_check, _no_discipline(history, year, regime, confidence)]


RULES = {
    "LDTT": _ldtt, "CSTDCS": _cstdcs, "CSTD_TINH": _cstd_tinh, "CSTD_TQ": _cstd_tq,
    "TTLDTT": _ttldtt, "TTLDXS": _ttldxs, "BK_TINH": _bk_tinh, "BK_TTG": _bk_ttg, "HCLD3": _hcld3,
}
ANNUAL_INDIVIDUAL = ("LDTT", "CSTDCS")


def check_eligibility(code: str, recipient: str, confidence: str, history: History, year: int,
                      regime: str, overrides: dict | None = None) -> list[Check]:
    """Every requirement of award `code` for `history` in `year` under `regime`.

    `recipient` is who may receive it (individual / collective / both) and `confidence` the
    catalogue's confidence in its rule (V, S, U: U only warns).
    """
    if recipient != "both" and recipient != history.kind:
        who = "cá nhân" if recipient == "individual" else "tập thể"
        return [_check("recipient", Result.FAIL, f"Không đạt: hình thức này chỉ dành cho {who}.", regime, "V")]
    params = params_for(code, overrides)
    rule = RULES.get(code)
    if rule is None:
        if confidence == "U":
            return [_check("unverified", Result.UNKNOWN,
                           "Tiêu chuẩn chưa được kiểm chứng; Hội đồng Thi đua – Khen thưởng xem xét.", regime, "U")]
        return [_check("qualitative", Result.PASS,
                       "Không có điều kiện kiểm tra tự động (khen thưởng theo thành tích, đợt, chuyên đề).",
                       regime, confidence)]
    checks = rule(history, year, regime, params, confidence)
    if code in ANNUAL_INDIVIDUAL:
        checks.extend(_exclusions(history.get(year), year, regime))
    return checks


MIN_MONTHS_IN_SERVICE = 10
MAX_LEAVE_WORKING_DAYS = 40


def _exclusions(facts, year: int, regime: str) -> list[Check]:
    """The usual exclusions from an annual title, as recorded in the year (unverified, AWARDS.md:
    they only warn): recruited under 10 months, leave of 40 working days or more other than
    maternity, disciplined. A fact not recorded adds nothing."""
    if facts is None:
        return []
    checks = []
    if facts.months_in_service is not None:
        short = facts.months_in_service < MIN_MONTHS_IN_SERVICE
        checks.append(_check("months_in_service", Result.FAIL if short else Result.PASS,
                             f"{'Không đạt' if short else 'Đạt'}: công tác {facts.months_in_service} tháng trong năm {year} "
                             f"(thường cần từ {MIN_MONTHS_IN_SERVICE} tháng).", regime, "U"))
    if facts.leave_working_days is not None:
        long = facts.leave_working_days >= MAX_LEAVE_WORKING_DAYS
        checks.append(_check("leave", Result.FAIL if long else Result.PASS,
                             f"{'Không đạt' if long else 'Đạt'}: nghỉ {facts.leave_working_days} ngày làm việc trong năm {year} "
                             f"(không kể nghỉ thai sản; thường không xét khi từ {MAX_LEAVE_WORKING_DAYS} ngày).", regime, "U"))
    if facts.discipline:
        checks.append(_check("discipline", Result.FAIL, f"Năm {year} bị kỷ luật: thường không xét danh hiệu năm.",
                             regime, "U"))
    return checks


def achievement_key(title: str, plan_id: int | None, movement_id: int | None, start: int | None,
                    end: int | None) -> str:
    """What identifies an achievement: its name as the nomination gives it (case, spaces and
    diacritics aside), else the campaign's work (plan, movement and period)."""
    import unicodedata

    text = " ".join((title or "").split()).lower().replace("đ", "d")
    text = "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")
    return f"t:{text}" if text else f"p:{plan_id}:{movement_id}:{start}-{end}"


def check_not_rewarded_twice(code: str, history: History, year: int, regime: str,
                             nomination_already_awarded: bool = False, plan_id: int | None = None,
                             achievement: str | None = None, nomination_id: int | None = None) -> Check:
    """Law art. 5: one achievement is rewarded once, by one form. The achievement of an annual
    proposal is the year's work: the same award for the same year is refused. A form proposed in
    a campaign (`plan_id`, CAMPAIGN_FORMS) rewards the campaign's achievement: refused only when
    that campaign already conferred it; it never blocks, nor is blocked by, the year's own awards."""
    if nomination_already_awarded:
        return _check("not_twice", Result.FAIL, "Không đạt: thành tích này đã được khen thưởng.",
                      regime, "V", PRINCIPLES_BASIS)
    if achievement is not None and code in CAMPAIGN_FORMS:
        # A form rewards a named achievement: the same achievement once, by one form; another
        # achievement of the same year may be rewarded too.
        before = sorted({other for key, other, nid in history.rewarded if key == achievement and nid != nomination_id})
        if before:
            names = ", ".join(NAMES.get(c, c) for c in before)
            return _check("not_twice", Result.FAIL, f"Không đạt: thành tích này đã được khen thưởng ({names}); "
                          "một thành tích chỉ khen thưởng một lần, một hình thức.", regime, "V", PRINCIPLES_BASIS)
        return _check("not_twice", Result.PASS, "Đạt: thành tích này chưa được khen thưởng.", regime, "V",
                      PRINCIPLES_BASIS)
    if plan_id is not None and code in CAMPAIGN_FORMS:
        years = history.campaign_award_years(code, plan_id)
        if years:
            return _check("not_twice", Result.FAIL,
                          f"Không đạt: đợt thi đua này đã tặng {NAMES.get(code, code)} ({', '.join(map(str, years))}); "
                          "không khen thưởng trùng một thành tích.", regime, "V", PRINCIPLES_BASIS)
        return _check("not_twice", Result.PASS, "Đạt: thành tích của đợt thi đua này chưa được khen thưởng.",
                      regime, "V", PRINCIPLES_BASIS)
    if history.has_annual_award(code, year):
        return _check("not_twice", Result.FAIL,
                      f"Không đạt: đã nhận {NAMES.get(code, code)} cho năm {year}; không khen thưởng trùng.",
                      regime, "V", PRINCIPLES_BASIS)
    return _check("not_twice", Result.PASS, "Đạt: chưa được khen thưởng cho thành tích này.", regime, "V",
                  PRINCIPLES_BASIS)


def check_quota(code: str, regime: str, overrides: dict | None, ldtt_count: int | None,
                awarded_count: int, proposed_count: int, confidence: str) -> Check | None:
    """The cap on Chiến sĩ thi đua cơ sở: at most quota_percent of the unit's LĐTT, rounded.

    Binding under the 2017 regime; under later regimes whether a cap remains is unverified, so
    it only warns. Returns None for awards without a quota.
    """
    if code != "CSTDCS":
        return None
    percent = params_for(code, overrides)["quota_percent"]
    rule_confidence = confidence if regime == "2017" else "U"
    if ldtt_count is None:
        return _check("quota", Result.UNKNOWN, "Chưa có số Lao động tiên tiến của đơn vị để tính tỷ lệ.",
                      regime, rule_confidence)
    cap = int(ldtt_count * percent / 100 + 0.5)  # rounded half up, as the decree's "làm tròn"
    total = awarded_count + proposed_count
    message = (f"Tối đa {percent}% số Lao động tiên tiến ({ldtt_count}) = {cap}; "
               f"đã có {awarded_count}, đề nghị thêm {proposed_count}.")
    return _check("quota", Result.PASS if total <= cap else Result.FAIL,
                  ("Đạt: " if total <= cap else "Vượt tỷ lệ: ") + message, regime, rule_confidence)
