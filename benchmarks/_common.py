"""What the benchmark scripts share: the machine they ran on, and the memory of the running process.

On Linux from /proc (VmRSS, VmHWM): ``ru_maxrss`` is no good in a spawned child, because
Linux carries the parent's RSS at fork over the exec into it. Elsewhere both are
``ru_maxrss`` (KiB on Linux, bytes on macOS).
"""

from __future__ import annotations

import os
import platform
import resource
import sys
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
