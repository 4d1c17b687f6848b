"""The first version of each rule cites its article where the tracker knows it, else the regime's
instruments; the council's vote cites its own basis."""
import pytest
from sqlalchemy import select

from tracker.catalogue import services
from tracker.catalogue.models import AwardType
from tracker.extensions import db


@pytest.mark.parametrize("regime,code,requirement,basis", [
    ("2025", "CSTD_TQ", "cstd_tinh_twice", "Điều 21 Luật Thi đua, khen thưởng số 06/2022/QH15; Nghị định 152/2025/NĐ-CP"),
    ("2024", "CSTD_TINH", "cstdcs_streak", "Điều 22 Luật Thi đua, khen thưởng số 06/2022/QH15; Nghị định 98/2023/NĐ-CP"),
    ("2017", "CSTDCS", "quota", "Khoản 3 Điều 9 Nghị định 91/2017/NĐ-CP (không quá 15% số Lao động tiên tiến)"),
    ("2017", "CSTD_TQ", "council_vote", "Khoản 8 Điều 45 Nghị định 91/2017/NĐ-CP (bỏ phiếu kín, từ 90% tổng số thành viên)"),
    ("2017", "TTLDXS", "ldtt_share", "Luật Thi đua, Khen thưởng 2003 (sửa đổi, bổ sung 2013); Nghị định 91/2017/NĐ-CP"),
])
def test_first_versions_cite_the_article(regime, code, requirement, basis):
    services.load_catalogue(None)
    award = db.session.scalar(select(AwardType).where(AwardType.code == code, AwardType.regime == regime))
    rule = next(r for r in services.rule_rows(award) if r.requirement == requirement)
    assert rule.legal_basis == basis
