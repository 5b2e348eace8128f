"""Adapter manifests: what a skill adapter is, what it was trained on, and for which base.

>>> m = Manifest(skill="fluid_flow", description="Reynolds number", base_model="tiny",
...              base_fingerprint="ab12", rank=8, alpha=16, target_modules=["q_proj"])
>>> Manifest.model_validate_json(m.model_dump_json()) == m
True
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

from pydantic import BaseModel, Field, field_validator

from experts.errors import AdapterError

MANIFEST = "manifest.json"
ADAPTER_FILES = ("adapter_config.json", "adapter_model.safetensors")
_HEAD = 1 << 20  # bytes of each weight file that enter the base fingerprint


class Manifest(BaseModel):
    """One skill adapter's record (``manifest.json`` next to the PEFT files)."""

    skill: str = Field(pattern=r"^[A-Za-z0-9_][A-Za-z0-9_.-]*$")
    description: str
    base_model: str
    base_fingerprint: str
    rank: int = Field(gt=0)
    alpha: float = Field(gt=0)
    target_modules: list[str]
    data_hash: str = ""
    n_examples: int = 0
    steps: int = 0
    metrics: dict[str, float] = Field(default_factory=dict)
    centroid: list[float] = Field(default_factory=list, description="mean text embedding")
    created: str = Field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))

    @field_validator("target_modules")
    @classmethod
    def _nonempty(cls, v: list[str]) -> list[str]:
        if not v:
            raise ValueError("target_modules is empty")
        return v

    def save(self, folder: str | Path) -> Path:
        """Write ``manifest.json`` in ``folder``."""
        path = Path(folder) / MANIFEST
        path.write_text(self.model_dump_json(indent=1))
        return path

    @classmethod
    def load(cls, folder: str | Path) -> Manifest:
        """Read ``folder/manifest.json``; raises :class:`AdapterError` naming a missing or bad file."""
        path = Path(folder) / MANIFEST
        if not path.exists():
            raise AdapterError(str(folder), f"{MANIFEST} is missing")
        try:
            return cls.model_validate_json(path.read_text())
        except ValueError as e:
            raise AdapterError(str(folder), f"invalid {MANIFEST}: {e}") from e


def base_fingerprint(model_dir: str | Path) -> str:
    """Identity of a local base model [hex]: its ``config.json`` plus the size and first MiB of
    each weight file, so two bases differing in shape or in trained weights never match."""
    root = Path(model_dir)
    config = root / "config.json"
    if not config.exists():
        raise AdapterError(str(root), "not a model folder: config.json missing")
    h = hashlib.sha256(json.dumps(json.loads(config.read_text()), sort_keys=True).encode())
    for f in sorted(root.glob("*.safetensors")) + sorted(root.glob("*.bin")):
        h.update(f"{f.name}:{f.stat().st_size}".encode())
        with f.open("rb") as fh:
            h.update(fh.read(_HEAD))
    return h.hexdigest()[:16]


def data_hash(lines: Iterable[str]) -> str:
    """SHA-256 of training records, one per line [hex]."""
    h = hashlib.sha256()
    for line in lines:
        h.update(line.encode())
        h.update(b"\n")
    return h.hexdigest()[:16]


def check_adapter_files(folder: str | Path) -> None:
    """Raise :class:`AdapterError` naming each PEFT file missing from ``folder``."""
    missing = [f for f in ADAPTER_FILES if not (Path(folder) / f).exists()]
    if missing:
        raise AdapterError(str(folder), f"missing {', '.join(missing)}")
