"""What users read for a candidate's kind and gender and for its yearly history."""
from flask_babel import lazy_gettext as _l

from tracker.candidates.models import CandidateKind, Discipline, Gender, InitiativeLevel, Rating

CANDIDATE_KIND_LABELS = {
    CandidateKind.INDIVIDUAL: _l("Individual"),
    CandidateKind.COLLECTIVE: _l("Collective"),
}

GENDER_LABELS = {Gender.MALE: _l("Male"), Gender.FEMALE: _l("Female")}

RATING_LABELS = {
    Rating.EXCELLENT: _l("Completed tasks excellently"),
    Rating.GOOD: _l("Completed tasks well"),
    Rating.COMPLETED: _l("Completed tasks"),
    Rating.FAILED: _l("Did not complete tasks"),
}

LEVEL_LABELS = {
    InitiativeLevel.GRASSROOTS: _l("Grassroots"),
    InitiativeLevel.PROVINCIAL: _l("Provincial"),
    InitiativeLevel.NATIONAL: _l("National"),
}

DISCIPLINE_LABELS = {
    Discipline.REPRIMAND: _l("Reprimand"),
    Discipline.WARNING: _l("Disciplinary warning"),
    Discipline.HIGHER: _l("Heavier than a warning"),
}
