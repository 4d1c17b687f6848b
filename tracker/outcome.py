"""What every mutating view does with its one service call: commit on success; on a refusal, roll
back and show the messages where they belong.

    outcome = attempt(lambda: services.update_plan(current_user, plan, ...), form)
    if outcome.ok:
        return done(_("Plan saved."), url_for("plans.show", plan_id=plan.id))
    return render_template("plans/form.html", form=form), outcome.status
"""
from dataclasses import dataclass, field
from typing import Any, Callable

from flask import flash, redirect
from wtforms import Field, FieldList

from tracker.commit import commit, rollback
from tracker.errors import DomainError
from tracker.pagecache.versions import noted_write

ERROR = "danger"  # the flash category of a refusal (Bootstrap's alert colour)


@dataclass
class Outcome:
    value: Any = None
    error: DomainError | None = None
    # Messages for names that are no simple field of the form ({name: [messages]}), for a page
    # that shows them itself (a list of rows, say); without it they were flashed.
    unplaced: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def status(self) -> int:
        """The status to show the form again with: the refusal's own (409 for a stale form, 429
        for too many attempts), else 200."""
        return getattr(self.error, "status", 200) if self.error is not None else 200


def show_errors(form, error: DomainError, *, flash_unplaced: bool = True) -> dict:
    """Put a refusal's messages next to their fields: every field of an InvalidData (or of any
    refusal carrying `errors`), else the one field the error names. Returns the messages of names
    that are no simple field of `form` (a list of rows, or none at all), which are flashed unless
    `flash_unplaced` is False."""
    errors = getattr(error, "errors", None)
    if errors is None:
        errors = {error.field: [error.message]}
    unplaced: dict = {}
    for name, messages in errors.items():
        field_ = getattr(form, name, None) if form is not None and name else None
        if isinstance(field_, Field) and not isinstance(field_, FieldList):
            field_.errors = [*field_.errors, *messages]
            continue
        unplaced.setdefault(name or "", []).extend(messages)
        if flash_unplaced:
            for message in messages:
                flash(message, ERROR)
    return unplaced


def attempt(call: Callable[[], Any], form=None, *, commit_refusals: tuple = (), flash_unplaced: bool = True) -> Outcome:
    """Run the view's one service call and commit; a DomainError (or any of its kinds) rolls the
    transaction back and is shown on `form` (see show_errors) instead of being raised. Refusals of
    the kinds in `commit_refusals` are committed all the same (a failed sign-in keeps its audit
    row)."""
    try:
        value = call()
    except DomainError as error:
        if isinstance(error, commit_refusals):
            commit()
        else:
            rollback()
        return Outcome(error=error, unplaced=show_errors(form, error, flash_unplaced=flash_unplaced))
    commit()  # with the figures the service noted (tracker.commit)
    noted_write()  # this user is never shown a page from before their change
    return Outcome(value)


def done(message, target: str, category: str = "success"):
    """Flash what was done and redirect (the end of a successful mutating view)."""
    flash(message, category)
    return redirect(target)
