"""The API's reference page (/api/v1/docs), rendered by the tracker from its own OpenAPI document
(generated from the code, so it never drifts): every operation grouped by area, with its
parameters, body and answers, and every schema with its fields. Plain HTML in the tracker's frame:
readable by a screen reader, on a phone, and in a closed network."""
from dataclasses import dataclass, field

METHODS = ("get", "post", "put", "patch", "delete")


@dataclass
class Parameter:
    name: str
    where: str
    required: bool
    type: str
    description: str


@dataclass
class Operation:
    method: str
    path: str
    anchor: str
    summary: str
    description: str
    public: bool
    parameters: list[Parameter] = field(default_factory=list)
    body: str | None = None
    answers: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class SchemaDoc:
    name: str
    fields: list[Parameter]


def _ref(schema: dict) -> str | None:
    ref = schema.get("$ref")
    return ref.rsplit("/", 1)[-1] if ref else None


def type_text(schema: dict) -> str:
    """A schema in words: "integer (1–100)", "string, one of: a, b", "array of Nomination"."""
    if not schema:
        return "—"
    ref = _ref(schema)
    if ref:
        return ref
    kinds = schema.get("type", "")
    nullable = isinstance(kinds, list) and "null" in kinds
    kind = next((k for k in kinds if k != "null"), "") if isinstance(kinds, list) else kinds
    if kind == "array":
        text = f"array of {type_text(schema.get('items', {}))}"
    elif "enum" in schema:
        text = f"{kind}, one of: {', '.join(str(v) for v in schema['enum'] if v is not None)}"
    else:
        text = kind + (f" ({schema['format']})" if schema.get("format") else "")
        low, high = schema.get("minimum"), schema.get("maximum")
        if low is not None or high is not None:
            text += f" ({'' if low is None else low}–{'' if high is None else high})"
        if schema.get("maxLength"):
            text += f", ≤ {schema['maxLength']} characters"
        if kind == "object" and "additionalProperties" in schema:
            text += f" of {type_text(schema['additionalProperties'])}"
    return text + (", or null" if nullable else "")


def _body_schema(part: dict) -> str | None:
    content = (part or {}).get("content", {})
    for media in content.values():
        return type_text(media.get("schema", {}))
    return None


def reference(spec: dict) -> tuple[list[tuple[dict, list[Operation]]], list[SchemaDoc]]:
    """The operations grouped by tag (in the document's order) and the schemas, from the spec."""
    by_tag: dict[str, list[Operation]] = {}
    default_security = spec.get("security")
    for path, item in spec.get("paths", {}).items():
        for method in METHODS:
            op = item.get(method)
            if op is None:
                continue
            text = (op.get("summary") or "").strip()
            summary, _sep, rest = text.partition("\n")
            operation = Operation(
                method=method.upper(), path=path, anchor=f"{method}-{path.strip('/').replace('/', '-').replace('{', '').replace('}', '')}",
                summary=summary, description=" ".join((rest + " " + (op.get("description") or "")).split()),
                public=op.get("security", default_security) == [])
            for p in op.get("parameters", []):
                operation.parameters.append(Parameter(p["name"], p["in"], bool(p.get("required")),
                                                      type_text(p.get("schema", {})), p.get("description", "")))
            operation.body = _body_schema(op.get("requestBody"))
            for code, answer in op.get("responses", {}).items():
                ref = _ref(answer)
                if ref:
                    answer = spec["components"]["responses"].get(ref, {})
                operation.answers.append((code, _body_schema(answer) or answer.get("description", "")))
            for tag in op.get("tags", ["api"]):
                by_tag.setdefault(tag, []).append(operation)
    tags = {t["name"]: t for t in spec.get("tags", [])}
    groups = [(tags.get(name, {"name": name, "description": name}), ops) for name, ops in by_tag.items()]
    schemas = []
    for name, schema in spec.get("components", {}).get("schemas", {}).items():
        required = set(schema.get("required", []))
        schemas.append(SchemaDoc(name, [Parameter(key, "", key in required, type_text(value),
                                                  value.get("description", ""))
                                        for key, value in schema.get("properties", {}).items()]))
    return groups, schemas
