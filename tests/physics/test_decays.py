"""Dark-photon decays against references: textbook KM width, Rizzo Eq. 8, docs/physics.md §3
identities, the Dirac-trace oracle for every pair of structures, the R ratio, and no NaN over the
domain."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from darkmoments.constants import ALPHA, FERMIONS, M_ELECTRON, M_MUON, M_TAU
from darkmoments.model import INTERACTIONS, DarkSector
from darkmoments.physics import dirac as D
from darkmoments.physics.decays import (
    CHANNELS,
    branching_ratios,
    msq_decay,
    partial_width,
    partial_widths,
    total_width,
    width_mdm_rizzo_printed,
    width_to_fermions,
)
from darkmoments.physics.propagator import breit_wigner_denominator
from darkmoments.physics.rratio import (
    CROSSOVER_HI,
    R_DATA_MAX,
    r_ratio,
    r_ratio_data,
    r_ratio_table,
)
from darkmoments.physics.vertex import dirac_coefficients, lorentz_couplings

CLOSED = 2.5  # r: DM channel closed
COEF_NAMES = {k: INTERACTIONS[k].coefficient for k in INTERACTIONS}


@pytest.mark.parametrize(
    ("channel", "m_l"), [("e+e-", M_ELECTRON), ("mu+mu-", M_MUON), ("tau+tau-", M_TAU)]
)
def test_km_leptonic_width_textbook(channel: str, m_l: float) -> None:
    # docs/physics.md §3.2 [LIT]: Gamma = alpha eps^2 m_V/3 (1 + 2 m_l^2/m_V^2) sqrt(1 - 4
    # m_l^2/m_V^2)
    m_V, eps = 4.0, 3e-4
    model = DarkSector.build(m_V, 0.5, r=CLOSED, eps=eps)
    expected = (
        ALPHA * eps**2 * m_V / 3 * (1 + 2 * m_l**2 / m_V**2) * math.sqrt(1 - 4 * m_l**2 / m_V**2)
    )
    assert partial_width(model, channel) == pytest.approx(expected, rel=1e-13)


def test_mdm_ee_width_rizzo_eq8_with_electron_mass_terms() -> None:
    # Rizzo Eq. 8 prints (1 - 4m^2/M^2) = beta^2 where the verified width has beta (docs/physics.md
    # §3.2 ⚠): same (1 + 8 m^2/M^2) mass term, ratio exactly beta.
    for m_V in (0.0011, 0.01, 0.1, 1.0):
        alpha_D, Lam = 0.5, 12.5e3
        model = DarkSector.build(m_V, alpha_D, r=CLOSED, lambda_mdm=Lam, fermions="electron")
        ours = float(partial_widths(model)["e+e-"])
        printed = float(width_mdm_rizzo_printed(m_V, M_ELECTRON, Lam, alpha_D))
        beta = math.sqrt(1 - 4 * M_ELECTRON**2 / m_V**2)
        assert printed / ours == pytest.approx(beta, rel=1e-12)
    # docs/physics.md §15.2: Gamma/m_V = 5.3e-12 at alpha_D = 0.5, m_V = 0.1, Lambda/alpha_D = 25
    # TeV
    model = DarkSector.build(0.1, 0.5, r=CLOSED, lambda_mdm=12.5e3, fermions="electron")
    assert float(partial_widths(model)["e+e-"]) / 0.1 == pytest.approx(5.3e-12, rel=0.01)


def _random_decay(rng: np.random.Generator, M: float, m: float, n: int = 6):
    k, p1, p2 = D.two_body_decay(np.full(n, M), m, m, rng.uniform(-1, 1, n), rng.uniform(0, 6, n))
    beta = rng.uniform(-0.6, 0.6, (n, 3))
    return [D.boost(x, beta) for x in (k, p1, p2)]


PAIRS = list(itertools.combinations_with_replacement(sorted(INTERACTIONS), 2))


@pytest.mark.parametrize(("s1", "s2"), PAIRS)
def test_closed_form_equals_trace_oracle_for_every_pair(
    s1: str, s2: str, rng: np.random.Generator
) -> None:
    # docs/physics.md §15.1: every closed form agrees with the Dirac-trace oracle to ~1e-10
    # relative, with the FULL vertex (q^mu qslash terms kept) and fermion masses kept; random sizes
    # and signs.
    for fermion in ("e", "mu", "tau", "u"):
        M = rng.uniform(2 * FERMIONS[fermion].mass + 0.05, 5.0)
        couplings = {}
        for key in {s1, s2}:
            scale = (
                1e-3
                if key == "km"
                else rng.uniform(0.2, 2.0) / M ** (INTERACTIONS[key].scale_power or 1)
            )
            value = abs(rng.normal()) * scale
            couplings[COEF_NAMES[key]] = value if key == "km" else value * rng.choice([-1, 1])
        model = DarkSector.build(M, 0.5, r=CLOSED, **couplings)
        k, p1, p2 = _random_decay(rng, M, FERMIONS[fermion].mass)
        oracle = D.msq_decay_trace(
            dirac_coefficients(model, fermion), k, p1, p2, FERMIONS[fermion].mass
        )
        closed = msq_decay(M, FERMIONS[fermion].mass, lorentz_couplings(model, fermion, M * M))
        assert np.allclose(oracle, closed, rtol=1e-10, atol=0)


def test_width_normalization_from_oracle(rng: np.random.Generator) -> None:
    # Gamma = |p| / (8 pi M^2) <|M|^2>, <|M|^2> = (1/3) sum: ties width_to_fermions to the oracle
    M, m = 1.3, M_MUON
    model = DarkSector.build(M, 0.5, r=CLOSED, eps=1e-3, mu=0.4, b=0.2, d=-0.3, a=0.1)
    k, p1, p2 = _random_decay(rng, M, m, 1)
    msq = D.msq_decay_trace(dirac_coefficients(model, "mu"), k, p1, p2, m)[0] / 3
    pabs = math.sqrt(M**2 / 4 - m**2)
    assert float(partial_widths(model)["mu+mu-"]) == pytest.approx(
        pabs / (8 * math.pi * M**2) * msq, rel=1e-12
    )


def test_mdm_equals_edm_for_massless_fermions() -> None:
    # docs/physics.md §2.1 / §3.2: EDM == MDM for rates when m_f -> 0 (neutrinos exactly; electrons
    # ~ m^2/M^2)
    kw = dict(m_V=0.8, alpha_D=0.5, r=CLOSED, neutrinos=True)
    w_mdm = partial_widths(DarkSector.build(**kw, mu=1e-3))
    w_edm = partial_widths(DarkSector.build(**kw, d=1e-3))
    assert w_mdm["nu"] == pytest.approx(w_edm["nu"], rel=1e-14)
    assert w_mdm["e+e-"] == pytest.approx(w_edm["e+e-"], rel=1e-5)
    assert w_mdm["mu+mu-"] != pytest.approx(w_edm["mu+mu-"], rel=1e-2)


def test_mdm_over_km_width_ratio_massless_limit() -> None:
    # docs/physics.md §15.1: MDM width at m_f -> 0 is (1/2) mu^2 M^2 / gV^2 of KM's
    M, mu, eps = 0.9, 2e-3, 1e-4
    km = partial_widths(DarkSector.build(M, 0.5, r=CLOSED, eps=eps))["e+e-"]
    mdm = partial_widths(DarkSector.build(M, 0.5, r=CLOSED, mu=mu))["e+e-"]
    gV2 = 4 * math.pi * ALPHA * eps**2
    assert mdm / km == pytest.approx(0.5 * mu**2 * M**2 / gV2, rel=1e-5)


def test_km_mdm_interference_sign_and_mass_suppression() -> None:
    # docs/physics.md §3.2: interference + N_c gV mu m M beta / (2 pi), vanishing for m -> 0 (Rizzo
    # fn. 3)
    M, eps, mu = 1.0, 1e-3, 2e-3
    w = {
        k: float(partial_widths(DarkSector.build(M, 0.5, r=CLOSED, **c))["mu+mu-"])
        for k, c in {"km": {"eps": eps}, "mdm": {"mu": mu}, "both": {"eps": eps, "mu": mu}}.items()
    }
    gV = -math.sqrt(4 * math.pi * ALPHA) * eps
    beta = math.sqrt(1 - 4 * M_MUON**2 / M**2)
    assert w["both"] - w["km"] - w["mdm"] == pytest.approx(
        gV * mu * M_MUON * M * beta / (2 * math.pi), rel=1e-10
    )


def test_charge_radius_and_anapole_identities() -> None:
    # docs/physics.md §3.2: CR = KM with gV -> gV + b M^2; AM = axial width with gA = a M^2
    # (registry 'ax')
    M, b = 0.7, 3e-3
    cr = partial_widths(DarkSector.build(M, 0.5, r=CLOSED, b=b, fermions="leptons"))
    eps_eff = b * M**2 / math.sqrt(4 * math.pi * ALPHA)
    km = partial_widths(DarkSector.build(M, 0.5, r=CLOSED, eps=eps_eff))
    assert cr["mu+mu-"] == pytest.approx(km["mu+mu-"], rel=1e-13)
    am = partial_widths(DarkSector.build(M, 0.5, r=CLOSED, a=b))
    ax = partial_widths(DarkSector.build(M, 0.5, r=CLOSED, g_A=b * M**2))
    for ch in CHANNELS:
        assert am[ch] == pytest.approx(ax[ch], rel=1e-13, abs=0)


def test_dm_width_rizzo() -> None:
    # Rizzo Sec. 3.1: Gamma(V -> phi* phi)/m_V = alpha_D beta_r^3 / 12
    for r in (0.1, 0.6, 0.99):
        model = DarkSector.build(0.4, 0.3, r=r)
        assert float(partial_widths(model)["DM"]) / 0.4 == pytest.approx(
            0.3 * (1 - r * r) ** 1.5 / 12, rel=1e-13
        )
    assert float(partial_widths(DarkSector.build(0.4, 0.3, r=1.2))["DM"]) == 0.0


def test_km_hadronic_width_is_R_times_massless_muon_width() -> None:
    # docs/physics.md §3.4: exact by unitarity, Gamma_had = alpha eps^2 M R(M) / 3
    M = np.array([0.4, 0.775, 1.019, 1.6, 3.0, 12.0])
    model = DarkSector.build(M, 0.5, r=CLOSED, eps=1e-3)
    had = partial_widths(model)["hadrons"]
    assert np.allclose(had, ALPHA * 1e-6 * M / 3 * r_ratio(M), rtol=1e-12)
    # charge-weighted vector moments are exactly KM-like: ratio to KM independent of M
    cw = partial_widths(DarkSector.build(M, 0.5, r=CLOSED, b=1e-2, fermions="charge-weighted"))
    ratio = cw["hadrons"] / cw["mu+mu-"]
    km_ratio = had / partial_widths(model)["mu+mu-"]
    assert np.allclose(ratio[M > 1], km_ratio[M > 1], rtol=1e-3)


def test_r_ratio_against_pdg_table() -> None:
    # The data interpolation reproduces the PDG 2020 nodes; r_ratio equals it above the VMD
    # crossover (was: r_ratio == interpolation from 0.3 GeV on; below 2 GeV r_ratio is now the
    # smooth VMD description, compared to the same table in tests/physics/test_rratio_vmd.py).
    x, R = r_ratio_table()
    inside = (x >= 0.3) & (x <= R_DATA_MAX)
    assert np.allclose(r_ratio_data(x[inside]), R[inside], rtol=1e-12)
    above = inside & (x >= CROSSOVER_HI)
    assert np.allclose(r_ratio(x[above]), R[above], rtol=1e-12)
    grid = np.linspace(0.6, 0.9, 3001)
    assert 0.77 < grid[np.argmax(r_ratio(grid))] < 0.79  # rho-omega
    grid = np.linspace(1.0, 1.04, 4001)
    assert abs(grid[np.argmax(r_ratio(grid))] - 1.0195) < 0.001  # phi(1020)
    # below 2 m_pi+ only pi0 gamma (and nothing below m_pi0)
    assert r_ratio(0.13) == 0.0
    assert 0.0 < float(r_ratio(0.25)) < 1e-4
    # above the data: parton model 11/3 (1 + alpha_s/pi), alpha_s(20 GeV) ~ 0.15
    assert float(r_ratio(20.0)) == pytest.approx(11 / 3 * (1 + 0.15 / math.pi), rel=0.01)


def test_vectorized_equals_scalar_loop() -> None:
    M = np.geomspace(0.01, 5, 40)
    vec = total_width(DarkSector.build(M, 0.5, r=0.7, eps=1e-4, mu=1e-4, a=1e-3))
    loop = [
        float(total_width(DarkSector.build(m, 0.5, r=0.7, eps=1e-4, mu=1e-4, a=1e-3))) for m in M
    ]
    assert np.allclose(vec, loop, rtol=1e-14)


def test_branching_ratios_sum_to_one() -> None:
    M = np.geomspace(0.01, 2, 50)
    br = branching_ratios(DarkSector.build(M, 0.5, r=2.5, mu=1e-4, neutrinos=True))
    assert np.allclose(sum(br.values()), 1.0)


def test_explicit_channel_below_threshold_is_an_error() -> None:
    model = DarkSector.build(0.1, 0.5, r=0.6, eps=1e-3)
    with pytest.raises(ValueError, match=r"tau\+tau- threshold"):
        partial_width(model, "tau+tau-")
    with pytest.raises(ValueError, match="DM threshold"):
        partial_width(model.replace(m_DM=0.2), "DM")
    with pytest.raises(ValueError, match="channel"):
        partial_width(model, "gamma gamma")


def test_running_width_propagator_equals_fixed_on_shell() -> None:
    model = DarkSector.build(0.5, 0.5, r=0.6, eps=1e-3, mu=1e-3)
    s = np.array([0.25])
    fixed = breit_wigner_denominator(s, model)
    running = breit_wigner_denominator(s, model.replace(width="running"))
    assert np.allclose(fixed, running, rtol=1e-13)
    assert np.all(
        breit_wigner_denominator(np.array([0.1, 1.0]), model.replace(width="running"))
        != breit_wigner_denominator(np.array([0.1, 1.0]), model)
    )


@settings(max_examples=60, deadline=None)
@given(
    m_V=st.floats(1e-3, 10.0),
    r=st.floats(0.05, 3.0),
    alpha_D=st.floats(1e-4, 1.0),
    log_scale=st.floats(-1.0, 6.0),
    structure=st.sampled_from(sorted(INTERACTIONS)),
    fermions=st.sampled_from(["electron", "leptons", "universal", "charge-weighted"]),
    hadrons=st.sampled_from(["r_scaled", "parton", "none"]),
)
def test_widths_finite_and_non_negative(
    m_V: float,
    r: float,
    alpha_D: float,
    log_scale: float,
    structure: str,
    fermions: str,
    hadrons: str,
) -> None:
    inter = INTERACTIONS[structure]
    if inter.scale:
        kw = {inter.scale: 10.0**log_scale}
    else:
        kw = {inter.coefficient: 10.0 ** (-log_scale)}
    model = DarkSector.build(
        m_V, alpha_D, r=r, fermions=fermions, hadrons=hadrons, neutrinos=True, **kw
    )
    widths = partial_widths(model)
    for v in widths.values():
        assert np.all(np.isfinite(v)) and np.all(v >= 0)
    assert np.all(np.isfinite(list(branching_ratios(model).values())))


def test_width_to_fermions_closed_below_threshold() -> None:
    from darkmoments.physics.vertex import LorentzCouplings

    c = LorentzCouplings(np.array(1.0), np.array(0.0), np.array(0.0), np.array(0.0))
    assert float(width_to_fermions(0.1, 0.2, 1, c)) == 0.0


@pytest.mark.parametrize(
    "kw",
    [
        {"fermions": "charge-weighted", "eps": 1e-4},
        {"mu": 1e-2, "neutrinos": True},
        {"eps": 1e-4, "mu": 1e-3, "b": 1e-3, "a": 2e-3, "d": 5e-4, "neutrinos": True},
        {"fermions": "charge-weighted", "couplings": {"ax": 1e-4}, "b": 3e-3},
    ],
)
def test_massless_sums_are_the_master_function_per_fermion(kw: dict) -> None:
    """The quark and neutrino sums of the widths (decays._massless_sum, decays._r_scale: per-
    fermion constants, cumulative over the quark thresholds) vs the massless master function
    of docs/physics.md §3.1 evaluated fermion by fermion on the couplings at q^2 = Q^2, summed
    over the quarks above their thresholds (Q across the c and b thresholds, both sides of
    each): tolerance 4e-15 (rounding order); KM charge-weighted exactly."""
    from darkmoments.physics import decays
    from darkmoments.physics.decays import LIGHT_QUARKS, NEUTRINOS, master_function
    from darkmoments.physics.vertex import lorentz_couplings

    model = DarkSector.build(0.5, 0.5, r=2 / 3, **kw)
    thr = [FERMIONS[q].threshold for q in ("c", "b")]
    Q = np.concatenate([np.geomspace(1e-3, 40.0, 2000), thr, np.nextafter(thr, 100.0)])
    Q2 = Q * Q

    def nf(f: str) -> np.ndarray:
        return FERMIONS[f].n_colors * master_function(Q2, 0.0, lorentz_couplings(model, f, Q2))

    num = sum(np.where(Q > FERMIONS[q].threshold, nf(q), 0.0) for q in LIGHT_QUARKS)
    den = sum(
        np.where(Q > FERMIONS[q].threshold, FERMIONS[q].n_colors * FERMIONS[q].charge ** 2, 0.0)
        for q in LIGHT_QUARKS
    )
    ref_r = Q / (12.0 * math.pi) * num / den
    ref_nu = sum(nf(f) for f in NEUTRINOS)
    exact = kw.get("fermions") == "charge-weighted" and set(kw) == {"fermions", "eps"}
    rtol = 0.0 if exact else 4e-15
    np.testing.assert_allclose(decays._r_scale(model, Q), ref_r, rtol=rtol, atol=0.0)
    np.testing.assert_allclose(decays._massless_sum(model, NEUTRINOS, Q), ref_nu, rtol=rtol)
    if exact:
        np.testing.assert_array_equal(decays._r_scale(model, Q), ref_r)


def test_partial_widths_subset_of_channels() -> None:
    """partial_widths(channels=...) returns exactly those entries of the full dict (same
    numbers, CHANNELS order); an unknown channel is a ValueError naming it."""
    model = DarkSector.build(0.8, 0.5, r=2 / 3, fermions="charge-weighted", eps=1e-4, mu=1e-3)
    Q = np.geomspace(0.05, 12.0, 300)
    full = partial_widths(model, Q)
    sub = partial_widths(model, Q, channels=("hadrons", "e+e-", "nu"))
    assert list(sub) == ["e+e-", "nu", "hadrons"]
    for k, v in sub.items():
        np.testing.assert_array_equal(v, full[k])
    with pytest.raises(ValueError, match="photons"):
        partial_widths(model, Q, channels=("photons",))
