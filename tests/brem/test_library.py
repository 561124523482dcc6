"""Event libraries (darkmoments.brem.library) read back with G4DarkBreM's own parsing rules
(tests/brem/g4darkbrem_rules.py, re-implemented from LDMX-Software/G4DarkBreM's ParseLibrary.cxx):
every event of every energy passes the per-event checks of test_g4darkbrem_format.check_library
(Z, incident energy, lepton id and mass, A' mass, four-momentum conservation to 1e-12, MadGraph's
particle order), for electrons and muons, LHE and CSV. The energy rule is dark-brem-lib-gen's
loop (context/bin/dark-brem-lib-gen, snapshot e63888b: E -> round(0.9 E, 3)); the resume test
checks that an interrupted-and-resumed library equals an uninterrupted one byte for byte."""

from __future__ import annotations

import json

import g4darkbrem_rules as g4
import numpy as np
import pytest
from test_g4darkbrem_format import W, check_library

from darkmoments.brem import library as lib
from darkmoments.brem.output import lepton_id_mass
from darkmoments.constants import M_ELECTRON, M_MUON
from darkmoments.model import DarkSector

M_V = 0.05
KM = DarkSector.build(M_V, 0.5, r=2 / 3, eps=1e-4)


def _dark_brem_lib_gen(max_energy: float, min_energy: float, rel_step: float = 0.1) -> list:
    """dark-brem-lib-gen's loop as written there (independent transcription for the test)."""
    out, energy = [], max_energy
    while energy > min_energy * (1.0 - rel_step):
        out.append(energy)
        energy = round(energy * (1.0 - rel_step), 3)
    return out


def test_energy_rule_is_dark_brem_lib_gens():
    assert lib.library_energies(8.0, M_V, "W", min_energy=4.0) == _dark_brem_lib_gen(8.0, 4.0)
    assert lib.library_energies(8.0, M_V, "W", min_energy=4.0) == [
        8.0, 7.2, 6.48, 5.832, 5.249, 4.724, 4.252, 3.827,
    ]  # fmt: skip
    # no minimum: down to 5 % above threshold, every energy rounded to MeV
    full = lib.library_energies(8.0, 0.1, "W", "electron")
    thr = lib.threshold_energy(0.1, "W", "electron")
    assert full[-1] > 1.05 * thr and round(full[-1] * 0.9, 3) <= 1.05 * thr
    assert all(round(e, 3) == e for e in full) and len(full) == 42


def test_threshold_energy_is_the_phase_space_edge():
    """E_thr: sqrt(s) = m_l + M_N + m_V exactly (nucleus at rest)."""
    for lepton, m in (("electron", M_ELECTRON), ("muon", M_MUON)):
        E = lib.threshold_energy(0.3, "W", lepton)
        s = m**2 + W.M_N**2 + 2 * E * W.M_N
        assert np.sqrt(s) == pytest.approx(m + W.M_N + 0.3, rel=1e-14)
        assert E > 0.3 + m


@pytest.mark.parametrize(
    "lepton,E0_max,fmt",
    [("electron", 4.0, "lhe"), ("electron", 4.0, "csv"), ("muon", 15.0, "lhe.gz"),
     ("muon", 15.0, "csv")],
)  # fmt: skip
def test_library_read_by_g4darkbrem_rules(tmp_path, lepton, E0_max, fmt):
    """A 3-energy library: G4DarkBreM's directory reader finds exactly the library energies
    under Z = 74, every event of every file passes every per-event check; the manifest lists
    the files, seeds, sigma and n."""
    n = 40
    out = tmp_path / "lib"
    man = lib.build_library(KM, lepton=lepton, target="W", E0_max=E0_max, n_events=n, seed=7,
                            output_dir=out, fmt=fmt, min_energy=0.85 * E0_max)  # fmt: skip
    energies = _dark_brem_lib_gen(E0_max, 0.85 * E0_max)
    assert len(energies) == 3
    assert [e["E0_GeV"] for e in man["energies"]] == energies and man["complete"]
    whole = g4.parse_library(tmp_path / "lib")
    assert list(whole) == [W.Z] and sorted(whole[W.Z]) == sorted(energies)
    lid, _ = lepton_id_mass(lepton)
    for entry in man["energies"]:
        path = tmp_path / "lib" / entry["file"]
        assert entry["n_events"] == n and entry["sigma_pb"] > 0
        check_library(g4.parse_library(path), n, entry["E0_GeV"], lid, M_V,
                      full_lines=fmt.startswith("lhe"))  # fmt: skip
    seeds = [e["seed"] for e in man["energies"]]
    assert seeds == lib.energy_seeds(7, 3) and len(set(seeds)) == 3


def test_dark_photon_id_configurable(tmp_path):
    lib.build_library(KM, lepton="electron", target="W", E0_max=4.0, n_events=10, seed=1,
                      output_dir=tmp_path, energies=[4.0], dark_photon_id=1023)  # fmt: skip
    check_library(g4.parse_library(tmp_path, aprime_lhe_id=1023), 10, 4.0, 11, M_V, False)
    with pytest.raises(g4.LibraryError):  # with G4DarkBreM's default id 622 nothing is found
        g4.parse_library(tmp_path)


class InterruptError(Exception):
    pass


@pytest.mark.parametrize("workers", [1, 2])
def test_interrupted_library_resumes_to_identical_bytes(tmp_path, workers):
    """Kill after k = 2 of 4 energies: only complete files remain (no temporary file), the
    manifest lists the finished energies; a rerun without resume is refused; resume builds the
    rest; every file and the manifest equal an uninterrupted build byte for byte."""
    kw = dict(lepton="muon", target="W", E0_max=10.0, n_events=30, seed=11, fmt="lhe",
              min_energy=7.5)  # fmt: skip
    ref = tmp_path / "ref"
    lib.build_library(KM, output_dir=ref, **kw)

    def stop_after_two(done: int, total: int) -> None:
        if done == 2:
            raise InterruptError

    run = tmp_path / "run"
    with pytest.raises(InterruptError):
        lib.build_library(KM, output_dir=run, progress=stop_after_two, **kw)
    files = sorted(p.name for p in run.iterdir())
    assert not [f for f in files if f.endswith(".part")]
    assert len(json.loads((run / lib.MANIFEST).read_text())["energies"]) == 2
    assert not json.loads((run / lib.MANIFEST).read_text())["complete"]
    (run / ".muon_W_mV_0.05_E0_7.29.lhe.abc.part").write_text("half")  # a killed writer's leftover
    with pytest.raises(ValueError, match=r"output_dir.*resume"):
        lib.build_library(KM, output_dir=run, **kw)
    man = lib.build_library(KM, output_dir=run, resume=True, workers=workers, **kw)
    assert man["complete"] and len(man["energies"]) == 4
    assert sorted(p.name for p in run.iterdir()) == sorted(p.name for p in ref.iterdir())
    for p in ref.iterdir():
        assert (run / p.name).read_bytes() == p.read_bytes(), p.name


def test_resume_refuses_another_library(tmp_path):
    kw = dict(lepton="electron", target="W", E0_max=4.0, n_events=10, fmt="csv", energies=[4.0])
    lib.build_library(KM, output_dir=tmp_path, seed=1, **kw)
    with pytest.raises(ValueError, match=r"resume.*settings"):
        lib.build_library(KM, output_dir=tmp_path, seed=2, resume=True, **kw)


def test_workers_give_the_same_bytes(tmp_path):
    kw = dict(lepton="electron", target="W", E0_max=4.0, n_events=20, seed=3, min_energy=3.0)
    lib.build_library(KM, output_dir=tmp_path / "a", **kw)
    lib.build_library(KM, output_dir=tmp_path / "b", workers=2, **kw)
    for p in (tmp_path / "a").iterdir():
        assert (tmp_path / "b" / p.name).read_bytes() == p.read_bytes()


def test_bad_input(tmp_path):
    """Issue 15 'Bad input': ValueError naming the parameter, the value and the allowed range."""
    kw = dict(target="W", E0_max=4.0, n_events=10, seed=1)
    with pytest.raises(ValueError, match="lepton = 'tau' is invalid"):
        lib.build_library(KM, lepton="tau", output_dir=tmp_path / "a", **kw)
    # muon threshold for m_V = 0.05 GeV on W is ~0.156 GeV (+5 %)
    with pytest.raises(ValueError, match=r"E0_max = 0.15 is invalid: allowed > 0.16.*muon"):
        lib.build_library(KM, lepton="muon", output_dir=tmp_path / "b",
                          **{**kw, "E0_max": 0.15})  # fmt: skip
    with pytest.raises(ValueError, match="n_events = 0 is invalid: allowed an integer >= 1"):
        lib.build_library(KM, lepton="muon", output_dir=tmp_path / "c", **{**kw, "n_events": 0})
    afile = tmp_path / "file"
    afile.write_text("x")
    with pytest.raises(ValueError, match=r"output_dir = .* is invalid: allowed a writable"):
        lib.build_library(KM, lepton="muon", output_dir=afile / "sub", **kw)
    with pytest.raises(ValueError, match=r"output_dir = .* is invalid: allowed a directory"):
        lib.build_library(KM, lepton="muon", output_dir=afile, **kw)
    with pytest.raises(ValueError, match="fmt = 'root' is invalid"):
        lib.build_library(KM, lepton="muon", output_dir=tmp_path / "d", fmt="root", **kw)
    # an electron-only magnetic dipole does not couple to the muon: an error, not zero events
    mdm_e = DarkSector.build(M_V, 0.5, r=2 / 3, lambda_mdm=100.0, fermions="electron")
    with pytest.raises(ValueError, match=r"does not couple to the muon.*fermions = 'electron'"):
        lib.build_library(mdm_e, lepton="muon", output_dir=tmp_path / "e", **kw)
    # nothing was created by the refused calls
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file"]


def test_moment_model_couples_to_muons_with_leptons_preset(tmp_path):
    mdm = DarkSector.build(M_V, 0.5, r=2 / 3, lambda_mdm=100.0, fermions="leptons")
    man = lib.build_library(mdm, lepton="muon", target="W", E0_max=15.0, n_events=20, seed=2,
                            output_dir=tmp_path, energies=[15.0], fmt="csv")  # fmt: skip
    check_library(g4.parse_library(tmp_path), 20, 15.0, 13, M_V, False)
    assert man["model"]["fermions"] == "leptons"


def test_uncreatable_output_dir_is_a_value_error(tmp_path, monkeypatch):
    """A directory that the mode bits call writable but that cannot be created (e.g. under /proc
    as root, a read-only mount): a ValueError naming output_dir, before any event is made."""
    from pathlib import Path

    def refuse(self, *args, **kwargs):
        raise PermissionError(13, "Read-only file system")

    monkeypatch.setattr(Path, "mkdir", refuse)
    with pytest.raises(ValueError, match=r"output_dir = .* allowed a creatable directory"):
        lib.build_library(KM, lepton="electron", target="W", E0_max=4.0, n_events=10, seed=1,
                          output_dir=tmp_path / "new")  # fmt: skip
