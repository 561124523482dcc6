"""The scan quantities: a registry name -> pure top-level function of one parameter point.

A quantity is a module-level (hence picklable) function ``func(params: dict, seed: int) -> dict``:

* ``params`` holds the point's model parameters, spelled as :meth:`DarkSector.build` keywords
  (``m_V``, ``alpha_D``, ``r`` or ``m_DM``, ``eps``, ``lambda_mdm`` / ``mu``, ..., ``fermions``,
  ``neutrinos``, ``hadrons``, ``width``, ``per_fermion``), plus the quantity's options with their
  defaults filled in. :func:`model_from_params` turns it into a :class:`DarkSector` (it ignores
  the option keys).
* ``seed`` is the point's own seed (a non-negative int < 2**63, derived from the point index and
  the scan seed, see :func:`darkmoments.scan.run.point_seed`): use
  ``numpy.random.default_rng(seed)`` and nothing else for randomness, and the point gives the same
  bytes on every executor.
* the result maps output names to scalars (float, int, str, bool; numpy scalars and 0-d arrays
  are accepted). An output name must not repeat an input name or a reserved column (``point``,
  ``status``, ``error``, ``seed``, ``wall_time_s``). Put units in the name or the description.
  A point whose function raises is recorded as failed with the error message; the scan goes on.

Registering a quantity is one call (typically at the bottom of the module that defines it, or in
:func:`_register_builtin` below for the shipped ones)::

    from darkmoments.scan.quantities import Option, register_quantity

    def relic_target(params, seed):                       # top level: picklable
        model = model_from_params(params)
        eps = solve_relic_target(model, tol=params["rtol"])
        return {"eps_target": eps, "y_target": ...}

    register_quantity(
        "relic_target", relic_target,
        "kinetic mixing eps giving Omega h^2 = 0.12 (issue 3)",
        options={"rtol": Option(1e-4, "relative tolerance of the root", minimum=0.0)},
    )

A scan config may then say ``quantity = "relic_target"`` and scan ``rtol`` as an axis or fix it in
``[options]``. An option may be given as an :class:`Option` or as its bare default value.
"""

from __future__ import annotations

import math
import time
import traceback
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from darkmoments.constants import FERMIONS
from darkmoments.model import INTERACTIONS, DarkSector
from darkmoments.physics import dirac
from darkmoments.physics.decays import CHANNELS, branching_ratios, msq_decay, partial_widths
from darkmoments.physics.vertex import dirac_coefficients, lorentz_couplings

QuantityFunc = Callable[[dict[str, Any], int], Mapping[str, Any]]


# ---------------------------------------------------------------- model parameters
class _RegistryNames(Sequence[str]):
    """A tuple of names computed from the structure registry on every use, so that a structure
    registered at run time (model.register_interaction) is a scan parameter at once."""

    def __init__(self, names: Callable[[], tuple[str, ...]]) -> None:
        self._names = names

    def __getitem__(self, i: Any) -> Any:
        return self._names()[i]

    def __len__(self) -> int:
        return len(self._names())

    def __contains__(self, name: object) -> bool:
        return name in self._names()

    def __repr__(self) -> str:
        return repr(self._names())


def _numeric() -> tuple[str, ...]:
    return (
        "m_V",
        "alpha_D",
        "m_DM",
        "r",
        "delta",  # pseudo-Dirac splitting (m_chi2 - m_chi1) / m_chi1, with dm_kind = "pseudo_dirac"
        *(i.coefficient for i in INTERACTIONS.values()),
        *(i.scale for i in INTERACTIONS.values() if i.scale),
    )


#: numeric model parameters (GeV units for masses and scales), as DarkSector.build keywords:
#: every registered coupling, in API spelling (the names of --solve-for, --bound and JSON)
NUMERIC_MODEL_PARAMETERS: Sequence[str] = _RegistryNames(_numeric)
STRING_MODEL_PARAMETERS = ("fermions", "hadrons", "width", "dm_kind")
BOOL_MODEL_PARAMETERS = ("neutrinos",)
TABLE_MODEL_PARAMETERS = ("per_fermion",)
#: every name a scan may use for a model parameter ([model] keys and [axes.<name>])
MODEL_PARAMETERS: Sequence[str] = _RegistryNames(
    lambda: (
        *_numeric(),
        *STRING_MODEL_PARAMETERS,
        *BOOL_MODEL_PARAMETERS,
        *TABLE_MODEL_PARAMETERS,
    )
)
#: columns every result row has besides its inputs and outputs
RESERVED_COLUMNS = ("point", "status", "error", "seed", "wall_time_s")


def model_from_params(params: Mapping[str, Any]) -> DarkSector:
    """The :class:`DarkSector` of one point: ``DarkSector.build`` on the model keys of
    ``params`` (quantity options are ignored). Raises ValueError on invalid parameters."""
    kw = {k: v for k, v in params.items() if k in MODEL_PARAMETERS}
    if "m_V" not in kw:
        raise ValueError("m_V is missing: give it in [model] or as an axis")
    m_V = kw.pop("m_V")
    alpha_D = kw.pop("alpha_D", 0.5)
    return DarkSector.build(m_V, alpha_D, **kw)


# ---------------------------------------------------------------- registry
_TYPES: dict[type, str] = {bool: "bool", int: "int", float: "float", str: "str"}


@dataclass(frozen=True)
class Option:
    """A quantity option: default value, help text, and its allowed values.

    ``type`` (bool, int, float or str) is inferred from ``default`` when not given; ints are
    accepted for float options. ``choices`` restricts to a list; ``minimum`` / ``maximum`` are
    inclusive bounds for numbers."""

    default: Any
    help: str = ""
    choices: tuple[Any, ...] | None = None
    minimum: float | None = None
    maximum: float | None = None
    type: type | None = None

    def __post_init__(self) -> None:
        kind = self.type if self.type is not None else type(self.default)
        if kind not in _TYPES:
            raise ValueError(f"option type = {kind!r} is invalid: allowed bool, int, float or str")
        object.__setattr__(self, "type", kind)
        if self.choices is not None:
            object.__setattr__(self, "choices", tuple(self.choices))

    def check(self, name: str, value: Any) -> Any:
        """``value`` converted to the option's type; ValueError naming the option otherwise."""
        kind = self.type
        ok = (
            (kind is bool and isinstance(value, bool))
            or (kind is int and isinstance(value, int) and not isinstance(value, bool))
            or (
                kind is float
                and isinstance(value, (int, float))
                and not isinstance(value, bool)
                and math.isfinite(value)
            )
            or (kind is str and isinstance(value, str))
        )
        if not ok:
            raise ValueError(
                f"option {name} = {value!r} is invalid: allowed a finite {_TYPES[kind]}"  # type: ignore[index]
            )
        value = float(value) if kind is float else value
        if self.choices is not None and value not in self.choices:
            raise ValueError(
                f"option {name} = {value!r} is invalid: allowed one of {list(self.choices)}"
            )
        if self.minimum is not None and value < self.minimum:
            raise ValueError(f"option {name} = {value!r} is invalid: allowed >= {self.minimum}")
        if self.maximum is not None and value > self.maximum:
            raise ValueError(f"option {name} = {value!r} is invalid: allowed <= {self.maximum}")
        return value


@dataclass(frozen=True)
class Quantity:
    """A registered quantity: ``func(params, seed) -> {output: scalar}`` and its options."""

    name: str
    func: QuantityFunc
    description: str
    options: Mapping[str, Option] = field(default_factory=dict)
    needs_model: bool = True

    def defaults(self) -> dict[str, Any]:
        return {k: o.default for k, o in self.options.items()}


#: name -> :class:`Quantity`
QUANTITIES: dict[str, Quantity] = {}


def register_quantity(
    name: str,
    func: QuantityFunc,
    description: str,
    options: Mapping[str, Option | Any] | None = None,
    *,
    needs_model: bool = True,
    replace: bool = False,
) -> Quantity:
    """Register ``func`` as the scan quantity ``name`` and return its :class:`Quantity`.

    ``func`` must be a module-level function (it is pickled by reference to run on worker
    processes and Dask workers); ``options`` maps option names to :class:`Option` or to a bare
    default value; option names must not be model parameters. ``needs_model=False`` lets a
    config omit m_V and r/m_DM (for quantities that do not build a :class:`DarkSector`).
    Registering an existing name raises ValueError unless ``replace=True``."""
    if not name or not isinstance(name, str) or not name.replace("_", "a").isalnum():
        raise ValueError(f"quantity name = {name!r} is invalid: allowed letters, digits and _")
    if name in QUANTITIES and not replace:
        raise ValueError(f"quantity {name!r} is already registered (pass replace=True)")
    qualname = getattr(func, "__qualname__", "")
    if not callable(func) or "<" in qualname or not getattr(func, "__module__", None):
        raise ValueError(
            f"quantity {name!r}: func = {func!r} is invalid: allowed a module-level function "
            "(lambdas and nested functions cannot be sent to worker processes)"
        )
    opts: dict[str, Option] = {}
    for key, spec in (options or {}).items():
        if key in MODEL_PARAMETERS or key in RESERVED_COLUMNS:
            raise ValueError(
                f"quantity {name!r}: option name {key!r} is invalid: it is a model parameter "
                "or a reserved column"
            )
        opts[key] = spec if isinstance(spec, Option) else Option(spec)
    q = Quantity(name, func, description, opts, needs_model)
    QUANTITIES[name] = q
    return q


def get_quantity(name: str) -> Quantity:
    """The registered quantity ``name``; ValueError listing the known ones otherwise."""
    try:
        return QUANTITIES[name]
    except (KeyError, TypeError):
        raise ValueError(
            f"quantity = {name!r} is invalid: allowed one of {sorted(QUANTITIES)}"
        ) from None


# ---------------------------------------------------------------- evaluation (runs on workers)
def _scalar(name: str, value: Any) -> bool | int | float | str:
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value.item()
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, (bool, int, float, str)):
        return value
    raise TypeError(f"output {name!r} = {value!r} is not a scalar (float, int, str or bool)")


def _error_text(exc: BaseException) -> str:
    text = f"{type(exc).__name__}: {exc}"
    frames = traceback.extract_tb(exc.__traceback__)
    if frames:
        f = frames[-1]
        text += f" [{f.filename.rsplit('/', 1)[-1]}:{f.lineno} in {f.name}]"
    return text


def evaluate_point(
    func: QuantityFunc, index: int, params: dict[str, Any], seed: int
) -> dict[str, Any]:
    """One result row: the quantity at one point, timed, with exceptions recorded.

    Returns {"point", "status" ("ok" | "failed"), "error", "seed", "wall_time_s", "outputs"}.
    ``Exception`` is recorded; ``BaseException`` (KeyboardInterrupt, SystemExit) propagates and
    stops the scan (it is resumable)."""
    t0 = time.perf_counter()
    try:
        raw = func(dict(params), seed)
        if not isinstance(raw, Mapping):
            raise TypeError(f"quantity returned {type(raw).__name__}, expected a dict")
        outputs = {}
        for k, v in raw.items():
            if not isinstance(k, str) or k in params or k in RESERVED_COLUMNS:
                raise ValueError(
                    f"output name {k!r} is invalid: it repeats an input or a reserved column"
                )
            outputs[k] = _scalar(k, v)
        status, error = "ok", None
    except Exception as exc:
        outputs, status, error = {}, "failed", _error_text(exc)
    return {
        "point": index,
        "status": status,
        "error": error,
        "seed": seed,
        "wall_time_s": time.perf_counter() - t0,
        "outputs": outputs,
    }


def evaluate_batch(
    func: QuantityFunc, tasks: list[tuple[int, dict[str, Any], int]]
) -> list[dict[str, Any]]:
    """:func:`evaluate_point` over a batch of (index, params, seed): the unit of work sent to a
    worker process or a Dask worker."""
    return [evaluate_point(func, i, p, s) for i, p, s in tasks]


# ---------------------------------------------------------------- shipped quantities
def widths(params: dict[str, Any], seed: int) -> dict[str, float]:
    """Dark-photon decays at m_V (physics.decays, docs/physics.md §3): partial widths
    ``Gamma_<channel>`` [GeV] for every channel of :data:`CHANNELS`, ``Gamma_total`` [GeV],
    ``Gamma_over_m_V`` and branching ratios ``BR_<channel>``. Deterministic (seed unused)."""
    model = model_from_params(params)
    partial = partial_widths(model)
    total = float(sum(partial.values()))
    out: dict[str, float] = {f"Gamma_{ch}": float(partial[ch]) for ch in CHANNELS}
    out["Gamma_total"] = total
    out["Gamma_over_m_V"] = total / float(model.m_V)
    br = branching_ratios(model)
    out.update({f"BR_{ch}": float(br[ch]) for ch in CHANNELS})
    return out


def branching_ratios_quantity(params: dict[str, Any], seed: int) -> dict[str, float]:
    """Branching ratios ``BR_<channel>`` of V at m_V (physics.decays.branching_ratios)."""
    br = branching_ratios(model_from_params(params))
    return {f"BR_{ch}": float(br[ch]) for ch in CHANNELS}


def model_couplings(params: dict[str, Any], seed: int) -> dict[str, float]:
    """Scale <-> coefficient conversion and derived model parameters (model.py, Rizzo Eq. 2-3):
    ``model.m_DM`` [GeV], ``model.r`` = 2 m_DM/m_V, ``model.g_D`` = sqrt(4 pi alpha_D); for every
    structure of :data:`INTERACTIONS` its vertex coefficient ``model.<coef>`` (eps; mu, d
    [GeV^-1]; b, a [GeV^-2]; g_A; 0 when off) and, for the moments, its scale
    ``model.<lambda_x>`` [GeV] = (g_D/|coef|)^(1/p) (inf when off); and the LDMX yield variable
    ``model.y`` = eps^2 alpha_D (m_DM/m_V)^4 (CGJ Sec. 2; 0 without kinetic mixing)."""
    m = model_from_params(params)
    m_DM = float(m.m_DM)
    out: dict[str, float] = {"model.m_DM": m_DM, "model.r": float(m.r), "model.g_D": m.g_D}
    for key, inter in INTERACTIONS.items():
        out[f"model.{inter.coefficient}"] = float(m.couplings.get(key, 0.0))
        if inter.scale:
            scale = m.scale(key)
            out[f"model.{inter.scale}"] = math.inf if scale is None else float(scale)
    out["model.y"] = float(m.y())
    return out


ORACLE_FERMIONS = ("e", "mu", "tau")


def decay_oracle(params: dict[str, Any], seed: int) -> dict[str, float | int]:
    """Validation scan: closed-form |M|^2(V -> f fbar) (physics.decays.msq_decay, docs/physics.md
    §3.1) against the Dirac-trace oracle (physics.dirac.msq_decay_trace, full vertex with the
    q^mu qslash terms) on ``n_kin`` random decay configurations boosted with |beta_i| <=
    ``max_beta``, drawn from ``default_rng(seed)``. Outputs ``oracle.max_rel_dev_<f>`` for each
    open lepton channel with a non-zero coupling, ``oracle.max_rel_dev`` (the maximum; the project's
    oracle tolerance is 1e-10, docs/physics.md §15.1) and ``oracle.n_kin``. CPU-bound (~ms per
    point): the benchmark workload."""
    model = model_from_params(params)
    n_kin = int(params["n_kin"])
    max_beta = float(params["max_beta"])
    rng = np.random.default_rng(seed)
    M = float(model.m_V)
    out: dict[str, float | int] = {}
    worst = 0.0
    for f in ORACLE_FERMIONS:
        m_f = FERMIONS[f].mass
        coeffs = dirac_coefficients(model, f)
        if M <= 2.0 * m_f or not any(coeffs.values()):
            continue
        k, p1, p2 = dirac.two_body_decay(
            np.full(n_kin, M), m_f, m_f, rng.uniform(-1, 1, n_kin), rng.uniform(0, 2 * np.pi, n_kin)
        )
        beta = rng.uniform(-max_beta, max_beta, (n_kin, 3)) / math.sqrt(3.0)
        k, p1, p2 = (dirac.boost(x, beta) for x in (k, p1, p2))
        oracle = dirac.msq_decay_trace(coeffs, k, p1, p2, m_f)
        closed = msq_decay(M, m_f, lorentz_couplings(model, f, M * M))
        dev = float(np.max(np.abs(oracle - closed) / np.abs(closed)))
        out[f"oracle.max_rel_dev_{f}"] = dev
        worst = max(worst, dev)
    out["oracle.max_rel_dev"] = worst
    out["oracle.n_kin"] = n_kin
    return out


def _register_builtin() -> None:
    register_quantity(
        "widths",
        widths,
        "V partial widths Gamma_<channel>, Gamma_total [GeV], Gamma/m_V and BR_<channel>",
        replace=True,
    )
    register_quantity(
        "branching_ratios",
        branching_ratios_quantity,
        "V branching ratios BR_<channel>",
        replace=True,
    )
    register_quantity(
        "model_couplings",
        model_couplings,
        "derived model: m_DM, r, g_D, every coefficient and scale (Lambda <-> coefficient), y",
        replace=True,
    )
    register_quantity(
        "decay_oracle",
        decay_oracle,
        "closed-form decay |M|^2 vs the Dirac-trace oracle on random boosted kinematics",
        options={
            "n_kin": Option(32, "random kinematic configurations per lepton", minimum=1, type=int),
            "max_beta": Option(
                0.6, "boost speed bound |beta| <= max_beta", minimum=0.0, maximum=0.99
            ),
        },
        replace=True,
    )
    from darkmoments.scan import observables

    observables.register()


_register_builtin()
