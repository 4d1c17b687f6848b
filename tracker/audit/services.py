"""Writing and reading the append-only audit trail."""
import json
from datetime import date, datetime, time, timedelta, timezone
from typing import Any

from sqlalchemy import Select, select

from flask import has_request_context, request

from tracker.audit.models import AuditEvent
from tracker.extensions import db


def _plain(value: Any) -> Any:
    if hasattr(value, "value") and not isinstance(value, (int, str)):
        return value.value  # enums
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def diff(obj: Any, values: dict[str, Any]) -> dict[str, list[Any]]:
    """The {field: [old, new]} pairs among `values` that differ from `obj`'s attributes."""
    return {
        key: [_plain(getattr(obj, key)), _plain(new)]
        for key, new in values.items()
        if getattr(obj, key) != new
    }


def record_via(channel: str) -> None:
    """Every event recorded for the rest of this request says it came through `channel` ("api"):
    called by the API when it has authenticated a token."""
    request.environ["tracker.audit_via"] = channel


def _via() -> str:
    return request.environ.get("tracker.audit_via", "") if has_request_context() else ""


def record(
    actor,
    action: str,
    target=None,
    summary: str = "",
    changes: dict | None = None,
    *,
    username: str | None = None,
    unit_id: int | None = None,
    ip: str = "",
    flush: bool = True,
) -> AuditEvent:
    """Add one audit event to the current transaction (the caller commits with its change).

    `actor` may be None (a failed sign-in); `target` is any model with an `id`. The unit of the
    event defaults to the target's unit, then the actor's, so audit lists can be scoped.
    `flush=False` leaves the flush to the caller (bulk writes record many events, flush once).
    """
    if unit_id is None and target is not None:
        unit_id = getattr(target, "unit_id", None)
        if unit_id is None and target.__class__.__name__ == "Unit":
            unit_id = target.id
    if unit_id is None and actor is not None:
        unit_id = actor.unit_id
    event = AuditEvent(
        actor_id=actor.id if actor is not None else None,
        username=username if username is not None else (actor.username if actor else ""),
        action=action,
        entity_type=target.__class__.__name__ if target is not None else "",
        entity_id=getattr(target, "id", None) if target is not None else None,
        unit_id=unit_id,
        summary=summary,
        changes=json.dumps(changes, ensure_ascii=False, default=str) if changes else "",
        ip=ip or "",
        via=_via(),
    )
    db.session.add(event)
    if flush:
        db.session.flush()
    return event


def search_events(
    visible_units: Select | None,
    action: str = "",
    username: str = "",
    entity_type: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
) -> Select:
    """The filtered audit query, newest first; `visible_units` is a select of unit ids or None."""
    query = select(AuditEvent).order_by(AuditEvent.id.desc())
    if visible_units is not None:
        query = query.where(
            (AuditEvent.unit_id.in_(visible_units)) | (AuditEvent.unit_id.is_(None))
        )
    if action:
        query = query.where(AuditEvent.action.startswith(action))
    if username:
        query = query.where(AuditEvent.username == username.strip())
    if entity_type:
        query = query.where(AuditEvent.entity_type == entity_type)
    if date_from:
        query = query.where(
            AuditEvent.created_at >= datetime.combine(date_from, time.min, tzinfo=timezone.utc)
        )
    if date_to:
        query = query.where(
            AuditEvent.created_at
            < datetime.combine(date_to + timedelta(days=1), time.min, tzinfo=timezone.utc)
        )
    return query
