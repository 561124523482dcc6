"""Exclusive-channel vector-meson-dominance (VMD) description of e+e- -> hadrons below ~2 GeV.

R_c(sqrt s) = sigma(e+e- -> c) / sigma_pt(e+e- -> mu+mu-), sigma_pt = 4 pi alpha^2 / (3 s), for
the channels c of :data:`VMD_CHANNELS` (docs/physics.md §3.7). The sum
:func:`r_vmd` is smooth by construction: its only local extrema are the physical resonance
structures (rho-omega, phi, the rho(1450)/rho(1700) region). Every parameter carries its
published source next to it; the same strategy as DarkCast (Ilten, Soreq, Williams, Xue,
arXiv:1801.04847, App. A), which fits the exclusive channels with VMD and takes the
multi-hadron remainder from data.

* ``pi+pi-``: the Gounaris-Sakurai (GS) form factor with rho(770) + rho(1450) + rho(1700)
  (Kuhn-Santamaria combination) of Belle, M. Fujikawa et al., PRD 78 (2008) 072006, Table VII
  (fit with F_pi(0) = 1 fixed), times the rho-omega interference factor of Czyz, Grzelinska,
  Kuhn, PRD 81 (2010) 094014 (c_omega, phase, m_omega, Gamma_omega of their fit).
  R = beta_pi^3 |F_pi|^2 / 4.
* ``pi+pi-pi0``, ``K K`` (K+K- and K_S K_L), ``pi0 gamma``, ``eta gamma``: relativistic
  Breit-Wigners of the omega(782) and phi(1020) with the PDG 2020 masses, total widths,
  Gamma(V -> e+e-) and branching fractions (P.A. Zyla et al., PTEP 2020, 083C01):
  R = 9 m^2 Gamma_ee Gamma_f(s) / (alpha^2 [(s - m^2)^2 + m^2 Gamma^2]),
  which equals 12 pi Gamma_ee Gamma_f / (m^2 Gamma^2) x 3s/(4 pi alpha^2) on the peak.
  The energy dependence of Gamma_f(s): P-wave two-body p^3/s for V -> K K, p_gamma^3 for the
  magnetic-dipole V -> P gamma, and the 3-body phase space with the G-parity-allowed
  |p_+ x p_-|^2 matrix element for V -> 3 pi. In ``pi+pi-pi0`` the omega and phi amplitudes
  are added coherently, with the omega-phi relative phase of the CMD-2 fit to
  e+e- -> pi+pi-pi0 (Akhmetshin et al., Phys. Lett. B 434 (1998) 426: 162 deg), each amplitude
  normalized to its own PDG peak (:func:`r_three_pion`); the other modes are single resonances
  (the rho contribution to pi0 gamma / eta gamma is left out, as in DarkCast's pi0 gamma
  channel).
* ``multi-hadron``: everything else (4 pi, K K pi, omega pi, eta pi pi, 5 pi, 6 pi and the
  rho', omega', phi' excitations of the channels above): a data-driven smooth remainder, as
  DarkCast's "other" channel: a cubic B-spline with non-negative coefficients times the
  four-pion threshold factor, FITTED to the PDG RPP 2020 R compilation minus the exclusive
  channels for 0.9 < sqrt(s) < 2.45 GeV outside the phi peak (tools/fit_hadron_continuum.py).

Valid for m_pi0 < sqrt(s) < 2 GeV; :mod:`darkmoments.physics.rratio` joins it to the data /
parton-model R above (crossover window documented there). All energies in GeV.
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
from scipy.interpolate import BSpline

from darkmoments.constants import ALPHA, M_ETA, M_PI0, M_PI_CHARGED

#: Charged / neutral kaon masses (GeV) [PDG 2020].
M_K_CHARGED = 0.493677
M_K0 = 0.497611

#: Belle GS fit with F_pi(0) = 1 fixed [Fujikawa et al., PRD 78 (2008) 072006, Table VII]:
#: (mass GeV, width GeV) of rho(770), rho(1450), rho(1700); |beta|, arg beta (deg); |gamma|,
#: arg gamma (deg) are the rho(1450) and rho(1700) admixtures.
BELLE_RHO = ((0.7746, 0.1481), (1.446, 0.434), (1.728, 0.164))
BELLE_BETA = (0.15, 202.0)
BELLE_GAMMA = (0.037, 24.0)
#: rho-omega interference in e+e- -> pi+pi-: |c_omega|, arg c_omega (rad), m_omega, Gamma_omega
#: (GeV) [Czyz, Grzelinska, Kuhn, PRD 81 (2010) 094014, fit used in PHOKHARA].
CGK_OMEGA = (1.87e-3, 0.106, 0.7824, 0.00833)

#: Narrow-resonance parameters [PDG 2020]: mass, total width (GeV), BR(e+e-).
RESONANCES: dict[str, tuple[float, float, float]] = {
    "omega": (0.78265, 0.00849, 7.38e-5),
    "phi": (1.019461, 0.004249, 2.973e-4),
}
#: Branching fractions [PDG 2020] of the modes described by Breit-Wigners. ``pi+pi-pi0`` of
#: the phi is its rho pi + pi+pi-pi0 total.
BRANCHING: dict[tuple[str, str], float] = {
    ("omega", "pi+pi-pi0"): 0.892,
    ("omega", "pi0 gamma"): 0.0835,
    ("omega", "eta gamma"): 4.5e-4,
    ("phi", "K+K-"): 0.492,
    ("phi", "KS KL"): 0.340,
    ("phi", "pi+pi-pi0"): 0.1524,
    ("phi", "eta gamma"): 0.01303,
    ("phi", "pi0 gamma"): 1.32e-3,
}

#: omega-phi relative phase (degrees) in e+e- -> pi+pi-pi0: CMD-2, R.R. Akhmetshin et al., "Study
#: of the phi -> pi+pi-pi0 with CMD-2 detector", Phys. Lett. B 434 (1998) 426, delta_(phi-omega) =
#: 162 +- 17 deg, defined by sigma_3pi ~ |1/D_omega + A e^(i delta)/D_phi|^2, A > 0,
#: D_V = m_V^2 - s - i sqrt(s) Gamma_V(s) (the convention as written out by N.N. Achasov,
#: A.A. Kozhevnikov, "Measuring the finite width and unitarity corrections to the phi omega mixing
#: amplitude"). We keep fixed widths, m Gamma: docs/physics.md §3.7 measures the difference.
OMEGA_PHI_PHASE_3PI = 162.0

#: Multi-hadron remainder: cubic B-spline in sqrt(s) (GeV) on uniform knots 0.85-2.45 GeV
#: (step 0.1 GeV) times the four-pion threshold factor; non-negative coefficients FITTED to the
#: PDG RPP 2020 R compilation minus the exclusive channels (tools/fit_hadron_continuum.py).
MULTI_HADRON_KNOTS = tuple(round(0.85 + 0.1 * i, 2) for i in range(17))
MULTI_HADRON_COEFFS: tuple[float, ...] = (
    0.0000,
    0.0000,
    0.3935,
    0.7133,
    1.4019,
    1.8811,
    2.4336,
    3.6206,
    3.7397,
    4.2666,
    3.4106,
    2.9045,
    2.8507,
    3.1283,
    3.0254,
    2.9270,
    2.5174,
    3.2256,
    2.5633,
)
VMD_CHANNELS = ("pi+pi-", "pi+pi-pi0", "K K", "pi0 gamma", "eta gamma", "multi-hadron")
#: Upper end (GeV) of the VMD description.
VMD_MAX = 2.3


def _p_two_body(sqrt_s: np.ndarray, m1: float, m2: float) -> np.ndarray:
    """Momentum (GeV) of either daughter in the rest frame of a system of mass sqrt_s."""
    s = sqrt_s * sqrt_s
    lam = np.where(sqrt_s > m1 + m2, (s - (m1 + m2) ** 2) * (s - (m1 - m2) ** 2), 0.0)
    return np.sqrt(lam) / (2.0 * np.maximum(sqrt_s, 1e-300))


def gounaris_sakurai(s: np.ndarray, m: float, gamma: float, m_pi: float = M_PI_CHARGED):
    """Gounaris-Sakurai propagator normalized to 1 at s = 0 [Gounaris, Sakurai, PRL 21 (1968)
    244; the form of Fujikawa et al. (2008) Eqs. 6-11]: (m^2 + d m Gamma) / (m^2 - s + f(s)
    - i sqrt(s) Gamma(s)), Gamma(s) = Gamma (m^2/s) (p/p_m)^3. Valid for s > 4 m_pi^2."""
    s = np.asarray(s, dtype=float)
    rs = np.sqrt(s)
    p = 0.5 * np.sqrt(np.clip(s - 4 * m_pi**2, 0.0, None))
    pm = 0.5 * math.sqrt(m * m - 4 * m_pi**2)
    h = 2.0 / math.pi * p / rs * np.log((rs + 2 * p) / (2 * m_pi))
    hm = 2.0 / math.pi * pm / m * math.log((m + 2 * pm) / (2 * m_pi))
    dh = hm * (1.0 / (8 * pm**2) - 1.0 / (2 * m * m)) + 1.0 / (2 * math.pi * m * m)
    f = gamma * m * m / pm**3 * (p**2 * (h - hm) + (m * m - s) * pm**2 * dh)
    d = (
        3.0 / math.pi * m_pi**2 / pm**2 * math.log((m + 2 * pm) / (2 * m_pi))
        + m / (2 * math.pi * pm)
        - m_pi**2 * m / (math.pi * pm**3)
    )
    width = gamma * (m * m / s) * (p / pm) ** 3
    return (m * m + d * m * gamma) / (m * m - s + f - 1j * rs * width)


def pion_form_factor(sqrt_s: np.ndarray) -> np.ndarray:
    """F_pi(s) for e+e- -> pi+pi- (complex): Belle GS rho + rho' + rho'' with the CGK
    rho-omega factor (1 + c_omega BW_omega)/(1 + c_omega); F_pi(0) = 1."""
    s = np.asarray(sqrt_s, dtype=float) ** 2
    (m1, g1), (m2, g2), (m3, g3) = BELLE_RHO
    beta = BELLE_BETA[0] * np.exp(1j * math.radians(BELLE_BETA[1]))
    gam = BELLE_GAMMA[0] * np.exp(1j * math.radians(BELLE_GAMMA[1]))
    c_om, ph_om, m_om, g_om = CGK_OMEGA
    c = c_om * np.exp(1j * ph_om)
    bw_om = m_om**2 / (m_om**2 - s - 1j * m_om * g_om)
    rho = gounaris_sakurai(s, m1, g1) * (1.0 + c * bw_om) / (1.0 + c)
    return (rho + beta * gounaris_sakurai(s, m2, g2) + gam * gounaris_sakurai(s, m3, g3)) / (
        1.0 + beta + gam
    )


def r_pipi(sqrt_s: np.ndarray) -> np.ndarray:
    """R(e+e- -> pi+pi-) = beta^3 |F_pi|^2 / 4, zero below 2 m_pi+."""
    x = np.asarray(sqrt_s, dtype=float)
    open_ = x > 2 * M_PI_CHARGED
    xs = np.where(open_, x, 1.0)
    beta = np.sqrt(1.0 - 4 * M_PI_CHARGED**2 / xs**2)
    return np.where(open_, beta**3 * np.abs(pion_form_factor(xs)) ** 2 / 4.0, 0.0)


@lru_cache(maxsize=1)
def _three_pion_table() -> tuple[np.ndarray, np.ndarray]:
    """(sqrt_s grid, I_3pi): the V -> pi+pi-pi0 width shape s^(-3/2) int dm_{+0}^2 dm_{-0}^2
    |p_+ x p_-|^2 (V rest frame; equal pion masses m_pi+), on a grid up to 2.5 GeV."""
    m = M_PI_CHARGED
    grid = np.linspace(3 * m + 1e-6, 2.5, 600)
    xg, wg = np.polynomial.legendre.leggauss(40)
    out = np.empty_like(grid)
    for i, rs in enumerate(grid):
        s = rs * rs
        # outer: m12^2 = (p+ + p-)^2 between (2m)^2 and (rs - m)^2
        lo, hi = 4 * m * m, (rs - m) ** 2
        m12 = 0.5 * (hi - lo) * xg + 0.5 * (hi + lo)
        w12 = 0.5 * (hi - lo) * wg
        # inner: m23^2 range at fixed m12^2 (standard Dalitz limits)
        e2 = np.sqrt(m12) / 2.0  # energy of p- in the (12) frame
        e3 = (s - m12 - m * m) / (2 * np.sqrt(m12))
        p2 = np.sqrt(np.clip(e2**2 - m * m, 0, None))
        p3 = np.sqrt(np.clip(e3**2 - m * m, 0, None))
        m23_lo = (e2 + e3) ** 2 - (p2 + p3) ** 2
        m23_hi = (e2 + e3) ** 2 - (p2 - p3) ** 2
        m23 = 0.5 * (m23_hi - m23_lo)[:, None] * xg + 0.5 * (m23_hi + m23_lo)[:, None]
        w23 = 0.5 * (m23_hi - m23_lo)[:, None] * wg
        m13 = s + 3 * m * m - m12[:, None] - m23
        # V rest-frame energies of pi+ (1) and pi- (2): E_i = (s + m^2 - m_jk^2) / (2 rs)
        E1 = (s + m * m - m23) / (2 * rs)
        E2 = (s + m * m - m13) / (2 * rs)
        q1 = np.clip(E1**2 - m * m, 0, None)
        q2 = np.clip(E2**2 - m * m, 0, None)
        dot = E1 * E2 - (m12[:, None] - 2 * m * m) / 2.0
        cross2 = np.clip(q1 * q2 - dot**2, 0, None)
        out[i] = np.sum(w12[:, None] * w23 * cross2) / s**1.5
    return grid, out


@lru_cache(maxsize=1)
def _three_pion_lookup() -> UniformTable:
    return UniformTable(*_three_pion_table())


def _three_pion_shape(sqrt_s: np.ndarray, m_V: float) -> np.ndarray:
    """Gamma_3pi(s) / Gamma_3pi(m_V^2) from the tabulated phase-space integral (linear
    interpolation; zero below the table, its last value above)."""
    table = _three_pion_lookup()
    x = np.asarray(sqrt_s, dtype=float)
    return table(x)[0] / float(table(np.asarray(m_V, dtype=float))[0])


def _width_shape(channel: str, sqrt_s: np.ndarray, m_V: float) -> np.ndarray:
    """Gamma_f(s) / Gamma_f(m_V^2) for one mode (see the module docstring)."""
    x = np.asarray(sqrt_s, dtype=float)
    if channel == "pi+pi-pi0":
        return _three_pion_shape(x, m_V)
    if channel in ("K+K-", "KS KL"):
        mk = M_K_CHARGED if channel == "K+K-" else M_K0
        p = _p_two_body(x, mk, mk)
        pm = float(_p_two_body(np.asarray(m_V), mk, mk))
        return (p / pm) ** 3 * m_V**2 / np.maximum(x * x, 1e-300)
    mp = M_PI0 if channel == "pi0 gamma" else M_ETA
    p = _p_two_body(x, mp, 0.0)
    pm = float(_p_two_body(np.asarray(m_V), mp, 0.0))
    return (p / pm) ** 3


def r_resonance(sqrt_s: np.ndarray, resonance: str, mode: str) -> np.ndarray:
    """R of e+e- -> V -> mode through one relativistic Breit-Wigner (module docstring)."""
    m, gamma, br_ee = RESONANCES[resonance]
    x = np.asarray(sqrt_s, dtype=float)
    s = x * x
    gamma_f = gamma * BRANCHING[(resonance, mode)] * _width_shape(mode, x, m)
    gamma_ee = gamma * br_ee
    return 9.0 * m * m * gamma_ee * gamma_f / (ALPHA**2 * ((s - m * m) ** 2 + (m * gamma) ** 2))


def bw_amplitude(sqrt_s: np.ndarray, resonance: str, mode: str) -> np.ndarray:
    """Complex amplitude a_V(s) of one resonance in one mode (sqrt_s in GeV), normalized so
    that |a_V|^2 Gamma_f(s)/Gamma_f(m^2) = :func:`r_resonance` (docs/physics.md §3.7):
    a_V = 3 m sqrt(Gamma_ee Gamma_f) / (alpha (m^2 - s - i m Gamma)), fixed total width."""
    m, gamma, br_ee = RESONANCES[resonance]
    s = np.asarray(sqrt_s, dtype=float) ** 2
    gamma_f = gamma * BRANCHING[(resonance, mode)]
    return 3.0 * m * math.sqrt(gamma * br_ee * gamma_f) / (ALPHA * (m * m - s - 1j * m * gamma))


def r_three_pion(sqrt_s: np.ndarray | float) -> np.ndarray:
    """R(e+e- -> pi+pi-pi0) from the coherent omega + phi sum (sqrt_s in GeV; docs/physics.md
    §3.7): R = I(s) |a_omega(s)/sqrt(I(m_omega^2)) + e^(i delta) a_phi(s)/sqrt(I(m_phi^2))|^2,
    I the G-parity-allowed 3-pion phase-space integral (:func:`_three_pion_table`), delta =
    :data:`OMEGA_PHI_PHASE_3PI`. Each term alone is :func:`r_resonance` (its PDG peak
    9 B_ee B_3pi / alpha^2); the cross term is the omega-phi interference: constructive between
    the two peaks, destructive above the phi."""
    x = np.asarray(sqrt_s, dtype=float)
    table = _three_pion_lookup()
    peaks = table(np.array([RESONANCES["omega"][0], RESONANCES["phi"][0]]))[0]
    phase = np.exp(1j * math.radians(OMEGA_PHI_PHASE_3PI))
    omega = bw_amplitude(x, "omega", "pi+pi-pi0") / math.sqrt(float(peaks[0]))
    amp = omega + phase * bw_amplitude(x, "phi", "pi+pi-pi0") / math.sqrt(float(peaks[1]))
    return table(x)[0] * np.abs(amp) ** 2


def _spline_knots() -> np.ndarray:
    k = np.asarray(MULTI_HADRON_KNOTS)
    return np.concatenate([[k[0]] * 3, k, [k[-1]] * 3])


def _four_pion_threshold(sqrt_s: np.ndarray) -> np.ndarray:
    """(1 - s_0/s)^4 with s_0 = (4 m_pi+)^2: zero at the 4 pi threshold, ~1 above 1.5 GeV."""
    s = np.asarray(sqrt_s, dtype=float) ** 2
    s0 = (4 * M_PI_CHARGED) ** 2
    return np.clip(1.0 - s0 / np.maximum(s, s0), 0.0, None) ** 4


def multi_hadron_design(sqrt_s: np.ndarray) -> np.ndarray:
    """Design matrix (len(sqrt_s), n_coeffs) of the multi-hadron term (for the fit tool)."""
    x = np.atleast_1d(np.asarray(sqrt_s, dtype=float))
    t = _spline_knots()
    n = len(t) - 4
    inside = (x >= t[0]) & (x <= t[-1])
    out = np.zeros((len(x), n))
    if np.any(inside):
        dm = BSpline.design_matrix(x[inside], t, 3).toarray()
        out[inside] = dm * _four_pion_threshold(x[inside])[:, None]
    return out


def r_multi_hadron(sqrt_s: np.ndarray) -> np.ndarray:
    """R of everything not modelled exclusively (fitted smooth remainder; module docstring);
    zero outside the knot range."""
    x = np.asarray(sqrt_s, dtype=float)
    t = _spline_knots()
    spline = BSpline(t, np.asarray(MULTI_HADRON_COEFFS), 3, extrapolate=False)
    vals = np.nan_to_num(spline(x), nan=0.0)
    return np.where((x >= t[0]) & (x <= t[-1]), vals, 0.0) * _four_pion_threshold(x)


def r_channels_exact(sqrt_s: np.ndarray | float) -> dict[str, np.ndarray]:
    """R per channel of :data:`VMD_CHANNELS` at sqrt_s (GeV, any shape), evaluated directly."""
    x = np.asarray(sqrt_s, dtype=float)
    return {
        "pi+pi-": r_pipi(x),
        "pi+pi-pi0": r_three_pion(x),
        "K K": r_resonance(x, "phi", "K+K-") + r_resonance(x, "phi", "KS KL"),
        "pi0 gamma": r_resonance(x, "omega", "pi0 gamma") + r_resonance(x, "phi", "pi0 gamma"),
        "eta gamma": r_resonance(x, "omega", "eta gamma") + r_resonance(x, "phi", "eta gamma"),
        "multi-hadron": r_multi_hadron(x),
    }


#: Node spacing (GeV) of the cached tables that :func:`r_channels` / :func:`r_vmd` interpolate
#: linearly: 0.1 MeV, i.e. 1/42 of the phi half-width (peak interpolation error < 1e-3).
TABLE_STEP = 1e-4


@lru_cache(maxsize=1)
def _tables() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(nodes, per-channel R (n_channels, n_nodes), total R) on [m_pi0, VMD_MAX]."""
    nodes = np.arange(M_PI0, VMD_MAX + TABLE_STEP, TABLE_STEP)
    exact = r_channels_exact(nodes)
    per = np.array([exact[k] for k in VMD_CHANNELS])
    return nodes, per, per.sum(axis=0)


@lru_cache(maxsize=1)
def _lookups() -> tuple[UniformTable, UniformTable]:
    """The tables of :func:`_tables` as :class:`UniformTable` (per channel; total)."""
    nodes, per, total = _tables()
    return UniformTable(nodes, per), UniformTable(nodes, total)


def r_channels(sqrt_s: np.ndarray | float) -> dict[str, np.ndarray]:
    """R per channel of :data:`VMD_CHANNELS` (GeV input, any shape), linearly interpolated in
    the cached 0.1-MeV tables of :func:`r_channels_exact` (zero below m_pi0; direct evaluation
    above VMD_MAX). The channels sum to :func:`r_vmd` to rounding."""
    x = np.asarray(sqrt_s, dtype=float)
    table = _lookups()[0]
    vals = table(x)
    if np.any(x > table.x_max):
        exact = r_channels_exact(x)
        return {k: np.where(x > table.x_max, exact[k], vals[i]) for i, k in enumerate(VMD_CHANNELS)}
    return dict(zip(VMD_CHANNELS, vals, strict=True))


def r_vmd(sqrt_s: np.ndarray | float) -> np.ndarray:
    """Total VMD R(sqrt s) = sum of :func:`r_channels` (same tables and interpolation)."""
    x = np.asarray(sqrt_s, dtype=float)
    table = _lookups()[1]
    if np.any(x > table.x_max):
        return sum(r_channels(x).values())  # type: ignore[return-value]
    return table(x)[0]


#: :class:`UniformTable` evaluates inputs in slices of this many values (the temporaries stay
#: in the CPU cache) and hands inputs smaller than LOOKUP_MIN to np.interp
LOOKUP_SLICE = 8192
LOOKUP_MIN = 256


class UniformTable:
    """Linear interpolation in tables on uniformly spaced nodes by direct index: the numbers
    of ``np.interp(x, nodes, values[k], left=0.0)`` bit for bit (np.interp's interval
    x_j <= x < x_(j+1) and its formula slope_j (x - x_j) + y_j, slope_j = (y_(j+1) - y_j) /
    (x_(j+1) - x_j); the last value at and above the last node; nan for nan) without its binary
    search: j = floor((x - x_0)/h), then one comparison with the actual nodes on each side
    (the nodes of np.arange / np.linspace differ from x_0 + j h by rounding). All the tables
    share the index. Measured (benchmarks/bench_r_table.py): about np.interp's cost where x
    comes in increasing runs (its search then starts at the previous interval), 2-6x less in
    random order and for several tables at once.

    ``nodes`` (n,) increasing and uniform (every node within 1e-6 h of x_0 + j h, checked);
    ``values`` (n,) or (m, n): m tables on these nodes. Calling it with x of any shape returns
    the m interpolated arrays (a list), each of the shape of x."""

    def __init__(self, nodes: np.ndarray, values: np.ndarray) -> None:
        nodes = np.asarray(nodes, dtype=float)
        values = np.atleast_2d(np.asarray(values, dtype=float))
        n = nodes.size
        if n < 2 or values.shape[1] != n:
            raise ValueError(
                f"nodes of size {n} is invalid: allowed >= 2 nodes, one per table column"
            )
        h = (nodes[-1] - nodes[0]) / (n - 1)
        if not (h > 0 and np.all(np.abs(nodes - (nodes[0] + h * np.arange(n))) < 1e-6 * h)):
            raise ValueError("nodes = a non-uniform array is invalid: allowed uniform spacing")
        self.x_min = float(nodes[0])
        self.x_max = float(nodes[-1])
        self.inv_h = 1.0 / h
        self.n = n
        # one node of padding; the last node's interval has slope 0 (value y_(n-1) there)
        self.nodes = np.append(nodes, nodes[-1] + h)
        slopes = np.diff(values, axis=1) / np.diff(nodes)
        self.slopes = [np.append(row, 0.0) for row in slopes]
        self.values = [np.ascontiguousarray(row) for row in values]

    def __call__(self, x: np.ndarray) -> list[np.ndarray]:
        x = np.asarray(x, dtype=float)
        flat = x.ravel()
        if flat.size < LOOKUP_MIN:  # np.interp itself (the same numbers; less call overhead)
            nodes = self.nodes[: self.n]
            return [
                np.asarray(np.interp(flat, nodes, y, left=0.0)).reshape(x.shape)
                for y in self.values
            ]
        out = [np.empty(flat.size) for _ in self.values]
        for lo in range(0, flat.size, LOOKUP_SLICE):
            part = flat[lo : lo + LOOKUP_SLICE]
            for dest, val in zip(out, self._lookup(part), strict=True):
                dest[lo : lo + LOOKUP_SLICE] = val
        return [o.reshape(x.shape) for o in out]

    def _lookup(self, x: np.ndarray) -> list[np.ndarray]:
        """The interpolated tables at a 1-D x (one cache-sized slice)."""
        inside = bool(x.min() >= self.x_min and x.max() <= self.x_max)  # False with a nan
        with np.errstate(invalid="ignore"):  # nan -> any cell, then nan again
            xin = x if inside else np.clip(x, self.x_min, self.x_max)
            j = ((xin - self.x_min) * self.inv_h).astype(np.intp)
        np.clip(j, 0, self.n - 1, out=j)
        j -= np.take(self.nodes, j) > xin
        j += np.take(self.nodes, j + 1) <= xin
        dx = xin - np.take(self.nodes, j)
        below = None if inside else x < self.x_min
        out = []
        for slope, y in zip(self.slopes, self.values, strict=True):
            val = np.take(slope, j)
            val *= dx
            val += np.take(y, j)
            if below is not None:
                val[below] = 0.0
            out.append(val)
        return out
