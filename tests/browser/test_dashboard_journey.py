"""The committee's dashboard in a real Chromium: open it, filter to one movement, click a red cell
of the unit x milestone matrix and land on that ward's late obligation (demo data, 10/04/2020)."""
import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_journeys import demo, sign_in  # noqa: F401  (the demo fixture)

pytestmark = pytest.mark.browser
MOVEMENT = "Cả nước chung tay vì người nghèo – Không để ai bị bỏ lại phía sau"


def test_committee_filters_and_follows_a_red_cell_to_a_late_ward(page, demo):  # noqa: F811
    sign_in(page, "committee")
    page.get_by_test_id("nav-dashboard").click()
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    # The grassroots conferences (due 31/03/2020): 40 wards and communes owe them, 20 are late.
    grassroots = page.get_by_test_id("milestone-figures").locator("tr", has_text="Hội nghị điển hình tiên tiến cấp xã")
    expect(grassroots.locator('[data-count="total"]')).to_have_text("40")
    expect(grassroots.locator('[data-count="late"]')).to_have_text("20")
    # Charts are drawn from their tables by the app's own script (no inline script, no CDN).
    expect(page.get_by_test_id("chart-by-movement")).to_have_attribute("data-chart-drawn", "true")
    expect(page.get_by_test_id("chart-by-movement").locator("canvas")).to_be_visible()

    page.get_by_test_id("dashboard-filters").locator("select[name=movement]").select_option(label=MOVEMENT)
    page.get_by_test_id("dashboard-filters").locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"[?&]movement=\d+"))
    expect(page.get_by_test_id("movement-filter")).to_contain_text(MOVEMENT)
    bookmarked = page.url

    red = page.get_by_test_id("matrix").locator('td[data-state="late"]').first
    ward = red.locator("xpath=ancestor::tr/th").inner_text().strip()
    red.get_by_test_id("matrix-cell").click()
    expect(page).to_have_url(re.compile(r"/deadlines/\d+/units/\d+$"))
    expect(page.get_by_role("heading", name=ward, exact=True)).to_be_visible()
    expect(page.get_by_text("Hội nghị điển hình tiên tiến cấp xã, phường").first).to_be_visible()
    expect(page.get_by_test_id("obligation").locator('[data-status="late"]')).to_be_visible()

    # The filtered view is a plain URL: opening it again shows the same filter.
    page.goto(bookmarked)
    expect(page.get_by_test_id("movement-filter")).to_contain_text(MOVEMENT)
