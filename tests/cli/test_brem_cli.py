"""``darkmoments brem``: JSON schema, methods, files, reproducibility, bad input (exit 2)."""

from __future__ import annotations

import pytest
from cli_envelope import loads

from darkmoments.cli import main

MODEL = ["--m-v", "0.1", "--eps", "1e-4"]


def run_json(capsys, args):
    assert main(args) == 0
    return loads(capsys.readouterr().out)


def test_xsec_exact_and_analytic(capsys):
    """Exact and WW (iww) cross sections; with E_e >= m_V (x_max = 1 - m_V/E0) they agree to the
    accuracy docs/physics.md §15.2 document (exact/IWW between 0.5 and 1.05)."""
    base = ["brem", "xsec", "--e0", "4", "--target", "W", *MODEL, "--x-max", "0.975", "--json"]
    ex = run_json(capsys, base)
    keys = {"sigma_pb", "sigma_err_pb", "method", "model", "target", "darkmoments_version"}
    assert set(ex) >= keys
    assert ex["sigma_err_pb"] < 5e-3 * ex["sigma_pb"]
    an = run_json(capsys, [*base, "--method", "iww"])
    assert 0.5 < ex["sigma_pb"] / an["sigma_pb"] < 1.05


def test_xsec_target_by_z_a(capsys):
    r = run_json(
        capsys,
        [
            "brem",
            "xsec",
            "--e0",
            "4",
            "--target-z",
            "74",
            "--target-a",
            "184",
            *MODEL,
            "--json",
            "--rtol",
            "0.02",
        ],
    )
    assert r["target"]["Z"] == 74


@pytest.mark.parametrize("suffix", ["lhe", "lhe.gz", "parquet"])
def test_generate_same_seed_same_bytes(tmp_path, capsys, suffix):
    args = [
        "brem",
        "generate",
        "--e0",
        "8",
        "--target",
        "W",
        *MODEL,
        "--events",
        "200",
        "--seed",
        "7",
        "--no-progress",
        "--reweight",
        "mdm",
        "--json",
    ]
    a = run_json(capsys, [*args, "--output", str(tmp_path / f"a.{suffix}")])
    run_json(capsys, [*args, "--output", str(tmp_path / f"b.{suffix}")])
    assert a["n_events"] == 200 and a["sigma_pb"] > 0
    assert (tmp_path / f"a.{suffix}").read_bytes() == (tmp_path / f"b.{suffix}").read_bytes()


def test_generate_progress_bar_on_stderr(tmp_path, capsys):
    assert (
        main(
            [
                "brem",
                "generate",
                "--e0",
                "8",
                "--target",
                "W",
                *MODEL,
                "--events",
                "100",
                "--seed",
                "1",
                "--output",
                str(tmp_path / "x.lhe"),
            ]
        )
        == 0
    )
    cap = capsys.readouterr()
    assert "brem generate" in cap.err and "wrote 100 events" in cap.out


@pytest.mark.parametrize("method", ["exact", "ww_theta"])
def test_spectra_json(capsys, method):
    r = run_json(
        capsys,
        [
            "brem",
            "spectra",
            "--e0",
            "8",
            "--target",
            "W",
            *MODEL,
            "--method",
            method,
            "--e-bins",
            "4",
            "--pt-bins",
            "5",
            "--points",
            "20000",
            "--json",
        ],
    )
    assert len(r["dsigma_dE_pb_per_GeV"]) == 4 and len(r["dsigma_dpT_pb_per_GeV"]) == 5
    assert all(v >= 0 for v in r["dsigma_dE_pb_per_GeV"])


@pytest.mark.parametrize(
    "args",
    [
        ["xsec", "--e0", "0.1", "--target", "W", *MODEL],  # m_V + m_e >= E0
        ["xsec", "--e0", "-1", "--target", "W", *MODEL],  # E0 <= 0
        ["xsec", "--e0", "4", "--target", "Vibranium", *MODEL],  # unknown target
        ["xsec", "--e0", "4", "--target-z", "0", "--target-a", "10", *MODEL],  # Z out of range
        ["xsec", "--e0", "4", "--target-z", "74", "--target-a", "900", *MODEL],  # A out of range
        [
            "generate",
            "--e0",
            "8",
            "--target",
            "W",
            *MODEL,
            "--events",
            "0",
            "--seed",
            "1",
            "--output",
            "OUT/x.lhe",
        ],
        [
            "generate",
            "--e0",
            "8",
            "--target",
            "W",
            *MODEL,
            "--events",
            "10",
            "--seed",
            "1",
            "--output",
            "OUT/nodir/x.lhe",
        ],
        [
            "generate",
            "--e0",
            "8",
            "--target",
            "W",
            *MODEL,
            "--events",
            "10",
            "--seed",
            "1",
            "--output",
            "OUT/x.root",
        ],
    ],
)
def test_bad_input_exit_2_nothing_written(tmp_path, capsys, args):
    args = [a.replace("OUT", str(tmp_path)) for a in args]
    assert main(["brem", *args]) == 2
    err = capsys.readouterr().err
    assert err.startswith("darkmoments: error:") and len(err.strip().splitlines()) == 1
    assert list(tmp_path.iterdir()) == []
    if "Vibranium" in args:
        assert "W, Pb, Cu, Al, Si, C" in err


@pytest.mark.parametrize("coupling", [["--mu", "1e-2"], ["--d", "1e-2"], ["--a", "1"]])
def test_xsec_ww_muon_beam_every_structure(capsys, coupling):
    """``brem xsec --lepton muon --method ww_theta`` works for the dipoles and the anapole (the
    lepton-mass WW kernels, docs/physics.md §7.f) and equals the library call."""
    from darkmoments.constants import PB_PER_GEV2
    from darkmoments.model import DarkSector
    from darkmoments.physics import brem_ww

    args = ["brem", "xsec", "--e0", "160", "--target", "W", "--m-v", "0.1", "--lepton", "muon"]
    args += ["--fermions", "leptons", *coupling, "--method", "ww_theta", "--json"]
    r = run_json(capsys, args)
    kw = {coupling[0][2:]: float(coupling[1])}
    model = DarkSector.build(0.1, 0.5, r=2 / 3, fermions="leptons", **kw)
    ref = brem_ww.cross_section(model, 160.0, "W", flux="ww_theta", lepton="muon")
    assert r["sigma_pb"] == pytest.approx(ref * PB_PER_GEV2, rel=1e-12)
