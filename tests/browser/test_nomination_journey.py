"""A ward nominates an individual and a collective; the committee returns one and accepts the
other; the ward fixes and resubmits; the committee accepts; the exported list holds both."""
import io
import re

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.browser.test_journeys import demo, sign_in  # noqa: F401  (fixture and helper)
from tests.factories import pdf_bytes

pytestmark = pytest.mark.browser

OFFICER = "phuong_vy_da"  # Phường Vỹ Dạ: no demo nomination of its own
PERSON = "Hồ Thị Hương Giang"
COLLECTIVE = "Tổ dân phố 7 phường Vỹ Dạ"
MOVEMENT = "Cả nước chung tay vì người nghèo – Không để ai bị bỏ lại phía sau"


def evidence(name):
    return {"name": name, "mimeType": "application/pdf", "buffer": pdf_bytes(name)}


def sign_out(page):
    page.get_by_role("button", name="Đăng xuất").click()
    expect(page).to_have_url(re.compile(r"/login$"))


def nominate(page, kind, name, fill):
    page.get_by_test_id("nav-nominations").click()
    page.get_by_test_id("new-nomination").click()
    form = page.get_by_test_id("nomination-form")
    form.locator('[name="movement_id"]').select_option(label=MOVEMENT)
    form.locator('[name="kind"]').select_option(kind)
    form.locator('[name="full_name"]').fill(name)
    fill(form)
    form.locator('[name="achievements"]').fill(f"{name}: gương mẫu, vận động nhân dân hiến đất làm đường.")
    form.locator('[name="period_start_year"]').fill("2015")
    form.locator('[name="period_end_year"]').fill("2020")
    form.locator('[name="meeting_date"]').fill("10/03/2020")
    form.locator('[name="members_present"]').fill("12")
    form.locator('[name="votes_for"]').fill("11")
    expect(form.get_by_test_id("vote-share")).to_have_text("91,7%")  # the Vietnamese decimal comma, while typing
    form.locator('[name="members_present"]').fill("25")
    form.locator('[name="votes_for"]').fill("23")
    expect(form.get_by_test_id("vote-share")).to_have_text("92%")
    form.locator('[name="files"]').set_input_files([evidence("bien-ban-hop.pdf")])
    form.get_by_test_id("submit-nomination").click()
    expect(page.get_by_test_id("nomination-name")).to_contain_text(name)
    expect(page.get_by_test_id("nomination-name").locator("[data-status]")).to_have_attribute("data-status", "submitted")
    expect(page.get_by_test_id("attachments")).to_contain_text("bien-ban-hop.pdf")


def individual(form):
    expect(form.locator('[name="member_count"]')).to_be_hidden()
    form.locator('[name="gender"]').select_option("female")
    form.locator('[name="birth_year"]').fill("1986")
    form.locator('[name="position"]').fill("Tổ trưởng tổ dân phố")
    form.locator('[name="workplace"]').fill("Tổ dân phố 3, phường Vỹ Dạ")
    form.locator('[name="proposed_award_type_id"]').select_option(label="Giấy khen")


def collective(form):
    expect(form.locator('[name="birth_year"]')).to_be_hidden()
    form.locator('[name="workplace"]').fill("UBND phường Vỹ Dạ")
    form.locator('[name="member_count"]').fill("120")
    form.locator('[name="proposed_honour"]').fill("Giấy khen của Chủ tịch UBND phường")


def open_in_queue(page, name):
    page.get_by_test_id("nav-nominations").click()
    page.get_by_test_id("nominations").get_by_role("link", name=name, exact=True).click()
    expect(page.get_by_test_id("nomination-name")).to_contain_text(name)


def test_nominate_review_fix_and_export(page, demo):  # noqa: F811
    page.on("dialog", lambda dialog: dialog.accept())

    sign_in(page, OFFICER)
    nominate(page, "individual", PERSON, individual)
    nominate(page, "collective", COLLECTIVE, collective)
    sign_out(page)

    sign_in(page, "committee")
    open_in_queue(page, PERSON)
    page.get_by_test_id("review").locator('[name="comment"]').fill("Đề nghị bổ sung bản photo giấy khen năm 2019.")
    page.get_by_test_id("return-nomination").click()
    expect(page.get_by_test_id("nomination-name").locator("[data-status]")).to_have_attribute("data-status", "returned")
    open_in_queue(page, COLLECTIVE)
    page.get_by_test_id("accept-nomination").click()
    expect(page.get_by_test_id("nomination-name").locator("[data-status]")).to_have_attribute("data-status", "accepted")
    sign_out(page)

    sign_in(page, OFFICER)
    expect(page.get_by_test_id("unread-count")).to_be_visible()  # told in the app of the return
    page.get_by_test_id("nav-nominations").click()
    page.get_by_test_id("nominations").get_by_role("link", name=PERSON, exact=True).click()
    expect(page.get_by_test_id("review-comment")).to_contain_text("bổ sung bản photo giấy khen")
    page.get_by_test_id("edit-nomination").click()
    form = page.get_by_test_id("nomination-form")
    form.locator('[name="achievements"]').fill(f"{PERSON}: vận động hiến đất làm đường; giấy khen 2019 đính kèm.")
    form.locator('[name="files"]').set_input_files([evidence("giay-khen-2019.pdf")])
    form.get_by_test_id("submit-nomination").click()
    expect(page.get_by_test_id("nomination-name").locator("[data-status]")).to_have_attribute("data-status", "resubmitted")
    expect(page.get_by_test_id("attachments")).to_contain_text("giay-khen-2019.pdf")
    sign_out(page)

    sign_in(page, "committee")
    open_in_queue(page, PERSON)
    expect(page.get_by_test_id("history").locator('[data-action="nomination.returned"]')).to_be_visible()
    page.get_by_test_id("accept-nomination").click()
    expect(page.get_by_test_id("nomination-name").locator("[data-status]")).to_have_attribute("data-status", "accepted")

    page.get_by_test_id("nav-nominations").click()
    filters = page.get_by_test_id("nomination-filters")
    filters.locator('[name="status"]').select_option("accepted")
    filters.locator('[name="q"]').fill("hien dat")  # typed without diacritics: still found
    filters.get_by_role("button").click()
    rows = page.get_by_test_id("nomination-row")
    expect(rows).to_have_count(2)
    page.get_by_test_id("export-xlsx").click()  # a job: its page, then the file
    expect(page.get_by_test_id("job-percent")).to_have_text("100%")
    with page.expect_download() as download_info:
        page.get_by_test_id("job-download").click(timeout=30_000)  # a document job on a busy machine
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    sheet = load_workbook(io.BytesIO(open(download.path(), "rb").read())).active
    names = [row[1] for row in sheet.iter_rows(min_row=4, values_only=True)]
    assert sorted(names) == sorted([PERSON, COLLECTIVE])


def test_the_award_list_follows_the_kind_of_candidate(page, demo):  # noqa: F811
    """An individual is offered the awards for individuals, a collective those for collectives,
    all of the plan's legal regime."""
    sign_in(page, "phuong_phu_xuan")
    page.goto("/nominations/new")
    form = page.get_by_test_id("nomination-form")
    kind, awards = form.locator("[data-kind-switch]"), form.locator('[name="proposed_award_type_id"]')

    def offered():
        return awards.evaluate("s => Array.from(s.options).filter(o => o.value && !o.hidden).map(o => o.text)")

    kind.select_option("individual")
    individual = offered()
    assert "Giấy khen" in individual and "Tập thể lao động tiên tiến" not in individual
    kind.select_option("collective")
    collective = offered()
    assert "Tập thể lao động tiên tiến" in collective and "Chiến sĩ thi đua cơ sở" not in collective
    assert set(individual) != set(collective) and all(not name.startswith("20") for name in individual)
