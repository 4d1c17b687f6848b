"""The parts of an award's dossier (hồ sơ đề nghị khen thưởng), as data (AWARDS.md §3): which
parts each award needs, and how the tracker knows each is there. Some parts the tracker writes
itself (the tờ trình and its list, the council's minutes); the others are files: the report of
achievements of each nominee (on the nomination), the certificate of an initiative's effect and
the copies of earlier decisions (on the proposal)."""
from dataclasses import dataclass


@dataclass(frozen=True)
class Part:
    key: str
    label: str  # in Vietnamese, as the checklist and the dossier name it
    source: str  # "generated", "ballot", "nominee_file" (category on each nomination), "proposal_file"
    category: str = ""  # the attachment category that holds it


TO_TRINH = Part("to_trinh", "Tờ trình đề nghị khen thưởng", "generated")
DANH_SACH = Part("danh_sach", "Danh sách cá nhân, tập thể đề nghị khen thưởng", "generated")
BIEN_BAN = Part("bien_ban", "Biên bản họp Hội đồng Thi đua – Khen thưởng (kết quả bỏ phiếu kín)", "ballot")
BAO_CAO = Part("bao_cao", "Báo cáo thành tích của từng cá nhân, tập thể", "nominee_file", "achievements")
SANG_KIEN = Part("sang_kien", "Giấy chứng nhận hoặc xác nhận hiệu quả, phạm vi ảnh hưởng của sáng kiến",
                 "proposal_file", "initiative")
QUYET_DINH = Part("quyet_dinh", "Bản sao quyết định khen thưởng trước đó", "proposal_file", "decision")

# The awards that read initiatives, and those built on an earlier award (tracker.rules.requirements).
_INITIATIVES = ("CSTDCS", "CSTD_TINH", "CSTD_TQ", "BK_TINH", "BK_TTG", "HCLD3")
_EARLIER = ("CSTD_TINH", "CSTD_TQ", "BK_TTG", "HCLD3")


def parts_of(code: str, ballot_required: bool) -> tuple[Part, ...]:
    """The parts an award's dossier needs; the minutes where the council's ballot is required."""
    parts = [TO_TRINH, DANH_SACH]
    if ballot_required:
        parts.append(BIEN_BAN)
    parts.append(BAO_CAO)
    if code in _INITIATIVES:
        parts.append(SANG_KIEN)
    if code in _EARLIER:
        parts.append(QUYET_DINH)
    return tuple(parts)


PROPOSAL_FILE_CATEGORIES = (SANG_KIEN.category, QUYET_DINH.category, "other")
