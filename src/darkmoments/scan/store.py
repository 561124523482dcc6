"""The scan result store: a Parquet dataset directory written in atomic chunks.

Layout of ``OUTPUT/``::

    _scan.json                         manifest: package version, the scan description
                                       (quantity, model, options, axes, seed), its fingerprint
    _scan.lock                         while a run writes: "host pid" (a second run on the same
                                       output is refused; a lock of a dead process is taken over)
    part-000000000-000000255.parquet   one file per chunk, named by its first and last point
    part-000000256-000000511.parquet   (temp file + rename: never half written)

One row per point: ``point`` (the index), every input (fixed model parameters, options, axis
values; ``per_fermion`` as JSON text), every output of the quantity, ``status`` ("ok" |
"failed"), ``error`` (null when ok), ``seed`` (the point's seed) and ``wall_time_s`` (timing
metadata: seconds this point took on its worker). Outputs a point did not produce (failed
points, channels closed at that point) are null. Each chunk carries the manifest in its Parquet
schema metadata (key ``darkmoments.scan``).

Chunks are aligned blocks of points: chunk ``k`` holds points ``[k C, (k+1) C)`` (``C`` =
``chunk_size``) and is written when all of its points are done, whatever order the executor
finishes them in. So a scan run to the end without interruption writes the same files under
any executor, batch size or worker count: **same config and seed -> the same file names and
identical values in every column except** ``wall_time_s`` (which is timing metadata and differs
from run to run; the Parquet files as a whole therefore differ in those bytes). Rows are also
flushed every ``flush_seconds`` and when the scan stops (Ctrl-C, a dead worker): such partial
chunks are named by their own first and last point (a chunk's points never repeat, so names do
not collide; if a file of that name exists anyway -- two runs resumed at once -- a ``-N``
suffix is added rather than replacing it). Resume completes the missing points of every block.

Files whose names start with ``_`` or ``.`` are ignored by Parquet readers, so
``pyarrow.parquet.read_table(OUTPUT)`` reads the rows too; :func:`load_results` is the canonical
reader (it unifies the chunk schemas, sorts by point and checks the rows against the manifest).
"""

from __future__ import annotations

import json
import os
import socket
import time
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from darkmoments._version import __version__
from darkmoments.atomic import atomic_path, make_directory, write_text
from darkmoments.scan.config import ScanConfig
from darkmoments.validation import CAPS, bounded_count, read_text_capped

MANIFEST = "_scan.json"
LOCK = "_scan.lock"
METADATA_KEY = b"darkmoments.scan"
FORMAT = 1
#: memory the scan needs per point before computing anything (the to-do list and the done-set
#: of Python ints): 106 bytes measured with tracemalloc (CPython 3.11, 1e6 points)
BYTES_PER_POINT = 106


def chunk_files(path: str | os.PathLike[str]) -> list[Path]:
    """The chunk files of a dataset, in write order."""
    return sorted(Path(path).glob("part-*.parquet"))


def read_manifest(path: str | os.PathLike[str]) -> dict[str, Any]:
    """The manifest of the dataset at ``path``; ValueError if it is not a scan dataset."""
    p = Path(path) / MANIFEST
    if not p.exists():
        raise ValueError(
            f"output = {str(path)!r} is invalid: not a darkmoments scan dataset (no {MANIFEST})"
        )
    try:
        manifest = json.loads(read_text_capped(p, "file_bytes", "scan manifest"))
        if not isinstance(manifest, dict) or not isinstance(manifest.get("scan"), dict):
            raise ValueError("not a manifest object")
        bounded_count("n_points", manifest["scan"]["n_points"], "scan_points")
    except (ValueError, KeyError) as exc:
        raise ValueError(
            f"output = {str(path)!r} is invalid: unreadable {MANIFEST} ({exc})"
        ) from None
    return manifest


def _lock_owner(output: Path) -> str | None:
    """Who holds the output's lock ("host pid"), or None if free or stale (dead pid here)."""
    lock = output / LOCK
    if not lock.exists() and not lock.is_symlink():
        return None
    try:
        text = read_text_capped(lock, 4096, "scan lock").strip()
    except ValueError as exc:  # a device, a huge or binary file: not ours to overwrite
        return f"unreadable lock: {exc}"
    host, _, pid = text.partition(" ")
    if host == socket.gethostname():
        try:
            os.kill(int(pid), 0)
        except (ValueError, ProcessLookupError):
            return None
        except PermissionError:
            return text
    return text


def _arrow_type(value: Any) -> pa.DataType | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return pa.bool_()
    if isinstance(value, int):
        return pa.int64()
    if isinstance(value, float):
        return pa.float64()
    return pa.string()


def _input_value(value: Any) -> Any:
    if isinstance(value, Mapping):
        return json.dumps(value, sort_keys=True)
    return value


class ScanStore:
    """Buffered, chunked, atomic writer of one scan's rows (see the module docstring).

    Use :meth:`prepare` (checks, writes nothing), then :meth:`create` (writes the manifest), then
    :meth:`add` rows and :meth:`flush` (also done automatically every ``chunk_size`` rows or
    ``flush_seconds``)."""

    def __init__(self, config: ScanConfig, output: Path, chunk_size: int, flush_seconds: float):
        self.config = config
        self.output = output
        self.chunk_size = chunk_size
        self.flush_seconds = flush_seconds
        self.manifest = {
            "format": FORMAT,
            "darkmoments_version": __version__,
            "fingerprint": config.fingerprint(),
            "scan": config.describe(),
            "source": config.source,
        }
        self.done: set[int] = set()
        self.n_ok = 0
        self.n_failed = 0
        self._blocks: dict[int, list[dict[str, Any]]] = {}
        self._block_done: dict[int, int] = {}
        self._last_flush = time.monotonic()
        self._input_types: dict[str, pa.DataType] = {}
        for name in config.input_columns:
            sample = _input_value(config.point(0)[name])
            self._input_types[name] = _arrow_type(sample) or pa.string()
        self._output_types: dict[str, pa.DataType] = {}
        self._locked = False

    # ---------------------------------------------------------------- opening
    @classmethod
    def prepare(
        cls,
        config: ScanConfig,
        output: str | os.PathLike[str] | None = None,
        resume: bool = False,
        chunk_size: int | None = None,
        flush_seconds: float = 60.0,
    ) -> ScanStore:
        """Check the output directory (nothing is written): a new scan needs a missing or empty
        directory; ``resume`` needs none or a dataset of the same scan (same fingerprint), whose
        finished points are then read into :attr:`done`."""
        out = Path(output) if output is not None else config.output
        n = config.n_points
        if n > CAPS["scan_points"].value:
            raise ValueError(
                f"scan points = {n:,} is invalid: allowed at most {CAPS['scan_points'].value:,} "
                f"per scan (~{n * BYTES_PER_POINT / 2**30:.3g} GiB of bookkeeping before any "
                "point is computed); split the scan into several outputs"
            )
        store = cls(config, out, chunk_size or config.chunk_size, flush_seconds)
        if out.exists() and not out.is_dir():
            raise ValueError(f"output = {str(out)!r} is invalid: it is a file, not a directory")
        if not out.exists() or not any(out.iterdir()):
            return store
        owner = _lock_owner(out)
        if owner is not None:
            raise ValueError(
                f"output = {str(out)!r} is in use by another run ({owner}): wait for it, or "
                f"delete {LOCK} there if that run is gone"
            )
        manifest = read_manifest(out)
        if not resume:
            n = sum(pq.read_metadata(f).num_rows for f in chunk_files(out))
            raise ValueError(
                f"output = {str(out)!r} already holds a scan ({n} of "
                f"{manifest['scan']['n_points']} points): pass --resume (resume=True) to "
                "complete it, or choose another output"
            )
        if manifest.get("fingerprint") != store.manifest["fingerprint"]:
            raise ValueError(
                f"output = {str(out)!r} holds a different scan (quantity, model, options, axes "
                "or seed differ): cannot resume it with this config"
            )
        store._read_existing()
        return store

    def _read_existing(self) -> None:
        files = chunk_files(self.output)
        for f in files:
            table = pq.read_table(f, columns=["point", "status"])
            points = table.column("point").to_pylist()
            status = table.column("status").to_pylist()
            for i, s in zip(points, status, strict=True):
                if i in self.done:
                    continue
                self.done.add(i)
                if s == "ok":
                    self.n_ok += 1
                else:
                    self.n_failed += 1
            schema = pq.read_schema(f)
            for fld in schema:
                if fld.name not in self._input_types and fld.name not in _FIXED_COLUMNS:
                    self._output_types.setdefault(fld.name, fld.type)
        for i in self.done:
            k = i // self.chunk_size
            self._block_done[k] = self._block_done.get(k, 0) + 1

    def create(self) -> None:
        """Create the directory, take the lock and write the manifest (atomically)."""
        make_directory(self.output, what="output")
        lock = self.output / LOCK
        owner = _lock_owner(self.output)
        if owner is not None:
            raise ValueError(f"output = {str(self.output)!r} is in use by another run ({owner})")
        lock.unlink(missing_ok=True)  # stale
        try:
            fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            raise ValueError(f"output = {str(self.output)!r} is in use by another run") from None
        with os.fdopen(fd, "w") as f:
            f.write(f"{socket.gethostname()} {os.getpid()}\n")
        self._locked = True
        for stale in self.output.glob(".part-*.part"):  # temp files of a killed run
            stale.unlink(missing_ok=True)
        if not (self.output / MANIFEST).exists():
            write_text(self.output / MANIFEST, json.dumps(self.manifest, indent=1) + "\n")

    def close(self) -> None:
        """Flush and release the lock."""
        try:
            self.flush()
        finally:
            if self._locked:
                (self.output / LOCK).unlink(missing_ok=True)
                self._locked = False

    # ---------------------------------------------------------------- writing
    def _block_size(self, k: int) -> int:
        return min(self.chunk_size, self.config.n_points - k * self.chunk_size)

    def add(self, rows: Iterable[dict[str, Any]]) -> None:
        """Buffer finished rows (from :func:`darkmoments.scan.quantities.evaluate_point`);
        write a block's chunk as soon as all its points are done, and everything buffered
        when ``flush_seconds`` have passed since the last write (module docstring)."""
        for row in rows:
            if row["point"] in self.done:
                continue
            self._coerce_outputs(row)
            self.done.add(row["point"])
            if row["status"] == "ok":
                self.n_ok += 1
            else:
                self.n_failed += 1
            k = row["point"] // self.chunk_size
            self._blocks.setdefault(k, []).append(row)
            self._block_done[k] = self._block_done.get(k, 0) + 1
            if self._block_done[k] >= self._block_size(k):
                self._write(self._blocks.pop(k))
        if self._blocks and time.monotonic() - self._last_flush >= self.flush_seconds:
            self.flush()

    def _coerce_outputs(self, row: dict[str, Any]) -> None:
        """Keep one Arrow type per output column: ints widen to float; any other change of
        type turns the point into a failure (recorded with the reason)."""
        for name, value in row["outputs"].items():
            t = _arrow_type(value)
            known = self._output_types.get(name)
            if known is None or known == t or pa.types.is_null(known):
                self._output_types[name] = t  # type: ignore[assignment]
            elif pa.types.is_floating(known) and pa.types.is_integer(t):
                row["outputs"][name] = float(value)
            elif pa.types.is_integer(known) and pa.types.is_floating(t):
                self._output_types[name] = pa.float64()
            else:
                row.update(
                    status="failed",
                    error=f"TypeError: output {name!r} changed type from {known} to {t}",
                    outputs={},
                )
                return

    @property
    def buffered(self) -> int:
        """Rows waiting to be written."""
        return sum(len(b) for b in self._blocks.values())

    def flush(self) -> list[Path]:
        """Write every buffered row now, one chunk file per block (temp + rename); returns the
        paths written."""
        self._last_flush = time.monotonic()
        blocks, self._blocks = self._blocks, {}
        return [self._write(blocks[k]) for k in sorted(blocks)]

    def _chunk_path(self, first: int, last: int) -> Path:
        """``part-FIRST-LAST.parquet``; a ``-N`` suffix if that name is taken (never replace)."""
        stem = f"part-{first:09d}-{last:09d}"
        target = self.output / f"{stem}.parquet"
        n = 0
        while target.exists():
            n += 1
            target = self.output / f"{stem}-{n}.parquet"
        return target

    def _write(self, rows: list[dict[str, Any]]) -> Path:
        """Write ``rows`` as one chunk file (temp + rename); returns its path."""
        self._last_flush = time.monotonic()
        rows.sort(key=lambda r: r["point"])
        columns: dict[str, list[Any]] = {"point": [r["point"] for r in rows]}
        fields = [pa.field("point", pa.int64())]
        params = [self.config.point(r["point"]) for r in rows]
        for name, t in self._input_types.items():
            columns[name] = [_input_value(p[name]) for p in params]
            fields.append(pa.field(name, t))
        for name, t in self._output_types.items():
            columns[name] = [r["outputs"].get(name) for r in rows]
            fields.append(pa.field(name, t))
        for name, t in (
            ("status", pa.string()),
            ("error", pa.string()),
            ("seed", pa.int64()),
            ("wall_time_s", pa.float64()),
        ):
            columns[name] = [r[name] for r in rows]
            fields.append(pa.field(name, t))
        schema = pa.schema(fields, metadata={METADATA_KEY: json.dumps(self.manifest).encode()})
        table = pa.Table.from_pydict(columns, schema=schema)
        target = self._chunk_path(rows[0]["point"], rows[-1]["point"])
        with atomic_path(target) as tmp:
            pq.write_table(table, tmp)
        return target


_FIXED_COLUMNS = ("point", "status", "error", "seed", "wall_time_s")


def load_results(
    path: str | os.PathLike[str], columns: list[str] | None = None, as_dict: bool = False
) -> pa.Table | dict[str, list[Any]]:
    """All rows of the scan dataset at ``path``, sorted by ``point``, as a ``pyarrow.Table``
    (or, with ``as_dict=True``, a plain {column: list} dict; no pandas needed).

    Chunk schemas are unified (a column missing from a chunk is null there; int64 widens to
    float64). The table's schema metadata holds the manifest (key ``darkmoments.scan``). A point
    stored twice (two runs resumed at once on the same output) is kept once."""
    manifest = read_manifest(path)
    tables = [pq.read_table(f) for f in chunk_files(path)]
    if tables:
        table = pa.concat_tables(
            [t.replace_schema_metadata(None) for t in tables], promote_options="permissive"
        )
    else:
        table = pa.table({name: pa.array([], pa.int64()) for name in ("point",)})
    table = table.sort_by("point")
    points = table.column("point").to_numpy()
    if len(points) > 1:
        import numpy as np

        keep = np.concatenate([[True], points[1:] != points[:-1]])
        if not keep.all():
            table = table.filter(pa.array(keep))
    if columns is not None:
        table = table.select(columns)
    table = table.replace_schema_metadata({METADATA_KEY: json.dumps(manifest).encode()})
    return table.to_pydict() if as_dict else table


def scan_status(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Progress of the dataset at ``path``: {"n_points", "ok", "failed", "missing"}."""
    manifest = read_manifest(path)
    table = load_results(path, columns=["point", "status"])
    assert isinstance(table, pa.Table)
    status = table.column("status").to_pylist()
    n = manifest["scan"]["n_points"]
    ok = status.count("ok")
    return {"n_points": n, "ok": ok, "failed": len(status) - ok, "missing": n - len(status)}
