"""``darkmoments limits``: the bound of every published limit and projection on any structure.

Library: :func:`darkmoments.bounds.bounds` (B factories: the e+e- -> gamma V recast; published
fixed-target curves: the ratio recast with the experiment's beam and target; LDMX: our own
reach), :func:`darkmoments.bounds.catalogue` for ``--list`` (docs/physics.md §13).
"""

from __future__ import annotations

from typing import Any

import click

from darkmoments.cli.commands.reach import METHODS  # the production methods (no sampler import)
from darkmoments.cli.options import (
    SEED,
    Count,
    bar_update,
    build_model,
    emit,
    envelope,
    m_v_grid_doc,
    m_v_grid_option,
    model_options,
    parse_m_v_grid,
    pop_model_kwargs,
    progress_bar,
    progress_option,
    solved_structure,
)
from darkmoments.registry import INTERACTIONS


@click.command("limits")
@model_options(m_v_required=False)
@click.option(
    "--experiment",
    default=None,
    help="babar | belle2 | na64e | na64mu | na64positron | ldmx-phase1 | ldmx-phase2 | any "
    "curve name of --list (e.g. na64mu_1e14mot_projection)",
)
@click.option(
    "--structure",
    type=click.Choice(tuple(INTERACTIONS)),
    default=None,
    help="the structure whose coefficient (and scale) is bounded; its own flag must be unset, "
    "the other coupling flags are held fixed",
)
@m_v_grid_option
@click.option("--list", "list_curves", is_flag=True, help="list every curve with its provenance")
@click.option(
    "--limit-file",
    type=click.Path(dir_okay=False),
    default=None,
    help="a limit file (format: docs/physics.md §13.1) replacing the experiment's published "
    "curve, recast with that experiment's setup",
)
@click.option(
    "--extrapolate",
    is_flag=True,
    help="continue the curve beyond its published m_V range as power laws (an assumption)",
)
@progress_option
@click.option(
    "--method",
    type=click.Choice(METHODS),
    default="exact",
    show_default=True,
    help="fixed-target production: exact 2->3 or WW ww_theta (electron beams only)",
)
@click.option("--seed", type=SEED, default=0, show_default=True, help="random seed (exact)")
@click.option(
    "--n-points",
    "n_points",
    type=Count("grid_points"),
    default=50_000,
    show_default=True,
    help="integrand points per mass (exact fixed-target production)",
)
def limits_cmd(
    experiment: str | None,
    structure: str | None,
    m_v_grid: tuple[float, float, int] | None,
    list_curves: bool,
    limit_file: str | None,
    extrapolate: bool,
    method: str,
    seed: int,
    n_points: int,
    progress: bool,
    as_json: bool,
    **kwargs: Any,
) -> None:
    """Bound on a structure's coefficient and scale from a published limit or projection."""
    if list_curves:
        from darkmoments.bounds import catalogue

        doc = envelope(
            "limits",
            {"curves": catalogue()},
            model={},
            settings={"list": True},
            units={"curves": "see each curve's provenance (masses in GeV, eps and y: 1)"},
        )
        emit(doc, as_json, _render_list)
        return
    if experiment is None or structure is None:
        raise ValueError(
            "--experiment and --structure are required (or --list): allowed --experiment "
            f"NAME --structure {'|'.join(INTERACTIONS)}"
        )
    import numpy as np

    from darkmoments.bounds import bounds, setup_experiment

    opts = pop_model_kwargs(kwargs)
    key = structure
    solved_structure(opts, INTERACTIONS[key].coefficient)
    grid = parse_m_v_grid(opts, m_v_grid)
    if grid is None:
        grid = np.array([float(opts["m_v"])])
    base = build_model(opts, m_v=float(grid[0])).with_coupling(key, None)
    total = len(grid) if setup_experiment(experiment) is not None else None
    with progress_bar(progress, total, "limits", unit="mass") as bar:
        res = bounds(
            experiment,
            key,
            grid,
            base,
            limit_file=limit_file,
            extrapolate=extrapolate,
            method=method,
            n_points=n_points,
            rng=np.random.default_rng(seed),
            progress=bar_update(bar),
        )
    results = res.to_dict()
    fixed_target = res.family != "b-factory"
    settings = {
        "experiment": experiment,
        "structure": key,
        "limit_file": limit_file,
        "extrapolate": extrapolate,
        "method": results.pop("method"),
        "seed": seed if fixed_target and method == "exact" else None,
        "n_points": n_points if fixed_target and method == "exact" else None,
    }
    inter = INTERACTIONS[key]
    units = {
        inter.coefficient: inter.unit or "1",
        "eps_published": "1",
        "confidence_level": "1",
        "alpha_D": "1",
        "cos_theta_gamma": "1",
        "selection": "GeV (energies), 1 (fractions)",
        "setup": "GeV (energies), 1 (fractions), X0 (thickness)",
    }
    if m_v_grid is None:
        doc = envelope("limits", results, model=base.to_dict(), settings=settings, units=units)
    else:
        doc = envelope(
            "limits", results, grid=m_v_grid_doc(m_v_grid, base), settings=settings, units=units
        )
    emit(doc, as_json, _render)


def _render_list(doc: dict[str, Any]) -> str:
    lines = []
    for c in doc["results"]["curves"]:
        p = c["provenance"]
        lo, hi = c["m_V_range_GeV"]
        alias = f" (alias: {', '.join(c['aliases'])})" if c["aliases"] else ""
        lines.append(f"{c['name']}{alias}: {c['kind']}, {c['family']}, m_V {lo:g}-{hi:g} GeV")
        lines.append(f"    {p['experiment']}")
        lines.append(f"    paper: {p['paper']}")
        if "digitization" in p:
            lines.append(f"    digitization: {p['digitization']}")
    return "\n".join(lines)


def _num(v: float | str | None) -> str:
    """A bound in the table: a number or '-' (none: not reached, or excluded for any value)."""
    if v is None:
        return "-"
    return v if isinstance(v, str) else f"{v:.6g}"


def _render(doc: dict[str, Any]) -> str:
    r = doc["results"]
    inter = INTERACTIONS[r["structure"]]
    src = r["source"]
    coef = inter.coefficient + (f" [{inter.unit}]" if inter.unit else "")
    lines = [
        f"{r['experiment']} ({r['curve']}, {r['kind']}, {r['family']}): 90% CL bound on "
        f"{r['structure']}",
        f"source: {src.get('experiment', '')}; {src.get('paper', '')}",
    ]
    head = f"{'m_V [GeV]':>12} {coef + ' <=':>18}"
    if inter.scale:
        head += f" {inter.scale + ' >= [GeV]':>22}"
    if r["family"] != "own-projection":
        head += f" {'eps_published':>14}"
    lines.append(head)
    for p in r["points"]:
        row = f"{p['m_V_GeV']:>12.6g} {_num(p[inter.coefficient]):>18}"
        if inter.scale:
            row += f" {_num(p[inter.scale + '_GeV']):>22}"
        if "eps_published" in p:
            row += f" {p['eps_published']:>14.6g}"
        if "reason" in p:
            row += f"  ({p['reason']})"
        lines.append(row)
    lines += [f"note: {n}" for n in r["notes"]]
    return "\n".join(lines)
