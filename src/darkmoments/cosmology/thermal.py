"""Thermally averaged annihilation rate <sigma v_Mol>(x), x = m_DM / T.

Gondolo & Gelmini, Nucl. Phys. B360 (1991) 145, in Rizzo's form (arXiv:2106.11150 Eq. 10;
docs/physics.md §5.1), Maxwell-Boltzmann statistics:

    <sigma v>(x) = (8 x / K_2(x)^2) Int_1^inf dgamma gamma^2 (gamma^2 - 1) K_1(2 gamma x) sigma(s),
    s = 4 m_DM^2 gamma^2.

Numerics (robust for x in [1, 1e5], r = 2 m_DM/m_V in [0.1, 2), Gamma_V/m_V down to 1e-12):

* exponentially scaled Bessel functions, K_1(2 gamma x)/K_2(x)^2 = K_1e(2 gamma x)/K_2e(x)^2
  exp(-2x(gamma - 1)), so nothing overflows or underflows before the product;
* composite Gauss-Legendre panels on breakpoints graded geometrically (ratio GRADING = 3)
  towards every special point: gamma = 1 (p-wave threshold, down to (gamma - 1) = 1e-6 / x_max), the
  s-channel pole gamma_R = 1/r (for r < 1, down to its half width
  w = m_V Gamma_V / (8 m_DM^2 gamma_R), a Lorentzian resolved on every scale from w to O(1)),
  the final-state thresholds and the rho/omega/phi masses when hadrons are on;
* upper limit gamma_max = 1 + 60/x_min (the integrand falls as exp(-2 x (gamma - 1))).

The x_F = 20 ("rizzo") method has lighter node sets of its own, :data:`RIZZO` (a
:class:`SplitQuadrature`: a core on [1, 1 + 40/x_F] graded for x_F alone and a tail for the
equilibrium check; Gauss-Legendre nodes in sqrt(gamma - p) next to square-root edges and in
ln|gamma - gamma_p| next to poles and resonances instead of fine grading; stated accuracy
1e-4 in <sigma v>(x_F), 1e-3 in Gamma/H_max; docs/physics.md §5.G).

One node set and one kernel matrix serve the whole x grid; :class:`ThermalAverager` caches
them so that many couplings of one (m_V, m_DM) reuse the work. :class:`ThermalGrid` holds the
node sets and kernels of many models, and :func:`sigma_v_many` averages many models at once
(docs/physics.md §5.B): models that differ only in their masses are stacked into one
DarkSector with array masses, their special points and node sets are built for all models
at once (:func:`special_arrays`, :func:`gamma_nodes_many`: each model's own nodes, the same
as :func:`gamma_nodes`, bit for bit), their cross sections on all nodes are one array
evaluation, and their kernels are array operations too: the panels graded towards gamma = 1
are the same for every model and go through one kernel, each model's other nodes through
per-x blocks. Both paths take K_1e(z) from the same piecewise-cubic table (:func:`_k1e`,
< 1e-15 relative for z >= 2), so they agree to rounding (< 1e-14).

DM kinds (docs/physics.md §12.9): the table is the rate of the kind's annihilating pair —
phi* phi, chi chibar (Dirac), chi chi (Majorana) — with m_DM the DM mass. For pseudo-Dirac it is
the coannihilation of chi_1 chi_2 in the relativistic form of Edsjo & Gondolo (Phys. Rev. D 56
(1997) 1879, Eq. 3.3-3.8) with x = m_chi1 / T: on the nodes of the equal-mass kernel (s =
4 m_1^2 gamma^2) the cross section is weighted by p_12^2 / p_11^2 (:func:`coannihilation_weight`)
and the average is multiplied by the density factor 16 / g_chi(x)^2 (:func:`counting`),

    table(x) = 2 <sigma v>_eff = 2 sum_ij <sigma_ij v> g_i g_j / g_eff^2 (Maxwell-Boltzmann),
    g_chi(x) = g_1 + g_2 (1 + delta)^2 K_2(x (1 + delta)) / K_2(x)
             -> g_1 + g_2 (1 + delta)^(3/2) exp(-x delta)   (x >> 1, Griest & Seckel 1991),

so that with sigma_v_factor = 1/2 the Boltzmann core sees <sigma v>_eff, and at delta = 0 the
table is exactly the Dirac chi chibar rate (g_chi = 4).
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

import numpy as np
from scipy.special import k1e, kve

from darkmoments.constants import FERMIONS, M_PI_CHARGED
from darkmoments.cosmology.boltzmann import G_COMPLEX_SCALAR, SIGMA_V_FACTOR_COMPLEX_SCALAR
from darkmoments.model import DarkSector
from darkmoments.physics.annihilation import cross_section
from darkmoments.physics.decays import total_width

#: Gauss-Legendre nodes per panel
N_GAUSS = 8
#: ratio of consecutive panel lengths towards a special point
GRADING = 3.0
#: kernel entries with 2 x (gamma - 1) above this are dropped (exp(-ARG_MAX) relative)
ARG_MAX = 80.0
#: (gamma - 1) resolved down to Y_LO_FACTOR / x_max
Y_LO_FACTOR = 1e-6
#: upper limit gamma_max = 1 + GAMMA_SPAN / x_min
GAMMA_SPAN = 60.0
#: hadronic resonances (mass, width) in GeV where the R ratio has structure [PDG 2020]
HADRON_RESONANCES = ((0.77526, 0.1491), (0.78265, 0.00849), (1.019461, 0.004249))
#: final-state thresholds gamma_t: panels graded above gamma_t down to THRESHOLD_SCALE gamma_t
#: (the sqrt(gamma - gamma_t) edge then costs < 1e-12 relative; below gamma_t the integrand
#: is smooth)
THRESHOLD_SCALE = 1e-7


@dataclass(frozen=True)
class Quadrature:
    """Grading of the node sets of the grid path (:func:`gamma_nodes_many`): panel ratio
    ``grading``, (gamma - 1) resolved down to ``y_lo_factor`` / x_max, thresholds graded down
    to ``threshold_scale`` gamma_t, ``n_gauss`` nodes per panel, upper limit gamma = 1 +
    ``gamma_span`` / x_min. :data:`FULL` (the module constants) is what every path uses (the
    1e-7 accuracy of docs/physics.md §5.1); relaxed gradings are measured, not used, in
    benchmarks/bench_rizzo_quadrature.py (docs/physics.md §5.G, fourth round)."""

    grading: float = GRADING
    y_lo_factor: float = Y_LO_FACTOR
    threshold_scale: float = THRESHOLD_SCALE
    n_gauss: int = N_GAUSS
    gamma_span: float = GAMMA_SPAN
    #: Gauss-Legendre nodes in u = sqrt(gamma - 1) instead of gamma on every panel: the
    #: integrand (gamma^2 - 1)^(1/2 or 3/2) x smooth at gamma = 1 (s- or p-wave) becomes
    #: u^2 or u^4 x smooth, so no grading towards gamma = 1 is needed
    sqrt_edge: bool = False
    #: panel ratio of the grading towards gamma = 1 (None: ``grading``)
    base_grading: float | None = None
    #: Gauss-Legendre nodes in ln|gamma - gamma_p| on the panels graded towards a two-sided
    #: special point gamma_p (a pole or resonance; not on its innermost panels): the
    #: Lorentzian tails become smooth, its poles at Im = +-pi/2
    log_pole: bool = False
    #: grading points of a special point gamma_p only within extent x (gamma_p - 1) of it
    #: (None: up to the ends); for fine base edges, which resolve the rest
    extent: float | None = None


#: the default node sets (every path)
FULL = Quadrature()


def _graded(
    center: float, scale: float, lo: float, hi: float, side: int, grading: float = GRADING
) -> np.ndarray:
    """Breakpoints center + side * scale * grading^k inside (lo, hi)."""
    span = (hi - center) if side > 0 else (center - lo)
    if span <= 0 or scale <= 0:
        return np.empty(0)
    n = int(np.ceil(np.log(max(span / scale, 1.0)) / np.log(grading))) + 1
    pts = center + side * scale * grading ** np.arange(n)
    return pts[(pts > lo) & (pts < hi)]


@lru_cache(maxsize=4)
def _leggauss(n: int) -> tuple[np.ndarray, np.ndarray]:
    return np.polynomial.legendre.leggauss(n)  # type: ignore[no-any-return]


def gamma_nodes(
    x_min: float,
    x_max: float,
    special: Sequence[tuple[float, ...]] = (),
    n_gauss: int = N_GAUSS,
) -> tuple[np.ndarray, np.ndarray]:
    """Quadrature nodes and weights in gamma on [1, 1 + GAMMA_SPAN/x_min] for the x range
    [x_min, x_max], in increasing gamma. ``special``: (gamma_p, scale_p) points towards which
    the panels are graded geometrically down to scale_p on both sides (a pole: its half width),
    or (gamma_p, scale_p, side) graded on one side only (a threshold: side = +1, the integrand
    is smooth below it and has a square-root edge above)."""
    g_hi = 1.0 + GAMMA_SPAN / x_min
    y_lo = Y_LO_FACTOR / x_max
    pts = [np.array([1.0, g_hi]), _graded(1.0, y_lo, 1.0, g_hi, +1)]
    for sp in special:
        g_p, scale = sp[0], sp[1]
        sides = (int(sp[2]),) if len(sp) > 2 else (+1, -1)
        if not (1.0 < g_p + scale and g_p - scale < g_hi):
            continue
        if 1.0 < g_p < g_hi:
            pts.append(np.array([g_p]))
        for side in sides:
            pts.append(_graded(g_p, scale, 1.0, g_hi, side))
    edges = np.unique(np.concatenate(pts))
    t, w = _leggauss(n_gauss)
    half = 0.5 * np.diff(edges)
    mid = 0.5 * (edges[1:] + edges[:-1])
    gamma = (mid[:, None] + half[:, None] * t[None, :]).ravel()
    weight = (half[:, None] * w[None, :]).ravel()
    return gamma, weight


#: K_1e(z) = exp(z) K_1(z) for z >= K1E_Z_MIN (every kernel argument 2 gamma x once x >= 1):
#: with t = K1E_Z_MIN K1E_CELLS / z in [0, K1E_CELLS], K_1e(z) = sqrt(t) P_i(t - i) on the
#: uniform cells i <= t < i + 1 of t (uniform in 1/z; one spare cell for z = K1E_Z_MIN), P_i
#: the cubic through K_1e(z) / sqrt(t) at the cell's 4 Chebyshev points. Measured:
#: < 1e-15 relative to scipy's k1e and to mpmath's besselk for z in [2, 1e7], cell edges
#: included, at ~1/4 of the cost of scipy's k1e (tests/cosmology/test_thermal_grid.py,
#: benchmarks/bench_k1e.py; docs/physics.md §5.C). Below K1E_Z_MIN: scipy's k1e.
K1E_Z_MIN = 2.0
K1E_CELLS = 1024
K1E_DEGREE = 3


@lru_cache(maxsize=1)
def _k1e_cells() -> tuple[float, tuple[np.ndarray, ...]]:
    """(1/cell width in u, coefficients c_0..c_3 of the cells): on cell i, K_1e(z) =
    sqrt(t) sum_k c_k[i] (t - i)^k with t = u / width = K1E_Z_MIN K1E_CELLS / z; the cubic
    interpolates K_1e(z) / sqrt(t) at the cell's 4 Chebyshev points (values from scipy's k1e;
    built once)."""
    n = K1E_DEGREE + 1
    s = 0.5 - 0.5 * np.cos((2 * np.arange(n) + 1) * np.pi / (2 * n))
    scale = K1E_Z_MIN * K1E_CELLS
    t = np.arange(K1E_CELLS + 1)[:, None] + s[None, :]
    z = scale / t
    vals = k1e(z) / np.sqrt(t)
    coef = np.linalg.solve(np.vander(s, n, increasing=True), vals.T)
    return scale, tuple(np.ascontiguousarray(c) for c in coef)


def _k1e_cubic(z: np.ndarray) -> np.ndarray:
    """exp(z) K_1(z) by the cubic cells of :func:`_k1e_cells`, for z >= K1E_Z_MIN (and inf -> 0;
    not checked here): the cell index and the Horner sum, 4 table look-ups per element."""
    scale, c = _k1e_cells()
    t = scale / z
    i = t.astype(np.int32)  # t <= K1E_CELLS
    root = np.sqrt(t)
    t -= i
    acc = np.take(c[K1E_DEGREE], i)
    for ck in c[K1E_DEGREE - 1 :: -1]:
        acc *= t
        acc += np.take(ck, i)
    acc *= root
    return acc


def _k1e(z: np.ndarray) -> np.ndarray:
    """exp(z) K_1(z) elementwise (z > 0, any shape): :func:`_k1e_cubic` for z >= K1E_Z_MIN,
    scipy's k1e below (and for nan)."""
    z = np.asarray(z, dtype=float)
    if z.size and z.min() >= K1E_Z_MIN:  # False with a nan
        return _k1e_cubic(z)
    out = np.empty_like(z)
    on = z >= K1E_Z_MIN
    out[on] = _k1e_cubic(z[on])
    off = ~on
    out[off] = k1e(z[off])
    return out


def kernel(x: np.ndarray, gamma: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """Matrix W[i, j] with <sigma v>(x_i) = sum_j W[i, j] sigma(4 m^2 gamma_j^2) (Rizzo Eq. 10)
    using scaled Bessel functions; entries with 2 x (gamma - 1) > ARG_MAX are set to zero.
    ``x`` increasing, ``gamma`` increasing (as returned by :func:`gamma_nodes`)."""
    x = np.asarray(x, dtype=float)
    gamma = np.asarray(gamma, dtype=float)
    # row i keeps the nodes with 2 x_i (gamma - 1) <= ARG_MAX: a prefix of the sorted nodes
    n_keep = np.searchsorted(gamma, 1.0 + ARG_MAX / (2.0 * x), side="right")
    rows = np.repeat(np.arange(len(x)), n_keep)
    start = np.cumsum(n_keep) - n_keep
    cols = np.arange(rows.size) - np.repeat(start, n_keep)
    xr = x[rows]
    a = 2.0 * xr * (gamma[cols] - 1.0)
    z = a + 2.0 * xr
    k1 = _k1e(z)
    pref = 8.0 * x / kve(2, x) ** 2
    jac = weight * gamma * gamma * (gamma * gamma - 1.0)
    out = np.zeros((len(x), len(gamma)))
    with np.errstate(under="ignore"):
        out[rows, cols] = pref[rows] * jac[cols] * k1 * np.exp(-a)
    return out


def special_points(model: DarkSector, width: float | None = None) -> list[tuple[float, ...]]:
    """(gamma, scale[, side]) breakpoints of a model with scalar masses: the V pole (r < 1; its
    half width from the total width Gamma_V [GeV], computed unless given as ``width``), the
    final-state thresholds (one-sided) and (with hadrons) the rho/omega/phi masses."""
    m = float(model.m_DM)
    m_V = float(model.m_V)
    out: list[tuple[float, ...]] = []
    gamma_R = m_V / (2.0 * m)
    if gamma_R > 1.0:
        gam = float(total_width(model)) if width is None else float(width)
        w = max(m_V * gam / (8.0 * m * m * gamma_R), 1e-15 * gamma_R)
        out.append((gamma_R, w))
    if model.dm_kind == "pseudo_dirac" and model.delta > 0:
        g_t = 1.0 + 0.5 * model.delta  # chi_1 chi_2 threshold (m_1 + m_2) / (2 m_1)
        out.append((g_t, THRESHOLD_SCALE * g_t, +1))
    thresholds = [FERMIONS[f].mass for f in ("e", "mu", "tau")]
    if model.hadrons != "none":
        thresholds.append(M_PI_CHARGED)
        out += [(mr / (2 * m), gr / (4 * m)) for mr, gr in HADRON_RESONANCES]
    for mf in thresholds:
        g_t = mf / m
        if g_t > 1.0:
            out.append((g_t, THRESHOLD_SCALE * g_t, +1))
    return out


#: one family of special points of N models: (gamma_p (N,), scale_p (N,), side); NaN
#: gamma_p: none for that model; side 0: graded on both sides, +1: above only (a square-root
#: edge), 2: a plain breakpoint
Specials = list[tuple[np.ndarray, np.ndarray, int]]


def special_arrays(block: DarkSector, width: np.ndarray) -> Specials:
    """:func:`special_points` of the N models of a mass block at once (``block`` masses of
    shape (N,) or (N, 1); ``width`` (N,) their total widths Gamma_V [GeV]): the same points,
    as arrays."""
    m = np.asarray(block.m_DM, dtype=float).reshape(-1)
    m_V = np.broadcast_to(np.asarray(block.m_V, dtype=float).reshape(-1), m.shape)
    gam = np.broadcast_to(np.asarray(width, dtype=float).reshape(-1), m.shape)
    out: Specials = []
    gamma_R = m_V / (2.0 * m)
    pole = gamma_R > 1.0
    w = np.maximum(m_V * gam / (8.0 * m * m * gamma_R), 1e-15 * gamma_R)
    out.append((np.where(pole, gamma_R, np.nan), w, 0))
    if block.dm_kind == "pseudo_dirac" and block.delta > 0:
        g_t = np.full(m.shape, 1.0 + 0.5 * block.delta)
        out.append((g_t, THRESHOLD_SCALE * g_t, +1))
    thresholds = [FERMIONS[f].mass for f in ("e", "mu", "tau")]
    if block.hadrons != "none":
        thresholds.append(M_PI_CHARGED)
        out += [(mr / (2 * m), gr / (4 * m), 0) for mr, gr in HADRON_RESONANCES]
    for mf in thresholds:
        g_t = mf / m
        out.append((np.where(g_t > 1.0, g_t, np.nan), THRESHOLD_SCALE * g_t, +1))
    return out


def gamma_nodes_many(
    x_min: float,
    x_max: float,
    specials: Specials,
    n: int,
    quad: Quadrature = FULL,
    window: tuple[float, float] | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """:func:`gamma_nodes` of n models at once (the same nodes, bit for bit): ``specials``
    from :func:`special_arrays`. Returns (gamma (n, G), weight (n, G), size (n,), shared
    (n, G)): each row increasing and padded after its ``size`` nodes with its last node at zero
    weight; ``shared[i, j]`` is the index of the node in the node list of the panels that
    every model has (those between two consecutive breakpoints graded towards gamma = 1,
    :func:`base_nodes`), -1 for the model's own nodes. ``quad``: the grading (default
    :data:`FULL`; the threshold scales of ``specials``, one-sided points, are rescaled by
    quad.threshold_scale / THRESHOLD_SCALE). ``window`` (g_lo, g_end): the nodes on that
    part of [1, g_hi] only (special points anywhere in [1, g_hi] still grade its panels)."""
    g_hi = 1.0 + quad.gamma_span / x_min
    base = base_edges(x_min, x_max, quad, window)
    g_lo, g_end = (1.0, g_hi) if window is None else window
    grading, n_gauss = quad.grading, quad.n_gauss
    cols: list[np.ndarray] = [np.broadcast_to(base, (n, base.size))]
    roots: list[np.ndarray] = []  # one-sided points: square-root edges (sqrt_edge panels)
    poles: list[tuple[np.ndarray, np.ndarray]] = []  # two-sided points (log_pole panels)
    # the grading of a point stops quad.extent x (gamma_p - 1) from it, but not before the
    # first base edge above gamma = 1 (up to there the base has one panel, [1, 1 + y_lo])
    y_lo = quad.y_lo_factor / x_max
    for g_p, scale, side in specials:
        g_p = np.broadcast_to(g_p, (n,))
        scale = np.broadcast_to(scale, (n,))
        if side == 1:  # side 2: a plain breakpoint
            roots.append(np.where(np.isfinite(g_p), g_p, np.inf))
        elif side == 0:
            poles.append((np.where(np.isfinite(g_p), g_p, np.inf), scale))
        if side != 0 and quad.threshold_scale != THRESHOLD_SCALE:
            scale = scale * (quad.threshold_scale / THRESHOLD_SCALE)
        with np.errstate(invalid="ignore"):
            use = (1.0 < g_p + scale) & (g_p - scale < g_hi) & (scale > 0)
        use &= np.isfinite(g_p)
        if not use.any():
            continue
        cols.append(np.where(use & (g_lo < g_p) & (g_p < g_end), g_p, np.nan)[:, None])
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(use, np.maximum(np.maximum(g_hi - g_p, g_p - 1.0) / scale, 1.0), 1.0)
        k_max = int(np.ceil(np.log(np.max(ratio)) / np.log(grading))) + 2
        step = grading ** np.arange(k_max)
        for sd in (+1, -1) if side == 0 else (side,):
            pts = g_p[:, None] + sd * scale[:, None] * step[None, :]
            keep = use[:, None] & (pts > g_lo) & (pts < g_end)
            if quad.extent is not None:  # the base edges take over further away
                reach = quad.extent * np.maximum(g_p - 1.0, y_lo)
                keep &= np.abs(pts - g_p[:, None]) <= reach[:, None]
            cols.append(np.where(keep, pts, np.nan))
    cand = np.sort(np.concatenate(cols, axis=1), axis=1)  # NaN sort last
    valid = np.isfinite(cand)
    valid[:, 1:] &= cand[:, 1:] != cand[:, :-1]
    n_edge = valid.sum(axis=1)
    width = int(n_edge.max())
    # compact each row's edges to the left, pad with its last edge (zero-length panels)
    order = np.argsort(~valid, axis=1, kind="stable")[:, :width]
    edges = np.take_along_axis(cand, order, axis=1)
    last = edges[np.arange(n), n_edge - 1]
    pad = np.arange(width)[None, :] >= n_edge[:, None]
    edges = np.where(pad, last[:, None], edges)
    root = _roots(edges[:, :-1], roots) if quad.sqrt_edge else None
    pole = _poles(edges, poles) if quad.log_pole else None
    gamma, weight = _panel_nodes(edges, quad, root, pole)
    gamma, weight = gamma.reshape(n, -1), weight.reshape(n, -1)
    size = (n_edge - 1) * n_gauss
    last_node = gamma[np.arange(n), size - 1]
    pad_nodes = np.arange(gamma.shape[1])[None, :] >= size[:, None]
    gamma = np.where(pad_nodes, last_node[:, None], gamma)
    weight = np.where(pad_nodes, 0.0, weight)
    # panels whose both ends are consecutive base edges are the same for every model
    pos = np.searchsorted(base, edges)
    on_base = (pos < base.size) & (base[np.minimum(pos, base.size - 1)] == edges)
    shared_panel = on_base[:, :-1] & on_base[:, 1:] & ~pad[:, 1:]
    # a shared panel must have the base panel's nodes: no other square-root edge or pole
    lo, hi = edges[:, :-1], edges[:, 1:]
    if root is not None:
        shared_panel &= (root == 1.0) | ((lo - root >= hi - lo) & (lo - 1.0 >= hi - lo))
    if pole is not None:  # log- or composite-mapped panels are the model's own
        shared_panel &= ~np.isfinite(pole[0])
    panel_idx = np.where(shared_panel, pos[:, :-1], -1)
    shared = np.where(
        panel_idx[:, :, None] >= 0,
        panel_idx[:, :, None] * n_gauss + np.arange(n_gauss),
        -1,
    ).reshape(n, -1)
    return gamma, weight, size, shared


def _roots(lo: np.ndarray, roots: list[np.ndarray]) -> np.ndarray:
    """For panels with left edges ``lo`` (n, P): the nearest square-root edge at or below each,
    gamma = 1 or a one-sided special point (``roots``: arrays (n,), inf where absent)."""
    out = np.ones_like(lo)
    for r in roots:
        out = np.where((r[:, None] <= lo) & (r[:, None] > out), r[:, None], out)
    return out


def _poles(
    edges: np.ndarray, poles: list[tuple[np.ndarray, np.ndarray]]
) -> tuple[np.ndarray, np.ndarray]:
    """For panels [a, b] between ``edges`` (n, P + 1): the two-sided special point they are
    graded towards, if any — a point gamma_p outside the panel closer to it than its length
    (0 < a - gamma_p < b - a or 0 < gamma_p - b < b - a) but not inside its half width
    (distance >= scale_p / 2: a panel next to gamma_p, split from it by a sliver panel — a base
    edge, gamma_cut or another point within scale_p — is an innermost panel; its log map
    would spread the nodes over ln(distance) down to the sliver), the closest relative to
    b - a — as (gamma_p (n, P), NaN where none; side (n, P): +1 above gamma_p, -1 below).
    ``poles``: (gamma_p (n,), inf where absent; scale_p (n,))."""
    lo, hi = edges[..., :-1], edges[..., 1:]
    length = hi - lo
    best = np.full(lo.shape, np.inf)
    center = np.full(lo.shape, np.nan)
    side = np.zeros(lo.shape)
    for c, scale in poles:
        c, half = c[:, None], 0.5 * scale[:, None]
        with np.errstate(invalid="ignore"):
            for d, sd in ((lo - c, 1.0), (c - hi, -1.0)):
                take = (d > 0) & (d >= half) & (d < length) & (d < best)
                best = np.where(take, d, best)
                center = np.where(take, c, center)
                side = np.where(take, sd, side)
    return center, side


def _distances(
    lo: np.ndarray, hi: np.ndarray, c: np.ndarray, sd: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Nearest and farthest distance of panels [lo, hi] from a point c outside them (sd = +1:
    c below the panel, -1: above)."""
    return np.where(sd > 0, lo - c, c - hi), np.where(sd > 0, hi - c, c - lo)


def _log_nodes(
    c: np.ndarray,
    sd: np.ndarray,
    d_lo: np.ndarray,
    d_hi: np.ndarray,
    t: np.ndarray,
    w: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Gauss-Legendre nodes (abscissae t, weights w) in s = ln(distance) on panels at
    distances [d_lo, d_hi] from c (:func:`_distances`), mapped back: (c + sd y, y ds), each
    row increasing (below c the nodes run towards it)."""
    s_lo, s_hi = np.log(d_lo), np.log(d_hi)
    s_half = (0.5 * (s_hi - s_lo))[:, None]
    y = np.exp((0.5 * (s_hi + s_lo))[:, None] + sd[:, None] * s_half * t)
    return c[:, None] + sd[:, None] * y, y * s_half * w


def _panel_nodes(
    edges: np.ndarray,
    quad: Quadrature,
    root: np.ndarray | None = None,
    pole: tuple[np.ndarray, np.ndarray] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Gauss-Legendre nodes and weights (shape (..., n_panels, n_gauss)) of the panels between
    consecutive ``edges`` (last axis). With ``quad.sqrt_edge`` a panel [a, b] closer to its
    square-root edge p (``root``, default gamma = 1) than its own length, a - p < b - a, has
    its nodes in v = sqrt(gamma - p) (gamma = p + v^2, weight x 2v): the integrand
    sqrt(gamma - p) x smooth is smooth in v, so no grading down to p is needed."""
    t, w = _leggauss(quad.n_gauss)
    lo, hi = edges[..., :-1], edges[..., 1:]
    half = (0.5 * (hi - lo))[..., None]
    mid = (0.5 * (hi + lo))[..., None]
    nodes, weight = mid + half * t, half * w
    if not (quad.sqrt_edge or quad.log_pole):
        return nodes, weight
    # the mapped panels only (flat panel index), the sqrt map last: it wins
    flat_nodes = nodes.reshape(-1, t.size)
    flat_weight = weight.reshape(-1, t.size)
    lo_f, hi_f = lo.ravel(), hi.ravel()
    if quad.log_pole and pole is not None:
        c, sd = pole[0].ravel(), pole[1].ravel()
        k = np.flatnonzero(np.isfinite(c))
        c, sd = c[k], sd[k]
        d_lo, d_hi = _distances(lo_f[k], hi_f[k], c, sd)
        flat_nodes[k], flat_weight[k] = _log_nodes(c, sd, d_lo, d_hi, t, w)
    if quad.sqrt_edge:
        p = np.ones_like(lo_f) if root is None else root.ravel()
        k = np.flatnonzero(lo_f - p < hi_f - lo_f)
        p_k = p[k]
        v_lo = np.sqrt(np.maximum(lo_f[k] - p_k, 0.0))
        v_hi = np.sqrt(hi_f[k] - p_k)
        v_half = (0.5 * (v_hi - v_lo))[:, None]
        v = (0.5 * (v_hi + v_lo))[:, None] + v_half * t
        dv = v_half * w
        if quad.log_pole and pole is not None:
            # a pole near the panel too: ln|v - v_c| in v = sqrt(gamma - p) (both smooth)
            c, sd = pole[0].ravel()[k], pole[1].ravel()[k]
            both = np.isfinite(c) & (c > p_k)
            if both.any():
                j = np.flatnonzero(both)
                v_c = np.sqrt(c[j] - p_k[j])
                sdj = sd[j]
                d_lo, d_hi = _distances(v_lo[j], v_hi[j], v_c, sdj)
                ok = (d_lo > 0) & (d_hi > d_lo)
                j = j[ok]
                v[j], dv[j] = _log_nodes(v_c[ok], sdj[ok], d_lo[ok], d_hi[ok], t, w)
        flat_nodes[k] = p_k[:, None] + v * v
        flat_weight[k] = 2.0 * v * dv
    return nodes, weight


def base_edges(
    x_min: float,
    x_max: float,
    quad: Quadrature = FULL,
    window: tuple[float, float] | None = None,
) -> np.ndarray:
    """Breakpoints every node set of the x range has: 1, 1 + GAMMA_SPAN/x_min and the
    geometric grading towards gamma = 1 (inside ``window`` (g_lo, g_end) and its ends, if
    given)."""
    g_hi = 1.0 + quad.gamma_span / x_min
    y_lo = quad.y_lo_factor / x_max
    ratio = quad.grading if quad.base_grading is None else quad.base_grading
    graded = _graded(1.0, y_lo, 1.0, g_hi, +1, ratio)
    edges = np.unique(np.concatenate([np.array([1.0, g_hi]), graded]))
    if window is None:
        return edges
    inside = edges[(edges > window[0]) & (edges < window[1])]
    return np.concatenate([[window[0]], inside, [window[1]]])


def base_nodes(
    x_min: float,
    x_max: float,
    n_gauss: int = N_GAUSS,
    quad: Quadrature | None = None,
    window: tuple[float, float] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Nodes and weights of the panels between consecutive :func:`base_edges`."""
    if (quad is None or quad == FULL) and window is None:
        return gamma_nodes(x_min, x_max, (), n_gauss)
    quad = FULL if quad is None else quad
    nodes, weight = _panel_nodes(base_edges(x_min, x_max, quad, window), quad)
    return nodes.ravel(), weight.ravel()


#: the x_F ("rizzo") method's node sets below gamma_cut = 1 + ARG_MAX / (2 x_F) (the x_F row's
#: own kernel cut): 6 nodes per panel, breakpoints towards gamma = 1 with ratio 2 from
#: gamma - 1 = 0.2 / x_F, special points graded with ratio 8 (poles down to their half width,
#: thresholds from 1e-2 gamma_t) within gamma_p - 1 of themselves, square-root and logarithmic
#: maps instead of finer grading (docs/physics.md §5.G)
RIZZO_CORE = Quadrature(
    grading=8.0,
    base_grading=2.0,
    y_lo_factor=0.2,
    threshold_scale=1e-2,
    n_gauss=6,
    gamma_span=0.5 * ARG_MAX,
    sqrt_edge=True,
    log_pole=True,
    extent=1.0,
)
#: ... and above gamma_cut, seen only by the rows x < x_F of the equilibrium check
RIZZO_TAIL = Quadrature(
    grading=8.0,
    base_grading=1.4,
    y_lo_factor=0.5 * ARG_MAX,
    threshold_scale=0.3,
    n_gauss=4,
    gamma_span=25.0,
    sqrt_edge=True,
    log_pole=True,
    extent=0.3,
)


@dataclass(frozen=True)
class SplitQuadrature:
    """Node sets in two parts for an x grid [x_min, x_max] whose accuracy matters most at
    x_max (the x_F = 20 method: <sigma v>(x_F) and the equilibrium check Gamma/H over
    x <= x_F, docs/physics.md §5.G): ``core`` gradings on [1, gamma_cut], gamma_cut = 1 +
    core.gamma_span / x_max (the kernel cut of the row x_max), built for x_max alone;
    ``tail`` gradings above gamma_cut up to 1 + tail.gamma_span / x_min, seen only by the
    rows x < x_max."""

    core: Quadrature = RIZZO_CORE
    tail: Quadrature = RIZZO_TAIL
    #: the tail is graded towards special points at gamma <= 1 + tail_feature_span / x_min
    #: only: further out the kernel is below e^(-2 tail_feature_span) = 4e-11 of its value
    #: at gamma = 1 for x >= x_min, and the tail's base panels integrate them; a pole
    #: (half width w) counts its enhancement (gamma_p - 1) / w against that bound, so a narrow
    #: one reaches further out (without it, a V pole of Gamma_V / m_V ~ 1e-5 at gamma_R ~ 13
    #: changed Gamma/H_max by up to a factor 14)
    tail_feature_span: float = 12.0
    #: the core is built up to 1 + core_reach x core.gamma_span / x_max, then cut
    core_reach: float = 1.5

    def windows(self, x_min: float, x_max: float) -> tuple[tuple[float, float], ...]:
        """The gamma ranges of the core and the tail (empty, (g_cut, g_cut), when the tail's
        end 1 + tail.gamma_span / x_min is not above gamma_cut: x_max < 1.6 x_min)."""
        g_cut = self.cut(x_max)
        return ((1.0, g_cut), (g_cut, max(g_cut, 1.0 + self.tail.gamma_span / x_min)))

    def core_built(self) -> Quadrature:
        """The core's grading built up to 1 + core_reach x core.gamma_span / x_max (special
        points just above gamma_cut grade the core's last panels; nodes above gamma_cut are
        dropped)."""
        return replace(self.core, gamma_span=self.core_reach * self.core.gamma_span)

    def cut(self, x_max: float) -> float:
        """gamma_cut of the x range ending at ``x_max``."""
        return 1.0 + self.core.gamma_span / x_max


#: the "rizzo" method's node sets
RIZZO = SplitQuadrature()


def base_parts(
    x_min: float, x_max: float, quad: Quadrature | SplitQuadrature = FULL
) -> list[tuple[np.ndarray, np.ndarray]]:
    """The panels every node set of the x range has (the grading towards gamma = 1), as lists
    of (nodes, weights) each increasing in gamma: one for a :class:`Quadrature`
    (:func:`base_nodes`), two for a :class:`SplitQuadrature` (core, then tail); the
    ``shared`` indices of :func:`node_sets` count through them in this order."""
    if isinstance(quad, SplitQuadrature):
        w_core, w_tail = quad.windows(x_min, x_max)
        core = base_nodes(x_max, x_max, quad=quad.core_built(), window=w_core)
        if w_tail[1] <= w_tail[0]:  # no tail
            return [core, (np.empty(0), np.empty(0))]
        return [core, base_nodes(x_min, x_max, quad=quad.tail, window=w_tail)]
    return [base_nodes(x_min, x_max, quad=quad)]


def node_sets(
    x_min: float,
    x_max: float,
    specials: Specials,
    n: int,
    quad: Quadrature | SplitQuadrature = FULL,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """:func:`gamma_nodes_many` for a :class:`Quadrature`; for a :class:`SplitQuadrature` the
    core nodes on [1, gamma_cut] (graded for x_max alone) and the tail nodes on [gamma_cut,
    1 + tail.gamma_span / x_min] (graded for [x_min, x_max]) as two padded blocks side by
    side: each row increasing through its valid nodes, its padding (inside the row too) at
    zero weight, ``size`` the number of valid nodes; ``shared`` indices count through
    :func:`base_parts` (core, then tail)."""
    if not isinstance(quad, SplitQuadrature):
        return gamma_nodes_many(x_min, x_max, specials, n, quad)
    w_core, w_tail = quad.windows(x_min, x_max)
    core = quad.core_built()
    g_a, w_a, s_a, sh_a = gamma_nodes_many(x_max, x_max, specials, n, core, w_core)
    if w_tail[1] <= w_tail[0]:  # no tail (x_max < 1.6 x_min): the core alone
        return g_a, w_a, s_a, sh_a
    near = []
    for g_p, sc, sd in specials:
        # the kernel's e^(-2 x_min (gamma_p - 1)) against e^(-2 tail_feature_span); a pole
        # (two-sided) enhances the integral by ~ (gamma_p - 1) / scale_p on top
        with np.errstate(divide="ignore", invalid="ignore"):
            far = 2.0 * x_min * (g_p - 1.0)
            if sd == 0:
                far = far - np.log(np.maximum((g_p - 1.0) / sc, 1.0))
            near.append((np.where(far <= 2.0 * quad.tail_feature_span, g_p, np.nan), sc, sd))
    g_b, w_b, s_b, sh_b = gamma_nodes_many(x_min, x_max, near, n, quad.tail, w_tail)
    n_core_base = base_parts(x_min, x_max, quad)[0][0].size  # the shared indices' offset
    # the two padded blocks side by side (padding inside a row has zero weight)
    gamma = np.hstack([g_a, g_b])
    weight = np.hstack([w_a, w_b])
    shared = np.hstack([sh_a, np.where(sh_b >= 0, sh_b + n_core_base, -1)])
    return gamma, weight, s_a + s_b, shared


#: entries per slice of the kernel evaluation (the temporaries stay in the CPU cache)
SLICE = 8192
#: own-node kernels of at most this many (x, node) pairs are evaluated in one call (few
#: models, e.g. a single one); larger grids loop over x
DENSE_MAX = 250_000


def _k1e_exp(x: float, gamma: np.ndarray) -> np.ndarray:
    """K_1e(2 gamma x) exp(-2 x (gamma - 1)) elementwise at one x: the Bessel factor of
    :func:`kernel`, by :func:`_k1e_exp_all` in slices of SLICE entries (the temporaries stay in
    the CPU cache)."""
    out = np.empty_like(gamma)
    for lo in range(0, gamma.size, SLICE):
        out[lo : lo + SLICE] = _k1e_exp_all(x, gamma[lo : lo + SLICE])
    return out


def _k1e_exp_all(x: np.ndarray | float, gamma: np.ndarray) -> np.ndarray:
    """K_1e(2 gamma x) exp(-2 x (gamma - 1)) for broadcasting arrays x and gamma, K_1e by
    :func:`_k1e` (the same rule as :func:`kernel`)."""
    x2 = 2.0 * np.asarray(x, dtype=float)
    na = (1.0 - gamma) * x2  # -2 x (gamma - 1), the same bits as in kernel()
    out = _k1e(x2 - na)
    with np.errstate(under="ignore", invalid="ignore"):
        out *= np.exp(na, out=na)
    return out


@lru_cache(maxsize=8)
def _base_kernel(x_bytes: bytes, quad: Quadrature | SplitQuadrature = FULL) -> np.ndarray:
    """The kernel on the nodes of :func:`base_parts` (with 8x/K_2e(x)^2 and the weights and
    Jacobian), transposed: shape (n_base, len(x)); the x grid given as its float64 bytes
    (cached: the same for every grid)."""
    x = np.frombuffer(x_bytes, dtype=float)
    pref = 8.0 * x / kve(2, x) ** 2
    parts = []
    for g_base, w_base in base_parts(float(x[0]), float(x[-1]), quad):
        jac_base = w_base * g_base * g_base * (g_base * g_base - 1.0)
        part = np.zeros((len(x), g_base.size))
        for k, xk in enumerate(x):
            keep = int(np.searchsorted(g_base, 1.0 + ARG_MAX / (2.0 * xk), side="right"))
            part[k, :keep] = pref[k] * jac_base[:keep] * _k1e_exp(float(xk), g_base[:keep])
        parts.append(part)
    base = np.concatenate(parts, axis=1)
    base = np.ascontiguousarray(base.T)  # (n_base, len(x)), as average() multiplies it
    base.setflags(write=False)
    return base


def _check_x(x: np.ndarray) -> np.ndarray:
    x = np.atleast_1d(np.asarray(x, dtype=float))
    if np.any(x <= 0) or not np.all(np.isfinite(x)) or np.any(np.diff(x) <= 0):
        raise ValueError(f"x = {x!r} is invalid: allowed increasing finite values > 0")
    return x


@dataclass
class ThermalAverager:
    """Cached nodes and kernel for <sigma v>(x) at fixed m_DM on a fixed x grid.

    ``average(sigma)`` takes sigma [GeV^-2] on :attr:`s` (the node CM energies squared, GeV^2)
    and returns <sigma v>(x) [GeV^-2] on :attr:`x` (shape (..., len(x)) for sigma (..., n))."""

    m_DM: float
    x: np.ndarray
    gamma: np.ndarray
    weight: np.ndarray
    matrix: np.ndarray

    @classmethod
    def build(
        cls, m_DM: float, x: np.ndarray, special: Sequence[tuple[float, ...]] = ()
    ) -> ThermalAverager:
        x = _check_x(x)
        gamma, weight = gamma_nodes(float(x[0]), float(x[-1]), special)
        return cls(float(m_DM), x, gamma, weight, kernel(x, gamma, weight))

    @classmethod
    def for_model(cls, model: DarkSector, x: np.ndarray) -> ThermalAverager:
        return cls.build(float(model.m_DM), x, special_points(model))

    @property
    def s(self) -> np.ndarray:
        return 4.0 * self.m_DM**2 * self.gamma**2

    def average(self, sigma: np.ndarray) -> np.ndarray:
        return np.asarray(sigma) @ self.matrix.T

    def sigma_v(self, model: DarkSector) -> np.ndarray:
        """<sigma v>(x) [GeV^-2] of a model with this m_DM (any couplings): the kind's table
        (module docstring)."""
        sigma = cross_section(model, self.s) * coannihilation_weight(model, self.s)
        return self.average(sigma) * counting(model, self.x)[2]


@dataclass
class ThermalGrid:
    """Nodes and kernels of N models (masses ``m_DM`` (N,)) on one shared x grid.

    Each model keeps its own node set (graded to its own pole and thresholds,
    :func:`gamma_nodes_many`, the nodes of :func:`gamma_nodes` bit for bit); the node sets are
    padded to a common length G with their last node at zero weight, so that the cross
    sections of all N models are one array evaluation on :attr:`s` (shape (N, G)).
    ``average(sigma)`` maps sigma [GeV^-2] of shape (N, G) to <sigma v>(x) [GeV^-2] of shape
    (N, len(x)), the same sums as the per-model kernels of :func:`kernel`:

    * nodes on the panels every model has (``shared`` >= 0: the grading towards gamma = 1)
      go through one kernel ``base`` (n_base, len(x)) for all models: a matrix product;
    * each model's own nodes (``own`` (N, G_own): their columns, increasing gamma) through
      ``blocks[k]`` (N, L_k), the kernel row of x_k on the first L_k own nodes (zero beyond
      each model's cut 2 x_k (gamma - 1) <= ARG_MAX); for few models (at most DENSE_MAX
      entries) one block (len(x), N, max L_k) instead."""

    m_DM: np.ndarray
    x: np.ndarray
    gamma: np.ndarray
    size: np.ndarray
    shared: np.ndarray
    base: np.ndarray
    own: np.ndarray
    blocks: list[np.ndarray]

    @classmethod
    def build(
        cls,
        m_DM: np.ndarray,
        x: np.ndarray,
        specials: Specials,
        quad: Quadrature | SplitQuadrature = FULL,
    ) -> ThermalGrid:
        """``specials``: :func:`special_arrays` of the N models; ``quad``: the node sets
        (:func:`node_sets`)."""
        x = _check_x(x)
        m = np.atleast_1d(np.asarray(m_DM, dtype=float))
        nodes = node_sets(float(x[0]), float(x[-1]), specials, len(m), quad)
        return cls.from_nodes(m, x, *nodes, quad=quad)

    @classmethod
    def from_nodes(
        cls,
        m_DM: np.ndarray,
        x: np.ndarray,
        gamma: np.ndarray,
        weight: np.ndarray,
        size: np.ndarray,
        shared: np.ndarray,
        quad: Quadrature | SplitQuadrature = FULL,
    ) -> ThermalGrid:
        """The grid of given node sets (:func:`node_sets` with ``quad``, rows may be a
        selection)."""
        n = len(m_DM)
        size = np.asarray(size)
        # the columns with a node of any model (padding has zero weight, also inside a row of
        # the split node sets)
        cols = np.flatnonzero(np.any(weight > 0.0, axis=0))
        if cols.size < gamma.shape[1]:
            gamma, weight, shared = gamma[:, cols], weight[:, cols], shared[:, cols]
        pref = 8.0 * x / kve(2, x) ** 2
        base = _base_kernel(x.tobytes(), quad)
        # each model's own nodes, compacted to the left in increasing gamma
        is_own = (shared < 0) & (weight > 0.0)
        n_own = is_own.sum(axis=1)
        G_own = int(n_own.max()) if n else 0
        own = np.argsort(~is_own, axis=1, kind="stable")[:, :G_own]
        pad = np.arange(G_own)[None, :] >= n_own[:, None]
        g_own = np.take_along_axis(gamma, own, axis=1)
        g_own = np.where(pad, np.inf, g_own)
        jac = np.take_along_axis(weight * gamma * gamma * (gamma * gamma - 1.0), own, axis=1)
        jac = np.where(pad, 0.0, jac)
        # own kernel: for each x_k a dense block (N, L_k) over the first L_k own nodes (each
        # row's nodes with 2 x_k (gamma - 1) <= ARG_MAX are a prefix; zero beyond it)
        cut = 1.0 + ARG_MAX / (2.0 * x)
        # L_k: the own-node columns any model needs at x_k (rows increasing, so the column
        # minima are too, and padding is inf)
        if n and G_own:
            L = np.searchsorted(g_own.min(axis=0), cut, side="right")
        else:
            L = np.zeros(len(x), dtype=int)
        if len(x) * n * int(L.max()) <= DENSE_MAX:  # few models: all x at once
            # one box (len(x), N, max L_k), filled row by row over each row's first L_k own
            # nodes (the temporaries stay in the CPU cache), zero beyond each model's cut
            one = np.zeros((len(x), n, int(L.max())))
            for k, xk in enumerate(x):
                gk = g_own[:, : L[k]]
                vals = _k1e_exp_all(float(xk), np.minimum(gk, cut[k]))
                vals *= pref[k] * jac[:, : L[k]]
                one[k, :, : L[k]] = np.where(gk <= cut[k], vals, 0.0)
            return cls(m_DM, x, gamma, size, shared, base, own, [one])
        blocks = []
        for k, xk in enumerate(x):
            Lk = int(L[k])
            gk = np.ascontiguousarray(g_own[:, :Lk])
            vals = _k1e_exp(float(xk), gk.ravel()).reshape(n, Lk)
            blocks.append(np.where(gk <= cut[k], pref[k] * jac[:, :Lk] * vals, 0.0))
        return cls(m_DM, x, gamma, size, shared, base, own, blocks)

    @property
    def s(self) -> np.ndarray:
        return 4.0 * self.m_DM[:, None] ** 2 * self.gamma**2

    def subset(self, idx: np.ndarray) -> ThermalGrid:
        """The grid of models ``idx`` only (same kernels)."""
        idx = np.asarray(idx, dtype=int)
        return ThermalGrid(
            self.m_DM[idx], self.x, self.gamma[idx], self.size[idx], self.shared[idx],
            self.base, self.own[idx], [b[..., idx, :] for b in self.blocks],
        )  # fmt: skip

    def average(self, sigma: np.ndarray) -> np.ndarray:
        sigma = np.asarray(sigma, dtype=float)
        n, n_base = len(self.m_DM), self.base.shape[0]
        # sigma on the shared panels in base-node order (own nodes land in a spare column)
        on_base = np.zeros((n, n_base + 1))
        np.put_along_axis(on_base, np.where(self.shared >= 0, self.shared, n_base), sigma, 1)
        # einsum, not BLAS: a threaded GEMM of this size costs more CPU than it saves
        out = np.einsum("ij,jk->ik", on_base[:, :n_base], self.base)
        sig_own = np.take_along_axis(sigma, self.own, axis=1)
        if len(self.blocks) == 1 and self.blocks[0].ndim == 3:  # all x in one block
            blk = self.blocks[0]
            return out + np.einsum("kij,ij->ik", blk, sig_own[:, : blk.shape[2]])  # type: ignore[no-any-return]
        for k, blk in enumerate(self.blocks):
            out[:, k] += np.einsum("ij,ij->i", blk, sig_own[:, : blk.shape[1]])
        return out  # type: ignore[no-any-return]


def sigma_v(model: DarkSector, x: np.ndarray | float) -> np.ndarray:
    """<sigma v_Mol>(x) [GeV^-2] for DM DM -> all SM final states of the model (the kind's
    table, module docstring)
    (Rizzo Eq. 10; docs/physics.md §5.1). ``model`` with scalar masses; ``x`` scalar or 1-D array.
    Multiply by :data:`darkmoments.constants.units.CM3_PER_S_PER_GEV2` for cm^3/s."""
    if np.ndim(model.m_V) or np.ndim(model.m_DM):
        raise ValueError("m_V = array is invalid here: allowed a scalar model (loop over a grid)")
    xs = np.atleast_1d(np.asarray(x, dtype=float))
    out = ThermalAverager.for_model(model, xs).sigma_v(model)
    return out if np.ndim(x) else out[0]


def coannihilation_weight(model: DarkSector, s: np.ndarray) -> np.ndarray | float:
    """p_12^2 / p_11^2 at s [GeV^2] for pseudo-Dirac chi_1 chi_2 (module docstring; 0 below the
    chi_1 chi_2 threshold), 1 for the other kinds. Broadcasts with the model's mass arrays."""
    if model.dm_kind != "pseudo_dirac" or model.delta == 0:
        return 1.0
    s = np.asarray(s, dtype=float)
    m1 = np.asarray(model.m_DM, dtype=float)
    m2 = m1 * (1.0 + model.delta)
    p11 = s / 4.0 - m1 * m1
    lam = (s - (m1 + m2) ** 2) * (s - (m2 - m1) ** 2)
    p12 = np.clip(lam, 0.0, None) / (4.0 * s)
    return np.where(p11 > 0, p12 / np.where(p11 > 0, p11, 1.0), 0.0)


#: DM kind -> (g_chi, sigma_v_factor) of the Boltzmann core (boltzmann module docstring)
KIND_COUNTING = {
    "complex_scalar": (G_COMPLEX_SCALAR, SIGMA_V_FACTOR_COMPLEX_SCALAR),
    "dirac": (4.0, 0.5),
    "majorana": (2.0, 1.0),
    "pseudo_dirac": (4.0, 0.5),
}


def counting(model: DarkSector, x: np.ndarray) -> tuple[np.ndarray, float, np.ndarray]:
    """(g_chi(x), sigma_v_factor, density factor(x)) of the model's DM kind on the x grid: the
    degrees of freedom of every state counted in the yield, <sigma v>_eff / table, and the factor
    multiplying the kernel average (1 except pseudo-Dirac: 16 / g_chi(x)^2; module docstring)."""
    x = np.asarray(x, dtype=float)
    g, factor = KIND_COUNTING[model.dm_kind]
    if model.dm_kind != "pseudo_dirac" or model.delta == 0:
        return np.full(x.shape, g), factor, np.ones(x.shape)
    d = model.delta
    with np.errstate(under="ignore"):
        ratio = kve(2, x * (1.0 + d)) / kve(2, x) * np.exp(-x * d)
    g_chi = 2.0 + 2.0 * (1.0 + d) ** 2 * ratio
    return g_chi, factor, 16.0 / g_chi**2


#: models per chunk in :func:`sigma_v_block` and per block of :func:`mass_blocks` (bounds the
#: memory of the kernels and cross-section arrays)
CHUNK = 64
#: models per chunk with the (smaller) split node sets of the rizzo method
SPLIT_CHUNK = 128


def shape_key(model: DarkSector) -> Hashable:
    """Everything of a model except its masses: models with equal keys can be stacked."""
    return (
        model.alpha_D,
        model.couplings,
        model.fermions,
        model.neutrinos,
        model.per_fermion,
        model.hadrons,
        model.width,
        model.dm_kind,
        model.delta,
    )


def mass_blocks(models: Sequence[DarkSector], chunk: int = CHUNK) -> list[np.ndarray]:
    """Indices of ``models`` in blocks of at most ``chunk`` models that differ only in their
    masses (first-seen order)."""
    groups: dict[Hashable, list[int]] = {}
    for i, m in enumerate(models):
        groups.setdefault(shape_key(m), []).append(i)
    return [
        np.asarray(idx[k : k + chunk]) for idx in groups.values() for k in range(0, len(idx), chunk)
    ]


def stack(models: Sequence[DarkSector], idx: np.ndarray) -> DarkSector:
    """One DarkSector with masses of shape (len(idx), 1) for models of one mass block."""
    m_V = np.array([float(models[i].m_V) for i in idx])[:, None]
    m_DM = np.array([float(models[i].m_DM) for i in idx])[:, None]
    return models[int(idx[0])].replace(m_V=m_V, m_DM=m_DM)


def sigma_v_block(
    block: DarkSector,
    x: np.ndarray,
    chunk: int | None = None,
    quad: Quadrature | SplitQuadrature = FULL,
    widths: np.ndarray | None = None,
) -> np.ndarray:
    """<sigma v>(x) [GeV^-2] of the N models of one mass block (``block``: masses of shape
    (N, 1)) on one increasing x grid, shape (N, len(x)): the total widths, special points and
    node sets of all N models at once, then, by chunks of ``chunk`` models (default
    :data:`CHUNK`, :data:`SPLIT_CHUNK` for split node sets) with similar node counts (little
    padding), kernels and cross sections as array operations
    (:class:`ThermalGrid`). ``quad``: the node sets (default :data:`FULL`; :data:`RIZZO` for
    the x_F method, :func:`node_sets`);
    ``widths``: the models' total widths [GeV] (N,) if already known."""
    x = _check_x(x)
    if chunk is None:
        chunk = SPLIT_CHUNK if isinstance(quad, SplitQuadrature) else CHUNK
    m_V = np.asarray(block.m_V, dtype=float)
    m_DM = np.asarray(block.m_DM, dtype=float)
    n = m_DM.shape[0]
    if widths is None:
        widths = np.broadcast_to(total_width(block), (n, 1))[:, 0]
    gamma, weight, size, shared = node_sets(
        float(x[0]), float(x[-1]), special_arrays(block, widths), n, quad
    )
    order = np.argsort(size, kind="stable")
    out = np.empty((n, len(x)))
    density = counting(block, x)[2] if block.dm_kind == "pseudo_dirac" else None
    for k in range(0, n, chunk):
        idx = order[k : k + chunk]
        sub = block.replace(m_V=m_V[idx], m_DM=m_DM[idx])
        grid = ThermalGrid.from_nodes(
            m_DM[idx, 0], x, gamma[idx], weight[idx], size[idx], shared[idx], quad
        )
        sigma = cross_section(sub, grid.s, widths[idx, None])
        if density is not None:
            sigma = sigma * coannihilation_weight(sub, grid.s)
            out[idx] = grid.average(sigma) * density
        else:
            out[idx] = grid.average(sigma)
    return out


def sigma_v_many(
    models: Sequence[DarkSector] | DarkSector,
    x: np.ndarray,
    quad: Quadrature | SplitQuadrature = FULL,
) -> np.ndarray:
    """<sigma v>(x) [GeV^-2] of many scalar models on one increasing x grid, shape
    (len(models), len(x)): the numbers of :func:`sigma_v` model by model (same nodes and K_1e;
    to < 1e-14, module docstring), computed by mass blocks (:func:`mass_blocks`,
    :func:`sigma_v_block`). ``models`` may also
    be one DarkSector with array masses (m_V and m_DM broadcast together, flattened in C
    order): then it is one mass block and no scalar models are built. ``quad``: the node sets
    (:data:`FULL`, or :data:`RIZZO` for the x_F method: docs/physics.md §5.G)."""
    x = _check_x(x)
    if isinstance(models, DarkSector):
        m_V, m_DM = np.broadcast_arrays(np.asarray(models.m_V), np.asarray(models.m_DM))
        block = models.replace(
            m_V=m_V.astype(float).reshape(-1, 1), m_DM=m_DM.astype(float).reshape(-1, 1)
        )
        return sigma_v_block(block, x, quad=quad)
    out = np.empty((len(models), len(x)))
    for idx in mass_blocks(models, chunk=max(len(models), 1)):
        out[idx] = sigma_v_block(stack(models, idx), x, quad=quad)
    return out
