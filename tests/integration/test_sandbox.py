"""The sandbox: generated code computes through the engine, and every escape is blocked with a
clear error while the host stays unharmed and later runs go on."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from peoa.sandbox import SandboxLimits, SandboxResult, run_code
from solvers.properties import State

FAST = SandboxLimits(cpu_s=3, wall_s=15, memory_mb=256, output_chars=5000)

# (name, code, phrase the error must contain)
ATTACKS = [
    (
        "read /etc/passwd",
        "print(open('/etc/passwd').read())",
        "reading '/etc/passwd' is not allowed",
    ),
    (
        "write outside the temp dir",
        "open('/tmp/peoa_sandbox_escape.txt', 'w').write('x')",
        "may only write inside its own temporary folder",
    ),
    (
        "open a socket",
        "import socket\nsocket.create_connection(('1.1.1.1', 80))",
        "import of 'socket'",
    ),
    ("start a subprocess", "import subprocess\nsubprocess.run(['id'])", "import of 'subprocess'"),
    (
        "subprocess through a library's os",
        "import numpy.f2py\nnumpy.f2py.os.system('touch /tmp/peoa_sandbox_pwned')",
        "starting subprocesses is not allowed",
    ),
    (
        "fork bomb",
        "import numpy.f2py\nwhile True:\n    numpy.f2py.os.fork()",
        "starting processes (fork) is not allowed",
    ),
    ("memory bomb", "x = bytearray(10**10)", "memory limit of 256 MiB exceeded"),
    ("growing memory", "x = []\nwhile True:\n    x.append('a' * 10**6)", "memory limit of 256 MiB"),
    ("infinite loop", "while True:\n    pass", "CPU time limit of 3 s exceeded"),
    ("huge output", "while True:\n    print('x' * 1000)", "output exceeded the limit of 5000"),
    ("__import__ by name", "__import__('os')", "name '__import__' is not allowed"),
    ("__builtins__", "__builtins__['__import__']('os')", "name '__builtins__' is not allowed"),
    (
        "subclass walk",
        "().__class__.__base__.__subclasses__()",
        "is not allowed (private or frame attribute)",
    ),
    ("getattr dunder", "getattr((), '__cl' + 'ass__')", "getattr of '__class__' is not allowed"),
    ("frame globals", "def g():\n    yield 1\ng().gi_frame.f_globals", "attribute 'f_globals'"),
    ("importlib", "import importlib\nimportlib.import_module('os')", "import of 'importlib'"),
    ("ctypes", "import ctypes\nctypes.CDLL(None)", "import of 'ctypes'"),
    ("eval", "eval('1')", "name 'eval' is not allowed"),
    ("private module", "import numpy._core", "importing 'numpy._core' is not allowed"),
]


@pytest.mark.parametrize(("name", "code", "phrase"), ATTACKS, ids=[a[0] for a in ATTACKS])
def test_escape_is_blocked_with_a_clear_error(name: str, code: str, phrase: str) -> None:
    result = run_code(code, FAST)
    assert not result.ok, name
    assert result.error and phrase in result.error, result.error
    assert "root:" not in result.stdout  # nothing of /etc/passwd leaked


def test_host_is_unharmed_and_runs_go_on() -> None:
    for path in ("/tmp/peoa_sandbox_escape.txt", "/tmp/peoa_sandbox_pwned"):
        assert not Path(path).exists()
    # after every attack above, a normal run still works in a fresh process
    ok = run_code("answer('P', Q(2, 'bar') + Q(50, 'kPa'))", FAST)
    assert ok.ok and ok.values["P"].unit == "bar" and ok.values["P"].value == pytest.approx(2.5)


def test_wall_clock_timeout_kills_the_process_group() -> None:
    limits = SandboxLimits(cpu_s=30, wall_s=1.0)
    result = run_code("while True:\n    pass", limits)
    assert not result.ok and "wall-clock timeout" in (result.error or "")


def test_code_computes_through_the_engine_with_units() -> None:
    code = (
        "st = State('Water', T=Q(100, 'degC'), x=Q(1, ''))\n"
        "print(st.phase)\n"
        "answer('P_sat', convert(st.P, 'kPa'))\n"
        "answer('h', st.h)\n"
        "result = {'twice_m': 2 * givens['m']}\n"
    )
    from solvers.units import quantity

    result = run_code(code, givens={"m": quantity(3.0, "kg/s")})
    assert isinstance(result, SandboxResult) and result.ok, result.error
    assert result.stdout.strip() == "saturated_vapor"
    ref = State("Water", T=373.15, x=1.0)
    assert result.values["P_sat"].unit == "kPa"
    assert result.values["P_sat"].value == pytest.approx(ref.P / 1e3, rel=1e-9)
    assert result.values["h"].value == pytest.approx(ref.h, rel=1e-9)
    assert (result.values["twice_m"].value, result.values["twice_m"].unit) == (6.0, "kg / s")


def test_scratch_files_stay_in_a_fresh_folder_that_is_removed() -> None:
    code = "open('scratch.txt', 'w').write('abc')\nanswer('n', len(open('scratch.txt').read()))"
    first = run_code(code, FAST)
    assert first.ok and first.values["n"].value == 3
    assert not Path("scratch.txt").exists()
    # a second run does not see the first run's file
    second = run_code("answer('n', len(open('scratch.txt').read()))", FAST)
    assert not second.ok and "FileNotFoundError" in (second.error or "")


def test_errors_name_the_line_and_the_exception() -> None:
    result = run_code("x = 1\ny = x / 0\n", FAST)
    assert not result.ok and result.error == "ZeroDivisionError: division by zero (line 2)"
    assert "SyntaxError" in (run_code("def (", FAST).error or "")
    bad = run_code("answer('x', float('nan'))", FAST)
    assert not bad.ok and "non-finite" in (bad.error or "")


def test_environment_is_scrubbed() -> None:
    os.environ["PEOA_SECRET_FOR_TEST"] = "s3cret"
    try:
        code = "import numpy.f2py\nprint(dict(numpy.f2py.os.environ))"
        result = run_code(code, FAST)
        assert "s3cret" not in result.stdout and "PEOA_SECRET" not in result.stdout
    finally:
        del os.environ["PEOA_SECRET_FOR_TEST"]


def test_host_files_cannot_be_deleted(tmp_path: Path) -> None:
    victim = tmp_path / "keep.txt"
    victim.write_text("precious")
    result = run_code(f"import numpy.f2py\nnumpy.f2py.os.remove({str(victim)!r})", FAST)
    assert not result.ok and "outside the sandbox folder" in (result.error or "")
    assert victim.read_text() == "precious"


def test_components_of_the_engine_are_callable_from_the_sandbox() -> None:
    from solvers.process import get_process
    from solvers.units import quantity

    inputs = {"P1": (6, "MPa"), "T1": (450, "degC"), "P2": (10, "kPa"), "eta": (0.85, "")}
    args = ", ".join(f"{k}=Q({v}, {u!r})" for k, (v, u) in inputs.items())
    code = f"out = component('turbine', fluid='Water', {args})\nanswer('T2', out['T2'])"
    result = run_code(code)
    assert result.ok, result.error
    host = get_process("turbine").solve(
        {k: quantity(v, u or "dimensionless") for k, (v, u) in inputs.items()}, {"fluid": "Water"}
    )
    assert result.values["T2"].unit == "K"
    assert result.values["T2"].value == pytest.approx(host.values["T2"], rel=1e-9)
    assert "turbine" in run_code("print(sorted(components()))").stdout
