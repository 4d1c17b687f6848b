"""Demo data: Plan 156/KH-UBND of 15/10/2019 in a real city's wards and communes.

The source article does not name its city; the demo uses Thành phố Huế with its 40 wards and
communes as listed by the `vietnam-provinces` package (the list in force since 01/07/2025).
Running the loader again adds nothing twice: every row is looked up by its natural key first.
"""
import io
from datetime import date, timedelta

from sqlalchemy import select
from vietnam_provinces import Province, Ward
from vietnam_provinces.base import VietNamDivisionType

from tracker import clock
from tracker.attachments import services as files
from tracker.awards import documents
from tracker.councils import services as councils
from tracker.councils.models import CouncilRole, RecusalReason
from tracker.candidates import services as candidates
from tracker.awards.demo import seed_awards_demo
from tracker.catalogue.models import AwardType
from tracker.catalogue.services import load_catalogue
from tracker.extensions import db
from tracker.nominations import services as nominations
from tracker.candidates.models import AwardRecord, CandidateKind, Gender
from tracker.nominations.models import Nomination, NominationStatus
from tracker.plans import services as plans
from tracker.plans.models import Milestone, MilestoneKind, MilestoneScope, Movement, Plan, PlanStatus
from tracker.reports import services as reports
from tracker.revocations import services as revocations
from tracker.reports.models import ProgressReport
from tracker.units.models import Unit, UnitKind
from tracker.units.services import create_unit
from tracker.users.models import Role, User
from tracker.users.services import create_user

CITY_PROVINCE_CODE = 46  # Thành phố Huế

PLAN = {
    "number": "156/KH-UBND",
    "title": (
        "Kế hoạch tổ chức Hội nghị điển hình tiên tiến cấp xã, phường tiến tới "
        "Hội nghị điển hình tiên tiến thành phố lần thứ V (2020 - 2025)"
    ),
    "issued_date": date(2019, 10, 15),
    "period_start_year": 2020,
    "period_end_year": 2025,
    "legal_basis": "Chỉ thị 34-CT/TW ngày 07/4/2014 của Bộ Chính trị",
    "summary": (
        "Tích cực tuyên truyền tư tưởng Hồ Chí Minh về thi đua yêu nước; phát động đợt thi đua "
        "đặc biệt; phát hiện, bồi dưỡng và nhân rộng các điển hình tiên tiến được quần chúng, "
        "tập thể suy tôn. Hội nghị điển hình tiên tiến cấp cơ sở trong quý I/2020; thành phố "
        "được tỉnh chọn là điểm chỉ đạo tổ chức Hội nghị điển hình tiên tiến từ ngày 20/4 đến "
        "25/4/2020."
    ),
    "body": (
        "Chỉ đạo triển khai thực hiện những nội dung trọng tâm từ nay đến Hội nghị điển hình tiên "
        "tiến thành phố lần thứ V (2020 - 2025). Tập trung chỉ đạo và triển khai có hiệu quả các "
        "phong trào thi đua trọng tâm. Tổ chức triển khai thực hiện Chỉ thị của Tỉnh ủy và Kế "
        "hoạch của Ủy ban nhân dân tỉnh về tiếp tục đổi mới công tác thi đua khen thưởng theo "
        "tinh thần Chỉ thị 34-CT/TW ngày 07/4/2014 của Bộ Chính trị."
    ),
}

MOVEMENTS = (
    "Doanh nghiệp Việt Nam hội nhập và phát triển",
    "Cả nước chung tay vì người nghèo – Không để ai bị bỏ lại phía sau",
    "Cán bộ, công chức, viên chức thi đua thực hiện văn hóa công sở",
)

MILESTONES = (
    {
        "title": "Hội nghị điển hình tiên tiến cấp xã, phường",
        "start_date": date(2020, 1, 1),
        "due_date": date(2020, 3, 31),
        "scope": MilestoneScope.SUBUNITS,
        "unit_kinds": "ward,commune",
        "requires_report": True,
        "description": "Mỗi xã, phường tổ chức Hội nghị điển hình tiên tiến trong quý I/2020.",
    },
    {
        "title": "Nộp hồ sơ đề nghị khen thưởng điển hình tiên tiến",
        "kind": MilestoneKind.DOSSIER,
        "start_date": date(2020, 4, 1),
        "due_date": date(2020, 4, 15),
        "scope": MilestoneScope.SUBUNITS,
        "unit_kinds": "ward,commune",
        "requires_report": True,
        "is_assumption": True,
        "note": "Giả định: bài viết không nêu hạn nộp hồ sơ; chọn trước Hội nghị thành phố.",
        "description": "Các xã, phường gửi hồ sơ đề nghị khen thưởng về Hội đồng Thi đua – Khen thưởng thành phố.",
    },
    {
        "title": "Hội nghị điển hình tiên tiến thành phố lần thứ V",
        "start_date": date(2020, 4, 20),
        "due_date": date(2020, 4, 25),
        "scope": MilestoneScope.ISSUING_UNIT,
        "unit_kinds": "",
        "requires_report": True,
        "description": "Thành phố được tỉnh chọn là điểm chỉ đạo, tổ chức từ ngày 20/4 đến 25/4/2020.",
    },
)

CANDIDATES = (
    # (kind, name, gender, birth year, position, workplace / members, movement index, status)
    ("individual", "Nguyễn Văn Hòa", "male", 1972, "Tổ trưởng tổ dân phố", "Tổ dân phố 5", 1, "accepted"),
    ("individual", "Trần Thị Mai", "female", 1985, "Chủ hộ kinh doanh", "Hộ kinh doanh Mai Hương", 0, "submitted"),
    ("individual", "Lê Quang Minh", "male", 1979, "Công chức Văn phòng – Thống kê", "UBND phường", 2, "returned"),
    ("collective", "Chi hội Phụ nữ tổ dân phố 3", None, None, "", 42, 1, "accepted"),
    ("individual", "Phạm Thị Lan", "female", 1990, "Giáo viên", "Trường Tiểu học", 2, "draft"),
    ("collective", "Hợp tác xã nông nghiệp", None, None, "", 120, 0, "resubmitted"),
    ("individual", "Hoàng Văn Đức", "male", 1968, "Cựu chiến binh", "Chi hội Cựu chiến binh", 1, "rejected"),
    ("individual", "Võ Thị Thu", "female", 1988, "Bác sĩ", "Trạm Y tế", 2, "accepted"),
)

REPORT_PATTERN = ("accepted", "accepted", "accepted", "submitted", "returned", "draft", None, None)


def _get_unit(code: str) -> Unit | None:
    return db.session.scalar(select(Unit).where(Unit.code == code))


def _units() -> tuple[Unit, list[Unit]]:
    province = Province.from_code(CITY_PROVINCE_CODE)
    city = _get_unit(str(CITY_PROVINCE_CODE)) or create_unit(
        None, province.name, str(CITY_PROVINCE_CODE), UnitKind.CITY, None
    )
    wards = []
    for ward in sorted(Ward.iter_by_province(province.code), key=lambda w: w.code.value):
        code = f"{ward.code.value:05d}"
        kind = UnitKind.WARD if ward.division_type is VietNamDivisionType.PHUONG else UnitKind.COMMUNE
        wards.append(_get_unit(code) or create_unit(None, ward.name, code, kind, city))
    return city, wards


def _user(actor, username, full_name, role, unit, password) -> User:
    user = db.session.scalar(select(User).where(User.username == username))
    return user or create_user(actor, username, full_name, role, unit, password,
                               email=f"{username}@tracker.invalid")


COUNCIL = (  # the city's emulation and commendation council (names are the demo's own)
    ("Nguyễn Văn Thanh", "Chủ tịch UBND thành phố", CouncilRole.CHAIR),
    ("Trần Thị Hương", "Phó Chủ tịch UBND thành phố", CouncilRole.VICE_CHAIR),
    ("Lê Minh Tuấn", "Trưởng phòng Nội vụ", CouncilRole.STANDING),
    ("Phạm Thị Lan", "Chủ tịch Ủy ban MTTQ Việt Nam thành phố", CouncilRole.MEMBER),
    ("Hoàng Văn Nam", "Chủ tịch Liên đoàn Lao động thành phố", CouncilRole.MEMBER),
    ("Võ Thị Mai", "Bí thư Thành đoàn", CouncilRole.MEMBER),
)


def _council(committee, city: Unit) -> None:
    """The city's council since 2019; one member left at the end of 2019 and was replaced."""
    if councils.memberships(city):
        return
    with clock.pinned(PLAN["issued_date"]):  # recorded with the plan; serving since January 2019
        for name, position, role in COUNCIL:
            councils.add_member(committee, city, name, position, role, date(2019, 1, 2))
        former = councils.add_member(committee, city, "Đặng Văn Hải", "Chủ tịch Hội Cựu chiến binh thành phố",
                                     CouncilRole.MEMBER, date(2019, 1, 2))
    with clock.pinned(date(2020, 1, 6)):
        councils.end_membership(committee, former, date(2019, 12, 31))
        councils.add_member(committee, city, "Bùi Quang Vinh", "Chủ tịch Hội Cựu chiến binh thành phố",
                            CouncilRole.MEMBER, date(2020, 1, 1))


def _attach_report(officer, nomination) -> None:
    """The nominee's report of achievements (the tracker's own template, for a campaign), attached
    to the nomination as the ward does."""
    data = documents.achievement_report_template(nomination.candidate.kind is CandidateKind.COLLECTIVE, True)
    checked = files.check_upload(files.Upload("bao-cao-thanh-tich.docx", io.BytesIO(data)), len(data) + 1)
    files.add_attachment(officer, checked, "achievements", unit_id=nomination.unit_id, nomination=nomination)


def _council_meeting(committee, city: Unit, plan) -> None:
    """On 31/03/2020 the council weighs the first three accepted nominations for a Giấy khen: six
    of its seven members present, a secret ballot on each; one member, a relative of a nominee,
    recused from that item."""
    if councils.meetings(city):
        return
    accepted = db.session.scalars(
        select(Nomination).where(Nomination.plan_id == plan.id, Nomination.status == NominationStatus.ACCEPTED)
        .order_by(Nomination.id)).all()[:3]
    if not accepted:
        return
    day = date(2020, 3, 31)
    giay_khen = db.session.scalar(select(AwardType).where(AwardType.code == "GIAY_KHEN", AwardType.regime == "2017"))
    with clock.pinned(day):
        meeting = councils.schedule_meeting(committee, city, day, "Phòng họp số 1, UBND thành phố", "03/BB-HĐTĐKT")
        members = councils.members_on(city, day)
        absent = next(m for m in members if m.full_name == "Bùi Quang Vinh")
        state = councils.record_attendance(committee, meeting, {m.id for m in members if m is not absent})
        items = councils.add_to_agenda(committee, meeting, accepted, giay_khen)
        relative = next(m for m in members if m.full_name == "Võ Thị Mai")
        for index, item in enumerate(items):
            recused = {relative.id: RecusalReason.RELATIVE} if index == 0 else {}
            voters = len(state.present - set(recused))
            councils.record_vote(committee, item, voters - 1, 1 if index else 0, 0 if index else 1, recused)


def _revoke_one(committee, leader, city: Unit, plan) -> None:
    """The 2018 Lao động tiên tiến of one person was revoked in March 2020: a complaint showed
    that the year's assessment had been recorded wrongly."""
    record = db.session.scalar(
        select(AwardRecord).join(Nomination, Nomination.candidate_id == AwardRecord.candidate_id)
        .where(Nomination.plan_id == plan.id, Nomination.status == NominationStatus.ACCEPTED, AwardRecord.year == 2018)
        .order_by(Nomination.id.desc()).limit(1))
    if record is None or record.revoked:
        return
    with clock.pinned(date(2020, 3, 20)):
        revocation = revocations.propose_revocation(
            committee, record, city, "Kết quả đánh giá, xếp loại năm 2018 được ghi nhận không đúng (theo kết luận "
            "giải quyết khiếu nại).", revocations.default_basis(date(2020, 3, 20)))
    with clock.pinned(date(2020, 3, 25)):
        revocations.decide_revocation(leader, revocation, "12/QĐ-UBND", date(2020, 3, 25), "Nguyễn Văn Thanh")


def _ward_username(ward: Unit) -> str:
    """A readable, stable username from the ward's official code name: "phuong_thuan_hoa"."""
    return Ward.from_code(int(ward.code)).codename


def seed_demo(password: str) -> str:
    """Load (or complete) the demo data set and return the list of demo accounts as text.

    Each step is recorded on the day it happens in the story (clock.pinned): the plan on the day
    it was issued, a report on the days it was written, handed in and reviewed, and so on."""
    with clock.pinned(PLAN["issued_date"]):
        city, wards = _units()
        admin = _user(None, "admin", "Quản trị hệ thống", Role.ADMIN, city, password)
        committee = _user(admin, "committee", "Ban Thi đua – Khen thưởng thành phố", Role.COMMITTEE, city, password)
        leader = _user(admin, "leader", "Lãnh đạo UBND thành phố", Role.LEADER, city, password)
        officers = {w.id: _user(admin, _ward_username(w), f"Cán bộ {w.name}", Role.WARD_OFFICER, w, password)
                    for w in wards}
        load_catalogue(admin)

        plan = db.session.scalar(select(Plan).where(Plan.issuing_unit_id == city.id, Plan.number == PLAN["number"]))
        if plan is None:
            plan = plans.create_plan(committee, city, status=PlanStatus.ACTIVE, **PLAN)
        movements = []
        for position, name in enumerate(MOVEMENTS):
            movement = db.session.scalar(select(Movement).where(Movement.plan_id == plan.id, Movement.name == name))
            movements.append(movement or plans.add_movement(committee, plan, name, position=position))
        milestones = []
        for values in MILESTONES:
            milestone = db.session.scalar(
                select(Milestone).where(Milestone.plan_id == plan.id, Milestone.title == values["title"]))
            milestones.append(milestone or plans.add_milestone(committee, plan, **values))

    grassroots = milestones[0]
    for index, ward in enumerate(wards):
        state = REPORT_PATTERN[index % len(REPORT_PATTERN)]
        exists = db.session.scalar(select(ProgressReport.id).where(
            ProgressReport.milestone_id == grassroots.id, ProgressReport.unit_id == ward.id))
        if state is None or exists:
            continue
        officer = officers[ward.id]
        held = date(2020, 3, 2 + index % 25)
        with clock.pinned(held):  # each step on its own day (the records' timestamps say so)
            report = reports.get_or_start_report(officer, grassroots, ward)
            reports.save_report(
                officer, report,
                held_date=held, place=f"Hội trường UBND {ward.name}",
                chaired_by=f"Chủ tịch UBND {ward.name}", participants=80 + index,
                individuals_honoured=10 + index % 12, collectives_honoured=3 + index % 5,
                delegates=3, funding_vnd=15_000_000 + 500_000 * index,
                narrative="Hội nghị biểu dương các điển hình tiên tiến giai đoạn 2015 - 2020.",
            )
        if state != "draft":
            with clock.pinned(held + timedelta(days=2)):
                reports.submit_report(officer, report, today=held + timedelta(days=2))
        with clock.pinned(held + timedelta(days=5)):
            if state == "accepted":
                reports.accept_report(committee, report)
            elif state == "returned":
                reports.return_report(committee, report, "Đề nghị bổ sung biên bản hội nghị và danh sách khen thưởng.")

    for index, (kind, name, gender, birth_year, position, extra, movement_index, status) in enumerate(CANDIDATES):
        ward = wards[index * 3 % len(wards)]
        candidate_kind = CandidateKind(kind)
        full_name = name if kind == "individual" else f"{name} {ward.name}"
        candidate = candidates.find_candidate(candidate_kind, full_name, birth_year, ward)
        if candidate is None:
            fields = {"birth_year": birth_year, "position": position}
            if kind == "individual":
                fields.update(gender=Gender(gender), workplace=f"{extra}, {ward.name}")
            else:
                fields.update(member_count=extra, workplace=ward.name)
            candidate = candidates.create_candidate(officers[ward.id], candidate_kind, full_name, ward, **fields)
        if db.session.scalar(select(Nomination.id).where(
                Nomination.plan_id == plan.id, Nomination.candidate_id == candidate.id)):
            continue
        officer = officers[ward.id]
        with clock.pinned(date(2020, 3, 12)):  # after the ward's meeting of 10/03/2020
            nomination = nominations.create_nomination(
                officer, plan, movements[movement_index], candidate, ward,
                achievements="Gương mẫu, tích cực trong phong trào thi đua giai đoạn 2015 - 2020.",
                period_start_year=2015, period_end_year=2020, meeting_date=date(2020, 3, 10),
                members_present=25, votes_for=23,
            )
            _attach_report(officer, nomination)
        with clock.pinned(date(2020, 3, 16)):
            if status != "draft":
                nominations.submit_nomination(officer, nomination)
        with clock.pinned(date(2020, 3, 23)):
            if status in ("returned", "resubmitted"):
                nominations.return_nomination(committee, nomination, "Đề nghị bổ sung minh chứng thành tích.")
        with clock.pinned(date(2020, 3, 26)):
            if status == "resubmitted":
                nominations.submit_nomination(officer, nomination)
        with clock.pinned(date(2020, 3, 30)):
            if status == "accepted":
                nominations.accept_nomination(committee, nomination)
            if status == "rejected":
                nominations.reject_nomination(committee, nomination, "Thành tích chưa tiêu biểu.")

    # The wards whose nominations are all handed in hand in their dossier (done on the dashboard).
    dossier = milestones[1]
    for ward in wards:
        figures = reports.dossier_figures(dossier, ward.id)
        if figures.handed_in and not figures.drafts and reports.find_report(dossier, ward) is None:
            with clock.pinned(date(2020, 4, 2)):
                report = reports.get_or_start_report(officers[ward.id], dossier, ward)
                reports.save_report(officers[ward.id], report, narrative="Gửi kèm hồ sơ đề nghị khen thưởng của đơn vị.")
                reports.submit_report(officers[ward.id], report, today=date(2020, 4, 2))

    _council(committee, city)
    _council_meeting(committee, city, plan)
    seed_awards_demo(committee, leader, plan, city)
    _revoke_one(committee, leader, city, plan)

    lines = [
        f"Demo data ready: {city.name}, {len(wards)} wards and communes, plan {plan.number}.",
        f"Password for every demo account: {password}",
        "  admin      – administrator",
        "  committee  – emulation committee (Ban Thi đua – Khen thưởng)",
        "  leader     – leader of the city People's Committee",
        "Ward officers (one per ward or commune):",
    ]
    lines += [f"  {officers[w.id].username:<10} – {w.name}" for w in wards]
    return "\n".join(lines)
