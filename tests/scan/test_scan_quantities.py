"""The shipped scan quantities against their references, the registry contract, point seeds and
per-point error capture."""

from __future__ import annotations

import math

import numpy as np
import pytest

from darkmoments.constants import ALPHA, M_ELECTRON, M_MUON
from darkmoments.model import DarkSector
from darkmoments.physics.decays import CHANNELS, partial_widths
from darkmoments.scan import Option, point_seed, register_quantity
from darkmoments.scan.quantities import (
    QUANTITIES,
    decay_oracle,
    evaluate_point,
    model_couplings,
    widths,
)


def test_widths_km_textbook() -> None:
    # docs/physics.md §3.2 [LIT]: Gamma(V -> l+l-) = alpha eps^2 m_V/3 (1 + 2m^2/m_V^2) beta; r =
    # 2.5 closes the DM channel; tolerance 1e-13: same closed form, different arithmetic order
    m_V, eps = 0.7, 3e-4
    out = widths({"m_V": m_V, "r": 2.5, "eps": eps}, 0)
    for ch, m in (("e+e-", M_ELECTRON), ("mu+mu-", M_MUON)):
        beta = math.sqrt(1 - 4 * m**2 / m_V**2)
        expected = ALPHA * eps**2 * m_V / 3 * (1 + 2 * m**2 / m_V**2) * beta
        assert out[f"Gamma_{ch}"] == pytest.approx(expected, rel=1e-13)
    assert out["Gamma_DM"] == 0.0 and out["Gamma_tau+tau-"] == 0.0


def test_widths_quantity_is_the_library_call() -> None:
    # wiring: the scan row equals physics.decays exactly (no reprocessing of the numbers)
    params = {"m_V": 1.3, "alpha_D": 0.3, "r": 0.6, "lambda_mdm": 900.0, "neutrinos": True}
    out = widths(params, 0)
    ref = partial_widths(DarkSector.build(1.3, 0.3, r=0.6, lambda_mdm=900.0, neutrinos=True))
    assert {ch: out[f"Gamma_{ch}"] for ch in CHANNELS} == {ch: float(v) for ch, v in ref.items()}
    assert out["Gamma_total"] == pytest.approx(sum(float(v) for v in ref.values()), rel=1e-15)
    assert sum(out[f"BR_{ch}"] for ch in CHANNELS) == pytest.approx(1.0, rel=1e-14)
    assert QUANTITIES["branching_ratios"].func(params, 0) == {
        k: v for k, v in out.items() if k.startswith("BR_")
    }


def test_model_couplings_scale_conversion() -> None:
    # Rizzo Eq. 2-3: mu = g_D / Lambda_M, b = g_D / Lambda_C^2, g_D = sqrt(4 pi alpha_D); the LDMX
    # yield variable y = eps^2 alpha_D (m_DM/m_V)^4 (CGJ Sec. 2). Tolerance: float rounding.
    alpha_D, m_V, r, eps = 0.1, 0.3, 0.6, 2e-4
    out = model_couplings(
        {"m_V": m_V, "alpha_D": alpha_D, "r": r, "eps": eps, "lambda_mdm": 2e3, "b": 1e-3}, 0
    )
    g_D = math.sqrt(4 * math.pi * alpha_D)
    assert out["model.g_D"] == pytest.approx(g_D, rel=1e-15)
    assert out["model.mu"] == pytest.approx(g_D / 2e3, rel=1e-15)
    assert out["model.lambda_cr"] == pytest.approx(math.sqrt(g_D / 1e-3), rel=1e-15)
    assert out["model.lambda_mdm"] == pytest.approx(2e3, rel=1e-14)
    assert out["model.m_DM"] == pytest.approx(r * m_V / 2, rel=1e-15)
    assert out["model.y"] == pytest.approx(eps**2 * alpha_D * (r / 2) ** 4, rel=1e-14)
    assert out["model.d"] == 0.0 and out["model.lambda_edm"] == math.inf


def test_decay_oracle_agrees_and_is_seeded() -> None:
    # docs/physics.md §15.1: closed forms equal the Dirac-trace oracle to 1e-10 relative on random
    # boosted kinematics; here with all five structures on at once (interference included)
    params = {
        "m_V": 4.0,
        "r": 2.5,
        "eps": 1e-3,
        "mu": 0.05,
        "d": -0.03,
        "b": 0.02,
        "a": 0.01,
        "n_kin": 16,
        "max_beta": 0.9,
    }
    a = decay_oracle(params, 11)
    assert set(a) == {
        "oracle.max_rel_dev_e",
        "oracle.max_rel_dev_mu",
        "oracle.max_rel_dev_tau",
        "oracle.max_rel_dev",
        "oracle.n_kin",
    }
    assert a["oracle.max_rel_dev"] < 1e-10 and a["oracle.n_kin"] == 16
    assert decay_oracle(params, 11) == a  # same seed, same numbers
    assert decay_oracle(params, 12) != a  # other kinematics
    # below the tau threshold that channel is not evaluated (no column for it in that row)
    assert "oracle.max_rel_dev_tau" not in decay_oracle({**params, "m_V": 1.0}, 11)


def test_point_seed_is_seedsequence_spawn() -> None:
    children = np.random.SeedSequence(77).spawn(5)
    for i, child in enumerate(children):
        expected = int(child.generate_state(1, np.uint64)[0] >> np.uint64(1))
        assert point_seed(77, i) == expected and 0 <= expected < 2**63


def nested_ok(params, seed):  # module level: accepted
    return {"x": 1.0}


def test_register_quantity_contract() -> None:
    with pytest.raises(ValueError, match="module-level function"):
        register_quantity("t_lambda", lambda p, s: {}, "no")

    def local(p, s):
        return {}

    with pytest.raises(ValueError, match="module-level function"):
        register_quantity("t_local", local, "no")
    with pytest.raises(ValueError, match="already registered"):
        register_quantity("widths", nested_ok, "dup")
    with pytest.raises(ValueError, match="option name 'm_V' is invalid"):
        register_quantity("t_opt", nested_ok, "x", {"m_V": 1.0})
    with pytest.raises(ValueError, match="quantity name = 'a b' is invalid"):
        register_quantity("a b", nested_ok, "x")
    q = register_quantity(
        "t_ok", nested_ok, "x", {"E0": 8.0, "target": Option("W", choices=("W", "Al"))}
    )
    try:
        assert q.options["E0"].type is float and q.defaults() == {"E0": 8.0, "target": "W"}
        assert q.options["E0"].check("E0", 4) == 4.0
        with pytest.raises(ValueError, match=r"option target = 'Pb' is invalid: allowed one of"):
            q.options["target"].check("target", "Pb")
        with pytest.raises(ValueError, match="option E0 = True is invalid"):
            q.options["E0"].check("E0", True)
    finally:
        QUANTITIES.pop("t_ok")


def bad_outputs(params, seed):
    return {params["kind"]: np.ones(3)} if params["kind"] != "m_V" else {"m_V": 1.0}


def not_a_dict(params, seed):
    return [1.0]


def ctrl_c(params, seed):
    raise KeyboardInterrupt


def test_evaluate_point_records_errors() -> None:
    row = evaluate_point(bad_outputs, 3, {"kind": "y"}, 42)
    assert (row["point"], row["status"], row["seed"], row["outputs"]) == (3, "failed", 42, {})
    assert (
        row["error"].startswith("TypeError: output 'y' = array(") and "not a scalar" in row["error"]
    )
    assert "[quantities.py:" in row["error"]  # where it was raised
    row = evaluate_point(not_a_dict, 0, {}, 0)
    assert "expected a dict" in row["error"]
    row = evaluate_point(bad_outputs, 0, {"kind": "m_V", "m_V": 1.0}, 0)
    assert "output name 'm_V' is invalid: it repeats an input" in row["error"]
    with pytest.raises(KeyboardInterrupt):
        evaluate_point(ctrl_c, 0, {}, 0)
    ok = evaluate_point(nested_ok, 5, {}, 1)
    assert ok["status"] == "ok" and ok["error"] is None and ok["outputs"] == {"x": 1.0}


def test_pseudo_dirac_splitting_is_a_scan_axis(tmp_path) -> None:
    """delta (pseudo-Dirac (m_chi2 - m_chi1) / m_chi1) scans like any model parameter: every
    point's relic target equals the single-model API's (the same solve; tolerance 1e-12 for the
    grid-path arithmetic), the target grows with delta (coannihilation of chi2 is Boltzmann-
    suppressed, docs/physics.md §12), and delta with a kind without a splitting is refused."""
    import glob

    import pyarrow.parquet as pq

    from darkmoments.cosmology.targets import relic_target
    from darkmoments.scan.config import ScanConfig
    from darkmoments.scan.run import run_scan

    cfg = {
        "scan": {"quantity": "relic_target", "output": str(tmp_path / "out.d"), "seed": 0},
        "model": {"alpha_D": 0.5, "r": 2 / 3, "dm_kind": "pseudo_dirac"},
        "axes": {"solve_for": {"values": ["eps"]}, "delta": {"values": [0.0, 0.1]},
                 "m_V": {"values": [0.03, 0.3]}},
    }  # fmt: skip
    run_scan(cfg, executor="serial", progress=False)
    rows = pq.read_table(sorted(glob.glob(str(tmp_path / "out.d" / "*.parquet")))).to_pylist()
    assert len(rows) == 4 and all(r["status"] == "ok" for r in rows)
    by = {(r["m_V"], r["delta"]): r["target_value"] for r in rows}
    for (m_V, delta), value in by.items():
        model = DarkSector.build(m_V, 0.5, r=2 / 3, dm_kind="pseudo_dirac", delta=delta, eps=1e-4)
        assert value == pytest.approx(relic_target(model, "eps").value, rel=1e-12)
    assert by[(0.03, 0.1)] > 1.2 * by[(0.03, 0.0)]
    bad = {**cfg, "model": {"alpha_D": 0.5, "r": 2 / 3, "dm_kind": "dirac"}}
    with pytest.raises(ValueError, match="delta"):
        ScanConfig.from_mapping(bad)
