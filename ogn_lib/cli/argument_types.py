"""The value types of the ``ogn`` command's arguments: each turns the text of one argument
into a value, or refuses it with a message that says what to give instead."""

from __future__ import annotations

import argparse


def positive_int(text: str) -> int:
    """An argparse type: a whole number of at least 1 (steps, epochs, processes...)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number; give one of at "
                                         "least 1") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} is below 1; give a whole number of at "
                                         "least 1")
    return value


def positive_float(text: str) -> float:
    """An argparse type: a finite number above 0 (a length)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not 0 < value < float("inf"):
        raise argparse.ArgumentTypeError(f"{value} is not a positive finite number")
    return value


def comma_names(text: str) -> tuple[str, ...]:
    """An argparse type: names separated by commas (atom types)."""
    names = tuple(name.strip() for name in text.split(","))
    if not all(names):
        raise argparse.ArgumentTypeError(f"{text!r}: give names separated by commas, e.g. A,B")
    return names


def comma_floats(text: str) -> tuple[float, ...]:
    """An argparse type: numbers separated by commas (one mass per type)."""
    try:
        return tuple(float(value) for value in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r}: give numbers separated by commas, e.g. 1.0,2.0") from None
