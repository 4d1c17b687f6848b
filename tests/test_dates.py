"""Every date field reads and shows dd/mm/yyyy, whatever the browser's language
(tracker.forms_base.DayField), and says in Vietnamese what is wrong with a day."""
import re
from datetime import date

import pytest
from playwright.sync_api import expect
from werkzeug.datastructures import MultiDict

from tests.browser.test_journeys import demo, sign_in  # noqa: F401  (fixture and helper)
from tracker.forms_base import DayField, TrackerForm


class _Form(TrackerForm):
    class Meta(TrackerForm.Meta):
        csrf = False

    day = DayField("Ngày")


def _read(app, text):
    with app.test_request_context():
        form = _Form(formdata=MultiDict({"day": text}))
        form.validate()
        return form


@pytest.mark.parametrize("text,day", [
    ("10/04/2020", date(2020, 4, 10)), ("1/4/2020", date(2020, 4, 1)), ("10-04-2020", date(2020, 4, 10)),
    ("10.04.2020", date(2020, 4, 10)), (" 10 / 04 / 2020 ", date(2020, 4, 10)), ("2020-04-10", date(2020, 4, 10)),
    ("", None),
])
def test_a_day_is_read_day_first(app, text, day):
    form = _read(app, text)
    assert form.day.data == day and not form.day.errors


@pytest.mark.parametrize("text,message", [
    ("31/02/2020", "31/02/2020 không phải là một ngày có thật: kiểm tra lại ngày và tháng."),
    ("04/31/2020", "04/31/2020 không phải là một ngày có thật: kiểm tra lại ngày và tháng."),  # month first
    ("ngày mai", "Nhập ngày theo dạng dd/mm/yyyy, ví dụ 10/04/2020."),
    ("10/04/20", "Nhập ngày theo dạng dd/mm/yyyy, ví dụ 10/04/2020."),
    ("10/04/0020", "Vui lòng nhập ngày trong khoảng từ 01/01/1900 đến 31/12/2999."),
])
def test_a_wrong_day_says_why_and_keeps_what_was_typed(app, text, message):
    form = _read(app, text)
    assert form.day.errors == [message]
    assert f'value="{text}"' in str(form.day())


def test_a_day_is_shown_day_first_in_a_text_field(app):
    with app.test_request_context():
        html = str(_Form(data={"day": date(2020, 4, 10)}).day())
    assert 'type="text"' in html and 'value="10/04/2020"' in html and 'placeholder="dd/mm/yyyy"' in html


def test_the_calendar_fills_the_day_first_in_an_english_language_browser(browser, live_server, demo):  # noqa: F811
    context = browser.new_context(base_url=live_server, locale="en-US")
    page = context.new_page()
    try:
        sign_in(page, "phuong_phu_xuan")
        page.goto("/nominations/new")
        field = page.locator('[name="meeting_date"]')
        field.click()
        calendar = page.locator(".datepicker.active")
        expect(calendar).to_be_visible()
        expect(calendar).to_contain_text("Tháng 4")  # in the page's language, not the browser's
        calendar.locator(".datepicker-cell.day:not(.prev):not(.next)", has_text=re.compile(r"^15$")).click()
        assert field.input_value() == "15/04/2020"
    finally:
        context.close()
