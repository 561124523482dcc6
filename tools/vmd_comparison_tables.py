"""Print the comparison tables of docs/physics.md §3.7 (3.h.4) from the current code.

* the per-mass table: Gamma_had and BR(e+e-) of the KM dark photon at eps = 1 against DarkCast
  (tests/data/darkcast_dark_photon_widths.dat, alpha rescaled as in the tests), R against hazma's
  exclusive-channel sum (tests/data/hazma_dark_photon_hadronic_R.dat), and the previous
  interpolated PDG R against DarkCast;
* the 0.1-GeV window integrals of R against the interpolated PDG compilation, with DarkCast's R
  (the sum of its channel grids, given with --darkcast-vmd DIR: a directory holding DarkCast's
  vmd/rf.*.dat files; omitted without it);
* R at single energies: PDG compilation (mean of its points within +-10 MeV), ours, hazma;
* the slope-sign changes of R on a 1 MeV grid 0.3-2 GeV.

Run:  PYTHONPATH=src python tools/vmd_comparison_tables.py [--darkcast-vmd DIR]
"""

from __future__ import annotations

import argparse
import math
from pathlib import Path

import numpy as np

from darkmoments.constants import ALPHA
from darkmoments.model import DarkSector
from darkmoments.physics.decays import branching_ratios, partial_widths
from darkmoments.physics.rratio import r_ratio, r_ratio_data, r_ratio_table

DATA = Path(__file__).resolve().parents[1] / "tests" / "data"
#: DarkCast's electromagnetic coupling (its pars.py): alpha_DC = ge^2 / (4 pi)
GE_DARKCAST = 0.302822


def _km(m: np.ndarray) -> DarkSector:
    return DarkSector.build(m, 0.5, r=10.0, eps=1.0)


def darkcast_r(vmd: Path, x: np.ndarray) -> np.ndarray:
    """DarkCast's dark-photon R: its rf grids with the dark-photon coefficients (rho, omega, phi
    each squared with unit weight, the omega-phi interference grid with weight -2)."""

    def grid(name: str) -> np.ndarray:
        d = np.loadtxt(vmd / f"rf.{name}.dat")
        return np.interp(x, d[:, 0], d[:, 1], left=0.0, right=0.0)

    total = -2.0 * grid("pi+_pi-_pi0.omega_phi")
    for f in vmd.glob("rf.*.dat"):
        if f.name != "rf.pi+_pi-_pi0.omega_phi.dat":
            total = total + grid(f.name[3:-4])
    return total


def per_mass_table() -> None:
    dc = np.loadtxt(DATA / "darkcast_dark_photon_widths.dat")
    dc = dc[np.argsort(dc[:, 0])]
    hz = np.loadtxt(DATA / "hazma_dark_photon_hadronic_R.dat")
    m = dc[:, 0]
    alpha_dc = GE_DARKCAST**2 / (4 * math.pi)
    model = _km(m)
    had = partial_widths(model)["hadrons"]
    br = branching_ratios(model)["e+e-"]
    r_ours = r_ratio(m)
    prev = ALPHA * m * r_ratio_data(m) / 3
    print(
        "| m_V [GeV] | Γ_had DarkCast [GeV] | Γ_had ours [GeV] | ours/DC − 1 | BR(ee) DarkCast "
        "| BR(ee) ours | ours/DC − 1 | R ours | R hazma | ours/hazma − 1 | previous "
        "(interpolated PDG R)/DC − 1 |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for i, mi in enumerate(m):
        ref = dc[i, 1] * ALPHA / alpha_dc
        row = hz[np.isclose(hz[:, 0], mi)]
        if len(row):
            r_hz = f"{row[0, 1]:.3f} | {r_ours[i] / row[0, 1] - 1:+.3f}"
        else:
            r_hz = "– | –"
        print(
            f"| {mi:.2f} | {dc[i, 1]:.4e} | {had[i]:.4e} | {had[i] / ref - 1:+.3f} "
            f"| {dc[i, 4]:.4f} | {br[i]:.4f} | {br[i] / dc[i, 4] - 1:+.3f} | {r_ours[i]:.3f} "
            f"| {r_hz} | {prev[i] / ref - 1:+.3f} |"
        )


def window_table(vmd: Path | None) -> None:
    x = np.arange(0.3, 2.0 + 1e-9, 0.001)
    new, old = r_ratio(x), r_ratio_data(x)
    dcr = darkcast_r(vmd, x) if vmd else None
    print("| window [GeV] | int R_VMD / int R_PDG | int R_DarkCast / int R_PDG |")
    print("|---|---|---|")
    for lo in np.arange(0.3, 2.0 - 1e-9, 0.1):
        k = (x >= lo) & (x < lo + 0.1)
        ref = np.trapezoid(old[k], x[k])
        dc = f"{np.trapezoid(dcr[k], x[k]) / ref:.3f}" if dcr is not None else "–"
        print(f"| {lo:.1f}-{lo + 0.1:.1f} | {np.trapezoid(new[k], x[k]) / ref:.3f} | {dc} |")


def single_energy_table(vmd: Path | None) -> None:
    xs, R = r_ratio_table()
    hz = np.loadtxt(DATA / "hazma_dark_photon_hadronic_R.dat")
    pts = np.array([0.95, 0.97, 0.99, 1.00, 1.05, 1.10, 1.15, 1.20, 1.25, 1.30, 1.35, 1.50])
    pts = np.concatenate([pts, [1.60, 1.75, 1.80]])
    dcr = darkcast_r(vmd, pts) if vmd else None
    print("| √s [GeV] | PDG compilation | ours | DarkCast | hazma 2.2 |")
    print("|---|---|---|---|---|")
    for i, p in enumerate(pts):
        pdg = R[np.abs(xs - p) <= 0.01].mean()
        row = hz[np.isclose(hz[:, 0], p)]
        h = f"{row[0, 1]:.3f}" if len(row) else "–"
        d = f"{dcr[i]:.3f}" if dcr is not None else "–"
        print(f"| {p:.2f} | {pdg:.3f} | {float(r_ratio(p)):.3f} | {d} | {h} |")


def turns() -> None:
    x = np.arange(0.3, 2.0 + 1e-9, 0.001)
    d = np.sign(np.diff(r_ratio(x)))
    t = x[1:-1][d[1:] != d[:-1]]
    print(f"slope-sign changes (1 MeV grid 0.3-2 GeV): {len(t)} at {np.round(t, 3).tolist()}")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--darkcast-vmd", type=Path, default=None, help="DarkCast's vmd/ directory")
    a = p.parse_args()
    per_mass_table()
    print()
    window_table(a.darkcast_vmd)
    print()
    single_energy_table(a.darkcast_vmd)
    print()
    turns()


if __name__ == "__main__":
    main()
