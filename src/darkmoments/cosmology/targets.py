"""Relic targets: the coupling of one structure that gives Omega h^2 = 0.120 (Planck 2018).

The unknown is the vertex coefficient c of one structure (eps for KM; mu, d [GeV^-1];
b, a [GeV^-2]), all other couplings of the model held fixed; it is reported as the user
parameter (``eps`` or a scale Lambda in GeV, Lambda = (g_D/c)^(1/p)) and as the coefficient.
Omega h^2 falls monotonically with c wherever annihilation through V dominates, so the root
of f(ln c) = ln(Omega h^2(c) / 0.120) is bracketed and found

for all models of a grid at once (an m_V or r grid, Rizzo's Fig. 4 eps-Lambda curve;
:func:`relic_target` is the grid with one model) by a vectorized bracketing Illinois (modified
regula falsi) iteration in ln c: all points advance together, every Boltzmann solve is one
vectorized call. Since Omega ~ 1/<sigma v> ~ c^-2 away from saturation, f is nearly linear in
ln c and the iteration converges in a few steps from the bracket ends.

The cross section is exactly quadratic in c up to the width in the propagator,

    sigma(s; c) = P(s) V(s; c) / [(s - m_V^2)^2 + W(s; c)^2],
    P = 4 pi alpha_D sqrt(s) beta_phi,   V = sum of the visible widths at Q = sqrt(s),
    W = Q_w [Gamma_DM(Q_w) + V(Q_w; c)],  Q_w = m_V (fixed width) or sqrt(s) (running),

(the unitarity identity of :mod:`darkmoments.physics.annihilation`, docs/physics.md §4), with
V = v0 + v1 c + v2 c^2 because every width is a quadratic form in the couplings. The three
coefficients are read off :func:`darkmoments.physics.decays.partial_widths` at c = 0, h, 2h
once per model (h = the top of the bracket), checked against
:func:`darkmoments.physics.annihilation.cross_section` at a fourth coupling (RuntimeError if
they differ by more than 1e-8 relative, floor 1e-14 of the model's largest cross section),
and every trial coupling then costs a few array operations plus the thermal-average matrix
products on nodes and kernels built once (:class:`darkmoments.cosmology.thermal.ThermalGrid`).

DM kinds (docs/physics.md §12.9): P(s) is the kind's transverse prefactor A D_T / (2 p_i)
(:func:`darkmoments.physics.annihilation.transverse_prefactor`, times the pseudo-Dirac
coannihilation weight), a longitudinal part L = l0 + l1 c + l2 c^2 (Majorana / pseudo-Dirac with
an axial SM coupling; zero otherwise) is added, and the Boltzmann solve uses the kind's counting
(:func:`darkmoments.cosmology.thermal.counting`); the quadratic reconstruction is checked
against the direct cross section of every kind.

Errors: no sign change in the bracket -> ValueError with the bracket tried; the solution not
in equilibrium -> :class:`darkmoments.cosmology.relic.NonEquilibriumError`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from darkmoments.constants.cosmology import OMEGA_DM_H2, RIZZO_X_F, SIGMA_0_CM3_S
from darkmoments.cosmology.relic import (
    METHODS,
    NonEquilibriumError,
    _check_F,
    _check_method,
    check_model,
    evaluate_many,
    kind_counting,
    node_quadrature,
    x_grid,
)
from darkmoments.cosmology.thermal import (
    FULL,
    Quadrature,
    SplitQuadrature,
    ThermalGrid,
    coannihilation_weight,
    counting,
    mass_blocks,
    special_arrays,
    stack,
)
from darkmoments.model import (
    INTERACTIONS,
    DarkSector,
    coefficient_from_scale,
    scale_from_coefficient,
    solve_key,
)
from darkmoments.physics.annihilation import (
    FINAL_STATES,
    cross_section,
    longitudinal_cross_sections,
    transverse_prefactor,
)
from darkmoments.physics.decays import partial_widths

#: default search bracket: the upper end makes the effective coupling at q^2 = m_V^2 of order
#: one (eps = 1; mu m_V = 1; b m_V^2 = 1): beyond it the width grows like the coupling squared,
#: the cross section saturates and Omega h^2 is no longer monotonic; the lower end is
#: BRACKET_DECADES below.
BRACKET_DECADES = 10.0


def default_bracket(key: str, m_V: float) -> tuple[float, float]:
    """Default (low, high) search bracket of the vertex coefficient of ``key`` at m_V [GeV]."""
    p = INTERACTIONS[key].mass_power
    hi = m_V ** (-p)
    return hi * 10.0 ** (-BRACKET_DECADES), hi


X_TOL = 1e-9  # tolerance on ln c
F_TOL = 1e-8  # tolerance on ln(Omega h^2 / target): far below the solver accuracy
MAX_ITER = 100
#: relative tolerance of the quadratic-in-c reconstruction of the cross section
QUADRATIC_RTOL = 1e-8


def to_value(solve_for: str, coefficient: np.ndarray, alpha_D: float) -> np.ndarray:
    """Report a coefficient as the solved-for parameter (eps, coefficient, or Lambda [GeV])."""
    key, kind = solve_key(solve_for)
    c = np.asarray(coefficient, dtype=float)
    if kind == "coefficient":
        return c
    return np.asarray(scale_from_coefficient(key, c, alpha_D))


@dataclass
class TargetResult:
    """Relic-target solution(s); arrays for grids. ``value``: eps, a coefficient or Lambda
    [GeV] as asked; ``coefficient``: the vertex coefficient (eps for KM); ``omega_h2`` at the
    solution; ``x_f``; ``sigma_v_xf_cm3_s``; ``in_equilibrium``; ``ok`` (False where no
    solution was found, grids with ``on_failure='nan'`` only)."""

    solve_for: str
    structure: str
    method: str
    value: Any
    coefficient: Any
    omega_h2: Any
    x_f: Any
    sigma_v_xf_cm3_s: Any
    in_equilibrium: Any
    ok: Any
    m_V: Any
    m_DM: Any
    bracket: tuple[Any, Any]

    def to_dict(self) -> dict[str, Any]:
        return {
            "solve_for": self.solve_for,
            "structure": self.structure,
            "method": self.method,
            "m_V": self.m_V,
            "m_DM": self.m_DM,
            "value": self.value,
            "coefficient": self.coefficient,
            "coefficient_unit": INTERACTIONS[self.structure].unit,
            "omega_h2": self.omega_h2,
            "omega_h2_target": OMEGA_DM_H2,
            "x_f": self.x_f,
            "sigma_v_xf_cm3_s": self.sigma_v_xf_cm3_s,
            "sigma_v_xf_over_sigma0": np.asarray(self.sigma_v_xf_cm3_s) / SIGMA_0_CM3_S,
            "in_equilibrium": self.in_equilibrium,
            "ok": self.ok,
            "bracket_coefficient": [self.bracket[0], self.bracket[1]],
        }


def _quadratic(values: tuple[np.ndarray, np.ndarray, np.ndarray], h: float) -> np.ndarray:
    """Coefficients (v0, v1, v2) of v0 + v1 c + v2 c^2 through values at c = 0, h, 2h. Where
    the value at c = 0 vanishes nothing interferes with the c-structure: v1 = 0 exactly."""
    f0, f1, f2 = values
    v1 = np.where(f0 == 0.0, 0.0, (4.0 * f1 - 3.0 * f0 - f2) / (2.0 * h))
    v2 = (f2 - 2.0 * f1 + f0) / (2.0 * h * h)
    return np.stack(np.broadcast_arrays(f0, v1, v2))


def _visible(model: DarkSector, Q: np.ndarray) -> np.ndarray:
    widths = partial_widths(model, Q=Q)
    return sum(widths[k] for k in FINAL_STATES)  # type: ignore[return-value]


@dataclass
class CouplingFamily:
    """The models of one mass block with the coefficient c of structure ``key`` free: the
    cross section of every model for any c in a few array operations (module docstring).

    Arrays: ``s`` (N, G) the node CM energies squared [GeV^2] of ``grid``; ``pref`` P(s)
    [GeV]; ``vis`` (3, N, G) coefficients of V(sqrt s; c) [GeV]; ``q_w``, ``dm_w``, ``vis_w``
    the width term's Q_w [GeV], Gamma_DM(Q_w) [GeV] and V(Q_w; c) coefficients; ``lon``
    (3, N, G) coefficients of the longitudinal cross section [GeV^-2] or None; ``density``
    (len(x),) the kind's density factor of the average."""

    key: str
    m_V: np.ndarray
    grid: ThermalGrid
    pref: np.ndarray
    vis: np.ndarray
    q_w: np.ndarray
    dm_w: np.ndarray
    vis_w: np.ndarray
    lon: np.ndarray | None = None
    density: np.ndarray | float = 1.0

    @classmethod
    def build(
        cls,
        models: Sequence[DarkSector],
        key: str,
        c_lo: np.ndarray,
        c_hi: np.ndarray,
        x: np.ndarray,
        quad: Quadrature | SplitQuadrature = FULL,
    ) -> CouplingFamily:
        """``models``: one mass block (:func:`darkmoments.cosmology.thermal.mass_blocks`);
        ``c_lo``, ``c_hi`` (N,): the bracket (the nodes resolve the pole at the narrowest width,
        c_lo: finer panels than needed are harmless for broader widths); ``quad``: the node
        sets of the method (:func:`darkmoments.cosmology.relic.node_quadrature`)."""
        idx = np.arange(len(models))
        block = stack(models, idx)
        m_V = np.asarray(block.m_V, dtype=float)  # (N, 1)
        m_DM = np.asarray(block.m_DM, dtype=float)
        h = float(np.max(c_hi))
        at = [block.with_coupling(key, c) for c in (0.0, h, 2.0 * h)]
        # the width at Q = m_V: the pole's half width for the nodes (and the fixed-width term)
        vis_mv = _quadratic(tuple(_visible(b, m_V) for b in at), h)  # type: ignore[arg-type]
        dm_mv = partial_widths(at[0], Q=m_V)["DM"]
        gam_lo = dm_mv[:, 0] + vis_mv[0, :, 0] + c_lo * (vis_mv[1, :, 0] + c_lo * vis_mv[2, :, 0])
        grid = ThermalGrid.build(m_DM[:, 0], x, special_arrays(block, gam_lo), quad)
        s = grid.s
        sqrt_s = np.sqrt(s)
        vis = _quadratic(tuple(_visible(b, sqrt_s) for b in at), h)  # type: ignore[arg-type]
        weight = coannihilation_weight(block, s)
        pref = transverse_prefactor(block, s) * weight
        lon = None
        if block.dm_kind in ("majorana", "pseudo_dirac"):
            lons = [sum(longitudinal_cross_sections(b, s).values()) * weight for b in at]
            if any(np.any(v != 0) for v in lons):
                lon = _quadratic(tuple(lons), h)  # type: ignore[arg-type]
        if block.width == "running":
            q_w, dm_w, vis_w = sqrt_s, partial_widths(at[0], Q=sqrt_s)["DM"], vis
        else:
            q_w, dm_w, vis_w = m_V, dm_mv, vis_mv
        density = counting(block, x)[2]
        fam = cls(key, m_V, grid, pref, vis, q_w, dm_w, vis_w, lon, density)
        fam._check(block, 0.61 * h)
        return fam

    def subset(self, idx: np.ndarray) -> CouplingFamily:
        """The family of models ``idx`` only."""
        return CouplingFamily(
            self.key,
            self.m_V[idx],
            self.grid.subset(idx),
            self.pref[idx],
            self.vis[:, idx],
            self.q_w[idx],
            self.dm_w[idx],
            self.vis_w[:, idx],
            None if self.lon is None else self.lon[:, idx],
            self.density,
        )

    def sigma(self, c: np.ndarray) -> np.ndarray:
        """sigma(s; c) [GeV^-2] on the nodes, shape (N, G), for coefficients c (N,)."""
        c = np.asarray(c, dtype=float)[:, None]
        V = self.vis[0] + c * (self.vis[1] + c * self.vis[2])
        W = self.q_w * (self.dm_w + self.vis_w[0] + c * (self.vis_w[1] + c * self.vis_w[2]))
        D = (self.grid.s - self.m_V**2) ** 2 + W**2
        out = self.pref * V / D
        if self.lon is not None:
            out = out + self.lon[0] + c * (self.lon[1] + c * self.lon[2])
        return out  # type: ignore[no-any-return]

    def sigma_v(self, c: np.ndarray) -> np.ndarray:
        """<sigma v>(x) [GeV^-2] on the grid's x, shape (N, len(x)): the kind's table."""
        return self.grid.average(self.sigma(c)) * self.density

    def _check(self, block: DarkSector, c: float) -> None:
        trial = block.with_coupling(self.key, c)
        direct = cross_section(trial, self.grid.s) * coannihilation_weight(trial, self.grid.s)
        mine = self.sigma(np.full(len(self.m_V), c))
        scale = np.max(np.abs(direct), axis=1, keepdims=True)
        if np.any(np.abs(mine - direct) > QUADRATIC_RTOL * (np.abs(direct) + 1e-6 * scale)):
            raise RuntimeError(
                f"the cross section is not quadratic in the {self.key} coefficient as the relic-"
                "target solver assumes (physics.annihilation changed?): use a per-point solver"
            )


def _prepare(
    models: Sequence[DarkSector],
    solve_for: str,
    method: str,
    bracket: tuple[float, float] | None,
    F: float,
    allow_r_above_2: bool,
) -> tuple[str, np.ndarray, np.ndarray]:
    """Validate; returns the structure key and the per-model bracket (lows, highs)."""
    if method not in METHODS:
        raise ValueError(f"method = {method!r} is invalid: allowed one of {list(METHODS)}")
    _check_method(method, models)
    _check_F(F)
    key, _ = solve_key(solve_for)
    if bracket is not None:
        lo, hi = bracket
        if not (0 < lo < hi and math.isfinite(hi)):
            raise ValueError(
                f"bracket = {bracket!r} is invalid: allowed 0 < low < high (coefficient)"
            )
        lows = np.full(len(models), float(lo))
        highs = np.full(len(models), float(hi))
    else:
        pairs = np.array([default_bracket(key, float(m.m_V)) for m in models]).reshape(-1, 2)
        lows, highs = pairs[:, 0].copy(), pairs[:, 1].copy()
    for m, hi in zip(models, highs, strict=True):
        check_model(m.with_coupling(key, float(hi)), allow_r_above_2)
    return key, lows, highs


@dataclass
class _Omega:
    """ln(Omega h^2 / target) of all models of a grid at trial couplings: the cross sections by
    :class:`CouplingFamily` (one per mass block), then one vectorized Boltzmann (or rizzo)
    evaluation for all requested models. Records each model's last evaluation."""

    families: list[CouplingFamily]
    members: list[np.ndarray]
    m_DM: np.ndarray
    x: np.ndarray
    method: str
    F: float
    x_F: float
    dof_source: str
    ln_target: float
    g_chi: np.ndarray
    factor: np.ndarray

    def __post_init__(self) -> None:
        n = len(self.m_DM)
        self.block = np.empty(n, dtype=int)
        self.row = np.empty(n, dtype=int)
        for k, idx in enumerate(self.members):
            self.block[idx] = k
            self.row[idx] = np.arange(len(idx))
        self.last = {k: np.full(n, np.nan) for k in ("omega", "x_f", "sv")}
        self.last["eq"] = np.zeros(n, dtype=bool)
        self.evaluations = 0

    def __call__(self, idx: np.ndarray, ln_c: np.ndarray) -> np.ndarray:
        """f = ln(Omega h^2 / target) of models ``idx`` (global indices) at c = exp(ln_c)."""
        sv = np.empty((len(idx), len(self.x)))
        c = np.exp(ln_c)
        for k, fam in enumerate(self.families):
            sel = np.flatnonzero(self.block[idx] == k)
            if sel.size:
                rows = self.row[idx[sel]]
                sub = fam if len(rows) == len(self.members[k]) else fam.subset(rows)
                sv[sel] = sub.sigma_v(c[sel])
        res = evaluate_many(
            self.m_DM[idx], self.x, self.F * sv, self.method,
            x_F=self.x_F, dof_source=self.dof_source, F=self.F,
            g_chi=self.g_chi[idx], sigma_v_factor=self.factor[idx],
        )  # fmt: skip
        self.evaluations += 1
        self.last["omega"][idx] = res.omega_h2
        self.last["x_f"][idx] = res.x_f
        self.last["sv"][idx] = res.sigma_v_xf_cm3_s
        self.last["eq"][idx] = res.in_equilibrium
        return np.log(res.omega_h2) - self.ln_target  # type: ignore[no-any-return]


def _root(
    f: _Omega, idx: np.ndarray, a: np.ndarray, b: np.ndarray, fa: np.ndarray, fb: np.ndarray
) -> np.ndarray:
    """Root in ln c of the decreasing f on [a, b] with f(a) > 0 > f(b), for the models ``idx``
    together: a first step from the Omega ~ 1/<sigma v> ~ c^-2 scaling at the high end (at
    the low end the DM is far from equilibrium and Omega does not depend on c) and a second
    one from the same scaling at the first point, then secant steps safeguarded by the bracket
    (a step leaving it, or one after a step that did not halve |f|, is replaced by the
    Illinois point). Returns ln c; each model's last evaluation is at it."""
    a, b, fa, fb = a.copy(), b.copy(), fa.copy(), fb.copy()
    p, fp = b.copy(), fb.copy()
    q = np.clip(b + 0.5 * fb, a + 1e-3 * (b - a), b - 1e-3 * (b - a))
    act = np.ones(len(a), dtype=bool)
    side = np.zeros(len(a), dtype=int)
    fq = np.zeros(len(a))
    for it in range(MAX_ITER):
        i = np.flatnonzero(act)
        if not i.size:
            break
        fq[i] = f(idx[i], q[i])
        pos = fq[i] > 0  # root above q
        ia, ib = i[pos], i[~pos]
        a[ia], fa[ia] = q[ia], fq[ia]
        fb[ia] = np.where(side[ia] == 1, 0.5 * fb[ia], fb[ia])  # Illinois weights
        side[ia] = 1
        b[ib], fb[ib] = q[ib], fq[ib]
        fa[ib] = np.where(side[ib] == -1, 0.5 * fa[ib], fa[ib])
        side[ib] = -1
        done = (np.abs(fq[i]) < F_TOL) | (b[i] - a[i] < X_TOL)
        act[i[done]] = False
        i = np.flatnonzero(act)
        slow = np.abs(fq[i]) > 0.5 * np.abs(fp[i])
        if it == 0:  # the second step again from the c^-2 scaling, now close to the root
            p[i], fp[i] = q[i] - 1.0, fq[i] + 2.0
            slow[:] = False
        with np.errstate(divide="ignore", invalid="ignore"):
            sec = q[i] - fq[i] * (q[i] - p[i]) / (fq[i] - fp[i])
        illinois = (a[i] * fb[i] - b[i] * fa[i]) / (fb[i] - fa[i])
        bad = ~np.isfinite(sec) | (sec <= a[i]) | (sec >= b[i]) | slow
        p[i], fp[i] = q[i], fq[i]
        q[i] = np.where(bad, illinois, sec)
    return q


def _omega_function(
    models: list[DarkSector],
    key: str,
    lo: np.ndarray,
    hi: np.ndarray,
    method: str,
    F: float,
    x_F: float,
    dof_source: str,
    omega_target: float,
) -> _Omega:
    """ln(Omega h^2 / target) of the grid as a function of the coefficients: one
    :class:`CouplingFamily` per block of models that differ only in their masses once the
    solved coupling is freed."""
    free = [m.with_coupling(key, 0.0) for m in models]
    x = x_grid(method, x_F)
    quad = node_quadrature(method)
    members = mass_blocks(free)
    families = [
        CouplingFamily.build([free[i] for i in idx], key, lo[idx], hi[idx], x, quad)
        for idx in members
    ]
    m_DM = np.array([float(m.m_DM) for m in models])
    g_chi, factor = kind_counting(models, x)
    return _Omega(
        families, members, m_DM, x, method, F, x_F, dof_source, math.log(omega_target),
        g_chi, factor,
    )  # fmt: skip


def _no_root_error(
    solve_for: str, model: DarkSector, lo: float, hi: float, om_lo: float, om_hi: float,
    omega_target: float,
) -> ValueError:  # fmt: skip
    return ValueError(
        f"no relic-target solution for {solve_for} in the bracket coefficient = "
        f"[{lo:g}, {hi:g}] at m_V = {float(model.m_V):g} GeV, m_DM = {float(model.m_DM):g} GeV: "
        f"Omega h^2 = {om_lo:.3g} .. {om_hi:.3g} does not straddle {omega_target}"
    )


def _result(
    models: list[DarkSector],
    solve_for: str,
    key: str,
    method: str,
    coef: np.ndarray,
    ok: np.ndarray,
    last: dict[str, np.ndarray],
    bracket: tuple[np.ndarray, np.ndarray],
) -> TargetResult:
    """The :class:`TargetResult` of a grid (NaN / False where ``ok`` is False)."""
    res = {k: np.where(ok, v, False if v.dtype == bool else np.nan) for k, v in last.items()}
    value = np.array([to_value(solve_for, c, m.alpha_D) for c, m in zip(coef, models, strict=True)])
    return TargetResult(
        solve_for=solve_for.replace("-", "_"),
        structure=key,
        method=method,
        value=value,
        coefficient=coef,
        omega_h2=res["omega"],
        x_f=res["x_f"],
        sigma_v_xf_cm3_s=res["sv"],
        in_equilibrium=res["eq"],
        ok=ok,
        m_V=np.array([float(m.m_V) for m in models]),
        m_DM=np.array([float(m.m_DM) for m in models]),
        bracket=bracket,
    )


def relic_target_grid(
    models: Sequence[DarkSector],
    solve_for: str,
    method: str = "boltzmann",
    *,
    bracket: tuple[float, float] | None = None,
    omega_target: float = OMEGA_DM_H2,
    F: float = 1.0,
    x_F: float = RIZZO_X_F,
    dof_source: str = "table",
    allow_r_above_2: bool = False,
    on_failure: str = "raise",
    require_equilibrium: bool = True,
) -> TargetResult:
    """Relic targets for many scalar models at once (module docstring): f = ln(Omega h^2 /
    target) at both bracket ends, then :func:`_root` for the bracketed models together.

    ``bracket``: (low, high) of the vertex coefficient (eps for KM); default per point
    :func:`default_bracket`. ``on_failure``: ``raise`` (ValueError naming the points and the
    bracket) or ``nan`` (value NaN, ok False)."""
    if on_failure not in ("raise", "nan"):
        raise ValueError(f"on_failure = {on_failure!r} is invalid: allowed 'raise' or 'nan'")
    if not (math.isfinite(omega_target) and omega_target > 0):
        raise ValueError(f"omega_target = {omega_target!r} is invalid: allowed > 0")
    models = list(models)
    key, lo, hi = _prepare(models, solve_for, method, bracket, F, allow_r_above_2)
    f = _omega_function(models, key, lo, hi, method, F, x_F, dof_source, omega_target)
    every = np.arange(len(models))
    a, b = np.log(lo), np.log(hi)
    fa, fb = f(every, a), f(every, b)
    ok = (fa > 0) & (fb < 0)
    if not np.all(ok) and on_failure == "raise":
        i = int(np.argmin(ok))
        om_lo, om_hi = omega_target * math.exp(fa[i]), omega_target * math.exp(fb[i])
        raise _no_root_error(solve_for, models[i], lo[i], hi[i], om_lo, om_hi, omega_target)
    coef = np.full(len(models), np.nan)
    good = np.flatnonzero(ok)
    if good.size:
        coef[good] = np.exp(_root(f, good, a[good], b[good], fa[good], fb[good]))
    if require_equilibrium and np.any(ok & ~f.last["eq"]):
        i = int(np.argmax(ok & ~f.last["eq"]))
        raise NonEquilibriumError(
            f"relic target for {solve_for} at m_V = {float(models[i].m_V):g} GeV: the solution "
            f"(coefficient {coef[i]:.3g}) does not bring the DM into equilibrium; the "
            "freeze-out result is not valid"
        )
    return _result(models, solve_for, key, method, coef, ok, f.last, (lo, hi))


def relic_target(
    model: DarkSector,
    solve_for: str,
    method: str = "boltzmann",
    *,
    bracket: tuple[float, float] | None = None,
    omega_target: float = OMEGA_DM_H2,
    F: float = 1.0,
    x_F: float = RIZZO_X_F,
    dof_source: str = "table",
    allow_r_above_2: bool = False,
    require_equilibrium: bool = True,
) -> TargetResult:
    """Relic target for one scalar model (scalar fields in the result): the grid
    :func:`relic_target_grid` with one model."""
    if np.ndim(model.m_V) or np.ndim(model.m_DM):
        check_model(model)  # raises: a single target needs scalar masses
    g = relic_target_grid(
        [model], solve_for, method, bracket=bracket, omega_target=omega_target, F=F,
        x_F=x_F, dof_source=dof_source, allow_r_above_2=allow_r_above_2,
        require_equilibrium=require_equilibrium,
    )  # fmt: skip
    return TargetResult(
        solve_for=g.solve_for,
        structure=g.structure,
        method=method,
        value=float(g.value[0]),
        coefficient=float(g.coefficient[0]),
        omega_h2=float(g.omega_h2[0]),
        x_f=float(g.x_f[0]),
        sigma_v_xf_cm3_s=float(g.sigma_v_xf_cm3_s[0]),
        in_equilibrium=bool(g.in_equilibrium[0]),
        ok=True,
        m_V=float(model.m_V),
        m_DM=float(model.m_DM),
        bracket=(float(g.bracket[0][0]), float(g.bracket[1][0])),
    )


def target_curve(
    model: DarkSector,
    solve_for: str,
    m_V: np.ndarray,
    method: str = "boltzmann",
    **kwargs: Any,
) -> TargetResult:
    """Relic targets along an m_V grid at the model's fixed r = 2 m_DM/m_V (and alpha_D,
    other couplings): the LDMX-paper relic-target curves (CGJ Fig. 1)."""
    r = float(model.r)
    m_V = np.atleast_1d(np.asarray(m_V, dtype=float))
    models = [model.replace(m_V=float(mv), m_DM=r * float(mv) / 2.0) for mv in m_V]
    return relic_target_grid(models, solve_for, method, **kwargs)


def eps_lambda_curve(
    model: DarkSector,
    lambda_over_alpha: np.ndarray,
    method: str = "rizzo",
    **kwargs: Any,
) -> TargetResult:
    """Rizzo Fig. 4: eps giving the relic density with a magnetic dipole of scale
    Lambda_e = (Lambda_e/alpha_D) alpha_D held fixed (``lambda_over_alpha`` in GeV). Points where
    the MDM alone already over-annihilates have no solution (NaN, ok False)."""
    lam = np.atleast_1d(np.asarray(lambda_over_alpha, dtype=float)) * model.alpha_D
    models = [
        model.with_coupling("mdm", coefficient_from_scale("mdm", float(L), model.alpha_D))
        for L in lam
    ]
    kwargs.setdefault("on_failure", "nan")
    return relic_target_grid(models, "eps", method, **kwargs)
