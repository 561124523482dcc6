"""Benchmark: relic densities and relic targets, the grid (vectorized) path side by side with
the per-point path in one run (issue 14 goals: a 100-point relic-target curve < 1 s, full
Boltzmann < 2 ms per point over a 1000-point grid, the x_F = 20 "rizzo" method < 0.1 ms per
point).

Models: complex scalar, alpha_D = 0.5, m_V = 3 m_DM (r = 2/3), charge-weighted moments and
R-scaled hadrons; m_V log-spaced in [10 MeV, 1 GeV] (targets: [9 MeV, 0.9 GeV]).
The per-point path is the public single-model API (``relic_density``, ``relic_target``) in a
loop, timed on a subset and reported per point. With ``--previous SRC`` the grid path and the
per-point loop are also timed in a subprocess on another source tree (e.g. the main branch)
for the before/after ratios ("prev grid", "prev point"; ratio = previous / this grid path).
Times are CPU seconds of this process (``time.process_time``) and wall seconds, the grid
path's the best of GRID_REPEAT runs; on a shared machine quote the CPU times and the ratios.

DM kinds (issue 16): ``--kinds`` times the grid path per DM kind (complex scalar, Dirac,
Majorana, pseudo-Dirac with delta = 0.1) — a 1000-point Boltzmann density grid and a 100-point
KM relic-target curve — and prints a kind column with the ratio to the complex scalar; with
``--previous SRC`` the complex-scalar row is also timed on the other tree (before/after).

Run: PYTHONPATH=src python benchmarks/bench_relic.py [--previous /path/to/main/src] [--kinds]
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Callable
from typing import Any

import numpy as np
from _compare import on_tree

from darkmoments.cosmology.relic import relic_density
from darkmoments.cosmology.targets import relic_target, target_curve
from darkmoments.model import DarkSector

STRUCTURES = ("eps", "mu", "d", "b", "a")
N_GRID = 1000
N_CURVE = 100
N_SINGLE = 20  # per-point path: models timed (spread over the grid)


#: the grid path's timings are the best of this many runs (the machine is shared: the minimum
#: is the least disturbed run; the previous tree is timed the same way)
GRID_REPEAT = 3


def _timed(fn: Callable[[], Any]) -> tuple[float, float, Any]:
    c0, w0 = time.process_time(), time.perf_counter()
    out = fn()
    return time.process_time() - c0, time.perf_counter() - w0, out


def _best(fn: Callable[[], Any], repeat: int = GRID_REPEAT) -> tuple[float, float, Any]:
    """:func:`_timed`, the run with the least CPU time of ``repeat``."""
    return min((_timed(fn) for _ in range(repeat)), key=lambda r: r[0])


def per_point() -> dict[str, float]:
    """Per-point CPU seconds of the public single-model API (the previous path's timings)."""
    out: dict[str, float] = {}
    m_V = np.geomspace(0.01, 1.0, N_SINGLE)
    models = [
        DarkSector.build(float(mv), 0.5, r=2 / 3, fermions="charge-weighted", eps=1e-4)
        for mv in m_V
    ]
    relic_density(models[0])  # warm caches
    for method in ("boltzmann", "rizzo"):
        cpu, _, _ = _timed(
            lambda method=method: [
                relic_density(m, method, require_equilibrium=False) for m in models
            ]
        )
        out[f"density_{method}"] = cpu / len(models)
    m_t = np.geomspace(0.009, 0.9, N_SINGLE // 2)
    for coef in STRUCTURES:
        base = DarkSector.build(0.09, 0.5, r=2 / 3, fermions="charge-weighted", **{coef: 1e-3})
        cpu, _, _ = _timed(
            lambda base=base, coef=coef: [
                relic_target(base.replace(m_V=float(mv), m_DM=float(mv) / 3), coef) for mv in m_t
            ]
        )
        out[f"target_{coef}"] = cpu / len(m_t)
    return out


def grid() -> dict[str, float]:
    """Per-point CPU seconds (and wall) of the grid path."""
    from darkmoments.cosmology.relic import relic_density_grid

    out: dict[str, float] = {}
    m_V = np.geomspace(0.01, 1.0, N_GRID)
    model = DarkSector.build(m_V, 0.5, r=2 / 3, fermions="charge-weighted", eps=1e-4)
    relic_density_grid(DarkSector.build(m_V[:2], 0.5, r=2 / 3, eps=1e-4))  # warm caches
    for method in ("boltzmann", "rizzo"):
        cpu, wall, _ = _best(
            lambda method=method: relic_density_grid(model, method, require_equilibrium=False)
        )
        out[f"density_{method}"] = cpu / N_GRID
        out[f"density_{method}_wall"] = wall / N_GRID
    m_c = np.geomspace(0.009, 0.9, N_CURVE)
    for coef in STRUCTURES:
        base = DarkSector.build(0.09, 0.5, r=2 / 3, fermions="charge-weighted", **{coef: 1e-3})
        cpu, wall, res = _best(lambda base=base, coef=coef: target_curve(base, coef, m_c))
        assert bool(np.all(res.ok))
        out[f"target_{coef}"] = cpu / N_CURVE
        out[f"target_{coef}_wall"] = wall / N_CURVE
    return out


KINDS = (("complex-scalar", None), ("dirac", None), ("majorana", None), ("pseudo-dirac", 0.1))


def kind_grid(dm: str, delta: float | None) -> dict[str, float]:
    """Per-point CPU seconds of the grid path for one DM kind (density grid, KM target curve).
    The complex scalar is built without the dm keyword, so this runs on older trees too."""
    from darkmoments.cosmology.relic import relic_density_grid

    kw: dict[str, Any] = {} if dm == "complex-scalar" else {"dm": dm, "delta": delta}
    m_V = np.geomspace(0.01, 1.0, N_GRID)
    model = DarkSector.build(m_V, 0.5, r=2 / 3, fermions="charge-weighted", eps=1e-4, **kw)
    relic_density_grid(DarkSector.build(m_V[:2], 0.5, r=2 / 3, eps=1e-4, **kw))  # warm caches
    out: dict[str, float] = {}
    cpu, _, _ = _timed(lambda: relic_density_grid(model, require_equilibrium=False))
    out["density"] = cpu / N_GRID
    base = DarkSector.build(0.09, 0.5, r=2 / 3, fermions="charge-weighted", eps=1e-3, **kw)
    m_c = np.geomspace(0.009, 0.9, N_CURVE)
    cpu, _, res = _timed(lambda: target_curve(base, "eps", m_c))
    assert bool(np.all(res.ok))
    out["target"] = cpu / N_CURVE
    return out


def _previous_kind(src: str) -> dict[str, float]:
    return on_tree(src, __file__, "kind_grid('complex-scalar', None)")  # type: ignore[no-any-return]


def kinds_main(previous: str | None) -> None:
    """The ``--kinds`` table (module docstring)."""
    rows = {f"{dm}" + (f" (delta={d})" if d else ""): kind_grid(dm, d) for dm, d in KINDS}
    ref = rows["complex-scalar"]
    print(f"{'kind':<28}{'density':>10}{'ratio':>7}{'target':>10}{'ratio':>7}   [ms CPU/point]")
    for name, r in rows.items():
        print(
            f"{name:<28}{r['density'] * 1e3:>10.3f}{r['density'] / ref['density']:>7.2f}"
            f"{r['target'] * 1e3:>10.3f}{r['target'] / ref['target']:>7.2f}"
        )
    if previous:
        prev = _previous_kind(previous)
        print(
            f"{'complex-scalar (previous)':<28}{prev['density'] * 1e3:>10.3f}"
            f"{prev['density'] / ref['density']:>7.2f}{prev['target'] * 1e3:>10.3f}"
            f"{prev['target'] / ref['target']:>7.2f}"
        )


def _previous(src: str) -> dict[str, dict[str, float]]:
    """The grid path and the per-point path timed on another source tree (a subprocess)."""
    return on_tree(src, __file__, "{'grid': grid(), 'per_point': per_point()}")  # type: ignore[no-any-return]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--previous", help="source tree of the previous version (per-point path)")
    ap.add_argument("--kinds", action="store_true", help="time the grid path per DM kind")
    args = ap.parse_args()
    load = os.getloadavg()[0]
    print(f"load average (1 min) at start: {load:.2f} on {os.cpu_count()} cores")
    if args.kinds:
        kinds_main(args.previous)
        return
    g = grid()
    p = per_point()
    both = _previous(args.previous) if args.previous else {}
    prev, prev_grid = both.get("per_point", {}), both.get("grid", {})
    head = f"{'quantity':<34}{'grid path':>12}{'per point':>12}{'ratio':>8}"
    if prev:
        head += f"{'prev grid':>12}{'ratio':>8}{'prev point':>12}{'ratio':>8}"
    print(head + "   [ms CPU per point]")
    rows = [
        ("density_boltzmann", f"relic_density boltzmann ({N_GRID} pts)"),
        ("density_rizzo", f"relic_density rizzo ({N_GRID} pts)"),
    ]
    rows += [(f"target_{c}", f"relic target {c} ({N_CURVE}-pt curve)") for c in STRUCTURES]
    for key, label in rows:
        line = f"{label:<34}{g[key] * 1e3:>12.3f}{p[key] * 1e3:>12.3f}{p[key] / g[key]:>8.1f}"
        if prev:
            line += f"{prev_grid[key] * 1e3:>12.3f}{prev_grid[key] / g[key]:>8.1f}"
            line += f"{prev[key] * 1e3:>12.3f}{prev[key] / g[key]:>8.1f}"
        print(line)
    for c in STRUCTURES:
        print(
            f"100-point {c} curve: {g[f'target_{c}'] * N_CURVE:.2f} s CPU, "
            f"{g[f'target_{c}_wall'] * N_CURVE:.2f} s wall"
        )


if __name__ == "__main__":
    main()
