"""The dark-photon propagator denominator — its one definition in the package.

|D_V(s)|^2 = 1 / [(s - m_V^2)^2 + m_V^2 Gamma_V^2]   (width = "fixed", Rizzo Eq. 6)
|D_V(s)|^2 = 1 / [(s - m_V^2)^2 + s Gamma_V(sqrt s)^2] (width = "running": the total width of a
V of mass sqrt(s) with the model's couplings, i.e. Im Pi(s) = sqrt(s) Gamma_V(sqrt s)),
docs/physics.md §3.6. s in GeV^2; |D_V|^2 = 1/breit_wigner_denominator [GeV^-4].
"""

from __future__ import annotations

import numpy as np

from darkmoments.model import DarkSector
from darkmoments.physics.decays import total_width


def width_term(
    s: np.ndarray, model: DarkSector, width: np.ndarray | float | None = None
) -> np.ndarray:
    """The imaginary part Im(D^-1) = sqrt(s) Gamma(sqrt s) or m_V Gamma_V(m_V), in GeV^2.
    ``width``: that total width [GeV] if the caller has it already (Gamma_V(m_V) for the fixed
    width, Gamma(sqrt s) broadcasting with s for the running one); computed otherwise."""
    s = np.asarray(s, dtype=float)
    if model.width == "running":
        sqrt_s = np.sqrt(s)
        return sqrt_s * (total_width(model, sqrt_s) if width is None else width)
    gamma = total_width(model) if width is None else width
    return np.asarray(model.m_V) * gamma * np.ones_like(s)


def breit_wigner_denominator(
    s: np.ndarray, model: DarkSector, width: np.ndarray | float | None = None
) -> np.ndarray:
    """(s - m_V^2)^2 + [Im D^-1]^2 in GeV^4 (``width`` as in :func:`width_term`)."""
    s = np.asarray(s, dtype=float)
    return (s - np.asarray(model.m_V) ** 2) ** 2 + width_term(s, model, width) ** 2
