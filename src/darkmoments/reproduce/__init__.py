"""``darkmoments reproduce``: run every reproduce section, write figures and DIR/index.html.

Sections are the modules of this package that define ``ORDER``, ``KEY``, ``TITLE`` and
``build(out) -> Section`` (see :mod:`darkmoments.reproduce.report`); they are discovered, so a
new observable adds one module. Each finished section is recorded in ``DIR/sections/KEY.json``
(atomically); ``resume=True`` skips sections already recorded for this package version.

Bad input is refused before anything is created: an unknown ``--only`` key is a ValueError
naming it and listing the known keys. A section record that cannot be used (unreadable, not
JSON, missing or mistyped fields, another section's key, figure paths outside the output
directory, over the file-size cap) counts as **not done**: on ``resume`` that section is
recomputed and one line on stderr (``[reproduce] KEY: record ... unusable (reason);
recomputing``) says so; a section that was not asked for is simply left off the page.
"""

from __future__ import annotations

import importlib
import json
import math
import os
import pkgutil
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from types import ModuleType
from typing import Any

import matplotlib

from darkmoments._version import __version__
from darkmoments.atomic import make_directory, write_text
from darkmoments.reproduce.report import (
    Check,
    Figure,
    Section,
    Table,
    apply_style,
    progress_context,
    render_html,
)
from darkmoments.validation import read_text_capped

matplotlib.use("Agg")


def section_modules() -> list[ModuleType]:
    """All reproduce section modules, in page order."""
    mods = []
    for info in pkgutil.iter_modules(__path__):
        if info.name == "report" or info.name.startswith("_"):
            continue
        mod = importlib.import_module(f"{__name__}.{info.name}")
        if hasattr(mod, "build") and hasattr(mod, "KEY"):
            mods.append(mod)
    return sorted(mods, key=lambda m: (m.ORDER, m.KEY))


class RecordError(ValueError):
    """A section record that cannot be used (the reason is the message)."""


def _figure_file(value: object) -> str:
    if not isinstance(value, str) or not value:
        raise RecordError(f"figure file {value!r} is not a file name")
    p = Path(value)
    if p.is_absolute() or ".." in p.parts:
        raise RecordError(f"figure file {value!r} is outside the output directory")
    return value


def _parse_record(path: Path, key: str) -> Section | None:
    """The recorded section at ``path``; None if absent or of another package version;
    RecordError if present but unusable."""
    if not path.exists():
        return None
    text = read_text_capped(path, "file_bytes", "section record")
    try:
        d = json.loads(text)
    except ValueError as exc:
        raise RecordError(f"not JSON: {exc}") from None
    if not isinstance(d, dict):
        raise RecordError("not a JSON object")
    if d.get("version") != __version__:
        return None
    try:
        s = d["section"]
        if s["key"] != key:
            raise RecordError(f"records section {s['key']!r}, not {key!r}")
        figures = [Figure(**f) for f in s["figures"]]
        for f in figures:
            _figure_file(f.file)
        checks = [Check(**{k: v for k, v in c.items() if k != "status"}) for c in s["checks"]]
        for c in checks:
            c.status  # noqa: B018 - raises on a mistyped number
        section = Section(
            s["key"], s["title"], figures, checks, [Table(**t) for t in s["tables"]], s["notes"]
        )
        render_html([section], __version__)  # everything the page needs is well-formed
    except RecordError:
        raise
    except (KeyError, TypeError, ValueError, AttributeError, OverflowError) as exc:
        raise RecordError(f"{type(exc).__name__}: {exc}") from None
    return section


def _load(path: Path, key: str, warn: Callable[[str], None] | None = None) -> Section | None:
    """The recorded section, or None (absent, other version, or unusable: then ``warn`` says
    why)."""
    try:
        return _parse_record(path, key)
    except ValueError as exc:  # RecordError, or read_text_capped's refusal
        if warn is not None:
            warn(f"[reproduce] {key}: record {str(path)!r} is unusable ({exc}); recomputing")
        return None


def _stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _within(
    progress: Callable[[str], None] | None, key: str
) -> Callable[[int, int, str], None] | None:
    within = getattr(progress, "within", None)
    if within is None:
        return None
    return lambda done, total, what: within(key, done, total, what)


def check_only(only: Iterable[str] | str | None, known: list[str] | None = None) -> set[str]:
    """The section keys to build: all ``known`` ones (default: every section module) when
    ``only`` is empty, else ``only`` after checking each key (ValueError naming it)."""
    if known is None:
        known = [m.KEY for m in section_modules()]
    if only is None:
        return set(known)
    keys = [only] if isinstance(only, str) else list(only)
    if not keys:
        return set(known)
    for k in keys:
        if not isinstance(k, str) or k not in known:
            raise ValueError(f"--only = {k!r} is invalid: allowed one of {sorted(known)}")
    return set(keys)


def default_jobs() -> int:
    """Sections built at once: 2 where the machine has 2 or more cores, else 1."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(2, cores))


def run(
    out: str | os.PathLike[str] = "results",
    only: Iterable[str] | str | None = None,
    resume: bool = False,
    progress: Callable[[str], None] | None = None,
    jobs: int | None = None,
) -> Path:
    """Build all (or ``only`` the named) sections into ``out``; returns the index.html path.

    ``only`` is validated before any file or directory is created. ``progress`` receives the
    progress lines (one per section); if it has a method ``within(key, done, total, what)``,
    that receives the progress a section reports within itself
    (:func:`darkmoments.reproduce.report.report_progress`). Warnings about unusable records go
    to stderr. ``jobs`` sections are built at once in worker processes (default
    :func:`default_jobs`; 1: in this process, one after the other); each section seeds its own
    generator, so the results do not depend on ``jobs``."""
    mods = section_modules()
    wanted = check_only(only, [m.KEY for m in mods])
    if jobs is None:
        jobs = default_jobs()
    if isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1:
        raise ValueError(f"jobs = {jobs!r} is invalid: allowed an integer >= 1")
    out = make_directory(out, what="--out")
    (out / "sections").mkdir(exist_ok=True)
    done: dict[str, Section] = {}
    todo: list[ModuleType] = []
    for mod in mods:
        record = out / "sections" / f"{mod.KEY}.json"
        if mod.KEY not in wanted:
            previous = _load(record, mod.KEY)
            if previous is not None:
                done[mod.KEY] = previous
            continue
        if resume:
            previous = _load(record, mod.KEY, _stderr)
            if previous is not None and all((out / f.file).exists() for f in previous.figures):
                done[mod.KEY] = previous
                if progress:
                    progress(f"[reproduce] {mod.KEY}: already done, skipped")
                continue
        todo.append(mod)

    def finished(mod: ModuleType, section: Section) -> None:
        write_text(
            out / "sections" / f"{mod.KEY}.json",
            json.dumps({"version": __version__, "section": section.to_json()}, indent=1),
        )
        done[mod.KEY] = section

    if jobs == 1 or len(todo) <= 1:
        for mod in todo:
            if progress:
                progress(f"[reproduce] {mod.KEY}: {mod.TITLE}")
            finished(mod, _build(mod, out, _within(progress, mod.KEY))[0])
    else:
        _run_parallel(todo, out, jobs, progress, finished)
    sections = [done[m.KEY] for m in mods if m.KEY in done]
    checks = [{"section": s.key, **c} for s in sections for c in s.to_json()["checks"]]
    write_text(out / "checks.json", json.dumps(checks, indent=1))
    return write_text(out / "index.html", render_html(sections, __version__))


def _build(
    mod: ModuleType, out: Path, within: Callable[[int, int, str], None] | None
) -> tuple[Section, float]:
    """The built section and the CPU seconds it took (this process)."""
    apply_style()
    start = time.process_time()
    with progress_context(within):
        section: Section = mod.build(out)
    return section, time.process_time() - start


_QUEUE: Any = None


def _worker_init(queue: Any) -> None:
    global _QUEUE
    _QUEUE = queue
    matplotlib.use("Agg")


def _worker_build(module: str, out: str) -> tuple[Section, float]:
    """Build one section in a worker process; progress goes back through the queue."""
    mod = importlib.import_module(module)
    queue = _QUEUE

    def within(done: int, total: int, what: str) -> None:
        if queue is not None:
            queue.put((mod.KEY, done, total, what))

    return _build(mod, Path(out), within)


def _run_parallel(
    todo: list[ModuleType],
    out: Path,
    jobs: int,
    progress: Callable[[str], None] | None,
    finished: Callable[[ModuleType, Section], None],
) -> None:
    """Build ``todo`` in ``jobs`` worker processes, the most expensive first (module attribute
    ``COST``, seconds of CPU; a section without it counts as expensive, so an unknown long
    section does not start last); records are written here as sections finish."""
    import multiprocessing
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

    ctx = multiprocessing.get_context("spawn")
    q = ctx.Queue()
    within = getattr(progress, "within", None)
    order = sorted(todo, key=lambda m: -float(getattr(m, "COST", math.inf)))
    with ProcessPoolExecutor(jobs, mp_context=ctx, initializer=_worker_init, initargs=(q,)) as ex:
        pending = {ex.submit(_worker_build, m.__name__, str(out)): m for m in order}
        while pending:
            ready, _ = wait(pending, timeout=0.25, return_when=FIRST_COMPLETED)
            _drain(q, within)
            for fut in ready:
                mod = pending.pop(fut)
                section, cpu = fut.result()
                finished(mod, section)
                if progress:
                    progress(f"[reproduce] {mod.KEY}: {mod.TITLE} (done in {cpu:.1f} s CPU)")
    _drain(q, within)  # the workers have exited: everything they reported is in the queue


def _drain(q: Any, within: Callable[[str, int, int, str], None] | None) -> None:
    import queue as queue_mod

    while True:
        try:
            key, d, t, w = q.get(timeout=0.01)
        except queue_mod.Empty:
            return
        if within is not None:
            within(key, d, t, w)
