"""Reproduce: dark-photon branching ratios for each structure and the width check values."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from darkmoments.constants import ALPHA, M_ELECTRON, M_MUON, TEV
from darkmoments.model import INTERACTIONS, PAPER_STRUCTURES, DarkSector
from darkmoments.physics.decays import CHANNELS, branching_ratios, partial_widths
from darkmoments.reproduce.report import Check, Figure, Section, save_figure, structure_style

ORDER = 10
#: rough CPU seconds (schedules the parallel build: most expensive first)
COST = 1.3
KEY = "decays"
TITLE = "Dark-photon decays: branching ratios for each coupling structure"

#: one reference coupling per structure (BRs of a single structure do not depend on it)
REFERENCE_COUPLINGS = {key: {INTERACTIONS[key].coefficient: 1e-4} for key in PAPER_STRUCTURES}
#: channel colours (channels, not structures) and mathtext labels
CHANNEL_STYLE = {
    "e+e-": ("black", r"$e^+e^-$"),
    "mu+mu-": ("#8c564b", r"$\mu^+\mu^-$"),
    "tau+tau-": ("#17becf", r"$\tau^+\tau^-$"),
    "hadrons": ("#7f7f7f", "hadrons"),
    "nu": ("#bcbd22", r"$\nu\bar\nu$"),
}
M_V_GRID = (0.01, 2.0, 600)
R_VISIBLE = 2.5  # DM channel closed: visible branching ratios


def _figure(out: Path) -> Figure:
    import matplotlib.pyplot as plt

    m_V = np.geomspace(*M_V_GRID[:2], M_V_GRID[2])
    fig, axes = plt.subplots(2, 3, figsize=(13, 7.5), sharex=True, layout="constrained")
    for ax, key in zip(axes.flat, PAPER_STRUCTURES, strict=False):
        model = DarkSector.build(m_V, 0.5, r=R_VISIBLE, **REFERENCE_COUPLINGS[key])
        br = branching_ratios(model)
        for ch, (c, lab) in CHANNEL_STYLE.items():
            if np.any(br[ch] > 1e-6):
                ax.plot(m_V, br[ch], color=c, label=lab)
        ax.set_title(f"{INTERACTIONS[key].name} ({key.upper()})", color=INTERACTIONS[key].colour)
        ax.set_xscale("log")
        ax.set_ylim(0, 1.02)
    axes[0, 0].legend(loc="center left")
    ax = axes[1, 2]
    for key in PAPER_STRUCTURES:
        model = DarkSector.build(m_V, 0.5, r=R_VISIBLE, **REFERENCE_COUPLINGS[key])
        total = sum(partial_widths(model).values())
        ax.plot(m_V, total / m_V, **structure_style(key))
    ax.set_yscale("log")
    ax.set_xscale("log")
    ax.set_title(r"$\Gamma_V$(visible)$/m_V$ at coefficient $10^{-4}$ (GeV units)")
    ax.legend(ncols=2)
    for a in axes[1]:
        a.set_xlabel(r"$m_V$ [GeV]")
    for a in axes[:, 0]:
        a.set_ylabel("branching ratio (DM channel closed)")
    name = save_figure(fig, out, "decays_branching_ratios.png")
    return Figure(
        name,
        "V branching ratios vs m_V for each coupling structure (visible channels)",
        "Rizzo Sec. 3.1 / Eq. 8 and CGJ App. A (A.8-A.13); docs/physics.md §3",
        {
            "m_V_GeV": list(M_V_GRID),
            "alpha_D": 0.5,
            "r": R_VISIBLE,
            "fermions": "universal",
            "hadrons": "r_scaled (VMD R below 2 GeV, PDG 2020 R above; docs/physics.md §3)",
            "couplings": REFERENCE_COUPLINGS,
        },
        "Colours: the channels (e+e-, mu+mu-, hadrons) in neutral colours; the structure colours "
        "of the panel titles and the last panel are those of every figure. "
        "Single-structure branching ratios do not depend on the coupling size. Hadronic widths "
        "for MDM/EDM/CR/AM with universal couplings use the R-scaled approximation "
        "(docs/physics.md §3.4): exact only for KM and for charge-weighted vector couplings. "
        "Below 2 GeV R is the smooth vector-meson-dominance description (pi pi, 3 pi, K K, "
        "pi0 gamma, eta gamma, multi-hadron; docs/physics.md §3), so the hadronic channel opens "
        "at m_pi0 through V -> pi0 gamma and the curves carry only the physical rho-omega and "
        "phi structures.",
    )


def _checks() -> list[Check]:
    checks = []
    # Rizzo Eq. 8 / docs/physics.md §3.2: MDM e+e- width, alpha_D=0.5, m_V=0.1 GeV,
    # Lambda/alpha_D=25 TeV
    m = DarkSector.build(0.1, 0.5, r=R_VISIBLE, lambda_mdm=12.5 * TEV, fermions="electron")
    g_over_m = float(partial_widths(m)["e+e-"]) / 0.1
    beta2 = 1 - 4 * M_ELECTRON**2 / 0.01
    rizzo8 = 0.5 * 0.01 / (6 * (12.5 * TEV) ** 2) * (1 + 8 * M_ELECTRON**2 / 0.01) * beta2
    checks.append(
        Check(
            "Gamma(V->e+e-)/m_V, MDM, alpha_D=0.5, m_V=0.1 GeV, Lambda/alpha_D=25 TeV",
            "Rizzo Eq. 8 as printed",
            rizzo8,
            g_over_m,
            1e-3,
            "verified width has beta where Rizzo prints beta^2: 5e-5 relative here",
        )
    )
    checks.append(Check("same", "computed here, docs/physics.md §3.2", 5.3e-12, g_over_m, 0.01))
    checks.append(
        Check("same, order of magnitude quoted", "Rizzo below Eq. 8", "<~ 1e-10", g_over_m)
    )
    # Rizzo Sec. 3.1: Gamma(V -> phi* phi)/M = alpha_D beta^3 / 12 (docs/physics.md §3.3)
    m = DarkSector.build(0.3, 0.5, r=0.6)
    checks.append(
        Check(
            "Gamma(V->phi*phi)/m_V, alpha_D=0.5, r=0.6",
            "Rizzo Sec. 3.1 (alpha_D beta^3/12); docs/physics.md §3.3",
            0.5 * 0.8**3 / 12,
            float(partial_widths(m)["DM"]) / 0.3,
            1e-12,
        )
    )
    # KM leptonic width, textbook form
    m = DarkSector.build(0.5, 0.5, r=R_VISIBLE, eps=1e-3)
    b = math.sqrt(1 - 4 * M_MUON**2 / 0.25)
    km = ALPHA * 1e-6 * 0.5 / 3 * (1 + 2 * M_MUON**2 / 0.25) * b
    checks.append(
        Check(
            "Gamma(V->mu+mu-), KM, eps=1e-3, m_V=0.5 GeV [GeV]",
            "standard KM width (alpha eps^2 Q^2 M (1 + 2m^2/M^2) beta / 3); docs/physics.md §3.2",
            km,
            float(partial_widths(m)["mu+mu-"]),
            1e-12,
        )
    )
    # KM hadronic width and BR(e+e-) against DarkCast (arXiv:1801.04847; its dark_photon
    # model run at eps = 1, tests/data/darkcast_dark_photon_widths.dat)
    m = DarkSector.build(0.5, 0.5, r=R_VISIBLE, eps=1e-3)
    checks.append(
        Check(
            "Gamma(V->hadrons), KM, eps=1e-3, m_V=0.5 GeV [GeV]",
            "DarkCast (Ilten et al. 2018), dark_photon model",
            6.1404e-04 * 1e-6,
            float(partial_widths(m)["hadrons"]),
            0.03,
        )
    )
    m = DarkSector.build(0.95, 0.5, r=R_VISIBLE, eps=1e-3)
    checks.append(
        Check(
            "BR(V->e+e-), KM, m_V=0.95 GeV",
            "DarkCast (Ilten et al. 2018), dark_photon model",
            0.3147,
            float(branching_ratios(m)["e+e-"]),
            0.01,
        )
    )
    # 1.2 GeV, between the phi and the 4-pion rise: an independent exclusive-channel sum (hazma
    # 2.2, Herwig4DM fits of Plehn, Reimitz, Richardson arXiv:1911.11147; hazma's own channel
    # sum, tests/data/hazma_dark_photon_hadronic_R.dat) and DarkCast, which sits 14 % above it
    # and 11 % above the PDG compilation here (docs/physics.md §3.7)
    m = DarkSector.build(1.2, 0.5, r=R_VISIBLE, eps=1e-3)
    # R at 1.2 GeV: hazma's sum, DarkCast's, and the PDG compilation averaged over +-10 MeV
    r12_hazma, r12_darkcast, r12_pdg = 0.905, 1.033, 0.929
    r_12 = float(partial_widths(m)["hadrons"]) / (ALPHA * 1e-6 * 1.2 / 3)
    checks.append(
        Check(
            "hadronic R of the KM V at m_V=1.2 GeV (Gamma_had / (alpha eps^2 m_V/3))",
            "hazma 2.2 exclusive-channel sum (Herwig4DM fits, arXiv:1911.11147)",
            r12_hazma,
            r_12,
            0.06,
            note=f"exclusive channels up to 4 pi; PDG compilation near 1.2 GeV: {r12_pdg:.3f}",
        )
    )
    checks.append(
        Check(
            "same, DarkCast",
            "DarkCast (Ilten et al. 2018), dark_photon model",
            r12_darkcast,
            r_12,
            None,
            note=(
                f"DarkCast / hazma = {r12_darkcast / r12_hazma:.2f} and DarkCast / PDG "
                f"compilation = {r12_darkcast / r12_pdg:.2f} here (DarkCast 6-21 % above hazma "
                "over 1.05-1.35 GeV, docs/physics.md §3.7)"
            ),
        )
    )
    return checks


def build(out: Path) -> Section:
    return Section(
        KEY,
        TITLE,
        [_figure(out)],
        _checks(),
        notes="Channels: " + ", ".join(CHANNELS) + ". Widths in GeV.",
    )
