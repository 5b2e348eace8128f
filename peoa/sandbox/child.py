"""The sandbox's child process (``python -I -m peoa.sandbox.child``): reads one job as JSON on
stdin, locks itself down, runs the code, writes one JSON result line on its real stdout.

Order matters: the engine's modules are imported first (they read files and may start native
threads), then the resource limits are set, then the audit hook goes on (it cannot be removed),
and only then is user code executed with restricted builtins.
"""

from __future__ import annotations

import io
import json
import os
import resource
import sys
import traceback
import types
from typing import Any

from peoa.sandbox.policy import (
    SandboxViolation,
    check_source,
    make_audit_hook,
    make_import,
    safe_builtins,
)


class OutputLimitExceeded(Exception):
    """The code printed more than the output limit."""


class BoundedText(io.TextIOBase):
    """A text sink that keeps at most ``limit`` characters and raises past it."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.parts: list[str] = []
        self.size = 0

    def write(self, s: str) -> int:
        if self.size + len(s) > self.limit:
            room = max(self.limit - self.size, 0)
            self.parts.append(s[:room])
            self.size = self.limit
            raise OutputLimitExceeded(f"output exceeded the limit of {self.limit} characters")
        self.parts.append(s)
        self.size += len(s)
        return len(s)

    def getvalue(self) -> str:
        return "".join(self.parts)


def _vm_bytes() -> int:
    with open("/proc/self/status", encoding="ascii") as f:
        for line in f:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


def _encode(q: Any) -> dict[str, Any]:
    import pint

    if isinstance(q, pint.Quantity):
        unit = "" if q.dimensionless and str(q.units) == "dimensionless" else f"{q.units:~}"
        return {"value": float(q.magnitude), "unit": unit}
    return {"value": float(q), "unit": ""}


def _limit(kind: int, value: int, hard: int | None = None) -> None:
    try:
        resource.setrlimit(kind, (value, value if hard is None else hard))
    except (ValueError, OSError):  # a limit already lower than ours stays
        pass


def main() -> None:
    real_out = os.fdopen(os.dup(1), "w", encoding="utf-8")
    job = json.loads(sys.stdin.read())
    limits = job["limits"]
    workdir = os.getcwd()
    out = BoundedText(int(limits["output_chars"]))
    result: dict[str, Any] = {"ok": False, "error": None, "values": {}}

    from peoa.sandbox import api

    givens = {k: api.Q(v["value"], v["unit"]) for k, v in job.get("givens", {}).items()}
    api_module = types.SimpleNamespace(**{n: getattr(api, n) for n in api.EXPORTS})
    api_module.givens = givens
    read_roots = {sys.prefix, sys.base_prefix, sys.exec_prefix}
    read_roots |= {p for p in sys.path if p and os.path.isdir(p)}
    read_roots.add(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
    # Import what the API needs lazily now, while files may still be read freely.
    import numpy  # noqa: F401

    # SIGXCPU at the soft limit (reported as such), SIGKILL a second later if it is ignored
    _limit(resource.RLIMIT_CPU, int(limits["cpu_s"]), int(limits["cpu_s"]) + 1)
    _limit(resource.RLIMIT_AS, _vm_bytes() + int(limits["memory_mb"]) * 1024 * 1024)
    _limit(resource.RLIMIT_FSIZE, int(limits["file_mb"]) * 1024 * 1024)
    _limit(resource.RLIMIT_NPROC, 0)  # no effect for root; the audit hook refuses forks anyway
    _limit(resource.RLIMIT_CORE, 0)
    sys.addaudithook(make_audit_hook(workdir, read_roots))

    def sandbox_print(*args: Any, **kwargs: Any) -> None:
        kwargs.pop("file", None)
        print(*args, file=out, **kwargs)

    namespace: dict[str, Any] = {
        "__builtins__": safe_builtins(make_import({"peoa_api": api_module}), sandbox_print),
        "__name__": "__sandbox__",
        "givens": givens,
        **{n: getattr(api, n) for n in api.EXPORTS},
    }
    sys.stdout = sys.stderr = out
    try:
        check_source(job["code"])
        compiled = compile(job["code"], "<code>", "exec")
        exec(compiled, namespace)
        values = dict(api.ANSWERS)
        if isinstance(namespace.get("result"), dict):
            values = {**{str(k): v for k, v in namespace["result"].items()}, **values}
        result["values"] = {k: _encode(v) for k, v in values.items()}
        result["ok"] = True
    except MemoryError:
        result["error"] = f"memory limit of {limits['memory_mb']} MiB exceeded"
    except OutputLimitExceeded as e:
        result["error"] = str(e)
    except SyntaxError as e:
        result["error"] = f"SyntaxError: {e.msg} (line {e.lineno})"
    except SandboxViolation as e:
        result["error"] = f"blocked by the sandbox: {e}"
    except BaseException as e:
        tb = traceback.extract_tb(e.__traceback__)
        lines = [f.lineno for f in tb if f.filename == "<code>"]
        where = f" (line {lines[-1]})" if lines else ""
        result["error"] = f"{type(e).__name__}: {e}{where}"
        if isinstance(e, PermissionError) and "sandbox" in str(e):
            result["error"] = f"blocked by the sandbox: {e}{where}"
    finally:
        sys.stdout, sys.stderr = sys.__stdout__, sys.__stderr__
    result["stdout"] = out.getvalue()
    try:
        real_out.write(json.dumps(result) + "\n")
        real_out.flush()
    except (TypeError, ValueError) as e:  # a value that does not serialise
        real_out.write(json.dumps({"ok": False, "error": f"bad result: {e}", "stdout": ""}))
        real_out.flush()


if __name__ == "__main__":
    main()
