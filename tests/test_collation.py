"""Units listed in Vietnamese alphabetical order, in Python and in the database (SQLite, PostgreSQL)."""
import pytest
from sqlalchemy import select

from tests.factories import make_unit
from tracker.collation import sort_key, sorted_vietnamese
from tracker.units.models import Unit, UnitKind

# In Vietnamese order: the letters with their marks are letters of their own (d < đ, o < ô < ơ,
# u < ư, a < ă < â), tones count only after the letters, case not at all, a space before a letter.
ORDERED = ["Phường An Cựu", "Phường Anh Đào", "Phường Dương Nỗ", "Phường Đông Ba", "Phường Ô Lâu",
           "Phường Ơn Tình", "Phường Thuận Hóa", "Phường Thủy Xuân", "Phường Ưng Hòa", "Phường Zô", "Xã A",
           "Xã Á", "Xã Ăn", "Xã Ân"]


def test_the_key_orders_as_the_vietnamese_alphabet():
    shuffled = ORDERED[::2][::-1] + ORDERED[1::2]
    assert sorted_vietnamese(shuffled) == ORDERED
    assert sorted(ORDERED) != ORDERED  # code-point order puts "Đ..." after "Z..."


def test_tones_and_case_decide_only_between_otherwise_equal_names():
    assert sort_key("Hòa") < sort_key("Hoan")  # the letters first: "hoa" < "hoan"
    assert sort_key("Hoa") < sort_key("Hòa") < sort_key("Hỏa") < sort_key("Hõa") < sort_key("Hóa") < sort_key("Họa")
    assert sort_key("phường an cựu") == sort_key("Phường  An Cựu ")


@pytest.fixture
def wards(db):
    city = make_unit("Thành phố Thử", UnitKind.CITY)
    for name in reversed(ORDERED):
        make_unit(name, parent=city)
    db.session.flush()
    return city


def test_the_database_orders_units_by_the_key(db, wards):
    names = db.session.scalars(select(Unit.name).where(Unit.parent_id == wards.id).order_by(Unit.sort_key)).all()
    assert names == ORDERED  # on PostgreSQL too, whatever the server's locale (the "C" collation)


def test_a_renamed_unit_takes_its_new_place(db, wards):
    zo = db.session.scalar(select(Unit).where(Unit.name == "Phường Zô"))
    zo.name = "Phường Bình An"
    db.session.flush()
    names = db.session.scalars(select(Unit.name).where(Unit.parent_id == wards.id).order_by(Unit.sort_key)).all()
    assert names.index("Phường Bình An") == names.index("Phường Anh Đào") + 1


def test_unit_selects_list_each_units_children_in_order(db, wards):
    from tracker.units.services import in_tree_order, subtree

    ordered = in_tree_order(db.session.scalars(subtree(wards)))
    assert [u.name for u in ordered] == ["Thành phố Thử", *ORDERED]


def test_the_dashboard_matrix_lists_the_wards_in_order(db, wards):
    from datetime import date

    from tests.factories import make_plan
    from tracker.dashboard.queries import matrix

    plan = make_plan(wards)
    db.session.flush()
    _milestones, rows = matrix(plan, wards, None, date(2020, 4, 10))
    assert [row.unit.name for row in rows] == ORDERED


PEOPLE = ["Bùi Thị Ánh", "Dương Văn Hải", "Đặng Thị Hồng Nhung", "Đỗ Minh Châu", "Ông Văn Tú", "Ưng Thị Hòa"]


def test_the_users_list_is_in_vietnamese_order(db, wards):
    from tests.factories import make_user
    from tracker.users.models import Role
    from tracker.users.services import search_users

    ward = db.session.scalar(select(Unit).where(Unit.parent_id == wards.id).order_by(Unit.id))
    for index, name in enumerate(reversed(PEOPLE)):
        make_user(Role.WARD_OFFICER, ward, f"user_{index}", full_name=name)
    db.session.flush()
    listed = [u.full_name for u in db.session.scalars(search_users(select(Unit.id).where(Unit.id == ward.id)))]
    assert listed == PEOPLE


def test_the_queue_sorts_people_in_vietnamese_order(db, wards):
    from tests.factories import make_nomination, make_plan, make_user
    from tracker.nominations.queries import search_nominations
    from tracker.users.models import Role

    ward = db.session.scalar(select(Unit).where(Unit.parent_id == wards.id).order_by(Unit.id))
    officer = make_user(Role.WARD_OFFICER, ward, "officer_sort")
    plan = make_plan(wards)
    for name in reversed(PEOPLE):
        make_nomination(officer, plan, name=name)
    db.session.flush()
    query = search_nominations(select(Unit.id).where(Unit.id == ward.id), sort="name")
    assert [n.candidate.full_name for n in db.session.scalars(query)] == PEOPLE


def test_the_units_list_is_a_tree_in_vietnamese_order(db, wards):
    from tracker.units.services import search_units

    other = make_unit("Thành phố Đà Lạt", UnitKind.CITY)  # a root of its own: not in the list
    make_unit("Phường Zô", parent=other)
    zo = db.session.scalar(select(Unit).where(Unit.parent_id == wards.id, Unit.name == "Phường Zô"))
    make_unit("Tổ dân phố 1", parent=zo)
    make_unit("Thôn Ấp", parent=db.session.scalar(select(Unit).where(Unit.name == "Phường An Cựu")))
    db.session.flush()
    names = [u.name for u in db.session.scalars(search_units(wards))]
    expected = ["Thành phố Thử", *ORDERED]
    expected.insert(expected.index("Phường An Cựu") + 1, "Thôn Ấp")  # each unit's children under it
    expected.insert(expected.index("Phường Zô") + 1, "Tổ dân phố 1")
    assert names == expected
    assert [u.name for u in db.session.scalars(search_units(wards, "phường d"))] == ["Phường Dương Nỗ"]
