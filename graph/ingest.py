"""Document ingestion: files → text → chunks → embeddings → entity links → one transaction each.

A document's id is the SHA-256 of its bytes, so ingesting the same content again does nothing;
a changed file at the same path replaces its previous version in the same transaction. A file
that cannot be read is reported by name and the others go on; a failure while writing a document
rolls the whole document back.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import numpy as np

from graph.embeddings import Embedder
from graph.errors import GraphError

CHUNK_CHARS = 900
OVERLAP = 150
LINK_LABELS = ("Substance", "Fluid", "Equation", "Correlation", "Component", "Process", "Concept")
EMBED_LINK_MIN = 0.55  # cosine above which a chunk is linked to its nearest entities


class IngestError(GraphError):
    """A file could not be read or parsed; names the file."""

    def __init__(self, path: str, reason: str) -> None:
        self.path = path
        super().__init__(f"cannot ingest {path}: {reason}")


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag in {"script", "style"}:
            self._skip += 1
        elif tag in {"p", "br", "div", "li", "h1", "h2", "h3", "h4", "tr"}:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in {"script", "style"} and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def _read_text(path: Path, data: bytes) -> str:
    return data.decode("utf-8")


def _read_html(path: Path, data: bytes) -> str:
    p = _Text()
    p.feed(data.decode("utf-8", errors="replace"))
    return "".join(p.parts)


def _read_pdf(path: Path, data: bytes) -> str:
    import io

    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    return "\n\n".join(page.extract_text() or "" for page in reader.pages)


READERS: dict[str, Callable[[Path, bytes], str]] = {}


def register_reader(suffix: str, fn: Callable[[Path, bytes], str]) -> None:
    """Add a reader for files ending in ``suffix`` (``.md``); suffixes are unique."""
    if suffix in READERS:
        raise GraphError(f"a reader for {suffix!r} is already registered")
    READERS[suffix] = fn


for _s, _fn in (
    (".md", _read_text),
    (".markdown", _read_text),
    (".txt", _read_text),
    (".html", _read_html),
    (".htm", _read_html),
    (".pdf", _read_pdf),
):
    register_reader(_s, _fn)


def chunk_text(text: str, size: int = CHUNK_CHARS, overlap: int = OVERLAP) -> list[str]:
    """Paragraph-aware chunks of about ``size`` characters, ``overlap`` carried over.

    >>> [len(c) > 0 for c in chunk_text("a" * 50 + "\\n\\n" + "b" * 50, size=60, overlap=10)]
    [True, True]
    """
    paras = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
    chunks: list[str] = []
    cur = ""
    for p in paras:
        while len(p) > size:  # a very long paragraph is cut at a sentence or a space
            cut = max(p.rfind(". ", 0, size), p.rfind(" ", 0, size))
            cut = cut + 1 if cut > size // 2 else size
            pieces = (p[:cut].strip(), p[max(0, cut - overlap) :].strip())
            if cur:
                chunks.append(cur)
                cur = ""
            chunks.append(pieces[0])
            p = pieces[1]
        if cur and len(cur) + len(p) + 2 > size:
            chunks.append(cur)
            cur = cur[-overlap:].lstrip() + "\n\n" + p if overlap else p
        else:
            cur = f"{cur}\n\n{p}" if cur else p
    if cur:
        chunks.append(cur)
    return chunks


class EntityLinker:
    """Finds the graph entities a passage mentions: by name, synonym, formula or CAS (exact
    word match), and by embedding similarity to the entities' vectors."""

    def __init__(self, store: Any, labels: Sequence[str] = LINK_LABELS) -> None:
        self.store = store
        self.labels = tuple(labels)
        self._names: dict[str, set[tuple[str, str]]] | None = None

    def _index(self) -> dict[str, set[tuple[str, str]]]:
        if self._names is None:
            names: dict[str, set[tuple[str, str]]] = {}
            for nid, label, name, text in self.store.entity_names(self.labels):
                keys = {name}
                if label == "Substance":
                    head = text.split(":", 1)[0]
                    keys.update(re.findall(r"\b\d{2,7}-\d\d-\d\b", head))  # CAS
                    keys.update(
                        t for t in head.split() if re.fullmatch(r"(?:[A-Z][a-z]?\d*){2,}", t)
                    )
                for k in keys:
                    k = k.strip().lower()
                    if len(k) >= 3:
                        names.setdefault(k, set()).add((nid, label))
            self._names = names
        return self._names

    def link(self, text: str, vector: np.ndarray | None = None) -> list[dict[str, Any]]:
        """``[{dst, dst_label, method, score}]`` for one passage."""
        index = self._index()
        words = re.findall(r"[A-Za-z0-9][A-Za-z0-9\-,()']*[A-Za-z0-9]|[A-Za-z0-9]", text.lower())
        found: dict[str, dict[str, Any]] = {}
        for n in (1, 2, 3, 4):
            for i in range(len(words) - n + 1):
                key = " ".join(words[i : i + n])
                for nid, label in index.get(key, ()):
                    found.setdefault(
                        nid, {"dst": nid, "dst_label": label, "method": "name", "score": 1.0}
                    )
        if vector is not None:
            for nid, label, sim in self.store.vector_search(vector.tolist(), 3, self.labels):
                if sim >= EMBED_LINK_MIN and nid not in found:
                    found[nid] = {
                        "dst": nid,
                        "dst_label": label,
                        "method": "embedding",
                        "score": sim,
                    }
        return list(found.values())


@dataclass
class IngestReport:
    """What one ingestion run did: documents written, skipped as unchanged, failed (with why)."""

    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    chunks: int = 0
    mentions: int = 0
    seconds: float = 0.0


def collect_files(paths: Sequence[str | Path]) -> list[Path]:
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out.extend(
                sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in READERS)
            )
        else:
            out.append(p)
    return out


def ingest(
    store: Any,
    embedder: Embedder,
    paths: Sequence[str | Path],
    *,
    on_file: Callable[[Path, str], None] | None = None,
    fail_after_chunks: int | None = None,
) -> IngestReport:
    """Ingest files (folders are walked); each document is written in one transaction.

    ``on_file(path, outcome)`` reports progress (``written``, ``unchanged``, ``failed: why``).
    ``fail_after_chunks`` makes the write fail after that many chunks: a fault injection for
    tests of the all-or-nothing guarantee.
    """
    import time

    t0 = time.perf_counter()
    report = IngestReport()
    linker = EntityLinker(store)
    say = on_file or (lambda _p, _o: None)
    for path in collect_files(paths):
        name = str(path)
        try:
            reader = READERS.get(path.suffix.lower())
            if reader is None:
                raise IngestError(
                    name, f"unsupported file type {path.suffix!r}; supported: {', '.join(READERS)}"
                )
            try:
                data = path.read_bytes()
                text = reader(path, data)
            except IngestError:
                raise
            except Exception as e:
                raise IngestError(name, f"{type(e).__name__}: {e}") from e
            digest = hashlib.sha256(data).hexdigest()
            doc_id = f"doc:{digest[:24]}"
            if store.get_nodes([doc_id]):
                report.unchanged.append(name)
                say(path, "unchanged")
                continue
            chunks = chunk_text(text)
            if not chunks:
                raise IngestError(name, "no text found")
            vectors = embedder.encode([path.stem.replace("_", " "), *chunks])
            links = [linker.link(c, vectors[i + 1]) for i, c in enumerate(chunks)]
            _write(store, path, doc_id, digest, chunks, vectors, links, fail_after_chunks)
            report.written.append(name)
            report.chunks += len(chunks)
            report.mentions += sum(len(x) for x in links)
            say(path, "written")
        except GraphError as e:
            report.failed[name] = str(e)
            say(path, f"failed: {e}")
    report.seconds = time.perf_counter() - t0
    return report


def _write(
    store: Any,
    path: Path,
    doc_id: str,
    digest: str,
    chunks: list[str],
    vectors: np.ndarray,
    links: list[list[dict[str, Any]]],
    fail_after_chunks: int | None,
) -> None:
    previous = [
        nid
        for nid, label, name, text in store.entity_names(["Document"])
        if f"[{path.resolve()}]" in text
    ]
    with store.transaction():
        for old in previous:  # the file changed: its earlier version goes, in this transaction
            parts = [n.id for n in store.expand([old], 1, ["PART_OF"]) if n.label == "Chunk"]
            store.delete_nodes("Chunk", parts)
            store.delete_nodes("Document", [old])
        title = path.stem.replace("_", " ")
        store.upsert_nodes(
            "Document",
            [
                {
                    "id": doc_id,
                    "name": title,
                    "description": chunks[0][:200],
                    "path": str(path.resolve()),
                    "sha256": digest,
                    "kind": path.suffix.lower().lstrip("."),
                    "chunks": len(chunks),
                    "text": f"{title}: {chunks[0][:300]} [{path.resolve()}]",
                    "embedding": vectors[0],
                }
            ],
        )
        rows = [
            {
                "id": f"{doc_id}#{i}",
                "name": f"{title} §{i + 1}",
                "description": c[:200],
                "document": doc_id,
                "ordinal": i,
                "text": c,
                "embedding": vectors[i + 1],
            }
            for i, c in enumerate(chunks)
        ]
        if fail_after_chunks is not None:
            store.upsert_nodes("Chunk", rows[:fail_after_chunks])
            raise GraphError(f"injected failure after {fail_after_chunks} chunks of {path}")
        store.upsert_nodes("Chunk", rows)
        store.upsert_edges(
            "PART_OF",
            [
                {"src": r["id"], "dst": doc_id, "src_label": "Chunk", "dst_label": "Document"}
                for r in rows
            ],
        )
        mentions = [
            {"src": f"{doc_id}#{i}", "src_label": "Chunk", **link}
            for i, found in enumerate(links)
            for link in found
        ]
        if mentions:
            store.upsert_edges("MENTIONS", mentions)
