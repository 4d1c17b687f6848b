"""The award catalogue per legal regime (from the Law on Emulation and Commendation and its decrees).

Regimes: "2017" (Luật TĐKT 2003, amended 2013 + NĐ 91/2017/NĐ-CP, until 31/12/2023), "2024"
(Luật 06/2022/QH15 + NĐ 98/2023/NĐ-CP, 01/01/2024-30/06/2025), "2025" (Luật 06/2022/QH15 +
NĐ 152/2025/NĐ-CP, from 01/07/2025). Confidence: V read in the text, S official summary,
U unverified (a rule marked U only ever warns).
"""
from datetime import date

REGIMES = (
    ("2017", date(2017, 7, 31), date(2023, 12, 31), "Luật Thi đua, Khen thưởng 2003 (sửa đổi 2005, 2013); Nghị định 91/2017/NĐ-CP"),
    ("2024", date(2024, 1, 1), date(2025, 6, 30), "Luật Thi đua, Khen thưởng 06/2022/QH15; Nghị định 98/2023/NĐ-CP"),
    ("2025", date(2025, 7, 1), None, "Luật Thi đua, Khen thưởng 06/2022/QH15; Nghị định 152/2025/NĐ-CP; Thông tư 15/2025/TT-BNV"),
)


# The instruments a decision on awards cites (its Căn cứ lines), per regime, each on its own line
# as Nghị định 30/2020 lays them out: the law on local government, the Law on Emulation and
# Commendation with its amendments, the decree in force. What the tracker does not know for sure
# (NĐ 152/2025's date) is left out rather than guessed.
INSTRUMENTS = {
    "2017": (
        "Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015; Luật sửa đổi, bổ sung một số điều của "
        "Luật Tổ chức Chính phủ và Luật Tổ chức chính quyền địa phương ngày 22 tháng 11 năm 2019",
        "Luật Thi đua, Khen thưởng ngày 26 tháng 11 năm 2003; Luật sửa đổi, bổ sung một số điều của Luật Thi đua, "
        "Khen thưởng ngày 14 tháng 6 năm 2005 và ngày 16 tháng 11 năm 2013",
        "Nghị định số 91/2017/NĐ-CP ngày 31 tháng 7 năm 2017 của Chính phủ quy định chi tiết thi hành một số điều "
        "của Luật Thi đua, khen thưởng",
    ),
    "2024": (
        "Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015; Luật sửa đổi, bổ sung một số điều của "
        "Luật Tổ chức Chính phủ và Luật Tổ chức chính quyền địa phương ngày 22 tháng 11 năm 2019",
        "Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022",
        "Nghị định số 98/2023/NĐ-CP ngày 31 tháng 12 năm 2023 của Chính phủ quy định chi tiết thi hành một số "
        "điều của Luật Thi đua, khen thưởng",
    ),
    "2025": (
        "Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025",
        "Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022",
        "Nghị định số 152/2025/NĐ-CP của Chính phủ",
    ),
}


def regime_for(day: date) -> str:
    """The code of the legal regime in force on `day` (the earliest one before 2017)."""
    for code, start, end, _basis in reversed(REGIMES):
        if day >= start and (end is None or day <= end):
            return code
    return REGIMES[0][0]


# (code, name, recipient, conferred_by, confidence)
_COMMON = [
    ("LDTT", "Lao động tiên tiến", "individual", "Thủ trưởng cơ quan, đơn vị; Chủ tịch UBND cấp xã", "V"),
    ("CSTDCS", "Chiến sĩ thi đua cơ sở", "individual", "Thủ trưởng cơ quan, đơn vị; Chủ tịch UBND cấp huyện", "S"),
    ("CSTD_TINH", "Chiến sĩ thi đua cấp tỉnh", "individual", "Chủ tịch UBND cấp tỉnh", "S"),
    ("CSTD_TQ", "Chiến sĩ thi đua toàn quốc", "individual", "Thủ tướng Chính phủ", "S"),
    ("TTLDTT", "Tập thể lao động tiên tiến", "collective", "Thủ trưởng cơ quan, đơn vị; Chủ tịch UBND cấp huyện", "V"),
    ("TTLDXS", "Tập thể lao động xuất sắc", "collective", "Chủ tịch UBND cấp tỉnh", "S"),
    ("CO_TINH", "Cờ thi đua của UBND tỉnh", "collective", "Chủ tịch UBND cấp tỉnh", "U"),
    ("CO_CP", "Cờ thi đua của Chính phủ", "collective", "Thủ tướng Chính phủ", "U"),
    ("GIAY_KHEN", "Giấy khen", "both", "Chủ tịch UBND cấp huyện, cấp xã; thủ trưởng cơ quan, đơn vị", "V"),
    ("BK_TINH", "Bằng khen của Chủ tịch UBND tỉnh", "both", "Chủ tịch UBND cấp tỉnh", "V"),
    ("BK_TTG", "Bằng khen của Thủ tướng Chính phủ", "both", "Thủ tướng Chính phủ", "V"),
    ("HCLD3", "Huân chương Lao động hạng Ba", "both", "Chủ tịch nước", "U"),
]

# Since 01/07/2025 there is no district level: what the district conferred passes to the commune.
_CONFERRED_2025 = {
    "CSTDCS": "Thủ trưởng cơ quan, đơn vị; Chủ tịch UBND cấp xã",
    "TTLDTT": "Thủ trưởng cơ quan, đơn vị; Chủ tịch UBND cấp xã",
    "GIAY_KHEN": "Chủ tịch UBND cấp xã; thủ trưởng cơ quan, đơn vị",
}


def catalogue() -> list[dict]:
    """Every award type of every regime, as plain dicts ready to store."""
    rows = []
    for regime, _start, _end, basis in REGIMES:
        for code, name, recipient, conferred_by, confidence in _COMMON:
            if regime == "2025":
                conferred_by = _CONFERRED_2025.get(code, conferred_by)
            rows.append({
                "regime": regime, "code": code, "name": name, "recipient": recipient,
                "conferred_by": conferred_by, "legal_basis": basis, "confidence": confidence,
            })
    return rows
