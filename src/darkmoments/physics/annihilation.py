"""Dark-matter annihilation phi* phi -> V* -> X through the s-channel dark photon.

Cross sections in GeV^-2, s in GeV^2 (CM energy squared). The default path is the unitarity
identity of docs/physics.md §4.1 [derived here, checked against the Dirac-trace oracle],

    sigma_X(s) = 4 pi alpha_D sqrt(s) beta_phi Gamma(V -> X)|_{m_V -> sqrt s} / D(s),

with Gamma from :func:`darkmoments.physics.decays.partial_widths` evaluated at Q = sqrt(s) (the
couplings at q^2 = s: CR/AM energy dependence, hadrons through the R ratio, neutrinos when the
model enables them) and D(s) = (s - m_V^2)^2 + [Im D^-1]^2 from
:mod:`darkmoments.physics.propagator` (the one propagator; fixed or running width).
For a fermion pair this equals the closed form (docs/physics.md §4.1, first line)

    sigma_f(s) = N_c alpha_D s beta_phi beta_f F_f(s) / (3 D(s)),

F_f the master function of docs/physics.md §3.1, and for KM + MDM Rizzo's Eqs. 6-7 (reproduced
exactly with our sign convention mu = +g_D/Lambda, docs/physics.md §2.2). Valid for r = 2 m_DM / m_V
< 2 (for r >= 2 the s-wave phi* phi -> V V channel opens, not included) and tree level in the dark
coupling.

Fermion DM (Dirac chi chibar, Majorana chi chi, pseudo-Dirac chi_1 chi_2 coannihilation;
docs/physics.md §12.4): the same identity with the kind's prefactor,

    sigma_X(s) = A D_T(s) Gamma(V -> X)|_{m_V -> sqrt s} / (2 p_i D(s)) + sigma_X^L(s),

A the spin average, D_T the transverse projection of the DM current
(:mod:`darkmoments.physics.dark_matter`), p_i the CM momentum, and sigma_X^L the longitudinal
part of :mod:`darkmoments.physics.dm_annihilation` (D_L S_L / m_V^4, no pole: non-zero only
for the non-conserved Majorana / split pseudo-Dirac current paired with an axial SM coupling).
The transverse part is exact for every final state by unitarity (for the complex scalar it is
the identity above: A D_T / (2 p_i) = 4 pi alpha_D sqrt(s) beta_phi). The longitudinal part is
included for leptons, neutrinos and (``parton`` prescription) free quarks; for the R-ratio
hadrons it is NOT (q.J_had is not given by R): Majorana / pseudo-Dirac with an axial quark
coupling (``ax``) is then an approximation, said in the relic notes.
"""

from __future__ import annotations

import math

import numpy as np

from darkmoments.constants import ALPHA, FERMIONS
from darkmoments.model import DarkSector
from darkmoments.physics.decays import CHANNELS, master_function, partial_widths, velocity
from darkmoments.physics.propagator import breit_wigner_denominator
from darkmoments.physics.vertex import LorentzCouplings, lorentz_couplings

#: final states of the annihilation (the DM "channel" of the widths is elastic, not a sink).
FINAL_STATES = tuple(c for c in CHANNELS if c != "DM")


def transverse_prefactor(model: DarkSector, s: np.ndarray | float) -> np.ndarray:
    """P(s) = A D_T(s) / (2 p_i) in GeV of the model's DM kind: sigma_X^T = P Gamma_X / D(s)
    (module docstring). Complex scalar: 4 pi alpha_D sqrt(s) beta_phi. Zero below the DM-pair
    threshold (2 m_DM; m_chi1 + m_chi2 for pseudo-Dirac)."""
    s = np.asarray(s, dtype=float)
    if model.dm_kind == "complex_scalar":
        beta_phi = velocity(s, np.asarray(model.m_DM, dtype=float))
        return 4.0 * math.pi * model.alpha_D * np.sqrt(s) * beta_phi  # type: ignore[no-any-return]
    from darkmoments.physics.dark_matter import dark_side, pair_projections
    from darkmoments.physics.dm_annihilation import _open_and_safe, initial_momentum

    dark = dark_side(model)
    open_, ss = _open_and_safe(dark, s)
    D_T, _ = pair_projections(dark.dm, ss, dark.m1, dark.m2, dark.g_D)
    pref = dark.dm.spin_average * D_T / (2.0 * initial_momentum(dark, ss))
    return np.where(open_, pref, 0.0)


def longitudinal_cross_sections(model: DarkSector, s: np.ndarray | float) -> dict[str, np.ndarray]:
    """The longitudinal parts sigma_X^L(s) [GeV^-2] (module docstring) per final state: zero for
    the conserved currents (complex scalar, Dirac) and without axial SM couplings; the R-ratio
    hadrons carry none (not given by R)."""
    s = np.asarray(s, dtype=float)
    zero = np.zeros(np.broadcast(s, np.asarray(model.m_DM), np.asarray(model.m_V)).shape)
    out = dict.fromkeys(FINAL_STATES, zero)
    if model.dm_kind in ("complex_scalar", "dirac"):
        return out
    from darkmoments.physics import sm_current
    from darkmoments.physics.dark_matter import dark_side, pair_projections
    from darkmoments.physics.decays import LEPTON_CHANNELS, LIGHT_QUARKS, NEUTRINOS
    from darkmoments.physics.dm_annihilation import _open_and_safe, initial_momentum
    from darkmoments.physics.dm_decays import two_body_momentum
    from darkmoments.physics.vertex import dirac_coefficients

    dark = dark_side(model)
    open_, ss = _open_and_safe(dark, s)
    _, D_L = pair_projections(dark.dm, ss, dark.m1, dark.m2, dark.g_D)
    if not np.any(D_L != 0):
        return out
    base = dark.dm.spin_average * dark.propagator_l2() * D_L / (16.0 * np.pi * ss)
    base = base / initial_momentum(dark, ss)

    def one(f: str) -> np.ndarray | None:
        coeffs = dirac_coefficients(model, f)
        if not any(tag in coeffs for tag in ("axial", "anapole")):
            return None
        m_f = FERMIONS[f].mass if FERMIONS[f].kind != "neutrino" else 0.0
        _, S_L = sm_current.pair_projections(coeffs, ss, m_f)
        p_f = two_body_momentum(np.sqrt(ss), m_f, m_f)
        val = base * FERMIONS[f].n_colors * p_f * S_L
        return np.where(open_ & (ss > 4.0 * m_f * m_f), val, 0.0)

    groups = {**{c: (f,) for c, f in LEPTON_CHANNELS.items()}, "nu": NEUTRINOS}
    if model.hadrons == "parton":
        groups["hadrons"] = (*LIGHT_QUARKS, "t")
    for channel, fermions in groups.items():
        parts = [p for p in (one(f) for f in fermions) if p is not None]
        if parts:
            out[channel] = sum(parts)  # type: ignore[assignment]
    return out


def _prefactor(
    s: np.ndarray, model: DarkSector, width: np.ndarray | float | None = None
) -> np.ndarray:
    """P(s) / D(s) in GeV^-3 (zero below the DM-pair threshold); ``width`` as in
    :func:`darkmoments.physics.propagator.width_term`."""
    return transverse_prefactor(model, s) / breit_wigner_denominator(s, model, width)


def cross_sections(model: DarkSector, s: np.ndarray | float) -> dict[str, np.ndarray]:
    """sigma(phi* phi -> V* -> X)(s) [GeV^-2] for every final state X in :data:`FINAL_STATES`
    (``e+e-``, ``mu+mu-``, ``tau+tau-``, ``nu``, ``hadrons``) by the unitarity identity of
    docs/physics.md §4.1. ``s`` [GeV^2] broadcasts with the model's m_V / m_DM arrays."""
    s = np.asarray(s, dtype=float)
    sqrt_s = np.sqrt(s)
    widths = partial_widths(model, Q=sqrt_s, channels=FINAL_STATES)
    pref = _prefactor(s, model)
    out = {x: pref * widths[x] for x in FINAL_STATES}
    if model.dm_kind in ("majorana", "pseudo_dirac"):
        for x, lon in longitudinal_cross_sections(model, s).items():
            out[x] = out[x] + lon
    return out


def cross_section(
    model: DarkSector, s: np.ndarray | float, width_V: np.ndarray | float | None = None
) -> np.ndarray:
    """Total sigma(phi* phi -> SM) [GeV^-2]: the sum of :func:`cross_sections` (docs/physics.md
    §4.1). ``width_V``: the total width Gamma_V(m_V) [GeV] (broadcasting with the model's
    masses) when the caller has it; for the running width the total at sqrt(s) is the visible
    sum already at hand plus Gamma(V -> DM) (the same sum as ``total_width``)."""
    s = np.asarray(s, dtype=float)
    if model.dm_kind in ("majorana", "pseudo_dirac"):
        return sum(cross_sections(model, s).values())  # type: ignore[return-value]
    sqrt_s = np.sqrt(s)
    widths = partial_widths(model, Q=sqrt_s, channels=FINAL_STATES)
    visible = sum(widths[x] for x in FINAL_STATES)
    if model.width == "running":
        width_V = visible + partial_widths(model, Q=sqrt_s, channels=("DM",))["DM"]
    return _prefactor(s, model, width_V) * visible


def cross_section_fermion(model: DarkSector, s: np.ndarray | float, fermion: str) -> np.ndarray:
    """Closed form sigma(phi* phi -> f fbar)(s) = N_c alpha_D s beta_phi beta_f F_f(s) / (3 D(s))
    [GeV^-2] (docs/physics.md §4.1, first line; F_f of §3.1 with couplings at q^2 = s).
    Fermion masses kept; zero below either threshold."""
    if fermion not in FERMIONS:
        raise ValueError(f"fermion = {fermion!r} is invalid: allowed one of {sorted(FERMIONS)}")
    if model.dm_kind != "complex_scalar":
        raise ValueError(
            f"dm = {model.dm_kind!r} is invalid here: allowed complex_scalar (fermion DM: "
            "darkmoments.physics.dm_annihilation.cross_section_fermion)"
        )
    f = FERMIONS[fermion]
    s = np.asarray(s, dtype=float)
    beta_phi = velocity(s, np.asarray(model.m_DM, dtype=float))
    beta_f = velocity(s, f.mass)
    open_ = s > 4.0 * f.mass**2
    s_safe = np.where(open_, s, 4.0 * f.mass**2 + 1.0)
    F = master_function(s_safe, f.mass, lorentz_couplings(model, fermion, s_safe))
    sigma = f.n_colors * model.alpha_D * s * beta_phi * beta_f * F
    return np.where(open_, sigma / (3.0 * breit_wigner_denominator(s, model)), 0.0)


def master_terms(Q2: np.ndarray | float, m: float, c: LorentzCouplings) -> dict[str, np.ndarray]:
    """The five separate pieces of F_f(Q^2) (docs/physics.md §3.1): ``vector``
    G_V^2 (1 + 2m^2/Q^2), ``axial`` G_A^2 beta^2, ``magnetic`` mu^2 Q^2 (1 + 8m^2/Q^2)/2,
    ``electric`` d^2 Q^2 beta^2/2, ``vector_magnetic`` 6 m G_V mu. Their sum is
    :func:`darkmoments.physics.decays.master_function`."""
    Q2 = np.asarray(Q2, dtype=float)
    m2 = m * m
    b2 = 1.0 - 4.0 * m2 / Q2
    return {
        "vector": c.G_V**2 * (1.0 + 2.0 * m2 / Q2),
        "axial": c.G_A**2 * b2,
        "magnetic": 0.5 * c.mu**2 * Q2 * (1.0 + 8.0 * m2 / Q2),
        "electric": 0.5 * c.d**2 * Q2 * b2,
        "vector_magnetic": 6.0 * m * c.G_V * c.mu,
    }


def rizzo_eq7_terms(
    s: float | np.ndarray,
    m_f: float,
    alpha_D: float,
    eps: float,
    Q_f: float,
    Lambda: float,
    alpha: float = ALPHA,
) -> dict[str, np.ndarray]:
    """The three terms of Rizzo's A (arXiv:2106.11150 Eq. 7) as printed:

    km       Q_f^2 alpha alpha_D eps^2 (3 - beta_f^2)/2
    mdm      (1/2) (alpha_D/Lambda_f)^2 s (3 - 2 beta_f^2)
    km_mdm   3 eps Q_f (alpha alpha_D s)^(1/2) (alpha_D/Lambda_f) (1 - beta_f^2)^(1/2)

    ``s`` [GeV^2], ``m_f``, ``Lambda`` [GeV]. With our convention mu = +g_D/Lambda and
    gV = e eps Q_f, A = (alpha_D/4 pi) F_f(s) term by term (docs/physics.md §4.2)."""
    s = np.asarray(s, dtype=float)
    b2 = 1.0 - 4.0 * m_f**2 / s
    r = alpha_D / Lambda
    return {
        "km": Q_f**2 * alpha * alpha_D * eps**2 * (3.0 - b2) / 2.0,
        "mdm": 0.5 * r**2 * s * (3.0 - 2.0 * b2),
        "km_mdm": 3.0 * eps * Q_f * np.sqrt(alpha * alpha_D * s) * r * np.sqrt(1.0 - b2),
    }


def sigma_rizzo_eq6(
    s: float | np.ndarray,
    m_phi: float,
    m_f: float,
    m_V: float,
    Gamma_V: float,
    alpha_D: float,
    eps: float,
    Q_f: float,
    Lambda: float,
    n_colors: int = 1,
    alpha: float = ALPHA,
) -> np.ndarray:
    """Rizzo Eq. 6 with Eq. 7 (KM + MDM, fixed width Gamma_V) [GeV^-2]:
    sigma_f = (4 pi/3) N_c s beta_phi beta_f A / [(s - m_V^2)^2 + (Gamma_V m_V)^2].
    Independent transcription of the paper, used to cross-check :func:`cross_section_fermion`."""
    s = np.asarray(s, dtype=float)
    beta_phi = np.sqrt(np.clip(1.0 - 4.0 * m_phi**2 / s, 0.0, None))
    beta_f = np.sqrt(np.clip(1.0 - 4.0 * m_f**2 / s, 0.0, None))
    A = sum(rizzo_eq7_terms(s, m_f, alpha_D, eps, Q_f, Lambda, alpha).values())
    den = (s - m_V**2) ** 2 + (Gamma_V * m_V) ** 2
    return 4.0 * math.pi / 3.0 * n_colors * s * beta_phi * beta_f * A / den
