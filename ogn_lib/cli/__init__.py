"""The ``ogn`` command: the parser of every subcommand, and the function that runs one.
:func:`main` is the console script.

It wires the layers together for the user and holds no physics. The subcommands live with
their group: generate, convert and benchmark-md in :mod:`~ogn_lib.cli.data_commands`; train
and fit-energy in :mod:`~ogn_lib.cli.training_commands`; rollout in
:mod:`~ogn_lib.cli.rollout_command`; reproduce and movies in
:mod:`~ogn_lib.cli.book_commands`.
"""

from __future__ import annotations

import argparse
import sys

from ogn_lib.cli.book_commands import add_movies_parser, add_reproduce_parser
from ogn_lib.cli.data_commands import (
    add_benchmark_md_parser,
    add_convert_parser,
    add_generate_parser,
)
from ogn_lib.cli.rollout_command import add_rollout_parser
from ogn_lib.cli.training_commands import add_fit_energy_parser, add_train_parser
from ogn_lib.data.sidecar import TrajectoryError
from ogn_lib.learn.checkpoint import CheckpointError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ogn", description="Reproduce Liu et al. 2023 (OGN): ground-truth MD, "
                                "learned simulator, analysis.")
    commands = parser.add_subparsers(dest="command", required=True)
    add_generate_parser(commands)
    add_benchmark_md_parser(commands)
    add_reproduce_parser(commands)
    add_movies_parser(commands)
    add_train_parser(commands)
    add_fit_energy_parser(commands)
    add_rollout_parser(commands)
    add_convert_parser(commands)
    return parser


def _one_line(error: BaseException) -> str:
    """The message of an error on one line; an operating-system error names the file and
    what to check."""
    if isinstance(error, OSError) and error.filename and error.strerror:
        message = (f"{error.filename}: {error.strerror}; check that the path names a "
                   "readable file (not a folder) in a folder you may write to")
    else:
        message = str(error)
    return " ".join(message.split())


INTERRUPTED = {
    "generate": "trajectories already complete are kept; run the command again to make "
                "the rest",
    "train": "the checkpoint of the last finished epoch, if any, is kept; continue it with "
             "--resume",
    "rollout": "--out was not written (nor replaced); run the command again",
    "fit-energy": "--out was not written (nor replaced); run the command again",
    "convert": "the output was not written (nor replaced); run the command again",
    "reproduce": "the notebooks executed before are kept, the running ones stopped and left "
                 "as they were; run the command again",
}
"""What Ctrl-C leaves behind, per command."""


def main(argv: list[str] | None = None) -> int:
    """Run one subcommand. Bad input (a value, a file, a checkpoint) ends it with one line
    ``ogn <command>: <what is wrong and what to do>`` and exit code 2; Ctrl-C with 130."""
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args) or 0
    except (ValueError, OSError, ImportError, TrajectoryError, CheckpointError) as error:
        print(f"ogn {args.command}: {_one_line(error)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        left = INTERRUPTED.get(args.command, "files already complete are kept")
        print(f"ogn {args.command}: interrupted; {left}", file=sys.stderr)
        return 130
