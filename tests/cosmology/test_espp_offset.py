"""Why our KM thermal target lies above the published ESPP 2026 one (docs/physics.md §5.7, 5.F):
the hypothesis table of tools/espp_target_offset.py, held as assertions that fail if a claim of
the docs stops being true.

The tool integrates the Boltzmann equation of docs/physics.md §5.2 by its own BDF2 with the
package's thermal average, so that dof, counting, rate normalization and Omega h^2 target can be
varied without touching the package's solver; the first test ties it to the package. Ratios are
y(ours, convention)/y(published) on the published points (every third one in 3-70 MeV, every
second one in 10-70 MeV for the kinds). Tolerances: the published curve was read off a plot and
wiggles by 2.5 % rms about a smooth fit (docs), so medians are asserted to +-0.03-0.04 around
the measured values and differences between conventions to a few hundredths.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

from darkmoments.cosmology.targets import relic_target_grid
from darkmoments.model import DarkSector


def _tool() -> ModuleType:
    path = Path(__file__).resolve().parents[2] / "tools" / "espp_target_offset.py"
    spec = importlib.util.spec_from_file_location("espp_target_offset", path)
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod
    spec.loader.exec_module(mod)
    return mod


T = _tool()


def test_published_wiggle_and_expansion() -> None:
    """The two numbers behind the docs' reasoning: the published curve's rms about a quadratic
    in ln m (measured 0.025) and our exact rate over the p-wave expansion at x = 17 (1.464)."""
    assert 0.015 < T.published_waviness() < 0.035
    assert T.exact_over_expansion() == pytest.approx(1.464, abs=0.01)


def test_variant_solver_reproduces_package() -> None:
    """Default convention = the package's relic_target_grid within 1e-3 (measured 3-4e-4: two
    BDF2 implementations on different step grids), for a p-wave and an s-wave kind."""
    m = np.array([0.003, 0.01, 0.05, 0.3])
    for kind, alpha_D in (("complex-scalar", 0.5), ("pseudo-dirac", 0.1)):
        t = T.Tables.build(m, kind, alpha_D)
        ours = T.target_y(t, T.HYPOTHESES[0])
        extra = {"delta": 0.0} if kind == "pseudo-dirac" else {}
        models = [DarkSector.build(3 * x, alpha_D, m_DM=x, dm=kind, eps=1.0, **extra) for x in m]
        pkg = relic_target_grid(models, "eps").coefficient ** 2 * alpha_D / 81.0
        np.testing.assert_allclose(ours, pkg, rtol=1e-3)


@pytest.fixture(scope="module")
def table() -> dict[str, dict[str, float]]:
    names = {
        "ours": T.HYPOTHESES[0],
        "omega_0.11": T.Convention("", omega_target=0.11),
        "nr_6b_x": T.Convention("", rate="nr", nr_v2=6.0),
        "rate_doubled": T.Convention("", sigma_v_factor_scale=2.0),
        "g_half": T.Convention("", g_scale=0.5),
        "dof_const": T.Convention("", dof="const"),
        "alpha_mz": T.Convention("", rate_factor=T.RATE_ALPHA_MZ),
        "alpha_mz_const": T.Convention("", rate_factor=T.RATE_ALPHA_MZ, dof="const"),
        "omega_0.134": T.Convention("", omega_target=0.134),
    }
    rows = T.hypothesis_table(list(names.values()), every=3)
    return {k: s for k, (_, s) in zip(names, rows, strict=True)}


def test_offset_and_excluded_hypotheses(table: dict[str, dict[str, float]]) -> None:
    """Ours 1.14 (median) with slope -0.04 per e-fold of mass. A smaller Omega h^2 target or the
    p-wave velocity expansion move the ratio the wrong way (our exact rate at x_f ~ 17 is 1.46
    times 6 b/x); counting errors by a factor 2 give ~0.5-0.6."""
    s = table["ours"]
    assert 1.10 < s["median"] < 1.18 and -0.06 < s["slope"] < -0.02, s
    assert table["omega_0.11"]["median"] > s["median"] + 0.08
    assert table["nr_6b_x"]["median"] > s["median"] + 0.2
    assert table["rate_doubled"]["median"] < 0.65


def test_what_the_offset_is_made_of(table: dict[str, dict[str, float]]) -> None:
    """g_* = h_eff = 10.75 (no e+e- annihilation in the plasma) removes the slope but not the
    normalization; alpha(m_Z) removes 7 points of the normalization; together 1.04 (not 1.00:
    no standard convention tried reproduces the curve at the 1-3 % level). g_chi/2 in Y_eq
    alone would give 1.02 (but see the kind test)."""
    assert abs(table["dof_const"]["slope"]) < 0.02
    assert table["dof_const"]["median"] > 1.08
    a = table["alpha_mz"]["median"] / table["ours"]["median"]
    assert a == pytest.approx(1 / T.RATE_ALPHA_MZ, rel=5e-3)
    both = table["alpha_mz_const"]
    assert 1.01 < both["median"] < 1.07 and abs(both["slope"]) < 0.02, both
    assert 0.98 < table["g_half"]["median"] < 1.05
    # the normalization alone: Omega h^2 = 0.134 would give 1.00 (a non-standard value)
    assert 0.97 < table["omega_0.134"]["median"] < 1.03
    # shape without the published wiggle: 2.6 % rms with g_* = 10.75, 3.8 % with our dof
    assert table["dof_const"]["rms_smooth"] < 0.03 < table["ours"]["rms_smooth"]


def test_low_mass_plasma_brackets() -> None:
    """1-3 MeV (freeze-out during e+e- annihilation): ours 1.32 falling (slope -0.12); g_* =
    10.75 overshoots (0.83, rising) and neutrinos at the photon temperature give ~1.0 but rising
    (+0.13): the plasma variants bracket the published curve without reproducing its shape."""
    convs = [T.LOW_MASS_CONVENTIONS[0], T.LOW_MASS_CONVENTIONS[2], T.LOW_MASS_CONVENTIONS[3]]
    rows = T.hypothesis_table(convs, every=2, m_low=0.001, m_high=0.003)
    ours, const, nu = (s for _, s in rows)
    assert 1.25 < ours["median"] < 1.40 and ours["slope"] < -0.07, ours
    assert const["median"] < 0.9 and const["slope"] > 0.2, const
    assert 0.95 < nu["median"] < 1.08 and nu["slope"] > 0.08, nu


def test_offset_is_kind_independent() -> None:
    """At 10-70 MeV the scalar, Majorana (both p-wave) and pseudo-Dirac (s-wave) offsets agree
    within 0.02 (1.098, 1.106, 1.101): a normalization. A counting/x_f convention (g_chi/2 in
    Y_eq) moves the p-wave kinds twice as much as the s-wave one (0.99, 1.00 vs 1.04), so it
    cannot be the common cause."""
    base, g_half = T.HYPOTHESES[0], T.Convention("", g_scale=0.5)
    tab = T.kind_table([base, g_half], every=2)
    med = {k: [s["median"] for _, s in rows] for k, rows in tab.items()}
    b = [v[0] for v in med.values()]
    assert max(b) - min(b) < 0.02 and 1.06 < min(b) < 1.14, med
    assert med["pseudo-dirac"][1] - med["complex-scalar"][1] > 0.03, med
