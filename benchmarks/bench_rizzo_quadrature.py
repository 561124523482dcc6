"""Measurement: relaxed node sets for the x_F = 20 "rizzo" method (docs/physics.md §5.G,
fourth round). Nothing here changes the product's numbers; it measures what a relaxed
quadrature (:class:`darkmoments.cosmology.thermal.Quadrature`) would cost and how far it moves
<sigma v>(x_F) and the equilibrium diagnostic Gamma/H_max from today's node sets.

* "xf": <sigma v>(x_F) from a node set built for x_F alone, against today's value (the 12-point
  rizzo grid on the default nodes :data:`~darkmoments.cosmology.thermal.FULL`).
* "eq": Gamma/H_max on the 12-point grid from the relaxed x_F nodes below gamma_cut =
  1 + span/x_F plus a coarse extension above it (exact per-node kernels), against today's.
* "cost": CPU ms per model of the 1000-model benchmark grid (r = 2/3, 10 MeV - 1 GeV): node
  sets, kernels, cross sections, products, for today's 12-point grid and the relaxed x_F set,
  and the cross sections of the extension (nodes above gamma_cut).

Families: r = 2/3 (the benchmark grid, 200 m_V in 10 MeV - 1 GeV); r = 0.3, 0.9, 0.95, 0.99,
1.3, 1.9 with eps = 1e-4 and 1e-6 (60 m_V in 10 MeV - 1 GeV); R-scaled hadrons r = 0.6, 0.95,
1.3 (80 m_V in 0.2 - 2.2 GeV). Complex scalar, alpha_D = 0.5, charge-weighted KM.

Run: PYTHONPATH=src python benchmarks/bench_rizzo_quadrature.py
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import numpy as np
from scipy.special import kve

from darkmoments.cosmology import boltzmann
from darkmoments.cosmology import thermal as th
from darkmoments.cosmology.relic import x_grid
from darkmoments.model import DarkSector
from darkmoments.physics.annihilation import cross_section
from darkmoments.physics.decays import total_width

X_F = 20.0
XT = x_grid("rizzo")
#: the relaxed x_F node set (panel ratio 8, gamma - 1 from 1e-4/x_F, thresholds from 1e-5
#: gamma_t, upper limit gamma = 1 + 40/x_F: the kernel's own cut 2 x_F (gamma - 1) <= 80)
Q_XF = th.Quadrature(grading=8.0, y_lo_factor=1e-4, threshold_scale=1e-5, gamma_span=40.0)
#: the coarse extension above gamma_cut for the equilibrium check
Q_EXT = th.Quadrature(grading=16.0, y_lo_factor=1e-3, threshold_scale=1e-2, n_gauss=4)


def families() -> Iterator[tuple[str, DarkSector]]:
    kw = {"fermions": "charge-weighted"}
    yield "r=2/3", DarkSector.build(np.geomspace(0.01, 1.0, 200), 0.5, r=2 / 3, eps=1e-4, **kw)
    mv = np.geomspace(0.01, 1.0, 60)
    for r in (0.3, 0.9, 0.95, 0.99, 1.3, 1.9):
        for eps in (1e-4, 1e-6):
            yield f"r={r} eps={eps:g}", DarkSector.build(mv, 0.5, r=r, eps=eps, **kw)
    mv = np.geomspace(0.2, 2.2, 80)
    for r in (0.6, 0.95, 1.3):
        yield f"hadrons r={r}", DarkSector.build(mv, 0.5, r=r, eps=1e-4, **kw)


def block(model: DarkSector) -> DarkSector:
    m_V, m_DM = np.broadcast_arrays(np.asarray(model.m_V), np.asarray(model.m_DM))
    return model.replace(m_V=m_V.astype(float)[:, None], m_DM=m_DM.astype(float)[:, None])


def gh_max(b: DarkSector, sv: np.ndarray) -> np.ndarray:
    m = np.asarray(b.m_DM, dtype=float).ravel()
    return np.max(boltzmann.gamma_over_h(m[:, None], XT, sv, "table"), axis=1)  # type: ignore[no-any-return]


def split_nodes(b: DarkSector) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Relaxed x_F nodes (gamma <= gamma_cut) and the extension nodes above gamma_cut,
    concatenated per model (zero weight = padding); returns gamma, weight, n_xf, n_ext."""
    n = np.asarray(b.m_DM).shape[0]
    widths = np.broadcast_to(total_width(b), (n, 1))[:, 0]
    sp = th.special_arrays(b, widths)
    g_cut = 1.0 + Q_XF.gamma_span / X_F
    g_a, w_a, s_a, _ = th.gamma_nodes_many(X_F, X_F, sp, n, Q_XF)
    # a breakpoint at gamma_cut (one-sided point; its scale 1 after the threshold rescaling)
    cut = (np.full(n, g_cut), np.full(n, th.THRESHOLD_SCALE / Q_EXT.threshold_scale), +1)
    g_b, w_b, _, _ = th.gamma_nodes_many(1.0, X_F, [*sp, cut], n, Q_EXT)
    w_b = np.where(g_b > g_cut, w_b, 0.0)
    return np.hstack([g_a, g_b]), np.hstack([w_a, w_b]), s_a, (w_b > 0).sum(axis=1)


def sigma_v_split(b: DarkSector) -> tuple[np.ndarray, float, float]:
    g, w, s_a, n_b = split_nodes(b)
    m = np.asarray(b.m_DM, dtype=float)
    sig = cross_section(b, 4.0 * m * m * g * g)
    jac = w * g * g * (g * g - 1.0)
    pref = 8.0 * XT / kve(2, XT) ** 2
    k = th._k1e_exp_all(XT[:, None, None], g[None])
    k = np.where(2.0 * XT[:, None, None] * (g[None] - 1.0) <= th.ARG_MAX, k, 0.0)
    sv = (pref[:, None] * np.einsum("knj,nj->kn", k, jac * sig)).T
    return sv, float(np.mean(s_a)), float(np.mean(n_b))


def accuracy() -> None:
    print("| family | nodes today (12 x) | x_F nodes (relaxed) | extension nodes | "
          "<sigma v>(x_F) | Gamma/H_max |")  # fmt: skip
    print("|---|---|---|---|---|---|")
    worst = [0.0, 0.0]
    for name, model in families():
        b = block(model)
        ref = th.sigma_v_block(b, XT)
        n = np.asarray(b.m_DM).shape[0]
        widths = np.broadcast_to(total_width(b), (n, 1))[:, 0]
        n_ref = th.gamma_nodes_many(1.0, X_F, th.special_arrays(b, widths), n)[2].mean()
        sv, n_a, n_b = sigma_v_split(b)
        e_xf = float(np.max(np.abs(sv[:, -1] / ref[:, -1] - 1.0)))
        e_gh = float(np.max(np.abs(gh_max(b, sv) / gh_max(b, ref) - 1.0)))
        worst = [max(worst[0], e_xf), max(worst[1], e_gh)]
        print(f"| {name} | {n_ref:.0f} | {n_a:.0f} | {n_b:.0f} | {e_xf:.1e} | {e_gh:.1e} |")
    print(f"| max | | | | {worst[0]:.1e} | {worst[1]:.1e} |")


def cost(n: int = 1000, repeat: int = 3) -> None:
    b = block(DarkSector.build(np.geomspace(0.01, 1.0, n), 0.5, r=2 / 3, eps=1e-4,
                               fermions="charge-weighted"))  # fmt: skip
    m_V, m_DM = np.asarray(b.m_V), np.asarray(b.m_DM)
    widths = np.broadcast_to(total_width(b), (n, 1))[:, 0]
    sp = th.special_arrays(b, widths)
    print("| node set | nodes per model | node sets | kernels | cross sections | products | "
          "total [CPU ms per model] |")  # fmt: skip
    print("|---|---|---|---|---|---|---|")
    for label, (x_lo, x_hi), x, quad in (
        ("today, 12 x in [1, 20]", (1.0, X_F), XT, th.FULL),
        ("today's grading, x_F only", (X_F, X_F), np.array([X_F]), th.FULL),
        ("relaxed, x_F only", (X_F, X_F), np.array([X_F]), Q_XF),
    ):
        best = None
        for _ in range(repeat):
            t = np.zeros(4)
            c = time.process_time()
            g, w, size, sh = th.gamma_nodes_many(x_lo, x_hi, sp, n, quad)
            order = np.argsort(size, kind="stable")
            t[0] = time.process_time() - c
            for k in range(0, n, th.CHUNK):
                idx = order[k : k + th.CHUNK]
                sub = b.replace(m_V=m_V[idx], m_DM=m_DM[idx])
                c = time.process_time()
                grid = th.ThermalGrid.from_nodes(
                    m_DM[idx, 0], x, g[idx], w[idx], size[idx], sh[idx], quad
                )
                c1 = time.process_time()
                sig = cross_section(sub, grid.s)
                c2 = time.process_time()
                grid.average(sig)
                t += [0.0, c1 - c, c2 - c1, time.process_time() - c2]
            best = t if best is None or t.sum() < best.sum() else best
        assert best is not None
        ms = best / n * 1e3
        print(f"| {label} | {size.mean():.0f} | {ms[0]:.3f} | {ms[1]:.3f} | {ms[2]:.3f} | "
              f"{ms[3]:.3f} | {ms.sum():.3f} |")  # fmt: skip
    g, w, _, n_b = split_nodes(b)
    ext = np.where(w[:, -n_b.max() :] > 0, g[:, -n_b.max() :], g[:, :1])
    c = time.process_time()
    for k in range(0, n, th.CHUNK):
        sub = b.replace(m_V=m_V[k : k + th.CHUNK], m_DM=m_DM[k : k + th.CHUNK])
        cross_section(sub, 4.0 * m_DM[k : k + th.CHUNK] ** 2 * ext[k : k + th.CHUNK] ** 2)
    ms = (time.process_time() - c) / n * 1e3
    print(f"| extension above gamma_cut (cross sections only) | {n_b.mean():.0f} | | | "
          f"{ms:.3f} | | |")  # fmt: skip


if __name__ == "__main__":
    accuracy()
    print()
    cost()
