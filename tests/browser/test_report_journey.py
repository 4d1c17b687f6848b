"""The ward's progress report in a real browser: draft, minutes as PDF, submit; the committee
returns it; the ward fixes and resubmits; the committee accepts. Demo data, today 16/03/2020."""
import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from tests.factories import pdf_bytes
from tracker.demo import MILESTONES, seed_demo
from tracker.extensions import db
from tracker.units.models import Unit, UnitKind
from tracker.users.models import Role, User
from tracker.commit import commit

pytestmark = pytest.mark.browser
PASSWORD = "Demo-mat-khau-2020"
GRASSROOTS = MILESTONES[0]["title"]


@pytest.fixture
def demo(app, monkeypatch, tmp_path):
    monkeypatch.setitem(app.config, "TRACKER_TODAY", "2020-03-16")  # inside the Q1/2020 window
    monkeypatch.setitem(app.config, "UPLOAD_FOLDER", str(tmp_path / "uploads"))
    seed_demo(PASSWORD)
    commit()
    # A ward whose report the demo leaves missing (REPORT_PATTERN's empty slots).
    wards = db.session.scalars(select(Unit).where(Unit.kind.in_([UnitKind.WARD, UnitKind.COMMUNE]))
                               .order_by(Unit.code)).all()
    ward = wards[6]
    officer = db.session.scalar(select(User).where(User.unit_id == ward.id, User.role == Role.WARD_OFFICER))
    return {"ward": ward.name, "code": ward.code, "id": ward.id, "officer": officer.username}


def sign_in(page, username):
    page.goto("/login")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_test_id("current-user")).to_be_attached()


def sign_out(page):
    page.get_by_role("button", name="Đăng xuất").click()
    expect(page).to_have_url(re.compile(r"/login$"))


def obligation_row(page):
    return page.get_by_test_id("obligations").locator("tr", has_text=GRASSROOTS)


def open_in_committee_list(page, demo):
    page.get_by_test_id("nav-reports").click()
    filters = page.get_by_test_id("report-filters")
    filters.locator("#unit").select_option(str(demo["id"]))
    filters.get_by_role("button").click()
    expect(page.get_by_test_id("reports").locator("tr[data-report-id]")).to_have_count(1)
    page.locator(f"tr[data-unit='{demo['code']}']").get_by_test_id("open-report").click()


def test_report_journey(page, demo):
    page.on("dialog", lambda dialog: dialog.accept())  # "Submit the report to the committee?"

    # The ward officer opens the obligation and saves a first draft.
    sign_in(page, demo["officer"])
    expect(obligation_row(page).locator("[data-status]")).to_have_attribute("data-status", "not_started")
    obligation_row(page).get_by_test_id("obligation-link").click()
    form = page.get_by_test_id("report-form")
    form.locator("#held_date").fill("12/03/2020")
    form.locator("#place").fill(f"Hội trường UBND {demo['ward']}")
    form.locator("#chaired_by").fill("Chủ tịch UBND")
    form.locator("#participants").fill("150")
    form.locator("#delegates").fill("6")
    form.locator("#funding_vnd").fill("15.000.000")
    form.locator("#honours-0-form_name").fill("Giấy khen của Chủ tịch UBND")
    form.locator("#honours-0-movement_id").select_option(index=2)
    form.locator("#honours-0-individuals").fill("12")
    form.locator("#honours-0-collectives").fill("3")
    form.locator("#narrative").fill("Hội nghị biểu dương 12 cá nhân và 3 tập thể tiêu biểu.")
    page.get_by_test_id("save-draft").click()
    expect(page).to_have_url(re.compile(r"/reports/\d+/edit$"))
    report_url = page.url.rsplit("/edit", 1)[0]
    expect(page.locator("#funding_vnd")).to_have_value("15.000.000")

    # Minutes as PDF.
    page.locator("#files").set_input_files(
        files=[{"name": "bien-ban-hoi-nghi.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}])
    page.locator("#category").select_option("minutes")
    page.get_by_test_id("save-draft").click()
    expect(page.get_by_test_id("attachments")).to_contain_text("bien-ban-hoi-nghi.pdf")

    # Submit.
    page.get_by_test_id("submit-report").click()
    expect(page).to_have_url(report_url)
    expect(page.get_by_test_id("report-status").locator("[data-status]")).to_have_attribute("data-status", "submitted")
    expect(page.get_by_test_id("versions").locator("[data-version]")).to_have_count(1)
    sign_out(page)

    # The committee returns it with a comment.
    sign_in(page, "committee")
    open_in_committee_list(page, demo)
    expect(page.get_by_test_id("attachments")).to_contain_text("bien-ban-hoi-nghi.pdf")
    page.locator("#comment").fill("Đề nghị ghi rõ số đại biểu tham dự theo biên bản.")
    page.get_by_test_id("return-report").click()
    expect(page.get_by_test_id("report-status").locator("[data-status]")).to_have_attribute("data-status", "returned")
    sign_out(page)

    # The officer sees the comment, fixes the report and resubmits it.
    sign_in(page, demo["officer"])
    expect(obligation_row(page).locator("[data-status]")).to_have_attribute("data-status", "returned")
    expect(obligation_row(page)).to_contain_text("Đề nghị ghi rõ số đại biểu")
    obligation_row(page).get_by_test_id("obligation-link").click()
    expect(page).to_have_url(re.compile(r"/reports/\d+/edit$"))
    expect(page.get_by_test_id("review-comment")).to_contain_text("Đề nghị ghi rõ số đại biểu")
    page.locator("#participants").fill("162")
    page.get_by_test_id("submit-report").click()
    expect(page).to_have_url(report_url)
    expect(page.get_by_test_id("report-status").locator("[data-status]")).to_have_attribute("data-status", "resubmitted")
    page.get_by_test_id("versions").locator("[data-version='2'] a").click()
    expect(page.get_by_test_id("changes").locator("tr[data-change-field='participants']")).to_contain_text("162")
    sign_out(page)

    # The committee accepts it; the list shows it accepted.
    sign_in(page, "committee")
    open_in_committee_list(page, demo)
    page.get_by_test_id("accept-report").click()
    expect(page.get_by_test_id("report-status").locator("[data-status]")).to_have_attribute("data-status", "accepted")
    page.goto(f"/reports/?unit={demo['id']}&status=accepted")
    expect(page.locator(f"tr[data-unit='{demo['code']}'] [data-status]").first).to_have_attribute("data-status", "accepted")
    # The deadline view counts it accepted, and the ward's obligation there says so.
    page.goto(f"/deadlines/?unit={demo['id']}")
    grassroots = page.get_by_test_id("milestone-progress").filter(has_text="Hội nghị điển hình tiên tiến cấp xã, phường")
    expect(grassroots.locator('[data-count="accepted"]')).to_have_text("1")
    milestone_id = grassroots.get_attribute("data-milestone")
    page.goto(f"/deadlines/{milestone_id}/units/{demo['id']}")
    expect(page.get_by_test_id("obligation").locator('[data-status="accepted"]').first).to_be_visible()
    sign_out(page)

    # The ward's home page shows the obligation accepted.
    sign_in(page, demo["officer"])
    expect(obligation_row(page).locator("[data-status]")).to_have_attribute("data-status", "accepted")


def test_a_ward_hands_in_its_dossier_with_its_nominations(page, app, monkeypatch, tmp_path):
    """The dossier milestone asks for the ward's nominations, not a conference: refused while none
    is handed in, then handed in with their count, and the obligation is done."""
    from tests.factories import make_nomination
    from tracker.nominations.models import Nomination
    from tracker.plans.models import Milestone, MilestoneKind

    monkeypatch.setitem(app.config, "TRACKER_TODAY", "2020-04-10")
    monkeypatch.setitem(app.config, "UPLOAD_FOLDER", str(tmp_path / "uploads"))
    seed_demo(PASSWORD)
    commit()
    dossier = db.session.scalar(select(Milestone).where(Milestone.kind == MilestoneKind.DOSSIER))
    nominated = set(db.session.scalars(select(Nomination.unit_id)))
    ward = next(w for w in db.session.scalars(select(Unit).where(Unit.kind == UnitKind.WARD).order_by(Unit.code))
                if w.id not in nominated)
    officer = db.session.scalar(select(User).where(User.unit_id == ward.id, User.role == Role.WARD_OFFICER))
    page.goto("/login")
    page.get_by_label("Tên đăng nhập").fill(officer.username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()

    page.goto(f"/reports/obligations/{dossier.id}")
    form = page.get_by_test_id("report-form")
    expect(form.get_by_test_id("dossier-count")).to_have_text("0")
    expect(form.locator("[name=place]")).to_have_count(0)  # no conference fields
    page.once("dialog", lambda dialog: dialog.accept())
    form.get_by_test_id("submit-report").click()
    expect(page.locator('[data-field-error="nominations"]')).to_contain_text("chưa gửi hồ sơ đề cử nào")

    make_nomination(officer, dossier.plan, name="Hồ Thị Thu", status="submitted")
    make_nomination(officer, dossier.plan, name="Phan Văn Đức", status="submitted")
    commit()
    page.goto(f"/reports/obligations/{dossier.id}")
    expect(page.get_by_test_id("dossier-count")).to_have_text("2")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_test_id("submit-report").click()
    expect(page.get_by_test_id("dossier-count")).to_have_text("2")  # the report, as handed in
    page.goto("/")
    row = page.get_by_test_id("obligations").locator("tr", has_text=dossier.title)
    expect(row.locator("[data-status]")).to_have_attribute("data-status", "submitted")
