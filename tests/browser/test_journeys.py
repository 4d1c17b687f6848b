"""One journey per role in a real headless Chromium: sign in, see the home page, switch
language, sign out. Runs on the demo data set, with today pinned inside the 2020 campaign."""
import re

import pytest
from playwright.sync_api import expect

from tracker.demo import seed_demo
from tracker.extensions import db
from tracker.commit import commit

pytestmark = pytest.mark.browser
PASSWORD = "Demo-mat-khau-2020"


@pytest.fixture
def demo(app, monkeypatch):
    monkeypatch.setitem(app.config, "TRACKER_TODAY", "2020-04-10")
    seed_demo(PASSWORD)
    commit()


def sign_in(page, username):
    page.goto("/login")
    expect(page.get_by_role("heading", name="Đăng nhập")).to_be_visible()
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()


def switch_language_and_sign_out(page, english_text):
    page.get_by_test_id("switch-language").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_text(english_text).first).to_be_visible()
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/login$"))
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    # The choice is remembered after signing out.
    page.goto("/login")
    expect(page.locator("html")).to_have_attribute("lang", "en")


def test_ward_officer_journey(page, demo):
    sign_in(page, "phuong_thuan_an")
    expect(page.get_by_role("heading", name="Phường Thuận An")).to_be_visible()
    table = page.get_by_test_id("obligations")
    row = table.locator("tr", has_text="Hội nghị điển hình tiên tiến cấp xã, phường")
    expect(row).to_contain_text("01/01/2020 – 31/03/2020")
    expect(row.locator("[data-status]")).to_have_text(re.compile("Đã chấp nhận|Đã gửi|Quá hạn"))
    assert "Hội nghị điển hình tiên tiến thành phố lần thứ V" not in table.inner_text()
    switch_language_and_sign_out(page, "Your unit's milestones")


def test_committee_journey(page, demo):
    sign_in(page, "committee")
    expect(page.get_by_role("heading", name="Thành phố Huế")).to_be_visible()
    counts = page.get_by_test_id("report-counts")
    expect(counts.locator("tr", has_text="Đã chấp nhận")).to_contain_text("15")
    expect(page.get_by_test_id("nomination-counts")).to_be_visible()
    switch_language_and_sign_out(page, "Progress reports by status")


def test_leader_journey(page, demo):
    sign_in(page, "leader")
    upcoming = page.get_by_test_id("upcoming")
    expect(upcoming.locator("tr", has_text="Hội nghị điển hình tiên tiến thành phố lần thứ V")).to_contain_text(
        "20/04/2020 – 25/04/2020")
    late = page.get_by_test_id("late-milestone").filter(has_text="Hội nghị điển hình tiên tiến cấp xã, phường")
    expect(late).to_contain_text("đơn vị quá hạn")
    expect(late.get_by_test_id("late-unit").first).to_be_visible()
    switch_language_and_sign_out(page, "What is late")


def test_admin_journey(page, demo):
    sign_in(page, "admin")
    page.get_by_role("link", name="Người dùng").click()
    expect(page.get_by_role("cell", name="phuong_thuan_hoa", exact=True)).to_be_visible()
    page.get_by_role("link", name="Nhật ký hệ thống").click()
    expect(page.get_by_test_id("audit-events")).to_contain_text("Đăng nhập – Quản trị hệ thống")  # in words
    switch_language_and_sign_out(page, "Audit log")


def test_wrong_password_in_the_browser(page, demo):
    page.goto("/login")
    page.get_by_label("Tên đăng nhập").fill("leader")
    page.get_by_label("Mật khẩu").fill("khong-dung-dau")
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_text("Tên đăng nhập hoặc mật khẩu không đúng.")).to_be_visible()
    expect(page.get_by_label("Tên đăng nhập")).to_have_value("leader")
