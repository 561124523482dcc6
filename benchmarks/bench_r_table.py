"""Benchmark: the hadronic R table look-up (physics.hadrons.r_vmd / r_channels, linear
interpolation in the 0.1-MeV tables; docs/physics.md §3.7), ns per element, this tree and with
``--previous SRC`` another source tree (np.interp with its binary search) in a subprocess.

Inputs: sqrt(s) at the nodes of one chunk of the grid path below 2.2 GeV (64 KM models,
m_V = 10 MeV - 1 GeV, r = 2/3, "rizzo" x grid: rows in increasing order, as r_ratio passes
them) and the same values in random order. CPU time (``time.process_time``), best of 9.

Run: PYTHONPATH=src python benchmarks/bench_r_table.py [--previous /path/to/main/src]
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

import numpy as np
from _previous import on_tree

from darkmoments.cosmology import thermal as th
from darkmoments.cosmology.relic import x_grid
from darkmoments.model import DarkSector
from darkmoments.physics import hadrons


def inputs() -> dict[str, np.ndarray]:
    m_V = np.geomspace(0.01, 1.0, 64)[:, None]
    block = DarkSector.build(m_V, 0.5, r=2 / 3, fermions="charge-weighted", eps=1e-4)
    x = x_grid("rizzo")
    widths = np.broadcast_to(th.total_width(block), (64, 1))[:, 0]
    gamma = th.gamma_nodes_many(x[0], x[-1], th.special_arrays(block, widths), 64)[0]
    m = np.asarray(block.m_DM, dtype=float)
    q = 2.0 * m * gamma
    q = q[q < 2.2]
    return {"grid chunk": q, "random order": np.random.default_rng(0).permutation(q)}


def cpu_ns(fn: Callable[[], object], n_el: int, repeat: int = 9, number: int = 20) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.process_time()
        for _ in range(number):
            fn()
        best = min(best, (time.process_time() - t0) / number)
    return best / n_el * 1e9


def timings() -> dict[str, float]:
    hadrons.r_vmd(np.array([1.0]))  # build the tables
    out = {}
    for label, q in inputs().items():
        out[f"r_vmd, {label}"] = cpu_ns(lambda q=q: hadrons.r_vmd(q), q.size)
        out[f"r_channels, {label}"] = cpu_ns(lambda q=q: hadrons.r_channels(q), q.size)
    return out


def _previous(src: str) -> dict[str, float]:
    return on_tree(src, __file__, "timings()")  # type: ignore[no-any-return]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--previous", help="another source tree, timed in a subprocess")
    args = parser.parse_args()
    now = timings()
    prev = _previous(args.previous) if args.previous else {}
    print(f"{'[ns CPU per element]':<34}{'this':>8}{'previous':>10}{'ratio':>7}")
    for k, v in now.items():
        p = prev.get(k)
        tail = f"{p:>10.1f}{p / v:>7.2f}" if p else ""
        print(f"{k:<34}{v:>8.1f}{tail}")


if __name__ == "__main__":
    main()
