"""A long export in a real browser: the job's page moves its progress bar without reloading,
survives leaving and coming back, then offers the file; the owner is notified."""
import time

from playwright.sync_api import expect

from tests.browser.test_journeys import demo, sign_in  # noqa: F401  (fixture and helper)
from tracker.jobs import services as jobs
from tracker.nominations import exports


def test_an_export_shows_its_progress_then_the_file(page, demo, app, monkeypatch):  # noqa: F811
    monkeypatch.setitem(app.config, "JOBS_IN_PROCESS", "thread")  # as `make run` does
    monkeypatch.setattr(exports, "EXPORT_BATCH", 1)
    report = jobs.Progress.__call__

    def slowly(self, done, total=None, phase=None):  # a row every 0.15 s: long enough to watch
        time.sleep(0.15)
        self.interval = 0
        return report(self, done, total, phase)

    monkeypatch.setattr(jobs.Progress, "__call__", slowly)
    sign_in(page, "committee")
    unread = page.get_by_test_id("unread-count")
    before = int(unread.inner_text()) if unread.count() else 0
    page.goto("/nominations/")
    page.get_by_test_id("export-csv").click()
    expect(page).to_have_url(__import__("re").compile(r"/jobs/\d+$"))
    job_url, context = page.url, page.context
    bar = page.get_by_test_id("job-progress")
    expect(page.get_by_test_id("job-phase")).to_have_text("Đang ghi các dòng", timeout=15_000)
    first = int(bar.get_attribute("value"))
    expect(page.get_by_test_id("job-counted")).to_contain_text("dòng")
    page.wait_for_function("v => Number(document.querySelector('[data-testid=job-progress]').value) > v", arg=first)
    # Elsewhere (another tab: this one goes on polling), "My jobs" leads back to the job.
    later = context.new_page()
    later.set_default_timeout(10_000)
    later.goto("/jobs/")
    later.get_by_test_id("jobs").get_by_role("link").first.click()
    assert later.url == job_url
    expect(later.get_by_test_id("job-percent")).to_have_text("100%", timeout=60_000)
    with later.expect_download() as download:
        later.get_by_test_id("job-download").click()
    assert download.value.suggested_filename.startswith("danh-sach-trich-ngang-")
    expect(later.get_by_test_id("unread-count")).to_have_text(str(before + 1))  # "finished", in the menu


def test_an_import_sent_twice_by_an_impatient_double_click_runs_once(page, demo, app):  # noqa: F811
    """While a form is being sent its buttons say so and are disabled: one job, not two."""
    import shutil

    from openpyxl import load_workbook
    from sqlalchemy import func, select

    from tracker.extensions import db
    from tracker.jobs.models import Job

    sign_in(page, "phuong_phu_xuan")
    page.goto("/nominations/import")
    with page.expect_download() as download:
        page.get_by_test_id("download-template").first.click()
    shutil.copy(download.value.path(), "/tmp/tracker-template-double.xlsx")
    book = load_workbook("/tmp/tracker-template-double.xlsx")
    movement = book["Danh mục"]["C2"].value
    book["Danh sách"]["A2"].value = None
    book["Danh sách"].append([1, "Cá nhân", "Lê Thị Thử", "Nữ", 1980, "Tổ trưởng", "Tổ 3", None, movement,
                              "Vận động hiến đất.", 2016, 2020, "10/03/2020", 20, 19, "Giấy khen"])
    book.save("/tmp/tracker-template-double.xlsx")
    page.locator('input[type="file"]').set_input_files("/tmp/tracker-template-double.xlsx")
    # Listening after the page's own scripts, the test notes for each sending whether the page let
    # it go, and holds it (as a slow line would) so that the page can be looked at meanwhile.
    page.evaluate("""() => { window.sendings = [];
        window.addEventListener("submit", e => { window.sendings.push(!e.defaultPrevented); e.preventDefault(); }); }""")
    button = page.get_by_test_id("upload-import")
    button.click()
    expect(button).to_be_disabled()
    expect(button).to_have_text("Đang xử lý…")
    page.locator("form[data-testid=import-form]").evaluate("form => form.requestSubmit()")  # impatient again
    assert page.evaluate("window.sendings") == [True, False]  # the second one never left
    page.reload()  # as the browser would: the first sending goes through once
    page.locator('input[type="file"]').set_input_files("/tmp/tracker-template-double.xlsx")
    page.get_by_test_id("upload-import").click()
    expect(page).to_have_url(__import__("re").compile(r"/jobs/\d+$"))
    with app.app_context():
        assert db.session.scalar(select(func.count(Job.id)).where(Job.kind == "nominations_import")) == 1
