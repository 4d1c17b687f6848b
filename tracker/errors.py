"""The domain's exceptions: what a service raises when a rule refuses an action."""


class DomainError(Exception):
    """A rule of the domain refuses the action; the message is shown to the user."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class WorkflowError(DomainError):
    """A state transition that is not allowed from the record's current state."""


class InvalidData(DomainError):
    """Several fields break the domain's rules at once: {field name: [messages]}."""

    def __init__(self, errors: dict[str, list]):
        field, messages = next(iter(errors.items()))
        super().__init__(messages[0], field)
        self.errors = errors


class ConflictError(DomainError):
    """Someone else changed the record since the user loaded it (an optimistic-lock refusal)."""

    status = 409
