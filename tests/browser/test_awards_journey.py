"""From accepted nominations to the public honour roll, in a real browser."""
import re
from datetime import date

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from tracker.candidates import services as candidates
from tests.browser.test_journeys import demo, sign_in  # noqa: F401
from tests.factories import make_accepted_nomination
from tracker.candidates.models import Rating
from tracker.catalogue.models import AwardType
from tracker.extensions import db
from tracker.plans.models import Plan
from tracker.units.models import Unit
from tracker.commit import commit

pytestmark = pytest.mark.browser


@pytest.fixture
def nominees(demo, app, monkeypatch):  # noqa: F811
    monkeypatch.setitem(app.config, "TRACKER_TODAY", "2020-04-12")
    plan = db.session.scalar(select(Plan).where(Plan.number == "156/KH-UBND"))
    ward_1 = db.session.scalar(select(Unit).where(Unit.name == "Phường Thuận Hóa"))
    ward_2 = db.session.scalar(select(Unit).where(Unit.name == "Xã Phú Lộc"))
    with_history = make_accepted_nomination(plan, ward_1, "Đặng Thị Hồng Nhung", period_end_year=2020)
    without = make_accepted_nomination(plan, ward_2, "Tổ hợp tác may Phú Lộc", kind="collective", period_end_year=2020)
    cstdcs = db.session.scalar(select(AwardType).where(AwardType.code == "CSTDCS", AwardType.regime == "2017"))
    for year in (2018, 2019):
        candidates.save_candidate_year(None, with_history.candidate, year, rating=Rating.EXCELLENT)
        candidates.add_award_record(None, with_history.candidate, cstdcs, year, f"{year - 2000}/QĐ-UBND", date(year, 12, 20))
    commit()
    return with_history, without


def test_proposal_to_decision_to_honour_roll(page, nominees, live_server):
    sign_in(page, "committee")
    page.get_by_role("link", name="Tờ trình").first.click()
    page.get_by_role("link", name="Thêm tờ trình").click()
    page.get_by_label("Số, ký hiệu").fill("12/TTr-UBND")
    page.get_by_label("Hình thức khen thưởng").select_option(label="Bằng khen của Chủ tịch UBND tỉnh")
    page.get_by_label("Kính gửi").fill("Chủ tịch UBND tỉnh Thừa Thiên Huế")
    page.get_by_label(re.compile("Đặng Thị Hồng Nhung")).check()
    page.get_by_label(re.compile("Tổ hợp tác may Phú Lộc")).check()
    page.get_by_role("button", name="Tạo mới").click()

    items = page.get_by_test_id("proposal-items")
    expect(items.locator("tr[data-item]")).to_have_count(2)
    good = items.locator("tr", has_text="Đặng Thị Hồng Nhung")
    expect(good.get_by_test_id("verdict")).to_have_text("Đủ điều kiện")
    warned = items.locator("tr", has_text="Tổ hợp tác may Phú Lộc")
    warning = warned.locator('li[data-warning="yes"]')
    expect(warning).to_have_count(1)
    expect(warning).to_contain_text("Cảnh báo")
    expect(warning).to_contain_text("không kiểm tra tự động")

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Trình lãnh đạo").click()
    expect(page.locator(".alert-success")).to_be_visible()
    page.get_by_role("button", name="Đăng xuất").click()

    sign_in(page, "leader")  # the home page says what waits for their approval
    expect(page.get_by_test_id("awaiting-count")).to_have_text("2")  # this one and the demo's 02/TTr-UBND
    page.get_by_test_id("awaiting-approval").get_by_role("link", name="Tờ trình số 12/TTr-UBND").click()
    decision = page.get_by_test_id("leader-decision")
    decision.get_by_label("Ý kiến của lãnh đạo").fill("Đồng ý, trình Chủ tịch ký.")
    page.once("dialog", lambda dialog: dialog.dismiss())  # asked first: dismissed, nothing happens
    decision.get_by_test_id("approve-proposal").click()
    expect(page.get_by_test_id("leader-decision")).to_be_visible()
    page.once("dialog", lambda dialog: dialog.accept())
    decision.get_by_test_id("approve-proposal").click()
    expect(page.locator('[data-status="approved"]')).to_be_visible()
    expect(page.get_by_test_id("approval-comment")).to_have_text("Đồng ý, trình Chủ tịch ký.")
    page.get_by_role("button", name="Đăng xuất").click()

    sign_in(page, "committee")
    page.get_by_role("link", name="Tờ trình").first.click()
    page.get_by_role("link", name="12/TTr-UBND").click()
    page.get_by_role("link", name="Ghi nhận quyết định").click()
    page.get_by_label("Số, ký hiệu quyết định").fill("25/QĐ-UBND")
    page.get_by_label("Ngày quyết định").fill("24/04/2020")  # typed as offices write it
    page.get_by_label("Người ký").fill("Phan Ngọc Thọ")
    page.get_by_role("button", name="Ghi nhận quyết định").click()
    expect(page.get_by_test_id("decision")).to_contain_text("25/QĐ-UBND")
    page.get_by_role("button", name="Tờ trình (.docx)").click()  # a job: its page, then the file
    with page.expect_download() as download:
        page.get_by_test_id("job-download").click()
    assert download.value.suggested_filename == "to-trinh-12-TTr-UBND.docx"
    page.get_by_role("button", name="Đăng xuất").click()

    page.goto("/honour-roll/")
    page.get_by_role("link").filter(has_text="156/KH-UBND").click()
    roll = page.get_by_test_id("honour-roll")
    expect(roll).to_contain_text("Đặng Thị Hồng Nhung")
    expect(roll).to_contain_text("Tổ hợp tác may Phú Lộc")
    expect(roll).to_contain_text("Bằng khen của Chủ tịch UBND tỉnh")


def test_recording_an_award_offers_one_regime_and_the_candidates_kind(page, nominees):
    """The award list of 'Record an award received' holds the awards for an individual only, and
    shows the regime in force on the decision date typed (or at the end of the year typed)."""
    with_history, _without = nominees
    sign_in(page, "committee")
    page.goto(f"/awards/candidates/{with_history.candidate.id}")
    award = page.locator("select[data-award-by-date]")
    names = award.locator("option").all_inner_texts()
    assert "Tập thể lao động tiên tiến" not in names and "Chiến sĩ thi đua cơ sở" in names  # an individual's

    def offered() -> set[str]:
        return set(award.locator("optgroup:not([hidden])").evaluate_all("groups => groups.map(g => g.label)"))

    page.locator("input[name='award-year']").fill("2019")
    assert offered() == {"Luật Thi đua, Khen thưởng 2003 (sửa đổi 2005, 2013); Nghị định 91/2017/NĐ-CP"}
    page.locator("input[name='award-year']").fill("2024")
    assert len(offered()) == 1 and "98/2023" in offered().pop()
    page.locator("input[name='award-decision_date']").fill("15/07/2025")  # decided under the newer decree
    page.locator("input[name='award-decision_date']").dispatch_event("input")
    assert len(offered()) == 1 and "152/2025" in offered().pop()
    award.select_option(label="Chiến sĩ thi đua cơ sở")
    page.get_by_role("button", name="Ghi nhận khen thưởng").click()
    expect(page.get_by_test_id("award-records").locator("tr", has_text="2024")).to_contain_text(
        "Chiến sĩ thi đua cơ sở")
