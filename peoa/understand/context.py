"""Reading engineering text around its numbers: sentences, stream and position roles, the
working fluid, the question sentence, and injective assignments ranked by score.

Shared by the equation understanding (``offline``) and the process understanding (``process``).
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Iterable

from peoa.understand.quantities import ExtractedQuantity
from solvers.properties import FLUID_ALIASES

MAX_ASSIGNMENTS = 300

ROLE_WORDS: dict[str, tuple[str, ...]] = {
    "inlet": (
        "enter",
        "inlet",
        "initial",
        "supply",
        "receive",
        "supplied",
        "upstream",
        "from",
        "incoming",
        "feed",
        " in at",
        "section 1",
        "point 1",
    ),
    "outlet": (
        "leave",
        "leaving",
        "exit",
        "outlet",
        "final",
        "discharg",
        "downstream",
        " to ",
        "outgoing",
        "section 2",
        "point 2",
        "heated to",
        "exhaust pressure",
        "exhausts",
        "exhausted",
        "back pressure",
        "cooled to",
        "raised to",
    ),
    "hot": (
        "hot",
        "cooled",
        "cools",
        "steam",
        "flue",
        "exhaust gas",
        "heating medium",
        "inner",
        "inside",
    ),
    "cold": (
        "cold",
        "coolant",
        "cooling water",
        "heated",
        "heats",
        "warmed",
        "warms",
        "outer",
        "outside",
    ),
    "1": ("first", "stream 1", "stream a", "one stream", "point 1", "section 1", "state 1"),
    "2": (
        "second",
        "stream 2",
        "stream b",
        "other stream",
        "another",
        "point 2",
        "section 2",
        "state 2",
        "raised to",
        "increased to",
    ),
    "3": ("mixed", "mixture", "combined", "resulting", "leaves the mix"),
}
CONFLICTS = {("inlet", "outlet"), ("hot", "cold"), ("1", "2"), ("1", "3"), ("2", "3")}
ROLE_GROUPS = {
    "inlet": "position",
    "outlet": "position",
    "hot": "stream",
    "cold": "stream",
    "1": "index",
    "2": "index",
    "3": "index",
}
AFTER_STOP = re.compile(
    r",|;|\band\b|\busing\b|\bwhile\b|\bwith\b|\bby\b|\bwhich\b|"
    r"\bthat\b|\bwhere\b"
)


def fluid_mentions(text: str) -> list[tuple[int, str]]:
    """Every fluid named in ``text``: (position, CoolProp name), in reading order.

    >>> fluid_mentions("Hot water heats refrigerant-134a")
    [(4, 'Water'), (16, 'R134a')]
    """
    low = text.lower().replace("refrigerant-", "r-").replace("refrigerant ", "r-")
    out = []
    for alias, name in FLUID_ALIASES.items():
        for m in re.finditer(rf"(?<!\w){re.escape(alias)}(?![\w-])", low):
            out.append((m.start(), name))
    return sorted(out)


def detect_fluid(text: str) -> str | None:
    """The working fluid named in ``text`` (CoolProp name), if any: the first one named.

    >>> detect_fluid("Refrigerant-134a enters..."), detect_fluid("superheated steam at 3 MPa")
    ('R134a', 'Water')
    """
    mentions = fluid_mentions(text)
    return mentions[0][1] if mentions else None


def sentences(text: str) -> list[tuple[int, int]]:
    spans = []
    start = 0
    for m in re.finditer(r"(?<=[.!?;])\s+(?=[A-Z(])|\n+", text):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(text)))
    return spans


def _role_pattern(word: str) -> re.Pattern[str]:
    # words match at a word start ("enter" in "enters"); a closing one-letter or digit token
    # must end a word too ("stream a" is not "stream at")
    last = word.strip().split(" ")[-1]
    tail = r"(?!\w)" if len(last) == 1 else ""
    return re.compile(rf"(?<!\w){re.escape(word.strip())}{tail}" if word.strip() else "$^")


_ROLE_PATTERNS = {r: [(_role_pattern(w), w) for w in words] for r, words in ROLE_WORDS.items()}


def roles_in(ctx: str) -> set[str]:
    """The roles (inlet, outlet, hot, cold, 1, 2, 3) that words in ``ctx`` give a number.

    >>> sorted(roles_in("a second stream at")), sorted(roles_in("hot water enters at"))
    (['2'], ['hot', 'inlet'])
    """
    low = f" {ctx.lower()} "
    return {
        r
        for r, pats in _ROLE_PATTERNS.items()
        if any(
            (w in low) if w.startswith(" ") or w.endswith(" ") else p.search(low) for p, w in pats
        )
    }


def contexts(text: str, qs: list[ExtractedQuantity]) -> list[tuple[str, set[str]]]:
    """Local context and roles of each quantity; roles carry over within a sentence until a
    new role of the same group (position, stream, index) is named."""
    out: list[tuple[str, set[str]]] = []
    spans = sentences(text)
    prev_end = 0
    carried: dict[str, str] = {}
    current_sentence = -1
    for i, q in enumerate(qs):
        sent = next(k for k, (a, b) in enumerate(spans) if a <= q.start <= b)
        if sent != current_sentence:
            carried, current_sentence = {}, sent
            prev_end = spans[sent][0]
        nxt = qs[i + 1].start if i + 1 < len(qs) else len(text)
        after = text[q.end : min(nxt, q.end + 30, spans[sent][1])]
        stop = AFTER_STOP.search(after)
        near_after = after[: stop.start()] if stop else after
        before = re.split(r"[:;]", text[max(prev_end, q.start - 60) : q.start])[-1]
        ctx = before + " # " + near_after
        # "from 150 to 90": the words that introduce the next number say nothing of this one
        tail = re.sub(r"^\s*(?:to|from|and|or)\b.*$", "", near_after[:25], flags=re.S)
        roles = roles_in(before[-40:] + " " + tail)
        groups = {ROLE_GROUPS[r] for r in roles}
        for r in sorted(roles):  # sorted: the same text always reads the same way
            carried[ROLE_GROUPS[r]] = r
        roles |= {r for g, r in carried.items() if g not in groups}
        out.append((ctx, roles))
        prev_end = q.end
    return out


def ranked_assignments(
    options: list[list[tuple[float, str | None]]],
) -> Iterable[tuple[float, list[str | None]]]:
    """Injective assignments of quantities to variables, best total score first."""
    if not options:
        yield 0.0, []
        return
    start = tuple(0 for _ in options)

    def total(idx: tuple[int, ...]) -> float:
        return sum(options[i][j][0] for i, j in enumerate(idx))

    heap = [(-total(start), start)]
    seen = {start}
    count = 0
    while heap and count < MAX_ASSIGNMENTS * 20:
        neg, idx = heapq.heappop(heap)
        count += 1
        names = [options[i][j][1] for i, j in enumerate(idx)]
        assigned = [n for n in names if n is not None]
        if len(assigned) == len(set(assigned)):
            yield -neg, names
        for i in range(len(idx)):
            if idx[i] + 1 < len(options[i]):
                nxt = (*idx[:i], idx[i] + 1, *idx[i + 1 :])
                if nxt not in seen:
                    seen.add(nxt)
                    heapq.heappush(heap, (-total(nxt), nxt))


QUESTION = re.compile(
    r"(?i)\b(find|determine|calculate|compute|estimate|what|how much|how "
    r"many|evaluate|obtain|identify|predict)\b"
)


def question_text(text: str) -> str:
    parts = [text[a:b] for a, b in sentences(text)]
    asked = [p for p in parts if QUESTION.search(p)]
    return " ".join(asked) if asked else (parts[-1] if parts else text)
