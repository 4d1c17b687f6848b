"""The proposal's documents: the tờ trình with its list, the decision (Quyết định) with its
attached list, laid out as Nghị định 30/2020/NĐ-CP asks (tracker.nd30), and the list
as a spreadsheet."""
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from tracker import clock
from tracker.nd30 import (
    CENTER,
    QUOC_HIEU,
    TIEU_NGU,
    JUSTIFY,
    RIGHT,
    body,
    grid,
    header,
    line,
    long_date,
    new_document,
    page_break,
    place_name,
    running_name,
    signature,
    signatures,
    title,
    to_bytes,
)
from tracker.catalogue.regimes import INSTRUMENTS, regime_for
from tracker.formatting import shorten
from tracker.rules.money import vnd
from tracker.spreadsheets.writer import put, put_row, workbook_bytes

COMMITTEE = "Hội đồng Thi đua - Khen thưởng"
SUMMARY_LENGTH = 220


def _summary(text: str) -> str:
    return shorten(text, SUMMARY_LENGTH)


def _about(plan_title: str) -> str:
    """What a plan is about, for "Kế hoạch số ... về ...": its title without a leading "Kế hoạch"."""
    text = plan_title.strip()
    if text.lower().startswith("kế hoạch "):
        text = text[len("kế hoạch "):]
    return text[:1].lower() + text[1:]


def _who(item) -> str:
    candidate = item.nomination.candidate
    parts = [candidate.position or "", candidate.workplace or item.nomination.unit.name]
    return ", ".join(p for p in parts if p)


def _money_text(line_) -> str:
    return vnd(line_.amount) if line_ is not None and line_.known else ""


def _sections(items, row_of) -> list:
    """Individuals, then collectives, each under its heading, numbered within the section."""
    rows = []
    for heading, kind in (("I. CÁ NHÂN", "individual"), ("II. TẬP THỂ", "collective")):
        of_kind = [i for i in items if i.nomination.candidate.kind.value == kind]
        if of_kind:
            rows.append(heading)
            rows.extend(row_of(number, item) for number, item in enumerate(of_kind, start=1))
    return rows


def _counts(items) -> tuple[int, int]:
    individuals = sum(1 for i in items if i.nomination.candidate.kind.value == "individual")
    return individuals, len(items) - individuals


def _money_basis(money) -> str:
    known = [line_ for line_ in money.lines.values() if line_.known]
    if not known:
        return ""
    base = known[0].base
    return f"mức lương cơ sở {vnd(base.amount)} đồng quy định tại {base.instrument.replace('Nghị định ', 'Nghị định số ')}"


def _minutes_grounds(meetings, unit_name: str) -> list[str]:
    """"Căn cứ Biên bản số 03/BB-HĐTĐKT ngày 03/04/2020 họp Hội đồng Thi đua - Khen thưởng thành
    phố Huế;" for each council meeting whose secret ballot the proposal rests on."""
    return [f"Căn cứ Biên bản {'số ' + m.number + ' ' if m.number else ''}ngày {m.meeting_date:%d/%m/%Y} họp "
            f"{COMMITTEE} {running_name(unit_name)} (kết quả bỏ phiếu kín);" for m in meetings]


PROPOSAL_WIDTHS = [15, 36, 38, 49, 27]
PROPOSAL_HEADERS = ["STT", "Họ và tên / Tên tập thể", "Chức vụ, đơn vị công tác", "Tóm tắt thành tích",
                    "Tiền thưởng (đồng)"]


def proposal_docx(proposal, money, plan=None, meetings=()) -> bytes:
    """The tờ trình: from the emulation and commendation committee (Hội đồng Thi đua - Khen
    thưởng) of the proposing unit, under its People's Committee, to the authority that confers
    the award; its grounds, its request with the reward money, and the list of nominees."""
    unit = proposal.proposing_unit
    award = proposal.award_type
    day = proposal.proposal_date or clock.today()
    doc = new_document()
    header(doc, f"Ủy ban nhân dân {running_name(unit.name)}", [COMMITTEE], proposal.number,
           place_name(unit.name), day)
    title(doc, "TỜ TRÌNH", f"Về việc đề nghị tặng {award.name}")
    line(doc, f"Kính gửi: {proposal.addressed_authority}", size=14).paragraph_format.space_after = 0
    line(doc, "")
    grounds = [f"Căn cứ {text};" for text in INSTRUMENTS[regime_for(day)][1:]]
    if plan is not None:
        grounds.append(f"Căn cứ Kế hoạch số {plan.number} ngày {plan.issued_date:%d/%m/%Y} về "
                       f"{_about(plan.title)};")
    grounds.extend(_minutes_grounds(meetings, unit.name))
    for text in grounds:
        body(doc, text)
    individuals, collectives = _counts(proposal.items)
    body(doc, f"{COMMITTEE} {running_name(unit.name)} kính trình {proposal.addressed_authority} xem xét, tặng "
              f"{award.name} cho {individuals} cá nhân và {collectives} tập thể đã có thành tích xuất sắc "
              f"(có danh sách kèm theo).")
    if money.total:
        body(doc, f"Tổng số tiền thưởng đề nghị: {vnd(money.total)} đồng (tính theo {_money_basis(money)}, "
                  f"làm tròn lên hàng chục nghìn đồng).")
    body(doc, f"Kính trình {proposal.addressed_authority} xem xét, quyết định./.")
    signature(doc, ["Như trên;", "Lưu: VT."], [f"TM. {COMMITTEE.upper()}", "CHỦ TỊCH"], "")
    page_break(doc)
    line(doc, "DANH SÁCH", size=14, bold=True)
    line(doc, f"cá nhân, tập thể đề nghị tặng {award.name}", size=14, bold=True)
    line(doc, f"(Kèm theo Tờ trình số {proposal.number} {long_date(day)} của {COMMITTEE} "
              f"{running_name(unit.name)})", size=14, italic=True)
    line(doc, "")
    rows = _sections(proposal.items, lambda n, item: [
        str(n), item.nomination.candidate.full_name, _who(item), _summary(item.nomination.achievements),
        _money_text(money.lines.get(item.id))])
    rows.append(["", "Tổng cộng", "", "", vnd(money.total)])
    grid(doc, PROPOSAL_HEADERS, PROPOSAL_WIDTHS, rows, [CENTER, None, None, None, RIGHT])
    return to_bytes(doc)


DECISION_WIDTHS = [15, 50, 70, 30]
DECISION_HEADERS = ["STT", "Họ và tên / Tên tập thể", "Chức vụ, đơn vị công tác", "Tiền thưởng (đồng)"]


def decision_docx(proposal, decision, money, meetings=()) -> bytes:
    """The Quyết định of the chairman of the People's Committee conferring the award: the Căn cứ
    lines (each instrument on its own line: the law on local government, the Law with its
    amendments, the decree of the regime, the plan, the council's minutes, the proposal), Điều 1 the award to those in
    the attached list, Điều 2 the reward money per person and in all with its source, Điều 3
    who carries it out, Nơi nhận, the signature; then the attached list, individuals and
    collectives apart."""
    unit = proposal.proposing_unit
    award = proposal.award_type
    awarded = [i for i in proposal.items if i.awarded]
    place, name = place_name(unit.name), running_name(unit.name)
    doc = new_document()
    header(doc, None, ["Ủy ban nhân dân", unit.name], decision.number, place, decision.decision_date)
    title(doc, "QUYẾT ĐỊNH", f"Về việc tặng {award.name}")
    line(doc, f"CHỦ TỊCH ỦY BAN NHÂN DÂN {unit.name.upper()}", size=14, bold=True, after=6)
    grounds = [f"Căn cứ {text};" for text in INSTRUMENTS[regime_for(proposal.proposal_date or decision.decision_date)]]
    if proposal.plan is not None:
        plan = proposal.plan
        grounds.append(f"Căn cứ Kế hoạch số {plan.number} ngày {plan.issued_date:%d/%m/%Y} của Ủy ban nhân dân "
                       f"{running_name(plan.issuing_unit.name)} về {_about(plan.title)};")
    day = proposal.proposal_date or decision.decision_date
    grounds.extend(_minutes_grounds(meetings, unit.name))
    grounds.append(f"Xét đề nghị của {COMMITTEE} {name} tại Tờ trình số {proposal.number} {long_date(day)}.")
    for text in grounds:
        line(doc, text, size=14, italic=True, align=JUSTIFY, indent_mm=10, after=3)
    line(doc, "QUYẾT ĐỊNH:", size=14, bold=True, after=6, before=6)
    individuals, collectives = _counts(awarded)
    whom = " và ".join(part for part in (f"{individuals} cá nhân" if individuals else "",
                                         f"{collectives} tập thể" if collectives else "") if part)
    body(doc, f"Điều 1. Tặng {award.name} cho {whom} (có danh sách kèm theo) đã có thành tích xuất sắc"
              + (f" trong thực hiện Kế hoạch số {proposal.plan.number}." if proposal.plan is not None else "."))
    known = [money.lines[i.id] for i in awarded if money.lines.get(i.id) is not None and money.lines[i.id].known]
    if known:
        per_kind = []
        for label, kind in (("mỗi cá nhân", "individual"), ("mỗi tập thể", "collective")):
            amounts = {money.lines[i.id].amount for i in awarded
                       if i.nomination.candidate.kind.value == kind and money.lines[i.id].known}
            if len(amounts) == 1:
                per_kind.append(f"{label} được tặng kèm theo tiền thưởng {vnd(amounts.pop())} đồng")
        money_text = "; ".join(per_kind + [f"tổng số tiền thưởng là {vnd(money.total)} đồng (tính theo "
                                            f"{_money_basis(money)}), từ nguồn Quỹ thi đua, khen thưởng của {name}."])
        body(doc, f"Điều 2. {money_text[0].upper()}{money_text[1:]}")
    else:
        body(doc, "Điều 2. Hình thức khen thưởng này không kèm theo tiền thưởng.")
    body(doc, f"Điều 3. Chánh Văn phòng Hội đồng nhân dân và Ủy ban nhân dân {name}, Thường trực {COMMITTEE} "
              f"{name}, Thủ trưởng các cơ quan, đơn vị có liên quan và các cá nhân, tập thể có tên tại Điều 1 "
              "chịu trách nhiệm thi hành Quyết định này./.")
    signature(doc, ["Như Điều 3;", "Lưu: VT, TĐKT."], ["CHỦ TỊCH"], decision.signer)
    page_break(doc)
    line(doc, "DANH SÁCH", size=14, bold=True)
    line(doc, f"cá nhân, tập thể được tặng {award.name}", size=14, bold=True)
    line(doc, f"(Kèm theo Quyết định số {decision.number} {long_date(decision.decision_date)} "
              f"của Chủ tịch Ủy ban nhân dân {name})", size=14, italic=True)
    line(doc, "")
    rows = _sections(awarded, lambda n, item: [str(n), item.nomination.candidate.full_name, _who(item),
                                               _money_text(money.lines.get(item.id))])
    rows.append(["", "Tổng cộng", "", vnd(money.total)])
    grid(doc, DECISION_HEADERS, DECISION_WIDTHS, rows, [CENTER, None, None, RIGHT])
    return to_bytes(doc)


def proposal_xlsx(proposal, money, verdicts: dict[int, str] | None = None) -> bytes:
    """The list as a spreadsheet: one row per nominee, with the result when decided. Every cell
    goes through the spreadsheet writer, so an imported name such as "=HYPERLINK(...)" stays text."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Danh sách"
    put(sheet, 1, 1, f"Danh sách đề nghị tặng {proposal.award_type.name} – Tờ trình số {proposal.number}",
        font=Font(bold=True, size=13))
    headers = ["STT", "Họ và tên / Tên tập thể", "Cá nhân / Tập thể", "Chức vụ", "Đơn vị", "Hình thức khen thưởng",
               "Kết quả", "Tiền thưởng (đồng)"]
    put_row(sheet, 2, headers, font=Font(bold=True),
            alignment=Alignment(horizontal="center", vertical="center", wrap_text=True))
    for index, item in enumerate(proposal.items, start=1):
        candidate = item.nomination.candidate
        result = "" if item.awarded is None else ("Được khen thưởng" if item.awarded else "Không được khen thưởng")
        put_row(sheet, index + 2, [index, candidate.full_name, "Cá nhân" if candidate.kind.value == "individual"
                                   else "Tập thể", candidate.position or "",
                                   candidate.workplace or item.nomination.unit.name, proposal.award_type.name, result,
                                   money.lines[item.id].amount if money.lines[item.id].known else None])
    put_row(sheet, len(proposal.items) + 3, [None, "Tổng cộng", None, None, None, None, None, money.total],
            font=Font(bold=True))
    for column, width in zip("ABCDEFGH", (6, 32, 14, 28, 32, 34, 22, 18)):
        sheet.column_dimensions[column].width = width
    return workbook_bytes(workbook)


def revocation_docx(revocation) -> bytes:
    """The Quyết định that revokes an award (Điều 93 Luật Thi đua, khen thưởng 2022): the Căn cứ
    lines (the laws of the regime in force, the ground the committee cited, the decision that
    conferred the award), Điều 1 the revocation with its reason, Điều 2 the return of the award's
    object and money, Điều 3 who carries it out; the signature."""
    unit, award = revocation.unit, revocation.award_record
    candidate = award.candidate
    place, name = place_name(unit.name), running_name(unit.name)
    day = revocation.decision_date or clock.today()
    doc = new_document()
    header(doc, None, ["Ủy ban nhân dân", unit.name], revocation.decision_number or "      /QĐ-UBND", place, day)
    title(doc, "QUYẾT ĐỊNH", f"Về việc hủy bỏ quyết định tặng {award.award_name} và thu hồi hiện vật, tiền thưởng")
    line(doc, f"CHỦ TỊCH ỦY BAN NHÂN DÂN {unit.name.upper()}", size=14, bold=True, after=6)
    grounds = [f"Căn cứ {text};" for text in INSTRUMENTS[regime_for(day)][:2]]
    grounds.append(f"Căn cứ {revocation.legal_basis.rstrip('.;')};")
    if award.decision_number:
        grounds.append(f"Căn cứ Quyết định số {award.decision_number}"
                       + (f" {long_date(award.decision_date)}" if award.decision_date else "")
                       + f" về việc tặng {award.award_name};")
    grounds.append(f"Xét đề nghị của {COMMITTEE} {name}.")
    for text in grounds:
        line(doc, text, size=14, italic=True, align=JUSTIFY, indent_mm=10, after=3)
    line(doc, "QUYẾT ĐỊNH:", size=14, bold=True, after=6, before=6)
    whom = candidate.full_name + (f", {candidate.position}" if candidate.position else "") + f", {candidate.unit.name}"
    conferred = (f" đã được tặng tại Quyết định số {award.decision_number}" if award.decision_number else "")
    body(doc, f"Điều 1. Hủy bỏ việc tặng {award.award_name} năm {award.year} đối với {whom}{conferred}. "
              f"Lý do: {revocation.reason.rstrip('.')}.")
    body(doc, f"Điều 2. {candidate.full_name} có trách nhiệm nộp lại hiện vật khen thưởng và số tiền thưởng đã nhận "
              f"theo quy định.")
    body(doc, f"Điều 3. Chánh Văn phòng Hội đồng nhân dân và Ủy ban nhân dân {name}, Thường trực {COMMITTEE} {name}, "
              f"Thủ trưởng các cơ quan, đơn vị có liên quan và {candidate.full_name} chịu trách nhiệm thi hành "
              "Quyết định này./.")
    signature(doc, ["Như Điều 3;", "Lưu: VT, TĐKT."], ["CHỦ TỊCH"], revocation.signer)
    return to_bytes(doc)


def achievement_report_template(collective: bool, campaign: bool) -> bytes:
    """The blank report of achievements (báo cáo thành tích) a nominee fills in, individual or
    collective, annual or for a campaign (theo đợt, chuyên đề): its sections, the table of the
    awards already received, the signatures."""
    doc = new_document()
    line(doc, QUOC_HIEU, size=13, bold=True)
    line(doc, TIEU_NGU, size=14, bold=True)
    line(doc, "")
    kind = "TẬP THỂ" if collective else "CÁ NHÂN"
    line(doc, f"BÁO CÁO THÀNH TÍCH CỦA {kind}", size=14, bold=True)
    line(doc, "ĐỀ NGHỊ KHEN THƯỞNG THEO ĐỢT (CHUYÊN ĐỀ)" if campaign else "ĐỀ NGHỊ TẶNG (CÔNG NHẬN) ................",
         size=14, bold=True)
    if campaign:
        line(doc, "(Thành tích trong đợt thi đua, chuyên đề: ..................................)", size=14, italic=True)
    line(doc, "")
    if collective:
        sections = [
            ("I. ĐẶC ĐIỂM, TÌNH HÌNH", ["Tên tập thể (ghi đầy đủ bằng chữ in thường, không viết tắt):",
                                       "Địa chỉ:", "Điện thoại:", "Quá trình thành lập và phát triển:",
                                       "Chức năng, nhiệm vụ được giao:", "Tổ chức bộ máy, số thành viên:"]),
            ("II. THÀNH TÍCH ĐẠT ĐƯỢC", ["1. Kết quả thực hiện nhiệm vụ được giao"
                                        + (" trong đợt thi đua, chuyên đề:" if campaign else ":"),
                                        "2. Các giải pháp, sáng kiến đã áp dụng và hiệu quả:",
                                        "3. Việc thực hiện chủ trương, chính sách của Đảng, pháp luật của Nhà nước:"]),
        ]
    else:
        sections = [
            ("I. SƠ LƯỢC LÝ LỊCH", ["Họ và tên (ghi đầy đủ bằng chữ in thường, không viết tắt):",
                                   "Sinh ngày, tháng, năm:                Giới tính:", "Quê quán:", "Trú quán:",
                                   "Đơn vị công tác:", "Chức vụ (đảng, chính quyền, đoàn thể):",
                                   "Trình độ chuyên môn, nghiệp vụ:"]),
            ("II. THÀNH TÍCH ĐẠT ĐƯỢC", ["1. Quyền hạn, nhiệm vụ được giao:",
                                        "2. Thành tích đạt được" + (" trong đợt thi đua, chuyên đề:" if campaign else
                                                                   " (kết quả thực hiện nhiệm vụ, sáng kiến, đề tài):")]),
        ]
    for heading, rows in sections:
        body(doc, heading, bold=True)
        for text in rows:
            body(doc, text)
    body(doc, "III. CÁC HÌNH THỨC ĐÃ ĐƯỢC KHEN THƯỞNG", bold=True)
    grid(doc, ["Năm", "Danh hiệu thi đua, hình thức khen thưởng", "Số, ngày, tháng, năm của quyết định; cơ quan ban hành"],
         [20, 70, 75], [["", "", ""], ["", "", ""], ["", "", ""]])
    line(doc, "")
    who = ("THỦ TRƯỞNG ĐƠN VỊ", "") if collective else ("NGƯỜI BÁO CÁO THÀNH TÍCH", "(Ký, ghi rõ họ và tên)")
    signatures(doc, [(["THỦ TRƯỞNG ĐƠN VỊ CẤP TRÊN", "XÁC NHẬN, ĐỀ NGHỊ"], "(Ký, đóng dấu)"), ([who[0]], who[1])])
    return to_bytes(doc)
