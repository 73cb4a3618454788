"""Run a parser of untrusted bytes in a child Python with a bound on memory and time.

A PDF can hold streams that inflate to hundreds of megabytes and pages that take minutes to read;
no check of its bytes beforehand can rule that out. :func:`run_bounded` hands the bytes to
``target`` (``"package.module:function"``: bytes in, something JSON can write out) in a new
interpreter whose address space and CPU time are capped with ``setrlimit`` and which is killed
after its wall-clock time. The server's own process never holds what the parser holds, and a
refused file costs at most those bounds. The child answers in JSON only (never pickle), so even a
parser subverted by its input cannot hand the server an object.

Run as ``python -m plans.bounded TARGET MEMORY_MB SECONDS`` (what :func:`run_bounded` does).
"""

from __future__ import annotations

import importlib
import json
import resource
import signal
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TOO_LARGE, FAILED = 3, 4


class BoundExceeded(RuntimeError):
    """The parser needed more memory or time than allowed, or failed: ``reason`` tells a person (in
    Vietnamese), ``detail`` the operator (the parser's own last words, when it failed)."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason} {detail}".strip())
        self.reason = reason
        self.detail = detail


def run_bounded(target: str, data: bytes, seconds: float, memory_mb: int) -> object:
    """``target(data)`` computed in a bounded child process; ``BoundExceeded`` when it could not be."""
    try:
        done = subprocess.run(
            [sys.executable, "-m", "plans.bounded", target, str(memory_mb), str(seconds)],
            input=data,
            capture_output=True,
            timeout=seconds + 2,
            cwd=ROOT,
            check=False,
        )
    except subprocess.TimeoutExpired as err:
        raise BoundExceeded(f"đọc quá {seconds:.0f} giây") from err
    if done.returncode == 0:
        return json.loads(done.stdout)
    if done.returncode == TOO_LARGE:
        raise BoundExceeded(f"cần quá {memory_mb} MB bộ nhớ")
    if done.returncode in (-signal.SIGXCPU, -signal.SIGKILL):
        raise BoundExceeded(f"đọc quá {seconds:.0f} giây")
    lines = done.stderr.decode("utf-8", "replace").strip().splitlines()
    raise BoundExceeded("tệp bị hỏng hoặc không đúng định dạng", lines[-1] if lines else "")


def _child(target: str, memory_mb: int, seconds: float) -> int:
    limit = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    cpu = max(1, int(seconds))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    module, name = target.split(":")
    function = getattr(importlib.import_module(module), name)
    data = sys.stdin.buffer.read()
    try:
        result = function(data)
    except MemoryError:
        return TOO_LARGE
    except Exception as err:  # the parser's own failure, told to the parent as one line
        print(f"{type(err).__name__}: {err}"[:300], file=sys.stderr)
        return FAILED
    sys.stdout.write(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(_child(sys.argv[1], int(sys.argv[2]), float(sys.argv[3])))
