"""Edge cases of the x_F = 20 ("rizzo") node sets (cosmology.thermal.RIZZO, docs/physics.md
§5.G) found by an adversarial review, against references that do not use them.

* The brute-force reference of tests/cosmology/test_rizzo_quadrature.py: the default node
  sets (graded to 1e-7, docs/physics.md §5.1) with 32 Gauss-Legendre nodes per panel.
* The direct per-model kernel, kernel(x, nodes, weights) @ sigma on each model's own valid
  nodes (docs/physics.md §5.1), for the grid's bookkeeping (shared base panels, the own-node
  box, padding): the same sums in another order, so 1e-12.
* Closed forms of the node sets themselves: the weights add up to the length of [1, g_hi]
  and the valid nodes of a row increase through the core and the tail.

Tolerance against the reference: 1e-4 at every x (the stated accuracy of <sigma v>(x_F)
outside the R data; measured after the fixes < 2.5e-5 here, before them 2e-2 to 8e-3).
"""

from __future__ import annotations

import numpy as np
import pytest

from darkmoments.cosmology import boltzmann
from darkmoments.cosmology import thermal as th
from darkmoments.cosmology.relic import x_grid
from darkmoments.model import DarkSector
from darkmoments.physics.annihilation import cross_section

X = x_grid("rizzo")
REF = th.Quadrature(n_gauss=32)
KW = {"fermions": "charge-weighted", "hadrons": "none"}


def _models(m_DM: float, gamma_R: np.ndarray, alpha_D: float, eps: float) -> DarkSector:
    r = 1.0 / np.asarray(gamma_R)
    return DarkSector.build(2.0 * m_DM / r, alpha_D, r=r, eps=eps, **KW)


def test_pole_within_ulps_of_gamma_cut_and_of_a_tail_base_edge() -> None:
    """V poles 1 ulp around gamma_cut = 3 and next to the tail base edge gamma = 3.8 (1 +
    (40/x_F) 1.4): the panel beside the pole, split from it by a sliver panel, is an
    innermost panel (plain Gauss nodes); it was log-mapped down to the sliver (nodes at
    gamma_R - 1e-14 .. - 1e-2, weights summing to 0.1 % less than the panel): 2.4e-2, 5e-2
    and 6.6e-2 off before the fix (measured after: < 1e-5)."""
    g_R = np.array([3.0 * (1 + 1e-15), 3.0 * (1 - 1e-15), 1.0 + (40.0 / 20.0) * 1.4])
    model = _models(0.02, g_R, 0.5, 1e-4)
    ref = th.sigma_v_many(model, X, quad=REF)
    got = th.sigma_v_many(model, X, quad=th.RIZZO)
    np.testing.assert_allclose(got, ref, rtol=1e-4, atol=0.0)


@pytest.mark.parametrize("eps", [0.1, 1e-4])
def test_pole_next_to_the_dm_threshold(eps: float) -> None:
    """r -> 1 (gamma_R - 1 = 1e-5 .. 1e-9, below the core's first base edge 1 + 0.2/x_F):
    the grading of the pole stopped at extent x (gamma_R - 1) from it, leaving one panel up to
    1 + 0.2/x_F (and, for half widths above gamma_R - 1, eps = 0.1, no graded panel at all):
    7.6e-3 (eps = 0.1) and 5.9e-4 (eps = 1e-4) off before the fix (measured after: 1.2e-7,
    1e-6)."""
    g_R = 1.0 / (1.0 - np.array([1e-5, 1e-6, 1e-8, 1e-9]))
    model = _models(0.05, g_R, 0.5, eps)
    ref = th.sigma_v_many(model, X, quad=REF)
    got = th.sigma_v_many(model, X, quad=th.RIZZO)
    np.testing.assert_allclose(got, ref, rtol=1e-4, atol=0.0)


@pytest.mark.parametrize("x", [np.array([20.0]), np.array([14.0, 17.0, 20.0])])
def test_short_x_grids_have_no_overlapping_tail(x: np.ndarray) -> None:
    """x_max < 1.6 x_min: the tail would end (1 + 25/x_min) below gamma_cut (1 + 40/x_max);
    its window was inverted, a panel [1 + 25/x_min, gamma_cut] counted twice and the rows
    were not increasing. Now: the core alone, rows increasing, the weights add up to
    gamma_cut - 1 (the mapped panels integrate a constant to ~1e-9, tolerance 1e-7), and
    <sigma v> within 1e-4 of the reference."""
    model = _models(0.03, np.array([1.6, 2.5, 0.8]), 0.5, 1e-4)
    block = model.replace(m_V=model.m_V[:, None], m_DM=model.m_DM[:, None])  # type: ignore[index]
    width = np.broadcast_to(th.total_width(block), (3, 1))[:, 0]
    g, w, size, _ = th.node_sets(x[0], x[-1], th.special_arrays(block, width), 3, th.RIZZO)
    for i in range(3):
        row = g[i, w[i] > 0]
        assert row.size == size[i] and np.all(np.diff(row) > 0)
    np.testing.assert_allclose(w.sum(axis=1), th.RIZZO.cut(x[-1]) - 1.0, rtol=1e-7)
    ref = th.sigma_v_many(model, x, quad=REF)
    np.testing.assert_allclose(th.sigma_v_many(model, x, quad=th.RIZZO), ref, rtol=1e-4)


def _mixed_block(n: int, seed: int) -> DarkSector:
    """n models of one shape with random masses: poles near gamma = 1 (r = 1 - 1e-9 ..
    1 - 0.1), anywhere (r in [0.05, 2)), near thresholds; widths down to the 1e-15 floor."""
    rng = np.random.default_rng(seed)
    m_DM = 10.0 ** rng.uniform(-3.0, 0.3, n)
    r = np.where(
        rng.random(n) < 0.3, 1.0 - 10.0 ** rng.uniform(-9, -1, n), rng.uniform(0.05, 1.99, n)
    )
    base = DarkSector.build(1.0, 1e-3, r=0.5, eps=1e-3, fermions="charge-weighted")
    return base.replace(m_V=(2.0 * m_DM / r)[:, None], m_DM=m_DM[:, None])


@pytest.mark.parametrize(("n", "seed"), [(1, 1), (7, 2), (150, 3)])
def test_shared_nodes_and_grid_bookkeeping_on_random_blocks(n: int, seed: int) -> None:
    """On random mass blocks (one model; few: the dense own-node box; 150: per-x blocks):
    every node flagged shared is the base node (and weight) it points to, bit for bit;
    weights >= 0, no NaN/inf; the grid average equals kernel() on each model's valid nodes
    to 1e-12 (checked on every 10th model of the large block)."""
    block = _mixed_block(n, seed)
    width = np.broadcast_to(th.total_width(block), (n, 1))[:, 0]
    g, w, size, shared = th.node_sets(X[0], X[-1], th.special_arrays(block, width), n, th.RIZZO)
    parts = th.base_parts(X[0], X[-1], th.RIZZO)
    g_base = np.concatenate([p[0] for p in parts])
    w_base = np.concatenate([p[1] for p in parts])
    on = shared >= 0
    np.testing.assert_array_equal(g[on], g_base[shared[on]])
    np.testing.assert_array_equal(w[on], w_base[shared[on]])
    assert np.all(np.isfinite(g)) and np.all(np.isfinite(w)) and np.all(w >= 0.0)
    assert np.array_equal((w > 0).sum(axis=1), size)
    m_DM = np.asarray(block.m_DM)[:, 0]
    grid = th.ThermalGrid.from_nodes(m_DM, X, g, w, size, shared, th.RIZZO)
    got = grid.average(cross_section(block, grid.s, width[:, None]))
    assert np.all(np.isfinite(got))
    m_V = np.asarray(block.m_V)[:, 0]
    for i in range(0, n, 10):
        v = w[i] > 0
        one = block.replace(m_V=float(m_V[i]), m_DM=float(m_DM[i]))
        sig = cross_section(one, 4.0 * m_DM[i] ** 2 * g[i, v] ** 2, width[i])
        np.testing.assert_allclose(got[i], th.kernel(X, g[i, v], w[i, v]) @ sig, rtol=1e-12)


def test_narrow_pole_beyond_the_tail_feature_span() -> None:
    """V poles at gamma_R = 13.2 .. 16.7 (r = 0.06 .. 0.076), beyond 1 + 12/x_min where the
    tail stopped grading, with Gamma_V/m_V ~ 1e-5: the tail's base panels missed or hit the
    narrow peak, Gamma/H_max was 27 instead of 0.85 at r = 0.0759 (the equilibrium check
    Gamma/H >= 10 flipped), 0.38 instead of 1.05 at r = 0.0769. A pole now counts its
    enhancement (gamma_R - 1)/w against the bound: Gamma/H_max within 1e-3 of the reference
    (measured 2e-7 here, 6e-4 for r in [0.035, 0.08]), <sigma v> at x = 1 within 1e-3."""
    r = np.array([0.06, 0.07, 0.0759, 0.0769])
    model = DarkSector.build(2.0 * 0.003 / r, 3e-4, r=r, eps=3e-6, **KW)
    ref = th.sigma_v_many(model, X, quad=REF)
    got = th.sigma_v_many(model, X, quad=th.RIZZO)
    m = np.asarray(model.m_DM)[:, None]
    gh_ref = np.max(boltzmann.gamma_over_h(m, X, ref, "table"), axis=1)
    gh_got = np.max(boltzmann.gamma_over_h(m, X, got, "table"), axis=1)
    np.testing.assert_allclose(gh_got, gh_ref, rtol=1e-3)
    np.testing.assert_allclose(got[:, 0], ref[:, 0], rtol=1e-3)
