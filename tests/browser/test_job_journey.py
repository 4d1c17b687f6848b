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
    job_url = page.url
    bar = page.get_by_test_id("job-progress")
    expect(page.get_by_test_id("job-phase")).to_have_text("Đang ghi các dòng", timeout=15_000)
    first = int(bar.get_attribute("value"))
    expect(page.get_by_test_id("job-counted")).to_contain_text("dòng")
    page.wait_for_function("v => Number(document.querySelector('[data-testid=job-progress]').value) > v", arg=first)
    page.goto("/jobs/")  # leave, and come back through "My jobs"
    page.get_by_test_id("jobs").get_by_role("link").first.click()
    assert page.url == job_url
    expect(page.get_by_test_id("job-percent")).to_have_text("100%", timeout=60_000)
    with page.expect_download() as download:
        page.get_by_test_id("job-download").click()
    assert download.value.suggested_filename.startswith("danh-sach-trich-ngang-")
    expect(page.get_by_test_id("unread-count")).to_have_text(str(before + 1))  # "finished", in the menu
