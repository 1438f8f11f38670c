"""The package's folders are its pipeline, and imports run one way along it.

top level (periodic, configuration, files, paths) -> md -> data -> learn -> analysis ->
studies and bench -> book; ``cli`` wires them all. ``learn`` never imports ``md`` (a model learns
from trajectories, whoever made them), nothing but ``cli`` imports ``book``, the MD
and data layers run without torch, and ``analysis`` only measures: it never reaches an MD
engine, a rollout or what loads or trains a model (that is a study's job).
"""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from ogn_lib.paths import REPOSITORY_ROOT

PACKAGE = REPOSITORY_ROOT / "ogn_lib"
ORDER = {"top": 0, "md": 1, "data": 2, "learn": 3, "analysis": 4, "studies": 5, "bench": 5,
         "book": 6, "cli": 7}
FORBIDDEN = {("learn", "md"), ("bench", "book")}
RUNS_OR_LOADS = {
    "ogn_lib.md.lammps", "ogn_lib.md.hoomd_engine", "ogn_lib.md.engines",
    "ogn_lib.md.engine_setup", "ogn_lib.md.protocols", "ogn_lib.md.baselines",
    "ogn_lib.learn.rollout", "ogn_lib.learn.rollout_cache",
    "ogn_lib.learn.checkpoint", "ogn_lib.learn.trained_models", "ogn_lib.learn.training",
}
"""Modules that run an MD engine, roll a model out, or load or train one: what ``analysis``
never reaches (a one-step prediction of a simulator it is given is a measure, and stays)."""


def layer(module: str) -> str:
    """``ogn_lib.learn.training`` -> ``learn``; top-level modules are ``top``."""
    parts = module.split(".")
    if len(parts) == 2 and parts[1] == "cli":
        return "cli"
    return parts[1] if len(parts) > 2 else "top"


def modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def imported(path: Path) -> set[str]:
    """Every module named by an import anywhere in the file (functions included)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return {name for name in names if name in modules() or not name.startswith("ogn_lib")}


def imports_of(module: str) -> list[tuple[str, str]]:
    """``(imported module, its layer)`` for every ogn_lib module that ``module`` imports."""
    return [(name, layer(name)) for name in sorted(imported(modules()[module]))
            if name.startswith("ogn_lib.") and name != "ogn_lib"]


LIBRARY = sorted(name for name in modules() if name != "ogn_lib")


def against_the_flow(module: str, imports: list[tuple[str, str]]) -> list[str]:
    """The imports of ``module`` that point later in the pipeline or are forbidden."""
    own = layer(module)
    return [name for name, other in imports
            if ORDER[other] > ORDER[own] or (own, other) in FORBIDDEN]


@pytest.mark.parametrize("module", LIBRARY)
def test_a_module_imports_only_its_own_layer_and_those_before_it(module):
    wrong = against_the_flow(module, imports_of(module))
    assert not wrong, f"{module} imports {wrong}, against the pipeline's direction"


def reached(module: str) -> list[tuple[str, str]]:
    """``(module, layer)`` of every ogn_lib module that importing ``module`` loads: its
    imports, theirs, and so on."""
    seen: dict[str, str] = {}
    stack = [name for name, _ in imports_of(module)]
    while stack:
        name = stack.pop()
        if name in seen or name not in modules():
            continue
        seen[name] = layer(name)
        stack.extend(other for other, _ in imports_of(name))
    return sorted(seen.items())


@pytest.mark.parametrize("module", LIBRARY)
def test_nothing_a_module_reaches_through_its_imports_is_against_the_flow(module):
    """``learn`` never reaches ``md`` even through ``data`` (asking for a model must not
    start MD: making missing data is a study's or the command line's job)."""
    wrong = against_the_flow(module, reached(module))
    assert not wrong, f"{module} reaches {wrong} through its imports, against the pipeline"


def test_nothing_but_the_command_line_imports_the_book():
    importers = [module for module in LIBRARY if layer(module) not in ("book", "cli")
                 and any(other == "book" for _, other in imports_of(module))]
    assert importers == []


def test_the_md_layer_never_names_torch():
    named = [module for module in LIBRARY if layer(module) == "md"
             and any(name.split(".")[0] == "torch" for name in imported(modules()[module]))]
    assert named == []


def test_md_and_data_layers_load_without_torch():
    code = ("import sys, ogn_lib.md.lammps, ogn_lib.md.protocols, ogn_lib.md.baselines, "
            "ogn_lib.data.catalogue; print('torch' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "False"


def test_the_rule_catches_imports_against_the_flow():
    assert layer("ogn_lib.learn.training") == "learn" and layer("ogn_lib.files") == "top"
    assert ("ogn_lib.learn.training", "learn") in imports_of("ogn_lib.learn.trained_models")
    assert against_the_flow("ogn_lib.md.lammps", [("ogn_lib.data.trajectory", "data")])
    assert against_the_flow("ogn_lib.learn.rollout", [("ogn_lib.md.systems", "md")])
    assert not against_the_flow("ogn_lib.book.plots", [("ogn_lib.analysis.accuracy", "analysis")])
    assert ("ogn_lib.md.systems", "md") in reached("ogn_lib.data.catalogue")
    assert against_the_flow("ogn_lib.learn.pairs", reached("ogn_lib.data.catalogue"))


def runs_or_loads(imports: list[tuple[str, str]]) -> list[str]:
    """The imports that run MD, roll out, or load or train a model."""
    return [name for name, _ in imports if name in RUNS_OR_LOADS]


@pytest.mark.parametrize("module", [name for name in LIBRARY if layer(name) == "analysis"])
def test_analysis_never_reaches_an_md_engine_a_rollout_or_a_model_loader(module):
    wrong = runs_or_loads(reached(module))
    assert not wrong, (f"{module} reaches {wrong} through its imports: running MD, rolling "
                       "out and loading models belong in ogn_lib.studies; keep the measure here")


def test_the_rule_catches_analysis_that_runs_md_or_rolls_out():
    assert RUNS_OR_LOADS <= set(modules()), "a module of the rule was renamed or removed"
    assert runs_or_loads([("ogn_lib.md.lammps", "md")]) == ["ogn_lib.md.lammps"]
    assert "ogn_lib.md.lammps" in runs_or_loads(reached("ogn_lib.studies.system_level"))
    assert {"ogn_lib.learn.rollout", "ogn_lib.md.baselines"} <= set(
        runs_or_loads(reached("ogn_lib.studies.accuracy_curves")))
    assert not runs_or_loads([("ogn_lib.md.systems", "md"), ("ogn_lib.learn.simulator", "learn")])
