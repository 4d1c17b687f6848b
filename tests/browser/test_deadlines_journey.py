"""A leader checks the deadlines of Plan 156/KH-UBND before a meeting, in a real browser."""
import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_journeys import demo, sign_in  # noqa: F401  (fixture and helper)

pytestmark = pytest.mark.browser


def test_leader_sees_timeline_and_late_wards_and_opens_one(page, demo):  # noqa: F811
    sign_in(page, "leader")
    page.get_by_role("link", name="Hạn chót").click()
    timeline = page.get_by_test_id("timeline")
    expect(timeline).to_contain_text("Hội nghị điển hình tiên tiến thành phố lần thứ V")
    expect(timeline).to_contain_text("20/04/2020 – 25/04/2020")
    expect(timeline.locator(".tl-today")).to_have_count(1)
    upcoming = page.get_by_test_id("next-deadlines")
    expect(upcoming.locator("tr", has_text="Hội nghị điển hình tiên tiến thành phố lần thứ V")).to_contain_text("15 ngày")
    grassroots = page.get_by_test_id("milestone-progress").filter(has_text="Hội nghị điển hình tiên tiến cấp xã, phường")
    expect(grassroots.locator('[data-count="late"]')).to_have_text("20")
    late_links = grassroots.get_by_test_id("late-unit-link")
    expect(late_links).to_have_count(20)
    name = late_links.first.inner_text()
    late_links.first.click()
    expect(page).to_have_url(re.compile(r"/deadlines/\d+/units/\d+$"))
    expect(page.get_by_role("heading", name=name)).to_be_visible()
    expect(page.get_by_test_id("obligation").locator('[data-status="late"]')).to_have_text("Quá hạn")
    expect(page.get_by_text("Cán bộ " + name)).to_be_visible()


def test_committee_plans_a_milestone_by_quarter(page, demo):  # noqa: F811
    sign_in(page, "committee")
    page.get_by_role("link", name="Kế hoạch").first.click()
    page.get_by_role("link", name="156/KH-UBND").click()
    page.get_by_role("link", name="Thêm mốc tiến độ").click()
    page.get_by_label("Tiêu đề").fill("Sơ kết phong trào quý II")
    page.get_by_label("Quý").fill("Q2/2020")
    page.get_by_role("button", name="Lưu").click()
    row = page.get_by_test_id("milestones").locator("tr", has_text="Sơ kết phong trào quý II")
    expect(row).to_contain_text("01/04/2020 – 30/06/2020")
