"""The API from a browser: a ward officer makes a token on My account (in Vietnamese, shown
once), another system uses it to hand a nomination in, the committee finds it in its queue; the
API's documentation page renders every operation from the app's own files."""
from playwright.sync_api import expect

from tests.browser.test_journeys import demo, sign_in  # noqa: F401  (fixture and helper)
from tests.browser.test_nomination_journey import open_in_queue

PERSON = "Hồ Thị Thu"


def test_a_token_made_on_my_account_hands_a_nomination_in(page, live_server, demo):  # noqa: F811
    sign_in(page, "phuong_phu_xuan")
    page.goto("/account")
    page.get_by_label("Tên (hệ thống sẽ dùng khoá)").fill("Hệ thống một cửa phường")
    page.get_by_label("Quyền").select_option("write")
    page.get_by_label("Thời hạn").select_option("30")
    page.get_by_role("button", name="Tạo khoá").click()
    token = page.get_by_label("Khoá mới của bạn (chỉ hiện lần này)").input_value()
    assert token.startswith("tdkt_")
    expect(page.get_by_test_id("tokens")).to_contain_text("Hệ thống một cửa phường")
    page.goto("/account")
    expect(page.get_by_test_id("tokens")).to_contain_text("Đọc và ghi")
    assert token not in page.content()

    # Another system, with the token alone (no cookie: a fresh request context).
    system = page.context.browser.new_context(base_url=live_server)
    try:
        headers = {"Authorization": f"Bearer {token}"}
        me = system.request.get("/api/v1/me", headers=headers).json()
        assert me["unit"]["name"] == "Phường Phú Xuân"
        plan = system.request.get("/api/v1/plans", headers=headers).json()["items"][0]
        movement = system.request.get(f"/api/v1/plans/{plan['id']}", headers=headers).json()["movements"][0]
        answer = system.request.post("/api/v1/nominations", headers=headers, data={
            "plan_id": plan["id"], "movement_id": movement["id"], "submit": True,
            "candidate": {"kind": "individual", "full_name": PERSON, "gender": "female", "birth_year": 1980,
                          "position": "Tổ trưởng tổ dân phố", "workplace": "Tổ dân phố 3"},
            "achievements": "Vận động 40 hộ hiến đất mở rộng kiệt.", "period_start_year": 2015,
            "period_end_year": 2019, "meeting_date": "2020-03-12", "members_present": 30, "votes_for": 28,
            "proposed_honour": "Giấy khen của Chủ tịch UBND phường"})
        assert answer.status == 201, answer.text()
        assert answer.json()["status"] == "submitted"
        refused = system.request.post("/api/v1/nominations", headers=headers, data={"plan_id": plan["id"]})
        assert refused.status == 422 and refused.headers["content-type"] == "application/problem+json"
        assert refused.json()["errors"]["movement_id"][0] == {"vi": "Bắt buộc phải có giá trị này.",
                                                               "en": "This is required."}
    finally:
        system.close()

    page.get_by_role("button", name="Đăng xuất").click()
    sign_in(page, "committee")
    open_in_queue(page, PERSON)
    expect(page.get_by_test_id("nomination-name")).to_contain_text(PERSON)


def test_the_api_reference_reads_in_vietnamese_from_the_apps_own_files(page, live_server):
    offsite = []
    page.on("request", lambda request: offsite.append(request.url)
            if not request.url.startswith(live_server) else None)
    page.goto("/api/v1/docs")
    expect(page.get_by_role("heading", level=1)).to_contain_text("API")
    page.get_by_role("link", name="POST /api/v1/nominations/{nomination_id}/accept").click()
    expect(page.locator('[data-operation="POST /api/v1/nominations/{nomination_id}/accept"]')).to_be_in_viewport()
    assert page.locator("[data-operation]").count() >= 25
    assert offsite == [], offsite
