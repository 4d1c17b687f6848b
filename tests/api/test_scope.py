"""A ward officer's token (and the committee's of another city) can neither read nor change
another ward's records through any operation of the API: each is a 404, as on the pages, and no
list holds them. The operations are read off the OpenAPI document, so a new one is covered."""
import re

import pytest

OUTSIDE = ("Lê Quang Minh", "Phường B1", "99/KH-UBND", "Thành phố B")


@pytest.fixture
def elsewhere(users, records, other_plan):
    """Ids of city B's records, by path parameter."""
    other = records["other_nomination"]
    return {"nomination_id": other.id, "report_id": records["other_report"].id,
            "candidate_id": other.candidate_id, "plan_id": other_plan.id, "unit_id": users["officer_b"].unit_id,
            "milestone_id": other_plan.milestones[0].id, "proposal_id": records["other_proposal"].id}


def _operations(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    for path, operations in spec["paths"].items():
        for method in operations:
            if method in ("get", "post", "put", "patch", "delete"):
                yield method.upper(), path


BODIES = {"return": {"comment": "Sửa lại."}, "reject": {"reason": "Không đạt."}, "report": {"place": "Nơi khác"},
          "nominations/{nomination_id}": {"votes_for": 1}}


@pytest.mark.parametrize("role", ["officer", "committee", "leader"])
def test_no_operation_reaches_another_city(api, client, users, token_of, elsewhere, role):
    from sqlalchemy import select

    from tracker.catalogue.models import AwardType
    from tracker.extensions import db

    award_id = db.session.scalars(select(AwardType.id)).first()
    token = token_of(users[role])
    checked = 0
    for method, path in _operations(client):
        names = re.findall(r"{(\w+)}", path)
        if not names or path.startswith("/api/v1/honours"):
            continue  # lists are checked below; the honour roll is public
        url = path
        for name in names:
            url = url.replace(f"{{{name}}}", str(elsewhere[name]))
        if path.endswith("/eligibility"):  # a valid question, so that only the scope can refuse it
            url += f"?award_type_id={award_id}"
        body = next((b for key, b in BODIES.items() if path.endswith(key)), None)
        answer = api(method, url, token, body)
        assert answer.status_code == 404, (role, method, url, answer.status_code, answer.get_data(as_text=True)[:200])
        checked += 1
    assert checked >= 18


@pytest.mark.parametrize("role", ["officer", "committee", "leader"])
def test_no_list_holds_another_citys_records(api, users, token_of, elsewhere, role):
    token = token_of(users[role])
    for url in ["/api/v1/nominations", "/api/v1/reports", "/api/v1/candidates", "/api/v1/units", "/api/v1/plans",
                "/api/v1/award-records", "/api/v1/proposals", f"/api/v1/units/{users[role].unit_id}/obligations"]:
        answer = api("GET", url, token)
        assert answer.status_code in (200, 403), url
        assert not [w for w in OUTSIDE if w in answer.get_data(as_text=True)], (role, url)
    for url in [f"/api/v1/nominations?unit_id={elsewhere['unit_id']}", f"/api/v1/nominations?plan_id={elsewhere['plan_id']}",
                f"/api/v1/reports?unit_id={elsewhere['unit_id']}", f"/api/v1/candidates?unit_id={elsewhere['unit_id']}"]:
        assert api("GET", url, token).status_code == 404, url


def test_a_ward_officer_sees_only_their_ward(api, users, token_of, records, plan):
    from tests.factories import make_nomination
    from tracker.commit import commit

    make_nomination(users["officer_a2"], plan, name="Phạm Thị Lan", status="submitted")
    commit()
    token = token_of(users["officer"])
    names = {n["candidate"]["full_name"] for n in api("GET", "/api/v1/nominations", token).get_json()["items"]}
    assert names == {"Trần Thị Mai"}
    committee = {n["candidate"]["full_name"] for n in api("GET", "/api/v1/nominations", token_of(users["committee"]))
                 .get_json()["items"]}
    assert committee == {"Trần Thị Mai", "Phạm Thị Lan"}
    # The neighbour ward's nomination, in the same city, is out of the officer's reach too.
    sibling = api("GET", "/api/v1/nominations?q=lan", token_of(users["committee"])).get_json()["items"][0]
    assert api("GET", f"/api/v1/nominations/{sibling['id']}", token).status_code == 404
    assert api("PATCH", f"/api/v1/nominations/{sibling['id']}", token, {"votes_for": 1}).status_code == 404


def test_the_document_is_valid_openapi_3_1(client):
    from openapi_spec_validator import validate
    from openapi_spec_validator.validation import OpenAPIV31SpecValidator

    spec = client.get("/api/v1/openapi.json").get_json()
    assert spec["openapi"].startswith("3.1")
    validate(spec, cls=OpenAPIV31SpecValidator)
    public = spec["paths"]["/api/v1/honours/{plan_id}"]["get"]
    assert public["security"] == [] and spec["security"] == [{"token": []}]


def test_the_docs_page_shows_every_operation_of_the_document(client):
    """Made from the OpenAPI document by the tracker itself: every operation has its section, with
    its parameters and its body's schema; nothing is loaded from another site."""
    spec = client.get("/api/v1/openapi.json").get_json()
    operations = {f"{m.upper()} {p}" for p, ops in spec["paths"].items() for m in ops
                  if m in ("get", "post", "put", "patch", "delete")}
    page = client.get("/api/v1/docs")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert set(re.findall(r'data-operation="([^"]+)"', html)) == operations
    assert 'id="schema-NominationCreate"' in html and "Nhập" not in html.split("<main")[0]
    assert "Tham số" in html  # in Vietnamese
    assert not re.findall(r'(?:src|href)="https?://', html)


def test_the_public_honour_roll_needs_no_token(api, client, plan):
    listed = client.get("/api/v1/honours")
    assert listed.status_code == 200 and listed.get_json() == []
    roll = client.get(f"/api/v1/honours/{plan.id}")
    assert roll.status_code == 200 and roll.get_json() == {"items": [], "next_cursor": None}


def test_every_api_route_is_in_the_document(app, client):
    """So that the matrix above, which reads the document, covers every operation."""
    import re

    spec = client.get("/api/v1/openapi.json").get_json()
    documented = {(method.upper(), path) for path, ops in spec["paths"].items() for method in ops
                  if method in ("get", "post", "put", "patch", "delete")}
    missing = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/") or rule.rule in ("/api/v1/openapi.json", "/api/v1/docs"):
            continue
        path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule)
        missing += [f"{m} {path}" for m in rule.methods - {"HEAD", "OPTIONS"} if (m, path) not in documented]
    assert not missing, missing
