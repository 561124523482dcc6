"""The node sets of the x_F = 20 ("rizzo") method (cosmology.thermal.RIZZO, docs/physics.md
§5.G) against references that do not use them.

* Integrals with closed forms: the square-root edges at gamma = 1 and at a final-state
  threshold, times the kernel's exponential e^(-2x(gamma - 1)) (incomplete gamma functions),
  and a narrow Lorentzian (arctan), summed with the node sets' weights.
* A brute-force reference: the default node sets (graded to 1e-7, docs/physics.md §5.1) with
  32 instead of 8 Gauss-Legendre nodes per panel (``REF``), and scipy's adaptive quadrature
  of the thermal-average integrand written out from Rizzo's Eq. 10 with scipy's Bessel
  functions.
* The relic density of the method against Omega h^2 = 0.120 x 7.5 sigma_0 / <sigma v>(x_F)
  from the reference <sigma v>.

Tolerances are the stated accuracy of the method (docs/physics.md §5.G) with a margin of
about 3 over the measured worst case; the R-data region (sqrt s > 2.2 GeV, where the
interpolated R has kinks that no node set resolves) has its own, looser statement.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from scipy.integrate import IntegrationWarning, quad
from scipy.special import gamma as gamma_fn
from scipy.special import gammainc, kve

from darkmoments.constants.cosmology import OMEGA_DM_H2, RIZZO_TARGET_SIGMA_0, SIGMA_0_CM3_S
from darkmoments.constants.units import CM3_PER_S_PER_GEV2
from darkmoments.cosmology import boltzmann
from darkmoments.cosmology import thermal as th
from darkmoments.cosmology.relic import relic_density, relic_density_grid, x_grid
from darkmoments.model import DarkSector
from darkmoments.physics.annihilation import cross_section

X = x_grid("rizzo")
X_F = float(X[-1])
#: brute-force reference: the default node sets with 32 nodes per panel
REF = th.Quadrature(n_gauss=32)


def _nodes(specials: th.Specials, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Nodes, weights and the valid-node mask (padding has zero weight)."""
    g, w, _, _ = th.node_sets(X[0], X_F, specials, n, th.RIZZO)
    return g, w, w > 0


def _g_hi() -> float:
    return 1.0 + th.RIZZO_TAIL.gamma_span / X[0]


def test_split_node_sets_are_ordered_and_shared_nodes_are_the_base_nodes() -> None:
    """Rows increasing, positive weights, core nodes <= gamma_cut < tail nodes, padding at
    zero weight; every node flagged shared is the base node it points to (bit for bit)."""
    m_V = np.geomspace(0.01, 2.0, 40)
    block = DarkSector.build(m_V[:, None], 0.5, r=0.6, fermions="charge-weighted", eps=1e-4)
    width = np.broadcast_to(th.total_width(block), (40, 1))[:, 0]
    g, w, size, shared = th.node_sets(X[0], X_F, th.special_arrays(block, width), 40, th.RIZZO)
    g_base = np.concatenate([p[0] for p in th.base_parts(X[0], X_F, th.RIZZO)])
    cut = th.RIZZO.cut(X_F)
    for i in range(40):
        valid = w[i] > 0
        row = g[i, valid]
        assert valid.sum() == size[i] and np.all(w[i] >= 0)
        assert np.all(np.diff(row) > 0) and row[0] > 1.0 and row[-1] < _g_hi()
        assert np.any(row <= cut) and np.any(row > cut)
        # the panels tile [1, g_hi]: the weights add up to its length (the mapped panels
        # integrate a constant to ~2e-8, not exactly)
        assert w[i].sum() == pytest.approx(_g_hi() - 1.0, rel=1e-7)
    on = shared >= 0
    assert on.sum() > 0
    np.testing.assert_array_equal(g[on], g_base[shared[on]])


@pytest.mark.parametrize(
    ("a", "g_t", "tol"),
    [(2.0, [1.05, 1.8, 2.9, 3.4, 7.0], 2e-3), (2.0 * X_F, [1.001, 1.05, 1.15], 1e-7)],
)
def test_square_root_edges_integrate_exactly(a: float, g_t: list[float], tol: float) -> None:
    """Sum_j w_j sqrt(gamma_j - p) e^(-a (gamma_j - 1)) theta(gamma_j - p) against
    a^(-3/2) Gamma(3/2) e^(-a (p - 1)) P(3/2, a (g_hi - p)) for the p-wave edge p = 1 and for
    thresholds p = gamma_t (the square-root substitution), a = 2 x at x_F (the core, 6 nodes
    per panel: tolerance 1e-7, measured 1.3e-8) and at x = 1 (thresholds up to gamma = 7 in
    the tail's 4-node panels, where the integral is e^-12 of the edge's: tolerance 2e-3,
    measured 5.3e-4); thresholds where the exponential has not died out
    (e^(-a (gamma_t - 1)) >= e^(-12))."""
    g_t = np.asarray(g_t)
    n = g_t.size
    specials: th.Specials = [(g_t, th.THRESHOLD_SCALE * g_t, +1)]
    g, w, valid = _nodes(specials, n)
    hi = _g_hi()
    for p in (np.ones(n), g_t):
        f = np.where(valid & (g > p[:, None]), np.sqrt(np.abs(g - p[:, None])), 0.0)
        got = np.sum(w * f * np.exp(-a * (g - 1.0)), axis=1)
        ref = a**-1.5 * gamma_fn(1.5) * np.exp(-a * (p - 1.0)) * gammainc(1.5, a * (hi - p))
        np.testing.assert_allclose(got, ref, rtol=tol, atol=0.0)


def test_narrow_and_broad_lorentzians_integrate_exactly() -> None:
    """Sum_j w_j L(gamma_j) for L = w_p / ((gamma - gamma_p)^2 + w_p^2) without any damping
    (the whole range [1, g_hi] counts), half widths 1e-9 to 0.5, poles next to the p-wave
    edge (gamma_p - 1 = 1e-4 .. 1e-2: the square-root and logarithmic maps combined), in the
    core and in the tail: against arctan((g_hi - gamma_p)/w_p) - arctan((1 - gamma_p)/w_p);
    tolerance 2e-5 relative (measured 6.2e-6 for poles in the tail, 1.3e-7 in the core)."""
    g_p = np.array([1.0001, 1.001, 1.01, 1.5, 1.5, 2.5, 4.0, 4.0, 9.0, 9.0])
    w_p = np.array([1e-9, 1e-6, 1e-4, 1e-9, 0.05, 1e-6, 1e-9, 0.2, 1e-3, 0.5])
    g, w, valid = _nodes([(g_p, w_p, 0)], g_p.size)
    lor = np.where(valid, w_p[:, None] / ((g - g_p[:, None]) ** 2 + w_p[:, None] ** 2), 0.0)
    got = np.sum(w * lor, axis=1)
    ref = np.arctan((_g_hi() - g_p) / w_p) - np.arctan((1.0 - g_p) / w_p)
    np.testing.assert_allclose(got, ref, rtol=2e-5, atol=0.0)


def test_grid_average_is_the_direct_kernel_sum() -> None:
    """ThermalGrid.average on the rizzo node sets (shared panels through the cached base kernel
    of both parts, own nodes through the dense block) equals kernel() on each model's nodes
    times the same cross sections (tolerance 1e-12: the same numbers summed in another
    order)."""
    m_V = np.geomspace(0.01, 2.0, 24)
    block = DarkSector.build(m_V[:, None], 0.5, r=0.5, fermions="charge-weighted", eps=1e-4)
    width = np.broadcast_to(th.total_width(block), (24, 1))[:, 0]
    grid = th.ThermalGrid.build(block.m_DM[:, 0], X, th.special_arrays(block, width), th.RIZZO)  # type: ignore[index]
    sigma = cross_section(block, grid.s)
    got = grid.average(sigma)
    g, w, _, _ = th.node_sets(X[0], X_F, th.special_arrays(block, width), 24, th.RIZZO)
    m_DM = np.asarray(block.m_DM)[:, 0]
    for i in range(24):
        v = w[i] > 0
        one = block.replace(m_V=float(m_V[i]), m_DM=float(m_DM[i]))
        sig = cross_section(one, 4.0 * m_DM[i] ** 2 * g[i, v] ** 2)
        ref = th.kernel(X, g[i, v], w[i, v]) @ sig
        np.testing.assert_allclose(got[i], ref, rtol=1e-12, atol=0.0)


def _families() -> list[tuple[str, DarkSector]]:
    """Poles in the core and tail, near threshold (r = 0.99, 0.999), below threshold (r > 1),
    a narrow alpha_D = 1e-3 pole, the moments, running width, neutrinos; hadrons on below the
    interpolated R data (sqrt s < 2 GeV at x ~ 1-20 needs m_DM <~ 0.1 GeV for the tail)."""
    kw = {"fermions": "charge-weighted"}
    mv = np.geomspace(0.01, 1.0, 16)
    out = [(f"r={r} no hadrons", DarkSector.build(mv, 0.5, r=r, eps=1e-4, hadrons="none", **kw))
           for r in (0.2, 0.3, 2 / 3, 0.9, 0.99, 0.999, 1.3, 1.9)]  # fmt: skip
    out.append(("aD=1e-3 r=0.9", DarkSector.build(mv, 1e-3, r=0.9, eps=1e-6, hadrons="none", **kw)))
    mv_h = np.geomspace(0.01, 0.2, 12)
    out += [(f"hadrons r={r}", DarkSector.build(mv_h, 0.5, r=r, eps=1e-4, **kw))
            for r in (0.6, 2 / 3, 0.95)]  # fmt: skip
    out.append(("MDM", DarkSector.build(mv, 0.5, r=0.6, mu=1e-6, **kw)))
    out.append(("CR", DarkSector.build(mv, 0.5, r=0.9, b=1e-4, **kw)))
    out.append(("AM", DarkSector.build(mv, 0.5, r=0.5, a=1e-4, **kw)))
    out.append(("running width", DarkSector.build(mv, 0.5, r=0.7, eps=1e-4, width="running", **kw)))
    out.append(("neutrinos", DarkSector.build(mv, 0.5, r=0.6, eps=1e-4, neutrinos=True, **kw)))
    return out


def _gh_max(model: DarkSector, sv: np.ndarray) -> np.ndarray:
    m = np.broadcast_arrays(np.asarray(model.m_V), np.asarray(model.m_DM))[1].ravel()
    return np.max(boltzmann.gamma_over_h(m[:, None], X, sv, "table"), axis=1)  # type: ignore[no-any-return]


@pytest.mark.parametrize(("name", "model"), _families())
def test_rizzo_nodes_vs_brute_force(name: str, model: DarkSector) -> None:
    """<sigma v>(x_F) within 3e-5 and the equilibrium check Gamma/H_max within 3e-4 of the
    32-nodes-per-panel reference (the stated accuracy of the rizzo node sets, docs/physics.md
    §5.G, is 1e-4 and 1e-3): measured worst 3.2e-6 and 8.4e-5 (both CR) over these families;
    the default node sets agree with the reference to 6.4e-7 and 3.1e-6 here."""
    ref = th.sigma_v_many(model, X, quad=REF)
    got = th.sigma_v_many(model, X, quad=th.RIZZO)
    np.testing.assert_allclose(got[:, -1], ref[:, -1], rtol=3e-5, atol=0.0, err_msg=name)
    np.testing.assert_allclose(_gh_max(model, got), _gh_max(model, ref), rtol=3e-4, err_msg=name)


def test_rizzo_nodes_in_the_r_data_region() -> None:
    """Where sqrt s reaches the interpolated R data (m_DM 1.1-1.4 GeV, r = 1.3) no node set
    resolves its kinks: the default nodes are 4.8e-4 (x_F) and 2.4e-3 (Gamma/H_max) off the
    reference, the rizzo nodes 2.7e-4 and 1.5e-2 (measured); stated bounds 1e-3 and 3e-2."""
    model = DarkSector.build(np.geomspace(1.7, 2.2, 10), 0.5, r=1.3, eps=1e-4,
                             fermions="charge-weighted")  # fmt: skip
    ref = th.sigma_v_many(model, X, quad=REF)
    got = th.sigma_v_many(model, X, quad=th.RIZZO)
    np.testing.assert_allclose(got[:, -1], ref[:, -1], rtol=1e-3, atol=0.0)
    np.testing.assert_allclose(_gh_max(model, got), _gh_max(model, ref), rtol=3e-2)


def _sigma_v_quad(model: DarkSector, x: float, points: list[float]) -> float:
    """Rizzo's Eq. 10 by scipy's adaptive quadrature with scipy's Bessel functions (no node
    set of ours): (8x / K_2(x)^2) Int_1^inf dgamma gamma^2 (gamma^2 - 1) K_1(2 gamma x)
    sigma(4 m^2 gamma^2), exponentially scaled."""
    m = float(model.m_DM)

    def f(g: float) -> float:
        sig = float(cross_section(model, np.array([4.0 * m * m * g * g]))[0])
        k1 = float(kve(1, 2.0 * g * x)) * math.exp(-2.0 * x * (g - 1.0))
        return g * g * (g * g - 1.0) * k1 * sig

    hi = 1.0 + 60.0 / x
    pts = sorted(p for p in points if 1.0 < p < hi)
    with warnings.catch_warnings():  # roundoff notices at epsrel 1e-11 (the value is checked)
        warnings.simplefilter("ignore", IntegrationWarning)
        val, _ = quad(f, 1.0, hi, points=pts or None, epsabs=0.0, epsrel=1e-11, limit=2000)
    return 8.0 * x / float(kve(2, x)) ** 2 * val


@pytest.mark.parametrize(("m_V", "r"), [(0.05, 2 / 3), (0.3, 0.95), (0.02, 1.3), (0.1, 0.3)])
def test_rizzo_nodes_vs_scipy_quad(m_V: float, r: float) -> None:
    """<sigma v> at x_F and at x = 1 from the rizzo node sets against scipy's adaptive
    quadrature (breakpoints at the pole, the thresholds and the resonances): within 2e-6 at
    x_F and 5e-5 at x = 1 (measured 1.3e-7 and 5.5e-6)."""
    model = DarkSector.build(m_V, 0.5, r=r, eps=1e-4, fermions="charge-weighted")
    width = float(th.total_width(model))
    pts = [sp[0] for sp in th.special_points(model, width=width)]
    got = th.sigma_v_many([model], X, quad=th.RIZZO)[0]
    for k, tol in ((len(X) - 1, 2e-6), (0, 5e-5)):
        ref = _sigma_v_quad(model, float(X[k]), pts)
        assert got[k] == pytest.approx(ref, rel=tol)


def test_rizzo_relic_density_from_the_reference_sigma_v() -> None:
    """relic_density(..., "rizzo") (the rizzo node sets) against Omega h^2 = 0.120 x 7.5
    sigma_0 / <sigma v>(x_F) with <sigma v> from the reference nodes: 3e-5 (Rizzo Sec. 3.1;
    docs/physics.md §5.5), and the grid path gives the same numbers as the single model."""
    mv = np.geomspace(0.01, 1.0, 8)
    model = DarkSector.build(mv, 0.5, r=0.6, eps=3e-4, fermions="charge-weighted")
    sv = th.sigma_v_many(model, np.array([X_F]), quad=REF)[:, 0] * CM3_PER_S_PER_GEV2
    expect = OMEGA_DM_H2 * RIZZO_TARGET_SIGMA_0 * SIGMA_0_CM3_S / sv
    grid = relic_density_grid(model, "rizzo", require_equilibrium=False)
    np.testing.assert_allclose(grid.omega_h2, expect, rtol=3e-5, atol=0.0)
    one = relic_density(model.replace(m_V=float(mv[3]), m_DM=float(mv[3]) * 0.3), "rizzo",
                        require_equilibrium=False)  # fmt: skip
    assert one.omega_h2 == grid.omega_h2[3]


def test_default_quadrature_is_the_default_node_set() -> None:
    """The new Quadrature options default to off: Quadrature() gives the default node sets and
    <sigma v> bit for bit (the boltzmann method is unchanged)."""
    m_V = np.geomspace(0.01, 1.0, 12)
    block = DarkSector.build(m_V[:, None], 0.5, r=0.99, fermions="charge-weighted", eps=1e-6)
    x = x_grid("boltzmann")
    assert np.array_equal(
        th.sigma_v_block(block, x, quad=th.Quadrature()), th.sigma_v_block(block, x)
    )
