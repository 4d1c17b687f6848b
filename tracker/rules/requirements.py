"""The requirements of each award, as data: what each one checks (its key in the rules engine),
the thresholds it reads, and its label. The catalogue keeps one row per requirement per version
(tracker.catalogue.models.AwardRule) with its legal basis, its confidence and the day it comes
into force; these declarations seed the first version of each regime."""
from dataclasses import dataclass


@dataclass(frozen=True)
class Requirement:
    key: str  # the Check.requirement the engine gives (tracker.rules.eligibility)
    label: str  # in Vietnamese, as the catalogue lists it
    params: tuple[str, ...] = ()  # the thresholds it reads


EXCLUSIONS = (
    Requirement("months_in_service", "Không xét danh hiệu năm khi công tác dưới 10 tháng"),
    Requirement("leave", "Không xét danh hiệu năm khi nghỉ từ 40 ngày làm việc (không kể thai sản)"),
    Requirement("discipline", "Không xét danh hiệu năm khi bị kỷ luật trong năm"),
)
NOT_TWICE = Requirement("not_twice", "Một thành tích chỉ khen thưởng một lần, một hình thức")
# The council's secret ballot: the share of its members who must agree, and whether the dossier
# needs the ballot at all (tracker.rules.ballot).
COUNCIL_VOTE = Requirement("council_vote", "Tỷ lệ phiếu đồng ý của Hội đồng Thi đua – Khen thưởng (bỏ phiếu kín)",
                           ("approval_percent", "approval_inclusive", "ballot_required"))

REQUIREMENTS: dict[str, tuple[Requirement, ...]] = {
    "LDTT": (Requirement("rating", "Xếp loại của năm", ("min_rating",)), *EXCLUSIONS),
    "CSTDCS": (
        Requirement("ldtt_same_year", "Đạt Lao động tiên tiến cùng năm"),
        Requirement("initiative", "Sáng kiến được công nhận ở cơ sở (chế độ 2017)"),
        Requirement("excellence_or_initiative", "Xuất sắc, hoặc sáng kiến, hoặc đề tài được nghiệm thu"),
        Requirement("quota", "Tỷ lệ tối đa so với số Lao động tiên tiến của đơn vị", ("quota_percent",)),
        *EXCLUSIONS,
    ),
    "CSTD_TINH": (
        Requirement("cstdcs_streak", "Chiến sĩ thi đua cơ sở liên tục", ("consecutive_years",)),
        Requirement("initiative_provincial", "Sáng kiến có phạm vi ảnh hưởng cấp tỉnh"),
    ),
    "CSTD_TQ": (
        Requirement("cstd_tinh_twice", "Chiến sĩ thi đua cấp tỉnh liên tục", ("times", "cycle_years")),
        Requirement("initiative_national", "Sáng kiến có phạm vi ảnh hưởng toàn quốc"),
    ),
    "TTLDTT": (
        Requirement("ldtt_share", "Tỷ lệ thành viên đạt Lao động tiên tiến", ("min_ldtt_percent",)),
        Requirement("no_discipline", "Không có thành viên bị kỷ luật từ cảnh cáo trở lên"),
    ),
    "TTLDXS": (
        Requirement("all_completed", "Mọi thành viên hoàn thành nhiệm vụ"),
        Requirement("ldtt_share", "Tỷ lệ thành viên đạt Lao động tiên tiến", ("min_ldtt_percent",)),
        Requirement("cstdcs_member", "Số cá nhân đạt Chiến sĩ thi đua cơ sở", ("min_cstdcs",)),
        Requirement("no_discipline", "Không có thành viên bị kỷ luật từ cảnh cáo trở lên"),
    ),
    "BK_TINH": (
        Requirement("cstdcs_or_excellent", "Chiến sĩ thi đua cơ sở liên tục, hoặc các năm xuất sắc với sáng kiến",
                    ("consecutive_years", "initiatives")),
    ),
    "BK_TTG": (
        Requirement("bk_tinh_before", "Đã có Bằng khen cấp tỉnh trước giai đoạn xét"),
        Requirement("excellent_years", "Các năm liên tục hoàn thành xuất sắc với sáng kiến",
                    ("consecutive_years", "initiatives")),
    ),
    "HCLD3": (
        Requirement("bk_ttg_before", "Đã có Bằng khen của Thủ tướng trước giai đoạn xét"),
        Requirement("excellent_years", "Các năm liên tục hoàn thành xuất sắc với sáng kiến",
                    ("consecutive_years", "initiatives")),
    ),
}


# Every threshold's bounds (a streak of zero years is no rule; no share passes 100 %).
PARAM_BOUNDS = {
    "quota_percent": (1, 100),
    "consecutive_years": (1, 10),
    "times": (1, 10),
    "cycle_years": (1, 10),
    "min_ldtt_percent": (0, 100),
    "min_cstdcs": (0, 1000),
    "initiatives": (0, 50),
    "approval_percent": (1, 100),
    "approval_inclusive": (0, 1),
    "ballot_required": (0, 1),
}
RATINGS = ("excellent", "good", "completed", "failed")


def requirements_of(code: str) -> tuple[Requirement, ...]:
    """Every requirement of the award, the principle of Law art. 5 and the council's vote included."""
    return (*REQUIREMENTS.get(code, ()), NOT_TWICE, COUNCIL_VOTE)
