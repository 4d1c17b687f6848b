"""A proposal's dossier: the parts each award needs (the minutes where the council's ballot is
required, each nominee's report of achievements, the certificate of an initiative, copies of
earlier decisions), shown present or missing, blocking the submission until complete; the
proposal's own files uploaded, downloaded and removed in scope; the report templates."""
import io
from datetime import date

import pytest
from docx import Document
from sqlalchemy import select

from tests.factories import (
    hold_council_vote,
    make_accepted_nomination,
    make_plan,
    pdf_bytes,
    post_publicly_long_ago,
)
from tracker.attachments import services as files
from tracker.attachments.models import Attachment
from tracker.awards import dossier, services
from tracker.commit import commit
from tracker.errors import DomainError, InvalidData
from tracker.extensions import db


@pytest.fixture
def nominees(tree):
    plan = make_plan(tree["city_a"], number="156/KH-UBND")
    return [make_accepted_nomination(plan, tree["ward_a1"], name) for name in ("Nguyễn Văn Hòa", "Trần Thị Mai")]


def _pdf(name="x.pdf"):
    return files.Upload(name, io.BytesIO(pdf_bytes()))


def _state(proposal):
    return {s.part.key: s for s in dossier.dossier_of(proposal)}


def test_the_provincial_title_needs_every_part_before_it_goes_up(users, tree, nominees, award):
    hold_council_vote(tree["city_a"], nominees, award("CSTD_TINH"))
    proposal = services.create_proposal(users["committee"], tree["city_a"], "12/TTr-UBND", date(2020, 4, 12),
                                        award("CSTD_TINH"), "Chủ tịch UBND tỉnh", nominees)
    post_publicly_long_ago(proposal)
    state = _state(proposal)
    assert list(state) == ["to_trinh", "danh_sach", "bien_ban", "bao_cao", "sang_kien", "quyet_dinh"]
    assert state["bien_ban"].present and state["to_trinh"].present  # the ballot passed; the tracker writes the rest
    assert state["bao_cao"].missing == ["Nguyễn Văn Hòa", "Trần Thị Mai"] and not state["sang_kien"].present
    with pytest.raises(DomainError) as refused:
        services.submit_proposal(users["committee"], proposal)
    assert "Trần Thị Mai" in str(refused.value) and "sáng kiến" in str(refused.value)
    for nomination in nominees:
        [checked] = files.check_uploads([_pdf("bao-cao.pdf")], 10 ** 7, 10 ** 8)
        files.add_attachment(users["officer"], checked, "achievements", unit_id=nomination.unit_id,
                             nomination=nomination)
    dossier.add_files(users["committee"], proposal, [_pdf("sang-kien.pdf")], "initiative")
    with pytest.raises(InvalidData):  # a file of no part
        dossier.add_files(users["committee"], proposal, [_pdf()], "photo")
    with pytest.raises(DomainError) as still:
        services.submit_proposal(users["committee"], proposal)
    assert "quyết định khen thưởng trước đó" in str(still.value) and "Trần Thị Mai" not in str(still.value)
    dossier.add_files(users["committee"], proposal, [_pdf("qd-2019.pdf")], "decision")
    assert all(s.present for s in dossier.dossier_of(proposal))
    services.submit_proposal(users["committee"], proposal)


def test_an_award_without_a_required_ballot_needs_no_minutes(users, tree, nominees, award):
    proposal = services.create_proposal(users["committee"], tree["city_a"], "12/TTr-UBND", date(2020, 4, 12),
                                        award("GIAY_KHEN"), "Chủ tịch UBND thành phố", nominees)
    assert list(_state(proposal)) == ["to_trinh", "danh_sach", "bao_cao"]


def test_the_dossier_on_the_proposal_page(client, login_as, users, tree, nominees, award):
    hold_council_vote(tree["city_a"], nominees, award("CSTD_TINH"))
    proposal = services.create_proposal(users["committee"], tree["city_a"], "12/TTr-UBND", date(2020, 4, 12),
                                        award("CSTD_TINH"), "Chủ tịch UBND tỉnh", nominees)
    commit()
    login_as(users["committee"])
    url = f"/awards/proposals/{proposal.id}"
    page = client.get(url).get_data(as_text=True)
    assert 'data-part="sang_kien" data-present="no"' in page and 'data-part="bien_ban" data-present="yes"' in page
    assert 'data-testid="dossier-minutes"' in page and "/bien-ban.docx" in page  # the minutes, from the dossier
    refused = client.post(f"{url}/dossier", data={"category": "initiative",
                                                  "files": (io.BytesIO(b"MZ\x90\x00 not a document"), "virus.exe")},
                          content_type="multipart/form-data")
    assert refused.status_code == 200 and 'data-field-error="files"' in refused.get_data(as_text=True)
    added = client.post(f"{url}/dossier", data={"category": "initiative",
                                                "files": (io.BytesIO(pdf_bytes()), "sang-kien.pdf")},
                        content_type="multipart/form-data")
    assert added.status_code == 302
    page = client.get(url).get_data(as_text=True)
    assert 'data-part="sang_kien" data-present="yes"' in page and "sang-kien.pdf" in page
    attachment = db.session.scalar(select(Attachment).where(Attachment.proposal_id == proposal.id))
    assert client.get(f"/proposals/{proposal.id}/files/{attachment.id}").status_code == 200
    login_as(users["committee_b"])  # another city's dossier: out of reach
    assert client.get(f"/proposals/{proposal.id}/files/{attachment.id}").status_code == 404
    login_as(users["committee"])
    assert client.post(f"/proposals/{proposal.id}/files/{attachment.id}/delete").status_code == 302
    assert 'data-part="sang_kien" data-present="no"' in client.get(url).get_data(as_text=True)


@pytest.mark.parametrize("kind,heading", [
    ("bao-cao-thanh-tich-ca-nhan", "BÁO CÁO THÀNH TÍCH CỦA CÁ NHÂN"),
    ("bao-cao-thanh-tich-tap-the-theo-dot", "ĐỀ NGHỊ KHEN THƯỞNG THEO ĐỢT (CHUYÊN ĐỀ)"),
])
def test_the_report_templates(client, login_as, users, kind, heading):
    login_as(users["officer"])
    response = client.get(f"/awards/{kind}.docx")
    assert response.status_code == 200
    text = "\n".join(p.text for p in Document(io.BytesIO(response.data)).paragraphs)
    assert heading in text and "III. CÁC HÌNH THỨC ĐÃ ĐƯỢC KHEN THƯỞNG" in text
