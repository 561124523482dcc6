"""Relic abundance of the dark matter, every DM kind, two methods (docs/physics.md §5, §12.9).

Counting (:func:`darkmoments.cosmology.thermal.counting`): Omega h^2 is always ALL the dark
matter — phi + phi* (complex scalar), chi + chibar (Dirac, g = 4), chi (Majorana, g = 2),
chi_1 + chi_2 (pseudo-Dirac: the summed abundance with chi_1 chi_2 coannihilation and the
Boltzmann-suppressed chi_2 population, Edsjo-Gondolo; the chi_2 decay to chi_1 after freeze-out
keeps the number, so Omega = m_chi1 Y s0 / rho_c). ``rizzo`` is for the complex scalar only.

* ``boltzmann`` (default): the full freeze-out of :mod:`darkmoments.cosmology.boltzmann` with
  <sigma v>(x) of :mod:`darkmoments.cosmology.thermal` tabulated on a log grid in x.
* ``rizzo`` ("R-simplified", Rizzo arXiv:2106.11150 Sec. 3.1, docs/physics.md §5.5):
  <sigma beta_rel> at x_F = 20 (Rizzo Eq. 10), times Rizzo's factor F, compared with the
  requirement 7.5 sigma_0 (sigma_0 = 1e-26 cm^3/s); reported as
  Omega h^2 = 0.120 x 7.5 sigma_0 / (F <sigma v>(x_F)) (the standard Omega ~ 1/<sigma v>
  scaling, exact at the requirement). docs/physics.md §5.5: the full solution of this p-wave
  case needs 12-25 sigma_0 at x = 20 instead, so the two methods differ by a factor ~2-3 in
  Omega h^2 at fixed couplings.

Rizzo's F = 1 + sum_i (Lambda_e/Lambda_nu_i)^2 is either modelled (``neutrinos=True`` in the
model: the nu nubar channel is computed) or given as an explicit multiplier ``F`` of the
cross section (both methods). Validity: r = 2 m_DM/m_V < 2 (for r >= 2 on-shell phi* phi -> V V
is open: s-wave, not included; refused unless ``allow_r_above_2``); the DM must reach
equilibrium (flagged, or refused with :class:`NonEquilibriumError`).

Grids: :func:`relic_density_grid` takes many models (or one model with array masses) and
solves them together: the thermal averages by mass blocks
(:func:`darkmoments.cosmology.thermal.sigma_v_many`), the Boltzmann equation in one
vectorized call. :func:`relic_density` is the grid with one model.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from darkmoments.constants.cosmology import (
    OMEGA_DM_H2,
    RIZZO_TARGET_SIGMA_0,
    RIZZO_X_F,
    SIGMA_0_CM3_S,
)
from darkmoments.constants.units import CM3_PER_S_PER_GEV2
from darkmoments.cosmology import boltzmann
from darkmoments.cosmology.thermal import (
    FULL,
    RIZZO,
    Quadrature,
    SplitQuadrature,
    counting,
    sigma_v_many,
)
from darkmoments.model import INTERACTIONS, DarkSector

METHODS = ("boltzmann", "rizzo")
#: default x table for <sigma v>(x): 20 points per decade on [1, 1e4] (Omega h^2 within 2e-5
#: of 60 per decade, docs/physics.md §5)
X_TABLE = np.geomspace(boltzmann.X_START, boltzmann.X_END, 81)
#: number of x points in [1, x_F] of the ``rizzo`` method (<sigma v>(x_F) and the
#: equilibrium check over x <= x_F)
N_X_RIZZO = 12


def node_quadrature(method: str) -> Quadrature | SplitQuadrature:
    """The thermal-average node sets of a method: :data:`~darkmoments.cosmology.thermal.FULL`
    for ``boltzmann`` (docs/physics.md §5.1), the lighter split sets
    :data:`~darkmoments.cosmology.thermal.RIZZO` for ``rizzo`` (x_F = 20 and the equilibrium
    check over x <= x_F; accuracy in docs/physics.md §5.G)."""
    return RIZZO if method == "rizzo" else FULL


def x_grid(method: str, x_F: float = RIZZO_X_F, table: np.ndarray | None = None) -> np.ndarray:
    """The x grid on which <sigma v>(x) is averaged for ``method``: the Boltzmann table plus
    x_F, or for ``rizzo`` N_X_RIZZO log-spaced points on [1, x_F]."""
    if method == "rizzo":
        return np.geomspace(1.0, x_F, N_X_RIZZO)
    return np.union1d(X_TABLE if table is None else np.asarray(table, dtype=float), [x_F])


class NonEquilibriumError(ValueError):
    """The dark matter never reaches thermal equilibrium: the freeze-out result is invalid."""


@dataclass(frozen=True)
class RelicResult:
    """Relic density of one model. ``sigma_v_xf_cm3_s`` is <sigma v> at x_f (for ``rizzo``,
    x_f = x_F = 20, including F); ``in_equilibrium``: the freeze-out assumption holds
    (max Gamma/H >= 10 before x_f and x_f >= 3)."""

    omega_h2: float
    x_f: float
    sigma_v_xf_cm3_s: float
    method: str
    in_equilibrium: bool
    gamma_over_H_max: float
    sigma_v_x20_cm3_s: float
    F: float
    Y_inf: float | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        out = {
            "omega_h2": self.omega_h2,
            "x_f": self.x_f,
            "sigma_v_xf_cm3_s": self.sigma_v_xf_cm3_s,
            "sigma_v_xf_over_sigma0": self.sigma_v_xf_cm3_s / SIGMA_0_CM3_S,
            "sigma_v_x20_cm3_s": self.sigma_v_x20_cm3_s,
            "method": self.method,
            "in_equilibrium": self.in_equilibrium,
            "gamma_over_H_max": self.gamma_over_H_max,
            "F": self.F,
            "omega_h2_target": OMEGA_DM_H2,
        }
        if self.Y_inf is not None:
            out["Y_inf"] = self.Y_inf
        if self.method == "rizzo":
            out["rizzo_requirement_sigma0"] = RIZZO_TARGET_SIGMA_0
        if self.notes:
            out["notes"] = list(self.notes)
        return out


def check_model(model: DarkSector, allow_r_above_2: bool = False) -> list[str]:
    """Validate a model for the relic calculation; returns notes for the result."""
    if np.ndim(model.m_V) or np.ndim(model.m_DM):
        raise ValueError(
            "m_V = array is invalid for a single relic density: allowed a scalar "
            "(use relic_density_grid or darkmoments.cosmology.targets for grids)"
        )
    if not model.structures:
        raise ValueError("couplings = {} is invalid: allowed at least one structure switched on")
    r = float(model.r)
    notes = []
    if r >= 2.0:
        msg = (
            f"r = {r:g} is invalid: allowed r < 2 (for r >= 2 the s-wave DM DM -> V V "
            "channel opens, outside the validity of this calculation)"
        )
        if not allow_r_above_2:
            raise ValueError(msg)
        warnings.warn(msg.replace("is invalid", "is outside validity"), stacklevel=3)
        notes.append("r >= 2: DM DM -> V V (s-wave) not included; result not valid")
    elif r > 1.5:
        notes.append(
            "r > 1.5: forbidden DM DM -> V V(*) channels, not included, may matter "
            "(Rizzo Sec. 3.1, docs/physics.md §5.6)"
        )
    if model.hadrons == "r_scaled" and any(
        not INTERACTIONS[k].charge_coupled for k in model.structures
    ):
        if model.fermions in ("universal", "charge-weighted"):
            notes.append(
                "hadronic final states of non-KM structures use the R-scaled approximation "
                "(docs/physics.md §3.4)"
            )
    return notes


def _check_F(F: float) -> float:
    F = float(F)
    if not (math.isfinite(F) and F > 0):
        raise ValueError(f"F = {F!r} is invalid: allowed a finite number > 0 (Rizzo's factor)")
    return F


def _check_method(method: str, models: Sequence[DarkSector] = ()) -> None:
    if method not in METHODS:
        raise ValueError(f"method = {method!r} is invalid: allowed one of {list(METHODS)}")
    if method == "rizzo":
        for m in models:
            if m.dm_kind != "complex_scalar":
                raise ValueError(
                    f"method = 'rizzo' is invalid for dm = {m.dm_kind.replace('_', '-')}: "
                    "allowed boltzmann (Rizzo's x_F = 20 requirement 7.5 sigma_0 is calibrated "
                    "for the p-wave complex scalar only)"
                )


def kind_counting(models: Sequence[DarkSector], x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(g_chi (N, len(x)), sigma_v_factor (N,)) of the models' DM kinds on the x grid
    (:func:`darkmoments.cosmology.thermal.counting`)."""
    if all(m.dm_kind == models[0].dm_kind != "pseudo_dirac" for m in models):
        g0, f0, _ = counting(models[0], x[:1])
        return np.full((len(models), len(x)), float(g0[0])), np.full(len(models), f0)
    rows = [counting(m, x) for m in models]
    g = np.array([r[0] for r in rows]).reshape(len(models), len(x))
    f = np.array([r[1] for r in rows], dtype=float)
    return g, f


def kind_notes(model: DarkSector) -> list[str]:
    """What the relic result of a fermion kind counts and assumes (docs/physics.md §12.9)."""
    if model.dm_kind == "dirac":
        return ["Dirac: Omega h^2 counts chi and chibar (g = 4), all the dark matter"]
    if model.dm_kind == "majorana":
        notes = ["Majorana: self-conjugate chi (g = 2)"]
        if "ax" in model.structures and model.hadrons == "r_scaled":
            notes.append(
                "axial quark coupling: the longitudinal hadronic part is not given by R and is "
                "left out (docs/physics.md §12.4)"
            )
        return notes
    if model.dm_kind == "pseudo_dirac":
        return [
            f"pseudo-Dirac: summed chi_1 + chi_2 abundance (delta = {model.delta:g}) with chi_1 "
            "chi_2 coannihilation and a Boltzmann-suppressed chi_2 population (Edsjo-Gondolo); "
            "chi_2 assumed to decay to chi_1 after freeze-out"
        ]
    return []


@dataclass(frozen=True)
class RelicGrid:
    """Relic densities of N models (arrays of shape (N,); fields as in :class:`RelicResult`;
    ``Y_inf`` NaN for ``rizzo``; ``notes`` one tuple per model)."""

    omega_h2: np.ndarray
    x_f: np.ndarray
    sigma_v_xf_cm3_s: np.ndarray
    in_equilibrium: np.ndarray
    gamma_over_H_max: np.ndarray
    sigma_v_x20_cm3_s: np.ndarray
    Y_inf: np.ndarray
    method: str
    F: float
    notes: tuple[tuple[str, ...], ...]

    def __len__(self) -> int:
        return len(self.omega_h2)

    def result(self, i: int) -> RelicResult:
        """Model ``i`` as a :class:`RelicResult`."""
        return RelicResult(
            omega_h2=float(self.omega_h2[i]),
            x_f=float(self.x_f[i]),
            sigma_v_xf_cm3_s=float(self.sigma_v_xf_cm3_s[i]),
            method=self.method,
            in_equilibrium=bool(self.in_equilibrium[i]),
            gamma_over_H_max=float(self.gamma_over_H_max[i]),
            sigma_v_x20_cm3_s=float(self.sigma_v_x20_cm3_s[i]),
            F=self.F,
            Y_inf=None if self.method == "rizzo" else float(self.Y_inf[i]),
            notes=self.notes[i],
        )


def as_models(models: DarkSector | Sequence[DarkSector]) -> list[DarkSector]:
    """A list of scalar models from a sequence, or from one model with array masses (m_V and
    m_DM broadcast together, flattened in C order)."""
    if isinstance(models, DarkSector):
        m_V, m_DM = np.broadcast_arrays(np.asarray(models.m_V), np.asarray(models.m_DM))
        return [
            models.replace(m_V=float(a), m_DM=float(b))
            for a, b in zip(m_V.ravel(), m_DM.ravel(), strict=True)
        ]
    return list(models)


def array_notes(model: DarkSector, allow_r_above_2: bool = False) -> tuple[tuple[str, ...], ...]:
    """:func:`check_model` and :func:`kind_notes` of every model of one DarkSector with array
    masses (flattened as in :func:`as_models`), computed once per distinct r."""
    m_V, m_DM = np.broadcast_arrays(np.asarray(model.m_V), np.asarray(model.m_DM))
    m_V, m_DM = m_V.astype(float).ravel(), m_DM.astype(float).ravel()
    r = 2.0 * m_DM / m_V
    _, first, inv = np.unique(r, return_index=True, return_inverse=True)
    per_r = []
    for i in first:
        one = model.replace(m_V=float(m_V[i]), m_DM=float(m_DM[i]))
        per_r.append(tuple(check_model(one, allow_r_above_2) + kind_notes(one)))
    return tuple(per_r[k] for k in inv.ravel())


def relic_density_grid(
    models: DarkSector | Sequence[DarkSector],
    method: str = "boltzmann",
    *,
    F: float = 1.0,
    x_F: float = RIZZO_X_F,
    dof_source: str = "table",
    allow_r_above_2: bool = False,
    require_equilibrium: bool = True,
    x_table: np.ndarray | None = None,
) -> RelicGrid:
    """Omega h^2 of all the dark matter for many models at once (GeV units): a sequence of
    scalar models, or one model with array m_V / m_DM (flattened as in :func:`as_models`, but
    used as it is: no scalar models are built). Arguments as
    in :func:`relic_density`; ``require_equilibrium`` raises for the first model out of
    equilibrium (else every model is flagged)."""
    F = _check_F(F)
    xt = x_grid(method, x_F, x_table)
    if isinstance(models, DarkSector):  # array masses: no scalar models are built
        _check_method(method, [models])
        notes = array_notes(models, allow_r_above_2)
        sv = F * sigma_v_many(models, xt, node_quadrature(method))
        m = np.broadcast_arrays(np.asarray(models.m_V), np.asarray(models.m_DM))[1]
        m = m.astype(float).ravel()
        g0, f0, _ = counting(models, xt)
        g_chi, factor = np.broadcast_to(g0, (m.size, len(xt))), np.full(m.size, f0)
    else:
        models = list(models)
        _check_method(method, models)
        notes = tuple(tuple(check_model(m, allow_r_above_2) + kind_notes(m)) for m in models)
        sv = F * sigma_v_many(models, xt, node_quadrature(method))
        m = np.array([float(mod.m_DM) for mod in models])
        g_chi, factor = kind_counting(models, xt)
    grid = evaluate_many(
        m, xt, sv, method, x_F=x_F, dof_source=dof_source, F=F, g_chi=g_chi, sigma_v_factor=factor
    )
    merged = tuple(a + b for a, b in zip(notes, grid.notes, strict=True))
    grid = RelicGrid(**{**grid.__dict__, "notes": merged})
    if require_equilibrium and not np.all(grid.in_equilibrium):
        i = int(np.argmin(grid.in_equilibrium))
        raise NonEquilibriumError(
            f"couplings too weak: the dark matter never reaches thermal equilibrium "
            f"(max Gamma/H = {grid.gamma_over_H_max[i]:.3g} < 10 or x_f = {grid.x_f[i]:.3g} "
            f"< 3); the freeze-out result (Omega h^2 = {grid.omega_h2[i]:.3g}) is not valid"
        )
    return grid


def relic_density(
    model: DarkSector,
    method: str = "boltzmann",
    *,
    F: float = 1.0,
    x_F: float = RIZZO_X_F,
    dof_source: str = "table",
    allow_r_above_2: bool = False,
    require_equilibrium: bool = True,
    x_table: np.ndarray | None = None,
) -> RelicResult:
    """Omega h^2 of all the dark matter of ``model`` (scalar masses, GeV units): the grid
    :func:`relic_density_grid` with one model.

    ``method``: ``boltzmann`` (docs/physics.md §5.2) or ``rizzo`` (§5.5). ``F`` multiplies the
    annihilation cross section (Rizzo's factor; default 1). ``require_equilibrium``: raise
    :class:`NonEquilibriumError` when the freeze-out assumption fails (else flag it).
    ``x_table``: the x grid of <sigma v> for ``boltzmann`` (default :data:`X_TABLE`)."""
    _check_method(method, [model])
    _check_F(F)
    check_model(model, allow_r_above_2)
    grid = relic_density_grid(
        [model],
        method,
        F=F,
        x_F=x_F,
        dof_source=dof_source,
        allow_r_above_2=allow_r_above_2,
        require_equilibrium=require_equilibrium,
        x_table=x_table,
    )
    return grid.result(0)


def evaluate_many(
    m_DM: np.ndarray,
    x: np.ndarray,
    sigma_v: np.ndarray,
    method: str,
    *,
    x_F: float = RIZZO_X_F,
    dof_source: str = "table",
    F: float = 1.0,
    g_chi: np.ndarray | float | None = None,
    sigma_v_factor: np.ndarray | float | None = None,
) -> RelicGrid:
    """Relic results of N models from their tabulated <sigma v>(x) [GeV^-2] (already
    including F), shape (N, len(x)); ``m_DM`` [GeV] shape (N,). ``boltzmann``: one vectorized
    solve with the DM-kind counting ``g_chi`` (number or (N, len(x)) table) and
    ``sigma_v_factor`` (number or (N,)), defaults the complex scalar's
    (:mod:`darkmoments.cosmology.boltzmann`); ``rizzo``: Omega h^2 = 0.120 x 7.5 sigma_0 /
    <sigma v>(x_F) with the equilibrium check over the x <= x_F of the table."""
    m = np.asarray(m_DM, dtype=float)
    sigma_v = np.atleast_2d(sigma_v)
    # a table that switches off (pseudo-Dirac: chi_2 gone, exp(-x delta) < exp(-80)) is floored
    # 1e-60 below its maximum, so its log-spline and the power-law tail stay finite (no effect
    # on Y: the rate there is negligible either way)
    sigma_v = np.maximum(sigma_v, 1e-60 * np.max(sigma_v, axis=1, keepdims=True))
    lnx = np.log(x)
    ln_sv = np.log(np.maximum(sigma_v, 1e-300))
    j = int(np.searchsorted(x, x_F))
    if j < len(x) and x[j] == x_F:
        sv20 = sigma_v[:, j]
    else:  # log-linear interpolation between the table points around x_F
        sv20 = np.exp([np.interp(math.log(x_F), lnx, row) for row in ln_sv])
    n = len(m)
    if method == "boltzmann":
        g = boltzmann.G_COMPLEX_SCALAR if g_chi is None else g_chi
        fac = np.atleast_1d(
            boltzmann.SIGMA_V_FACTOR_COMPLEX_SCALAR if sigma_v_factor is None else sigma_v_factor
        ).astype(float)
        g_arr = np.asarray(g, dtype=float)
        if g_arr.ndim and np.all(g_arr == g_arr.flat[0]):
            g = float(g_arr.flat[0])  # constant counting: the scalar path of the core
        if np.all(fac == fac[0]):
            fo = boltzmann.solve(
                m, x, sigma_v, dof_source=dof_source, g_chi=g, sigma_v_factor=float(fac[0])
            )
            sv_xf = np.atleast_1d(fo.sigma_v_xf)
        else:  # mixed kinds: the factor goes into the table, the report divides it out again
            fac_col = np.broadcast_to(fac, (n,))[:, None]
            fo = boltzmann.solve(
                m, x, sigma_v * fac_col, dof_source=dof_source, g_chi=g, sigma_v_factor=1.0
            )
            sv_xf = np.atleast_1d(fo.sigma_v_xf) / fac_col[:, 0]
        return RelicGrid(
            omega_h2=np.atleast_1d(fo.omega_h2),
            x_f=np.atleast_1d(fo.x_f),
            sigma_v_xf_cm3_s=sv_xf * CM3_PER_S_PER_GEV2,
            in_equilibrium=np.atleast_1d(fo.in_equilibrium),
            gamma_over_H_max=np.atleast_1d(fo.gamma_over_H_max),
            sigma_v_x20_cm3_s=sv20 * CM3_PER_S_PER_GEV2,
            Y_inf=np.atleast_1d(fo.Y_inf),
            method=method,
            F=F,
            notes=((),) * n,
        )
    sv20_cm = sv20 * CM3_PER_S_PER_GEV2
    omega = OMEGA_DM_H2 * RIZZO_TARGET_SIGMA_0 * SIGMA_0_CM3_S / np.maximum(sv20_cm, 1e-300)
    keep = x <= x_F
    if keep.any():
        gh = boltzmann.gamma_over_h(m[:, None], x[keep], sigma_v[:, keep], dof_source)
        gh_max = np.max(gh, axis=1)
    else:
        gh_max = np.zeros(n)
    return RelicGrid(
        omega_h2=omega,
        x_f=np.full(n, float(x_F)),
        sigma_v_xf_cm3_s=sv20_cm,
        in_equilibrium=gh_max >= 10.0,
        gamma_over_H_max=gh_max,
        sigma_v_x20_cm3_s=sv20_cm,
        Y_inf=np.full(n, np.nan),
        method=method,
        F=F,
        notes=(("R-simplified: <sigma v>(x_F = 20) vs 7.5 sigma_0 (Rizzo Sec. 3.1)",),) * n,
    )
