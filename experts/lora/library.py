"""The skill library on disk: ``<root>/<skill>/`` holds a PEFT adapter and its manifest.

Adding copies into a temporary folder and renames it into place, so a failed add leaves no
half-written skill. Loading checks that every adapter was trained on the base in use.

>>> lib = SkillLibrary("/tmp/peoa-doc-lib-empty")  # no I/O here
>>> lib.names()
[]
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

from experts.errors import AdapterError, UnknownSkillError
from experts.lora.manifest import Manifest, base_fingerprint, check_adapter_files

ROUTER_DIR = "_router"


class SkillLibrary:
    """Skill adapters under ``root`` (folders starting with ``_`` are the library's own)."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)

    def names(self) -> list[str]:
        """Skills in the library, sorted."""
        if not self.root.exists():
            return []
        return sorted(
            p.name for p in self.root.iterdir() if p.is_dir() and not p.name.startswith(("_", "."))
        )

    def path(self, skill: str) -> Path:
        """Folder of ``skill``; raises :class:`UnknownSkillError` when absent."""
        folder = self.root / skill
        if skill.startswith(("_", ".")) or not folder.is_dir():
            raise UnknownSkillError(skill, self.names())
        return folder

    def manifest(self, skill: str) -> Manifest:
        """The manifest of ``skill``."""
        return Manifest.load(self.path(skill))

    def manifests(self) -> list[Manifest]:
        """Every skill's manifest."""
        return [self.manifest(s) for s in self.names()]

    def add(
        self, adapter_dir: str | Path, manifest: Manifest | None = None, *, overwrite: bool = False
    ) -> Path:
        """Copy a PEFT adapter folder into the library under its manifest's skill name.

        ``manifest`` defaults to the one in ``adapter_dir``. Raises :class:`AdapterError` for
        missing files or an existing skill (unless ``overwrite``).
        """
        src = Path(adapter_dir)
        check_adapter_files(src)
        manifest = manifest or Manifest.load(src)
        dest = self.root / manifest.skill
        if dest.exists() and not overwrite:
            raise AdapterError(
                str(src), f"skill {manifest.skill!r} already in the library {self.root}"
            )
        self.root.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{manifest.skill}-", dir=self.root))
        try:
            for f in src.iterdir():
                if f.is_file():
                    shutil.copy2(f, tmp / f.name)
            manifest.save(tmp)
            if dest.exists():
                shutil.rmtree(dest)
            tmp.rename(dest)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        return dest

    def remove(self, skill: str) -> None:
        """Delete ``skill`` from the library."""
        shutil.rmtree(self.path(skill))

    def check_base(self, skills: list[str], base_dir: str | Path) -> str:
        """The base's fingerprint, after checking every skill was trained on it."""
        fp = base_fingerprint(base_dir)
        for s in skills:
            m = self.manifest(s)
            if m.base_fingerprint != fp:
                raise AdapterError(
                    str(self.path(s)),
                    f"trained on base {m.base_model!r} ({m.base_fingerprint}), "
                    f"not on {base_dir} ({fp})",
                )
        return fp

    def load(self, model: Any, skills: list[str], base_dir: str | Path) -> Any:
        """A PeftModel on ``model`` (loaded from ``base_dir``) holding the adapters of ``skills``."""
        from peft import PeftModel

        if not skills:
            raise ValueError("no skills to load")
        self.check_base(skills, base_dir)
        for s in skills:
            check_adapter_files(self.path(s))
        peft_model = PeftModel.from_pretrained(model, self.path(skills[0]), adapter_name=skills[0])
        for s in skills[1:]:
            peft_model.load_adapter(self.path(s), adapter_name=s)
        peft_model.eval()
        return peft_model
