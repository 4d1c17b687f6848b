"""Each area labels its own enums; templates get them all from the factory; formatting stays generic."""
import ast
import re
from pathlib import Path

import pytest

from tests.factories import make_milestone, make_plan
from tracker import template_labels
from tracker.extensions import db
from tracker.commit import commit

TRACKER = Path(__file__).resolve().parent.parent / "tracker"
TEMPLATES = TRACKER.parent / "templates"


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_formatting_imports_no_area():
    """The generic filters sit low in the house: they import nothing of the tracker."""
    assert not {name for name in _imports(TRACKER / "formatting.py") if name.startswith("tracker")}


@pytest.mark.parametrize("path", sorted(TRACKER.glob("*/labels.py")), ids=lambda p: p.parent.name)
def test_an_areas_labels_import_only_its_own_models(path):
    area = path.parent.name
    tracker_imports = {name for name in _imports(path) if name.startswith("tracker")}
    assert tracker_imports <= {f"tracker.{area}.models"}, tracker_imports


def test_every_enum_member_has_a_label(app):
    """A new status or kind without a label would break every page that shows it."""
    with app.test_request_context():
        for name, labels in template_labels().items():
            keys = list(labels)
            if isinstance(keys[0], str):  # derived statuses (obligations) have plain string keys
                continue
            assert set(keys) == set(type(keys[0])), name
            assert all(str(label) for label in labels.values()), name


def test_templates_use_only_known_labels(app):
    """Every `labels.x` and `status_badge('x', ...)` in the templates names a gathered label set."""
    known = set(template_labels())
    used = set()
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        used |= set(re.findall(r"\blabels\.(\w+)", text))
        used |= set(re.findall(r"status_badge\('(\w+)'", text))
    assert used and used <= known, used - known


def test_pages_show_the_areas_labels_in_vietnamese(client, login_as, users, tree):
    """The role (users), the unit kind (units, and the plan page's `unit_kind_label` filter)."""
    login_as(users["admin"])
    assert "Cán bộ phường/xã" in client.get("/admin/users/").get_data(as_text=True)
    assert "<td>Xã</td>" in client.get("/admin/units/").get_data(as_text=True)
    plan = make_plan(tree["city_a"])
    make_milestone(plan, kinds="ward,commune")
    commit()
    assert "Phường, Xã" in client.get(f"/plans/{plan.id}").get_data(as_text=True)
