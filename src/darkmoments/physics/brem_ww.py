"""Weizsacker-Williams (WW) dark bremsstrahlung l N -> l N V (l = e, mu), any mixture of structures.

Implements docs/physics.md §7.1-7.5 (lab frame, nucleus at rest, beam energy E0 along z,
x = E_V/E0, theta = theta_V, small-angle U = E0^2 theta^2 x + M^2 (1-x)/x + m_e^2 x, M = m_V):

    (1/(E0^2 x)) d2sigma/(dx dcos theta) = (alpha chi/pi) (beta/(1-x)) |M|^2_{ge->Ve}/(8 pi s^2)

[BEST 0906.0580 App. A, generalized], with the subprocess evaluated at s = U/(1-x), u = -U,
t = M^2 - xU/(1-x) (massless electron), beta = sqrt(1 - M^2/E0^2) (BEST). The subprocess |M|^2
(spin/polarization averaged, m_e -> 0) for the vertex of docs/physics.md §2.1 collected into the
Lorentz classes G_V, G_A, mu, d at q^2 = M^2 (:func:`darkmoments.physics.vertex.lorentz_couplings`):

    |M|^2 = 2 e^2 (G_V^2 + G_A^2) [-u/s - s/u - 2 M^2 t/(s u)]
            + e^2 (mu^2 + d^2) [4 (s + u) - M^2 (t^2 + M^4)/(s u)]            (docs/physics.md §7.2)

Interference: for m_e -> 0 the chirality-conserving (G_V, G_A) and chirality-flipping (mu, d)
amplitudes never interfere; the G_V G_A and mu d cross terms are parity/CP odd and vanish in the
unpolarized sum (only three independent momenta). Hence CR == KM(e eps -> b M^2) exactly,
AM == axial == KM(e eps -> a M^2) up to O(m_e^2/M^2) and EDM == MDM (docs/physics.md §7.8). This is
tested against the Dirac trace oracle on the 2->2 subprocess. With the lepton mass kept (variant
``me_exact`` below) the G_V mu interference (proportional to m_l) appears and AM, EDM separate
from CR, MDM by terms of order m_l^2/M^2.

Inserted into the master relation, every piece is a polynomial in 1/U,

    (1/(E0^2 x)) d2sigma/(dx dcos theta) = chi * sum_n c_n(x) U^-n,

    KM-like (2 alpha^2 beta/pi)(G_V^2+G_A^2) [(1-x+x^2/2)/U^2 - x(1-x)M^2/U^3 + M^4(1-x)^2/U^4]
    dipole  (2 alpha^2 beta/pi)(mu^2+d^2) [x/U + M^2 (1-x)^2 (t^2 + M^4)/(4 U^4)]
                                                                    [docs/physics.md §7.3]

The KM line is BEST eq. A12 (its x(1-x) M^2 E0^2 x theta^2/U^4 term equals the last two for
m_e -> 0; the master relation fixes the O(m_e^2) ambiguity as written). Theta integrals with a
theta-independent flux are closed forms (small angle, dcos theta = dU/(2 E0^2 x)). Variants:

* ``"verified"`` (default): the two lines above;
* ``"rizzo_printed"``: dipole part = Rizzo Eq. 17, (2 alpha^2 beta mu^2/pi) x/U only (it drops the
  M^2 term, docs/physics.md §7.2-7.3; this is what Rizzo's Figs. 6-7 were drawn with);
* ``"me_exact"``: every class with the lepton mass m_l (docs/physics.md §7.f): the massive
  subprocess of :func:`subprocess_msq` (derived by Dirac traces, tools/derive_ww_msq.py) in the
  master relation at s~ = (p+q)^2 - m_l^2 = U/(1-x), u~ = (p-k)^2 - m_l^2 = -U, with the flux
  factor 1/s~^2 and the exact beta = |k|/(x E0). It is again a polynomial in 1/U (n = 1..4, so
  the theta integrals stay closed forms); with b = alpha^2 |k| (1-x)/(2 pi E0 x), w = x U0 =
  M^2 (1-x) + m_l^2 x^2, y = 1 - x, the coefficients c_n are

      G_V^2 : c2 = 2b (2-2x+x^2)/y,                  c3 = -4b (M^2+2m^2) x, c4 = 4b (M^2+2m^2) w
      G_A^2 : c2 = b [2(2-2x+x^2) + 4m^2 x^2/M^2]/y, c3 = -4b (M^2-4m^2) x, c4 = 4b (M^2-4m^2) w
      G_V mu: c2 = 4b m x^2/y,                       c3 = -24b M^2 m x,     c4 = 24b M^2 m w
      mu^2  : c1 = 4b x/y, c2 = b M^2 x^2/y, c3 = -2b M^2 (M^2+8m^2) x, c4 = 2b M^2 (M^2+8m^2) w
      d^2   : as mu^2 with 8m^2 -> -4m^2

  (G_V^2: G4DarkBreM's "Full" kernel, arXiv:2101.12192 Eq. 17 with m_e -> m_l; the G_A^2
  m^2/M^2 term is the longitudinal V on the non-conserved axial current; the G_V mu
  interference is proportional to m_l; G_V G_A, G_V d, G_A mu, G_A d, mu d vanish). For
  m_l -> 0 and beta -> BEST's these are the two lines above.

Fluxes chi (docs/physics.md §7.5; named explicitly because the literature's names collide):
``ww_theta`` (t_min = U^2/(4 E0^2 (1-x)^2), t_max = E0^2, depends on x and theta),
``iww`` (t_min at theta = 0, depends on x only) and ``hiww`` (t_min = M^4/(4 E0^2),
t_max = M^2 + m_e^2, constant).

**Beam lepton** (``lepton`` = "electron" | "muon", docs/physics.md §7 lepton mass): the lepton
mass m_l enters the threshold (E0 > m_V + m_l), the x range (x <= 1 - m_l/E0), U0 = M^2 (1-x)/x +
m_l^2 x, the ``me_exact`` kernels, the HIWW upper limit t_max = M^2 + m_l^2 and the x
quadrature variable ln(1 - x + m_l^2/M^2); the couplings are those of the beam lepton's vertex.
The form-factor screening constants (111 Z^-1/3 / m_e, 773 Z^-2/3 / m_e) belong to the atomic
electrons and stay m_e. For muons ``me_exact`` is the default and the only variant (the other
two drop terms of order m_l/M and m_l^2/M^2, which for muons are not small); every structure
and mixture is allowed. Against the exact 2->3 calculation for muons, ``ww_theta`` agrees to
~1 % at 160 GeV and to 1-8 % at 15 GeV for m_V = 0.01-1 GeV (docs/physics.md §7.f).

Cross sections are per target atom in GeV^-2 (to pb: :data:`darkmoments.constants.PB_PER_GEV2`).
Validity: E0 >> M, m_e; small V emission angles (theta << 1); WW accuracy ~10-20 % against the
exact 2->3 calculation for x <~ 0.9 (docs/physics.md §7.9).
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Any

import numpy as np
from scipy.interpolate import CubicSpline

from darkmoments.constants import ALPHA, M_ELECTRON, M_MUON
from darkmoments.constants.materials import Target, get_target
from darkmoments.model import DarkSector
from darkmoments.physics.formfactors import G2
from darkmoments.physics.vertex import lorentz_couplings

FLUXES = ("ww_theta", "iww", "hiww")
VARIANTS = ("verified", "rizzo_printed", "me_exact")
#: beam lepton -> (fermion key of the model's vertex, mass [GeV])
LEPTONS: dict[str, tuple[str, float]] = {"electron": ("e", M_ELECTRON), "muon": ("mu", M_MUON)}
#: default upper limit of the V emission angle [rad] for theta integrals (docs/physics.md §7.3
#: quotes the change from theta_max = 0.3 to pi/2); the G_V/G_A part with iww/hiww uses BEST's
#: closed form integrated to U = infinity unless ``theta_max`` is given.
DEFAULT_THETA_MAX = 0.5 * math.pi

# ----------------------------------------------------------------------------- quadrature
_GL_ORDER = 8
_GL_X, _GL_W = np.polynomial.legendre.leggauss(_GL_ORDER)


def _panel_rule(n_panels: int) -> tuple[np.ndarray, np.ndarray]:
    """Composite Gauss-Legendre rule on [0, 1]: n_panels equal panels x 8 nodes."""
    edges = np.linspace(0.0, 1.0, n_panels + 1)
    h = np.diff(edges)
    s = (edges[:-1, None] + 0.5 * h[:, None] * (_GL_X[None, :] + 1.0)).ravel()
    w = (0.5 * h[:, None] * _GL_W[None, :]).ravel()
    return s, w


_CHI_RULE = _panel_rule(24)  # ln t (chi), <= ~2.5 e-folds per panel
_THETA_RULE = _panel_rule(12)  # ln U (theta integrals)
_X_RULE = _panel_rule(16)  # ln(1 - x + c) (x integrals)


def _map(a: np.ndarray, b: np.ndarray, rule: tuple[np.ndarray, np.ndarray]):
    """Nodes and weights of ``rule`` mapped to [a, b] (arrays broadcast; new last axis)."""
    s, w = rule
    a = np.asarray(a, dtype=float)[..., None]
    b = np.asarray(b, dtype=float)[..., None]
    return a + (b - a) * s, (b - a) * w


# ----------------------------------------------------------------------------- validation
def _reject(name: str, value: Any, allowed: str) -> ValueError:
    return ValueError(f"{name} = {value!r} is invalid: allowed {allowed}")


def _check_flux(flux: str) -> str:
    if flux not in FLUXES:
        raise _reject("flux", flux, f"one of {FLUXES}")
    return flux


def _check_variant(variant: str | None, lepton: str = "electron") -> str:
    """The variant (default: ``verified`` for electrons, ``me_exact`` for muons)."""
    if lepton not in LEPTONS:
        raise _reject("lepton", lepton, f"one of {list(LEPTONS)}")
    if variant is None:
        return "verified" if lepton == "electron" else "me_exact"
    if variant not in VARIANTS:
        raise _reject("variant", variant, f"one of {VARIANTS}")
    if lepton != "electron" and variant != "me_exact":
        raise _reject(
            "variant",
            variant,
            f"'me_exact' for lepton = {lepton!r} (the only WW kernels here with the lepton mass; "
            "the others are written for a massless lepton)",
        )
    return variant


def _check_theta_max(theta_max: float | None) -> float | None:
    if theta_max is None:
        return None
    if not (0.0 < theta_max <= math.pi):
        raise _reject("theta_max", theta_max, "0 < theta_max <= pi")
    return float(theta_max)


def _check_x(x: np.ndarray | float, name: str = "x") -> np.ndarray:
    arr = np.asarray(x, dtype=float)
    if not np.all((arr > 0.0) & (arr < 1.0)):
        bad = arr[~((arr > 0.0) & (arr < 1.0))].ravel()[0]
        raise _reject(name, float(bad), "0 < x < 1 (x = E_V/E0)")
    return arr


class _Setup:
    """Validated inputs of one (model, E0, target) evaluation: masses and Lorentz couplings."""

    def __init__(
        self,
        model: DarkSector,
        E0: float,
        target: Target | str,
        variant: str | None,
        lepton: str = "electron",
    ):
        self.variant = _check_variant(variant, lepton)
        self.lepton = lepton
        fermion, self.m_l = LEPTONS[lepton]
        if np.ndim(model.m_V) != 0:
            raise _reject("m_V", model.m_V, "a scalar mass here (loop over a mass grid)")
        E0 = float(E0)
        if not (math.isfinite(E0) and E0 > 0.0):
            raise _reject("E0", E0, "E0 > 0 GeV (finite)")
        self.M = float(model.m_V)
        if self.M + self.m_l >= E0:
            raise _reject(
                "E0", E0, f"E0 > m_V + m_{lepton} = {self.M + self.m_l:.6g} GeV (phase space)"
            )
        self.E0 = E0
        self.target = get_target(target)
        c = lorentz_couplings(model, fermion, self.M**2)
        self.gv2 = float(c.G_V**2 + c.G_A**2)
        self.dip2 = float(c.mu**2 + c.d**2)
        #: the four Lorentz-class couplings (G_V, G_A dimensionless, mu, d in GeV^-1)
        self.g = {"V": float(c.G_V), "A": float(c.G_A), "mu": float(c.mu), "d": float(c.d)}
        self.beta = math.sqrt(1.0 - self.M**2 / E0**2)
        self.x_lo = self.M / E0
        self.x_hi = 1.0 - self.m_l / E0

    # -- kinematics ------------------------------------------------------------------------
    def U0(self, x: np.ndarray) -> np.ndarray:
        return self.M**2 * (1.0 - x) / x + self.m_l**2 * x

    def U(self, x: np.ndarray, theta: np.ndarray | float) -> np.ndarray:
        return self.E0**2 * theta**2 * x + self.U0(x)

    # -- 1/U polynomial coefficients: (1/(E0^2 x)) d2sigma/dx dcos = chi sum_n c_n U^-n ---------
    def vector_coefficients(self, x: np.ndarray) -> dict[int, np.ndarray]:
        """{n: c_n(x)} of the G_V/G_A (KM-like) part [BEST A12; ``me_exact``: the lepton-mass-exact
        form, arXiv:2101.12192 Eq. 17 with m_e -> m_l for G_V^2, plus G_A^2 and the G_V mu
        interference with the lepton mass, docs/physics.md §7.f]."""
        M2 = self.M**2
        x = np.asarray(x, dtype=float)
        y = 1.0 - x
        zero = np.zeros_like(x)
        if not self.gv2:
            return {1: zero, 2: zero, 3: zero, 4: zero}
        if self.variant == "me_exact":
            return _massive_vector_like(x, self.E0, self.M, self.m_l, self.g)
        pref = self.gv2 * 2.0 * ALPHA**2 * self.beta / math.pi
        return {
            1: zero,
            2: pref * (1.0 - x + 0.5 * x**2),
            3: -pref * x * y * M2,
            4: pref * M2**2 * y**2,
        }

    def dipole_coefficients(self, x: np.ndarray) -> dict[int, np.ndarray]:
        """{n: c_n(x)} of the mu/d (dipole) part [docs/physics.md §7.3; Rizzo Eq. 17 for
        rizzo_printed; with the lepton mass for me_exact, docs/physics.md §7.f]."""
        M2 = self.M**2
        x = np.asarray(x, dtype=float)
        zero = np.zeros_like(x)
        if not self.dip2:
            return {1: zero, 2: zero, 3: zero, 4: zero}
        if self.variant == "me_exact":
            return _massive_dipole(x, self.E0, self.M, self.m_l, self.g)
        pref = self.dip2 * 2.0 * ALPHA**2 * self.beta / math.pi
        if self.variant == "rizzo_printed":
            return {1: pref * x, 2: zero, 3: zero, 4: zero}
        return {
            1: pref * x,
            2: pref * 0.25 * M2 * x**2,
            3: -pref * 0.5 * M2**2 * x * (1.0 - x),
            4: pref * 0.5 * M2**3 * (1.0 - x) ** 2,
        }

    def coefficients(self, x: np.ndarray) -> dict[int, np.ndarray]:
        """{n: c_n(x)} of the full kernel, all structures summed (units GeV^(2n-2))."""
        v, d = self.vector_coefficients(x), self.dipole_coefficients(x)
        return {n: v[n] + d[n] for n in (1, 2, 3, 4)}

    def kernel(self, x: np.ndarray, U: np.ndarray) -> np.ndarray:
        c = self.coefficients(x)
        inv = 1.0 / U
        return inv * (c[1] + inv * (c[2] + inv * (c[3] + inv * c[4])))

    # -- flux ------------------------------------------------------------------------------
    def t_min(self, x: np.ndarray, U: np.ndarray) -> np.ndarray:
        return U**2 / (4.0 * self.E0**2 * (1.0 - x) ** 2)

    def chi(self, flux: str, x: np.ndarray, U: np.ndarray, inelastic: bool = True) -> np.ndarray:
        if flux == "hiww":
            t_lo = self.M**4 / (4.0 * self.E0**2)
            value = chi(t_lo, self.M**2 + self.m_l**2, self.target, inelastic)
            return np.broadcast_to(value, np.broadcast(x, U).shape)
        if flux == "iww":
            U = np.broadcast_to(self.U0(x), np.broadcast(x, U).shape)
        return _chi_table(self.target, self.E0**2, inelastic)(self.t_min(x, U))


# ----------------------------------------------------------------------------- massive kernels
def _massive_vector_like(
    x: np.ndarray, E0: float, M: float, m: float, g: dict[str, float]
) -> dict[int, np.ndarray]:
    """{n: c_n(x)} of the G_V^2, G_A^2 and G_V mu (chirality-flip interference) terms with the
    lepton mass m (docs/physics.md §7.f): the massive subprocess of :func:`subprocess_msq` in the
    master relation with beta = |k|/(x E0). The G_V^2 part is G4DarkBreM's "Full" kernel
    (arXiv:2101.12192 Eq. 17 with m_e -> m), kept in its original arithmetic."""
    M2, me2 = M**2, m**2
    y = 1.0 - x
    zero = np.zeros_like(x)
    k = np.sqrt(np.maximum(x**2 * E0**2 - M2, 0.0))
    out: dict[int, Any] = {1: zero, 2: zero, 3: zero, 4: zero}
    gv2, ga2, gvmu = g["V"] ** 2, g["A"] ** 2, g["V"] * g["mu"]
    if gv2:
        pref = gv2 * ALPHA**2 * k * y / (2.0 * math.pi * E0 * x)
        out = {
            1: zero,
            2: pref * 2.0 * (2.0 - 2.0 * x + x**2) / y,
            3: -pref * 4.0 * (M2 + 2.0 * me2) * x,
            4: pref * 4.0 * (M2 + 2.0 * me2) * (M2 * y + me2 * x**2),
        }
    w = M2 * y + me2 * x**2  # = x U0
    if ga2:  # longitudinal V on the non-conserved axial current: the m^2/M^2 term of c_2
        pa = ga2 * ALPHA**2 * k * y / (2.0 * math.pi * E0 * x)
        out[2] = out[2] + pa * (2.0 * (2.0 - 2.0 * x + x**2) + 4.0 * me2 * x**2 / M2) / y
        out[3] = out[3] - pa * 4.0 * (M2 - 4.0 * me2) * x
        out[4] = out[4] + pa * 4.0 * (M2 - 4.0 * me2) * w
    if gvmu:  # proportional to m: absent for a massless lepton
        pi_ = gvmu * ALPHA**2 * k * y / (2.0 * math.pi * E0 * x)
        out[2] = out[2] + pi_ * 4.0 * m * x**2 / y
        out[3] = out[3] - pi_ * 24.0 * M2 * m * x
        out[4] = out[4] + pi_ * 24.0 * M2 * m * w
    return out


def _massive_dipole(
    x: np.ndarray, E0: float, M: float, m: float, g: dict[str, float]
) -> dict[int, np.ndarray]:
    """{n: c_n(x)} of the mu^2 and d^2 terms with the lepton mass m (docs/physics.md §7.f)."""
    M2, me2 = M**2, m**2
    y = 1.0 - x
    k = np.sqrt(np.maximum(x**2 * E0**2 - M2, 0.0))
    base = ALPHA**2 * k * y / (2.0 * math.pi * E0 * x)
    pm, pd = g["mu"] ** 2 * base, g["d"] ** 2 * base
    mass = pm * (M2 + 8.0 * me2) + pd * (M2 - 4.0 * me2)
    return {
        1: (pm + pd) * 4.0 * x / y,
        2: (pm + pd) * M2 * x**2 / y,
        3: -2.0 * M2 * x * mass,
        4: 2.0 * M2 * (M2 * y + me2 * x**2) * mass,
    }


# ----------------------------------------------------------------------------- subprocess
def subprocess_msq(
    model: DarkSector,
    s_hat: np.ndarray | float,
    u_hat: np.ndarray | float,
    variant: str | None = None,
    lepton: str = "electron",
) -> np.ndarray:
    """Spin/polarization-averaged |M|^2 of gamma(q) l(p) -> V(k) l(p') (dimensionless).

    ``verified`` / ``rizzo_printed`` (electron only; m_l -> 0): s_hat = (p + q)^2,
    u_hat = (p - k)^2, t_hat = m_V^2 - s_hat - u_hat (q^2 = 0); docs/physics.md §7.2:
    2 e^2 (G_V^2 + G_A^2)[-u/s - s/u - 2 M^2 t/(s u)] + e^2 (mu^2 + d^2)[4(s + u) - M^2 (t^2 +
    M^4)/(s u)] with the Lorentz classes of :func:`~darkmoments.physics.vertex.lorentz_couplings`
    at q^2 = M^2 on the beam lepton; ``rizzo_printed`` keeps only 4(s + u) in the dipole bracket
    (Rizzo Eq. 16).

    ``me_exact`` (default for muons): the lepton mass m = m_l kept; s_hat = (p + q)^2 - m^2 and
    u_hat = (p - k)^2 - m^2 (the propagator denominators; t_hat = M^2 - s_hat - u_hat), and
    (docs/physics.md §7.f; r = s/u + u/s, w1 = 1/s + 1/u, w2 = 1/s^2 + 1/u^2, p = 1/(s u))

        |M|^2/e^2 = G_V^2 [-2r + 4M^2 w1 - 4M^4 p + 8m^2 w1 + 4m^2 M^2 w2 + 8m^4 w1^2]
          + G_A^2 [-2r + 4M^2 w1 - 4M^4 p
                   + m^2 (4M^2 w2 + 24M^2 p - 16 w1 - 4(r + 2)/M^2) - 16 m^4 w1^2]
          + G_V mu [m (24M^2 w1 - 24M^4 p - 4(r + 2)) + 24 m^3 M^2 w1^2]
          + (mu^2 + d^2) [4(s + u) - M^2 (r + 2) + 2M^4 w1 - 2M^6 p]
          + mu^2 [m^2 (2M^4 w2 - 12M^4 p + 16M^2 w1) + 16 m^4 M^2 w1^2]
          + d^2 [m^2 (2M^4 w2 + 12M^4 p - 8M^2 w1) - 8 m^4 M^2 w1^2]

    (derived by Dirac traces in tools/derive_ww_msq.py); every other interference vanishes."""
    variant = _check_variant(variant, lepton)
    fermion, m = LEPTONS[lepton]
    M2 = float(model.m_V) ** 2
    c = lorentz_couplings(model, fermion, M2)
    e2 = 4.0 * math.pi * ALPHA
    sh, uh = np.asarray(s_hat, dtype=float), np.asarray(u_hat, dtype=float)
    if variant == "me_exact":
        gv, ga, mu, d = float(c.G_V), float(c.G_A), float(c.mu), float(c.d)
        m2, M4 = m**2, M2**2
        r = sh / uh + uh / sh
        w1 = 1.0 / sh + 1.0 / uh
        w2 = 1.0 / sh**2 + 1.0 / uh**2
        p = 1.0 / (sh * uh)
        vec0 = -2.0 * r + 4.0 * M2 * w1 - 4.0 * M4 * p
        dip0 = 4.0 * (sh + uh) - M2 * (r + 2.0) + 2.0 * M4 * w1 - 2.0 * M4 * M2 * p
        total = (
            gv**2 * (vec0 + 8.0 * m2 * w1 + 4.0 * m2 * M2 * w2 + 8.0 * m2**2 * w1**2)
            + ga**2
            * (
                vec0
                + m2 * (4.0 * M2 * w2 + 24.0 * M2 * p - 16.0 * w1 - 4.0 * (r + 2.0) / M2)
                - 16.0 * m2**2 * w1**2
            )
            + gv * mu * (m * (24.0 * M2 * w1 - 24.0 * M4 * p - 4.0 * (r + 2.0)))
            + gv * mu * 24.0 * m * m2 * M2 * w1**2
            + (mu**2 + d**2) * dip0
            + mu**2 * (m2 * (2.0 * M4 * w2 - 12.0 * M4 * p + 16.0 * M2 * w1))
            + mu**2 * 16.0 * m2**2 * M2 * w1**2
            + d**2 * (m2 * (2.0 * M4 * w2 + 12.0 * M4 * p - 8.0 * M2 * w1))
            - d**2 * 8.0 * m2**2 * M2 * w1**2
        )
        return np.asarray(e2 * total)
    gv2, dip2 = float(c.G_V**2 + c.G_A**2), float(c.mu**2 + c.d**2)
    th = M2 - sh - uh
    vec = 2.0 * e2 * gv2 * (-uh / sh - sh / uh - 2.0 * M2 * th / (sh * uh))
    dip = 4.0 * (sh + uh)
    if variant != "rizzo_printed":
        dip = dip - M2 * (th**2 + M2**2) / (sh * uh)
    return vec + e2 * dip2 * dip


# ----------------------------------------------------------------------------- flux chi
def chi(
    t_min: np.ndarray | float,
    t_max: np.ndarray | float,
    target: Target | str,
    inelastic: bool = True,
) -> np.ndarray:
    """Effective photon flux chi = int_{t_min}^{t_max} dt (t - t_min)/t^2 G2(t) (dimensionless).

    docs/physics.md §7.5 [BEST eq. A17]; G2 = elastic (+ inelastic) form factor of
    :mod:`darkmoments.physics.formfactors`. t in GeV^2; vectorized over t_min, t_max; zero where
    t_min >= t_max. Integrated in ln t by composite Gauss-Legendre (24 panels x 8 nodes),
    relative accuracy ~1e-9 (tested against adaptive quadrature)."""
    target = get_target(target)
    t_min, t_max = np.broadcast_arrays(np.asarray(t_min, float), np.asarray(t_max, float))
    if np.any(~(t_min > 0.0)) or np.any(~np.isfinite(t_max)):
        raise _reject("t_min", t_min, "t_min > 0 GeV^2 and finite t_max")
    ok = t_max > t_min
    lo = np.log(np.where(ok, t_min, 1.0))
    hi = np.log(np.where(ok, t_max, 2.0))
    y, w = _map(lo, hi, _CHI_RULE)
    t = np.exp(y)
    integrand = -np.expm1(np.log(t_min)[..., None] - y) * G2(t, target, inelastic)
    return np.where(ok, np.sum(w * integrand, axis=-1), 0.0)


_CHI_TABLE_LN_TMIN = math.log(1e-24)
_CHI_TABLE_POINTS = 1500


@lru_cache(maxsize=64)
def _chi_table(target: Target, t_max: float, inelastic: bool):
    """chi(t_min, t_max) for fixed t_max as a cubic spline in ln t_min (relative error < 1e-6,
    tested). Below t_min = 1e-24 GeV^2 chi is constant to < 1e-13 (screening, a^2 t_min << 1)."""
    ln_tmax = math.log(t_max)
    grid = np.linspace(_CHI_TABLE_LN_TMIN, ln_tmax, _CHI_TABLE_POINTS)
    values = chi(np.exp(grid), t_max, target, inelastic)
    values[-1] = 0.0
    spline = CubicSpline(grid, values)

    def evaluate(t_min: np.ndarray) -> np.ndarray:
        ln_t = np.log(np.asarray(t_min, dtype=float))
        out = spline(np.clip(ln_t, _CHI_TABLE_LN_TMIN, ln_tmax))
        return np.where(ln_t < ln_tmax, np.maximum(out, 0.0), 0.0)

    return evaluate


# ----------------------------------------------------------------------------- d2sigma
def d2sigma_dx_dcos(
    model: DarkSector,
    E0: float,
    target: Target | str,
    x: np.ndarray | float,
    theta: np.ndarray | float,
    flux: str = "ww_theta",
    variant: str | None = None,
    inelastic: bool = True,
    lepton: str = "electron",
) -> np.ndarray:
    """d2sigma/(dx dcos theta_V) [GeV^-2] per target atom, WW approximation (docs/physics.md
    §7.1-7.5).

    ``x = E_V/E0`` in (0, 1), ``theta`` = theta_V [rad] in [0, pi] (broadcast); zero outside the
    kinematic range m_V/E0 <= x <= 1 - m_l/E0. Any mixture of the model's structures on the
    electron (interference included, see module docstring); ``flux`` in :data:`FLUXES`,
    ``variant`` in :data:`VARIANTS` (default by lepton), ``lepton`` the beam lepton."""
    _check_flux(flux)
    s = _Setup(model, E0, target, variant, lepton)
    x = _check_x(x)
    theta = np.asarray(theta, dtype=float)
    if np.any(~((theta >= 0.0) & (theta <= math.pi))):
        raise _reject("theta", theta, "0 <= theta <= pi rad")
    x, theta = np.broadcast_arrays(x, theta)
    inside = (x >= s.x_lo) & (x <= s.x_hi)
    xs = np.where(inside, x, 0.5 * (s.x_lo + s.x_hi))
    U = s.U(xs, theta)
    value = s.E0**2 * xs * s.chi(flux, xs, U, inelastic) * s.kernel(xs, U)
    return np.where(inside, value, 0.0)


# ----------------------------------------------------------------------------- theta integrals
def _theta_integral(
    s: _Setup,
    flux: str,
    x: np.ndarray,
    theta_lo: np.ndarray,
    theta_hi: np.ndarray,
    inelastic: bool,
) -> np.ndarray:
    """int_{theta_lo}^{theta_hi} dcos theta d2sigma/(dx dcos theta) numerically (exact measure
    sin theta dtheta), in w = ln(theta^2 + theta0^2) = ln(U/(E0^2 x)); x broadcast with limits."""
    x, theta_lo, theta_hi = np.broadcast_arrays(x, theta_lo, theta_hi)
    th0sq = s.U0(x) / (s.E0**2 * x)
    w, weight = _map(np.log(theta_lo**2 + th0sq), np.log(theta_hi**2 + th0sq), _THETA_RULE)
    ew = np.exp(w)
    theta = np.sqrt(np.maximum(ew - th0sq[..., None], 0.0))
    sinc = np.sinc(theta / math.pi)  # sin(theta)/theta
    xb = x[..., None]
    U = s.E0**2 * xb * ew
    f = s.E0**2 * xb * s.chi(flux, xb, U, inelastic) * s.kernel(xb, U) * sinc * 0.5 * ew
    return np.sum(weight * f, axis=-1)


def _inv_power_integral(n: int, U0: np.ndarray, U1: np.ndarray | None) -> np.ndarray:
    """int_{U0}^{U1} U^-n dU (U1 = None means infinity; n = 1 needs finite U1)."""
    if n == 1:
        return np.log(U1 / U0)
    tail = 0.0 if U1 is None else U1 ** (1 - n)
    return (U0 ** (1 - n) - tail) / (n - 1)


def _dsigma_dx(
    s: _Setup, flux: str, x: np.ndarray, theta_max: float | None, inelastic: bool
) -> np.ndarray:
    if flux == "ww_theta":
        tmax = DEFAULT_THETA_MAX if theta_max is None else theta_max
        return _theta_integral(s, flux, x, np.zeros_like(x), np.full_like(x, tmax), inelastic)
    # iww / hiww: chi independent of theta -> closed form in U, dcos theta = dU/(2 E0^2 x)
    U0 = s.U0(x)
    U_cut = None if theta_max is None else s.U(x, theta_max)
    U_dip = s.U(x, DEFAULT_THETA_MAX if theta_max is None else theta_max)
    cv, cd = s.vector_coefficients(x), s.dipole_coefficients(x)
    total = sum(cd[n] * _inv_power_integral(n, U0, U_dip) for n in (1, 2, 3, 4))
    if U_cut is None and s.variant != "me_exact":
        # BEST's IWW as printed: dsigma/dx = 4 alpha^3 eps^2 beta chi (1 - x + x^2/3)/U0, the
        # theta integral to infinity with U0 -> M^2 (1-x)/x in the O(M^2) terms (m_e -> 0)
        total = total + cv[2] * (1.0 - x + x**2 / 3.0) / ((1.0 - x + 0.5 * x**2) * U0)
    else:
        total = total + sum(cv[n] * _inv_power_integral(n, U0, U_cut) for n in (2, 3, 4))
    chi_x = s.chi(flux, x, U0, inelastic)
    return 0.5 * chi_x * total


def dsigma_dx(
    model: DarkSector,
    E0: float,
    target: Target | str,
    x: np.ndarray | float,
    flux: str = "iww",
    variant: str | None = None,
    theta_max: float | None = None,
    inelastic: bool = True,
    lepton: str = "electron",
) -> np.ndarray:
    """dsigma/dx [GeV^-2] per target atom, theta_V integrated (docs/physics.md §7.3).

    ``ww_theta``: numerical integral over cos theta in [cos theta_max, 1] with the exact measure
    (theta_max default pi/2). ``iww``/``hiww``: closed form in the small-angle measure
    dcos theta = dU/(2 E0^2 x); the G_V/G_A part is integrated to U = infinity unless
    ``theta_max`` is given (for KM this is BEST's IWW dsigma/dx = 4 alpha^3 eps^2 beta chi
    (1 - x + x^2/3)/U0, exact for m_e -> 0); the dipole part's 1/U term diverges
    logarithmically and is cut at theta_max (default pi/2); the G_V mu interference of
    ``me_exact`` has no 1/U term and goes with the G_V/G_A part. ``lepton``: module docstring."""
    _check_flux(flux)
    theta_max = _check_theta_max(theta_max)
    s = _Setup(model, E0, target, variant, lepton)
    x = _check_x(x)
    inside = (x >= s.x_lo) & (x <= s.x_hi)
    xs = np.where(inside, x, 0.5 * (s.x_lo + s.x_hi))
    return np.where(inside, _dsigma_dx(s, flux, xs, theta_max, inelastic), 0.0)


def _x_range(s: _Setup, x_min: float | None, x_max: float | None) -> tuple[float, float]:
    """Integration range in x: [max(m_V/E0, x_min), min(1 - m_e/E0, x_max)]."""
    lo, hi = s.x_lo, s.x_hi
    if x_min is not None:
        _check_x(x_min, "x_min")
        lo = max(lo, float(x_min))
    if x_max is not None:
        if not (0.0 < x_max <= 1.0):
            raise _reject("x_max", x_max, "0 < x_max <= 1 (x = E_V/E0)")
        hi = min(hi, float(x_max))
    return lo, hi


def x_max_ww(m_V: float, E0: float) -> float:
    """x_max = 1 - m_V/E0, i.e. recoil energy E_e >= m_V: the x range of the reference values of
    docs/physics.md §15.2 (reproduced to <= 0.4 % with it, not with the kinematic limit)."""
    return 1.0 - m_V / E0


def _x_nodes(s: _Setup, lo: np.ndarray, hi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Nodes/weights for int_lo^hi dx in y = ln(1 - x + c), c = m_l^2/M^2 (resolves x -> 1)."""
    c = s.m_l**2 / s.M**2
    y, w = _map(np.log(1.0 - np.asarray(lo) + c), np.log(1.0 - np.asarray(hi) + c), _X_RULE)
    one_minus_x = np.exp(y) - c
    return 1.0 - one_minus_x, -w * np.exp(y)


def cross_section(
    model: DarkSector,
    E0: float,
    target: Target | str,
    flux: str = "iww",
    x_min: float | None = None,
    x_max: float | None = None,
    theta_max: float | None = None,
    variant: str | None = None,
    inelastic: bool = True,
    lepton: str = "electron",
) -> float:
    """Total WW cross section sigma(e N -> e N V) [GeV^-2] per target atom.

    x integrated over [max(m_V/E0, x_min), min(1 - m_e/E0, x_max)] by composite Gauss-Legendre in
    ln(1 - x + m_e^2/m_V^2) (128 nodes, converged to < 1e-6); theta as in :func:`dsigma_dx`.
    The default range is the full kinematic one, as for the exact 2->3 calculation. Note that
    dsigma/dx grows like 1/(1-x) up to 1 - x ~ m_e^2/m_V^2 (in the exact calculation too, less
    steeply), so the region E_e < m_V carries much of the total and WW overestimates it (x 3 at
    x = 0.999 for m_V = 0.1, E0 = 4 GeV). The reference values of docs/physics.md §15.2 use
    x_max = 1 - m_V/E0 (E_e >= m_V), see :func:`x_max_ww`. ``lepton`` = "electron" | "muon"
    (module docstring: m_l everywhere above, the muon's vertex; muons: ``me_exact`` only)."""
    _check_flux(flux)
    theta_max = _check_theta_max(theta_max)
    s = _Setup(model, E0, target, variant, lepton)
    lo, hi = _x_range(s, x_min, x_max)
    if hi <= lo:
        return 0.0
    x, w = _x_nodes(s, np.asarray(lo), np.asarray(hi))
    return float(np.sum(w * _dsigma_dx(s, flux, x, theta_max, inelastic)))


# ----------------------------------------------------------------------------- recoil spectra
def recoil_spectra(
    model: DarkSector,
    E0: float,
    target: Target | str,
    E_edges: np.ndarray,
    pT_edges: np.ndarray,
    flux: str = "ww_theta",
    variant: str | None = None,
    theta_max: float | None = None,
    x_min: float | None = None,
    x_max: float | None = None,
    inelastic: bool = True,
    lepton: str = "electron",
) -> dict[str, Any]:
    """Bin-averaged recoil-electron spectra dsigma/dE_e and dsigma/dpT_e [GeV^-3].

    Forward (WW) approximation of Rizzo Sec. 3.3 / docs/physics.md §7.1: the nucleus takes no
    momentum, E_e = (1 - x) E0 and pT_e = |k| sin theta_V, |k| = sqrt(x^2 E0^2 - m_V^2). Each bin is
    the exact integral of d2sigma/(dx dcos theta) over its region, divided by the bin width; theta_V
    in [0, theta_max] (default pi/2, at most pi/2) with the exact measure for every flux.
    Returns {"E_edges", "dsigma_dE", "pT_edges", "dsigma_dpT", "sigma" (GeV^-2, same cuts),
    "units", "flux", "variant", "theta_max"}."""
    _check_flux(flux)
    tmax = _check_theta_max(theta_max)
    tmax = DEFAULT_THETA_MAX if tmax is None else tmax
    if tmax > 0.5 * math.pi:
        raise _reject("theta_max", theta_max, "0 < theta_max <= pi/2 for pT spectra")
    s = _Setup(model, E0, target, variant, lepton)
    E_edges = np.asarray(E_edges, dtype=float)
    pT_edges = np.asarray(pT_edges, dtype=float)
    for name, edges in (("E_edges", E_edges), ("pT_edges", pT_edges)):
        if edges.ndim != 1 or edges.size < 2 or np.any(np.diff(edges) <= 0) or edges[0] < 0:
            raise _reject(name, edges, "increasing 1-d array of >= 2 edges >= 0 GeV")
    lo, hi = _x_range(s, x_min, x_max)
    # E_e spectrum: x-range per bin, theta in [0, tmax]
    xb_lo = np.clip(1.0 - E_edges[1:] / s.E0, lo, hi)
    xb_hi = np.clip(1.0 - E_edges[:-1] / s.E0, lo, hi)
    xn, wn = _x_nodes(s, xb_lo, xb_hi)
    th0 = np.zeros_like(xn)
    dsig_dx = _theta_integral(s, flux, xn, th0, th0 + tmax, inelastic)
    dsigma_dE = np.sum(wn * dsig_dx, axis=-1) / np.diff(E_edges)
    # pT spectrum: global x nodes, theta range per (bin, x) from pT = |k| sin theta
    if hi > lo:
        x, wx = _x_nodes(s, np.asarray(lo), np.asarray(hi))
        k = np.sqrt(np.maximum(x**2 * s.E0**2 - s.M**2, 0.0))
        smax = math.sin(tmax)
        ratio_lo = np.minimum(pT_edges[:-1, None] / np.maximum(k, 1e-300), smax)
        ratio_hi = np.minimum(pT_edges[1:, None] / np.maximum(k, 1e-300), smax)
        th_lo, th_hi = np.arcsin(ratio_lo), np.arcsin(ratio_hi)
        per_x = _theta_integral(s, flux, x[None, :], th_lo, th_hi, inelastic)
        dsigma_dpT = np.sum(wx * per_x, axis=-1) / np.diff(pT_edges)
        sigma = float(np.sum(wx * _theta_integral(s, flux, x, 0 * x, 0 * x + tmax, inelastic)))
    else:
        dsigma_dpT = np.zeros(pT_edges.size - 1)
        sigma = 0.0
    return {
        "E_edges": E_edges,
        "dsigma_dE": dsigma_dE,
        "pT_edges": pT_edges,
        "dsigma_dpT": dsigma_dpT,
        "sigma": sigma,
        "units": {"edges": "GeV", "dsigma_dE": "GeV^-3", "dsigma_dpT": "GeV^-3", "sigma": "GeV^-2"},
        "flux": flux,
        "variant": s.variant,
        "lepton": lepton,
        "theta_max": tmax,
        "x_range": (lo, hi),
    }
