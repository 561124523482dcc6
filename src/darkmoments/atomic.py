"""Atomic file output: write to a temporary file beside the target, then rename.

An interrupted job leaves either no file or the complete previous/new one, never half of one.

Temporary files are named ``.<target name>.<pid>-<host>-<random>.part`` (``host`` = 8 hex
digits of a hash of this machine's name): they name their target and their owner. A writer
killed outright (SIGKILL, power loss) cannot delete its temporary file, so every atomic write
first removes the stale temporaries *of the same target* whose owner process, on this host, is
gone. Temporaries of live processes, of other hosts (a shared file system) and files of other
names are never touched. (A dead owner's pid reused by a new process keeps its file until that
process ends too: harmless, and rare.)
"""

from __future__ import annotations

import contextlib
import glob
import hashlib
import os
import re
import socket
import tempfile
from collections.abc import Iterator
from pathlib import Path

_SUFFIX = ".part"


def _host_tag() -> str:
    """8 hex digits identifying this machine (its host name)."""
    return hashlib.sha256(socket.gethostname().encode()).hexdigest()[:8]


def _pid_alive(pid: int) -> bool:
    """True unless no process ``pid`` exists (a process of another user counts as alive)."""
    if pid <= 0:
        return True  # never guess about odd values
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True
    return True


def _temp_pattern(name: str) -> re.Pattern[str]:
    return re.compile(rf"^\.{re.escape(name)}\.(\d+)-([0-9a-f]{{8}})-[^.]*{re.escape(_SUFFIX)}$")


def stale_temporaries(path: str | os.PathLike[str]) -> list[Path]:
    """Temporary files of atomic writes to ``path`` whose owner (on this host) is dead."""
    target = Path(path)
    directory = target.parent if str(target.parent) else Path(".")
    pattern = _temp_pattern(target.name)
    host = _host_tag()
    stale = []
    try:
        candidates = list(directory.glob(f".{glob.escape(target.name)}.*{_SUFFIX}"))
    except OSError:
        return []
    for p in candidates:
        m = pattern.match(p.name)
        if m and m.group(2) == host and not _pid_alive(int(m.group(1))):
            stale.append(p)
    return sorted(stale)


def remove_stale_temporaries(path: str | os.PathLike[str]) -> list[Path]:
    """Delete :func:`stale_temporaries` of ``path``; returns the paths removed."""
    removed = []
    for p in stale_temporaries(path):
        try:
            p.unlink()
        except FileNotFoundError:  # another writer cleaned it first
            continue
        except OSError:
            continue
        removed.append(p)
    return removed


def _can_create_in(directory: Path) -> bool:
    """True if a file can really be created in ``directory`` (the mode bits say yes for root
    under /proc or on a read-only mount; only a try tells)."""
    try:
        fd, probe = tempfile.mkstemp(prefix=".darkmoments-probe-", dir=directory)
    except OSError:
        return False
    os.close(fd)
    os.unlink(probe)
    return True


def make_directory(path: str | os.PathLike[str], *, what: str = "output directory") -> Path:
    """Create ``path`` (and its parents) if needed and check that files can be created in it;
    ValueError naming ``what``, the path and the reason otherwise (a file there, no permission,
    a read-only or virtual file system). Returns ``Path(path)``."""
    target = Path(path)
    head = f"{what} = {str(target)!r} is invalid"
    if target.exists() and not target.is_dir():
        raise ValueError(f"{head}: it is a file, allowed a directory")
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ValueError(
            f"{head}: allowed a directory that can be created ({exc.strerror or exc})"
        ) from exc
    if not _can_create_in(target):
        raise ValueError(f"{head}: allowed a directory where files can be created")
    return target


def check_destination(
    path: str | os.PathLike[str], *, overwrite: bool = True, what: str = "output path"
) -> Path:
    """Check, before any computation, that an atomic write to ``path`` can succeed; returns
    ``Path(path)``. ValueError (naming ``what`` and the path) when the directory is missing or
    not writable, when ``path`` is a directory, or when ``path`` exists and either
    ``overwrite`` is False (the caller's ``--force`` was not given) or the existing file is not
    writable by this user (the rename would silently replace a file the user may not write)."""
    target = Path(path)
    directory = target.parent if str(target.parent) else Path(".")
    head = f"{what} = {str(target)!r} is invalid"
    if not directory.is_dir():
        raise ValueError(f"{head}: directory does not exist")
    if not os.access(directory, os.W_OK | os.X_OK) or not _can_create_in(directory):
        raise ValueError(f"{head}: directory is not writable")
    if target.is_dir():
        raise ValueError(f"{head}: it is a directory, allowed a file name")
    if target.exists() or target.is_symlink():
        if not overwrite:
            raise ValueError(f"{head}: the file exists (pass --force to replace it)")
        if not os.access(target, os.W_OK, follow_symlinks=False) and not target.is_symlink():
            raise ValueError(f"{head}: the existing file is not writable by you")
    return target


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike[str], *, overwrite: bool = True) -> Iterator[Path]:
    """Yield a temporary path in the target's directory; rename it onto ``path`` on success,
    delete it on any exception. Stale temporaries of the same target left by a killed writer
    are removed first (module docstring). Raises ValueError (see :func:`check_destination`) if
    the directory is missing or not writable, or the target is a directory; with
    ``overwrite=False`` also if ``path`` exists, checked again at the end without a race (the
    temporary is hard-linked to ``path``, which fails if something appeared there meanwhile)."""
    target = check_destination(path, overwrite=overwrite)
    directory = target.parent if str(target.parent) else Path(".")
    remove_stale_temporaries(target)
    fd, tmp = tempfile.mkstemp(
        prefix=f".{target.name}.{os.getpid()}-{_host_tag()}-", suffix=_SUFFIX, dir=directory
    )
    os.close(fd)
    tmp_path = Path(tmp)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp_path, 0o666 & ~umask)  # mkstemp makes 0600; give the usual file permissions
    try:
        yield tmp_path
        if overwrite:
            os.replace(tmp_path, target)
        else:
            appeared = ValueError(
                f"output path = {str(target)!r} is invalid: the file appeared while writing "
                "(pass --force to replace it)"
            )
            try:
                os.link(tmp_path, target)  # atomic, and never replaces
            except FileExistsError:
                raise appeared from None
            except OSError:  # a file system without hard links: check, then rename
                if target.exists() or target.is_symlink():
                    raise appeared from None
                os.replace(tmp_path, target)
            tmp_path.unlink(missing_ok=True)
    except BaseException:
        tmp_path.unlink(missing_ok=True)
        raise


def write_text(path: str | os.PathLike[str], text: str) -> Path:
    """Atomically write ``text`` (UTF-8) to ``path``."""
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return Path(path)


def write_bytes(path: str | os.PathLike[str], data: bytes) -> Path:
    """Atomically write ``data`` to ``path``."""
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)
    return Path(path)
