"""The vectorized thermal-average grid (cosmology.thermal.ThermalGrid, issue 14 grid speed)
against the per-model path it replaces.

References: the scalar node builder gamma_nodes with special_points and the dense per-model
kernel matrix of kernel() (the definitions of docs/physics.md §5.1); scipy's k1e for the
piecewise-cubic K_1e of the kernels; the master function F_f written out term by term
(docs/physics.md §3.1).
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy.special import k1e

from darkmoments.cosmology import thermal as th
from darkmoments.cosmology.relic import relic_density_grid, x_grid
from darkmoments.model import DarkSector
from darkmoments.physics.annihilation import cross_section
from darkmoments.physics.decays import master_function
from darkmoments.physics.vertex import LorentzCouplings


def _models() -> list[DarkSector]:
    """KM / MDM / CR, r below, near and above the pole, R-scaled hadrons or none, a
    pseudo-Dirac threshold, and narrow poles (alpha_D = 1e-9 at r = 0.999: Gamma_V/m_V
    ~ 1e-14, the 1e-15 gamma_R floor of the half width)."""
    out = []
    for mv in (0.004, 0.03, 0.2, 0.9, 2.5):
        for r in (0.3, 0.95, 1.3):
            out.append(DarkSector.build(mv, 0.5, r=r, fermions="charge-weighted", eps=1e-4))
            out.append(DarkSector.build(mv, 0.1, r=r, mu=1e-3 / mv, hadrons="none"))
        out.append(DarkSector.build(mv, 1e-9, r=0.999, b=1e-3))
        out.append(DarkSector.build(mv, 0.5, r=0.6, eps=1e-5, dm="pseudo-dirac", delta=0.1))
    return out


def _block(models: list[DarkSector]) -> tuple[DarkSector, np.ndarray]:
    block = th.stack(models, np.arange(len(models)))
    return block, np.broadcast_to(th.total_width(block), (len(models), 1))[:, 0]


@pytest.mark.parametrize("method", ["boltzmann", "rizzo"])
def test_vectorized_nodes_are_the_per_model_nodes(method: str) -> None:
    """gamma_nodes_many gives every model exactly (bit for bit) the nodes and weights of
    gamma_nodes with its special_points; nodes flagged shared are the base panels' nodes."""
    x = x_grid(method)
    by_shape: dict[object, list[DarkSector]] = {}
    for m in _models():
        by_shape.setdefault(th.shape_key(m), []).append(m)
    for group in by_shape.values():
        block, width = _block(group)
        specials = th.special_arrays(block, width)
        gamma, weight, size, shared = th.gamma_nodes_many(x[0], x[-1], specials, len(group))
        g_base, _ = th.base_nodes(x[0], x[-1])
        for i, m in enumerate(group):
            g, w = th.gamma_nodes(x[0], x[-1], th.special_points(m, width=float(width[i])))
            assert size[i] == g.size
            np.testing.assert_array_equal(gamma[i, : size[i]], g)
            np.testing.assert_array_equal(weight[i, : size[i]], w)
            assert np.all(weight[i, size[i] :] == 0.0)
        on = shared >= 0
        np.testing.assert_array_equal(gamma[on], g_base[shared[on]])


@pytest.mark.parametrize("method", ["boltzmann", "rizzo"])
def test_grid_average_is_the_per_model_kernel(method: str) -> None:
    """ThermalGrid.average (shared panels through one kernel, own nodes through per-x
    blocks) vs the dense per-model kernel matrix of kernel() times the same cross section:
    tolerance 1e-13 (the same K_1e and nodes, sums in another order: measured 2e-15). Also for
    a subset of the models."""
    x = x_grid(method)
    group = [m for m in _models() if m.dm_kind == "complex_scalar" and m.hadrons != "none"]
    block, width = _block(group)
    grid = th.ThermalGrid.build(block.m_DM[:, 0], x, th.special_arrays(block, width))  # type: ignore[index]
    sigma = cross_section(block, grid.s)
    got = grid.average(sigma)
    sub = np.array([4, 1, 7])
    got_sub = grid.subset(sub).average(sigma[sub])
    for i, m in enumerate(group):
        g, w = th.gamma_nodes(x[0], x[-1], th.special_points(m, width=float(width[i])))
        ref = th.kernel(x, g, w) @ sigma[i, : g.size]
        np.testing.assert_allclose(got[i], ref, rtol=1e-13, atol=0.0)
    np.testing.assert_allclose(got_sub, got[sub], rtol=1e-14, atol=0.0)


def test_array_model_is_the_list_of_models() -> None:
    """relic_density_grid on one DarkSector with array masses (no scalar models built) equals
    the list of its scalar models: the same numbers and the same notes (r > 1.5 included)."""
    m_V = np.array([0.02, 0.2, 0.6, 1.0])
    m_DM = np.array([0.006, 0.06, 0.5, 0.8])  # r = 0.6, 0.6, 1.67, 1.6
    arr = DarkSector.build(m_V, 0.5, m_DM=m_DM, fermions="charge-weighted", eps=3e-4)
    listed = [arr.replace(m_V=float(a), m_DM=float(b)) for a, b in zip(m_V, m_DM, strict=True)]
    for method in ("boltzmann", "rizzo"):
        ga = relic_density_grid(arr, method, require_equilibrium=False)
        gl = relic_density_grid(listed, method, require_equilibrium=False)
        np.testing.assert_array_equal(ga.omega_h2, gl.omega_h2)
        np.testing.assert_array_equal(ga.gamma_over_H_max, gl.gamma_over_H_max)
        assert ga.notes == gl.notes
        assert any("r > 1.5" in n for n in ga.notes[2])


def test_k1e_cells_vs_scipy() -> None:
    """The piecewise-cubic K_1e of the kernels (docs/physics.md §5.C) vs scipy's k1e at both
    edges, the centre and 3 random points of every cell (a wrong coefficient in any cell
    shows), densely on [2, 20] and geometrically up to 1e7: tolerance 4e-15 (measured
    9e-16). Below z = 2, nan and inf: scipy's values exactly (inf -> 0)."""
    scale, _ = th._k1e_cells()
    t = np.arange(th.K1E_CELLS + 1, dtype=float)
    rng = np.random.default_rng(5)
    local = np.concatenate([[0.0, 0.5, 1.0 - 1e-12], rng.uniform(0.0, 1.0, 3)])
    t_all = (t[:, None] + local[None, :]).ravel()
    z = np.concatenate(
        [scale / t_all[t_all > 0], np.linspace(2.0, 20.0, 20001), np.geomspace(20.0, 1e7, 2001)]
    )
    z = z[z >= th.K1E_Z_MIN]
    np.testing.assert_allclose(th._k1e(z), k1e(z), rtol=4e-15, atol=0.0)
    np.testing.assert_allclose(th._k1e(z[:10].reshape(2, 5)), k1e(z[:10].reshape(2, 5)), rtol=4e-15)
    low = np.concatenate([np.geomspace(1e-3, 2.0, 50, endpoint=False), [np.nan, 3.0, np.inf]])
    got = th._k1e(low)
    np.testing.assert_array_equal(got[:51], k1e(low[:51]))
    assert np.isnan(got[50]) and got[-1] == 0.0
    np.testing.assert_allclose(got[51], k1e(3.0), rtol=4e-15)


def test_master_function_term_by_term() -> None:
    """F_f (docs/physics.md §3.1) with some couplings exactly zero (their terms skipped) equals
    the five terms written out, exactly."""
    rng = np.random.default_rng(3)
    Q2 = rng.uniform(0.05, 4.0, 50)
    m = 0.1057
    b2 = 1.0 - 4.0 * m * m / Q2
    for on in ((1, 0, 0, 0), (0, 1, 0, 1), (1, 0, 1, 0), (1, 1, 1, 1), (0, 0, 0, 0)):
        gv, ga, mu, d = (c * rng.uniform(0.1, 1.0, Q2.shape) for c in on)
        c = LorentzCouplings(gv, ga, mu, d)
        ref = (
            gv**2 * (1 + 2 * m * m / Q2)
            + ga**2 * b2
            + 0.5 * mu**2 * Q2 * (1 + 8 * m * m / Q2)
            + 0.5 * d**2 * Q2 * b2
            + 6 * m * gv * mu
        )
        np.testing.assert_allclose(master_function(Q2, m, c), ref, rtol=1e-14, atol=0.0)
