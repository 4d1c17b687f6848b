"""From accepted nominations to the public honour roll, in a real browser: the council's ballot,
the public posting, the dossier, the decision and a revocation."""
import io
import re
from datetime import date

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from tracker.candidates import services as candidates
from tests.browser.test_journeys import demo, sign_in  # noqa: F401
from tests.factories import make_accepted_nomination, pdf_bytes
from tracker.attachments import services as files
from tracker.candidates.models import Rating
from tracker.catalogue.models import AwardType
from tracker.extensions import db
from tracker.plans.models import Plan
from tracker.units.models import Unit
from tracker.commit import commit

pytestmark = pytest.mark.browser


@pytest.fixture
def nominees(demo, app, monkeypatch):  # noqa: F811
    """Two accepted nominations with their reports of achievements attached by the wards."""
    monkeypatch.setitem(app.config, "TRACKER_TODAY", "2020-04-12")
    plan = db.session.scalar(select(Plan).where(Plan.number == "156/KH-UBND"))
    ward_1 = db.session.scalar(select(Unit).where(Unit.name == "Phường Thuận Hóa"))
    ward_2 = db.session.scalar(select(Unit).where(Unit.name == "Xã Phú Lộc"))
    with_history = make_accepted_nomination(plan, ward_1, "Đặng Thị Hồng Nhung", period_end_year=2020)
    without = make_accepted_nomination(plan, ward_2, "Tổ hợp tác may Phú Lộc", kind="collective", period_end_year=2020)
    cstdcs = db.session.scalar(select(AwardType).where(AwardType.code == "CSTDCS", AwardType.regime == "2017"))
    for year in (2018, 2019):
        candidates.save_candidate_year(None, with_history.candidate, year, rating=Rating.EXCELLENT)
        candidates.add_award_record(None, with_history.candidate, cstdcs, year, f"{year - 2000}/QĐ-UBND", date(year, 12, 20))
    for nomination in (with_history, without):
        checked = files.check_upload(files.Upload("bao-cao-thanh-tich.pdf", io.BytesIO(pdf_bytes())), 10 ** 7)
        files.add_attachment(None, checked, "achievements", unit_id=nomination.unit_id, nomination=nomination)
    commit()
    return with_history, without


def _sign_out(page):
    page.get_by_role("button", name="Đăng xuất").click()


def test_the_legal_life_of_an_award(page, nominees, live_server, app, monkeypatch, tmp_path):
    """Accepted nominations → the council's meeting and secret ballot (one member recused) → the
    proposal → its list posted publicly, an objection from a resident answered → the dossier
    completed → submitted when the posting ended → approved → decided → on the honour roll →
    the minutes downloaded → one award revoked, gone from the roll."""
    monkeypatch.setitem(app.config, "TRACKER_TODAY", "2020-04-13")
    sign_in(page, "committee")
    page.goto("/council/")  # the council meets
    page.get_by_label("Ngày họp").fill("13/04/2020")
    page.get_by_label("Địa điểm").fill("Phòng họp số 2, UBND thành phố")
    page.get_by_label("Số biên bản (không bắt buộc)").fill("05/BB-HĐTĐKT")
    page.get_by_role("button", name="Lên lịch cuộc họp").click()
    expect(page.locator(".alert-success")).to_be_visible()
    attendance = page.locator("#attendance ~ form").first
    attendance.get_by_label(re.compile("Bùi Quang Vinh")).uncheck()  # 6 of the 7 members present
    for name in ("Nguyễn Văn Thanh", "Trần Thị Hương", "Lê Minh Tuấn", "Phạm Thị Lan", "Hoàng Văn Nam", "Võ Thị Mai"):
        attendance.get_by_label(re.compile(name)).check()
    page.get_by_role("button", name="Ghi thành phần dự họp").click()
    expect(page.get_by_test_id("quorum")).to_contain_text("6/7")
    page.get_by_label("Hình thức khen thưởng Hội đồng xét").select_option(label="Bằng khen của Chủ tịch UBND tỉnh")
    page.get_by_label(re.compile("Đặng Thị Hồng Nhung")).check()
    page.get_by_label(re.compile("Tổ hợp tác may Phú Lộc")).check()
    page.get_by_role("button", name="Đưa vào chương trình họp").click()
    nhung = page.locator("section[data-item]", has_text="Đặng Thị Hồng Nhung")
    nhung.get_by_label("Đồng ý", exact=True).fill("4")
    nhung.get_by_label("Không đồng ý", exact=True).fill("0")
    nhung.get_by_label("Không hợp lệ", exact=True).fill("2")  # 6 ballots, but one member is recused: refused
    nhung.locator("summary").click()
    nhung.get_by_label("Võ Thị Mai").select_option(label="Không biểu quyết: là người thân của người được đề nghị")
    nhung.get_by_role("button", name="Ghi kết quả bỏ phiếu").click()
    nhung = page.locator("section[data-item]", has_text="Đặng Thị Hồng Nhung")
    expect(nhung.locator(".invalid-feedback")).to_contain_text("5")  # only 5 may vote: what was typed stays
    expect(nhung.get_by_label("Đồng ý", exact=True)).to_have_value("4")
    nhung.get_by_label("Không hợp lệ", exact=True).fill("1")
    nhung.get_by_role("button", name="Ghi kết quả bỏ phiếu").click()
    nhung = page.locator("section[data-item]", has_text="Đặng Thị Hồng Nhung")
    expect(nhung.get_by_test_id("verdict")).to_contain_text("Đạt")  # 4 of the 6 counted: more than half
    expect(nhung).to_contain_text("Võ Thị Mai")
    collective = page.locator("section[data-item]", has_text="Tổ hợp tác may Phú Lộc")
    collective.get_by_label("Đồng ý", exact=True).fill("5")
    collective.get_by_label("Không đồng ý", exact=True).fill("1")
    collective.get_by_label("Không hợp lệ", exact=True).fill("0")
    collective.get_by_role("button", name="Ghi kết quả bỏ phiếu").click()
    expect(page.locator("section[data-item]", has_text="Tổ hợp tác may Phú Lộc").get_by_test_id("verdict")).to_contain_text("Đạt")
    page.get_by_role("button", name="Biên bản (.docx)").click()  # the minutes: a job, then the file
    with page.expect_download() as download:
        page.get_by_test_id("job-download").click(timeout=30_000)  # a document job on a busy machine
    assert download.value.suggested_filename == "bien-ban-hop-hoi-dong-2020-04-13.docx"

    page.get_by_role("link", name="Tờ trình").first.click()  # the proposal
    page.get_by_role("link", name="Thêm tờ trình").click()
    page.get_by_label("Số, ký hiệu").fill("12/TTr-UBND")
    page.get_by_label("Hình thức khen thưởng").select_option(label="Bằng khen của Chủ tịch UBND tỉnh")
    page.get_by_label("Kính gửi").fill("Chủ tịch UBND tỉnh Thừa Thiên Huế")
    page.get_by_label(re.compile("Đặng Thị Hồng Nhung")).check()
    page.get_by_label(re.compile("Tổ hợp tác may Phú Lộc")).check()
    page.get_by_role("button", name="Tạo mới").click()
    items = page.get_by_test_id("proposal-items")
    expect(items.locator("tr[data-item]")).to_have_count(2)
    good = items.locator("tr", has_text="Đặng Thị Hồng Nhung")
    expect(good.get_by_test_id("verdict")).to_have_text("Đủ điều kiện")
    expect(good.get_by_test_id("council-vote")).to_contain_text("đạt (4/6)")
    warned = items.locator("tr", has_text="Tổ hợp tác may Phú Lộc")
    warning = warned.locator('li[data-warning="yes"]')
    expect(warning).to_have_count(1)
    expect(warning).to_contain_text("không kiểm tra tự động")
    proposal_url = page.url

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Trình lãnh đạo").click()  # not posted yet: refused, said why
    expect(page.locator(".alert-danger")).to_contain_text("công khai")
    page.get_by_role("button", name="Công khai danh sách từ hôm nay").click()
    expect(page.get_by_test_id("posting")).to_contain_text("17/04/2020")  # 5 working days
    expect(page.locator('[data-part="sang_kien"]')).to_have_attribute("data-present", "no")
    _sign_out(page)

    monkeypatch.setitem(app.config, "TRACKER_TODAY", "2020-04-15")  # a resident objects
    page.goto("/honour-roll/")
    page.get_by_role("link", name="Danh sách công khai lấy ý kiến").click()
    page.get_by_test_id("posted-lists").get_by_role("link").first.click()
    expect(page.get_by_test_id("posted-list")).to_contain_text("Tổ hợp tác may Phú Lộc")
    page.get_by_label("Về trường hợp").select_option(label="Tổ hợp tác may Phú Lộc")
    page.get_by_label("Họ và tên").fill("Trần Văn Bình")
    page.get_by_label("Số điện thoại hoặc địa chỉ").fill("0234 3822 111")
    page.get_by_label("Nội dung phản ánh").fill("Đề nghị làm rõ số thành viên của tổ hợp tác.")
    page.get_by_role("button", name="Gửi ý kiến phản ánh").click()
    expect(page.locator(".alert-success")).to_contain_text("Cảm ơn")

    sign_in(page, "committee")  # answers it and completes the dossier
    page.goto(proposal_url)
    objection = page.locator("article[data-objection]")
    expect(objection).to_contain_text("Đề nghị làm rõ số thành viên của tổ hợp tác.")
    objection.get_by_label("Trả lời (bắt buộc khi không chấp nhận)").fill("Đã xác minh: tổ hợp tác có 20 thành viên.")
    objection.get_by_role("button", name="Giải quyết").click()
    expect(page.locator("article[data-objection]")).to_have_attribute("data-status", "dismissed")
    pdf = tmp_path / "giay-chung-nhan-sang-kien.pdf"
    pdf.write_bytes(pdf_bytes())
    page.get_by_label("Loại tệp").select_option(label="Giấy chứng nhận sáng kiến")
    page.locator("#dossier input[type=file]").set_input_files(str(pdf))
    page.get_by_role("button", name="Đính kèm", exact=True).click()
    expect(page.locator('[data-part="sang_kien"]')).to_have_attribute("data-present", "yes")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Trình lãnh đạo").click()  # the posting runs until 17/04
    expect(page.locator(".alert-danger")).to_contain_text("17/04/2020")
    monkeypatch.setitem(app.config, "TRACKER_TODAY", "2020-04-20")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Trình lãnh đạo").click()
    expect(page.locator(".alert-success")).to_be_visible()
    _sign_out(page)

    sign_in(page, "leader")  # the home page says what waits for their approval
    expect(page.get_by_test_id("awaiting-count")).to_have_text("2")  # this one and the demo's 02/TTr-UBND
    page.get_by_test_id("awaiting-approval").get_by_role("link", name="Tờ trình số 12/TTr-UBND").click()
    page.wait_for_load_state("load")  # app.js asks before a decision: loaded before the click
    decision = page.get_by_test_id("leader-decision")
    decision.get_by_label("Ý kiến của lãnh đạo").fill("Đồng ý, trình Chủ tịch ký.")
    page.once("dialog", lambda dialog: dialog.dismiss())  # asked first: dismissed, nothing happens
    decision.get_by_test_id("approve-proposal").click()
    expect(page.get_by_test_id("leader-decision")).to_be_visible()
    page.once("dialog", lambda dialog: dialog.accept())
    decision.get_by_test_id("approve-proposal").click()
    expect(page.locator('[data-status="approved"]')).to_be_visible()
    expect(page.get_by_test_id("approval-comment")).to_have_text("Đồng ý, trình Chủ tịch ký.")
    _sign_out(page)

    sign_in(page, "committee")
    page.goto(proposal_url)
    page.get_by_role("link", name="Ghi nhận quyết định").click()
    page.get_by_label("Số, ký hiệu quyết định").fill("25/QĐ-UBND")
    page.get_by_label("Ngày quyết định").fill("24/04/2020")  # typed as offices write it
    page.get_by_label("Người ký").fill("Phan Ngọc Thọ")
    page.get_by_role("button", name="Ghi nhận quyết định").click()
    expect(page.get_by_test_id("decision")).to_contain_text("25/QĐ-UBND")
    page.get_by_role("button", name="Tờ trình (.docx)").click()  # a job: its page, then the file
    with page.expect_download() as download:
        page.get_by_test_id("job-download").click(timeout=30_000)  # a document job on a busy machine
    assert download.value.suggested_filename == "to-trinh-12-TTr-UBND.docx"
    _sign_out(page)

    page.goto("/honour-roll/")
    page.get_by_role("link").filter(has_text="156/KH-UBND").click()
    roll = page.get_by_test_id("honour-roll")
    expect(roll).to_contain_text("Đặng Thị Hồng Nhung")
    expect(roll).to_contain_text("Tổ hợp tác may Phú Lộc")
    expect(roll).to_contain_text("Bằng khen của Chủ tịch UBND tỉnh")
    roll_url = page.url

    monkeypatch.setitem(app.config, "TRACKER_TODAY", "2020-06-01")  # a revocation, later
    sign_in(page, "committee")
    page.goto(f"/awards/candidates/{nominees[1].candidate.id}")
    records = page.get_by_test_id("award-records")
    records.locator("tr", has_text="Bằng khen của Chủ tịch UBND tỉnh").get_by_role("link", name="Đề nghị thu hồi").click()
    page.get_by_label("Lý do thu hồi").fill("Số thành viên kê khai không đúng thực tế.")
    page.get_by_role("button", name="Gửi đề nghị thu hồi").click()
    expect(page.locator(".alert-success")).to_be_visible()
    _sign_out(page)
    sign_in(page, "leader")
    page.goto("/awards/revocations/")
    page.get_by_test_id("revocations").get_by_role("link", name="Tổ hợp tác may Phú Lộc").click()
    page.get_by_label("Số, ký hiệu quyết định").fill("40/QĐ-UBND")
    page.get_by_label("Ngày quyết định").fill("01/06/2020")
    page.get_by_label("Người ký").fill("Phan Ngọc Thọ")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Thu hồi khen thưởng").click()
    expect(page.get_by_test_id("revocation-decision")).to_contain_text("40/QĐ-UBND")
    _sign_out(page)
    page.goto(roll_url)  # gone from the public roll; the other award stays
    roll = page.get_by_test_id("honour-roll")
    expect(roll).to_contain_text("Đặng Thị Hồng Nhung")
    expect(roll).not_to_contain_text("Tổ hợp tác may Phú Lộc")


def test_recording_an_award_offers_one_regime_and_the_candidates_kind(page, nominees):
    """The award list of 'Record an award received' holds the awards for an individual only, and
    shows the regime in force on the decision date typed (or at the end of the year typed)."""
    with_history, _without = nominees
    sign_in(page, "committee")
    page.goto(f"/awards/candidates/{with_history.candidate.id}")
    award = page.locator("select[data-award-by-date]")
    names = award.locator("option").all_inner_texts()
    assert "Tập thể lao động tiên tiến" not in names and "Chiến sĩ thi đua cơ sở" in names  # an individual's

    def offered() -> set[str]:
        return set(award.locator("optgroup:not([hidden])").evaluate_all("groups => groups.map(g => g.label)"))

    page.locator("input[name='award-year']").fill("2019")
    assert offered() == {"Luật Thi đua, Khen thưởng 2003 (sửa đổi 2005, 2013); Nghị định 91/2017/NĐ-CP"}
    page.locator("input[name='award-year']").fill("2024")
    assert len(offered()) == 1 and "98/2023" in offered().pop()
    page.locator("input[name='award-decision_date']").fill("15/07/2025")  # decided under the newer decree
    page.locator("input[name='award-decision_date']").dispatch_event("input")
    assert len(offered()) == 1 and "152/2025" in offered().pop()
    award.select_option(label="Chiến sĩ thi đua cơ sở")
    page.get_by_role("button", name="Ghi nhận khen thưởng").click()
    expect(page.get_by_test_id("award-records").locator("tr", has_text="2024")).to_contain_text(
        "Chiến sĩ thi đua cơ sở")
