"""Measurement: the node sets of the x_F = 20 "rizzo" method (cosmology.thermal.RIZZO,
docs/physics.md §5.G) against the default node sets (FULL) and a brute-force reference (the
default breakpoints with 32 instead of 8 Gauss-Legendre nodes per panel), and their cost.

* "accuracy": per family, the largest relative deviation from the reference of
  <sigma v>(x_F) and of the equilibrium check Gamma/H_max (12 log points in [1, x_F]), for
  the rizzo node sets and for the default ones; nodes per model.
* "cost": CPU ms per model of the 1000-model benchmark grid (r = 2/3, m_V 10 MeV - 1 GeV,
  charge-weighted KM with R-scaled hadrons): total widths and node sets, kernels, cross
  sections, products; best of ``--repeat`` runs. The machine is shared: compare the two rows
  of one run.

Families: complex scalar, alpha_D = 0.5, charge-weighted couplings; r = 0.2-1.9 without
hadrons (m_V 10 MeV - 1 GeV), narrow poles (alpha_D = 1e-3), hadrons on below the
interpolated R data (m_V 10-200 MeV), MDM / CR / AM, running width, neutrinos; and the
R-data region (r = 1.3, m_DM 1.1-1.4 GeV), where no node set resolves the kinks of the
linearly interpolated R.

Run: PYTHONPATH=src python benchmarks/bench_rizzo_quadrature.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Iterator

import numpy as np

from darkmoments.cosmology import boltzmann
from darkmoments.cosmology import thermal as th
from darkmoments.cosmology.relic import x_grid
from darkmoments.model import DarkSector
from darkmoments.physics.annihilation import cross_section

X = x_grid("rizzo")
REF = th.Quadrature(n_gauss=32)


def families() -> Iterator[tuple[str, DarkSector]]:
    kw = {"fermions": "charge-weighted"}
    mv = np.geomspace(0.01, 1.0, 30)
    for r in (0.2, 0.3, 0.5, 2 / 3, 0.9, 0.99, 0.999, 1.3, 1.9):
        yield f"r={r:.3g}", DarkSector.build(mv, 0.5, r=r, eps=1e-4, hadrons="none", **kw)
    for r in (0.3, 0.9, 0.99):
        yield f"r={r} alpha_D=1e-3", DarkSector.build(mv, 1e-3, r=r, eps=1e-6, hadrons="none", **kw)
    mv_h = np.geomspace(0.01, 0.2, 20)
    for r in (0.3, 0.6, 0.95):
        yield f"hadrons r={r}", DarkSector.build(mv_h, 0.5, r=r, eps=1e-4, **kw)
    yield "MDM r=0.6", DarkSector.build(mv, 0.5, r=0.6, mu=1e-6, **kw)
    yield "CR r=0.9", DarkSector.build(mv, 0.5, r=0.9, b=1e-4, **kw)
    yield "AM r=0.5", DarkSector.build(mv, 0.5, r=0.5, a=1e-4, **kw)
    yield "running width r=0.7", DarkSector.build(mv, 0.5, r=0.7, eps=1e-4, width="running", **kw)
    yield "neutrinos r=0.6", DarkSector.build(mv, 0.5, r=0.6, eps=1e-4, neutrinos=True, **kw)
    yield (
        "R data: r=1.3, m_DM 1.1-1.4 GeV",
        DarkSector.build(np.geomspace(1.7, 2.2, 10), 0.5, r=1.3, eps=1e-4, **kw),
    )


def gh_max(model: DarkSector, sv: np.ndarray) -> np.ndarray:
    m = np.broadcast_arrays(np.asarray(model.m_V), np.asarray(model.m_DM))[1].ravel()
    return np.max(boltzmann.gamma_over_h(m[:, None], X, sv, "table"), axis=1)  # type: ignore[no-any-return]


def n_nodes(model: DarkSector, quad: th.Quadrature | th.SplitQuadrature) -> float:
    m_V = np.asarray(model.m_V, dtype=float).ravel()
    block = model.replace(
        m_V=m_V[:, None], m_DM=np.asarray(model.m_DM, dtype=float).ravel()[:, None]
    )
    width = np.broadcast_to(th.total_width(block), (m_V.size, 1))[:, 0]
    nodes = th.node_sets(X[0], X[-1], th.special_arrays(block, width), m_V.size, quad)
    return float(np.mean(nodes[2]))


def accuracy() -> None:
    print("| family | nodes: default / rizzo | <sigma v>(x_F): default / rizzo | "
          "Gamma/H_max: default / rizzo |")  # fmt: skip
    print("|---|---|---|---|")
    for name, model in families():
        ref = th.sigma_v_many(model, X, quad=REF)
        row = []
        for quad in (th.FULL, th.RIZZO):
            sv = th.sigma_v_many(model, X, quad=quad)
            row.append((
                n_nodes(model, quad),
                float(np.max(np.abs(sv[:, -1] / ref[:, -1] - 1.0))),
                float(np.max(np.abs(gh_max(model, sv) / gh_max(model, ref) - 1.0))),
            ))  # fmt: skip
        (n0, a0, b0), (n1, a1, b1) = row
        print(f"| {name} | {n0:.0f} / {n1:.0f} | {a0:.1e} / {a1:.1e} | {b0:.1e} / {b1:.1e} |")


def cost(repeat: int, n: int = 1000) -> None:
    m_V = np.geomspace(0.01, 1.0, n)
    block = DarkSector.build(m_V[:, None], 0.5, r=2 / 3, fermions="charge-weighted", eps=1e-4)
    m_DM = np.asarray(block.m_DM)
    print("| node sets | nodes per model | widths + node sets | kernels | cross sections | "
          "products | total [CPU ms per model] |")  # fmt: skip
    print("|---|---|---|---|---|---|---|")
    for label, quad in (("default (FULL)", th.FULL), ("rizzo (RIZZO)", th.RIZZO)):
        chunk = th.SPLIT_CHUNK if isinstance(quad, th.SplitQuadrature) else th.CHUNK
        th.sigma_v_block(block, X, quad=quad)  # warm caches
        best = None
        for _ in range(repeat):
            t = np.zeros(4)
            c = time.process_time()
            width = np.broadcast_to(th.total_width(block), (n, 1))[:, 0]
            g, w, size, sh = th.node_sets(X[0], X[-1], th.special_arrays(block, width), n, quad)
            order = np.argsort(size, kind="stable")
            t[0] = time.process_time() - c
            for k in range(0, n, chunk):
                idx = order[k : k + chunk]
                sub = block.replace(m_V=m_V[idx, None], m_DM=m_DM[idx])
                c = time.process_time()
                grid = th.ThermalGrid.from_nodes(
                    m_DM[idx, 0], X, g[idx], w[idx], size[idx], sh[idx], quad
                )
                c1 = time.process_time()
                sig = cross_section(sub, grid.s, width[idx, None])
                c2 = time.process_time()
                grid.average(sig)
                t += [0.0, c1 - c, c2 - c1, time.process_time() - c2]
            best = t if best is None or t.sum() < best.sum() else best
        assert best is not None
        ms = best / n * 1e3
        print(f"| {label} | {size.mean():.0f} | {ms[0]:.3f} | {ms[1]:.3f} | {ms[2]:.3f} | "
              f"{ms[3]:.3f} | {ms.sum():.3f} |")  # fmt: skip


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    accuracy()
    print()
    cost(args.repeat)
