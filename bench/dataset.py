"""A national-scale data set, written with bulk inserts (executemany on SQLite, COPY on PostgreSQL).

The country: a root unit, the 34 provinces and the 3,321 communes, wards and special zones of
the `vietnam-provinces` package (two tiers, since 01/07/2025). Two national plans, each with
four movements and eighteen milestones (sixteen monthly ones for every commune and ward, one
for the provinces, one for the national committee itself). Nominations, candidates, progress
reports, users, award proposals, decisions and award records as asked (see Sizes).
Rows get explicit ids, so nothing is read back while writing; the running figures are then
rebuilt with one call (tracker.stats.counters.rebuild), as `flask rebuild-stats` does.
"""
import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from sqlalchemy import text
from vietnam_provinces import Province, Ward
from vietnam_provinces.base import VietNamDivisionType

from tracker.collation import sort_key

TODAY = date(2026, 3, 15)  # the bench's pinned "today": seven monthly milestones are past due
CAMPAIGN_START = datetime(2025, 7, 1, tzinfo=timezone.utc)
STAMP = datetime(2025, 7, 1, 8, 0, tzinfo=timezone.utc)
MOVEMENTS = (
    "Cả nước chung tay vì người nghèo – Không để ai bị bỏ lại phía sau",
    "Doanh nghiệp Việt Nam hội nhập và phát triển",
    "Cán bộ, công chức, viên chức thi đua thực hiện văn hóa công sở",
    "Chuyển đổi số trong cơ quan nhà nước",
)
MONTHLY_MILESTONES = 16
# Nomination statuses with their shares.
STATUS_SHARES = (("draft", 10), ("submitted", 25), ("returned", 5), ("resubmitted", 5), ("accepted", 33),
                 ("rejected", 5), ("withdrawn", 5), ("awarded", 12))
ACHIEVEMENTS = "Gương mẫu, tích cực trong phong trào thi đua; hoàn thành xuất sắc nhiệm vụ được giao."
ACHIEVEMENTS_KEY = "guong mau, tich cuc trong phong trao thi dua; hoan thanh xuat sac nhiem vu duoc giao."
FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô")
MIDDLE = ("Văn", "Thị", "Hữu", "Đức", "Minh", "Thanh", "Ngọc", "Quang", "Xuân", "Thu")
GIVEN = ("An", "Bình", "Châu", "Dũng", "Giang", "Hà", "Hòa", "Hùng", "Lan", "Long", "Mai", "Minh", "Nam", "Nga",
         "Phúc", "Quân", "Sơn", "Tâm", "Thảo", "Trang", "Tuấn", "Việt", "Yến")
COLLECTIVES = ("Chi hội Phụ nữ", "Tổ dân phố", "Hợp tác xã", "Đoàn Thanh niên", "Trường Tiểu học", "Trạm Y tế")


@dataclass(frozen=True)
class Sizes:
    nominations: int = 1_000_000
    reports: int = 100_000
    users: int = 5_000

    @property
    def candidates(self) -> int:
        # Plan B nominates 60 % of its people again from plan A (award history accumulates).
        half = self.nominations // 2
        return half + (self.nominations - half) * 4 // 10


@dataclass
class Country:
    """What the measurements need to know about the data that was written."""

    root_id: int
    province_ids: list[int]
    ward_ids: list[int]
    plan_ids: list[int]
    movement_ids: dict[int, list[int]]
    committee_id: int
    leader_id: int
    province_committee_id: int  # the committee of the largest province
    nomination_ids: list[int]  # a sample, to open one nomination at a time
    largest_province_id: int
    counts: dict[str, int]


# --- writing ---------------------------------------------------------------------------------


class Writer:
    """Bulk rows into one table: executemany on SQLite, COPY on PostgreSQL."""

    def __init__(self, connection):
        self.connection = connection  # a SQLAlchemy Connection inside a transaction
        self.dialect = connection.dialect.name
        self.raw = connection.connection.driver_connection

    def dt(self, value: datetime | None):
        if value is None or self.dialect == "postgresql":
            return value
        return value.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f")  # SQLAlchemy's own format

    def day(self, value: date | None):
        return value if value is None or self.dialect == "postgresql" else value.isoformat()

    def flag(self, value: bool):
        return value if self.dialect == "postgresql" else int(value)

    def rows(self, table: str, columns: tuple[str, ...], rows, chunk: int = 20_000) -> int:
        written = 0
        if self.dialect == "postgresql":
            with self.raw.cursor() as cursor:
                with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
                        written += 1
            return written
        sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
        cursor = self.raw.cursor()
        batch = []
        for row in rows:
            batch.append(row)
            if len(batch) >= chunk:
                cursor.executemany(sql, batch)
                written += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            written += len(batch)
        cursor.close()
        return written


def _weighted(rng: random.Random, shares) -> list[str]:
    population = [value for value, weight in shares for _ in range(weight)]
    return [rng.choice(population) for _ in range(1000)]


def _person(rng: random.Random) -> str:
    return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


def _key(name: str) -> str:
    from tracker.candidates.services import name_key

    return name_key(name)


# --- the data set ------------------------------------------------------------------------


def build(connection, sizes: Sizes, password_hash: str, award_type_id: int, seed: int = 2025) -> Country:
    """Write the whole data set through `connection` (tables exist and are empty, the award
    catalogue is loaded). Returns what the measurements need."""
    rng = random.Random(seed)
    w = Writer(connection)
    counts = {}

    # Units: the root, the provinces, their communes and wards (ids 1..N, paths from the ids).
    units, province_ids, ward_ids, province_of = [], [], [], {}
    root_id = 1
    units.append((root_id, "VN", "Việt Nam", "other", None, "/1/", 0))
    next_id = 2
    wards_by_province = {}
    for province in sorted(Province.iter_all(), key=lambda p: p.code.value):
        pid = next_id
        next_id += 1
        province_ids.append(pid)
        units.append((pid, f"P{province.code.value:02d}", province.name, "province", root_id, f"/1/{pid}/", 1))
        wards_by_province[pid] = []
        for ward in sorted(Ward.iter_by_province(province.code), key=lambda x: x.code.value):
            kind = {VietNamDivisionType.PHUONG: "ward", VietNamDivisionType.DAC_KHU: "special_zone"}.get(
                ward.division_type, "commune")
            wid = next_id
            next_id += 1
            ward_ids.append(wid)
            province_of[wid] = pid
            wards_by_province[pid].append(wid)
            units.append((wid, f"{ward.code.value:05d}", ward.name, kind, pid, f"/1/{pid}/{wid}/", 2))
    stamp = w.dt(STAMP)
    counts["units"] = w.rows("units", ("id", "code", "name", "kind", "parent_id", "path", "depth", "created_at",
                                       "updated_at", "sort_key"), (u + (stamp, stamp, sort_key(u[2])) for u in units))
    largest = max(province_ids, key=lambda p: len(wards_by_province[p]))

    # Users: the national admin, committee and leader, each province's committee and leader,
    # one officer per commune or ward, the rest more officers.
    users = [(1, "admin", "Quản trị hệ thống", "admin", root_id), (2, "committee", "Hội đồng TĐKT Trung ương",
             "committee", root_id), (3, "leader", "Lãnh đạo", "leader", root_id)]
    for pid in province_ids:
        users.append((len(users) + 1, f"committee_p{pid}", f"Hội đồng TĐKT tỉnh {pid}", "committee", pid))
        users.append((len(users) + 1, f"leader_p{pid}", f"Lãnh đạo tỉnh {pid}", "leader", pid))
    for wid in ward_ids:
        if len(users) >= sizes.users:
            break
        users.append((len(users) + 1, f"officer_{wid}", f"Cán bộ đơn vị {wid}", "ward_officer", wid))
    while len(users) < sizes.users:
        wid = rng.choice(ward_ids)
        users.append((len(users) + 1, f"officer2_{len(users) + 1}", _person(rng), "ward_officer", wid))
    counts["users"] = w.rows("users", ("id", "username", "full_name", "email", "password_hash", "role", "unit_id",
                                       "active", "created_at", "updated_at", "sort_key"),
                             ((i, u, n, f"{u}@bench.invalid", password_hash, r, unit, w.flag(True), stamp, stamp,
                               sort_key(n)) for i, u, n, r, unit in users))

    # Plans, movements, milestones.
    plan_ids = [1, 2]
    plans, movements, milestones = [], [], []
    movement_ids = {}
    milestone_rows = {}  # plan -> [(id, due, kinds, scope)]
    for index, plan_id in enumerate(plan_ids):
        plans.append((plan_id, f"{index + 1}/KH-HĐTĐKT", f"Kế hoạch thi đua toàn quốc {2025 + index}",
                      w.day(date(2025, 6, 15 + index)), root_id, 2025, 2026, "Luật Thi đua, Khen thưởng 2022",
                      "", "", "active", stamp, stamp))
        movement_ids[plan_id] = []
        for position, name in enumerate(MOVEMENTS):
            mid = len(movements) + 1
            movement_ids[plan_id].append(mid)
            movements.append((mid, plan_id, name, "", position, stamp, stamp))
        milestone_rows[plan_id] = []
        for month in range(MONTHLY_MILESTONES):
            year, mon = 2025 + (7 + month) // 12, (7 + month) % 12 + 1
            start = date(year, mon, 1)
            due = (date(year + (mon == 12), mon % 12 + 1, 1) - timedelta(days=1))
            milestone_rows[plan_id].append((len(milestones) + 1, due, "ward,commune,special_zone", "subunits"))
            milestones.append((len(milestones) + 1, plan_id, f"Báo cáo tháng {mon:02d}/{year}", start, due,
                               "subunits", "ward,commune,special_zone"))
        for title, start, due, kinds, scope in (
                ("Hội nghị điển hình tiên tiến cấp tỉnh", date(2026, 4, 1), date(2026, 4, 30), "province", "subunits"),
                ("Hội nghị điển hình tiên tiến toàn quốc", date(2026, 9, 1), date(2026, 9, 30), "", "issuing_unit")):
            milestone_rows[plan_id].append((len(milestones) + 1, due, kinds, scope))
            milestones.append((len(milestones) + 1, plan_id, title, start, due, scope, kinds))
    w.rows("plans", ("id", "number", "title", "issued_date", "issuing_unit_id", "period_start_year",
                     "period_end_year", "legal_basis", "summary", "body", "status", "created_at", "updated_at"), plans)
    w.rows("movements", ("id", "plan_id", "name", "description", "position", "created_at", "updated_at"), movements)
    w.rows("milestones", ("id", "plan_id", "title", "description", "start_date", "due_date", "scope", "unit_kinds",
                          "requires_report", "is_assumption", "note", "created_at", "updated_at"),
           ((i, p, t, "", w.day(s), w.day(d), sc, k, w.flag(True), w.flag(False), "", stamp, stamp)
            for i, p, t, s, d, sc, k in milestones))

    # Progress reports: past-due obligations nearly all handed in (1.5 % late), then the
    # coming ones in due order until the wanted number is reached.
    obligations_past, obligations_future = [], []
    for plan_id in plan_ids:
        for mid, due, kinds, scope in milestone_rows[plan_id]:
            owing = ward_ids if kinds.startswith("ward") else province_ids if kinds == "province" else [root_id]
            for unit_id in owing:
                (obligations_past if due < TODAY else obligations_future).append((mid, unit_id, due))
    chosen = [o for o in obligations_past if rng.random() >= 0.015]
    obligations_future.sort(key=lambda o: o[2])
    chosen += obligations_future[:max(sizes.reports - len(chosen), 0)]
    chosen = chosen[:sizes.reports]

    def report_rows():
        for rid, (mid, unit_id, due) in enumerate(chosen, start=1):
            if due < TODAY:
                status = rng.choices(("accepted", "submitted", "resubmitted", "returned"), (70, 22, 4, 4))[0]
            else:
                status = rng.choices(("draft", "submitted", "accepted"), (60, 30, 10))[0]
            submitted = None
            if status != "draft":
                submitted = datetime.combine(due - timedelta(days=rng.randint(0, 20)), datetime.min.time(),
                                             timezone.utc) + timedelta(hours=rng.randint(1, 10))
            yield (rid, mid, unit_id, status, w.day(due - timedelta(days=5)), "", "Hội trường UBND", "Chủ tịch UBND",
                   rng.randint(40, 200), rng.randint(3, 20), rng.randint(1, 6), "Báo cáo kết quả thực hiện.", "",
                   w.dt(submitted), 1, stamp, stamp)

    counts["progress_reports"] = w.rows(
        "progress_reports", ("id", "milestone_id", "unit_id", "status", "held_date", "outside_window_reason", "place",
                             "chaired_by", "participants", "individuals_honoured", "collectives_honoured", "narrative",
                             "review_comment", "submitted_at", "version", "created_at", "updated_at"), report_rows())

    # Candidates and nominations: half under each plan; plan B names 60 % of plan A's people again.
    half = sizes.nominations // 2
    statuses = _weighted(rng, STATUS_SHARES)
    candidate_unit, candidate_key = {}, {}

    def candidate_rows():
        for cid in range(1, sizes.candidates + 1):
            unit_id = rng.choice(ward_ids)
            candidate_unit[cid] = unit_id
            if rng.random() < 0.8:
                name = _person(rng)
                candidate_key[cid] = _key(name)
                yield (cid, "individual", name, _key(name), rng.choice(("male", "female")), rng.randint(1955, 2000),
                       "Cán bộ", "UBND", None, unit_id, stamp, stamp, sort_key(name))
            else:
                name = f"{rng.choice(COLLECTIVES)} số {cid % 97 + 1}"
                candidate_key[cid] = _key(name)
                yield (cid, "collective", name, _key(name), None, None, "", "", rng.randint(10, 120), unit_id, stamp,
                       stamp, sort_key(name))

    counts["candidates"] = w.rows("candidates", ("id", "kind", "full_name", "name_key", "gender", "birth_year",
                                                 "position", "workplace", "member_count", "unit_id", "created_at",
                                                 "updated_at", "sort_key"), candidate_rows())
    span = int((datetime.combine(TODAY, datetime.min.time(), timezone.utc) - CAMPAIGN_START).total_seconds())
    awarded = []  # (nomination id, candidate id, plan id, unit id)
    sample = []

    path_of = {unit[0]: unit[5] for unit in units}

    def nomination_rows():
        new_candidate = half + 1
        for nid in range(1, sizes.nominations + 1):
            if nid <= half:
                plan_id, cid = 1, nid
            else:
                plan_id = 2
                if rng.random() < 0.6 or new_candidate > sizes.candidates:  # (no new people left)
                    cid = rng.randint(1, half)
                else:
                    cid = new_candidate
                    new_candidate += 1
            unit_id = candidate_unit[cid]
            status = statuses[nid % 1000]
            submitted = None if status == "draft" else CAMPAIGN_START + timedelta(seconds=rng.randrange(span))
            if status == "awarded":
                awarded.append((nid, cid, plan_id, unit_id))
            if nid % 997 == 0:
                sample.append(nid)
            achievements = ACHIEVEMENTS
            yield (nid, plan_id, movement_ids[plan_id][nid % len(MOVEMENTS)], cid, unit_id, achievements, 2021, 2025,
                   w.day(date(2025, 10, 1 + nid % 28)), 30, 27, "", f"{candidate_key[cid]} {ACHIEVEMENTS_KEY}", status, "",
                   w.dt(submitted), 1, stamp, stamp, path_of[unit_id])

    # On PostgreSQL the trigram index of the search keys is built after the rows, as a restore
    # builds it: it takes each write in place (fastupdate off), a million of them one by one.
    trigram = w.dialect == "postgresql"
    if trigram:
        connection.exec_driver_sql("DROP INDEX ix_nominations_search_key_trgm")
    counts["nominations"] = w.rows(
        "nominations", ("id", "plan_id", "movement_id", "candidate_id", "unit_id", "achievements", "period_start_year",
                        "period_end_year", "meeting_date", "members_present", "votes_for", "proposed_honour",
                        "search_key", "status", "review_comment", "submitted_at", "version", "created_at",
                        "updated_at", "unit_path"), nomination_rows())
    if trigram:
        connection.exec_driver_sql("CREATE INDEX ix_nominations_search_key_trgm ON nominations "
                                   "USING gin (search_key gin_trgm_ops) WITH (fastupdate = off)")

    # Proposals (per plan and province: one decided, one submitted, one draft), the decided ones'
    # items (every awarded nomination of the province), their decisions and award records.
    proposals, decisions, decided_of = [], [], {}
    for plan_id in plan_ids:
        for pid in province_ids:
            for status in ("decided", "submitted", "draft"):
                prop_id = len(proposals) + 1
                proposals.append((prop_id, f"{prop_id}/TTr-UBND", w.day(date(2026, 2, 1)), plan_id, pid, award_type_id,
                                  "Chủ tịch UBND tỉnh", status, "", stamp, stamp))
                if status == "decided":
                    decided_of[(plan_id, pid)] = prop_id
                    decisions.append((len(decisions) + 1, prop_id, f"{len(decisions) + 1}/QĐ-UBND",
                                      w.day(date(2026, 3, 1)), "Chủ tịch UBND tỉnh", stamp, stamp))
    w.rows("proposals", ("id", "number", "proposal_date", "plan_id", "proposing_unit_id", "award_type_id",
                         "addressed_authority", "status", "reason", "created_at", "updated_at"), proposals)
    w.rows("decisions", ("id", "proposal_id", "number", "decision_date", "signer", "created_at", "updated_at"),
           decisions)
    decision_of = {prop_id: d[0] for d in decisions for prop_id in [d[1]]}
    w.rows("proposal_items", ("id", "proposal_id", "nomination_id", "awarded", "note"),
           ((i, decided_of[(p, province_of[u])], nid, w.flag(True), "")
            for i, (nid, _c, p, u) in enumerate(awarded, start=1)))
    counts["award_records"] = w.rows(
        "award_records", ("id", "candidate_id", "award_type_id", "award_name", "year", "decision_number",
                          "decision_date", "decision_id", "nomination_id", "plan_id", "created_at", "updated_at"),
        ((i, c, award_type_id, "Bằng khen của Chủ tịch UBND tỉnh", 2026,
          f"{decision_of[decided_of[(p, province_of[u])]]}/QĐ-UBND", w.day(date(2026, 3, 1)),
          decision_of[decided_of[(p, province_of[u])]], nid, p, stamp, stamp)
         for i, (nid, c, p, u) in enumerate(awarded, start=1)))
    counts["proposals"] = len(proposals)
    if w.dialect == "postgresql":
        for table in ("units", "users", "plans", "movements", "milestones", "progress_reports", "candidates",
                      "nominations", "proposals", "decisions", "proposal_items", "award_records"):
            connection.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                    f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"))
    return Country(root_id=root_id, province_ids=province_ids, ward_ids=ward_ids, plan_ids=plan_ids,
                   movement_ids=movement_ids, committee_id=2, leader_id=3, nomination_ids=sample or [1],
                   largest_province_id=largest, counts=counts,
                   province_committee_id=next(i for i, u, _n, r, unit in users if r == "committee" and unit == largest))
