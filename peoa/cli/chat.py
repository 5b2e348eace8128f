"""``peoa chat``: a prompt_toolkit loop over one checkpointer thread.

Commands: ``/help``, ``/trace`` (the last derivation), ``/quit``. With a terminal, input has
history and multi-line editing (Esc then Enter submits); without one (piped input) each line is a
message, so the chat can be scripted.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from typing import Any

from rich.console import Console

from peoa.models import Answer, TraceEvent

HELP = """Type a problem (Esc then Enter to send a multi-line one). Include
'Report your answers as:' lines such as 'Q = ___ kW' to fix names and units.
A follow-up such as 'and at 8 MPa?' repeats the last problem with that value changed.
/trace  show the derivation of the last answer
/help   this text
/quit   leave"""


def _inputs(assistant: Any) -> Iterator[str]:
    if sys.stdin.isatty():
        from prompt_toolkit import PromptSession
        from prompt_toolkit.history import FileHistory

        assistant.settings.home.mkdir(parents=True, exist_ok=True)
        session: PromptSession[str] = PromptSession(
            history=FileHistory(str(assistant.settings.home / "chat_history")), multiline=True
        )
        while True:
            try:
                yield session.prompt("peoa> ", prompt_continuation="  ... ")
            except (EOFError, KeyboardInterrupt):
                return
    else:
        for line in sys.stdin:
            yield line.rstrip("\n").replace("\\n", "\n")


def run_chat(assistant: Any, thread: str, console: Console) -> None:
    """Run the chat until /quit or end of input."""
    console.print("[bold]PEOA chat[/bold] — /help for commands")
    last: Answer | None = None
    for text in _inputs(assistant):
        cmd = text.strip()
        if not cmd:
            continue
        if cmd in {"/quit", "/exit", "/q"}:
            break
        if cmd == "/help":
            console.print(HELP)
            continue
        if cmd == "/trace":
            if last is None:
                console.print("no answer yet")
            else:
                for ev in last.trace:
                    console.print(f"[bold]{ev.node}[/bold] {ev.message}")
                    if ev.data:
                        console.print(json.dumps(ev.data, default=str)[:2000])
            continue
        if cmd.startswith("/"):
            console.print(f"unknown command {cmd!r}; /help lists them")
            continue
        for item in assistant.chat(text, thread_id=thread):
            if isinstance(item, TraceEvent):
                console.print(f"[dim]· {item.node}[/dim] {item.message}")
            else:
                last = item
        if last is None:
            continue
        for slot, v in last.answers.items():
            val = f"{v.value:.6g}" if isinstance(v.value, float) else str(v.value)
            console.print(f"  [bold]{slot}[/bold] = {val} {v.unit}")
        if last.status != "solved":
            console.print(f"[yellow]{last.error}[/yellow]")
            console.print(
                "Can you give the missing information? Restate the problem with it, "
                "or name the wanted quantity as 'Report your answers as: x = ___ unit'."
            )
