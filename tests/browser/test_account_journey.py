"""My account in a browser: the calendar link is labelled and copied with one button."""
from playwright.sync_api import expect

from tests.browser.test_journeys import demo, sign_in  # noqa: F401  (fixture and helper)


def test_the_calendar_link_is_copied_with_one_button(browser, live_server, demo):  # noqa: F811
    context = browser.new_context(base_url=live_server, locale="vi-VN")
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server)
    page = context.new_page()
    try:
        sign_in(page, "phuong_phu_xuan")
        page.goto("/account")
        page.get_by_role("button", name="Tạo đường liên kết lịch của tôi").click()
        link = page.get_by_label("Đường liên kết lịch của bạn")  # labelled: a screen reader names it
        expect(link).to_have_value(__import__("re").compile(r"/calendar/.+\.ics$"))
        # the link is in the page as soon as its HTML is read; the copy button works once the
        # page's script has run, as for a user whose page has finished loading
        page.wait_for_load_state("load")
        page.get_by_test_id("copy-calendar-url").click()
        expect(page.get_by_test_id("copy-calendar-url")).to_have_text("Đã chép")
        assert page.evaluate("navigator.clipboard.readText()") == link.input_value()
    finally:
        context.close()
