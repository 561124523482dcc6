"""The gamma e -> V e subprocess |M|^2 of the WW master relation (docs/physics.md §7.2) against the
Dirac trace oracle (darkmoments.physics.dirac), and the master relation against BEST A12 /
docs/physics.md §7.3.

Tolerance 1e-10 relative for closed form vs oracle (double-precision traces of O(1) numbers with
cancellations of at most ~1e3); 1e-12 for the algebraic identities."""

from __future__ import annotations

import math

import numpy as np
import pytest

from darkmoments.constants import ALPHA, E_CHARGE, M_ELECTRON
from darkmoments.constants.materials import get_target
from darkmoments.model import DarkSector
from darkmoments.physics import brem_ww as an
from darkmoments.physics import dirac
from darkmoments.physics.vertex import dirac_coefficients

RNG = np.random.default_rng(20240604)
STRUCTURES = {
    "km": {"eps": 0.7},
    "mdm": {"mu": 0.9},
    "edm": {"d": 0.6},
    "cr": {"b": 1.3},
    "am": {"a": 0.8},
    "ax": {"g_A": 0.4},
}


def _model(m_V: float, *keys: str) -> DarkSector:
    kw: dict[str, float] = {}
    for k in keys:
        kw.update(STRUCTURES[k])
    return DarkSector.build(m_V, 0.5, r=0.5, fermions="electron", **kw)


def _momenta(s: float, u: float, M: float, beta: np.ndarray):
    """CM momenta of gamma(q) e(p) -> V(k) e(p') (massless e) with invariants s, u, boosted."""
    rs = math.sqrt(s)
    E = rs / 2
    p = np.array([E, 0.0, 0.0, E])
    q = np.array([E, 0.0, 0.0, -E])
    kabs = (s - M**2) / (2 * rs)
    Ek = (s + M**2) / (2 * rs)
    cos = (u - M**2 + 2 * E * Ek) / (2 * E * kabs)  # u = M^2 - 2 p.k
    sin = math.sqrt(1 - cos**2)
    phi = RNG.uniform(0, 2 * math.pi)
    k = np.array([Ek, kabs * sin * math.cos(phi), kabs * sin * math.sin(phi), kabs * cos])
    pp = p + q - k
    return tuple(dirac.boost(v, beta) for v in (p, q, k, pp))


def oracle_msq(model: DarkSector, p, q, k, pp, m: float = 0.0, fermion: str = "e") -> float:
    """(1/4) sum |M|^2 by Dirac traces: M = ubar(p')[G S(p+q) (-e eps_g.gamma) + (-e eps_g.gamma)
    S(p-k) G] u(p), S(l) = (lslash + m)/(l^2 - m^2), G = Gamma^nu(-k) eps*_nu(k) with the model's
    full vertex on ``fermion`` (docs/physics.md §2.1: q into the vertex along V = -k). m = 0: the
    massless lepton of the kernels tested here; test_brem_ww_massive.py uses m_e and m_mu."""
    G = dirac.vertex(dirac_coefficients(model, fermion), -k)
    one = dirac.ID4
    S1 = (dirac.slash(p + q) + m * one) / (dirac.dot(p + q, p + q) - m**2)
    S2 = (dirac.slash(p - k) + m * one) / (dirac.dot(p - k, p - k) - m**2)
    total = 0.0
    for eg in dirac.polarizations(q, massless=True):
        photon = -E_CHARGE * dirac.slash(eg)
        for ev in dirac.polarizations(k):
            Gv = dirac.contract(G, ev)
            op = Gv @ S1 @ photon + photon @ S2 @ Gv
            total += float(dirac.fermion_line_sum(pp, m, op, p, m))
    return total / 4.0


PAIRS = [(a, b) for i, a in enumerate(STRUCTURES) for b in list(STRUCTURES)[i:]]


@pytest.mark.parametrize(("a", "b"), PAIRS)
def test_subprocess_vs_oracle_all_pairs(a: str, b: str) -> None:
    """docs/physics.md §7.2 closed form (with G_V, G_A, mu, d) == trace oracle for every structure
    pair, interference included, on random boosted kinematics; 1e-10."""
    for _ in range(3):
        M = RNG.uniform(0.05, 1.5)
        s = M**2 + RNG.uniform(0.2, 20.0)
        u = -RNG.uniform(0.01, 0.99) * (s - M**2) ** 2 / s  # physical range of u for q^2 = 0
        beta = RNG.normal(size=3)
        beta *= RNG.uniform(0, 0.95) / np.linalg.norm(beta)
        model = _model(M, a, b)
        ref = oracle_msq(model, *_momenta(s, u, M, beta))
        got = float(an.subprocess_msq(model, s, u))
        assert got == pytest.approx(ref, rel=1e-10)


def test_dipole_vector_interference_vanishes_only_for_massless_electron() -> None:
    """Chirality: KM x MDM interference is zero for m_e = 0 (used by the closed form) and is
    O(m_e) otherwise -- the oracle with m_e != 0 shows it, so the check can fail."""
    M, s, u = 0.4, 3.0, -0.9
    beta = np.array([0.1, -0.2, 0.3])
    mom = _momenta(s, u, M, beta)
    both, km, mdm = _model(M, "km", "mdm"), _model(M, "km"), _model(M, "mdm")
    interference = oracle_msq(both, *mom) - oracle_msq(km, *mom) - oracle_msq(mdm, *mom)
    assert abs(interference) < 1e-12 * oracle_msq(both, *mom)


def test_edm_equals_mdm_and_cr_am_equal_km() -> None:
    """docs/physics.md §7.8: EDM(d) == MDM(mu = d); CR(b) == KM(e eps = b M^2); AM(a) == KM(e eps =
    a M^2) (m_e -> 0), exactly at the level of the subprocess."""
    M, s, u = 0.3, 2.0, -0.5
    mdm = DarkSector.build(M, 0.5, r=0.5, mu=0.37)
    edm = DarkSector.build(M, 0.5, r=0.5, d=0.37)
    assert an.subprocess_msq(edm, s, u) == pytest.approx(an.subprocess_msq(mdm, s, u), rel=1e-14)
    b = 2.1
    cr = DarkSector.build(M, 0.5, r=0.5, b=b)
    am = DarkSector.build(M, 0.5, r=0.5, a=b)
    km = DarkSector.build(M, 0.5, r=0.5, eps=b * M**2 / E_CHARGE)
    ref = an.subprocess_msq(km, s, u)
    assert an.subprocess_msq(cr, s, u) == pytest.approx(ref, rel=1e-13)
    assert an.subprocess_msq(am, s, u) == pytest.approx(ref, rel=1e-13)


def _master(model, E0, target, x, theta, msq, m_e=M_ELECTRON):
    """docs/physics.md §7.1 master relation evaluated with a given subprocess |M|^2 function."""
    M = float(model.m_V)
    U = E0**2 * theta**2 * x + M**2 * (1 - x) / x + m_e**2 * x
    s_hat, u_hat = U / (1 - x), -U
    beta = math.sqrt(1 - M**2 / E0**2)
    t_min = U**2 / (4 * E0**2 * (1 - x) ** 2)
    chi = an.chi(t_min, E0**2, target)
    return (
        E0**2
        * x
        * ALPHA
        * chi
        / math.pi
        * beta
        / (1 - x)
        * msq(model, s_hat, u_hat)
        / (8 * math.pi * s_hat**2),
        chi,
        U,
        beta,
    )


@pytest.mark.parametrize("keys", [("km",), ("mdm",), ("km", "mdm", "cr", "am", "edm", "ax")])
def test_d2sigma_is_the_master_relation_with_the_oracle_msq(keys) -> None:
    """d2sigma/dx dcos (1/U polynomial) == the WW master relation (docs/physics.md §7.1) fed
    with the ORACLE |M|^2 at s = U/(1-x), u = -U (U with m_e); 1e-6 = the flux spline's
    accuracy (tested in test_brem_ww.py), the algebra being exact."""
    W = get_target("W")
    E0, M = 4.0, 0.3
    model = _model(M, *keys)
    for x, theta in [(0.3, 0.0), (0.7, 0.02), (0.9, 0.1), (0.97, 0.004)]:

        def msq(model, s, u):
            mom = _momenta(s, u, M, np.zeros(3))
            return oracle_msq(model, *mom)

        ref, *_ = _master(model, E0, W, x, theta, msq)
        got = float(an.d2sigma_dx_dcos(model, E0, W, x, theta))
        assert got == pytest.approx(ref, rel=1e-6)


def test_best_a12_and_spec_mdm_formula_term_by_term() -> None:
    """KM: BEST eq. A12, 8 alpha^3 eps^2 beta chi/U^2 [(1-x+x^2/2) - x(1-x) M^2 E0^2 x theta^2/U^2];
    MDM: docs/physics.md §7.3 (2 alpha^2 mu^2 chi beta/pi)[x/U + M^2 (1-x)^2 (t^2+M^4)/(4U^4)];
    Rizzo Eq. 17 (rizzo_printed) = first term. Same chi; m_e = 0 (the master relation has a
    massless electron inside |M|^2, A12 equals it up to O(m_e^2/U)); 1e-12."""
    W = get_target("W")
    E0, M, eps, mu = 4.0, 0.5, 1e-3, 2e-4
    km = DarkSector.build(M, 0.5, r=0.5, eps=eps)
    md = DarkSector.build(M, 0.5, r=0.5, mu=mu)
    for x, theta in [(0.2, 0.0), (0.6, 0.05), (0.85, 0.01), (0.95, 0.2)]:
        ref_km, chi, U, beta = _master(km, E0, W, x, theta, an.subprocess_msq, m_e=0.0)
        a12 = (
            8
            * ALPHA**3
            * eps**2
            * beta
            * chi
            / U**2
            * ((1 - x + x**2 / 2) - x * (1 - x) * M**2 * (E0**2 * x * theta**2) / U**2)
        )
        assert ref_km / (E0**2 * x) == pytest.approx(a12, rel=1e-12)
        t_hat = M**2 - x * U / (1 - x)
        full = (
            2
            * ALPHA**2
            * mu**2
            * chi
            * beta
            / math.pi
            * (x / U + M**2 * (1 - x) ** 2 * (t_hat**2 + M**4) / (4 * U**4))
        )
        ref_md, *_ = _master(md, E0, W, x, theta, an.subprocess_msq, m_e=0.0)
        assert ref_md / (E0**2 * x) == pytest.approx(full, rel=1e-12)
        rizzo = 2 * ALPHA**2 * mu**2 * chi * beta / math.pi * x / U
        ref_r, *_ = _master(
            md, E0, W, x, theta, lambda m, s, u: an.subprocess_msq(m, s, u, "rizzo_printed"), 0.0
        )
        assert ref_r / (E0**2 * x) == pytest.approx(rizzo, rel=1e-12)


def test_me_exact_variant_reduces_to_a12() -> None:
    """G4DarkBreM's m_e-exact KM form (arXiv:2101.12192 Eqs. 16-17, docs/physics.md §7.3) -> BEST
    A12 when m_e << M and x E0 >> M: relative difference O(m_e^2/U, M^2/(x E0)^2) < 2e-3 here."""
    W = get_target("W")
    km = DarkSector.build(0.2, 0.5, r=0.5, eps=1e-3)
    x = np.array([0.3, 0.6, 0.9])
    theta = np.array([0.0, 0.01, 0.05])
    a = an.d2sigma_dx_dcos(km, 20.0, W, x, theta)
    b = an.d2sigma_dx_dcos(km, 20.0, W, x, theta, variant="me_exact")
    np.testing.assert_allclose(b, a, rtol=2e-3)
    assert not np.allclose(b, a, rtol=1e-9)  # it is a different formula
