"""Benchmark: the hadronic R table look-up (physics.hadrons.r_vmd / r_channels, linear
interpolation in the 0.1-MeV tables; docs/physics.md §3.7), ns per element, this tree and with
``--previous SRC`` another source tree (np.interp with its binary search) in a subprocess.

Inputs: sqrt(s) at the nodes of one chunk of the grid path below 2.2 GeV (64 KM models,
m_V = 10 MeV - 1 GeV, r = 2/3, "rizzo" x grid: rows in increasing order, as r_ratio passes
them) and the same values in random order. CPU time (``time.process_time``), best of 9.

Run: PYTHONPATH=src python benchmarks/bench_r_table.py [--previous /path/to/main/src]
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from _compare import before_after_main, per_element

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
    return per_element(fn, n_el, repeat, number) * 1e9


def timings() -> dict[str, float]:
    hadrons.r_vmd(np.array([1.0]))  # build the tables
    out = {}
    for label, q in inputs().items():
        out[f"r_vmd, {label}"] = cpu_ns(lambda q=q: hadrons.r_vmd(q), q.size)
        out[f"r_channels, {label}"] = cpu_ns(lambda q=q: hadrons.r_channels(q), q.size)
    return out


def main() -> None:
    before_after_main(timings, __file__, __doc__ or "", "[ns CPU per element]", width=34, digits=1)


if __name__ == "__main__":
    main()
