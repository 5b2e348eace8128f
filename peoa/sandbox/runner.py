"""Host side of the sandbox: start the child, enforce the wall clock, read its one result line."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
from typing import Any

import pint
from pydantic import BaseModel, Field

from peoa.models import SlotValue


class SandboxLimits(BaseModel):
    """Resource limits of one run.

    cpu_s : int  CPU time [s]; wall_s : float  wall-clock time [s]; memory_mb : int  address
    space on top of the interpreter and engine [MiB]; output_chars : int  printed text [chars];
    file_mb : int  largest file written in the sandbox folder [MiB].
    """

    cpu_s: int = Field(default=5, ge=1, le=600)
    wall_s: float = Field(default=20.0, gt=0, le=600)
    memory_mb: int = Field(default=256, ge=16, le=65536)
    output_chars: int = Field(default=20_000, ge=0)
    file_mb: int = Field(default=8, ge=0)


class SandboxResult(BaseModel):
    """What a run produced: ``ok``, the ``error`` (None when ok), captured ``stdout`` and the
    ``values`` reported through ``answer()`` or a top-level ``result`` dict."""

    ok: bool
    error: str | None = None
    stdout: str = ""
    values: dict[str, SlotValue] = Field(default_factory=dict)


def _describe_signal(code: int, limits: SandboxLimits) -> str:
    sig = -code
    if sig == signal.SIGXCPU:
        return f"CPU time limit of {limits.cpu_s} s exceeded"
    if sig == signal.SIGKILL:
        return (
            f"killed (CPU time limit of {limits.cpu_s} s or memory limit of {limits.memory_mb} MiB)"
        )
    if sig == signal.SIGSEGV:
        return f"crashed (segmentation fault; memory limit of {limits.memory_mb} MiB?)"
    if sig == signal.SIGXFSZ:
        return f"file size limit of {limits.file_mb} MiB exceeded"
    try:
        name = signal.Signals(sig).name
    except ValueError:
        name = str(sig)
    return f"terminated by signal {name}"


def run_code(
    code: str,
    limits: SandboxLimits | None = None,
    givens: dict[str, pint.Quantity] | None = None,
) -> SandboxResult:
    """Run ``code`` in a separate, locked-down Python process and return what it reported.

    The process gets a fresh temporary folder as its working directory (removed afterwards), no
    network, no subprocesses, no writes elsewhere, an import allowlist and the limits given.
    ``givens`` (name -> quantity) are available to the code as ``givens``. Never raises for
    anything the code does: failures come back as ``ok=False`` with the reason.

    >>> r = run_code("answer('W', Q(2, 'kW') * 3)")
    >>> r.ok, r.values["W"].value, r.values["W"].unit
    (True, 6.0, 'kW')
    >>> run_code("import os").error
    "blocked by the sandbox: import of 'os' is not allowed in the sandbox; allowed: ..."
    """
    if not isinstance(code, str):
        raise TypeError(f"code must be a string, got {type(code).__name__}")
    limits = limits or SandboxLimits()
    job: dict[str, Any] = {
        "code": code,
        "limits": limits.model_dump(),
        "givens": {
            k: {"value": float(q.magnitude), "unit": str(q.units)}
            for k, q in (givens or {}).items()
        },
    }
    env = {
        "PATH": "/usr/bin:/bin",
        "LANG": "C.UTF-8",
        "OMP_NUM_THREADS": "1",
        "OPENBLAS_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONHASHSEED": "0",
    }
    with tempfile.TemporaryDirectory(prefix="peoa-sandbox-") as work:
        env["HOME"] = env["TMPDIR"] = work
        proc = subprocess.Popen(
            [sys.executable, "-I", "-m", "peoa.sandbox.child"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=work,
            env=env,
            start_new_session=True,  # its own process group: a timeout kills everything it has
        )
        try:
            out, err = proc.communicate(json.dumps(job).encode(), timeout=limits.wall_s)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            return SandboxResult(
                ok=False, error=f"wall-clock timeout: still running after {limits.wall_s:g} s"
            )
    if proc.returncode != 0 or not out.strip():
        if proc.returncode and proc.returncode < 0:
            reason = _describe_signal(proc.returncode, limits)
        else:
            tail = err.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no output"]
            reason = f"sandbox process failed (exit {proc.returncode}): {tail[0][:300]}"
        return SandboxResult(ok=False, error=reason)
    try:
        data = json.loads(out.decode("utf-8").strip().splitlines()[-1])
        return SandboxResult.model_validate(data)
    except (ValueError, IndexError) as e:
        return SandboxResult(ok=False, error=f"unreadable sandbox result: {e}")
