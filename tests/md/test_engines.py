"""The MD engines are chosen by name from one registry; every engine's simulation has the
interface the protocols drive; a wrong name or device is one line that names the choices;
and the engines' own modules never import the module that chooses between them. Nothing
here starts HOOMD-blue, so it runs where HOOMD-blue is not installed."""

import ast
import inspect

import pytest

from ogn_lib.files import file_sha256
from ogn_lib.md import engines
from ogn_lib.md.hoomd_engine import HoomdSimulation
from ogn_lib.md.lammps import Simulation as LammpsSimulation
from ogn_lib.md.lammps import resolve_potential_file
from ogn_lib.md.systems import SYSTEMS
from ogn_lib.paths import REPOSITORY_ROOT

SIMULATION_CLASSES = {"lammps": LammpsSimulation, "hoomd": HoomdSimulation}
BACKENDS = ("ogn_lib/md/lammps.py", "ogn_lib/md/hoomd_engine.py", "ogn_lib/md/engine_setup.py")


def protocol_methods(protocol: type) -> dict[str, inspect.Signature]:
    """The methods a protocol declares in its own body, with their signatures."""
    return {name: inspect.signature(value) for name, value in vars(protocol).items()
            if inspect.isfunction(value) and value.__qualname__ == f"{protocol.__name__}.{name}"}


def imported_modules(path: str) -> set[str]:
    """Every module an import in the file names, inside functions too."""
    names = set()
    for node in ast.walk(ast.parse((REPOSITORY_ROOT / path).read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_the_registry_holds_the_engines_by_name_the_default_first():
    assert tuple(engines.REGISTRY) == engines.ENGINES == ("lammps", "hoomd")
    for name, engine in engines.REGISTRY.items():
        assert engine.name == name and isinstance(engine, engines.Engine)


def test_the_simulation_protocol_names_what_the_protocols_call():
    assert {"create_random_state", "load", "minimize", "thermalize", "run", "cool", "hold",
            "configuration", "close", "__enter__", "__exit__"} == set(
        protocol_methods(engines.Simulation))
    assert not isinstance(object(), engines.Simulation)


@pytest.mark.parametrize("engine", engines.ENGINES)
def test_every_engine_simulation_has_the_protocol_methods_with_their_parameters(engine):
    simulation_class = SIMULATION_CLASSES[engine]
    assert isinstance(simulation_class, engines.Simulation)  # has every member, unstarted
    for name, signature in protocol_methods(engines.Simulation).items():
        parameters = inspect.signature(getattr(simulation_class, name)).parameters
        assert list(parameters)[:len(signature.parameters)] == list(signature.parameters), name


@pytest.mark.parametrize("call", [
    lambda: engines.open_simulation("gromacs", SYSTEMS["lj"], seed=1),
    lambda: engines.engine_label("gromacs"),
    lambda: engines.engine_installed("gromacs"),
    lambda: engines.engine_runs("gromacs", SYSTEMS["lj"]),
    lambda: engines.check_runs("gromacs", SYSTEMS["lj"]),
    lambda: engines.check_device("gromacs", "cpu"),
])
def test_an_unknown_engine_is_one_line_naming_the_choices(call):
    with pytest.raises(ValueError, match=r"^unknown MD engine 'gromacs': choose one of "
                                         r"lammps, hoomd$"):
        call()


def test_each_engine_says_which_systems_it_runs():
    assert all(engines.engine_runs("lammps", system) for system in SYSTEMS.values())
    assert engines.engine_runs("hoomd", SYSTEMS["lj"]) and engines.engine_runs(
        "hoomd", SYSTEMS["silica"])
    engines.check_runs("lammps", SYSTEMS["cuzr"])
    with pytest.raises(ValueError, match=r"^HOOMD-blue cannot run cuzr \(HOOMD 4 has no EAM"):
        engines.check_runs("hoomd", SYSTEMS["cuzr"])


def test_a_device_an_engine_cannot_use_is_one_line():
    engines.check_device("lammps", "cpu")
    engines.check_device("hoomd", "cpu")  # needs no HOOMD-blue to say yes
    with pytest.raises(ValueError, match=r"^lammps runs on the CPU only here: --device gpu "
                                         r"needs --engine hoomd"):
        engines.check_device("lammps", "gpu")
    for engine in engines.ENGINES:
        with pytest.raises(ValueError, match=r"^unknown device 'tpu': choose one of cpu, gpu$"):
            engines.check_device(engine, "tpu")


def test_lammps_is_installed_as_a_dependency():
    assert engines.engine_installed("lammps")


@pytest.mark.parametrize("path", BACKENDS)
def test_the_engines_do_not_import_the_module_that_chooses_them(path):
    imported = imported_modules(path)
    assert "ogn_lib.md.engines" not in imported, f"{path} imports ogn_lib.md.engines"


def test_what_an_md_result_depends_on_names_the_release_the_system_and_a_potential_file():
    lj = engines.md_record(SYSTEMS["lj"], "lammps")
    assert lj == {"engine": engines.engine_label("lammps"), "system": repr(SYSTEMS["lj"])}
    si = engines.md_record(SYSTEMS["si"], "lammps")
    path = resolve_potential_file(SYSTEMS["si"].potential)
    assert si["potential_sha256"] == file_sha256(path)
