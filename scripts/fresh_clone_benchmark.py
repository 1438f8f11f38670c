"""Time ``make book`` or ``make test`` on a fresh clone of this repository's HEAD (issue 31).

    python scripts/fresh_clone_benchmark.py book            # ~20-60 minutes on 2 cores
    python scripts/fresh_clone_benchmark.py test --jobs 2

Clones HEAD next to this checkout (beside ``../shared``, as CI has it), runs the job's
Makefile targets one after the other and merges the report under the job's name into
``book/data/fresh_clone_times.json``, which the run-record page shows. Leave the cores idle
meanwhile: the report gives the load average at the start and the end.
"""

import argparse
import json
import time
from pathlib import Path

from ogn_lib.book.fresh_clone import PHASES, clone, time_job
from ogn_lib.book.run_record import FRESH_CLONE_TIMES as OUTPUT
from ogn_lib.files import write_json_atomic
from ogn_lib.paths import REPOSITORY_ROOT


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("job", choices=sorted(PHASES))
    parser.add_argument("--jobs", type=int, default=2, help="JOBS= for make (default 2)")
    parser.add_argument("--clone", type=Path,
                        help="folder of the fresh clone (default: ../fresh-<job>-<time>)")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args()
    folder = args.clone or REPOSITORY_ROOT.parent / f"fresh-{args.job}-{int(time.time())}"
    commit = clone(folder)
    report = {"commit": commit, "clone": str(folder), **time_job(folder, args.job, args.jobs)}
    reports = json.loads(args.output.read_text()) if args.output.exists() else {}
    reports[args.job] = report
    write_json_atomic(args.output, reports)
    print(json.dumps({key: report[key] for key in ("commit", "phases", "total_seconds",
                                                   "load_average_start", "load_average_end")},
                     indent=1))


if __name__ == "__main__":
    main()
