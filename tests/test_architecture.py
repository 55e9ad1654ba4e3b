"""The shape of the package: dependencies point one way, from the command line down to the steps."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "topicmap"
ORCHESTRATION = {"pipeline", "cli", "report"}


def imports_of(path: Path) -> set[str]:
    """The topicmap modules a file imports (relative imports resolved), at any depth."""
    module = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    package = module.rsplit(".", 1)[0] if path.name != "__init__.py" else module.removesuffix(".__init__")
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
                found |= {target} | ({f"{target}.{a.name}" for a in node.names} if not node.module else set())
            elif node.module and node.module.startswith("topicmap"):
                found.add(node.module)
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("topicmap")}
    return found


def modules() -> dict[str, set[str]]:
    graph = {}
    for path in PACKAGE.rglob("*.py"):
        name = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts).removesuffix(".__init__")
        graph[name] = {m for m in imports_of(path) if m != name}
    return graph


def test_no_step_imports_the_orchestrator_the_report_or_the_command_line():
    for module, imported in modules().items():
        if module == "topicmap" or module.split(".")[1] in ORCHESTRATION:
            continue
        assert not {m for m in imported if m.split(".")[1:2] and m.split(".")[1] in ORCHESTRATION}, module


def assert_no_cycle(graph: dict[str, set[str]], what: str) -> None:
    """Depth-first search of ``graph`` (node -> nodes it imports); a cycle fails, naming its path."""
    state: dict[str, int] = {}

    def visit(node, path):
        state[node] = 1
        for target in sorted(graph.get(node, ())):
            assert state.get(target) != 1, f"{what}: " + " -> ".join(path + [target])
            if state.get(target) is None:
                visit(target, path + [target])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])


def test_there_is_no_import_cycle_inside_topicmap():
    graph = modules()
    resolved = {}
    for node, targets in graph.items():
        # "from .topics import words" names topicmap.topics.words; a name that is no module is its module's
        targets = {t if t in graph else t.rsplit(".", 1)[0] for t in targets}
        resolved[node] = {t for t in targets if t in graph and t != node and not node.startswith(t + ".")}
    assert_no_cycle(resolved, "modules import each other")


def package_of(module: str) -> str:
    """``topicmap.topics.nmf`` -> ``topicmap.topics``; a top-level module is its own package."""
    parts = module.split(".")
    return ".".join(parts[:2])


def test_there_is_no_import_cycle_between_the_steps_even_inside_functions():
    # imports_of walks the whole tree, so an import inside a function counts as much as one at the top
    graph: dict[str, set[str]] = {}
    for module, imported in modules().items():
        if module == "topicmap":
            continue
        source = package_of(module)
        graph.setdefault(source, set()).update(package_of(m) for m in imported
                                               if m.startswith("topicmap.") and package_of(m) != source)
    assert_no_cycle(graph, "packages import each other")
