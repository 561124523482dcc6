"""The before/after column of the benchmarks: one of a benchmark's own functions run on
another source tree (e.g. the main branch), in a subprocess with PYTHONPATH set to it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
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
