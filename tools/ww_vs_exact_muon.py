"""WW with the lepton mass vs the exact 2->3 cross section for muon beams, every structure
(docs/physics.md §7.f): the table quoted there and in tests/physics/test_brem_ww_muon.py.

Run:  PYTHONPATH=src python tools/ww_vs_exact_muon.py [--rtol 1.5e-3] [--e0 160 15]
      [--mv 0.01 0.1 0.5 1.0]      (~10-20 min at the default rtol on one core)

mu W -> mu W V, full x range, total cross sections. Exact: darkmoments.brem.exact (vegas, muon
mass and vertex, seed 1, relative 1-sigma <= rtol). WW: physics.brem_ww, lepton = "muon",
variant me_exact (the default for muons), fluxes ww_theta and iww. Models (fermions = leptons):
KM eps = 1; MDM mu = 1 GeV^-1; EDM d = 1 GeV^-1; AM a = 1 GeV^-2; CR b = 1 GeV^-2 (for AM/CR);
"KM+MDM" with mu = +-sqrt(sigma_KM/sigma_MDM) e/e (both squares equal in WW) so that the G_V mu
interference shows as the difference between the two signs.
"""

from __future__ import annotations

import argparse
import math
import time

import numpy as np

from darkmoments.brem.exact import ExactBrem
from darkmoments.constants import PB_PER_GEV2
from darkmoments.model import DarkSector
from darkmoments.physics import brem_ww as ww


def models(m_V: float, E0: float) -> dict[str, DarkSector]:
    base = {"r": 2 / 3, "fermions": "leptons"}
    out = {
        "KM": DarkSector.build(m_V, 0.5, eps=1.0, **base),
        "MDM": DarkSector.build(m_V, 0.5, mu=1.0, **base),
        "EDM": DarkSector.build(m_V, 0.5, d=1.0, **base),
        "AM": DarkSector.build(m_V, 0.5, a=1.0, **base),
    }
    s_km = ww.cross_section(out["KM"], E0, "W", flux="ww_theta", lepton="muon")
    s_md = ww.cross_section(out["MDM"], E0, "W", flux="ww_theta", lepton="muon")
    mu = math.sqrt(s_km / s_md)
    out["KM+MDM(+)"] = DarkSector.build(m_V, 0.5, eps=1.0, mu=mu, **base)
    out["KM+MDM(-)"] = DarkSector.build(m_V, 0.5, eps=1.0, mu=-mu, **base)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rtol", type=float, default=1.5e-3)
    ap.add_argument("--e0", type=float, nargs="+", default=[160.0, 15.0])
    ap.add_argument("--mv", type=float, nargs="+", default=[0.01, 0.1, 0.5, 1.0])
    ap.add_argument("--only", nargs="*", default=None, help="model names to run")
    args = ap.parse_args()
    print("| E0 [GeV] | m_V [GeV] | model | exact [pb] | err | ww_theta/exact | iww/exact |")
    print("|---|---|---|---|---|---|---|")
    for E0 in args.e0:
        for m_V in args.mv:
            for name, model in models(m_V, E0).items():
                if args.only and name not in args.only:
                    continue
                t0 = time.perf_counter()
                ex = ExactBrem(model, E0, "W", lepton="muon").cross_section(
                    rng=np.random.default_rng(1), rtol=args.rtol
                )
                r = {
                    f: ww.cross_section(model, E0, "W", flux=f, lepton="muon") / ex.sigma
                    for f in ("ww_theta", "iww")
                }
                print(
                    f"| {E0:g} | {m_V:g} | {name} | {ex.sigma * PB_PER_GEV2:.4g} | "
                    f"{ex.error / ex.sigma:.1e} | {r['ww_theta']:.3f} | {r['iww']:.3f} |"
                    f"  <!-- {time.perf_counter() - t0:.0f} s -->",
                    flush=True,
                )


if __name__ == "__main__":
    main()
