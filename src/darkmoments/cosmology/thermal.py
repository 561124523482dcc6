"""Thermally averaged annihilation rate <sigma v_Mol>(x), x = m_DM / T.

Gondolo & Gelmini, Nucl. Phys. B360 (1991) 145, in Rizzo's form (arXiv:2106.11150 Eq. 10;
docs/physics.md §5.1), Maxwell-Boltzmann statistics:

    <sigma v>(x) = (8 x / K_2(x)^2) Int_1^inf dgamma gamma^2 (gamma^2 - 1) K_1(2 gamma x) sigma(s),
    s = 4 m_DM^2 gamma^2.

Numerics (robust for x in [1, 1e5], r = 2 m_DM/m_V in [0.1, 2), Gamma_V/m_V down to 1e-12):

* exponentially scaled Bessel functions, K_1(2 gamma x)/K_2(x)^2 = K_1e(2 gamma x)/K_2e(x)^2
  exp(-2x(gamma - 1)), so nothing overflows or underflows before the product;
* composite Gauss-Legendre panels on breakpoints graded geometrically (ratio 2) towards every
  special point: gamma = 1 (p-wave threshold, down to (gamma - 1) = 1e-6 / x_max), the
  s-channel pole gamma_R = 1/r (for r < 1, down to its half width
  w = m_V Gamma_V / (8 m_DM^2 gamma_R), a Lorentzian resolved on every scale from w to O(1)),
  the final-state thresholds and the rho/omega/phi masses when hadrons are on;
* upper limit gamma_max = 1 + 60/x_min (the integrand falls as exp(-2 x (gamma - 1))).

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
from dataclasses import dataclass
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
#: gamma_p: none for that model; side 0: graded on both sides, +1: above only
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
    x_min: float, x_max: float, specials: Specials, n: int, quad: Quadrature = FULL
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """:func:`gamma_nodes` of n models at once (the same nodes, bit for bit): ``specials``
    from :func:`special_arrays`. Returns (gamma (n, G), weight (n, G), size (n,), shared
    (n, G)): each row increasing and padded after its ``size`` nodes with its last node at zero
    weight; ``shared[i, j]`` is the index of the node in the node list of the panels that
    every model has (those between two consecutive breakpoints graded towards gamma = 1,
    :func:`base_nodes`), -1 for the model's own nodes. ``quad``: the grading (default
    :data:`FULL`; the threshold scales of ``specials``, one-sided points, are rescaled by
    quad.threshold_scale / THRESHOLD_SCALE)."""
    g_hi = 1.0 + quad.gamma_span / x_min
    base = base_edges(x_min, x_max, quad)
    grading, n_gauss = quad.grading, quad.n_gauss
    cols: list[np.ndarray] = [np.broadcast_to(base, (n, base.size))]
    for g_p, scale, side in specials:
        g_p = np.broadcast_to(g_p, (n,))
        scale = np.broadcast_to(scale, (n,))
        if side != 0 and quad.threshold_scale != THRESHOLD_SCALE:
            scale = scale * (quad.threshold_scale / THRESHOLD_SCALE)
        with np.errstate(invalid="ignore"):
            use = (1.0 < g_p + scale) & (g_p - scale < g_hi) & (scale > 0)
        use &= np.isfinite(g_p)
        if not use.any():
            continue
        cols.append(np.where(use & (1.0 < g_p) & (g_p < g_hi), g_p, np.nan)[:, None])
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(use, np.maximum(np.maximum(g_hi - g_p, g_p - 1.0) / scale, 1.0), 1.0)
        k_max = int(np.ceil(np.log(np.max(ratio)) / np.log(grading))) + 2
        step = grading ** np.arange(k_max)
        for sd in (+1, -1) if side == 0 else (side,):
            pts = g_p[:, None] + sd * scale[:, None] * step[None, :]
            keep = use[:, None] & (pts > 1.0) & (pts < g_hi)
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
    t, w = _leggauss(n_gauss)
    half = 0.5 * np.diff(edges, axis=1)
    mid = 0.5 * (edges[:, 1:] + edges[:, :-1])
    gamma = (mid[:, :, None] + half[:, :, None] * t).reshape(n, -1)
    weight = (half[:, :, None] * w).reshape(n, -1)
    size = (n_edge - 1) * n_gauss
    last_node = gamma[np.arange(n), size - 1]
    pad_nodes = np.arange(gamma.shape[1])[None, :] >= size[:, None]
    gamma = np.where(pad_nodes, last_node[:, None], gamma)
    weight = np.where(pad_nodes, 0.0, weight)
    # panels whose both ends are consecutive base edges are the same for every model
    pos = np.searchsorted(base, edges)
    on_base = (pos < base.size) & (base[np.minimum(pos, base.size - 1)] == edges)
    shared_panel = on_base[:, :-1] & on_base[:, 1:] & ~pad[:, 1:]
    panel_idx = np.where(shared_panel, pos[:, :-1], -1)
    shared = np.where(
        panel_idx[:, :, None] >= 0,
        panel_idx[:, :, None] * n_gauss + np.arange(n_gauss),
        -1,
    ).reshape(n, -1)
    return gamma, weight, size, shared


def base_edges(x_min: float, x_max: float, quad: Quadrature = FULL) -> np.ndarray:
    """Breakpoints every node set of the x range has: 1, 1 + GAMMA_SPAN/x_min and the
    geometric grading towards gamma = 1."""
    g_hi = 1.0 + quad.gamma_span / x_min
    y_lo = quad.y_lo_factor / x_max
    graded = _graded(1.0, y_lo, 1.0, g_hi, +1, quad.grading)
    return np.unique(np.concatenate([np.array([1.0, g_hi]), graded]))


def base_nodes(
    x_min: float, x_max: float, n_gauss: int = N_GAUSS, quad: Quadrature | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Nodes and weights of the panels between consecutive :func:`base_edges`."""
    if quad is None or quad == FULL:
        return gamma_nodes(x_min, x_max, (), n_gauss)
    edges = base_edges(x_min, x_max, quad)
    t, w = _leggauss(quad.n_gauss)
    half = 0.5 * np.diff(edges)
    mid = 0.5 * (edges[1:] + edges[:-1])
    return (mid[:, None] + half[:, None] * t).ravel(), (half[:, None] * w).ravel()


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
def _base_kernel(x_bytes: bytes, quad: Quadrature = FULL) -> np.ndarray:
    """The kernel on :func:`base_nodes` (with 8x/K_2e(x)^2 and the weights and Jacobian),
    transposed: shape (n_base, len(x)); the x grid given as its float64 bytes (cached: the
    same for every grid)."""
    x = np.frombuffer(x_bytes, dtype=float)
    pref = 8.0 * x / kve(2, x) ** 2
    g_base, w_base = base_nodes(float(x[0]), float(x[-1]), quad=quad)
    jac_base = w_base * g_base * g_base * (g_base * g_base - 1.0)
    base = np.zeros((len(x), g_base.size))
    for k, xk in enumerate(x):
        keep = int(np.searchsorted(g_base, 1.0 + ARG_MAX / (2.0 * xk), side="right"))
        base[k, :keep] = pref[k] * jac_base[:keep] * _k1e_exp(float(xk), g_base[:keep])
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
    def build(cls, m_DM: np.ndarray, x: np.ndarray, specials: Specials) -> ThermalGrid:
        """``specials``: :func:`special_arrays` of the N models."""
        x = _check_x(x)
        m = np.atleast_1d(np.asarray(m_DM, dtype=float))
        nodes = gamma_nodes_many(float(x[0]), float(x[-1]), specials, len(m))
        return cls.from_nodes(m, x, *nodes)

    @classmethod
    def from_nodes(
        cls,
        m_DM: np.ndarray,
        x: np.ndarray,
        gamma: np.ndarray,
        weight: np.ndarray,
        size: np.ndarray,
        shared: np.ndarray,
        quad: Quadrature = FULL,
    ) -> ThermalGrid:
        """The grid of given node sets (:func:`gamma_nodes_many` with grading ``quad``, rows
        may be a selection)."""
        n = len(m_DM)
        size = np.asarray(size)
        G = int(size.max()) if n else 0
        gamma, weight, shared = gamma[:, :G], weight[:, :G], shared[:, :G]
        pref = 8.0 * x / kve(2, x) ** 2
        base = _base_kernel(x.tobytes(), quad)
        # each model's own nodes, compacted to the left in increasing gamma
        is_own = (shared < 0) & (np.arange(G)[None, :] < size[:, None])
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
        counts = np.array([np.searchsorted(row, cut, side="right") for row in g_own])
        L = counts.max(axis=0) if n else np.zeros(len(x), dtype=int)
        if len(x) * n * int(L.max()) <= DENSE_MAX:  # few models: all x at once
            Lm = int(L.max())
            shape = (len(x), n, Lm)
            inside = g_own[None, :, :Lm] <= cut[:, None, None]
            g = np.broadcast_to(g_own[None, :, :Lm], shape)[inside]
            kk = np.broadcast_to(np.arange(len(x))[:, None, None], shape)[inside]
            jj = np.broadcast_to(jac[None, :, :Lm], shape)[inside]
            one = np.zeros(shape)
            one[inside] = pref[kk] * jj * _k1e_exp_all(x[kk], g)
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
    chunk: int = CHUNK,
    quad: Quadrature = FULL,
    widths: np.ndarray | None = None,
) -> np.ndarray:
    """<sigma v>(x) [GeV^-2] of the N models of one mass block (``block``: masses of shape
    (N, 1)) on one increasing x grid, shape (N, len(x)): the total widths, special points and
    node sets of all N models at once, then, by chunks of ``chunk`` models with similar node
    counts (little padding), kernels and cross sections as array operations
    (:class:`ThermalGrid`). ``quad``: the grading of the node sets (default :data:`FULL`);
    ``widths``: the models' total widths [GeV] (N,) if already known."""
    x = _check_x(x)
    m_V = np.asarray(block.m_V, dtype=float)
    m_DM = np.asarray(block.m_DM, dtype=float)
    n = m_DM.shape[0]
    if widths is None:
        widths = np.broadcast_to(total_width(block), (n, 1))[:, 0]
    gamma, weight, size, shared = gamma_nodes_many(
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
        sigma = cross_section(sub, grid.s)
        if density is not None:
            sigma = sigma * coannihilation_weight(sub, grid.s)
            out[idx] = grid.average(sigma) * density
        else:
            out[idx] = grid.average(sigma)
    return out


def sigma_v_many(models: Sequence[DarkSector] | DarkSector, x: np.ndarray) -> np.ndarray:
    """<sigma v>(x) [GeV^-2] of many scalar models on one increasing x grid, shape
    (len(models), len(x)): the numbers of :func:`sigma_v` model by model (same nodes and K_1e;
    to < 1e-14, module docstring), computed by mass blocks (:func:`mass_blocks`,
    :func:`sigma_v_block`). ``models`` may also
    be one DarkSector with array masses (m_V and m_DM broadcast together, flattened in C
    order): then it is one mass block and no scalar models are built."""
    x = _check_x(x)
    if isinstance(models, DarkSector):
        m_V, m_DM = np.broadcast_arrays(np.asarray(models.m_V), np.asarray(models.m_DM))
        block = models.replace(
            m_V=m_V.astype(float).reshape(-1, 1), m_DM=m_DM.astype(float).reshape(-1, 1)
        )
        return sigma_v_block(block, x)
    out = np.empty((len(models), len(x)))
    for idx in mass_blocks(models, chunk=max(len(models), 1)):
        out[idx] = sigma_v_block(stack(models, idx), x)
    return out
