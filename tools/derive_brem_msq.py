"""Derive the exact tree-level |M|^2 of e-(p) N(P) -> e-(p') N(P') V(k) as a quadratic form in the
Lorentz classes (G_V, G_A, mu, d) of the on-shell V vertex, and write it out as numpy code.

Run:  python tools/derive_brem_msq.py   (writes src/darkmoments/physics/_brem_msq_generated.py)

Amplitude (docs/physics.md §7.6, spin-0 nucleus, one photon exchanged):

    M = e^2 sqrt(G2(t)) / t * ubar(p') O u(p),
    O = Ghat (pslash + qslash + m) Jslash / D1 + Jslash (pslash - kslash + m) Ghat / D2,
    D1 = (p + q)^2 - m^2 = 2 p.q - t,    D2 = (p - k)^2 - m^2 = M^2 - 2 p.k,
    q = P - P' (photon momentum into the electron line), J = P + P' = 2P - q, t = -q^2,

with the on-shell vertex Ghat = Gamma^nu(-k) eps*_nu of docs/physics.md §2.1 reduced to its
Lorentz classes (§2.5)

    V:  gamma^nu                        A:  gamma^nu gamma5
    mu: i sigma^{nu rho}(-k)_rho  = (1/2)[gamma^nu, kslash]
    d:  -sigma^{nu rho}(-k)_rho g5 = (i/2)[gamma^nu, kslash] gamma5

and the V polarization sum -g_{nu nu'} + k_nu k_nu' / M^2 (exact for every vertex here).
For every pair (c, c') of classes we compute T_cc' = Tr[(p'slash + m) O_c (pslash + m) Obar_c'] by
an exact symbolic trace algorithm (below) in the basis {p, k, q, P} (p' = p + q - k). The
coefficient functions are C_cc = T_cc and C_cc' = 2 Re T_cc' (c < c'), so that

    sum_spins,pols |ubar O u|^2 = sum_{c <= c'} g_c g_c' C_cc'(p.k, p.q, p.P, k.P, t, E),

where E = eps_{mu nu rho sigma} p^mu k^nu q^rho P^sigma (eps_{0123} = +1) is the only
pseudoscalar: it appears in the P- and T-odd interferences G_V x d and mu x d.

Trace algorithm: gamma5 factors are anticommuted to the right end; the Lorentz-index pair of the
polarization sum is contracted with  gamma_nu gamma_nu = 4,
gamma_nu aslash R gamma^nu = 2 R aslash - aslash (gamma_nu R gamma^nu);
a string of basis-vector slashes is reduced by bringing equal vectors together
(aslash bslash = 2 a.b - bslash aslash, aslash aslash = a^2) until all vectors differ (at most
four): Tr[1] = 4, Tr[a b] = 4 a.b, Tr[a b c d] = 4[(ab)(cd) - (ac)(bd) + (ad)(bc)],
Tr[a b c d g5] = -4 i eps(a, b, c, d) * sign (fixed numerically against the explicit Dirac
matrices of darkmoments.physics.dirac below; odd strings vanish).
The results are checked against darkmoments.physics.dirac (explicit spinors and polarization
vectors) to 1e-10 in tests/physics/test_brem_msq.py.
"""

from __future__ import annotations

import itertools
import sys
from collections import defaultdict
from functools import cache
from pathlib import Path

import numpy as np
import sympy as sp

BASIS = ("p", "k", "q", "P")
ORDER = {b: i for i, b in enumerate(BASIS)}
G5 = "g5"
IDX = "nu"
CLASSES = ("V", "A", "mu", "d")

# ----------------------------------------------------------------------------- polynomials
# A polynomial is a dict {monomial: complex}; a monomial is a sorted tuple of symbol names
# ("m" for the electron mass, "pk" for p.k, ..., "E" for the pseudoscalar).


def padd(a: dict, b: dict, c: complex = 1) -> dict:
    out = dict(a)
    for mono, v in b.items():
        out[mono] = out.get(mono, 0) + c * v
        if out[mono] == 0:
            del out[mono]
    return out


def pmul(a: dict, b: dict) -> dict:
    out: dict = defaultdict(complex)
    for m1, v1 in a.items():
        for m2, v2 in b.items():
            out[tuple(sorted(m1 + m2))] += v1 * v2
    return {m: v for m, v in out.items() if v != 0}


def dsym(a: str, b: str) -> str:
    x, y = sorted((a, b), key=ORDER.__getitem__)
    return x + y


ONE = {(): 1 + 0j}


# ----------------------------------------------------------------------------- traces
def _eps_sign() -> float:
    """Tr[aslash bslash cslash dslash gamma5] = TR5 * i * eps(a, b, c, d), eps_{0123} = +1, from the
    oracle's explicit matrices."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    from darkmoments.physics.dirac import GAMMA5, slash

    rng = np.random.default_rng(1)
    v = rng.normal(size=(4, 4))
    tr = np.trace(slash(v[0]) @ slash(v[1]) @ slash(v[2]) @ slash(v[3]) @ GAMMA5)
    low = v * np.array([1, -1, -1, -1])
    eps = np.linalg.det(low)  # eps_{mu nu rho sigma} a^mu b^nu c^rho d^sigma with eps_0123=+1
    ratio = tr / (1j * eps)
    assert abs(ratio.imag) < 1e-9 and abs(abs(ratio.real) - 4) < 1e-9, ratio
    return float(np.round(ratio.real))


TR5 = _eps_sign()


def _perm_sign(seq: tuple[str, ...]) -> int:
    idx = [ORDER[s] for s in seq]
    sign = 1
    for i in range(len(idx)):
        for j in range(i + 1, len(idx)):
            if idx[i] > idx[j]:
                sign = -sign
    return sign


@cache
def trace_vectors(s: tuple[str, ...], g5: bool) -> tuple:
    """Tr[s (gamma5 if g5)] for a string of basis-vector slashes, as a frozen polynomial."""
    n = len(s)
    if n % 2 == 1:
        return ()
    # find a repeated vector
    for i in range(n):
        for j in range(i + 1, n):
            if s[i] == s[j]:
                break
        else:
            continue
        break
    else:
        # all distinct
        if g5:
            if n < 4:
                return ()
            return (((("E",)), TR5 * _perm_sign(s) * 1j),)
        if n == 0:
            return (((), 4 + 0j),)
        if n == 2:
            return (((dsym(s[0], s[1]),), 4 + 0j),)
        a, b, c, d = s
        terms = {
            tuple(sorted((dsym(a, b), dsym(c, d)))): 4,
            tuple(sorted((dsym(a, c), dsym(b, d)))): -4,
            tuple(sorted((dsym(a, d), dsym(b, c)))): 4,
        }
        return tuple((m, complex(v)) for m, v in terms.items())
    # move s[j] left to position i + 1: s = A a B x b C with x = s[j-1]
    if j == i + 1:
        rest = s[:i] + s[j + 1 :]
        sq = {(dsym(s[i], s[i]),): 1 + 0j}
        return _freeze(pmul(sq, dict(trace_vectors(rest, g5))))
    x, b = s[j - 1], s[j]
    # x b = 2 x.b - b x
    shorter = s[: j - 1] + s[j + 1 :]
    swapped = (*s[: j - 1], b, x, *s[j + 1 :])
    out = pmul({(dsym(x, b),): 2 + 0j}, dict(trace_vectors(shorter, g5)))
    out = padd(out, dict(trace_vectors(swapped, g5)), -1)
    return _freeze(out)


def _freeze(p: dict) -> tuple:
    return tuple(sorted(p.items()))


@cache
def contract_index(r: tuple[str, ...]) -> tuple:
    """gamma_nu R gamma^nu as a list of (coefficient, string) for a string R of slashes."""
    if not r:
        return ((4 + 0j, ()),)
    a, rest = r[0], r[1:]
    out: dict = defaultdict(complex)
    out[(*rest, a)] += 2
    for c, s in contract_index(rest):
        out[(a, *s)] += -c
    return tuple((c, s) for s, c in out.items() if c != 0)


def trace_string(s: tuple[str, ...]) -> dict:
    """Trace of a string of basis slashes, gamma5's and one pair of IDX (contracted)."""
    # gamma5 to the right end
    s = list(s)
    sign = 1
    n5 = 0
    out_s = []
    for i, f in enumerate(s):
        if f == G5:
            n_right = sum(1 for g in s[i + 1 :] if g != G5)
            sign *= (-1) ** n_right
            n5 += 1
        else:
            out_s.append(f)
    g5 = n5 % 2 == 1
    s2 = tuple(out_s)
    if IDX in s2:
        i = s2.index(IDX)
        j = s2.index(IDX, i + 1)
        total: dict = {}
        for c, inner in contract_index(s2[i + 1 : j]):
            full = s2[:i] + inner + s2[j + 1 :]
            total = padd(total, dict(trace_vectors(full, g5)), c)
        return {m: sign * v for m, v in total.items()}
    return {m: sign * v for m, v in dict(trace_vectors(s2, g5)).items()}


# ----------------------------------------------------------------------------- operators
# An operator is a list of (coefficient polynomial, string). Strings hold basis names, G5, IDX.
def op(*terms):
    return [(dict(c), tuple(s)) for c, s in terms]


def omul(a, b):
    return [(pmul(ca, cb), sa + sb) for ca, sa in a for cb, sb in b]


def oadd(a, b, c=1):
    return a + [({m: c * v for m, v in cb.items()}, sb) for cb, sb in b]


def obar(a):
    """Dirac adjoint gamma0 O^dagger gamma0: reverse, conjugate, gamma5 -> -gamma5."""
    out = []
    for c, s in a:
        sign = (-1) ** sum(1 for f in s if f == G5)
        out.append(({m: sign * np.conj(v) for m, v in c.items()}, tuple(reversed(s))))
    return out


M_SYM = {("m",): 1 + 0j}


def slashes(*pairs):
    """sum c_i vslash_i (+ mass term with key 'm')."""
    terms = []
    for name, c in pairs:
        if name == "m":
            terms.append((M_SYM, ()))
        else:
            terms.append(({(): complex(c)}, (name,)))
    return terms


def vertex(cls: str, pol: str):
    """Ghat for class cls with the polarization slot pol (IDX for -g, 'k' for the kk term)."""
    e = pol
    if cls == "V":
        return op((ONE, (e,)))
    if cls == "A":
        return op((ONE, (e, G5)))
    if cls == "mu":
        return op(({(): 0.5 + 0j}, (e, "k")), ({(): -0.5 + 0j}, ("k", e)))
    if cls == "d":
        return op(({(): 0.5j}, (e, "k", G5)), ({(): -0.5j}, ("k", e, G5)))
    raise KeyError(cls)


J = slashes(("P", 2), ("q", -1))
PROP1 = slashes(("p", 1), ("q", 1), ("m", 1))  # p + q + m
PROP2 = slashes(("p", 1), ("k", -1), ("m", 1))  # p - k + m
PSLASH = slashes(("p", 1), ("m", 1))
PPRIME = slashes(("p", 1), ("q", 1), ("k", -1), ("m", 1))


def diagram(cls: str, which: int, pol: str):
    g = vertex(cls, pol)
    return omul(omul(g, PROP1), J) if which == 1 else omul(omul(J, PROP2), g)


def trace_pair(cls_a: str, da: int, cls_b: str, db: int, pol: str) -> dict:
    """Tr[(p'+m) O_a (p+m) Obar_b] for diagrams da, db (no denominators)."""
    left = omul(omul(PPRIME, diagram(cls_a, da, pol)), PSLASH)
    right = obar(diagram(cls_b, db, pol))
    total: dict = {}
    for ca, sa in left:
        for cb, sb in right:
            tr = trace_string(sa + sb)
            if tr:
                total = padd(total, pmul(pmul(ca, cb), tr))
    return total


# ----------------------------------------------------------------------------- sympy
m, MV, MN, t, pk, pq, pP, kP, E = sp.symbols("m M M_N t pk pq pP kP E", real=True)
D1, D2 = sp.symbols("D1 D2", real=True)
#: on-shell substitutions: p^2 = p'^2 = m^2, k^2 = M^2, P^2 = P'^2 = M_N^2, q^2 = -t
SUBS = {
    "pp": m**2,
    "kk": MV**2,
    "qq": -t,
    "PP": MN**2,
    "pk": pk,
    "pq": pq,
    "pP": pP,
    "kP": kP,
    "qP": -t / 2,  # P'^2 = M_N^2
    # p'^2 = m^2: 2 q.k = q^2 + M^2 + 2 p.q - 2 p.k
    "kq": (-t + MV**2 + 2 * pq - 2 * pk) / 2,
    "m": m,
    "E": E,
}


def to_sympy(poly: dict, subs: dict | None = None) -> sp.Expr:
    """A trace polynomial (monomials of dot-product symbols -> complex coefficient) as a sympy
    expression, the symbols replaced by ``subs`` (default: this module's invariants)."""
    table = SUBS if subs is None else subs
    expr = 0
    for mono, v in poly.items():
        term = sp.nsimplify(complex(v).real) + sp.I * sp.nsimplify(complex(v).imag)
        for s in mono:
            term *= table[s]
        expr += term
    return sp.expand(expr)


def coefficient(ca: str, cb: str) -> sp.Expr:
    """C_ab as a sympy expression in the invariants and D1, D2."""
    den = {1: D1, 2: D2}
    total = 0
    for da, db in itertools.product((1, 2), repeat=2):
        for pol, sign in ((IDX, -1), ("k", 1)):
            if pol == "k" and (ca in ("mu", "d") or cb in ("mu", "d")):
                continue  # [kslash, kslash] = 0: no kk term for a dipole vertex
            fac = sign if pol == IDX else sign / MV**2
            tr = to_sympy(trace_pair(ca, da, cb, db, pol))
            total += fac * tr / (den[da] * den[db])
    if ca == cb:
        res = total
    else:
        res = 2 * sp.re(sp.expand(total))
    res = sp.expand(res)
    assert sp.im(res) == 0 or ca != cb or sp.simplify(sp.im(res)) == 0
    return sp.expand(sp.re(res)) if ca == cb else res


PAIRS = [(a, b) for i, a in enumerate(CLASSES) for b in CLASSES[i:]]


def main(out: Path) -> None:
    exprs = {}
    for a, b in PAIRS:
        c = coefficient(a, b)
        # collect over the denominators, simplify the numerators
        c = sp.together(c.subs({D1: sp.Symbol("iD1") ** -1, D2: sp.Symbol("iD2") ** -1}))
        c = sp.expand(sp.numer(c)) / sp.denom(c)
        c = sp.collect(sp.expand(c), [sp.Symbol("iD1"), sp.Symbol("iD2")], evaluate=True)
        exprs[f"{a}_{b}"] = c
        print(f"{a} x {b}: {sp.count_ops(c)} ops", file=sys.stderr)
    write_module(exprs, out)


HEADER = '''"""GENERATED by tools/derive_brem_msq.py -- do not edit.

Coefficient functions C_ab of the spin-summed |ubar(p') O u(p)|^2 for e N -> e N V
(docs/physics.md §7.6), a quadratic form in the Lorentz classes (G_V, G_A, mu, d):

    sum |ubar O u|^2 = sum_{a <= b} g_a g_b C_ab

Arguments (GeV units, arrays broadcast): m electron mass, M = m_V, M_N nuclear mass, t = -q^2,
pk = p.k, pq = p.q, pP = p.P, kP = k.P, E = eps(p, k, q, P) (eps_0123 = +1), and
iD1 = 1 / (2 p.q - t), iD2 = 1 / (M^2 - 2 p.k).
"""

'''


def write_module(exprs: dict, out: Path) -> None:
    iD1, iD2 = sp.symbols("iD1 iD2")
    args = "m, M, M_N, t, pk, pq, pP, kP, E, iD1, iD2"
    lines = [HEADER, ""]
    for key, expr in exprs.items():
        # group by powers of iD1, iD2 and emit one polynomial per group
        poly = sp.Poly(sp.expand(expr), iD1, iD2)
        lines.append(f"def C_{key}({args}):")
        lines.append(f'    """C_{key}: coefficient of g_a g_b (see module docstring)."""')
        parts = []
        for (e1, e2), coeff in sorted(poly.terms()):
            coeff = sp.expand(coeff)
            if coeff == 0:
                continue
            reps, reduced = sp.cse(coeff)
            name = f"n{e1}{e2}"
            for sym, sub in reps:
                lines.append(f"    {sym} = {sp.pycode(sub)}")
            lines.append(f"    {name} = {sp.pycode(reduced[0])}")
            parts.append(f"{name} * iD1**{e1} * iD2**{e2}")
        lines.append("    return " + (" + ".join(parts) if parts else "0.0 * t"))
        lines.append("")
        lines.append("")
    lines.append(f"PAIRS = {[tuple(k.split('_')) for k in exprs]!r}")
    lines.append(
        "FUNCTIONS = {" + ", ".join(f"{tuple(k.split('_'))!r}: C_{k}" for k in exprs) + "}"
    )
    lines.append("")
    text = "\n".join(lines)
    text = text.replace("math.sqrt", "np.sqrt")
    out.write_text(text)
    # Line breaking for the linters (the expressions are unchanged). ruff is taken from the
    # running interpreter's environment (`python -m ruff`, installed by the test and dev
    # extras), never from whatever happens to be on PATH, and with the project's own settings;
    # a missing ruff is an error, not a silently unformatted file.
    import subprocess

    pyproject = Path(__file__).resolve().parents[1] / "pyproject.toml"
    subprocess.run(
        [sys.executable, "-m", "ruff", "format", "-q", "--config", str(pyproject), str(out)],
        check=True,
    )
    print(f"wrote {out}", file=sys.stderr)


if __name__ == "__main__":
    root = Path(__file__).resolve().parents[1]
    main(root / "src" / "darkmoments" / "physics" / "_brem_msq_generated.py")
