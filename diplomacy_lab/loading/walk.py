"""Walk a corpus folder: every entry met is either a file to read or a problem in the load report.

The walker never opens anything but regular files and folders, so a named pipe (FIFO), a socket
or a device cannot block or crash the load; each is reported. Symbolic links are followed only
while they stay inside the corpus folder: a link that leads outside, a dangling link and a link
loop (a link to a folder that holds it, or a chain of links without end) are reported, never
silently dropped.

>>> from diplomacy_lab.paths import seed_corpus_dir
>>> files, problems = folder_files(seed_corpus_dir())
>>> len(files), problems
(5, [])
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from diplomacy_lab.loading.problems import MANIFEST_NAMES, Problem

__all__ = ["file_kind", "folder_files"]

_SPECIAL = {
    stat.S_IFIFO: "a named pipe (FIFO)",
    stat.S_IFSOCK: "a socket",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
}


def file_kind(path: Path) -> tuple[str, str]:
    """What ``path`` is, following links: ``("file" | "folder" | "missing" | "loop" | "special" |
    "unreadable", description)``. Never raises, never opens the path.

    >>> file_kind(Path("no/such/file"))[0], file_kind(Path("/dev/null"))
    ('missing', ('special', 'a character device'))
    """
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "loop", "a link loop (the links never reach a file)"
        if exc.errno in (errno.ENOENT, errno.ENOTDIR):
            return "missing", "no such file"
        if exc.errno == errno.ENAMETOOLONG:
            return "unreadable", f"a name too long for the file system ({len(str(path)):,} characters)"
        return "unreadable", f"not readable ({exc.strerror or exc})"
    if stat.S_ISREG(mode):
        return "file", "a file"
    if stat.S_ISDIR(mode):
        return "folder", "a folder"
    return "special", _SPECIAL.get(stat.S_IFMT(mode), "not a regular file")


def folder_files(folder: Path) -> tuple[list[Path], list[Problem]]:
    """Files under ``folder`` (recursively, sorted) and a problem for every entry that is not read.

    Reported, not read: hidden files and folders (names starting with ``.``; the outermost
    only), manifests of sub-folders, links that resolve outside ``folder``, dangling links,
    link loops, named pipes, sockets and devices, and folders that cannot be listed. Links that
    stay inside ``folder`` are followed (a file reached twice is then an exact duplicate, which
    the load report lists). The folder's own manifest is left out: ``read_folder`` reads it.
    """
    folder = folder.resolve()
    files: list[Path] = []
    problems: list[Problem] = []
    # (the folder as shown, its real path, the real paths of the folders above it)
    stack: list[tuple[Path, Path, frozenset[Path]]] = [(folder, folder, frozenset())]
    while stack:
        shown, real, above = stack.pop()
        try:
            with os.scandir(real) as listing:
                entries = sorted(listing, key=lambda e: e.name)
        except OSError as exc:
            name = shown.relative_to(folder).as_posix()
            problems.append(Problem(name, "unreadable", f"{name}/ could not be listed ({exc.strerror or exc})"))
            continue
        for entry in entries:
            path = shown / entry.name
            name = path.relative_to(folder).as_posix()
            if entry.name.startswith("."):
                problems.append(Problem(name, "hidden", f"{name} is hidden (its name starts with '.')", "info", skip=True))
                continue
            problem, target = _entry(entry, path, name, folder)
            if problem is not None:
                problems.append(problem)
            elif target is None:  # a regular file
                if shown == folder and entry.name in MANIFEST_NAMES:
                    continue
                if entry.name in MANIFEST_NAMES:
                    problems.append(Problem(
                        name, "manifest_file", f"{name} is a manifest of a sub-folder; only {folder.name}/'s manifest is read"))
                else:
                    files.append(path)
            elif target == real or target in above:
                problems.append(Problem(name, "link_loop", f"{name} links to {target}, a folder that holds it: not followed"))
            else:
                stack.append((path, target, above | {real}))
    files.sort()
    return files, problems


def _entry(entry: os.DirEntry, path: Path, name: str, folder: Path) -> tuple[Problem | None, Path | None]:
    """``(problem, None)`` for an entry not to read; ``(None, None)`` for a regular file;
    ``(None, real path)`` for a folder to walk."""
    kind, what = file_kind(path)
    link = entry.is_symlink()
    if kind == "missing" and link:
        return Problem(name, "dangling_link", f"{name} links to {os.readlink(path)}, which does not exist"), None
    if kind == "loop":
        return Problem(name, "link_loop", f"{name} is {what}"), None
    if kind in ("special", "unreadable", "missing"):
        reason = "special_file" if kind == "special" else "unreadable"
        return Problem(name, reason, f"{name} is {what}: not read"), None
    real = path.resolve() if link else path
    if link and not real.is_relative_to(folder):
        return Problem(name, "outside_corpus", f"{name} links to {real}, outside the corpus folder"), None
    return None, (real if kind == "folder" else None)
