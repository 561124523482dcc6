"""Our kinetic-mixing complex-scalar relic target vs the published thermal target of the 2026
European Strategy dark-sector figures (package data data/targets/espp2026_scalar_thermal_target
.csv, provenance in its header; docs/physics.md §5 explains the offsets).

Convention: y = eps^2 alpha_D (m_DM/m_V)^4 at alpha_D = 0.5, m_V = 3 m_DM, full Boltzmann,
KM coupling to every charged fermion, hadrons through the R ratio.
"""

from __future__ import annotations

import numpy as np
import pytest

from darkmoments.cosmology.published import espp2026_scalar_target, espp2026_scalar_y
from darkmoments.cosmology.targets import target_curve
from darkmoments.model import DarkSector


def _ratio(m_DM: np.ndarray, alpha_D: float = 0.5) -> np.ndarray:
    base = DarkSector.build(0.03, alpha_D, r=2 / 3, eps=1e-4)
    res = target_curve(base, "eps", 3.0 * m_DM)
    y = res.value**2 * alpha_D / 81.0
    return y / espp2026_scalar_y(m_DM)  # type: ignore[no-any-return]


def test_data_file() -> None:
    """The shipped curve: 183 points, 0.999 MeV - 1.794 GeV, y rising from 1.2e-13 to 1e-7."""
    m, y = espp2026_scalar_target()
    assert len(m) == 183 and np.all(np.diff(m) >= 0)
    assert m[0] == pytest.approx(0.000999131) and m[-1] == pytest.approx(1.79395176)
    assert y[0] == pytest.approx(1.176e-13, rel=1e-3) and y[-1] == pytest.approx(9.896e-8, rel=1e-3)
    with pytest.raises(ValueError, match="m_chi"):
        espp2026_scalar_y(2.0)


def test_km_target_vs_espp2026() -> None:
    """Ratio ours/published across 1 MeV - 1 GeV (docs/physics.md §5 has the table):

    * 3-70 MeV (e+e- only, no thresholds): ours 5-20% above (measured 1.07-1.23, median 1.14).
      Not our dof table (the Saikawa-Shirai fit moves y by < 1% there) nor alpha_D (0.1 vs 0.5:
      1%); our solver agrees with hazma and a second integrator to 5e-4. The offset is a
      normalization common to the scalar, Majorana and pseudo-Dirac curves plus a slope from
      the plasma during e+e- annihilation (tests/cosmology/test_espp_offset.py has the
      hypothesis table: velocity expansions, Omega h^2 targets, counting and dof variants).
      Bounds 1.0-1.3.
    * 0.6-1 GeV (above the rho/omega region): 0.95-1.25 (measured 1.03-1.16).
    * everywhere in 1 MeV - 1 GeV: 0.5-1.5. Outside the windows above the ratio reaches 1.39
      at 1 MeV (T_f ~ 60 keV, during e+e- annihilation and neutrino decoupling: the dof
      treatment matters, our two dof sources differ by 6% in y at 2 MeV), 1.24 at the mu+mu-
      threshold (0.1 GeV) and swings between 1.38 (0.3 GeV) and 0.57 (0.5 GeV) in the hadronic
      region: our rate follows R at sqrt(s) ~ 2 m_DM (phi at m_DM = 0.51 GeV), the published
      curve has its features at m_V = 3 m_DM on the resonances (minimum at m_phi/3); alpha_D =
      0.1 (the published convention) changes the ratio by < 3% everywhere.
    """
    lep = np.geomspace(0.003, 0.07, 12)
    r = _ratio(lep)
    assert np.all((r > 1.0) & (r < 1.3)), r
    assert 1.05 < float(np.median(r)) < 1.2
    high = np.geomspace(0.6, 1.0, 6)
    r = _ratio(high)
    assert np.all((r > 0.95) & (r < 1.25)), r
    full = np.geomspace(0.001, 1.0, 40)
    r5 = _ratio(full)
    assert np.all((r5 > 0.5) & (r5 < 1.5)), r5
    r1 = _ratio(full, alpha_D=0.1)
    np.testing.assert_allclose(r1, r5, rtol=0.03)
