"""Plain factory helpers: they build rows through the services and flush, never commit."""
from datetime import date
from itertools import count

from tracker.nominations import validation
from tracker.candidates import services as candidates
from tracker.extensions import db
from tracker.plans import services as plan_services
from tracker.plans.models import MilestoneScope, PlanStatus
from tracker.units.models import UnitKind
from tracker.units.services import create_unit
from tracker.users.models import Role
from tracker.users.services import create_user

PASSWORD = "Kh0ng-de-doan-2020"
_seq = count(1)


def make_unit(name=None, kind=UnitKind.WARD, parent=None, code=None):
    n = next(_seq)
    return create_unit(None, name or f"Đơn vị {n}", code or f"U{n:05d}", kind, parent)


def make_user(role=Role.WARD_OFFICER, unit=None, username=None, password=PASSWORD, full_name=None):
    n = next(_seq)
    unit = unit or make_unit()
    return create_user(None, username or f"user{n}", full_name or f"Người dùng {n}", role, unit, password)


def make_plan(unit, number=None, status=PlanStatus.ACTIVE, **values):
    n = next(_seq)
    defaults = {
        "number": number or f"{n}/KH-UBND",
        "title": f"Kế hoạch {n}",
        "issued_date": date(2019, 10, 15),
        "period_start_year": 2020,
        "period_end_year": 2025,
        "status": status,
    }
    defaults.update(values)
    return plan_services.create_plan(None, unit, **defaults)


def make_milestone(plan, title=None, start=date(2020, 1, 1), due=date(2020, 3, 31),
                   scope=MilestoneScope.SUBUNITS, kinds="ward,commune", **values):
    n = next(_seq)
    return plan_services.add_milestone(None, plan, title=title or f"Mốc {n}", start_date=start,
                                       due_date=due, scope=scope, unit_kinds=kinds, **values)


def role_users(tree) -> dict:
    """One user per role in city A, a ward officer per ward, the same roles in city B, and the
    admin of the province at the root of the tree (the only one who edits the award catalogue)."""
    return {
        "admin": make_user(Role.ADMIN, tree["city_a"], "admin_a"),
        "committee": make_user(Role.COMMITTEE, tree["city_a"], "committee_a"),
        "leader": make_user(Role.LEADER, tree["city_a"], "leader_a"),
        "officer": make_user(Role.WARD_OFFICER, tree["ward_a1"], "officer_a1"),
        "officer_a2": make_user(Role.WARD_OFFICER, tree["ward_a2"], "officer_a2"),
        "admin_b": make_user(Role.ADMIN, tree["city_b"], "admin_b"),
        "committee_b": make_user(Role.COMMITTEE, tree["city_b"], "committee_b"),
        "leader_b": make_user(Role.LEADER, tree["city_b"], "leader_b"),
        "officer_b": make_user(Role.WARD_OFFICER, tree["ward_b1"], "officer_b1"),
        "admin_root": make_user(Role.ADMIN, tree["province"], "admin_root"),
    }


def route_records(users, tree) -> dict:
    """One record of each kind inside city A (the signed-in user's side) and one in city B:
    {name: id} for the route sweeps (tests/test_permissions.py, tests/test_inputs.py)."""
    from tracker.notifications.services import notify

    own_plan, other_plan = make_plan(tree["city_a"]), make_plan(tree["city_b"])
    own_milestone, other_milestone = make_milestone(own_plan), make_milestone(other_plan)
    own_movement = plan_services.add_movement(None, own_plan, "Phong trào A")
    other_movement = plan_services.add_movement(None, other_plan, "Phong trào B")
    notification = notify(users["officer_b"], "Thông báo B")
    reports = report_records(users, own_milestone, other_milestone)
    awards = award_records(tree, own_plan, other_plan)
    nominations = nomination_records(users, own_plan, other_plan, own_movement, other_movement)
    own_job, other_job = finished_job(users["officer"]), finished_job(users["officer_b"])
    return {
        "own_job": own_job.id, "other_job": other_job.id,
        "own_plan": own_plan.id, "other_plan": other_plan.id,
        "own_milestone": own_milestone.id, "other_milestone": other_milestone.id,
        "own_movement": own_movement.id, "other_movement": other_movement.id,
        "own_unit": tree["ward_a1"].id, "other_unit": tree["ward_b1"].id,
        "own_user": users["officer"].id, "other_user": users["officer_b"].id,
        "other_notification": notification.id,
        **awards,
        **reports,
        **nominations,
    }


def make_city_tree():
    """A province with two cities, each with two wards: the shape most scope tests need."""
    province = make_unit("Tỉnh Thử Nghiệm", UnitKind.PROVINCE, code=f"P{next(_seq)}")
    city_a = make_unit("Thành phố A", UnitKind.CITY, province)
    city_b = make_unit("Thành phố B", UnitKind.CITY, province)
    tree = {
        "province": province,
        "city_a": city_a,
        "city_b": city_b,
        "ward_a1": make_unit("Phường A1", UnitKind.WARD, city_a),
        "ward_a2": make_unit("Xã A2", UnitKind.COMMUNE, city_a),
        "ward_b1": make_unit("Phường B1", UnitKind.WARD, city_b),
        "ward_b2": make_unit("Phường B2", UnitKind.WARD, city_b),
    }
    db.session.flush()
    return tree


# --- progress reports --------------------------------------------------------------------

REPORT_VALUES = {
    "place": "Hội trường UBND",
    "chaired_by": "Chủ tịch UBND",
    "participants": 100,
    "delegates": 5,
    "funding_vnd": 15_000_000,
    "narrative": "Hội nghị biểu dương các điển hình tiên tiến.",
}


def make_report(officer, milestone, unit=None, status="draft", today=None, reviewer=None, honours=None,
                **values):
    """A report of `officer`'s unit filled with valid values (held on the milestone's first day
    unless told), taken through the services to `status`: draft, submitted, returned,
    resubmitted or accepted. `today` defaults to the day it was held."""
    from tracker.reports import services as reports

    unit = unit or officer.unit
    fields = {**REPORT_VALUES, "held_date": milestone.start_date, **values}
    today = today or fields["held_date"] or milestone.start_date
    report = reports.get_or_start_report(officer, milestone, unit)
    reports.save_report(officer, report, honours=honours, **fields)
    if status == "draft":
        return report
    reports.submit_report(officer, report, today)
    if status in ("returned", "resubmitted"):
        reports.return_report(reviewer, report, "Đề nghị bổ sung biên bản.")
    if status == "resubmitted":
        reports.submit_report(officer, report, today)
    if status == "accepted":
        reports.accept_report(reviewer, report)
    return report


def pdf_bytes(text: str = "Biên bản hội nghị") -> bytes:
    """A small but well-formed PDF."""
    body = f"BT /F1 12 Tf 72 720 Td ({text.encode('ascii', 'replace').decode()}) Tj ET".encode()
    return (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
            b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
            b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]/Contents 4 0 R>>endobj\n"
            b"4 0 obj<</Length " + str(len(body)).encode() + b">>stream\n" + body + b"\nendstream endobj\n"
            b"trailer<</Root 1 0 R>>\n%%EOF\n")


def attach_file(officer, report, name="bien-ban.pdf", data=None, category="minutes"):
    """Attach a file to a draft or returned report through the services; returns the Attachment."""
    import io

    from tracker.attachments.services import Upload, attachments_of
    from tracker.reports import services as reports

    reports.save_report(officer, report, uploads=[Upload(name, io.BytesIO(data or pdf_bytes()))], category=category)
    return attachments_of(report_id=report.id)[-1]


def report_records(users, own_milestone, other_milestone) -> dict:
    """For the route matrix: a submitted report with one file in ward A1 and another in ward B1."""
    own = make_report(users["officer"], own_milestone)
    own_file = attach_file(users["officer"], own)
    other = make_report(users["officer_b"], other_milestone)
    other_file = attach_file(users["officer_b"], other)
    from tracker.reports import services as reports

    reports.submit_report(users["officer"], own, own_milestone.start_date)
    reports.submit_report(users["officer_b"], other, other_milestone.start_date)
    return {"own_report": own.id, "other_report": other.id,
            "own_file": own_file.id, "other_file": other_file.id}


def make_accepted_nomination(plan, unit, name="Nguyễn Văn Hòa", kind="individual", period_end_year=2019, **values):
    """A nomination that went through submit and accept, ready for a proposal."""
    from tracker.nominations import services as nominations
    from tracker.candidates.models import CandidateKind, Gender

    person = {"gender": Gender.FEMALE, "birth_year": 1980} if kind == "individual" else {"member_count": 20}
    candidate = candidates.create_candidate(None, CandidateKind(kind), name, unit, position="Tổ trưởng", **person)
    nomination = nominations.create_nomination(
        None, plan, None, candidate, unit, achievements="Gương mẫu, tích cực.", period_start_year=2015,
        period_end_year=period_end_year, meeting_date=date(2020, 3, 10), members_present=25, votes_for=23, **values)
    nominations.submit_nomination(None, nomination)
    nominations.accept_nomination(None, nomination)
    return nomination


def award_records(tree, own_plan, other_plan):
    """A draft proposal with one item and a candidate in city A, and the same in city B."""
    from tracker.awards import services as awards
    from tracker.catalogue.models import AwardType
    from tracker.catalogue.services import load_catalogue
    from tracker.extensions import db as _db

    load_catalogue(None)
    award = _db.session.scalar(
        _db.select(AwardType).where(AwardType.code == "GIAY_KHEN", AwardType.regime == "2017"))
    own = make_accepted_nomination(own_plan, tree["ward_a1"], "Ứng viên A")
    other = make_accepted_nomination(other_plan, tree["ward_b1"], "Ứng viên B")
    own_proposal = awards.create_proposal(None, tree["city_a"], "12/TTr-UBND", date(2020, 4, 12), award, "Chủ tịch", [own])
    other_proposal = awards.create_proposal(None, tree["city_b"], "12/TTr-UBND", date(2020, 4, 12), award, "Chủ tịch",
                                            [other])
    # A council meeting of each city with one item on its agenda, not voted yet.
    own_meeting = hold_council_vote(tree["city_a"], [], None, vote=False)
    other_meeting = hold_council_vote(tree["city_b"], [], None, vote=False)
    # An award received in 2018 by each candidate, its revocation proposed by the city's committee.
    from tracker.revocations import services as revocations

    own_record = candidates.add_award_record(None, own.candidate, award, 2018, "9/QĐ-UBND")
    other_record = candidates.add_award_record(None, other.candidate, award, 2018, "9/QĐ-UBND")
    own_revocation = revocations.propose_revocation(None, own_record, tree["city_a"], "Lý do", "Điều 93")
    other_revocation = revocations.propose_revocation(None, other_record, tree["city_b"], "Lý do", "Điều 93")
    return {
        "own_record": own_record.id, "other_record": other_record.id,
        "own_revocation": own_revocation.id, "other_revocation": other_revocation.id,
        "own_proposal": own_proposal.id, "other_proposal": other_proposal.id, "own_item": own_proposal.items[0].id,
        "own_candidate": own.candidate_id, "other_candidate": other.candidate_id, "award": award.id,
        "own_meeting": own_meeting.id, "other_meeting": other_meeting.id,
    }


# --- nominations -------------------------------------------------------------------------

NOMINATION_VALUES = {
    "achievements": "Gương mẫu, tích cực trong phong trào thi đua giai đoạn 2015 - 2020.",
    "period_start_year": 2015,
    "period_end_year": 2020,
    "meeting_date": date(2020, 3, 10),
    "members_present": 25,
    "votes_for": 23,
}


def make_nomination(officer, plan, movement=None, name="Nguyễn Văn Hòa", kind="individual", status="draft",
                    reviewer=None, birth_year=1972, unit=None, **values):
    """A complete nomination by `officer`'s unit, taken through the services to `status`: draft,
    submitted, returned, resubmitted, accepted, rejected or withdrawn."""
    from tracker.nominations import services as nominations
    from tracker.candidates.models import CandidateKind, Gender

    unit = unit or officer.unit
    candidate_kind = CandidateKind(kind)
    person = ({"gender": Gender.MALE, "birth_year": birth_year, "position": "Tổ trưởng tổ dân phố",
               "workplace": "Tổ dân phố 5"} if kind == "individual" else {"member_count": 42, "workplace": unit.name})
    candidate = candidates.find_candidate(candidate_kind, name, person.get("birth_year"), unit) or \
        candidates.create_candidate(officer, candidate_kind, name, unit, **person)
    if movement is None and plan.movements:
        movement = plan.movements[0]
    nomination = nominations.create_nomination(officer, plan, movement, candidate, unit,
                                               **{**NOMINATION_VALUES, **values})
    if status == "draft":
        return nomination
    if status == "withdrawn":
        return nominations.withdraw_nomination(officer, nomination)
    nominations.submit_nomination(officer, nomination)
    if status in ("returned", "resubmitted"):
        nominations.return_nomination(reviewer, nomination, "Đề nghị bổ sung minh chứng thành tích.")
    if status == "resubmitted":
        nominations.submit_nomination(officer, nomination)
    if status == "accepted":
        nominations.accept_nomination(reviewer, nomination)
    if status == "rejected":
        nominations.reject_nomination(reviewer, nomination, "Thành tích chưa tiêu biểu.")
    return nomination


def nomination_records(users, own_plan, other_plan, own_movement, other_movement) -> dict:
    """For the route matrix: a submitted nomination with one file in ward A1, the same in ward B1,
    and a submitted one of ward A2 (the A1 officer's neighbour, inside the same city)."""
    import io

    from tracker.attachments.services import Upload, attachments_of
    from tracker.nominations import services as nominations

    def one(officer, plan, movement, name):
        nomination = make_nomination(officer, plan, movement, name=name)
        nominations.save_nomination(
            officer, officer.unit, plan, movement, validation.CandidateInput(
                kind=nomination.candidate.kind, full_name=nomination.candidate.full_name,
                gender=nomination.candidate.gender, birth_year=nomination.candidate.birth_year),
            today=date(2020, 4, 10), nomination=nomination,
            uploads=[Upload("thanh-tich.pdf", io.BytesIO(pdf_bytes()))], category="achievements")
        nominations.submit_nomination(officer, nomination)
        return nomination, attachments_of(nomination_id=nomination.id)[-1]

    own, own_file = one(users["officer"], own_plan, own_movement, "Trần Thị Mai")
    other, other_file = one(users["officer_b"], other_plan, other_movement, "Lê Quang Minh")
    sibling = make_nomination(users["officer_a2"], own_plan, own_movement, name="Phạm Thị Lan", status="submitted")
    return {"own_nomination": own.id, "other_nomination": other.id, "sibling_nomination": sibling.id,
            "own_nomination_file": own_file.id, "other_nomination_file": other_file.id}


def exported(client, url: str):
    """Export as the list's button does: start the job (POST), then download its file from the
    job's page. A refusal (404, 429) is returned as it came."""
    started = client.post(url)
    if started.status_code != 302 or "/jobs/" not in started.headers["Location"]:
        return started
    return client.get(started.headers["Location"].rstrip("/") + "/download")


def finished_job(owner, data: bytes = "Họ và tên\r\nNguyễn Văn Hòa\r\n".encode("utf-8-sig")):
    """An export job of `owner`'s, finished, with its file in storage (as a worker leaves it)."""
    from tracker import storage
    from tracker.jobs.models import JobStatus
    from tracker.jobs.services import start_job

    job = start_job(owner, "nominations_export", "Danh sách trích ngang", {"fmt": "csv"})
    job.result_key = f"exports/{job.id}-{next(_seq)}.csv"
    storage.current().put_bytes(job.result_key, data, "text/csv")
    job.status, job.phase, job.done, job.total = JobStatus.DONE, "done", 1, 1
    job.result_name, job.result_type, job.result_size = "danh-sach.csv", "text/csv", len(data)
    db.session.flush()
    return job


def hold_council_vote(unit, nominations, award, day=date(2020, 4, 2), members=5, agree=None, recused=None, vote=True):
    """The unit's council (five members if it has none) meets on `day`, all present, and votes
    on each nomination for `award`: `agree` ballots for (all of them by default). Without
    `vote`, the meeting is only scheduled."""
    from tracker.councils import services as councils
    from tracker.councils.models import CouncilRole

    if not councils.members_on(unit, day):
        roles = [CouncilRole.CHAIR, CouncilRole.VICE_CHAIR, CouncilRole.STANDING] + [CouncilRole.MEMBER] * (members - 3)
        for number, role in enumerate(roles, start=1):
            councils.add_member(None, unit, f"Thành viên {number}", "", role, date(2019, 1, 1))
    meeting = councils.schedule_meeting(None, unit, day, "Hội trường UBND", "")
    if not vote:
        return meeting
    state = councils.record_attendance(None, meeting, {m.id for m in councils.members_on(unit, day)})
    items = councils.add_to_agenda(None, meeting, list(nominations), award)
    for item in items:
        councils.record_vote(None, item, len(state.present) if agree is None else agree, 0, 0, recused or {})
    return meeting


def printed_pages(data: bytes, folder, name: str) -> list[str]:
    """A .docx rendered to PDF by LibreOffice, as the text of each page (pdftotext -layout);
    the calling test is skipped where LibreOffice or poppler is not installed."""
    import shutil
    import subprocess

    import pytest

    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None or shutil.which("pdftotext") is None:
        pytest.skip("LibreOffice and poppler's pdftotext are not installed here")
    source = folder / f"{name}.docx"
    source.write_bytes(data)
    subprocess.run([office, "--headless", f"-env:UserInstallation=file://{folder}/profile", "--convert-to",
                    "pdf", "--outdir", str(folder), str(source)], check=True, capture_output=True, timeout=180)
    text = subprocess.run(["pdftotext", "-layout", str(folder / f"{name}.pdf"), "-"], check=True,
                          capture_output=True, text=True).stdout
    first, *others = text.split("\f")
    return [first] + [page for page in others if page.strip()]


def post_publicly_long_ago(proposal, since=date(2020, 1, 2)):
    """The proposal's list posted publicly from `since`: its posting is long over, no objection."""
    from tracker import clock
    from tracker.awards import posting

    if proposal.posted_since is None:
        with clock.pinned(since):  # posted that day
            posting.post_publicly(None, proposal)
    return proposal


def complete_dossier(proposal):
    """Every part of the proposal's dossier that is a file: each nominee's report of achievements
    (on the nomination) and the proposal's own files its award needs."""
    import io

    from tracker.attachments import services as files
    from tracker.awards import dossier

    for state in dossier.dossier_of(proposal):
        if state.present or state.part.source not in ("nominee_file", "proposal_file"):
            continue
        if state.part.source == "nominee_file":
            for item in proposal.items:
                checked = files.check_upload(files.Upload("bao-cao-thanh-tich.pdf", io.BytesIO(pdf_bytes())), 10 ** 7)
                files.add_attachment(None, checked, state.part.category, unit_id=item.nomination.unit_id,
                                     nomination=item.nomination)
        else:
            checked = files.check_upload(files.Upload(f"{state.part.key}.pdf", io.BytesIO(pdf_bytes())), 10 ** 7)
            files.add_attachment(None, checked, state.part.category, unit_id=proposal.proposing_unit_id,
                                 proposal=proposal)
    return proposal


def submit_posted(actor, proposal):
    """Submit a draft proposal whose list was posted (long ago, with no objection) and whose
    dossier holds every file its award needs."""
    from tracker.awards import services as awards

    return awards.submit_proposal(actor, complete_dossier(post_publicly_long_ago(proposal)))


def assert_layout_of_the_decree(doc) -> None:
    """What Nghị định 30/2020 asks of every page and heading (checked in the document's XML)."""
    from docx.oxml.ns import qn

    section = doc.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert 30 <= round(section.left_margin.mm) <= 35 and 15 <= round(section.right_margin.mm) <= 20
    assert 20 <= round(section.top_margin.mm) <= 25 and 20 <= round(section.bottom_margin.mm) <= 25
    runs = [run for p in doc.paragraphs for run in p.runs if run.text.strip()]
    runs += [run for t in doc.tables for row in t.rows for cell in row.cells for p in cell.paragraphs
             for run in p.runs if run.text.strip()]
    assert {run.font.name for run in runs} == {"Times New Roman"}
    assert all(11 <= run.font.size.pt <= 14 for run in runs)
    assert doc.styles["Normal"].font.name == "Times New Roman"
    heading = doc.tables[0].rows[0].cells
    national = [run for p in heading[1].paragraphs for run in p.runs if run.text == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"]
    assert national and national[0].bold and national[0].font.size.pt in (12, 13)
    motto = [run for p in heading[1].paragraphs for run in p.runs if run.text == "Độc lập - Tự do - Hạnh phúc"]
    assert motto and motto[0].bold and motto[0].font.size.pt in (13, 14)
    # The lines under the issuing body, the motto and the trích yếu are borders, not dashes.
    xml = doc.element.body.xml
    assert xml.count("<w:pBdr>") >= 3 and "―" not in xml and "___" not in xml
    # Page numbers from page 2: a different first page, the PAGE field in the header.
    assert section.different_first_page_header_footer
    assert 'w:instr="PAGE"' in section.header._element.xml
    assert section.first_page_header._element.xml.count("PAGE") == 0
    # The national name's column is wide enough for it on one line (99 mm).
    grid = [col.get(qn("w:w")) for col in doc.tables[0]._tbl.tblGrid.findall(qn("w:gridCol"))]
    assert int(grid[1]) >= 5600  # twentieths of a point: 99 mm
