"""environment.yml stays in step with the pins of pyproject.toml."""


import tomllib

from ogn_lib.paths import REPOSITORY_ROOT

ROOT = REPOSITORY_ROOT


def pinned_requirements() -> list[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    requirements = list(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        requirements += extra
    return [r for r in requirements if "==" in r]


def test_every_pinned_pip_requirement_is_in_environment_yml():
    environment = (ROOT / "environment.yml").read_text()
    pip_lines = {line.strip().removeprefix("- ").strip()
                 for line in environment.splitlines() if line.strip().startswith("- ")}
    missing = [r for r in pinned_requirements() if r not in pip_lines]
    assert not missing, f"add to environment.yml's pip section: {missing}"


def test_torch_is_pinned_to_the_cpu_build_on_disk():
    assert "torch==2.13.0" in pinned_requirements()
