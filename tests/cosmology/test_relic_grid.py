"""Grid (vectorized) relic densities and targets, and the solver's accuracy against independent
methods.

References: the single-model API (the grid with one model must equal its row of a larger
grid); physics.annihilation.cross_section (the quadratic-in-coupling form of the targets);
scipy's BDF at rtol 1e-10 on the same equation (a second integrator); hazma 2.2.0's Boltzmann
solver for a constant and a p-wave rate (an independent code, Coogan-Morrison-Profumo
arXiv:1907.11846); mpmath's besselk (the piecewise-cubic K_1e of the kernels).
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.integrate import solve_ivp
from scipy.interpolate import CubicSpline

from darkmoments.constants.units import CM3_PER_S_PER_GEV2
from darkmoments.cosmology import boltzmann as bz
from darkmoments.cosmology import targets as tg
from darkmoments.cosmology import thermal as th
from darkmoments.cosmology.relic import X_TABLE, relic_density, relic_density_grid
from darkmoments.model import DarkSector
from darkmoments.physics.annihilation import cross_section

COEFS = ("eps", "mu", "d", "b", "a")
SCALE_POWER = {"eps": 0, "mu": 1, "d": 1, "b": 2, "a": 2}


def _model(coef: str, m_V: float, r: float, **kw: object) -> DarkSector:
    c = {"eps": 3e-5, "mu": 2e-4, "d": 2e-4, "b": 1e-3, "a": 1e-3}[coef]
    c *= (0.1 / m_V) ** SCALE_POWER[coef]
    return DarkSector.build(m_V, 0.5, r=r, fermions="charge-weighted", **{coef: c}, **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize("method", ["boltzmann", "rizzo"])
def test_grid_equals_single_point(method: str) -> None:
    """Every structure, r below/near/above the pole, m_V from 10 MeV to 1 GeV, and models of
    different shapes in one grid: each row equals the single-model result. Tolerance 1e-10
    (the single model runs the same BDF2 recurrence on Python floats instead of arrays)."""
    models = [_model(c, mv, r) for c in COEFS for r in (0.6, 0.95, 1.3) for mv in (0.01, 0.1, 1.0)]
    grid = relic_density_grid(models, method, require_equilibrium=False)
    for i in range(0, len(models), 5):
        one = relic_density(models[i], method, require_equilibrium=False)
        assert grid.omega_h2[i] == pytest.approx(one.omega_h2, rel=1e-10)
        assert grid.x_f[i] == pytest.approx(one.x_f, rel=1e-10)
        assert bool(grid.in_equilibrium[i]) == one.in_equilibrium
    # one model with array masses is the same grid
    mv = np.array([0.01, 0.1, 1.0])
    arr = relic_density_grid(_model("mu", 0.1, 0.6).replace(m_V=mv, m_DM=0.3 * mv), method)
    ref = relic_density_grid([_model("mu", 0.1, 0.6).replace(m_V=v, m_DM=0.3 * v) for v in mv],
                             method)  # fmt: skip
    np.testing.assert_allclose(arr.omega_h2, ref.omega_h2, rtol=1e-12)


@pytest.mark.parametrize("method", ["boltzmann", "rizzo"])
def test_target_grid_equals_single_point(method: str) -> None:
    """Relic targets on a grid vs one model at a time, all five structures: the root is found
    to |ln(Omega/0.12)| < 1e-8, so the coefficients agree to 1e-7 and Omega h^2 = 0.120 to
    1e-7."""
    for coef in COEFS:
        base = DarkSector.build(0.09, 0.5, r=2 / 3, fermions="charge-weighted", **{coef: 1e-3})
        m_V = np.array([0.01, 0.3, 1.0])
        grid = tg.target_curve(base, coef, m_V, method)
        np.testing.assert_allclose(grid.omega_h2, 0.120, rtol=1e-7)
        one = tg.relic_target(base.replace(m_V=0.3, m_DM=0.1), coef, method)
        assert one.coefficient == pytest.approx(grid.coefficient[1], rel=1e-7)


@pytest.mark.parametrize("width", ["fixed", "running"])
@pytest.mark.parametrize("coef", [*COEFS, "lambda_mdm"])
def test_coupling_family_is_the_cross_section(coef: str, width: str) -> None:
    """The quadratic-in-coupling form used by the target solver reproduces
    physics.annihilation.cross_section at couplings across the bracket, also with another
    structure interfering (KM with the moments) and with the running width. Tolerance 1e-9
    relative plus 1e-9 of the largest cross section of the model (rounding in the three-point
    coefficients; where KM and a charge radius interfere destructively, sigma passes through
    zero and only the absolute error is meaningful)."""
    base = _model("mu" if coef == "eps" else "eps", 0.3, 0.8, width=width)
    key = {"eps": "km", "mu": "mdm", "d": "edm", "b": "cr", "a": "am", "lambda_mdm": "mdm"}[coef]
    models = [base, base.replace(m_V=0.1, m_DM=0.04)]
    lo, hi = tg.default_bracket(key, 0.3)
    fam = tg.CouplingFamily.build(
        [m.with_coupling(key, 0.0) for m in models], key, np.full(2, lo), np.full(2, hi), X_TABLE
    )
    rng = np.random.default_rng(1)
    for c in np.exp(rng.uniform(math.log(lo), math.log(hi), 4)):
        mine = fam.sigma(np.full(2, c))
        for i, m in enumerate(models):
            direct = cross_section(m.with_coupling(key, float(c)), fam.grid.s[i])
            np.testing.assert_allclose(mine[i], direct, rtol=1e-9, atol=1e-9 * direct.max())


def _bdf_reference(m: float, sv: np.ndarray, x: np.ndarray = X_TABLE) -> float:
    """Y(infinity) of the complex-scalar equation by scipy's BDF (rtol 1e-10, in W = ln Y) on
    the same <sigma v> spline and dof table, plus the same analytic tail beyond x = 1e4."""
    spline = CubicSpline(np.log(x), np.log(sv))

    def rhs(t: float, W: np.ndarray) -> np.ndarray:
        xx = math.exp(t)
        Y = np.exp(W)
        ye = float(bz.y_eq(xx, m))
        s = math.exp(float(spline(t)))
        return -float(bz.lam(xx, m)) * s / 2 * (Y - ye * ye / Y) / xx

    W0 = [math.log(float(bz.y_eq(x[0], m)))]
    sol = solve_ivp(rhs, (math.log(x[0]), math.log(x[-1])), W0, method="BDF", rtol=1e-10,
                    atol=1e-12)  # fmt: skip
    Y_end = math.exp(sol.y[0, -1])
    n = max(-(math.log(sv[-1]) - math.log(sv[-2])) / (math.log(x[-1]) - math.log(x[-2])), 0.0)
    A_end = float(bz.lam(x[-1], m)) * sv[-1] / 2 / x[-1]
    return 1.0 / (1.0 / Y_end + A_end / (1.0 + n))


def test_grid_vs_independent_integrator() -> None:
    """The vectorized solver on physical <sigma v>(x) tables (KM off resonance, MDM near the
    pole r = 0.95, CR above it, m_V = 30 MeV - 1 GeV) vs scipy's BDF at rtol 1e-10 on the same
    equation: tolerance 5e-4, the solver's stated accuracy (docs/physics.md §5)."""
    models = [_model("eps", 0.03, 0.6), _model("mu", 0.3, 0.95), _model("b", 1.0, 1.3)]
    sv = th.sigma_v_many(models, X_TABLE)
    m = np.array([float(mod.m_DM) for mod in models])
    fo = bz.solve(m, X_TABLE, sv)
    for i in range(len(models)):
        assert fo.Y_inf[i] == pytest.approx(_bdf_reference(float(m[i]), sv[i]), rel=5e-4)


def test_against_hazma() -> None:
    """hazma 2.2.0 (relic_density, Boltzmann mode, Radau at rtol 1e-10; its units are MeV)
    counts one species with g = 2 (Fermi-Dirac) and solves dY/dx = -lambda <sigma v>
    (Y^2 - Y_eq^2)/x^2: in our contract g_chi = 2, sigma_v_factor = 1. Constant (s-wave) and
    1/x (p-wave) rates at 3 MeV - 100 GeV. hazma integrates to x = 1e7 (our analytic tail
    continues to infinity; stopping at 1e4 would leave ~7e-4 of the s-wave annihilation out).
    The dof are the same table. Tolerance 5e-4 (our stated accuracy; found <= 2.3e-4)."""
    hazma_rd = pytest.importorskip("hazma.relic_density").relic_density

    class Rate:
        def __init__(self, mx: float, sv: float, n: int) -> None:
            self.mx, self.sv, self.n = mx * 1e3, sv * 1e-6, n  # MeV, MeV^-2

        def thermal_cross_section(self, x: float) -> float:
            return float(self.sv * (20.0 / x) ** self.n)

    for m, sv_cm, n in (
        (100.0, 2.2e-26, 0),
        (0.01, 2.2e-26, 0),
        (0.1, 5e-26, 1),
        (0.003, 5e-26, 1),
    ):
        sv = sv_cm / CM3_PER_S_PER_GEV2
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ref = hazma_rd(Rate(m, sv, n), semi_analytic=False, xf=1e7, rtol=1e-10, atol=1e-10)
        table = sv * (20.0 / X_TABLE) ** n
        ours = bz.solve(m, X_TABLE, table, g_chi=2.0, sigma_v_factor=1.0).omega_h2
        assert ours == pytest.approx(ref, rel=5e-4)
        # the complex scalar with twice the rate is the same equation (counting, module doc)
        assert bz.solve(m, X_TABLE, 2 * table).omega_h2 == pytest.approx(ours, rel=1e-12)


def test_dm_kind_contract() -> None:
    """A new DM kind plugs in through (g_chi, sigma_v_factor). More states at a fixed rate
    change the relic yield only through the later freeze-out (Kolb-Turner Eq. 5.42:
    Y_inf ~ x_f/(lambda <sigma v>)): Y(g=4)/Y(g=2) = x_f(4)/x_f(2) to 1%. A table-valued
    g_chi equal to the constant gives the same result to 1e-12; bad inputs raise."""
    sv = np.full_like(X_TABLE, 1e-8)
    a = bz.solve(0.1, X_TABLE, sv, g_chi=2.0, sigma_v_factor=1.0)
    b = bz.solve(0.1, X_TABLE, sv, g_chi=4.0, sigma_v_factor=1.0)
    assert b.Y_inf / a.Y_inf == pytest.approx(b.x_f / a.x_f, rel=0.01)
    c = bz.solve(0.1, X_TABLE, sv, g_chi=np.full_like(X_TABLE, 2.0), sigma_v_factor=1.0)
    assert c.omega_h2 == pytest.approx(a.omega_h2, rel=1e-12)
    with pytest.raises(ValueError, match="g_chi"):
        bz.solve(0.1, X_TABLE, sv, g_chi=-1.0)
    with pytest.raises(ValueError, match="sigma_v_factor"):
        bz.solve(0.1, X_TABLE, sv, sigma_v_factor=0.0)


def test_k1e_cells_vs_mpmath() -> None:
    """The kernels' piecewise-cubic K_1e (docs/physics.md §5.C) vs mpmath's besselk at 30
    digits (an independent reference): z in [2, 20] (random and at cell edges) and up to 1e7,
    tolerance 4e-15 (measured 9e-16)."""
    mpmath = pytest.importorskip("mpmath")
    scale, _ = th._k1e_cells()
    rng = np.random.default_rng(11)
    edges = scale / np.arange(1, th.K1E_CELLS + 1)[::16]
    z = np.concatenate([rng.uniform(2.0, 20.0, 120), edges, np.geomspace(20.0, 1e7, 60), [2.0]])
    with mpmath.workdps(30):
        ref = np.array([float(mpmath.besselk(1, v) * mpmath.exp(v)) for v in map(mpmath.mpf, z)])
    np.testing.assert_allclose(th._k1e(z), ref, rtol=4e-15, atol=0.0)


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    m_V=st.floats(0.01, 2.0),
    r=st.floats(0.2, 1.95),
    alpha_D=st.floats(1e-3, 1.0),
    coef=st.sampled_from(list(COEFS)),
    width=st.sampled_from(["fixed", "running"]),
)
def test_grid_and_single_agree_property(
    m_V: float, r: float, alpha_D: float, coef: str, width: str
) -> None:
    """Random models (m_V, r, alpha_D, structure, width mode) solved in a grid together with a
    second model equal their single-model results: densities to 1e-10, targets to 1e-7 (or
    both without a solution)."""
    model = DarkSector.build(m_V, alpha_D, r=r, fermions="charge-weighted", width=width,
                             **{coef: 1e-4})  # fmt: skip
    other = model.replace(m_V=0.5 * m_V, m_DM=0.5 * float(model.m_DM))
    for method in ("boltzmann", "rizzo"):
        grid = relic_density_grid([other, model], method, require_equilibrium=False)
        one = relic_density(model, method, require_equilibrium=False)
        assert grid.omega_h2[1] == pytest.approx(one.omega_h2, rel=1e-10)
    res = tg.relic_target_grid([other, model], coef, on_failure="nan", require_equilibrium=False)
    try:
        single = tg.relic_target(model, coef, require_equilibrium=False)
    except ValueError:
        assert not res.ok[1]
    else:
        assert res.ok[1]
        assert res.coefficient[1] == pytest.approx(single.coefficient, rel=1e-7)
