"""WCAG 2.1 AA: axe-core finds no serious or critical violation on any page that any role reaches.

axe-core comes from the npm registry and is vendored for the test (tests/browser/vendor, with its
licence). Each role (and a visitor who is not signed in) starts at the home page and follows
every link of the pages it sees, one page per kind of address ("/nominations/12" and
"/nominations/15" are one kind), on a desktop, where no page may be wider than the window either;
the pages a ward officer uses most are checked on a phone too, where the menu and the lists take
another shape, with a form sent back with mistakes; and every role's crawl is made again on a
390 px phone, where no page may scroll sideways.
"""
import re
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest

from tests.browser.test_journeys import demo, sign_in  # noqa: F401  (fixture and helper)

pytestmark = pytest.mark.browser

AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
HARMFUL = ("serious", "critical")
# Addresses that are not pages: files, feeds and downloads (their links are checked where they are).
NOT_PAGES = re.compile(r"\.(xlsx|docx|csv|ics|pdf|png|jpg)$|/download|/files?/|/calendar|/static/|/export|/template")
MAX_PAGES = 80  # kinds of page per role; the crawl stops there (no role has this many)
RUN_AXE = """() => axe.run(document, {runOnly: {type: 'tag', values: %s}, resultTypes: ['violations']})
  .then(result => result.violations.filter(v => %s.includes(v.impact)).map(v => ({
     rule: v.id, impact: v.impact, help: v.help,
     nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' — ' + (n.failureSummary || '').split('\\n')[1])
  })))""" % (WCAG_AA, list(HARMFUL))


def kind_of(url: str) -> str:
    """One key per kind of page: numbers become {n}; the query's names count, not its values."""
    parts = urlsplit(url)
    names = sorted({name for name, _value in parse_qsl(parts.query) if name != "page"})
    return re.sub(r"\d+", "{n}", parts.path) + ("?" + "&".join(names) if names else "")


def violations_on(page) -> list[dict]:
    return page.evaluate(RUN_AXE)


def crawl(page, start: str = "/", check=None) -> tuple[dict[str, list[dict]], list[str]]:
    """Every kind of page reachable from `start` by links: {url: what `check` found there} (by
    default axe's violations and a page wider than the window), and the kinds of page seen."""
    origin = urlsplit(page.url).netloc or None
    found: dict[str, list[dict]] = {}
    kinds, queue = set(), [start]
    while queue and len(found) < MAX_PAGES:
        url = queue.pop(0)
        if kind_of(url) in kinds:
            continue
        kinds.add(kind_of(url))
        response = page.goto(url)
        if response is None or response.status != 200 or "text/html" not in response.headers.get(
                "content-type", ""):
            continue
        origin = origin or urlsplit(page.url).netloc
        found[url] = (check or default_check)(page)
        links = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
        for link in links:
            parts = urlsplit(link)
            if parts.netloc != origin or parts.scheme not in ("http", "https"):
                continue
            local = parts.path + ("?" + parts.query if parts.query else "")
            if NOT_PAGES.search(parts.path) or kind_of(local) in kinds:
                continue
            queue.append(local)
    return found, sorted(kinds)


def too_wide(page) -> list[dict]:
    """A page wider than the window hides what is on its right (the end of the menu, a status)."""
    sideways = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    return [{"rule": "scrolls-sideways", "impact": "serious", "help": f"{sideways} px too wide", "nodes": []}
            ] if sideways > 0 else []


def default_check(page) -> list[dict]:
    return violations_on(page) + too_wide(page)


def report(found: dict[str, list[dict]]) -> str:
    lines = []
    for url, violations in found.items():
        for v in violations:
            lines.append(f"{url}: {v['impact']} {v['rule']} ({v['help']})")
            lines.extend(f"    {node}" for node in v["nodes"])
    return "\n".join(lines)


@pytest.fixture
def audited(browser, live_server):
    context = browser.new_context(base_url=live_server, locale="vi-VN")
    context.add_init_script(AXE)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.mark.parametrize("username", [None, "phuong_phu_xuan", "committee", "leader", "admin"])
def test_no_page_of_any_role_has_a_serious_accessibility_violation(audited, demo, username):  # noqa: F811
    if username:
        sign_in(audited, username)
        audited.wait_for_url(re.compile(r"/$"))
        starts = ["/"]
    else:
        starts = ["/honour-roll/", "/login"]
    found: dict[str, list[dict]] = {}
    for start in starts:
        pages, _kinds = crawl(audited, start)
        found.update(pages)
    assert len(found) >= (8 if username else 2), sorted(found)  # the crawl really went round the pages
    assert not any(found.values()), "\n" + report(found)


def test_a_wards_pages_on_a_phone(browser, live_server, demo):  # noqa: F811
    context = browser.new_context(base_url=live_server, locale="vi-VN", viewport={"width": 390, "height": 844},
                                  is_mobile=True, has_touch=True)
    context.add_init_script(AXE)
    page = context.new_page()
    try:
        sign_in(page, "phuong_phu_xuan")
        page.wait_for_url(re.compile(r"/$"))
        found = {}
        for url in ("/", "/reports/mine", "/nominations/", "/nominations/new", "/notifications/", "/account"):
            page.goto(url)
            found[url] = default_check(page)
        page.locator(".navbar-toggler").click()
        found["/ (menu open)"] = violations_on(page)
        page.goto("/nominations/new")  # a form sent with mistakes: the messages and marked fields
        form = page.get_by_test_id("nomination-form")
        form.evaluate("form => { form.noValidate = true; }")  # the server's messages, not the browser's
        form.locator('[name="members_present"]').fill("5")
        form.locator('[name="votes_for"]').fill("9")
        page.once("dialog", lambda dialog: dialog.accept())
        form.get_by_test_id("submit-nomination").click()
        page.locator(".invalid-feedback").first.wait_for()
        found["/nominations/new (sent with mistakes)"] = violations_on(page)
    finally:
        context.close()
    assert not any(found.values()), "\n" + report(found)


@pytest.mark.parametrize("username", [None, "phuong_phu_xuan", "committee", "leader", "admin"])
def test_no_page_of_any_role_scrolls_sideways_on_a_phone(browser, live_server, demo, username):  # noqa: F811
    context = browser.new_context(base_url=live_server, locale="vi-VN", viewport={"width": 390, "height": 844},
                                  is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        if username:
            sign_in(page, username)
            page.wait_for_url(re.compile(r"/$"))
        found: dict[str, list[dict]] = {}
        for start in (["/"] if username else ["/honour-roll/", "/login"]):
            pages, _kinds = crawl(page, start, check=too_wide)
            found.update(pages)
    finally:
        context.close()
    assert len(found) >= (8 if username else 2), sorted(found)
    assert not any(found.values()), "\n" + report(found)


def test_a_posted_list_and_its_objection_form(browser, live_server, demo):  # noqa: F811
    """The public page of a list posted for objections, as a visitor reads it on a desktop and on a
    phone, and its form sent back with mistakes."""
    from datetime import date

    from sqlalchemy import select

    from tests.factories import make_accepted_nomination
    from tracker import clock
    from tracker.awards import posting, services
    from tracker.catalogue.models import AwardType
    from tracker.commit import commit
    from tracker.extensions import db
    from tracker.plans.models import Plan
    from tracker.units.models import Unit

    plan = db.session.scalar(select(Plan).where(Plan.number == "156/KH-UBND"))
    ward = db.session.scalar(select(Unit).where(Unit.name == "Phường Thuận Hóa"))
    award = db.session.scalar(select(AwardType).where(AwardType.code == "GIAY_KHEN", AwardType.regime == "2017"))
    with clock.pinned(date(2020, 4, 10)):
        nomination = make_accepted_nomination(plan, ward, "Đặng Thị Hồng Nhung", period_end_year=2020)
        proposal = services.create_proposal(None, plan.issuing_unit, "30/TTr-UBND", date(2020, 4, 10), award,
                                            "Chủ tịch UBND thành phố", [nomination], plan=plan)
        posting.post_publicly(None, proposal)
    commit()
    found = {}
    for width in (1280, 390):
        context = browser.new_context(base_url=live_server, locale="vi-VN", viewport={"width": width, "height": 900})
        context.add_init_script(AXE)
        page = context.new_page()
        try:
            page.goto("/cong-khai/")
            found[f"/cong-khai/ ({width})"] = default_check(page)
            page.goto(page.get_by_test_id("posted-lists").get_by_role("link").first.get_attribute("href"))
            found[f"the posted list ({width})"] = default_check(page)  # loaded whole, its styles applied
            page.get_by_role("button", name="Gửi ý kiến phản ánh").click()  # nothing typed: the messages
            page.locator(".invalid-feedback").first.wait_for()
            page.wait_for_load_state("load")
            found[f"the form sent with mistakes ({width})"] = default_check(page)
        finally:
            context.close()
    assert not any(found.values()), "\n" + report(found)
