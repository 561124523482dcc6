"""Dark-bremsstrahlung event libraries for G4DarkBreM: one file of unweighted exact events per
incident lepton energy, from near threshold up to a maximum (docs/physics.md §7, event
libraries).

**Energies** (:func:`library_energies`). dark-brem-lib-gen (LDMX-Software/dark-brem-lib-gen,
``context/bin/dark-brem-lib-gen``, snapshot e63888b) starts at ``--max-energy`` and repeats
``energy = round(energy * (1 - rel_step), 3)`` (rounded to MeV, GeV units, default
rel_step = 0.1) while ``energy > min_energy * (1 - rel_step)``. The same loop is used here, with
the lowest energy bounded by the process threshold: every energy must exceed

    E_floor = (1 + THRESHOLD_MARGIN) E_thr,   E_thr = ((m_l + m_V + M_N)^2 - m_l^2 - M_N^2)/(2 M_N),

the lowest beam energy with phase space for l N -> l N V on a nucleus at rest (sqrt(s) =
m_l + M_N + m_V); the 5 % margin keeps the lowest file away from the point where the phase space
closes. Without ``min_energy`` the loop runs down to E_floor (a library "from near threshold"),
with it the loop is dark-brem-lib-gen's (energies down to min_energy (1 - rel_step)), cut at
E_floor.

**Files.** ``<lepton>_<target>_mV_<m_V>_E0_<energy>.lhe`` (or ``.csv``): LHE in MadGraph's
particle order with ``Znuc`` in the header and the dark photon id ``dark_photon_id``, or
G4DarkBreM's 10-column CSV (GeV) (:mod:`darkmoments.brem.output`). Each file is written
atomically (temporary file + rename), so an interrupted build leaves complete files only.

**Manifest** (``manifest.json``, rewritten atomically after every finished energy): format
version, package version, the model, the settings, and per energy its file, seed, number of
events and cross section (pb) with its error. Seeds: the i-th energy (in the order of the energy
list, highest first) gets ``SeedSequence(seed).spawn(n)[i]`` folded to 63 bits, so the events of
an energy do not depend on which energies were built before, in which process, or on resuming:
a resumed library is byte-identical to an uninterrupted one.

**Resume.** An existing non-empty output directory is refused unless ``resume=True``; then the
manifest must describe the same library (model, settings, energies, seed) and only energies
missing from it are built (a file without its manifest entry is rebuilt: same seed, same bytes).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np

from darkmoments._version import __version__
from darkmoments.atomic import write_text
from darkmoments.brem.generate import generate_events
from darkmoments.brem.output import DARK_PHOTON_ID, write_events
from darkmoments.constants.materials import Target, get_target
from darkmoments.jsonout import to_jsonable
from darkmoments.model import DarkSector
from darkmoments.physics.brem_msq import class_couplings
from darkmoments.sampling import pairs_for
from darkmoments.sampling.sampler import LEPTONS, lepton_fermion

MANIFEST = "manifest.json"
MANIFEST_VERSION = 1
#: relative margin above the process threshold for the lowest library energy (module docstring)
THRESHOLD_MARGIN = 0.05
#: dark-brem-lib-gen's default relative step between library energies
REL_STEP = 0.1
LIBRARY_FORMATS = ("lhe", "lhe.gz", "csv", "csv.gz")


def _reject(name: str, value: Any, allowed: str) -> ValueError:
    return ValueError(f"{name} = {value!r} is invalid: allowed {allowed}")


def threshold_energy(m_V: float, target: str | Target, lepton: str = "electron") -> float:
    """Lowest beam energy [GeV] with phase space for l N -> l N V on ``target`` at rest:
    sqrt(s) = m_l + M_N + m_V, i.e. E_thr = ((m_l + m_V + M_N)^2 - m_l^2 - M_N^2) / (2 M_N)."""
    lepton_fermion(lepton)
    m_l = LEPTONS[lepton][1]
    M_N = get_target(target).M_N
    return ((m_l + float(m_V) + M_N) ** 2 - m_l**2 - M_N**2) / (2.0 * M_N)


def library_energies(
    E0_max: float,
    m_V: float,
    target: str | Target,
    lepton: str = "electron",
    *,
    rel_step: float = REL_STEP,
    min_energy: float | None = None,
) -> list[float]:
    """Incident energies [GeV] of a library, highest first (module docstring): dark-brem-lib-gen's
    loop E -> round(E (1 - rel_step), 3) from ``E0_max`` while E > min_energy (1 - rel_step),
    keeping only E > (1 + THRESHOLD_MARGIN) E_thr; ``min_energy`` None: down to that floor."""
    floor = (1.0 + THRESHOLD_MARGIN) * threshold_energy(m_V, target, lepton)
    E0_max = float(E0_max)
    if not (np.isfinite(E0_max) and E0_max > floor):
        raise _reject(
            "E0_max",
            E0_max,
            f"> {floor:.6g} GeV (the {lepton} threshold on {get_target(target).name} for m_V = "
            f"{float(m_V):.6g} GeV plus {THRESHOLD_MARGIN:.0%})",
        )
    if not (0.0 < rel_step < 1.0):
        raise _reject("rel_step", rel_step, "0 < rel_step < 1")
    stop = floor if min_energy is None else max(floor, float(min_energy) * (1.0 - rel_step))
    if min_energy is not None and not (0.0 < float(min_energy) <= E0_max):
        raise _reject("min_energy", min_energy, f"0 < min_energy <= E0_max = {E0_max:.6g} GeV")
    out: list[float] = []
    energy = E0_max
    while energy > stop:
        out.append(energy)
        energy = round(energy * (1.0 - rel_step), 3)
    return out


def energy_seeds(seed: int, n: int) -> list[int]:
    """63-bit seeds of the n energies: SeedSequence(seed).spawn(n)[i] (module docstring)."""
    children = np.random.SeedSequence(int(seed)).spawn(n)
    return [int(c.generate_state(1, dtype=np.uint64)[0] >> np.uint64(1)) for c in children]


def file_name(lepton: str, target: Target, m_V: float, energy: float, fmt: str) -> str:
    return f"{lepton}_{target.name}_mV_{float(m_V)!r}_E0_{float(energy)!r}.{fmt}"


def _build_one(job: dict[str, Any]) -> dict[str, Any]:
    """Generate and write one energy's file (module level: pickled for the process pool)."""
    target: Target = job["target"]
    events, meta = generate_events(
        job["model"],
        job["E0"],
        target,
        job["n_events"],
        job["seed"],
        lepton=job["lepton"],
    )
    write_events(
        job["path"],
        events,
        E0=job["E0"],
        target_Z=target.Z,
        target_A=target.A,
        M_N=target.M_N,
        sigma_pb=meta["sigma_pb"],
        sigma_err_pb=meta["sigma_err_pb"],
        meta=meta,
        dark_photon_id=job["dark_photon_id"],
        lepton=job["lepton"],
    )
    return {
        "E0_GeV": job["E0"],
        "file": Path(job["path"]).name,
        "seed": job["seed"],
        "n_events": job["n_events"],
        "sigma_pb": float(meta["sigma_pb"]),
        "sigma_err_pb": float(meta["sigma_err_pb"]),
        "unweighting_efficiency": float(meta["generation"]["efficiency"]),
    }


def _check_model(model: DarkSector, lepton: str) -> None:
    if np.ndim(model.m_V) != 0:
        raise _reject("m_V", model.m_V, "one scalar mass per library")
    fermion = lepton_fermion(lepton)
    if not pairs_for(class_couplings(model, fermion)):
        raise ValueError(
            f"model is invalid for lepton = {lepton!r}: V does not couple to the {lepton} "
            f"(fermions = {model.fermions!r}, structures {sorted(model.structures)}); allowed a "
            "model coupling to the beam lepton (e.g. fermions = 'leptons' or 'universal', or "
            "kinetic mixing)"
        )


def _prepare_dir(output_dir: Path, resume: bool) -> None:
    if output_dir.exists() and not output_dir.is_dir():
        raise _reject("output_dir", str(output_dir), "a directory (this is a file)")
    if not output_dir.exists():
        parent = output_dir.parent if str(output_dir.parent) else Path(".")
        if not parent.is_dir() or not os.access(parent, os.W_OK):
            raise _reject("output_dir", str(output_dir), "a writable directory")
        try:
            output_dir.mkdir()
        except OSError as exc:  # e.g. /proc, a read-only mount: writable by mode, not in fact
            reason = exc.strerror or type(exc).__name__
            raise _reject(
                "output_dir", str(output_dir), f"a creatable directory ({reason})"
            ) from exc
    if not os.access(output_dir, os.W_OK | os.X_OK):
        raise _reject("output_dir", str(output_dir), "a writable directory")
    if not resume and any(output_dir.iterdir()):
        raise _reject(
            "output_dir",
            str(output_dir),
            "an empty or new directory (it holds files; pass resume=True / --resume to "
            "complete the missing energies of the library there)",
        )


def build_library(
    model: DarkSector,
    *,
    lepton: str,
    target: str | Target,
    E0_max: float,
    n_events: int,
    seed: int,
    output_dir: str | os.PathLike[str],
    fmt: str = "lhe",
    dark_photon_id: int = DARK_PHOTON_ID,
    energies: Sequence[float] | None = None,
    min_energy: float | None = None,
    resume: bool = False,
    workers: int = 1,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, Any]:
    """Build a G4DarkBreM library of ``model`` (one scalar m_V) in ``output_dir`` and return its
    manifest (module docstring).

    ``lepton`` 'electron' | 'muon'; ``target`` name or :class:`Target`; ``E0_max`` [GeV] the
    highest incident energy; ``n_events`` unweighted events per energy; ``seed`` the library
    seed; ``fmt`` 'lhe' | 'lhe.gz' | 'csv' | 'csv.gz'; ``dark_photon_id`` the A' PDG id of the LHE
    lines (G4DarkBreM's ``aprime_lhe_id``); ``energies`` [GeV] replaces the energy rule (each
    above threshold); ``min_energy`` as dark-brem-lib-gen's --min-energy; ``workers`` > 1 builds
    energies in a process pool (energies are independent: same bytes); ``progress(done, total)``
    is called after each energy."""
    lepton_fermion(lepton)
    tgt = get_target(target)
    if fmt not in LIBRARY_FORMATS:
        raise _reject("fmt", fmt, f"one of {LIBRARY_FORMATS}")
    if isinstance(n_events, bool) or int(n_events) != n_events or n_events < 1:
        raise _reject("n_events", n_events, "an integer >= 1")
    if isinstance(dark_photon_id, bool) or int(dark_photon_id) != dark_photon_id:
        raise _reject("dark_photon_id", dark_photon_id, "an integer PDG id")
    if dark_photon_id in (11, 13, -11, -13) or dark_photon_id == 0:
        raise _reject("dark_photon_id", dark_photon_id, "a PDG id other than 0 and the leptons")
    if isinstance(workers, bool) or int(workers) != workers or workers < 1:
        raise _reject("workers", workers, "an integer >= 1")
    _check_model(model, lepton)
    m_V = float(model.m_V)
    if energies is None:
        grid = library_energies(E0_max, m_V, tgt, lepton, min_energy=min_energy)
    else:
        floor = (1.0 + THRESHOLD_MARGIN) * threshold_energy(m_V, tgt, lepton)
        grid = sorted({float(e) for e in energies}, reverse=True)
        if not grid or grid[-1] <= floor or grid[0] > float(E0_max):
            bad = grid[-1] if grid else energies
            raise _reject(
                "energies", bad, f"a non-empty list in ({floor:.6g}, E0_max = {E0_max}] GeV"
            )
    seeds = energy_seeds(seed, len(grid))
    out = Path(output_dir)
    _prepare_dir(out, resume)
    header: dict[str, Any] = {
        "format_version": MANIFEST_VERSION,
        "darkmoments_version": __version__,
        "process": f"{lepton} N -> {lepton} N V (exact tree level), G4DarkBreM library",
        "model": model.to_dict(),
        "settings": {
            "lepton": lepton,
            "target": tgt.to_dict(),
            "E0_max_GeV": float(E0_max),
            "energy_rule": "dark-brem-lib-gen: E -> round(E (1 - 0.1), 3) from E0_max, above "
            f"(1 + {THRESHOLD_MARGIN}) x threshold",
            "threshold_GeV": threshold_energy(m_V, tgt, lepton),
            "energies_GeV": grid,
            "n_events": int(n_events),
            "seed": int(seed),
            "format": fmt,
            "dark_photon_id": int(dark_photon_id),
            "units": "GeV (energies, momenta), pb (cross sections)",
        },
    }
    done: dict[float, dict[str, Any]] = {}
    manifest_path = out / MANIFEST
    if resume:  # temporary files of a killed run (names start with '.', end with '.part')
        for stale in out.glob(f".{lepton}_{tgt.name}_mV_*.part"):
            stale.unlink()
    if resume and manifest_path.exists():
        old = json.loads(manifest_path.read_text())
        mine = json.loads(json.dumps(to_jsonable(header)))
        for key in ("model", "settings"):
            if old.get(key) != mine[key]:
                raise _reject(
                    "resume",
                    True,
                    f"only for the same library: the manifest in {str(out)!r} has a different "
                    f"{key}",
                )
        for entry in old.get("energies", []):
            if (out / entry["file"]).is_file():
                done[float(entry["E0_GeV"])] = entry
    jobs = [
        {
            "model": model,
            "E0": E,
            "target": tgt,
            "n_events": int(n_events),
            "seed": s,
            "lepton": lepton,
            "dark_photon_id": int(dark_photon_id),
            "path": str(out / file_name(lepton, tgt, m_V, E, fmt)),
        }
        for E, s in zip(grid, seeds, strict=True)
        if E not in done
    ]

    def record(entry: dict[str, Any]) -> None:
        done[float(entry["E0_GeV"])] = entry
        manifest = {**header, "energies": [done[E] for E in grid if E in done]}
        manifest["complete"] = len(done) == len(grid)
        write_text(manifest_path, json.dumps(to_jsonable(manifest), indent=1) + "\n")
        if progress is not None:
            progress(len(done), len(grid))

    if not jobs:
        record(done[grid[0]])
    elif workers == 1 or len(jobs) == 1:
        for job in jobs:
            record(_build_one(job))
    else:
        with ProcessPoolExecutor(max_workers=min(int(workers), len(jobs))) as pool:
            for entry in pool.map(_build_one, jobs):
                record(entry)
    return json.loads(manifest_path.read_text())
