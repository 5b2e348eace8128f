"""Running generated code safely: :func:`run_code` executes Python in a separate process with
CPU, memory, output and wall-clock limits, no network, no subprocesses, no writes outside a fresh
temporary folder and an import allowlist enforced by an audit hook (see :mod:`peoa.sandbox.policy`).
The code is written against :mod:`peoa.sandbox.api`.
"""

from peoa.sandbox.policy import ALLOWED_IMPORTS, SandboxViolation
from peoa.sandbox.runner import SandboxLimits, SandboxResult, run_code

__all__ = ["ALLOWED_IMPORTS", "SandboxLimits", "SandboxResult", "SandboxViolation", "run_code"]
