"""A tiny helper for status machines: one table of allowed source states per transition."""
from flask_babel import lazy_gettext as _l

from tracker.errors import WorkflowError


def check_transition(table: dict, action: str, current) -> None:
    """Raise WorkflowError unless `action` may start from `current` according to `table`."""
    if current not in table[action]:
        raise WorkflowError(_l("This action is not possible in the record's current state."))
