"""The minutes (biên bản) of a council meeting in the layout of Nghị định 30/2020/NĐ-CP: who
took part (the quorum with its arithmetic), the agenda with each item's secret-ballot count and
result, the members recused from an item, the conclusion, the secretary's and the chair's
signatures."""
from tracker.councils.labels import RECUSAL_TEXT
from tracker.councils.models import CouncilMeeting, CouncilRole
from tracker.nd30 import (
    CENTER,
    body,
    grid,
    header,
    line,
    long_date,
    new_document,
    place_name,
    running_name,
    signatures,
    title,
    to_bytes,
)

COUNCIL = "Hội đồng Thi đua - Khen thưởng"
ROLE_TEXT = {CouncilRole.CHAIR: "Chủ tịch Hội đồng", CouncilRole.VICE_CHAIR: "Phó Chủ tịch Hội đồng",
             CouncilRole.STANDING: "Ủy viên thường trực, Thư ký Hội đồng", CouncilRole.MEMBER: "Ủy viên"}
WIDTHS = [13, 40, 33, 20, 20, 20, 19]
HEADERS = ["STT", "Họ và tên / Tên tập thể", "Hình thức khen thưởng", "Đồng ý", "Không đồng ý",
           "Không hợp lệ", "Kết quả"]


def _person(member) -> str:
    return f"{member.full_name}" + (f", {member.position}" if member.position else "") + f" – {ROLE_TEXT[member.role]}"


def minutes_docx(meeting: CouncilMeeting, state, verdicts: dict) -> bytes:
    """`state` is the meeting's attendance (tracker.councils.services.attendance), `verdicts`
    each voted item's Verdict by item id."""
    unit = meeting.unit
    name = running_name(unit.name)
    doc = new_document()
    header(doc, f"Ủy ban nhân dân {name}", [COUNCIL], meeting.number or "      /BB-HĐTĐKT",
           place_name(unit.name), meeting.meeting_date)
    title(doc, "BIÊN BẢN", f"Họp {COUNCIL} {name} xét đề nghị khen thưởng")
    body(doc, f"Vào {long_date(meeting.meeting_date)}" + (f", tại {meeting.place}" if meeting.place else "")
         + f", {COUNCIL} {name} họp xét các trường hợp đề nghị khen thưởng.")
    chair = next((m for m in state.members if m.role is CouncilRole.CHAIR and m.id in state.present), None)
    secretary = next((m for m in state.members if m.role is CouncilRole.STANDING and m.id in state.present), None)
    body(doc, "I. THÀNH PHẦN THAM DỰ", bold=True)
    if chair is not None:
        body(doc, f"Chủ trì: {_person(chair)}.")
    if secretary is not None:
        body(doc, f"Thư ký: {_person(secretary)}.")
    present = [m for m in state.members if m.id in state.present]
    absent = [m for m in state.members if m.id not in state.present]
    body(doc, f"Thành viên có mặt ({len(present)}/{len(state.members)}):")
    for member in present:
        body(doc, f"- {_person(member)};")
    if absent:
        body(doc, f"Thành viên vắng mặt ({len(absent)}): " + "; ".join(_person(m) for m in absent) + ".")
    body(doc, f"Số thành viên có mặt là {len(present)}/{len(state.members)}, "
              f"{'đạt' if state.met else 'không đạt'} tỷ lệ tối thiểu {state.quorum.text()} tổng số thành viên "
              f"(ít nhất {state.needed} thành viên); cuộc họp "
              f"{'đủ' if state.met else 'không đủ'} điều kiện biểu quyết.")
    body(doc, "II. NỘI DUNG VÀ KẾT QUẢ BỎ PHIẾU KÍN", bold=True)
    body(doc, "Hội đồng xem xét thành tích của từng trường hợp và bỏ phiếu kín; tỷ lệ phiếu đồng ý tính trên tổng số "
              "thành viên Hội đồng, trừ thành viên không tham gia biểu quyết vì có xung đột lợi ích. Kết quả:")
    rows = []
    for number, item in enumerate(meeting.items, start=1):
        verdict = verdicts.get(item.id)
        result = "Chưa bỏ phiếu" if verdict is None else (
            f"{'Đạt' if verdict.passed else 'Không đạt'} ({verdict.agree}/{verdict.base})")
        rows.append([str(number), item.nomination.candidate.full_name, item.award_type.name,
                     "" if item.agree is None else str(item.agree), "" if item.disagree is None else str(item.disagree),
                     "" if item.spoiled is None else str(item.spoiled), result])
    grid(doc, HEADERS, WIDTHS, rows, [CENTER, None, None, CENTER, CENTER, CENTER, CENTER])
    line(doc, "")
    for item in meeting.items:
        verdict = verdicts.get(item.id)
        if verdict is not None:
            body(doc, f"- {item.nomination.candidate.full_name}: {verdict.arithmetic()}; "
                      f"{'đạt' if verdict.passed else 'không đạt'}.")
    recusals = [(item, r) for item in meeting.items for r in item.recusals]
    if recusals:
        body(doc, "Thành viên không tham gia biểu quyết (xung đột lợi ích):")
        for item, recusal in recusals:
            body(doc, f"- {recusal.member.full_name} ({RECUSAL_TEXT[recusal.reason]}) đối với trường hợp "
                      f"{item.nomination.candidate.full_name}.")
    body(doc, "III. KẾT LUẬN", bold=True)
    passed = [item for item in meeting.items if item.passed]
    failed = [item for item in meeting.items if item.passed is False]
    body(doc, f"Hội đồng thống nhất đề nghị khen thưởng {len(passed)} trường hợp đạt tỷ lệ phiếu đồng ý theo quy "
              f"định" + (f"; {len(failed)} trường hợp không đạt" if failed else "") + ".")
    body(doc, "Biên bản được lập xong và thông qua tại cuộc họp; các thành viên dự họp thống nhất nội dung biên bản./.")
    signatures(doc, [(["THƯ KÝ"], secretary.full_name if secretary else ""),
                     (["CHỦ TỊCH HỘI ĐỒNG"], chair.full_name if chair else "")])
    return to_bytes(doc)
