"""Plain factory helpers: they build rows through the services and flush, never commit."""
from datetime import date
from itertools import count

from tracker.extensions import db
from tracker.plans import services as plan_services
from tracker.plans.models import MilestoneScope, PlanStatus
from tracker.units.models import UnitKind
from tracker.units.services import create_unit
from tracker.users.models import Role
from tracker.users.services import create_user

PASSWORD = "Kh0ng-de-doan-2020"
_seq = count(1)


def make_unit(name=None, kind=UnitKind.WARD, parent=None, code=None):
    n = next(_seq)
    return create_unit(None, name or f"Đơn vị {n}", code or f"U{n:05d}", kind, parent)


def make_user(role=Role.WARD_OFFICER, unit=None, username=None, password=PASSWORD, full_name=None):
    n = next(_seq)
    unit = unit or make_unit()
    return create_user(None, username or f"user{n}", full_name or f"Người dùng {n}", role, unit, password)


def make_plan(unit, number=None, status=PlanStatus.ACTIVE, **values):
    n = next(_seq)
    defaults = {
        "number": number or f"{n}/KH-UBND",
        "title": f"Kế hoạch {n}",
        "issued_date": date(2019, 10, 15),
        "period_start_year": 2020,
        "period_end_year": 2025,
        "status": status,
    }
    defaults.update(values)
    return plan_services.create_plan(None, unit, **defaults)


def make_milestone(plan, title=None, start=date(2020, 1, 1), due=date(2020, 3, 31),
                   scope=MilestoneScope.SUBUNITS, kinds="ward,commune", **values):
    n = next(_seq)
    return plan_services.add_milestone(None, plan, title=title or f"Mốc {n}", start_date=start,
                                       due_date=due, scope=scope, unit_kinds=kinds, **values)


def make_city_tree():
    """A province with two cities, each with two wards: the shape most scope tests need."""
    province = make_unit("Tỉnh Thử Nghiệm", UnitKind.PROVINCE, code=f"P{next(_seq)}")
    city_a = make_unit("Thành phố A", UnitKind.CITY, province)
    city_b = make_unit("Thành phố B", UnitKind.CITY, province)
    tree = {
        "province": province,
        "city_a": city_a,
        "city_b": city_b,
        "ward_a1": make_unit("Phường A1", UnitKind.WARD, city_a),
        "ward_a2": make_unit("Xã A2", UnitKind.COMMUNE, city_a),
        "ward_b1": make_unit("Phường B1", UnitKind.WARD, city_b),
        "ward_b2": make_unit("Phường B2", UnitKind.WARD, city_b),
    }
    db.session.flush()
    return tree
