"""Dark-photon decays: V -> f fbar, nu nubar, hadrons, DM DM; total width and branching ratios.

The ``DM`` channel is V -> phi* phi for the complex scalar (Rizzo Sec. 3.1) and, for the fermion
kinds, :func:`darkmoments.physics.dm_decays.width_to_dm` (Dirac chi chibar, Majorana chi chi,
pseudo-Dirac chi_1 chi_2 with threshold m_chi1 + m_chi2 < m_V; docs/physics.md §12.3).

All widths in GeV. ``Q`` is the virtuality (the mass of the decaying V); it defaults to the
model's m_V and may be an array (the couplings are then evaluated at q^2 = Q^2, which is what
the running-width propagator and the annihilation/width identity of docs/physics.md §4.1 need).
"""

from __future__ import annotations

import math

import numpy as np

from darkmoments.constants import FERMIONS, M_PI0
from darkmoments.model import DarkSector
from darkmoments.physics.hadrons import VMD_CHANNELS, r_channels
from darkmoments.physics.rratio import crossover_weight, r_ratio, r_ratio_data
from darkmoments.physics.vertex import LorentzCouplings, lorentz_couplings, vertex_coefficients

#: Channel names used by every output (JSON keys, tables, figures).
CHANNELS = ("e+e-", "mu+mu-", "tau+tau-", "nu", "hadrons", "DM")
LEPTON_CHANNELS = {"e+e-": "e", "mu+mu-": "mu", "tau+tau-": "tau"}
NEUTRINOS = ("nu_e", "nu_mu", "nu_tau")
LIGHT_QUARKS = ("u", "d", "s", "c", "b")


def velocity(Q2: np.ndarray, m: float | np.ndarray) -> np.ndarray:
    """beta = sqrt(1 - 4 m^2 / Q^2), zero below threshold."""
    Q2 = np.asarray(Q2, dtype=float)
    return np.sqrt(np.clip(1.0 - 4.0 * np.asarray(m) ** 2 / Q2, 0.0, None))


def master_function(Q2: np.ndarray, m: float, c: LorentzCouplings) -> np.ndarray:
    """F_f(Q^2) of docs/physics.md §3.1 [derived here, checked against the trace oracle] (GeV^0):

    F = G_V^2 (1 + 2m^2/Q^2) + G_A^2 beta^2 + mu^2 Q^2 (1 + 8m^2/Q^2)/2 + d^2 Q^2 beta^2/2
        + 6 m G_V mu.
    All other cross terms vanish after the spin sums."""
    Q2 = np.asarray(Q2, dtype=float)
    m2 = m * m
    # terms whose couplings vanish everywhere are skipped (they add exact zeros)
    on_V, on_A, on_mu, on_d = (bool(np.asarray(g).any()) for g in (c.G_V, c.G_A, c.mu, c.d))
    b2 = velocity(Q2, m) ** 2 if (on_A or on_d) else 0.0
    out = np.zeros(np.broadcast(Q2, c.G_V, c.G_A, c.mu, c.d).shape)
    if on_V:
        out = out + c.G_V**2 * (1.0 + 2.0 * m2 / Q2)
    if on_A:
        out = out + c.G_A**2 * b2
    if on_mu:
        out = out + 0.5 * c.mu**2 * Q2 * (1.0 + 8.0 * m2 / Q2)
    if on_d:
        out = out + 0.5 * c.d**2 * Q2 * b2
    if on_V and on_mu and m != 0.0:
        out = out + 6.0 * m * c.G_V * c.mu
    return out


def msq_decay(Q: np.ndarray | float, m: float, c: LorentzCouplings) -> np.ndarray:
    """Closed-form |M|^2 for V(Q) -> f fbar summed over V polarizations and fermion spins
    (GeV^2): 4 Q^2 F_f(Q^2) (docs/physics.md §3.1-3.2; 1/3 of it is the polarization average)."""
    Q2 = np.asarray(Q, dtype=float) ** 2
    return 4.0 * Q2 * master_function(Q2, m, c)


def width_to_fermions(Q: np.ndarray, m: float, n_colors: int, c: LorentzCouplings) -> np.ndarray:
    """Gamma(V -> f fbar) = N_c (Q / 12 pi) beta F_f(Q^2) in GeV (docs/physics.md §3.2); zero below
    threshold. KM: N_c alpha eps^2 Q_f^2 Q (1 + 2m^2/Q^2) beta / 3; MDM with mu = g_D/Lambda:
    Gamma/Q = alpha_D Q^2 (1 + 8m^2/Q^2) beta / (6 Lambda^2) (Rizzo Eq. 8 has beta^2 for beta)."""
    Q = np.asarray(Q, dtype=float)
    Q2 = Q * Q
    beta = velocity(Q2, m)
    open_ = Q > 2.0 * m
    F = master_function(np.where(open_, Q2, 4.0 * m * m + 1.0), m, c)
    return np.where(open_, n_colors * Q / (12.0 * math.pi) * beta * F, 0.0)


def width_mdm_rizzo_printed(Q: np.ndarray, m: float, Lambda: float, alpha_D: float) -> np.ndarray:
    """Rizzo Eq. 8 AS PRINTED (named variant): Gamma/Q = alpha_D Q^2 (1 + 8m^2/Q^2)(1 - 4m^2/Q^2)
    / (6 Lambda^2) for V -> f fbar through a magnetic dipole (GeV). The verified width
    (:func:`width_to_fermions`, docs/physics.md §3.2) has beta where Rizzo prints beta^2; the two
    differ by a factor beta (1 - 2e-4 for electrons at m_V = 0.1 GeV)."""
    Q = np.asarray(Q, dtype=float)
    Q2 = Q * Q
    return Q * alpha_D * Q2 / (6.0 * Lambda**2) * (1 + 8 * m * m / Q2) * velocity(Q2, m) ** 2


def width_to_dm(Q: np.ndarray, m_DM: np.ndarray, alpha_D: float) -> np.ndarray:
    """Gamma(V -> phi* phi) = alpha_D Q beta_r^3 / 12, beta_r^2 = 1 - 4 m_DM^2/Q^2 [Rizzo 3.1]."""
    Q = np.asarray(Q, dtype=float)
    return alpha_D * Q * velocity(Q * Q, m_DM) ** 3 / 12.0


def width_to_dm_model(model: DarkSector, Q: np.ndarray) -> np.ndarray:
    """Gamma(V(Q) -> DM DM) [GeV] for the model's DM kind (module docstring); zero below
    threshold (2 m_DM, or m_chi1 + m_chi2 for pseudo-Dirac)."""
    Q = np.asarray(Q, dtype=float)
    if model.dm_kind == "complex_scalar":
        return width_to_dm(Q, np.asarray(model.m_DM, dtype=float), model.alpha_D) * np.ones_like(Q)
    from darkmoments.physics import dm_decays
    from darkmoments.physics.dark_matter import dark_side

    return dm_decays.width_to_dm(dark_side(model), Q) * np.ones_like(Q)


def _massless_coefficients(model: DarkSector, fermion: str) -> tuple[float, float, float]:
    """(A, B, C) with N_c F_f(Q^2; m_f = 0) = A + B Q^2 + C Q^4 for one fermion: at m_f = 0
    the master function (docs/physics.md §3.1) is G_V^2 + G_A^2 + (mu^2 + d^2) Q^2 / 2 with
    G_V = gV + b Q^2, G_A = gA + a Q^2 (:func:`darkmoments.physics.vertex.vertex_coefficients`)."""
    # numpy scalars: a coupling beyond double range gives inf (as the array form does), not an
    # OverflowError of Python floats
    v = {k: np.float64(c) for k, c in vertex_coefficients(model, fermion).items()}
    n = FERMIONS[fermion].n_colors
    return (
        n * (v["gV"] ** 2 + v["gA"] ** 2),
        n * (2.0 * (v["gV"] * v["b"] + v["gA"] * v["a"]) + 0.5 * (v["mu"] ** 2 + v["d"] ** 2)),
        n * (v["b"] ** 2 + v["a"] ** 2),
    )


def _quadratic(A: float, B: float, C: float, Q: np.ndarray) -> np.ndarray:
    """A + B Q^2 + C Q^4 (terms with a zero coefficient skipped: they add exact zeros)."""
    Q2 = Q * Q
    out = np.zeros_like(Q) + A
    if B != 0.0:
        out = out + B * Q2
    if C != 0.0:
        out = out + C * (Q2 * Q2)
    return out


def _massless_sum(model: DarkSector, fermions: tuple[str, ...], Q: np.ndarray) -> np.ndarray:
    """sum_f N_c F_f(Q^2; m_f = 0) over ``fermions`` (active flag applied by the caller): the
    polynomial of :func:`_massless_coefficients` with the fermions' coefficients summed."""
    A = B = C = 0.0
    for f in fermions:
        a, b, c = _massless_coefficients(model, f)
        A, B, C = A + a, B + b, C + c
    return _quadratic(A, B, C, np.asarray(Q, dtype=float))


def _r_scale(model: DarkSector, Q: np.ndarray) -> np.ndarray:
    """(Q / 12 pi) sum_q N_c F_q / sum_q N_c Q_q^2 over active quarks (massless F): the factor
    that turns R into Gamma(V -> hadrons) in the ``r_scaled`` prescription (GeV). In the order
    of their thresholds the quarks active at Q are the first k(Q), so both sums are cumulative
    sums of per-quark constants (:func:`_massless_coefficients`; the denominator N_c Q_q^2)
    taken at k(Q)."""
    Q = np.asarray(Q, dtype=float)
    quarks = sorted(LIGHT_QUARKS, key=lambda q: FERMIONS[q].threshold)  # u d s c b (stable)
    thresholds = [FERMIONS[q].threshold for q in quarks]
    cum = np.zeros((len(quarks) + 1, 4))
    for i, q in enumerate(quarks):
        f = FERMIONS[q]
        cum[i + 1] = cum[i] + (*_massless_coefficients(model, q), f.n_colors * f.charge**2)
    k = np.searchsorted(thresholds, Q, side="left")  # number of thresholds below Q
    num = np.take(cum[:, 0], k)
    if np.any(cum[:, 1] != 0.0):
        num = num + np.take(cum[:, 1], k) * (Q * Q)
    if np.any(cum[:, 2] != 0.0):
        num = num + np.take(cum[:, 2], k) * (Q * Q * (Q * Q))
    return Q / (12.0 * math.pi) * num / np.take(cum[:, 3], k)


def hadronic_width(model: DarkSector, Q: np.ndarray | None = None) -> np.ndarray:
    """Gamma(V -> hadrons) in GeV (docs/physics.md §3.4).

    ``r_scaled`` (default): Gamma = (Q/12pi) R(Q) sum_q N_c F_q / sum_q N_c Q_q^2 over active
    quarks (massless F), with R of :func:`darkmoments.physics.rratio.r_ratio` (smooth VMD
    channels below 2 GeV, including V -> pi0 gamma and eta gamma, so the channel opens at
    m_pi0). Exact by unitarity for KM and for couplings proportional to the quark charges
    (KM: alpha eps^2 Q R / 3); for other flavour patterns and for dipole / axial couplings to
    quarks it is an APPROXIMATION (every hadronic channel scaled by the same parton-level
    ratio kappa of the spec). ``parton``: free quarks with constituent masses. ``none``: zero.
    """
    Q = np.asarray(model.m_V if Q is None else Q, dtype=float)
    if model.hadrons == "none":
        return np.zeros_like(Q)
    if model.hadrons == "parton":
        total = np.zeros_like(Q)
        for q in (*LIGHT_QUARKS, "t"):
            f = FERMIONS[q]
            total = total + width_to_fermions(
                Q, f.mass, f.n_colors, lorentz_couplings(model, q, Q * Q)
            )
        return total
    return _r_scale(model, Q) * r_ratio(Q)


#: Keys of :func:`hadronic_breakdown`: the VMD channels plus the data/parton R above 2 GeV.
HADRONIC_CHANNELS = (*VMD_CHANNELS, "R data/parton")


def hadronic_breakdown(model: DarkSector, Q: np.ndarray | None = None) -> dict[str, np.ndarray]:
    """Gamma(V -> hadrons) split by final state (GeV), keyed by :data:`HADRONIC_CHANNELS`
    (``r_scaled`` prescription; the values sum to :func:`hadronic_width`). ``pi0 gamma`` is the
    only open channel for m_pi0 < Q < 2 m_pi+; ``eta gamma`` opens at m_eta.
    For ``parton`` the whole width is under ``R data/parton``; for ``none`` all are zero."""
    Q = np.asarray(model.m_V if Q is None else Q, dtype=float)
    if model.hadrons != "r_scaled":
        zero = np.zeros_like(Q)
        out = {k: zero for k in VMD_CHANNELS}
        out["R data/parton"] = hadronic_width(model, Q)
        return out
    scale = _r_scale(model, Q)
    w = crossover_weight(Q)
    out = {k: scale * (1.0 - w) * r for k, r in r_channels(Q).items()}
    data = np.where(w > 0, r_ratio_data(np.where(w > 0, Q, 3.0)), 0.0)
    out["R data/parton"] = scale * w * data
    return out


def partial_widths(
    model: DarkSector, Q: np.ndarray | None = None, channels: tuple[str, ...] = CHANNELS
) -> dict[str, np.ndarray]:
    """The partial widths (GeV) of ``channels`` (default all of :data:`CHANNELS`), keyed by
    channel in the order of :data:`CHANNELS`; closed channels are zero.

    ``nu`` sums the three Dirac neutrinos when the model enables them (Rizzo's F, Sec. 3.1)."""
    unknown = [c for c in channels if c not in CHANNELS]
    if unknown:
        raise ValueError(f"channels = {unknown!r} is invalid: allowed a subset of {list(CHANNELS)}")
    Q = np.asarray(model.m_V if Q is None else Q, dtype=float)
    out: dict[str, np.ndarray] = {}
    for channel, f in LEPTON_CHANNELS.items():
        if channel in channels:
            c = lorentz_couplings(model, f, Q * Q)
            out[channel] = width_to_fermions(Q, FERMIONS[f].mass, 1, c)
    if "nu" in channels:
        out["nu"] = Q / (12.0 * math.pi) * _massless_sum(model, NEUTRINOS, Q)
    if "hadrons" in channels:
        out["hadrons"] = hadronic_width(model, Q)
    if "DM" in channels:
        out["DM"] = width_to_dm_model(model, Q)
    return out


def threshold(model: DarkSector, channel: str) -> np.ndarray:
    """Kinematic threshold (GeV) of a channel."""
    if channel in LEPTON_CHANNELS:
        return np.asarray(2.0 * FERMIONS[LEPTON_CHANNELS[channel]].mass)
    if channel == "hadrons":
        return np.asarray(M_PI0)  # V -> pi0 gamma opens first
    if channel == "DM":
        m = np.asarray(model.m_DM, dtype=float)
        return m * (2.0 + model.delta)
    if channel == "nu":
        return np.asarray(0.0)
    raise ValueError(f"channel = {channel!r} is invalid: allowed one of {list(CHANNELS)}")


def partial_width(model: DarkSector, channel: str) -> np.ndarray:
    """One partial width (GeV) at the model's m_V; raises ValueError if m_V is below the
    channel's threshold (a channel asked for explicitly must be open)."""
    thr = threshold(model, channel)
    m_V = np.asarray(model.m_V, dtype=float)
    if np.any(m_V <= thr):
        raise ValueError(
            f"m_V = {model.m_V!r} GeV is below the {channel} threshold "
            f"{float(np.max(thr)):.6g} GeV: "
            f"allowed m_V > {float(np.max(thr)):.6g} GeV"
        )
    return partial_widths(model)[channel]


def total_width(model: DarkSector, Q: np.ndarray | None = None) -> np.ndarray:
    """Gamma_V = Gamma(DM DM) + sum_f Gamma(f fbar) + Gamma(hadrons) in GeV (docs/physics.md
    §3.6)."""
    return sum(partial_widths(model, Q).values())  # type: ignore[return-value]


def branching_ratios(model: DarkSector) -> dict[str, np.ndarray]:
    """Branching ratios at the model's m_V, keyed by :data:`CHANNELS` (sum to 1 where
    Gamma_V > 0; zero otherwise)."""
    widths = partial_widths(model)
    total = sum(widths.values())
    safe = np.where(total > 0, total, 1.0)
    return {k: np.where(total > 0, v / safe, 0.0) for k, v in widths.items()}
