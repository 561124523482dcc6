"""Shared by the benchmarks: the best-of timing per element, and the before/after column (a
benchmark's own function run on another source tree, e.g. the main branch, in a subprocess
with PYTHONPATH set to it)."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any


def on_tree(src: str, script: str, call: str) -> Any:
    """The JSON value printed by ``call`` (a Python expression in the namespace of ``script``,
    e.g. ``"timings()"``) when ``script`` is loaded with ``src`` as PYTHONPATH."""
    # the other tree first; the script's own folder for its helper modules (this one)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([src, os.path.dirname(script)])}
    code = (
        "import json, runpy; ns = runpy.run_path(" + repr(script) + ", run_name='bench'); "
        f"print(json.dumps(eval({call!r}, ns)))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def per_element(
    fn: Callable[[], object],
    n_el: int,
    repeat: int,
    number: int,
    clock: Callable[[], float] = time.process_time,
) -> float:
    """Seconds per element of ``fn`` (which handles ``n_el`` elements): the best of ``repeat``
    runs of ``number`` calls each."""
    best = float("inf")
    for _ in range(repeat):
        t0 = clock()
        for _ in range(number):
            fn()
        best = min(best, (clock() - t0) / number)
    return best / n_el


def before_after_main(
    timings: Callable[[], dict[str, float]],
    script: str,
    description: str,
    unit: str,
    width: int = 40,
    digits: int = 3,
) -> None:
    """The command line of a per-element benchmark: ``timings()`` of this tree and, with
    ``--previous SRC``, of another tree, printed side by side with their ratio."""
    parser = argparse.ArgumentParser(description=description.splitlines()[0])
    parser.add_argument("--previous", help="another source tree, timed in a subprocess")
    args = parser.parse_args()
    now = timings()
    prev = on_tree(args.previous, script, "timings()") if args.previous else {}
    print(f"{unit:<{width}}{'this':>8}{'previous':>10}{'ratio':>7}")
    for k, v in now.items():
        p = prev.get(k)
        tail = f"{p:>10.{digits}f}{p / v:>7.2f}" if p else ""
        print(f"{k:<{width}}{v:>8.{digits}f}{tail}")
