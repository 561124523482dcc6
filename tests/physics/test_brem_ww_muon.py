"""The WW family with the beam lepton's mass (issue 15.2; docs/physics.md §7 lepton mass).

Reference: the exact tree-level mu W -> mu W V cross section (darkmoments.brem.exact with the
muon mass, itself checked against an independent deterministic quadrature to < 0.1 % and its
|M|^2 against the Dirac-trace oracle, docs/physics.md §7). WW is an approximation, so the test
states where it holds and how it fails rather than an identity:

* NA64mu kinematics (E0 = 160 GeV, m_V <= 0.5 GeV << E0): the theta-dependent flux (ww_theta)
  with the muon-mass-exact KM kernel agrees with the exact total to <= 2 % (measured +0.4 to
  +0.8 %; tolerance covers the vegas 1-sigma of 0.15 % and WW's O(m_V/E0) corrections);
* M3 kinematics (E0 = 15 GeV): the agreement degrades as m_V/E0 grows: measured +3.4 % at
  m_V = 0.5, +7.6 % at 1 GeV and +31 % at 3 GeV (asserted as bands);
* the improved WW (t_min at theta = 0, iww) overestimates for muons everywhere (+13 % at 160 GeV,
  10 MeV; x 3 at 15 GeV, 1 GeV): asserted as ratio > 1.1;
* every other structure with the lepton-mass-exact kernels (docs/physics.md §7.f): MDM, EDM, AM
  and KM+MDM of both relative signs (the G_V mu interference, proportional to m_mu, changes
  the total by ~25 % between the signs at 10-100 MeV) agree with the exact total like KM does:
  measured ww_theta/exact = 1.004-1.012 at 160 GeV (m_V = 0.01-1 GeV), 1.010-1.017 at 15 GeV
  (0.01-0.1 GeV), 1.03 at 0.5 GeV and 1.06-1.09 at 1 GeV (tools/ww_vs_exact_muon.py prints the
  full table). Asserted: within 2.5 % at 160 GeV and 15 GeV (0.01-0.1 GeV; exact to 0.4 %
  1-sigma here, WW's own O(m_V/E0, theta) error ~1-1.7 %), 1.01-1.14 at 15 GeV, 1 GeV.
"""

from __future__ import annotations

import numpy as np
import pytest

from darkmoments.brem.exact import ExactBrem
from darkmoments.constants import E_CHARGE, M_ELECTRON, M_MUON
from darkmoments.model import DarkSector
from darkmoments.physics import brem_ww as ww


def _km(m_V: float) -> DarkSector:
    return DarkSector.build(m_V, 0.5, r=2 / 3, eps=1.0)


def _structure(name: str, m_V: float) -> DarkSector:
    kw = {"mdm": {"mu": 1.0}, "edm": {"d": 1.0}, "am": {"a": 1.0}}
    kw |= {"km+mdm": {"eps": 1.0, "mu": 1.5}, "km-mdm": {"eps": 1.0, "mu": -1.5}}
    return DarkSector.build(m_V, 0.5, r=2 / 3, fermions="leptons", **kw[name])


def _ratio(E0: float, m_V: float, flux: str, model: DarkSector | None = None) -> float:
    model = _km(m_V) if model is None else model
    exact = ExactBrem(model, E0, "W", lepton="muon").cross_section(
        rng=np.random.default_rng(1), rtol=3e-3
    )
    assert exact.error / exact.sigma < 4e-3
    return ww.cross_section(model, E0, "W", flux=flux, lepton="muon") / exact.sigma


@pytest.mark.parametrize("m_V", [0.01, 0.1, 0.5])
def test_ww_theta_with_muon_mass_matches_exact_at_160_gev(m_V):
    assert _ratio(160.0, m_V, "ww_theta") == pytest.approx(1.0, abs=0.02)


@pytest.mark.parametrize("m_V,lo,hi", [(0.5, 1.015, 1.06), (1.0, 1.05, 1.11), (3.0, 1.2, 1.45)])
def test_ww_theta_degrades_at_15_gev(m_V, lo, hi):
    assert lo < _ratio(15.0, m_V, "ww_theta") < hi


@pytest.mark.parametrize("E0,m_V", [(160.0, 0.01), (15.0, 1.0)])
def test_iww_overestimates_for_muons(E0, m_V):
    assert _ratio(E0, m_V, "iww") > 1.1


@pytest.mark.parametrize("name", ["mdm", "edm", "am", "km+mdm", "km-mdm"])
@pytest.mark.parametrize("E0,m_V", [(160.0, 0.01), (160.0, 0.5), (15.0, 0.1)])
def test_every_structure_with_muon_mass_matches_exact(name, E0, m_V):
    """Dipole, anapole and a KM+MDM mixture (both signs: the interference) with the muon-mass
    kernels vs the exact 2->3 total (mu = 1.5 GeV^-1 makes the MDM square comparable to KM's
    at 0.01-0.1 GeV)."""
    assert _ratio(E0, m_V, "ww_theta", _structure(name, m_V)) == pytest.approx(1.0, abs=0.025)


@pytest.mark.parametrize("name", ["mdm", "am", "km+mdm"])
def test_every_structure_degrades_at_15_gev_1_gev(name):
    assert 1.01 < _ratio(15.0, 1.0, "ww_theta", _structure(name, 1.0)) < 1.14


def test_interference_sign_matters_for_muons():
    """The G_V mu interference is in the WW kernel: the two relative signs differ (exact and
    WW alike) by far more than the errors, and WW gets the difference."""
    m_V, E0 = 0.1, 160.0
    sig = {}
    for name in ("km+mdm", "km-mdm"):
        model = _structure(name, m_V)
        sig[name] = ww.cross_section(model, E0, "W", flux="ww_theta", lepton="muon")
    assert abs(sig["km+mdm"] / sig["km-mdm"] - 1) > 0.1
    # without the interference (massless-lepton kernel), the two would be identical:
    s = ww._Setup(_structure("km+mdm", m_V), E0, "W", None, "muon")
    c_plus = ww._massive_vector_like(np.array([0.5]), E0, m_V, M_MUON, s.g)
    c_zero = ww._massive_vector_like(np.array([0.5]), E0, m_V, M_MUON, {**s.g, "mu": 0.0})
    assert c_plus[2][0] != c_zero[2][0]


def test_muon_mass_enters_kinematics():
    """x range, threshold and U0 carry m_mu; the screening stays atomic (same chi at equal
    t_min)."""
    model = _km(0.1)
    s_mu = ww._Setup(model, 15.0, "W", None, "muon")
    s_e = ww._Setup(model, 15.0, "W", None, "electron")
    assert s_mu.x_hi == 1.0 - M_MUON / 15.0 and s_e.x_hi == 1.0 - M_ELECTRON / 15.0
    assert s_mu.variant == "me_exact" and s_e.variant == "verified"
    x = np.array([0.3, 0.9])
    assert np.allclose(s_mu.U0(x) - s_e.U0(x), (M_MUON**2 - M_ELECTRON**2) * x, rtol=1e-12)
    U = np.array([1e-3, 0.5])  # GeV^2: at equal (x, U) the flux (atomic screening) is the same
    assert np.array_equal(s_mu.chi("ww_theta", x, U), s_e.chi("ww_theta", x, U))
    with pytest.raises(ValueError, match=r"E0 = 0.2 is invalid: allowed E0 > m_V \+ m_muon"):
        ww.cross_section(model, 0.2, "W", lepton="muon")
    assert ww.cross_section(model, 0.2, "W", lepton="electron") > 0


def test_muon_refusals():
    """Massless-lepton kernels (verified, rizzo_printed) are refused for muons (not silently
    used); every structure is accepted with the lepton-mass-exact kernel."""
    for variant in ("verified", "rizzo_printed"):
        with pytest.raises(ValueError, match=rf"variant = '{variant}' is invalid.*me_exact"):
            ww.cross_section(_km(0.1), 15.0, "W", variant=variant, lepton="muon")
    with pytest.raises(ValueError, match="lepton = 'tau' is invalid"):
        ww.cross_section(_km(0.1), 15.0, "W", lepton="tau")
    for name in ("mdm", "edm", "am", "km+mdm"):
        assert ww.cross_section(_structure(name, 0.1), 15.0, "W", lepton="muon") > 0
    # charge radius is a vector coupling: equal to KM with e eps -> b m_V^2
    cr = DarkSector.build(0.1, 0.5, r=2 / 3, b=1.0, fermions="leptons")
    km = _km(0.1).with_coupling("km", 0.1**2 / E_CHARGE)  # |e eps Q_mu| = b m_V^2
    a, b = (ww.cross_section(m, 15.0, "W", lepton="muon") for m in (cr, km))
    assert a == pytest.approx(b, rel=1e-12) and a > 0


def test_electron_default_unchanged():
    """Default lepton = electron gives the same numbers as naming it (and as before: the
    existing tests/physics/test_brem_ww.py are untouched)."""
    m = _km(0.1)
    for variant in ("verified", "me_exact"):
        a = ww.cross_section(m, 4.0, "W", variant=variant)
        assert ww.cross_section(m, 4.0, "W", variant=variant, lepton="electron") == a
