"""Derive the spin/polarization-averaged |M|^2 of the WW subprocess gamma(q) l(p) -> V(k) l(p')
WITH the lepton mass m, for every pair of Lorentz classes (G_V, G_A, mu, d) of the on-shell V
vertex, and its 1/U expansion in the WW master relation (docs/physics.md §7.1, §7.f).

Run:  python tools/derive_ww_msq.py   (prints the closed forms; nothing is written)

Amplitude (photon vertex e gamma^mu, its polarization sum -g_{mu mu'}, exact because the photon
is on shell and the lepton current conserved; V polarization sum -g + k k/M^2):

    M = e ubar(p') O u(p) eps_mu eps*_nu,
    O = Ghat (pslash + qslash + m) gamma^mu / D1 + gamma^mu (pslash - kslash + m) Ghat / D2,
    D1 = (p + q)^2 - m^2 = s~,   D2 = (p - k)^2 - m^2 = u~,

with Ghat the vertex classes of tools/derive_brem_msq.py (same conventions, same trace
algorithm: it is imported from there; the second contracted index pair is handled by the same
identity gamma_a R gamma^a applied twice). Invariants: s~ = 2 p.q, u~ = M^2 - 2 p.k,
2 q.k = s~ + u~, t2 = (p - p')^2 = M^2 - s~ - u~. Result:

    (1/4) sum |M|^2 = e^2 sum_{a <= b} g_a g_b F_ab(s~, u~, M, m)

The printed F_ab are what physics/brem_ww.py implements (``subprocess_msq``); the 1/U expansion
(s~ = U/(1-x), u~ = -U, docs/physics.md §7.1) gives the kernel coefficients c_n(x).
Checked numerically against the Dirac-trace oracle in tests/physics/test_brem_ww_massive.py.
"""

from __future__ import annotations

import sys
from pathlib import Path

import sympy as sp

sys.path.insert(0, str(Path(__file__).resolve().parent))
import derive_brem_msq as d

CLASSES = d.CLASSES
PAIRS = [(a, b) for i, a in enumerate(CLASSES) for b in CLASSES[i:]]
PHOTON = "mu"  # second Lorentz-index name (the V index is d.IDX = "nu")

m, M, s, u, U, x = sp.symbols("m M s u U x", real=True)
SUBS = {
    "pp": m**2,
    "kk": M**2,
    "qq": sp.Integer(0),
    "pk": (M**2 - u) / 2,
    "pq": s / 2,
    "kq": (s + u) / 2,
    "m": m,
}


def trace_two_indices(string: tuple[str, ...]) -> dict:
    """Trace of a string of basis slashes, gamma5's and two contracted index pairs."""
    sign, n5, rest = 1, 0, []
    for i, f in enumerate(string):
        if f == d.G5:
            sign *= (-1) ** sum(1 for g in string[i + 1 :] if g != d.G5)
            n5 += 1
        else:
            rest.append(f)
    g5 = n5 % 2 == 1
    strings = [(1 + 0j, tuple(rest))]
    for name in (PHOTON, d.IDX):
        out = []
        for c, st in strings:
            if name not in st:
                out.append((c, st))
                continue
            i = st.index(name)
            j = st.index(name, i + 1)
            for c2, inner in d.contract_index(st[i + 1 : j]):
                out.append((c * c2, st[:i] + inner + st[j + 1 :]))
        strings = out
    total: dict = {}
    for c, st in strings:
        total = d.padd(total, dict(d.trace_vectors(st, g5)), sign * c)
    return total


def diagram(cls: str, which: int, pol: str):
    g = d.vertex(cls, pol)
    gam = d.op((d.ONE, (PHOTON,)))
    prop1 = d.slashes(("p", 1), ("q", 1), ("m", 1))
    prop2 = d.slashes(("p", 1), ("k", -1), ("m", 1))
    return d.omul(d.omul(g, prop1), gam) if which == 1 else d.omul(d.omul(gam, prop2), g)


def to_sympy(poly: dict) -> sp.Expr:
    """derive_brem_msq's conversion with this process's invariants."""
    return d.to_sympy(poly, SUBS)


def F(ca: str, cb: str) -> sp.Expr:
    """F_ab: (1/4) sum |M|^2 / e^2 per g_a g_b (twice the real part for a != b)."""
    pprime = d.slashes(("p", 1), ("q", 1), ("k", -1), ("m", 1))
    pslash = d.slashes(("p", 1), ("m", 1))
    den = {1: s, 2: u}
    total = sp.Integer(0)
    for da in (1, 2):
        for db in (1, 2):
            for pol, fac in ((d.IDX, sp.Integer(1)), ("k", -1 / M**2)):
                if pol == "k" and (ca in ("mu", "d") or cb in ("mu", "d")):
                    continue  # [kslash, kslash] = 0
                left = d.omul(d.omul(pprime, diagram(ca, da, pol)), pslash)
                right = d.obar(diagram(cb, db, pol))
                tr: dict = {}
                for c1, s1 in left:
                    for c2, s2 in right:
                        t = trace_two_indices(s1 + s2)
                        if t:
                            tr = d.padd(tr, d.pmul(d.pmul(c1, c2), t))
                # photon sum -g (-1) times the V sum: -g (-1) or + k k/M^2 (+1/M^2)
                total += fac * to_sympy(tr) / (den[da] * den[db])
    total = sp.expand(total) / 4
    res = total if ca == cb else 2 * sp.re(total)
    return sp.factor(sp.simplify(sp.expand(res)))


def kernel_coefficients(expr: sp.Expr) -> dict[int, sp.Expr]:
    """{n: c_n(x)} with |M|^2/(8 pi s~^2) (1/(1-x)) = sum_n c_n U^-n at s~ = U/(1-x), u~ = -U
    (the master relation without alpha chi beta/pi and e^2; docs/physics.md §7.1)."""
    k = sp.expand(expr.subs({s: U / (1 - x), u: -U}) * (1 - x) ** 2 / U**2 / (1 - x))
    k = sp.expand(sp.simplify(k))
    inv = sp.Symbol("V")
    poly = sp.Poly(sp.expand(k.subs(U, 1 / inv)), inv)
    return {int(mon[0]): sp.factor(c) for mon, c in poly.terms()}


def main() -> None:
    for a, b in PAIRS:
        f = F(a, b)
        print(f"F_{a}_{b} = {f}")
        if f != 0:
            for n, c in sorted(kernel_coefficients(f).items()):
                print(f"    U^-{n}: {c}")


if __name__ == "__main__":
    main()
