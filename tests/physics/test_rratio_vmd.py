"""The smooth VMD hadronic R below 2 GeV (physics/hadrons.py, docs/physics.md §3 additions),
checked against DarkCast's published dark-photon widths, the PDG R compilation, limits and
its own smoothness."""

from __future__ import annotations

import math
import warnings
from pathlib import Path

import numpy as np
import pytest

from darkmoments.constants import ALPHA, M_ETA, M_PI0, M_PI_CHARGED
from darkmoments.model import DarkSector
from darkmoments.physics import hadrons
from darkmoments.physics.decays import (
    HADRONIC_CHANNELS,
    branching_ratios,
    hadronic_breakdown,
    hadronic_width,
    partial_width,
    partial_widths,
)
from darkmoments.physics.rratio import (
    CROSSOVER_HI,
    CROSSOVER_LO,
    r_ratio,
    r_ratio_data,
    r_ratio_table,
)

DATA = Path(__file__).resolve().parents[1] / "data" / "darkcast_dark_photon_widths.dat"
HAZMA = Path(__file__).resolve().parents[1] / "data" / "hazma_dark_photon_hadronic_R.dat"


def _darkcast() -> np.ndarray:
    return np.loadtxt(DATA)


def _km(m: np.ndarray) -> DarkSector:
    # DarkCast's dark photon: e, mu (tau) and hadrons, no invisible width (r large: V -> DM shut)
    return DarkSector.build(m, 0.5, r=10.0, eps=1.0)


# Tolerances per region (docs/physics.md §3.h.4, DarkCast table), each the achieved maximum
# rounded up: the exclusive channels below 1 GeV agree with DarkCast's fits within 2.5 % (5.5 %
# near the pi pi threshold, where our Belle tau-based form factor, like hazma's e+e- fit, sits
# ~5 % below DarkCast's); 1.4-1.7 GeV within 8 %. In 1.05-1.35 GeV DarkCast lies 8-20 % above
# BOTH the PDG compilation and hazma's exclusive-channel sum (test below), and 10 % above the
# compilation at 1.75-1.8 GeV; our R follows the two independent references there, so the
# bound is 15 % / 11 % (1.02-1.37 GeV was 16.5 % before the omega-phi interference in 3 pi: the
# worst row, 1.10 GeV, moved from -15.8 % to -14.5 %). The phi shoulder (1.00 GeV, its own test
# below) and the 1.9-GeV dip are left out of the regions as narrow structure.
REGIONS = (
    (0.29, 0.44, 0.056),
    (0.44, 0.97, 0.026),
    (1.02, 1.37, 0.15),
    (1.38, 1.72, 0.08),
    (1.73, 1.98, 0.11),
)


def test_hadronic_width_against_darkcast() -> None:
    ref = _darkcast()
    m = ref[:, 0]
    ours = partial_widths(_km(m))["hadrons"]
    # DarkCast's alpha is ge^2 / 4 pi with ge = 0.302822; rescale to ours (1e-5 effect)
    ratio = ours / (ref[:, 1] * ALPHA / (0.302822**2 / (4 * math.pi)))
    checked = 0
    for lo, hi, tol in REGIONS:
        sel = (m > lo) & (m < hi) & (np.abs(m - 1.9) > 0.02)
        assert np.all(np.abs(ratio[sel] - 1) < tol), (m[sel], ratio[sel])
        checked += int(np.sum(sel))
    assert checked >= 30
    # the old point-by-point interpolation was 6 % low at 0.5 GeV; the VMD is within 2 %
    assert ratio[np.isclose(m, 0.5)][0] == pytest.approx(1.0, abs=0.02)
    # the phi shoulder (1.00 GeV, 4.6 widths below the peak): -6.8 % with the omega-phi
    # interference in 3 pi (-12.3 % with the incoherent sum)
    assert ratio[np.isclose(m, 1.0)][0] == pytest.approx(1.0, abs=0.075)


def test_branching_ratio_ee_against_darkcast() -> None:
    ref = _darkcast()
    m = ref[:, 0]
    br = branching_ratios(_km(m))["e+e-"]
    ratio = br / ref[:, 4]
    sel = np.abs(m - 1.9) > 0.02
    below = sel & (m < 0.97)
    assert np.all(np.abs(ratio[below] - 1) < 0.015)
    assert np.all(np.abs(ratio[sel] - 1) < 0.063)
    # 1 GeV (phi shoulder) was 4 % low with the interpolation, now within 3 % the other way;
    # 0.95 GeV (off the peak) agrees to 0.6 %: our R there (1.162) lies between DarkCast's
    # (1.179) and the PDG compilation / hazma (1.133 / 1.134) since the omega-phi interference
    # and the refitted remainder (docs/physics.md §3.7); it was 0.1 % with the incoherent sum
    assert ratio[np.isclose(m, 1.0)][0] == pytest.approx(1.0, abs=0.03)
    assert ratio[np.isclose(m, 0.95)][0] == pytest.approx(1.0, abs=0.006)


def test_r_against_hazma_exclusive_sum() -> None:
    # hazma 2.2's own sum of its exclusive channels (Herwig4DM fits, arXiv:1911.11147; stored by
    # tools/hazma_exclusive_r.py): an independent exclusive-channel model. Up to 1.55 GeV it
    # covers the channels that matter; ours agrees within 3.5 % below 1 GeV and 5 % in
    # 1.05-1.55 GeV (phi shoulder, |m - m_phi| < 25 MeV = 6 widths, left out; both were 4.5 % and
    # 7 % before the omega-phi interference in 3 pi: 0.95 GeV moved from +3.9 % to +2.4 %,
    # 1.05 GeV from +6.5 % to +4.7 %). Above 1.5 GeV it lacks 5 pi, 6 pi, K K pi pi: a lower
    # bound (1 % Monte Carlo error).
    hz = np.loadtxt(HAZMA)
    m, r_hz = hz[:, 0], hz[:, 1]
    ratio = r_ratio(m) / r_hz
    low = m < 0.97
    assert np.all(np.abs(ratio[low] - 1) < 0.035), (m[low], ratio[low])
    mid = (m > 1.02) & (m < 1.56) & (np.abs(m - hadrons.RESONANCES["phi"][0]) > 0.025)
    assert np.sum(mid) >= 10
    assert np.all(np.abs(ratio[mid] - 1) < 0.05), (m[mid], ratio[mid])
    assert np.all(ratio[m > 1.5] > 0.98)
    # the phi shoulder (1.00 GeV): -3.0 % with the omega-phi interference (-8.7 % without)
    assert ratio[np.isclose(m, 1.0)][0] == pytest.approx(1.0, abs=0.035)


def test_darkcast_excess_at_1p1_to_1p35_gev_is_not_in_independent_references() -> None:
    # why the DarkCast tolerance stays at 15 % there: DarkCast's R lies >= 8 % above both
    # hazma's exclusive-channel sum and the PDG compilation (mean of its points within +-10 MeV),
    # which agree with each other (and with ours) within 8 %
    ref = _darkcast()
    hz = np.loadtxt(HAZMA)
    x, R = r_ratio_table()
    for m0 in (1.10, 1.15, 1.20, 1.25, 1.30):
        dc = ref[np.isclose(ref[:, 0], m0), 5][0]
        r_hz = hz[np.isclose(hz[:, 0], m0), 1][0]
        pdg = R[np.abs(x - m0) <= 0.01].mean()
        assert dc / r_hz > 1.08 and dc / pdg > 1.06, m0
        assert abs(r_hz / pdg - 1) < 0.08, m0
        assert abs(float(r_ratio(m0)) / pdg - 1) < 0.06, m0


def test_hazma_reference_reproduces(monkeypatch: pytest.MonkeyPatch) -> None:
    # the stored hazma row at 1.2 GeV is what the installed hazma gives (its 3- and 4-body Monte
    # Carlo at 8192 points: ~1 % error, 3 % tolerance); ~2 s
    hazma_vm = pytest.importorskip("hazma.vector_mediator")
    hazma_par = pytest.importorskip("hazma.parameters")
    # hazma's RAMBO takes a fresh np.random.default_rng() (OS entropy) per phase space, not
    # numpy's global generator: give each one a child of a fixed seed, so the test is
    # deterministic (unseeded, single runs scattered by ~1 % and once fell 3.8 % low)
    seeds, default_rng = np.random.SeedSequence(7), np.random.default_rng
    monkeypatch.setattr(
        np.random, "default_rng", lambda s=None: default_rng(seeds.spawn(1)[0] if s is None else s)
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        km = hazma_vm.KineticMixingGeV(mx=1.0e4, mv=1200.0, gvxx=0.0, eps=1.0)
        pw = km.partial_widths(npts=8192)
    skip = {"e e", "mu mu", "tau tau", "ve ve", "vm vm", "vt vt", "x x", "total"}
    r_live = sum(float(v) for k, v in pw.items() if k not in skip) / (
        hazma_par.alpha_em * 1200.0 / 3.0
    )
    hz = np.loadtxt(HAZMA)
    assert r_live == pytest.approx(hz[np.isclose(hz[:, 0], 1.2), 1][0], rel=0.03)


def test_r_against_pdg_compilation_window_integrals() -> None:
    # smoothed comparison: 0.1-GeV window integrals of R vs the interpolated PDG compilation,
    # within 2.5 % (the compilation's own point-to-point scatter is ~5 %)
    x = np.arange(0.3, 2.0 + 1e-9, 0.001)
    new, old = r_ratio(x), r_ratio_data(x)
    for lo in np.arange(0.3, 2.0, 0.1):
        k = (x >= lo) & (x < lo + 0.1)
        assert np.trapezoid(new[k], x[k]) / np.trapezoid(old[k], x[k]) == pytest.approx(
            1.0, abs=0.025
        ), lo


def test_r_is_smooth_only_physical_extrema() -> None:
    # slope-sign changes on a 1 MeV grid 0.3-2 GeV: only the physical structures
    # (rho-omega peak, the dip before and the peak of the phi, the minimum after it, the
    # rho(1700) maximum and the 1.9-GeV dip); the interpolated compilation had 142. The
    # omega-phi interference in 3 pi adds none; it moves the dip before the phi from 0.991 to
    # 0.988 GeV and the minimum after it from 1.119 to 1.126 GeV (destructive above the phi)
    x = np.arange(0.3, 2.0 + 1e-9, 0.001)
    d = np.sign(np.diff(r_ratio(x)))
    turns = x[1:-1][d[1:] != d[:-1]]
    assert len(turns) == 6
    expected = (0.782, 0.988, 1.020, 1.126, 1.661, 1.892)
    assert np.allclose(turns, expected, atol=0.004)
    d_old = np.sign(np.diff(r_ratio_data(x)))
    assert np.sum(d_old[1:] != d_old[:-1]) > 100


def test_crossover_is_continuous() -> None:
    eps = 1e-7
    for x0 in (CROSSOVER_LO, CROSSOVER_HI):
        assert float(r_ratio(x0 - eps)) == pytest.approx(float(r_ratio(x0 + eps)), rel=1e-5)
    assert float(r_ratio(CROSSOVER_HI)) == pytest.approx(float(r_ratio_data(CROSSOVER_HI)))
    assert float(r_ratio(CROSSOVER_LO)) == pytest.approx(float(hadrons.r_vmd(CROSSOVER_LO)))


def test_pion_form_factor_limits() -> None:
    # at the pi pi threshold s = 4 m_pi^2 the form factor is fixed by the pion charge radius
    # (<r^2> = 0.434 fm^2 = 11.15 GeV^-2, PDG 2020): |F|^2 ~ 1/(1 - <r^2> s / 6)^2 = 1.32
    f_thr = abs(hadrons.pion_form_factor(np.array([2 * M_PI_CHARGED * (1 + 1e-6)]))[0]) ** 2
    assert 1.25 < f_thr < 1.45
    # |F_pi|^2 at the rho peak ~ 45 (e+e- data: 40-50 at 0.775 GeV; Belle tau fit: ~45)
    assert 38 < abs(hadrons.pion_form_factor(np.array([0.775]))[0]) ** 2 < 52
    # threshold P wave: R_pipi ~ beta^3
    x = 2 * M_PI_CHARGED * (1 + np.array([1e-4, 4e-4]))
    r = hadrons.r_pipi(x)
    beta = np.sqrt(1 - 4 * M_PI_CHARGED**2 / x**2)
    assert r[1] / r[0] == pytest.approx((beta[1] / beta[0]) ** 3, rel=2e-3)


def test_narrow_resonance_peaks_match_pdg_leptonic_widths() -> None:
    # On the peak a Breit-Wigner gives sigma_f = 12 pi BR_ee BR_f / m^2, i.e.
    # R_f = 9 BR_ee BR_f / alpha^2 (independent of the width shape normalization)
    for v, f in (("omega", "pi+pi-pi0"), ("phi", "K+K-"), ("omega", "pi0 gamma")):
        m, _, br_ee = hadrons.RESONANCES[v]
        expected = 9 * br_ee * hadrons.BRANCHING[(v, f)] / ALPHA**2
        assert float(hadrons.r_resonance(np.asarray(m), v, f)) == pytest.approx(expected, rel=1e-9)


def test_three_pion_omega_phi_interference() -> None:
    # the coherent omega + phi sum (CMD-2 phase 162 deg, PLB 434 (1998) 426): each term alone is
    # the single Breit-Wigner (PDG peak), the cross term obeys |2 Re(a b*)| <= 2 |a| |b|, and
    # for a phase near 180 deg it is constructive between the two peaks and destructive above
    # the phi (the relative sign of the two propagators flips between them)
    x = np.linspace(0.45, 1.9, 2901)
    om = hadrons.r_resonance(x, "omega", "pi+pi-pi0")
    ph = hadrons.r_resonance(x, "phi", "pi+pi-pi0")
    r = hadrons.r_three_pion(x)
    cross = r - om - ph
    assert np.all(np.abs(cross) <= 2 * np.sqrt(om * ph) * (1 + 1e-9) + 1e-15)
    between = (x > 0.85) & (x < 1.01)
    above = (x > 1.03) & (x < 1.9)
    assert np.all(cross[between] > 0) and np.all(cross[above] < 0)
    np.testing.assert_allclose(hadrons.r_channels_exact(x)["pi+pi-pi0"], r, rtol=1e-12)
    # independent reference: hazma's e+e- -> pi+pi-pi0 (Herwig4DM fit, arXiv:1911.11147, its own
    # omega-phi phase; tests/data column 4) has the interference dip at 1.05 GeV, R_3pi = 0.013,
    # about 5x below the incoherent omega + phi sum (0.062); ours is 0.009 there
    hz = np.loadtxt(HAZMA)
    r_hz = hz[np.isclose(hz[:, 0], 1.05), 3][0]
    x0 = np.asarray(1.05)
    incoherent = float(
        hadrons.r_resonance(x0, "omega", "pi+pi-pi0") + hadrons.r_resonance(x0, "phi", "pi+pi-pi0")
    )
    assert incoherent / r_hz > 4
    assert abs(float(hadrons.r_three_pion(x0)) - r_hz) < 0.006


def test_radiative_channels_open_below_two_pions() -> None:
    # m_pi0 < m_V < 2 m_pi+: pi0 gamma is the only hadronic channel, and it is the hadrons width
    m = np.array([0.15, 0.2, 0.25, 0.27])
    model = _km(m)
    b = hadronic_breakdown(model)
    assert set(b) == set(HADRONIC_CHANNELS)
    assert np.all(b["pi0 gamma"] > 0)
    for k in HADRONIC_CHANNELS:
        if k != "pi0 gamma":
            assert np.all(b[k] == 0), k
    np.testing.assert_allclose(b["pi0 gamma"], hadronic_width(model), rtol=1e-12)
    # DarkCast's pi0 gamma (omega-only VMD) at 0.3 GeV: R = 5.69e-6 (its grid); ours (omega + phi)
    r = hadrons.r_channels(np.asarray(0.3))["pi0 gamma"]
    assert float(r) == pytest.approx(5.69e-6, rel=0.15)
    # P-wave M1 threshold: Gamma ~ p_gamma^3 near m_pi0; eta gamma closed below m_eta
    assert float(hadrons.r_channels(np.asarray(M_PI0 * 0.999))["pi0 gamma"]) == 0.0
    assert float(hadrons.r_channels(np.asarray(M_ETA * 0.999))["eta gamma"]) == 0.0
    assert float(hadrons.r_channels(np.asarray(M_ETA * 1.01))["eta gamma"]) > 0.0
    # partial_width accepts 'hadrons' above m_pi0 (it used to require 2 m_pi+)
    assert float(partial_width(_km(np.asarray(0.2)), "hadrons")) > 0
    with pytest.raises(ValueError, match="hadrons threshold"):
        partial_width(_km(np.asarray(0.13)), "hadrons")


def test_breakdown_sums_to_hadronic_width() -> None:
    m = np.linspace(0.14, 2.5, 301)
    for kw in (dict(eps=1e-3), dict(mu=1e-3, eps=None)):
        kw = {k: v for k, v in kw.items() if v is not None}
        model = DarkSector.build(m, 0.5, r=10.0, **kw)
        b = hadronic_breakdown(model)
        np.testing.assert_allclose(sum(b.values()), hadronic_width(model), rtol=1e-12, atol=0)
        assert all(np.all(v >= 0) for v in b.values())
    for presc in ("parton", "none"):
        model = DarkSector.build(m, 0.5, r=10.0, eps=1e-3, hadrons=presc)
        b = hadronic_breakdown(model)
        np.testing.assert_allclose(sum(b.values()), hadronic_width(model), rtol=1e-12)


def test_multi_hadron_coefficients_are_the_documented_fit() -> None:
    # the stored remainder is the non-negative least-squares fit of tools/fit_hadron_continuum.py
    # (PDG compilation minus the exclusive channels, 0.9-2.45 GeV, phi peak excluded): refit
    # and compare, so a change of any exclusive parameter without a refit fails here
    from scipy.optimize import nnls

    from darkmoments.physics.rratio import r_ratio_table

    x, R = r_ratio_table()
    keep = (x > 0.9) & (x < 2.45) & ~((x > 1.0) & (x < 1.04))
    x, R = x[keep], R[keep]
    exclusive = hadrons.r_channels_exact(x)
    exclusive.pop("multi-hadron")
    coeffs, _ = nnls(hadrons.multi_hadron_design(x), R - sum(exclusive.values()))
    np.testing.assert_allclose(coeffs, hadrons.MULTI_HADRON_COEFFS, atol=1e-4)


def test_uniform_table_lookup_is_np_interp() -> None:
    """The direct-index lookup of the R tables (hadrons.UniformTable) gives np.interp's numbers
    bit for bit (left = 0, the last value above the table, nan for nan): random points, every
    node of the 0.1-MeV tables and its neighbouring floats, both ends, +-inf; r_channels and
    r_vmd below VMD_MAX, the three-pion width table (np.linspace nodes), a 2-D input."""
    nodes, per, total = hadrons._tables()
    rng = np.random.default_rng(8)
    x = np.concatenate(
        [
            rng.uniform(-0.1, 2.6, 20000),
            nodes,
            np.nextafter(nodes, -1.0),
            np.nextafter(nodes, 3.0),
            [np.nan, np.inf, -np.inf, 0.0, nodes[0], nodes[-1], nodes[-1] + 1e-4],
        ]
    )
    with np.errstate(invalid="ignore"):
        inside = ~(x > nodes[-1])
    channels = hadrons.r_channels(x[inside])
    for i, k in enumerate(hadrons.VMD_CHANNELS):
        ref = np.interp(x[inside], nodes, per[i], left=0.0)
        np.testing.assert_array_equal(channels[k], ref)
    np.testing.assert_array_equal(
        hadrons.r_vmd(x[inside]), np.interp(x[inside], nodes, total, left=0.0)
    )
    table = hadrons.UniformTable(nodes, per)
    for got, row in zip(table(x), per, strict=True):
        np.testing.assert_array_equal(got, np.interp(x, nodes, row, left=0.0))
    grid, width = hadrons._three_pion_table()
    got = hadrons.UniformTable(grid, width)(x[:20000].reshape(100, 200))[0]
    np.testing.assert_array_equal(
        got, np.interp(x[:20000], grid, width, left=0.0).reshape(100, 200)
    )
    with pytest.raises(ValueError, match="non-uniform"):
        hadrons.UniformTable(np.array([0.0, 1.0, 3.0]), np.zeros(3))
