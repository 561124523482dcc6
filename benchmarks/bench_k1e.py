"""Benchmark: the exponentially scaled Bessel function K_1e(z) = exp(z) K_1(z) of the thermal
kernels (cosmology.thermal._k1e, piecewise cubic in 1/z, docs/physics.md §5.C) against scipy's
k1e, per element, and its accuracy in the same run.

* ns per element (best of several repeats of 8192-element arrays, the slice size of the
  kernels; ``time.perf_counter``): scipy's k1e and ``_k1e`` on z uniform in [2, 20] and
  log-uniform in [20, 2e3]; np.exp for scale; the whole kernel factor K_1e(2 gamma x)
  exp(-2x(gamma - 1)) (``_k1e_exp``, in the kernels' slices) on the workload of one chunk of
  the grid path: the nodes of 64 KM models (m_V = 10 MeV - 1 GeV, r = 2/3, hadrons) inside
  the cut 2x(gamma - 1) <= 80 at every x of the "rizzo" grid. With ``--previous SRC`` that
  last line is also timed on another source tree (e.g. the main branch) in a subprocess.
* max relative error vs scipy's k1e on a dense set of [2, 1e7] with every cell edge (and its
  neighbouring floats), and vs mpmath's besselk (30 digits, if mpmath is installed).

Run: PYTHONPATH=src python benchmarks/bench_k1e.py [--previous /path/to/main/src]
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable

import numpy as np
from _compare import on_tree, per_element
from scipy.special import k1e

from darkmoments.cosmology import thermal as th
from darkmoments.cosmology.relic import x_grid
from darkmoments.model import DarkSector

N = 8192


def ns_per_element(
    fn: Callable[[], object], n_el: int, repeat: int = 7, number: int = 200
) -> float:
    return per_element(fn, n_el, repeat, number, clock=time.perf_counter) * 1e9


def workload() -> list[tuple[float, np.ndarray]]:
    """(x, nodes) of one chunk of the grid path: at every x of the "rizzo" grid the nodes of
    64 KM models (m_V = 10 MeV - 1 GeV, r = 2/3, hadrons) inside the cut 2x(gamma - 1) <= 80."""
    x = x_grid("rizzo")
    nodes = []
    for m_V in np.geomspace(0.01, 1.0, 64):
        model = DarkSector.build(m_V, 0.5, r=2 / 3, fermions="charge-weighted", eps=1e-4)
        nodes.append(th.gamma_nodes(float(x[0]), float(x[-1]), th.special_points(model))[0])
    g = np.concatenate(nodes)
    return [(float(xk), g[2.0 * xk * (g - 1.0) <= th.ARG_MAX]) for xk in x]


def kernel_ns() -> float:
    """ns per element of _k1e_exp (slices of th.SLICE) over the workload (on older trees
    too)."""
    work = workload()
    n_el = sum(g.size for _, g in work)
    return ns_per_element(lambda: [th._k1e_exp(xk, g) for xk, g in work], n_el, 5, 3)


def _previous(src: str) -> float:
    return float(on_tree(src, __file__, "kernel_ns()"))


def accuracy() -> dict[str, float]:
    scale, _ = th._k1e_cells()
    edges = scale / np.arange(1, th.K1E_CELLS + 1)
    z = np.concatenate(
        [
            np.linspace(2.0, 20.0, 400_001),
            np.geomspace(20.0, 1e7, 200_001),
            edges,
            np.nextafter(edges, 0.0),
            np.nextafter(edges, np.inf),
        ]
    )
    z = z[z >= th.K1E_Z_MIN]
    out = {"n_scipy": float(z.size), "vs_scipy": float(np.max(np.abs(th._k1e(z) / k1e(z) - 1)))}
    try:
        import mpmath
    except ImportError:
        return out
    rng = np.random.default_rng(0)
    zm = np.concatenate([rng.uniform(2.0, 20.0, 1500), np.geomspace(2.0, 1e7, 400), edges[::8]])
    with mpmath.workdps(30):
        ref = np.array([float(mpmath.besselk(1, v) * mpmath.exp(v)) for v in map(mpmath.mpf, zm)])
    out["n_mpmath"] = float(zm.size)
    out["vs_mpmath"] = float(np.max(np.abs(th._k1e(zm) / ref - 1)))
    out["scipy_vs_mpmath"] = float(np.max(np.abs(k1e(zm) / ref - 1)))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--previous", help="another source tree: time its kernel factor too")
    args = parser.parse_args()
    rng = np.random.default_rng(1)
    th._k1e_cells()  # built once (first use)
    rows = []
    for label, z in (
        ("z in [2, 20]", np.sort(rng.uniform(2.0, 20.0, N))),
        ("z in [20, 2e3]", np.sort(np.exp(rng.uniform(np.log(20.0), np.log(2e3), N)))),
    ):
        rows.append((f"scipy k1e, {label}", ns_per_element(lambda z=z: k1e(z), N)))
        rows.append((f"_k1e (cubic cells), {label}", ns_per_element(lambda z=z: th._k1e(z), N)))
    z = rng.uniform(2.0, 20.0, N)
    rows.append(("np.exp", ns_per_element(lambda: np.exp(z), N)))
    rows.append(("kernel factor, rizzo chunk (this tree)", kernel_ns()))
    if args.previous:
        rows.append(("kernel factor, rizzo chunk (previous)", _previous(args.previous)))
    print(f"{'':<44}{'ns/element':>11}")
    for label, ns in rows:
        print(f"{label:<44}{ns:>11.1f}")
    acc = accuracy()
    print(json.dumps(acc))


if __name__ == "__main__":
    main()
