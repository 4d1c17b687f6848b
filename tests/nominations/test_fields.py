"""A nomination's fields are declared once (tracker/nominations/fields.py): the form, the checks,
the import template, the exported list and the nomination's page all follow the declaration."""
from datetime import date

from wtforms.validators import Length

from tracker.candidates.models import Candidate, CandidateKind
from tracker.nominations import fields
from tracker.nominations.exports import EXPORT_HEADERS, TEMPLATE_COLUMNS
from tracker.nominations.fields import CANDIDATE, FIELDS, LISTED, NOMINATION
from tracker.nominations.forms import NominationForm
from tracker.nominations.models import Nomination
from tracker.nominations.validation import CandidateInput, candidate_errors, nomination_errors


def test_text_limits_are_the_columns_lengths():
    """One limit per text field, the database column's: the form, the checks and the import use it."""
    for declared in FIELDS:
        if declared.owner == LISTED or declared.type not in ("text", "honour"):
            continue
        model = Candidate if declared.owner == CANDIDATE else Nomination
        assert declared.max_length == model.__table__.columns[declared.name].type.length, declared.name


def test_every_stored_field_is_a_column_of_its_record():
    for declared in FIELDS:
        if declared.owner in (CANDIDATE, NOMINATION):
            model = Candidate if declared.owner == CANDIDATE else Nomination
            assert declared.name in model.__table__.columns, declared.name


def test_the_form_has_one_input_per_declared_field(app):
    with app.test_request_context():
        form = NominationForm(meta={"csrf": False})
        for declared in FIELDS:
            if declared.owner == LISTED:
                assert declared.name not in form
                continue
            assert str(form[declared.name].label.text) == str(declared.label)
            lengths = [v.max for v in form[declared.name].validators if isinstance(v, Length)]
            assert lengths == ([declared.max_length] if declared.max_length else []), declared.name


def test_the_spreadsheets_follow_the_declarations():
    assert [c.header for c in TEMPLATE_COLUMNS[1:]] == [f.template for f in fields.TEMPLATE_FIELDS]
    assert TEMPLATE_COLUMNS[1].key == "kind" and EXPORT_HEADERS[1] == "Họ và tên / Tên tập thể"  # as the files have them
    assert list(EXPORT_HEADERS[1:]) == [f.export for f in FIELDS if f.export]
    assert {c.key: c.max_length for c in TEMPLATE_COLUMNS if c.max_length} == {
        f.name: f.max_length for f in FIELDS if f.template and f.max_length}


def test_the_checks_read_the_declared_limits(app):
    today = date(2020, 4, 10)
    with app.app_context():
        for declared in FIELDS:
            if not declared.max_length:
                continue
            too_long = "x" * (declared.max_length + 1)
            if declared.owner == CANDIDATE:
                kind = CandidateKind.INDIVIDUAL if CandidateKind.INDIVIDUAL in declared.applies_to else \
                    CandidateKind.COLLECTIVE
                person = CandidateInput(kind, too_long if declared.name == "full_name" else "Tên",
                                        {} if declared.name == "full_name" else {declared.name: too_long})
                assert declared.name in candidate_errors(person, today), declared.name
            elif declared.owner == NOMINATION:
                assert declared.name in nomination_errors({declared.name: too_long}, today), declared.name


def test_details_of_the_other_kind_are_emptied():
    person = CandidateInput(CandidateKind.COLLECTIVE, "Chi hội Phụ nữ", birth_year=1980, member_count=30,
                            position="Chủ tịch")
    values = person.values()
    assert values["birth_year"] is None and values["position"] == "" and values["member_count"] == 30
    assert set(values) == set(fields.CANDIDATE_FIELDS)
