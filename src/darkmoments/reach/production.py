"""Coupling-independent production: the selected dark-brem cross section as a quadratic form.

The spin-averaged |M|^2 of e N -> e N V is a quadratic form in the electron's Lorentz-class
couplings g = (G_V, G_A, mu, d) at q^2 = m_V^2 (docs/physics.md §2.5, §7.6;
:mod:`darkmoments.physics.brem_msq`):

    sigma_SR(model) = sum_{a <= b} g_a g_b I_ab,     I_ab = int_SR C_ab dPhi / flux   [GeV^-2]

so ONE integration per mass gives the signal-region cross section of every structure and of
any mixture (interference included). :func:`production` computes the five I_ab

* ``method="exact"`` (default): the coupling-free weighted points of the shared exact sampler
  :class:`darkmoments.sampling.BremSampler` (its vegas map adapted to the reference vector +
  dipole density), with the
  selection applied on the EXACT recoil kinematics: E_e = (1 - x) E0 - t / (2 M_N) (energy
  conservation with the nucleus recoil T_N = t / (2 M_N), exact) and, when the experiment cuts on
  it, pT_e from the exact lab momenta. The x integration starts a margin DELTA_X = 0.02 below
  1 - f: a point with x < 1 - f - DELTA_X passes E_e < f E0 only if t > 2 M_N E0 DELTA_X
  (55 GeV^2 for W at 8 GeV), where G2(t)/t^2 has fallen by > 1e10 — negligible (tested).
* ``method="ww_theta"``: the Weizsacker-Williams cross section with the theta-dependent flux
  (docs/physics.md §7.1-7.5, :mod:`darkmoments.physics.brem_ww`), selection on
  E_e = (1 - x) E0 (forward approximation: no nucleus recoil, no pT cut possible). By default WW
  is restricted to its validated region E_e >= m_V (``ww_region="e_ge_m_v"``,
  x <= 1 - m_V/E0: the convention of the reference values in docs/physics.md
  §15.2); ``"full"`` integrates to the kinematic limit, where WW overestimates.
  In WW with the m_e -> 0 kernels (``verified``), G_V/G_A and mu/d enter only as
  G_V^2 + G_A^2 and mu^2 + d^2 (no interference): I_VV = I_AA, I_mumu = I_dd, I_Vmu = 0; with
  ``me_exact`` (the electron mass in every class, docs/physics.md §7.f) the five are separate.

Randomness only through the injected ``rng``; errors are the Monte Carlo 1-sigma of each I_ab.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from darkmoments.constants import E_CHARGE
from darkmoments.constants.units import PB_PER_GEV2
from darkmoments.model import DarkSector
from darkmoments.physics import brem_ww
from darkmoments.physics.brem_msq import PAIRS, class_couplings, combine
from darkmoments.reach.experiments import Experiment, load_experiment
from darkmoments.sampling import BremSampler, WeightedPoints

#: beam lepton -> the fermion whose V vertex the selected cross section is contracted with
LEPTON_VERTEX = {"electron": "e", "muon": "mu"}

METHODS = ("exact", "ww_theta")
WW_REGIONS = ("e_ge_m_v", "full")
#: x margin below 1 - f of the exact integration (see the module docstring)
DELTA_X = 0.02


@dataclass(frozen=True)
class Production:
    """Per-pair selected cross sections I_ab [GeV^-2] at one m_V (see module docstring)."""

    m_V: float
    method: str
    integrals: dict[tuple[str, str], float]
    errors: dict[tuple[str, str], float]
    settings: dict[str, Any] = field(default_factory=dict)
    #: the beam lepton's vertex the integrals are contracted with: "e" (electron) or "mu" (muon)
    fermion: str = "e"

    def _g(self, model: DarkSector) -> dict[str, float]:
        if not math.isclose(float(model.m_V), self.m_V, rel_tol=1e-12):
            raise ValueError(
                f"model m_V = {model.m_V!r} is invalid: allowed the production's m_V = {self.m_V!r}"
            )
        return class_couplings(model, self.fermion)

    def sigma(self, model: DarkSector) -> float:
        """Signal-region cross section [GeV^-2] per target atom for ``model`` (any mixture)."""
        return float(combine(self.integrals, self._g(model)))

    def sigma_error(self, model: DarkSector) -> float:
        """Conservative 1-sigma error [GeV^-2] (pair errors added linearly: fully correlated)."""
        g = self._g(model)
        return float(sum(abs(g[a] * g[b]) * e for (a, b), e in self.errors.items()))

    def sigma_pb(self, model: DarkSector) -> float:
        return self.sigma(model) * PB_PER_GEV2

    def to_dict(self) -> dict[str, Any]:
        return {
            "m_V": self.m_V,
            "method": self.method,
            "I_pb": {f"{a}{b}": v * PB_PER_GEV2 for (a, b), v in self.integrals.items()},
            "I_err_pb": {f"{a}{b}": v * PB_PER_GEV2 for (a, b), v in self.errors.items()},
            "settings": self.settings,
        }


def _x_window(exp: Experiment, m_V: float) -> tuple[float, float]:
    """Selection edges in x from E_e = (1 - x) E0 (no recoil): (1 - f, 1 - E_e_min / E0)."""
    sel = exp.selection
    return 1.0 - sel.E_e_max_fraction, 1.0 - sel.E_e_min / exp.E0


def _exact(exp: Experiment, m_V: float, rng: np.random.Generator, n_points: int) -> Production:
    x_sel, x_hi_sel = _x_window(exp, m_V)
    fermion = LEPTON_VERTEX[exp.lepton]
    lo, hi = BremSampler(exp.E0, m_V, exp.target, lepton=exp.lepton).setup.x_range
    x_lo = max(lo, x_sel - DELTA_X)
    x_hi = min(hi, x_hi_sel)
    zero = dict.fromkeys(PAIRS, 0.0)
    settings: dict[str, Any] = {
        "E0_GeV": exp.E0,
        "lepton": exp.lepton,
        "target": exp.target.name,
        "selection": exp.selection.to_dict(),
        "x_integration": [x_lo, x_hi],
        "n_points": int(n_points),
        "theta_max": math.pi,
        "form_factor": "G2 elastic + inelastic",
    }
    if x_hi <= x_lo:
        return Production(m_V, "exact", zero, dict(zero), settings, fermion)
    sampler = BremSampler(exp.E0, m_V, exp.target, lepton=exp.lepton, x_min=x_lo, x_max=x_hi)
    vmap = sampler.adapt(rng, neval=10000, nitn=6)
    sums = dict(zero)
    sums2 = dict(zero)
    done = 0
    batch = 100_000
    while done < n_points:
        n = min(batch, n_points - done)
        pts = sampler.sample(rng, n, vmap)
        keep = _selected(exp, sampler, pts)
        for pair, c in pts.pair_weights().items():
            w = np.where(keep, c, 0.0)
            sums[pair] += float(np.sum(w))
            sums2[pair] += float(np.sum(w * w))
        done += n
    integrals = {p: sums[p] / n_points for p in PAIRS}
    errors = {
        p: math.sqrt(max(sums2[p] / n_points - integrals[p] ** 2, 0.0) / (n_points - 1))
        for p in PAIRS
    }
    return Production(m_V, "exact", integrals, errors, settings, fermion)


def _selected(exp: Experiment, sampler: BremSampler, pts: WeightedPoints) -> np.ndarray:
    """Selection on the exact recoil: E_e = (1 - x) E0 - t / (2 M_N) and, when cut on, pT_e
    from the exact lab momenta."""
    E0, M_N = exp.E0, exp.target.M_N
    sel = exp.selection
    E_e = (1.0 - pts.x) * E0 - pts.t / (2.0 * M_N)
    keep = (E_e < sel.E_e_max_fraction * E0) & (E_e >= sel.E_e_min)
    if sel.has_pT_cut:
        idx = np.flatnonzero(keep)
        mom = sampler.lab_momenta(pts.select(idx), np.zeros(idx.size))
        pT = np.hypot(mom["p_out"][:, 1], mom["p_out"][:, 2])
        ok = pT >= sel.pT_e_min
        if sel.pT_e_max is not None:
            ok &= pT < sel.pT_e_max
        keep[idx[~ok]] = False
    return keep


def _ww(
    exp: Experiment, m_V: float, ww_region: str, theta_max: float | None, variant: str
) -> Production:
    if exp.lepton != "electron":
        raise ValueError(
            f"method = 'ww_theta' is invalid for the {exp.lepton} beam of {exp.name}: allowed "
            "method = 'exact' (the WW signal-region integrals are set up for electron beams; "
            "muon-beam WW cross sections: physics.brem_ww / brem xsec --method ww_theta)"
        )
    if exp.selection.has_pT_cut:
        raise ValueError(
            "method = 'ww_theta' is invalid with a pT_e cut: allowed method = 'exact' (the WW "
            "forward approximation has no reliable recoil pT)"
        )
    x_lo, x_hi = _x_window(exp, m_V)
    if ww_region == "e_ge_m_v":
        x_hi = min(x_hi, brem_ww.x_max_ww(m_V, exp.E0))
    settings = {
        "E0_GeV": exp.E0,
        "target": exp.target.name,
        "selection": exp.selection.to_dict(),
        "flux": "ww_theta",
        "variant": variant,
        "ww_region": ww_region,
        "x_integration": [x_lo, x_hi],
        "theta_max": brem_ww.DEFAULT_THETA_MAX if theta_max is None else theta_max,
    }
    zero = dict.fromkeys(PAIRS, 0.0)
    if x_hi <= max(x_lo, m_V / exp.E0):
        return Production(m_V, "ww_theta", zero, dict(zero), settings)
    kw: dict[str, Any] = {
        "flux": "ww_theta",
        "x_min": x_lo,
        "x_max": x_hi,
        "theta_max": theta_max,
        "variant": variant,
    }
    vec = DarkSector.build(m_V, 0.5, r=2 / 3, eps=1.0 / E_CHARGE, fermions="electron")
    dip = DarkSector.build(m_V, 0.5, r=2 / 3, mu=1.0, fermions="electron")
    I_vec = brem_ww.cross_section(vec, exp.E0, exp.target, **kw)
    I_dip = brem_ww.cross_section(dip, exp.E0, exp.target, **kw)
    integrals = {
        ("V", "V"): I_vec,
        ("V", "mu"): 0.0,
        ("A", "A"): I_vec,
        ("mu", "mu"): I_dip,
        ("d", "d"): I_dip,
    }
    if variant == "me_exact":
        # with the lepton mass the classes separate (docs/physics.md §7.f): I_AA, I_dd from unit
        # couplings, I_Vmu from the KM + MDM mixture minus its two squares
        ax = DarkSector.build(m_V, 0.5, r=2 / 3, g_A=1.0, fermions="electron")
        edm = DarkSector.build(m_V, 0.5, r=2 / 3, d=1.0, fermions="electron")
        mix = DarkSector.build(m_V, 0.5, r=2 / 3, eps=1.0 / E_CHARGE, mu=1.0, fermions="electron")
        g_v, g_a = class_couplings(vec, "e")["V"], class_couplings(ax, "e")["A"]
        g_mu, g_d = class_couplings(dip, "e")["mu"], class_couplings(edm, "e")["d"]
        I_mix = brem_ww.cross_section(mix, exp.E0, exp.target, **kw)
        integrals[("A", "A")] = brem_ww.cross_section(ax, exp.E0, exp.target, **kw) / g_a**2
        integrals[("d", "d")] = brem_ww.cross_section(edm, exp.E0, exp.target, **kw) / g_d**2
        integrals[("V", "mu")] = (I_mix - g_v**2 * I_vec - g_mu**2 * I_dip) / (g_v * g_mu)
    return Production(m_V, "ww_theta", integrals, dict(zero), settings)


def production(
    experiment: Experiment | str,
    m_V: float,
    method: str = "exact",
    *,
    rng: np.random.Generator | None = None,
    n_points: int = 200_000,
    ww_region: str = "e_ge_m_v",
    theta_max: float | None = None,
    ww_variant: str = "verified",
) -> Production:
    """Per-pair signal-region cross sections at ``m_V`` [GeV] for ``experiment``.

    ``method``: ``exact`` (``n_points`` vegas-mapped points of the exact integrand, drawn from
    ``rng``; default seed 0) or ``ww_theta`` (``ww_region``, ``theta_max`` for the WW theta
    integral, default pi/2; ``ww_variant`` of :data:`darkmoments.physics.brem_ww.VARIANTS`:
    ``me_exact`` keeps m_e in every class, which matters for KM at m_V ~ 10 MeV).
    m_V must be below the beam's reach E0 - m_lepton. The exact method uses the experiment's beam
    lepton (electron or muon) for the kinematics and for the vertex the integrals are contracted
    with; WW is electron-only."""
    exp = load_experiment(experiment)
    m_V = float(m_V)
    exp.check_mass(m_V)
    if method not in METHODS:
        raise ValueError(f"method = {method!r} is invalid: allowed one of {list(METHODS)}")
    if method == "exact":
        if int(n_points) != n_points or n_points < 1000:
            raise ValueError(f"n_points = {n_points!r} is invalid: allowed an integer >= 1000")
        return _exact(exp, m_V, rng if rng is not None else np.random.default_rng(0), n_points)
    if ww_region not in WW_REGIONS:
        raise ValueError(f"ww_region = {ww_region!r} is invalid: allowed one of {WW_REGIONS}")
    return _ww(exp, m_V, ww_region, theta_max, ww_variant)
