"""Each subpackage's public face: ``from ogn_lib import learn; learn.load_shipped(...)``.

The names a notebook or a user needs resolve, lazily, to the very objects their modules
define; importing a subpackage loads none of its modules (the MD and data layers stay
free of torch); and the library itself never imports through a face, so the layer test
(``test_layers.py``) sees every import it makes.
"""

import ast
import importlib
import inspect
import pkgutil
import subprocess
import sys

import pytest

from ogn_lib.paths import REPOSITORY_ROOT

SUBPACKAGES = ("md", "data", "learn", "analysis", "studies", "book")
FACES = [(package, name) for package in SUBPACKAGES
         for name in importlib.import_module(f"ogn_lib.{package}").__all__]


def _loaded_by(statement: str) -> set[str]:
    """The modules a fresh interpreter has loaded after ``statement``."""
    code = f"import sys; {statement}; print(' '.join(sorted(sys.modules)))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    return set(result.stdout.split())


@pytest.mark.parametrize(("package", "name"), FACES, ids=[f"{p}.{n}" for p, n in FACES])
def test_every_public_name_is_the_object_its_module_defines(package, name):
    face = importlib.import_module(f"ogn_lib.{package}")
    home = importlib.import_module(f"ogn_lib.{package}.{face._HOMES[name]}")
    assert getattr(face, name) is getattr(home, name)
    if inspect.isfunction(getattr(home, name)) or inspect.isclass(getattr(home, name)):
        defined_in = getattr(home, name).__module__
        assert defined_in == home.__name__, f"{name} is defined in {defined_in}, not there"


@pytest.mark.parametrize("package", SUBPACKAGES)
def test_a_face_lists_its_names_and_no_name_is_one_of_its_modules(package):
    face = importlib.import_module(f"ogn_lib.{package}")
    modules = {info.name for info in pkgutil.iter_modules(face.__path__)}
    assert list(face.__all__) == list(face._HOMES)
    assert set(face.__all__) <= set(dir(face))
    assert not set(face.__all__) & modules, "a public name would be shadowed by its module"


def test_an_unknown_name_says_which_names_the_face_has():
    from ogn_lib import learn

    with pytest.raises(AttributeError, match=r"'ogn_lib\.learn' has no attribute 'load_model'"
                       r".*load_shipped.*import anything else from the module"):
        learn.load_model  # noqa: B018
    assert not hasattr(learn, "load_model")


def test_a_module_of_a_package_is_still_imported_by_its_name():
    from ogn_lib.learn import trained_models

    assert trained_models.__name__ == "ogn_lib.learn.trained_models"


@pytest.mark.parametrize("package", SUBPACKAGES)
def test_importing_a_subpackage_loads_none_of_its_modules(package):
    loaded = _loaded_by(f"import ogn_lib.{package}")
    assert {name for name in loaded if name.startswith("ogn_lib")} == {
        "ogn_lib", "ogn_lib.public_face", f"ogn_lib.{package}"}
    assert "torch" not in loaded


def test_the_md_and_data_faces_and_the_systems_load_neither_torch_nor_lammps():
    loaded = _loaded_by("import ogn_lib.md, ogn_lib.data, ogn_lib.md.systems; "
                        "from ogn_lib import md, data; md.SYSTEMS")
    assert "ogn_lib.md.systems" in loaded
    assert not {"torch", "lammps"} & loaded


def _faced_imports(path) -> list[str]:
    """``from ogn_lib.<package> import <name>`` in ``path`` where ``name`` is a public
    name, not a module."""
    faced = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module in {
                f"ogn_lib.{package}" for package in SUBPACKAGES}:
            public = importlib.import_module(node.module).__all__
            faced += [f"{node.module}.{alias.name}" for alias in node.names
                      if alias.name in public]
    return faced


def test_the_rule_tells_a_faced_import_from_a_module_s(tmp_path):
    source = tmp_path / "example.py"
    source.write_text("from ogn_lib.learn import load_shipped, trained_models\n"
                      "from ogn_lib.learn.trained_models import shipped_path\n")
    assert _faced_imports(source) == ["ogn_lib.learn.load_shipped"]


def test_the_library_imports_from_modules_never_through_a_face():
    faced = {str(path.relative_to(REPOSITORY_ROOT)): _faced_imports(path)
             for path in (REPOSITORY_ROOT / "ogn_lib").rglob("*.py")}
    assert not {path: names for path, names in faced.items() if names}
