"""Benchmark: physics.annihilation.cross_section on one chunk of the thermal grid, as
cosmology.thermal.sigma_v_block calls it: 64 models with array masses (m_V = 10 MeV - 1 GeV,
r = 2/3, alpha_D = 0.5) and s of shape (64, 800) (sorted nodes per model, gamma - 1 exponential
with mean 1), for a few structures; CPU microseconds per node (``time.process_time``, best of
7), this tree and with ``--previous SRC`` another source tree in a subprocess.

Run: PYTHONPATH=src python benchmarks/bench_cross_section.py [--previous /path/to/main/src]
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np
from _compare import before_after_main

from darkmoments.model import DarkSector
from darkmoments.physics.annihilation import cross_section

CASES: dict[str, dict[str, Any]] = {
    "KM charge-weighted, R-scaled hadrons": {"fermions": "charge-weighted", "eps": 1e-4},
    "KM, running width": {"fermions": "charge-weighted", "eps": 1e-4, "width": "running"},
    "MDM, neutrinos": {"mu": 1e-2, "neutrinos": True},
    "KM + MDM + CR + AM + EDM": {"eps": 1e-4, "mu": 1e-3, "b": 1e-3, "a": 2e-3, "d": 5e-4},
}


def timings(repeat: int = 7) -> dict[str, float]:
    m_V = np.geomspace(0.01, 1.0, 64)[:, None]
    rng = np.random.default_rng(0)
    gamma = np.sort(1.0 + rng.exponential(1.0, (64, 800)), axis=1)
    out = {}
    for label, kw in CASES.items():
        model = DarkSector.build(m_V, 0.5, r=2 / 3, **kw)
        m = np.asarray(model.m_DM, dtype=float)
        s = 4.0 * m * m * gamma * gamma
        cross_section(model, s)  # tables and caches
        best = float("inf")
        for _ in range(repeat):
            t0 = time.process_time()
            cross_section(model, s)
            best = min(best, time.process_time() - t0)
        out[label] = best / s.size * 1e6
    return out


def main() -> None:
    before_after_main(timings, __file__, __doc__ or "", "[us CPU per node]", width=40, digits=3)


if __name__ == "__main__":
    main()
