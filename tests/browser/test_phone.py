"""On a 390 px phone no page a role uses scrolls sideways, the lists a ward uses are stacked
cards with the status shown first, and the open menu fits (sign-out included)."""
import pytest
from playwright.sync_api import expect

from tests.browser.test_journeys import demo, sign_in  # noqa: F401  (fixture and helper)

PHONE = {"width": 390, "height": 844}
PAGES = {
    "phuong_phu_xuan": ["/", "/reports/mine", "/nominations/", "/nominations/new", "/notifications/", "/account",
                        "/jobs/", "/honour-roll/"],
    "committee": ["/", "/nominations/?status=pending", "/dashboard/", "/deadlines/", "/awards/proposals",
                  "/reports/"],
    "leader": ["/", "/dashboard/", "/deadlines/"],
}


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(base_url=live_server, locale="vi-VN", viewport=PHONE, is_mobile=True,
                                  has_touch=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def _sideways(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


@pytest.mark.parametrize("username", sorted(PAGES))
def test_no_page_scrolls_sideways_on_a_phone(phone, demo, username):  # noqa: F811
    sign_in(phone, username)
    for url in PAGES[username]:
        phone.goto(url)
        assert _sideways(phone) <= 0, (url, _sideways(phone))


def test_a_wards_lists_are_cards_with_the_status_first(phone, demo):  # noqa: F811
    sign_in(phone, "phuong_phu_xuan")
    for url, row, status in (("/", "obligation-row", "obligation-status"),
                             ("/reports/mine", None, "obligation-status"),
                             ("/nominations/", "nomination-row", "nomination-status")):
        phone.goto(url)
        cell = phone.get_by_test_id(status).first
        expect(cell).to_be_visible()
        box = cell.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], (url, box)
        card = cell.locator("xpath=..")
        first = card.locator("td").evaluate_all(
            "cells => cells.map(c => [c.getBoundingClientRect().top, c.dataset.testid || ''])")
        assert min(first)[1] == status, (url, first)  # the status is the card's top line


def test_the_open_menu_fits_with_sign_out(phone, demo):  # noqa: F811
    sign_in(phone, "committee")
    phone.get_by_role("button", name="Toggle navigation").or_(phone.locator(".navbar-toggler")).first.click()
    sign_out = phone.get_by_role("button", name="Đăng xuất")
    expect(sign_out).to_be_visible()
    box = sign_out.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    assert _sideways(phone) <= 0


def test_the_deadline_timeline_is_a_list_on_a_phone(phone, demo):  # noqa: F811
    sign_in(phone, "leader")
    phone.goto("/deadlines/")
    expect(phone.get_by_test_id("timeline")).to_be_hidden()  # bars too small to read at 390 px
    items = phone.get_by_test_id("timeline-list").locator("li")
    expect(items).to_have_count(3)
    city = items.filter(has_text="Hội nghị điển hình tiên tiến thành phố lần thứ V")
    expect(city).to_contain_text("20/04/2020 – 25/04/2020")
    expect(city).to_contain_text("Sắp tới")
    expect(items.filter(has_text="Hội nghị điển hình tiên tiến cấp xã, phường")).to_contain_text("Đã kết thúc")
    assert _sideways(phone) <= 0


def test_a_reports_honours_are_cards_of_full_width_fields_on_a_phone(phone, demo):  # noqa: F811
    from datetime import date

    from sqlalchemy import select

    from tests.factories import make_milestone
    from tracker.commit import commit
    from tracker.extensions import db
    from tracker.plans.models import Plan

    plan = db.session.scalar(select(Plan).where(Plan.number == "156/KH-UBND"))
    conference = make_milestone(plan, title="Hội nghị sơ kết quý II", start=date(2020, 4, 1), due=date(2020, 6, 30))
    commit()
    sign_in(phone, "phuong_phu_xuan")
    phone.goto(f"/reports/obligations/{conference.id}")
    row = phone.get_by_test_id("honour-row").first
    for name in ("Hình thức khen thưởng", "Phong trào", "Cá nhân", "Tập thể"):
        box = row.get_by_label(name, exact=True).bounding_box()
        assert box["width"] >= 250 and box["x"] + box["width"] <= PHONE["width"], (name, box)
    assert _sideways(phone) <= 0
