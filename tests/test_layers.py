"""The house's layering: the areas of tracker/ import one another without a cycle, and models
import no services or views.

Every `import` counts, at the top of a module or inside a function (a lazy import hides a cycle,
it does not remove it). The web layer (each area's views and forms, the application factory, the
error pages, the CLI and the demo loader) sits on top of every area: it may import any of them, and none may import it.
"""
import ast
from collections import defaultdict
from pathlib import Path

TRACKER = Path(__file__).resolve().parent.parent / "tracker"
# Modules that wire areas together for the web or the command line: on top of everything.
TOP = {"tracker", "tracker.cli", "tracker.demo", "tracker.models", "tracker.pagecache", "tracker.error_pages",
       "tracker.tasks", "tracker.downloads", "tracker.health"}


def _module_name(path: Path) -> str:
    parts = path.relative_to(TRACKER.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module.startswith("tracker"):
                found.add(node.module)
                found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.startswith("tracker"))
    return found


def _modules() -> dict[str, set[str]]:
    modules = {_module_name(p): p for p in TRACKER.rglob("*.py")}
    return {name: {i for i in _imports(path) if i in modules} for name, path in modules.items()}


def _area(module: str) -> str:
    """The package a module belongs to (tracker.nominations.services -> tracker.nominations);
    a top-level module is its own area."""
    parts = module.split(".")
    return ".".join(parts[:2])


def _is_web(module: str) -> bool:
    """The web layer: the wiring, each area's views and the forms they show."""
    return (module in TOP or module.endswith((".views", ".forms")) or module == "tracker.deadlines.feed"
            or module == "tracker.api" or module.startswith("tracker.api."))


def test_no_area_imports_the_web_layer():
    offenders = [(m, i) for m, imported in _modules().items() if not _is_web(m)
                 for i in imported if _is_web(i) and i != "tracker"]
    assert not offenders, offenders


def test_models_import_no_services_or_views():
    offenders = [(m, i) for m, imported in _modules().items() if m.endswith(".models")
                 for i in imported if i.endswith((".services", ".views", ".queries", ".imports"))]
    assert not offenders, offenders


def test_the_areas_import_one_another_without_a_cycle():
    graph: dict[str, set[str]] = defaultdict(set)
    for module, imported in _modules().items():
        if _is_web(module):
            continue
        for target in imported:
            if not _is_web(target) and _area(target) != _area(module):
                graph[_area(module)].add(_area(target))
    cycles, state = [], {}

    def visit(node, trail):
        state[node] = "open"
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == "open":
                cycles.append(trail[trail.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt, trail + [nxt])
        state[node] = "done"

    for start in sorted(graph):
        if start not in state:
            visit(start, [start])
    assert not cycles, "import cycles between areas: " + "; ".join(" -> ".join(c) for c in cycles)
