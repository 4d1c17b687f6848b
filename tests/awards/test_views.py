"""Proposals, decisions, documents and the honour roll over HTTP."""
import io
from datetime import date

import pytest
from docx import Document
from openpyxl import load_workbook
from sqlalchemy import func, select

from tests.factories import (
    assert_layout_of_the_decree,
    complete_dossier,
    exported,
    make_accepted_nomination,
    make_plan,
    post_publicly_long_ago,
    printed_pages,
)
from tests.spreadsheets.formulas import HOSTILE, assert_text_only
from tracker.awards import services
from tracker.awards.models import Proposal, ProposalStatus
from tracker.catalogue import services as catalogue_services
from tracker.catalogue.models import AwardType
from tracker.extensions import db
from tracker.commit import commit


@pytest.fixture
def setup(tree, users, app, monkeypatch):
    monkeypatch.setitem(app.config, "TRACKER_TODAY", "2020-04-12")
    catalogue_services.load_catalogue(None)
    plan = make_plan(tree["city_a"], number="156/KH-UBND")
    first = make_accepted_nomination(plan, tree["ward_a1"], "Nguyễn Văn Hòa")
    second = make_accepted_nomination(plan, tree["ward_a2"], "Trần Thị Mai")
    first.candidate.birth_year = 1972
    commit()
    award = db.session.scalar(select(AwardType).where(AwardType.code == "GIAY_KHEN", AwardType.regime == "2017"))
    return {"plan": plan, "nominations": [first, second], "award": award}


def _create(client, setup, **overrides):
    data = {"number": "12/TTr-UBND", "proposal_date": "2020-04-12", "award_type_id": setup["award"].id,
            "addressed_authority": "Chủ tịch UBND thành phố", "plan_id": setup["plan"].id,
            "nomination_ids": [n.id for n in setup["nominations"]]}
    data.update(overrides)
    return client.post("/awards/proposals/new", data=data)


def test_committee_builds_a_proposal(client, login_as, users, setup):
    login_as(users["committee"])
    response = _create(client, setup)
    assert response.status_code == 302
    proposal = db.session.scalar(select(Proposal))
    html = client.get(f"/awards/proposals/{proposal.id}").get_data(as_text=True)
    assert html.count('data-testid="verdict"') == 2 and "Nguyễn Văn Hòa" in html


@pytest.mark.parametrize("overrides,field", [
    ({"nomination_ids": []}, "nomination_ids"),
    ({"number": "12-TTr"}, "number"),
    ({"proposal_date": "2020-02-31"}, "proposal_date"),
    ({"addressed_authority": ""}, "addressed_authority"),
])
def test_bad_proposal_input(client, login_as, users, setup, overrides, field):
    login_as(users["committee"])
    response = _create(client, setup, **overrides)
    assert response.status_code == 200
    assert f'data-field-error="{field}"' in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Proposal.id))) == 0


def test_nomination_of_another_city_cannot_be_slipped_in(client, login_as, users, setup, tree):
    outsider = make_accepted_nomination(make_plan(tree["city_b"]), tree["ward_b1"], "Người ngoài")
    commit()
    login_as(users["committee"])
    response = _create(client, setup, nomination_ids=[outsider.id])
    assert response.status_code == 200 and 'data-field-error="nomination_ids"' in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Proposal.id))) == 0


def _through_approval(client, login_as, users, setup):
    login_as(users["committee"])
    _create(client, setup)
    proposal = db.session.scalar(select(Proposal))
    complete_dossier(post_publicly_long_ago(proposal))  # posted, long over
    commit()
    client.post(f"/awards/proposals/{proposal.id}/submit")
    login_as(users["leader"])
    client.post(f"/awards/proposals/{proposal.id}/approve")
    login_as(users["committee"])
    db.session.expire_all()
    return proposal


def test_leader_approves_and_committee_records_the_decision(client, login_as, users, setup):
    proposal = _through_approval(client, login_as, users, setup)
    assert proposal.status is ProposalStatus.APPROVED
    items = [i.id for i in proposal.items]
    response = client.post(f"/awards/proposals/{proposal.id}/decision", data={
        "number": "25/QĐ-UBND", "decision_date": "2020-04-20", "signer": "Nguyễn Văn A", "awarded_item_ids": items})
    assert response.status_code == 302
    db.session.expire_all()
    assert proposal.status is ProposalStatus.DECIDED


def test_the_proposal_shows_each_reward_and_the_total(client, login_as, users, setup):
    """Giấy khen, regime 2017, for two individuals: 0,3 × 1.490.000 = 447.000, rounded up to
    450.000 each; once decided on a later base salary the decision's day applies."""
    import re

    proposal = _through_approval(client, login_as, users, setup)
    html = client.get(f"/awards/proposals/{proposal.id}").get_data(as_text=True)
    assert re.findall(r'data-testid="reward">([\d.]+)', html) == ["450.000", "450.000"]
    assert re.search(r'data-testid="reward-total">([\d.]+)', html).group(1) == "900.000"
    assert "Nghị định 38/2019/NĐ-CP" in html and "12/04/2020" in html
    first, second = proposal.items
    client.post(f"/awards/proposals/{proposal.id}/decision", data={
        "number": "25/QĐ-UBND", "decision_date": "2020-04-20", "signer": "Nguyễn Văn A",
        "awarded_item_ids": [first.id]})
    html = client.get(f"/awards/proposals/{proposal.id}").get_data(as_text=True)
    assert re.search(r'data-testid="reward-total">([\d.]+)', html).group(1) == "450.000"  # one not awarded
    # The dashboard's reward money by proposing unit: the same 450.000 đ, decided.
    board = client.get(f"/dashboard/?plan={setup['plan'].id}").get_data(as_text=True)
    assert 'data-testid="reward-money-link"' in board
    page = client.get(f"/dashboard/reward-money?plan={setup['plan'].id}").get_data(as_text=True)
    budget = page.split('data-testid="reward-budget"')[1].split("</table>")[0]
    assert "Thành phố A" in budget and 'data-money="decided">450.000<' in budget
    assert 'data-money="proposed">0<' in budget


def test_decision_bad_input(client, login_as, users, setup):
    proposal = _through_approval(client, login_as, users, setup)
    html = client.post(f"/awards/proposals/{proposal.id}/decision", data={
        "number": "25/QĐ-UBND", "decision_date": "2020-04-01", "signer": "A"}).get_data(as_text=True)
    assert 'data-field-error="decision_date"' in html
    html = client.post(f"/awards/proposals/{proposal.id}/decision", data={
        "number": "QĐ 25", "decision_date": "2020-04-20", "signer": "A"}).get_data(as_text=True)
    assert 'data-field-error="number"' in html
    db.session.expire_all()
    assert proposal.status is ProposalStatus.APPROVED


def test_only_leaders_approve_and_committee_cannot(client, login_as, users, setup):
    login_as(users["committee"])
    _create(client, setup)
    proposal = db.session.scalar(select(Proposal))
    complete_dossier(post_publicly_long_ago(proposal))  # posted, long over
    commit()
    client.post(f"/awards/proposals/{proposal.id}/submit")
    assert client.post(f"/awards/proposals/{proposal.id}/approve").status_code == 403
    login_as(users["leader_b"])
    assert client.post(f"/awards/proposals/{proposal.id}/approve").status_code == 404
    login_as(users["leader"])
    response = client.post(f"/awards/proposals/{proposal.id}/reject", data={"reason": ""})
    assert 'data-field-error="reason"' in response.get_data(as_text=True)
    client.post(f"/awards/proposals/{proposal.id}/reject", data={"reason": "Thiếu biên bản"})
    db.session.expire_all()
    assert proposal.status is ProposalStatus.REJECTED


def _documents(client, login_as, users, setup):
    proposal = _through_approval(client, login_as, users, setup)
    client.post(f"/awards/proposals/{proposal.id}/decision", data={
        "number": "25/QĐ-UBND", "decision_date": "2020-04-20", "signer": "Nguyễn Văn A",
        "awarded_item_ids": [proposal.items[0].id]})
    response = exported(client, f"/awards/proposals/{proposal.id}/to-trinh.docx")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    decision = exported(client, f"/awards/proposals/{proposal.id}/quyet-dinh.docx")
    assert decision.status_code == 200
    return proposal, response.data, decision.data


def test_documents(client, login_as, users, setup):
    proposal, to_trinh, decision_data = _documents(client, login_as, users, setup)
    doc = Document(io.BytesIO(to_trinh))
    assert_layout_of_the_decree(doc)
    left, right = doc.tables[0].rows[0].cells
    # From the committee (Hội đồng Thi đua - Khen thưởng) under its People's Committee: the
    # parent body plain, the issuing body bold.
    lines = [(p.text, bool(p.runs and p.runs[0].bold)) for p in left.paragraphs if p.text]
    assert lines[0] == ("ỦY BAN NHÂN DÂN THÀNH PHỐ A", False)
    assert lines[1] == ("HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG", True) and "Số: 12/TTr-UBND" in left.text
    assert "ngày 12 tháng 4 năm 2020" in right.text
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "TỜ TRÌNH" in text and "Về việc đề nghị tặng Giấy khen" in text
    assert "Kính gửi: Chủ tịch UBND thành phố" in text
    assert "Kế hoạch số 156/KH-UBND ngày 15/10/2019" in text
    assert "Hội đồng Thi đua - Khen thưởng thành phố A kính trình" in text  # "thành phố" in running text
    listing = doc.tables[-1]
    names = [row.cells[1].text for row in listing.rows[1:]]
    assert names == ["I. CÁ NHÂN", "Nguyễn Văn Hòa", "Trần Thị Mai", "Tổng cộng"]
    # The money of the decision's day (20/04/2020: 1.490.000 đ): the one awarded receives 450.000 đ.
    assert [row.cells[4].text for row in listing.rows[2:]] == ["450.000", "", "450.000"]
    assert "Tổng số tiền thưởng đề nghị: 450.000 đồng" in text and "Nghị định số 38/2019/NĐ-CP" in text
    widths = [col.width.mm for col in listing.columns]
    assert widths[0] < 20 and widths[3] == max(widths)  # STT narrow, the achievements widest

    decision = Document(io.BytesIO(decision_data))
    assert_layout_of_the_decree(decision)
    text = "\n".join(p.text for p in decision.paragraphs)
    assert "QUYẾT ĐỊNH\nVề việc tặng Giấy khen" in text
    assert "CHỦ TỊCH ỦY BAN NHÂN DÂN THÀNH PHỐ A" in text
    grounds = [p.text for p in decision.paragraphs if p.text.startswith(("Căn cứ", "Xét đề nghị"))]
    assert [g.split(" ")[2] for g in grounds[:3]] == ["Luật", "Luật", "Nghị"]  # one instrument a line
    assert "Nghị định số 91/2017/NĐ-CP ngày 31 tháng 7 năm 2017" in grounds[2]
    assert grounds[-1].startswith("Xét đề nghị của Hội đồng Thi đua - Khen thưởng thành phố A tại Tờ trình số 12/TTr-UBND")
    assert "Điều 1. Tặng Giấy khen cho 1 cá nhân (có danh sách kèm theo)" in text
    assert "Điều 2. Mỗi cá nhân được tặng kèm theo tiền thưởng 450.000 đồng; tổng số tiền thưởng là 450.000 đồng" in text
    assert "Điều 3." in text and "chịu trách nhiệm thi hành Quyết định này" in text
    signature = decision.tables[1].rows[0].cells
    assert signature[0].paragraphs[0].text == "Nơi nhận:" and signature[0].paragraphs[0].runs[0].italic
    assert signature[1].paragraphs[0].text == "CHỦ TỊCH" and signature[1].paragraphs[-1].text == "Nguyễn Văn A"
    assert len([p for p in signature[1].paragraphs if not p.text]) >= 3  # room to sign
    assert "Kèm theo Quyết định số 25/QĐ-UBND ngày 20 tháng 4 năm 2020" in text
    assert [row.cells[1].text for row in decision.tables[-1].rows[1:]] == ["I. CÁ NHÂN", "Nguyễn Văn Hòa", "Tổng cộng"]
    assert [row.cells[3].text for row in decision.tables[-1].rows[2:]] == ["450.000", "450.000"]

    sheet = load_workbook(io.BytesIO(exported(client, f"/awards/proposals/{proposal.id}/danh-sach.xlsx").data)).active
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert [(r[1], r[6], r[7]) for r in rows] == [("Nguyễn Văn Hòa", "Được khen thưởng", 450_000),
                                                  ("Trần Thị Mai", "Không được khen thưởng", None),
                                                  ("Tổng cộng", None, 450_000)]


def test_the_documents_print_through_libreoffice(client, login_as, users, setup, tmp_path):
    """Rendered to PDF by LibreOffice (when it is installed): the national name on one line, the
    page count, the page number on page 2 and not on page 1."""
    _proposal, to_trinh, decision_data = _documents(client, login_as, users, setup)
    for name, data, pages in (("to-trinh", to_trinh, 2), ("quyet-dinh", decision_data, 3)):
        first, *others = printed_pages(data, tmp_path, name)
        assert any("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in row for row in first.splitlines()), first[:400]
        assert len(others) + 1 == pages, (name, len(others) + 1)
        assert others[0].strip().startswith("2") and not first.strip().startswith("1")


def test_honour_roll_is_public_and_private_fields_never_appear(client, login_as, users, setup):
    proposal = _through_approval(client, login_as, users, setup)
    client.post(f"/awards/proposals/{proposal.id}/decision", data={
        "number": "25/QĐ-UBND", "decision_date": "2020-04-20", "signer": "Nguyễn Văn A",
        "awarded_item_ids": [i.id for i in proposal.items]})
    client.post("/logout")
    anonymous = client.application.test_client()
    html = anonymous.get(f"/honour-roll/{setup['plan'].id}").get_data(as_text=True)
    assert "Nguyễn Văn Hòa" in html and "Trần Thị Mai" in html and "Giấy khen" in html
    assert "Tổ trưởng" in html and "Phường A1" in html
    for private in ("1972", "1980", "23/25", ">25<", ">23<", "Người dùng", "/attachments", "/files/"):
        assert private not in html, private
    assert anonymous.get("/honour-roll/").status_code == 200


def test_honour_roll_search_ignores_diacritics_and_filters(client, login_as, users, setup, tree):
    proposal = _through_approval(client, login_as, users, setup)
    client.post(f"/awards/proposals/{proposal.id}/decision", data={
        "number": "25/QĐ-UBND", "decision_date": "2020-04-20", "signer": "A",
        "awarded_item_ids": [i.id for i in proposal.items]})
    anonymous = client.application.test_client()
    url = f"/honour-roll/{setup['plan'].id}"
    html = anonymous.get(url + "?q=nguyen van hoa").get_data(as_text=True)
    assert "Nguyễn Văn Hòa" in html and "Trần Thị Mai" not in html
    html = anonymous.get(url + f"?unit={tree['ward_a2'].id}").get_data(as_text=True)
    assert "Trần Thị Mai" in html and "Nguyễn Văn Hòa" not in html


def test_candidate_history_page(client, login_as, users, setup):
    candidate = setup["nominations"][0].candidate
    login_as(users["officer"])
    response = client.post(f"/awards/candidates/{candidate.id}/years", data={
        "year": "2019", "rating": "excellent", "initiative_level": "grassroots", "initiative_count": "1",
        "research_accepted": "", "discipline": "none", "months_in_service": "8", "leave_working_days": "2"})
    assert response.status_code == 302
    html = client.get(f"/awards/candidates/{candidate.id}").get_data(as_text=True)
    assert 'data-year="2019"' in html
    from tracker.candidates.models import CandidateYear

    row = db.session.scalar(select(CandidateYear).where(CandidateYear.candidate_id == candidate.id))
    assert (row.months_in_service, row.leave_working_days) == (8, 2)
    months = client.post(f"/awards/candidates/{candidate.id}/years", data={"year": "2018", "months_in_service": "13"})
    assert 'data-field-error="months_in_service"' in months.get_data(as_text=True)
    bad = client.post(f"/awards/candidates/{candidate.id}/years", data={"year": "2019", "initiative_count": "-1"})
    assert 'data-field-error="initiative_count"' in bad.get_data(as_text=True)
    login_as(users["officer_a2"])
    assert client.post(f"/awards/candidates/{candidate.id}/years", data={"year": "2019"}).status_code == 404


def test_admin_makes_a_new_version_of_a_rule(client, login_as, users, setup):
    award = db.session.scalar(select(AwardType).where(AwardType.code == "CSTD_TINH", AwardType.regime == "2017"))
    login_as(users["admin_root"])
    url = f"/awards/catalogue/{award.id}"
    page = client.get(url).get_data(as_text=True)
    assert "Số năm liên tục cần có" in page and "consecutive_years</code>" not in page  # labelled, in Vietnamese
    assert "Chiến sĩ thi đua cơ sở liên tục" in page and 'data-version=' in page  # each requirement's history

    def form(**values):
        data = {"valid_from": "01/01/2021", "note": "Quy định mới",
                "cstdcs_streak-consecutive_years": "2", "cstdcs_streak-legal_basis": "Điều 22 Luật Thi đua, Khen thưởng",
                "cstdcs_streak-confidence": "S", "initiative_provincial-legal_basis": "Luật Thi đua, Khen thưởng",
                "initiative_provincial-confidence": "S", "not_twice-legal_basis": "Điều 5 Luật Thi đua, Khen thưởng",
                "not_twice-confidence": "V",
            "council_vote-approval_percent": "50", "council_vote-approval_inclusive": "0",
            "council_vote-ballot_required": "0", "council_vote-legal_basis": "Điều 90 Luật Thi đua, Khen thưởng",
            "council_vote-confidence": "U"}
        return {**data, **values}

    zero = client.post(url, data=form(**{"cstdcs_streak-consecutive_years": "0"}))
    assert zero.status_code == 200 and "Nhập một số từ 1 đến 10." in zero.get_data(as_text=True)  # no zero streak
    outside = client.post(url, data=form(valid_from="01/01/2030")).get_data(as_text=True)
    assert 'data-field-error="valid_from"' in outside and "Quy định mới" in outside  # nothing typed is lost
    assert client.post(url, data=form()).status_code == 302
    db.session.expire_all()
    rules = catalogue_services.rules_in_force(award, date(2021, 6, 1))
    assert catalogue_services.params_of(rules, award)["consecutive_years"] == 2
    assert rules["cstdcs_streak"].legal_basis == "Điều 22 Luật Thi đua, Khen thưởng"
    old = catalogue_services.rules_in_force(award, date(2020, 6, 1))
    assert catalogue_services.params_of(old, award)["consecutive_years"] == 3  # the old version stays
    page = client.get(url).get_data(as_text=True)
    assert "01/01/2021" in page and "31/07/2017" in page and "Quy định mới" in page
    listing = client.get("/awards/catalogue/").get_data(as_text=True)
    assert "consecutive_years=" not in listing and "quota_percent=" not in listing


def test_honour_roll_follows_the_decision_and_filters_by_subtree(client, login_as, users, setup, tree):
    first, second = setup["nominations"]
    login_as(users["committee"])
    _create(client, setup, nomination_ids=[second.id])  # Mai first, Hòa added after: the decision's order
    proposal = db.session.scalar(select(Proposal))
    client.post(f"/awards/proposals/{proposal.id}/items", data={"nomination_ids": [first.id]})
    db.session.expire_all()
    assert [i.nomination_id for i in proposal.items] == [second.id, first.id]
    complete_dossier(post_publicly_long_ago(proposal))  # posted, long over
    commit()
    client.post(f"/awards/proposals/{proposal.id}/submit")
    login_as(users["leader"])
    client.post(f"/awards/proposals/{proposal.id}/approve")
    login_as(users["committee"])
    client.post(f"/awards/proposals/{proposal.id}/decision", data={
        "number": "25/QĐ-UBND", "decision_date": "2020-04-20", "signer": "A",
        "awarded_item_ids": [i.id for i in proposal.items]})
    anonymous = client.application.test_client()
    url = f"/honour-roll/{setup['plan'].id}"
    html = anonymous.get(url).get_data(as_text=True)
    assert html.index("Trần Thị Mai") < html.index("Nguyễn Văn Hòa")
    assert "2 bản ghi" in html
    html = anonymous.get(url + f"?unit={tree['city_a'].id}").get_data(as_text=True)
    assert "Trần Thị Mai" in html and "Nguyễn Văn Hòa" in html and "2 bản ghi" in html
    html = anonymous.get(url + f"?unit={tree['ward_a1'].id}").get_data(as_text=True)
    assert "Nguyễn Văn Hòa" in html and "Trần Thị Mai" not in html and "1 bản ghi" in html
    # A unit outside the plan's issuer is no filter at all; the list offers the issuer's wards.
    html = anonymous.get(url + f"?unit={tree['ward_b1'].id}").get_data(as_text=True)
    assert "2 bản ghi" in html and "Phường B1" not in html and "Xã A2" in html
    listed = anonymous.get("/honour-roll/").get_data(as_text=True)
    assert "156/KH-UBND" in listed


@pytest.mark.parametrize("query", ["?unit=-99999999999999999999", "?unit=99999999999999999999",
                                   "?movement=99999999999999999999", "?movement=-1", "?unit=abc", "?page=-3"])
def test_honour_roll_odd_filters_never_fail(client, setup, query):
    assert client.get(f"/honour-roll/{setup['plan'].id}{query}").status_code == 200


def test_pages_beyond_any_list_are_404(client, login_as, users, setup):
    assert client.get(f"/honour-roll/{setup['plan'].id}?page=99999999999999999999").status_code == 404
    login_as(users["committee"])
    for url in ("/nominations/", "/plans/", "/awards/proposals/", "/notifications/"):
        assert client.get(url + "?page=99999999999999999999").status_code == 404, url
        assert client.get(url + "?page=2").status_code == 200, url


def test_no_formula_reaches_the_proposal_list(client, login_as, users, setup, tree):
    nominations = [make_accepted_nomination(setup["plan"], tree["ward_a1"], f"Người số {i}")
                   for i in range(len(HOSTILE))]
    for nomination, value in zip(nominations, HOSTILE):  # an imported name such as =HYPERLINK(...)
        nomination.candidate.full_name = value
        nomination.candidate.position = value
    proposal = services.create_proposal(None, tree["city_a"], "12/TTr-UBND", date(2020, 4, 12), setup["award"],
                                        "Chủ tịch UBND thành phố", nominations)
    commit()
    login_as(users["committee"])
    response = exported(client, f"/awards/proposals/{proposal.id}/danh-sach.xlsx")
    assert response.status_code == 200
    assert_text_only(response.data)


def test_the_history_template_holds_no_formula(client, login_as, users):
    login_as(users["committee"])
    assert_text_only(client.get("/awards/history/template.xlsx").data, expected=())


def test_a_submitted_proposal_waits_on_the_leaders_home_and_is_decided_with_a_comment(client, login_as, users,
                                                                                        setup):
    from tracker.notifications.models import Notification

    login_as(users["committee"])
    _create(client, setup)
    proposal = db.session.scalar(select(Proposal))
    login_as(users["leader"])
    assert 'data-testid="awaiting-approval"' not in client.get("/").get_data(as_text=True)  # a draft waits on nobody
    login_as(users["committee"])
    complete_dossier(post_publicly_long_ago(proposal))  # posted, long over
    commit()
    client.post(f"/awards/proposals/{proposal.id}/submit")
    told = db.session.scalars(select(Notification).where(Notification.user_id == users["leader"].id)).all()
    assert [(n.title, n.link) for n in told] == [
        ("Tờ trình 12/TTr-UBND đang chờ đồng chí phê duyệt", f"/awards/proposals/{proposal.id}")]
    assert not db.session.scalars(select(Notification).where(Notification.user_id == users["leader_b"].id)).all()

    login_as(users["leader"])
    home = client.get("/").get_data(as_text=True)
    assert 'data-testid="awaiting-count">1<' in home and f'href="/awards/proposals/{proposal.id}"' in home
    page = client.get(f"/awards/proposals/{proposal.id}").get_data(as_text=True)
    assert 'data-testid="leader-decision"' in page
    assert 'data-confirm="Phê duyệt tờ trình 12/TTr-UBND (2 hồ sơ)?"' in page
    assert 'data-confirm="Không phê duyệt tờ trình 12/TTr-UBND? Ban Thi đua sẽ nhận được thông báo kèm lý do."' in page
    too_long = client.post(f"/awards/proposals/{proposal.id}/approve", data={"reason": "x" * 2001})
    assert too_long.status_code == 200 and 'data-field-error="reason"' in too_long.get_data(as_text=True)
    response = client.post(f"/awards/proposals/{proposal.id}/approve", data={"reason": "Đồng ý, trình ký."})
    assert response.status_code == 302
    db.session.expire_all()
    assert proposal.status is ProposalStatus.APPROVED and proposal.approval_comment == "Đồng ý, trình ký."
    assert "Đồng ý, trình ký." in client.get(f"/awards/proposals/{proposal.id}").get_data(as_text=True)
    assert 'data-testid="awaiting-approval"' not in client.get("/").get_data(as_text=True)
    author = db.session.scalars(select(Notification).where(Notification.user_id == users["committee"].id)).all()
    assert [(n.title, n.body) for n in author] == [("Tờ trình 12/TTr-UBND đã được phê duyệt", "Đồng ý, trình ký.")]
