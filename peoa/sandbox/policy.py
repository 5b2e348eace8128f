"""What sandboxed code may do: the import allowlist, the static check of its source, the audit
hook that vets every file, process, network and native-code operation at run time, and the
restricted builtins.

Three layers, each enough on its own for the common escapes and together for the tricks:

1. the source is parsed and refused when it names anything private or frame-like (``__class__``,
   ``__builtins__``, ``gi_frame``, ``f_globals``...), the usual ways to climb back to the real
   builtins;
2. the code runs with restricted builtins whose ``__import__`` admits only :data:`ALLOWED_IMPORTS`
   and whose ``getattr`` refuses private names;
3. a :func:`sys.addaudithook` hook, which cannot be removed once installed, refuses opening files
   outside the allowed folders, writing outside the sandbox folder, sockets, subprocesses, forks,
   signals, ``ctypes`` and imports of the modules that do those things, whoever calls them.
"""

from __future__ import annotations

import ast
import builtins
import os
from collections.abc import Callable, Iterable
from typing import Any

#: Top-level modules user code may import (numerics only; no I/O, processes or native calls).
ALLOWED_IMPORTS: frozenset[str] = frozenset(
    {
        "math",
        "cmath",
        "statistics",
        "fractions",
        "decimal",
        "itertools",
        "functools",
        "operator",
        "collections",
        "json",
        "re",
        "numpy",
        "scipy",
        "peoa_api",
    }
)

#: Modules nobody in the sandbox may load once the hook is on (not even a library lazily).
DENIED_MODULES: frozenset[str] = frozenset(
    {
        "socket",
        "_socket",
        "ssl",
        "_ssl",
        "subprocess",
        "_posixsubprocess",
        "ctypes",
        "_ctypes",
        "multiprocessing",
        "_multiprocessing",
        "pty",
        "urllib",
        "http",
        "ftplib",
        "smtplib",
        "webbrowser",
        "mmap",
        "asyncio",
    }
)

# Audit events refused outright (prefix match on the part before a dot is handled below).
_DENIED_EVENTS = frozenset(
    {
        "os.system",
        "os.exec",
        "os.posix_spawn",
        "os.spawn",
        "os.fork",
        "os.forkpty",
        "os.kill",
        "os.killpg",
        "os.chdir",
        "os.chmod",
        "os.chown",
        "os.link",
        "os.symlink",
        "os.putenv",
        "os.unsetenv",
        "os.setxattr",
        "os.removexattr",
        "subprocess.Popen",
        "pty.spawn",
        "resource.setrlimit",
        "resource.prlimit",
        "sys.addaudithook",
        "sys.settrace",
        "sys.setprofile",
        "sys._current_frames",
        "_thread.start_new_thread",
        "mmap.__new__",
        "signal.pthread_kill",
        "pickle.find_class",
        "gc.get_objects",
        "gc.get_referrers",
        "gc.get_referents",
    }
)
_DENIED_PREFIXES = ("socket.", "ctypes.", "winreg.", "urllib.", "http.", "ftplib.", "smtplib.")
# Filesystem events allowed only inside the sandbox folder.
_WRITE_EVENTS = frozenset(
    {"os.remove", "os.rename", "os.rmdir", "os.mkdir", "os.truncate", "os.utime", "shutil.rmtree"}
)
_LIST_EVENTS = frozenset({"os.listdir", "os.scandir", "glob.glob", "glob.glob/2"})

# Attribute and variable names that lead back to frames, code or the real builtins.
_FORBIDDEN_ATTRS = frozenset(
    {
        "gi_frame",
        "gi_code",
        "gi_yieldfrom",
        "cr_frame",
        "cr_code",
        "cr_await",
        "ag_frame",
        "ag_code",
        "f_globals",
        "f_locals",
        "f_builtins",
        "f_back",
        "f_code",
        "tb_frame",
        "tb_next",
        "func_globals",
        "co_code",
        "mro",
        "ctypeslib",
        "format_map",
    }
)
_FORBIDDEN_NAMES = frozenset(
    {"eval", "exec", "compile", "globals", "locals", "vars", "breakpoint", "input", "help"}
)


class SandboxViolation(PermissionError):
    """Raised inside the sandbox when code tries something the policy refuses."""


def check_source(code: str) -> None:
    """Refuse source that reaches for private or frame attributes (raises :class:`SandboxViolation`
    or :class:`SyntaxError` with the offending line).

    >>> check_source("x = (1).real")
    >>> check_source("x = ().__class__")
    Traceback (most recent call last):
    peoa.sandbox.policy.SandboxViolation: line 1: attribute '__class__' is not allowed (private or frame attribute)
    """
    tree = ast.parse(code, filename="<code>")
    for node in ast.walk(tree):
        line = getattr(node, "lineno", "?")
        if isinstance(node, ast.Attribute) and (
            node.attr.startswith("_") or node.attr in _FORBIDDEN_ATTRS
        ):
            raise SandboxViolation(
                f"line {line}: attribute {node.attr!r} is not allowed (private or frame attribute)"
            )
        if isinstance(node, ast.Name) and (node.id.startswith("__") or node.id in _FORBIDDEN_NAMES):
            raise SandboxViolation(f"line {line}: name {node.id!r} is not allowed")
        if isinstance(node, ast.ImportFrom | ast.Import):
            names = [a.name for a in node.names]
            if isinstance(node, ast.ImportFrom):
                if node.level:
                    raise SandboxViolation(f"line {line}: relative imports are not allowed")
                names = [node.module or ""] + [a.name for a in node.names]
            for n in names:
                if n.startswith("_") or any(p.startswith("_") for p in n.split(".")):
                    raise SandboxViolation(f"line {line}: importing {n!r} is not allowed")


def _root(name: str) -> str:
    return name.partition(".")[0]


def make_import(
    modules: dict[str, Any], allowed: Iterable[str] = ALLOWED_IMPORTS
) -> Callable[..., Any]:
    """An ``__import__`` that admits only ``allowed`` top-level modules; ``modules`` maps
    synthetic modules (``peoa_api``) to the objects they stand for."""
    allowed = frozenset(allowed)
    real_import = builtins.__import__

    def restricted_import(
        name: str,
        globals: Any = None,
        locals: Any = None,
        fromlist: Any = (),
        level: int = 0,
    ) -> Any:
        if level or _root(name) not in allowed:
            raise SandboxViolation(
                f"import of {name!r} is not allowed in the sandbox; allowed: "
                f"{', '.join(sorted(allowed))}"
            )
        if name in modules:
            return modules[name]
        return real_import(name, globals, locals, fromlist, level)

    return restricted_import


def _safe_getattr(obj: Any, name: str, *default: Any) -> Any:
    if not isinstance(name, str) or name.startswith("_") or name in _FORBIDDEN_ATTRS:
        raise SandboxViolation(f"getattr of {name!r} is not allowed in the sandbox")
    return getattr(obj, name, *default)


def _safe_hasattr(obj: Any, name: str) -> bool:
    if not isinstance(name, str) or name.startswith("_") or name in _FORBIDDEN_ATTRS:
        raise SandboxViolation(f"hasattr of {name!r} is not allowed in the sandbox")
    return hasattr(obj, name)


_SAFE_BUILTIN_NAMES = [
    "abs",
    "all",
    "any",
    "ascii",
    "bin",
    "bool",
    "bytearray",
    "bytes",
    "callable",
    "chr",
    "complex",
    "dict",
    "dir",
    "divmod",
    "enumerate",
    "filter",
    "float",
    "format",
    "frozenset",
    "hash",
    "hex",
    "id",
    "int",
    "isinstance",
    "issubclass",
    "iter",
    "len",
    "list",
    "map",
    "max",
    "min",
    "next",
    "object",
    "oct",
    "open",
    "ord",
    "pow",
    "print",
    "range",
    "repr",
    "reversed",
    "round",
    "set",
    "slice",
    "sorted",
    "str",
    "sum",
    "tuple",
    "zip",
    "ArithmeticError",
    "AssertionError",
    "AttributeError",
    "BaseException",
    "Exception",
    "FloatingPointError",
    "IndexError",
    "KeyError",
    "LookupError",
    "MemoryError",
    "NameError",
    "NotImplementedError",
    "OverflowError",
    "PermissionError",
    "RecursionError",
    "RuntimeError",
    "StopIteration",
    "TypeError",
    "ValueError",
    "ZeroDivisionError",
    "True",
    "False",
    "None",
]


def safe_builtins(import_fn: Callable[..., Any], print_fn: Callable[..., Any]) -> dict[str, Any]:
    """The builtins sandboxed code sees: no eval/exec/compile, frames or real ``__import__``."""
    table = {n: getattr(builtins, n) for n in _SAFE_BUILTIN_NAMES if hasattr(builtins, n)}
    table.update(
        {
            "__import__": import_fn,
            "getattr": _safe_getattr,
            "hasattr": _safe_hasattr,
            "print": print_fn,
            "type": lambda obj: type(obj),  # the one-argument form only
            "__build_class__": builtins.__build_class__,
            "__name__": "__sandbox__",
        }
    )
    return table


def _path(arg: Any) -> str | None:
    if isinstance(arg, int):
        return None
    try:
        raw = os.fsdecode(os.fspath(arg))
    except TypeError:
        return None
    return os.path.realpath(raw)


def _inside(path: str, roots: Iterable[str]) -> bool:
    return any(path == r or path.startswith(r.rstrip(os.sep) + os.sep) for r in roots)


def make_audit_hook(
    workdir: str, read_roots: Iterable[str]
) -> Callable[[str, tuple[Any, ...]], None]:
    """The audit hook: writes only under ``workdir``; reads under ``workdir`` or ``read_roots``
    (the Python installation and the engine's code); nothing touching processes, signals,
    sockets, native code or the interpreter's frames."""
    work = os.path.realpath(workdir)
    roots = (*tuple(os.path.realpath(r) for r in read_roots), work)
    write_flags = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC

    def hook(event: str, args: tuple[Any, ...]) -> None:
        if event == "open":
            path, mode, flags = ((*tuple(args), None, None, None))[:3]
            p = _path(path)
            if p is None:
                if isinstance(path, int) and path > 2:
                    raise SandboxViolation(f"opening file descriptor {path} is not allowed")
                return
            writing = (isinstance(mode, str) and any(c in mode for c in "wax+")) or (
                isinstance(flags, int) and bool(flags & write_flags)
            )
            if writing and not _inside(p, (work,)):
                raise SandboxViolation(
                    f"writing {p!r} is not allowed: the sandbox may only write inside its own "
                    "temporary folder"
                )
            if not _inside(p, roots):
                raise SandboxViolation(f"reading {p!r} is not allowed in the sandbox")
            return
        if event == "import":
            name = str(args[0]) if args else ""
            if name in DENIED_MODULES or _root(name) in DENIED_MODULES:
                raise SandboxViolation(f"module {name!r} is not available in the sandbox")
            return
        if event in _DENIED_EVENTS or event.startswith(_DENIED_PREFIXES):
            what = {
                "os.fork": "starting processes (fork)",
                "os.forkpty": "starting processes (fork)",
                "subprocess.Popen": "starting subprocesses",
                "os.system": "starting subprocesses",
                "os.exec": "starting programs",
                "os.posix_spawn": "starting programs",
            }.get(event)
            if event.startswith("socket."):
                what = "network access"
            if event.startswith("ctypes."):
                what = "native code (ctypes)"
            raise SandboxViolation(f"{what or event} is not allowed in the sandbox")
        if event in _WRITE_EVENTS:
            for a in args[:2]:
                p = _path(a)
                if p is not None and not _inside(p, (work,)):
                    raise SandboxViolation(f"{event} on {p!r} is outside the sandbox folder")
            return
        if event in _LIST_EVENTS and args:
            p = _path(args[0])
            if p is not None and not _inside(p, roots):
                raise SandboxViolation(f"listing {p!r} is not allowed in the sandbox")

    return hook
