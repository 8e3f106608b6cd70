"""The command line: ``python -m dynalgo demo`` (also installed as the ``dynalgo`` script).

Bad arguments end with one line on standard error and exit status 2, as for any
command-line program; a run whose answers disagree with the reference exits 1.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from typing import Any, Callable, NoReturn, Sequence

__all__ = ["main", "build_parser", "parse_duration", "format_duration"]

PROG = "python -m dynalgo"

_UNITS = {"s": 1, "m": 60, "h": 3_600, "d": 86_400, "w": 604_800}
_UNIT_NAMES = (("day", 86_400), ("hour", 3_600), ("minute", 60), ("second", 1))
_DURATION = re.compile(r"(\d+)\s*([smhdw])")
_DURATION_TEXT = r"\+?\d+|(?:\d+\s*[smhdw]\s*)+"

#: per problem: the data set it runs on and its default window
_PROBLEMS: dict[str, dict[str, Any]] = {
    "connectivity": {"datasets": ("college-msg", "bitcoin-alpha"), "dataset": "college-msg", "window": "1d"},
    "apsp": {"datasets": ("bitcoin-alpha",), "dataset": "bitcoin-alpha", "window": "90d"},
    "submodular": {"datasets": ("college-msg",), "dataset": "college-msg", "window": "2000"},
}

_DESCRIPTION = """\
Prediction quality against running time, on the real temporal networks bundled with dynalgo.

  connectivity (default)  DynamicConnectivity on a sliding time window over a data set, with
                          predictions of several qualities, raced against HDT and alone;
                          every answer is checked against the offline algorithm.
  apsp                    DynamicAPSP on Bitcoin Alpha trust ratings (length 11 - rating)
                          among the most active users, each rating valid for one window;
                          every distance is checked against the offline algorithm.
  submodular              a rolling summary of CollegeMsg activity (item = one user's
                          messages on one day): DynamicSubmodular with exact, learned, noisy
                          and no predictions, the leveled backstop and lazy greedy.

Durations take a unit: 45s, 30m, 12h, 1d, 90d, 2w, or combinations such as 1d12h; a bare
number is seconds.  Exit status: 0 when every answer matches its reference, 1 when one
does not, 2 for bad arguments."""


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line (no usage dump) and exit with status 2."""

    demo_parser: argparse.ArgumentParser | None = None

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def parse_duration(text: str) -> int:
    """Seconds in a human duration: ``"90d"``, ``"12h"``, ``"1d12h"``, ``"30m"``, ``"3600"``.

    Units are ``s``, ``m`` (minutes), ``h``, ``d`` and ``w`` (weeks); a bare integer is
    seconds.  The duration must be positive.

    Examples
    --------
    >>> parse_duration("1d"), parse_duration("12h"), parse_duration("1d12h"), parse_duration("600")
    (86400, 43200, 129600, 600)
    """
    s = text.strip().lower()
    if s.startswith("-") and re.fullmatch(_DURATION_TEXT, s[1:].strip()):
        raise ValueError(f"the duration must be positive, got {text!r}")
    if not re.fullmatch(_DURATION_TEXT, s):
        raise ValueError(f"{text!r} is not a duration (examples: 3600, 45s, 30m, 12h, 1d, 1d12h, 2w)")
    seconds = int(s.lstrip("+")) if re.fullmatch(r"\+?\d+", s) else sum(
        int(q) * _UNITS[unit] for q, unit in _DURATION.findall(s))
    if seconds <= 0:
        raise ValueError(f"the duration must be positive, got {text!r}")
    return seconds


def format_duration(seconds: int) -> str:
    """A duration in words: ``format_duration(7776000) == "90 days"``, ``86400 + 3600`` is
    ``"1 day 1 hour"``."""
    seconds = int(seconds)
    if seconds <= 0:
        return f"{seconds} seconds"
    parts = []
    for name, size in _UNIT_NAMES:
        q, seconds = divmod(seconds, size)
        if q:
            parts.append(f"{q} {name}{'' if q == 1 else 's'}")
    return " ".join(parts)


def _positive_int(lo: int = 1) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            x = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected an integer, got {text!r}") from None
        if x < lo:
            raise argparse.ArgumentTypeError(f"must be at least {lo}, got {x}")
        return x

    parse.__name__ = "integer"
    return parse


def _window(text: str) -> str:
    """Syntax check only: a positive integer or a duration (which one applies depends on --problem)."""
    try:
        parse_duration(text)
    except ValueError as e:
        raise argparse.ArgumentTypeError(str(e)) from None
    return text.strip()


def build_parser() -> _Parser:
    """The parser of ``python -m dynalgo`` (one subcommand, ``demo``)."""
    parser = _Parser(prog=PROG, description="Fully dynamic algorithms that use predictions of future updates.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND", parser_class=_Parser)
    d = sub.add_parser(
        "demo", help="prediction quality vs running time on bundled real data",
        description=_DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    d.add_argument("--problem", choices=sorted(_PROBLEMS), default="connectivity",
                   help="which structure to run (default: connectivity)")
    d.add_argument("--dataset", choices=["college-msg", "bitcoin-alpha"], default=None,
                   help="bundled data set; connectivity runs on either (default: college-msg), apsp only "
                        "on bitcoin-alpha and submodular only on college-msg")
    d.add_argument("--window", type=_window, default=None, metavar="W",
                   help="sliding window: a duration for connectivity (default: 1d) and apsp (default: 90d), "
                        "a number of items for submodular (default: 2000)")
    d.add_argument("--users", type=_positive_int(2), default=None, metavar="N",
                   help="apsp only: keep the N most active users (default: 400)")
    d.add_argument("--k", type=_positive_int(), default=None, metavar="K",
                   help="submodular only: solution size (default: 10)")
    d.add_argument("--items", type=_positive_int(), default=None, metavar="N",
                   help="submodular only: number of items streamed (default: 8000)")
    d.add_argument("--seed", type=_positive_int(0), default=0, metavar="N",
                   help="seed of the queries, noisy predictions and random trees (default: 0)")
    d.add_argument("--json", metavar="PATH", default=None,
                   help="also write the results as JSON to PATH; '-' writes only the JSON, to stdout "
                        "(default: none)")
    d.add_argument("--quiet", action="store_true", help="no progress output on stderr")
    parser.demo_parser = d
    return parser


def _resolve(parser: argparse.ArgumentParser, args: argparse.Namespace) -> dict[str, Any]:
    """Check the options against the problem and fill in its defaults."""
    from .datasets import bitcoin_alpha

    prob = _PROBLEMS[args.problem]
    if args.dataset is not None and args.dataset not in prob["datasets"]:
        parser.error(f"--dataset {args.dataset} does not apply to --problem {args.problem}, which runs on "
                      f"{' or '.join(prob['datasets'])}")
    for opt, owner in (("users", "apsp"), ("k", "submodular"), ("items", "submodular")):
        if getattr(args, opt) is not None and args.problem != owner:
            parser.error(f"--{opt} applies to --problem {owner} only, not to --problem {args.problem}")
    window_text = args.window if args.window is not None else prob["window"]
    if args.problem == "submodular":
        if not re.fullmatch(r"\s*[+]?\d+\s*", window_text):
            parser.error(f"--window for --problem submodular is a number of items, got {window_text!r}")
        window = int(window_text)
    else:
        window = parse_duration(window_text)
    if args.users is not None and args.users > bitcoin_alpha().n:
        parser.error(f"--users must be at most {bitcoin_alpha().n} (the users of Bitcoin Alpha), got {args.users}")
    if args.json not in (None, "-"):
        parent = os.path.dirname(os.path.abspath(args.json))
        if not os.path.isdir(parent):
            parser.error(f"--json: directory {parent!r} does not exist")
    return {
        "dataset": args.dataset or prob["dataset"], "window": window,
        "users": 400 if args.users is None else args.users,
        "k": 10 if args.k is None else args.k,
        "items": 8_000 if args.items is None else args.items,
    }


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``python -m dynalgo`` and of the ``dynalgo`` script; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    opts = _resolve(parser.demo_parser or parser, args)

    from . import demo

    progress = not args.quiet
    printer: Callable[[dict[str, Any]], None]
    if args.problem == "apsp":
        res = demo.run_apsp_demo(opts["window"], users=opts["users"], seed=args.seed, progress=progress)
        ok = all(r["answers_equal_offline"] for r in res["rows"])
        printer = demo._print_apsp
    elif args.problem == "submodular":
        res = demo.run_submodular_demo(opts["window"], opts["k"], n_items=opts["items"], seed=args.seed,
                                       progress=progress)
        ok = all(r["half_approx_held"] for r in res["rows"])
        printer = demo._print_submodular
    else:
        res = demo.run_demo(opts["dataset"], opts["window"], seed=args.seed, progress=progress)
        ok = all(r["answers_equal_offline"] for r in res["rows"]) and res["hdt_answers_equal_offline"]
        printer = demo._print_table
    if args.json == "-":
        json.dump(res, sys.stdout, indent=2)
        print()
    else:
        printer(res)
        if args.json:
            with open(args.json, "w", encoding="utf-8") as fh:
                json.dump(res, fh, indent=2)
    return 0 if ok else 1
