"""What the benchmark scripts share: the machine they ran on, the memory of the running process, and
a command run with its whole process tree measured (wall time, CPU time, peak RSS).

On Linux from /proc (VmRSS, VmHWM): ``ru_maxrss`` is no good in a spawned child, because
Linux carries the parent's RSS at fork over the exec into it. Elsewhere both are
``ru_maxrss`` (KiB on Linux, bytes on macOS).
"""

from __future__ import annotations

import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd

MB = 1e6


def rss_mb() -> tuple[float, float]:
    """(current RSS, peak RSS) of this process in MB."""
    try:
        status = Path("/proc/self/status").read_text()
        kib = {k: int(v.split()[0]) for k, v in (line.split(":", 1) for line in status.splitlines()) if k in ("VmRSS", "VmHWM")}
        return kib["VmRSS"] * 1024 / MB, kib["VmHWM"] * 1024 / MB
    except (OSError, KeyError):
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        rss = rss / MB if sys.platform == "darwin" else rss * 1024 / MB
        return rss, rss


def machine() -> dict:
    """Cores, Python, pandas and platform of this machine."""
    return {
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "pandas": pd.__version__,
        "platform": platform.platform(),
    }


def _children() -> dict[int, list[int]]:
    """Parent pid -> child pids, from /proc (Linux)."""
    out: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        out.setdefault(ppid, []).append(int(entry.name))
    return out


def process_tree(root: int) -> list[int]:
    """``root`` and every process below it."""
    children = _children()
    tree, stack = [], [root]
    while stack:
        pid = stack.pop()
        tree.append(pid)
        stack.extend(children.get(pid, ()))
    return tree


def _status_kib(pid: int) -> tuple[int, int] | None:
    """(VmRSS, VmHWM) of ``pid`` in KiB, or None if it is gone."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    kib = {k: int(v.split()[0]) for k, v in (line.split(":", 1) for line in status.splitlines()) if k in ("VmRSS", "VmHWM")}
    return (kib["VmRSS"], kib["VmHWM"]) if len(kib) == 2 else None


def run_measured(cmd: list[str], interval: float = 0.1, **popen) -> dict:
    """Run ``cmd`` to its end, sampling its process tree every ``interval`` seconds (Linux /proc).

    Returns the wall time, the CPU time (user + system) of the whole tree (children reaped by
    their parents are counted in ``RUSAGE_CHILDREN``), the peak of the tree's summed RSS over the
    samples (a lower bound of the true peak), the sum of each process's own peak (VmHWM, an upper
    bound: the peaks need not coincide), the most processes seen at once, and the return code.
    """
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    process = subprocess.Popen(cmd, **popen)
    peak_sum_kib, own_peaks, most = 0, {}, 0
    while process.poll() is None:
        total = 0
        tree = process_tree(process.pid)
        for pid in tree:
            found = _status_kib(pid)
            if found is not None:
                total += found[0]
                own_peaks[pid] = max(own_peaks.get(pid, 0), found[1])
        peak_sum_kib, most = max(peak_sum_kib, total), max(most, len(tree))
        time.sleep(interval)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"wall_s": wall, "cpu_s": cpu, "peak_tree_rss_mb": peak_sum_kib * 1024 / MB,
            "sum_of_process_peaks_mb": sum(own_peaks.values()) * 1024 / MB, "processes": most,
            "returncode": process.returncode}
