"""Configuration: environment (``PEOA_*``), then ``peoa.toml``, overridden by SDK arguments.

>>> s = Settings(llm="none", home="/tmp/peoa-doc")
>>> s.graph_uri.startswith("kuzu:"), s.llm_backend()
(True, ('none', ''))
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import Field, field_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from peoa.errors import ConfigError

DEFAULT_HOME = Path.home() / ".peoa"


class Settings(BaseSettings):
    """PEOA settings.

    ``llm``: ``none`` | ``hf:<local path>`` | ``openai:<base_url>#<model>``;
    ``graph``: ``kuzu:<path>`` (default under ``home``) | ``neo4j://host:port`` (or bolt://,
    neo4j+s://) with ``neo4j_user``/``neo4j_password``/``neo4j_database``;
    ``benchmarks``: folder of the benchmark suites; ``abduction_solver`` (ip | heuristic),
    ``abduction_delta`` (inconsistency threshold δ) and ``abduction_rules`` (a JSON file of learned
    error-detection rules, added to the declared ones) configure reconciliation;
    ``embedding_model``: a local sentence-transformers folder (default: the bundled MiniLM);
    ``max_steps``: action-generator steps per problem with an LLM; ``max_repairs``: revisions
    asked of an expert whose step failed (execution error, unit mismatch); ``llm_read``: with
    an LLM, also ask it to read each text problem (checked against the offline reading).
    ``skills``: the LoRA skill library folder (default ``home/skills``); ``base_model``: the local
    base model folder the adapters are trained on (default ``home/base``).
    """

    model_config = SettingsConfigDict(env_prefix="PEOA_", toml_file="peoa.toml", extra="ignore")

    llm: str = "none"
    graph: str | None = None
    home: Path = Field(default=DEFAULT_HOME)
    benchmarks: Path = Field(default=Path("../shared/benchmarks"))
    neo4j_user: str = "neo4j"
    neo4j_password: str = ""
    neo4j_database: str = "neo4j"
    max_rounds: int = Field(default=2, ge=0, le=10)
    max_steps: int = Field(default=6, ge=1, le=50)
    max_repairs: int = Field(default=2, ge=0, le=10)
    llm_read: bool = True
    workers: int = Field(default=1, ge=1, le=64)
    abduction_solver: str = Field(default="ip", pattern="^(ip|heuristic)$")
    abduction_delta: float = Field(default=0.1, ge=0.0, le=1.0)
    abduction_rules: Path | None = None
    embedding_model: Path | None = None
    skills: Path | None = None
    base_model: Path | None = None

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """SDK arguments > environment > peoa.toml."""
        return (init_settings, env_settings, TomlConfigSettingsSource(settings_cls))

    @field_validator("llm")
    @classmethod
    def _check_llm(cls, v: str) -> str:
        v = v.strip()
        if v == "none" or (v.startswith("hf:") and len(v) > 3):
            return v
        if v.startswith("openai:") and "#" in v and v.split("#", 1)[1]:
            return v
        raise ConfigError(
            "PEOA_LLM", v, "expected none | hf:<local path> | openai:<base_url>#<model>"
        )

    @field_validator("graph")
    @classmethod
    def _check_graph(cls, v: str | None) -> str | None:
        if v is None:
            return v
        if v.startswith(("kuzu:", "neo4j://", "neo4j+s://", "bolt://", "bolt+s://")):
            return v
        raise ConfigError("PEOA_GRAPH", v, "expected kuzu:<path> or neo4j://host:port")

    @property
    def graph_uri(self) -> str:
        """The graph URI, defaulting to an embedded Kùzu database under ``home``."""
        return self.graph or f"kuzu:{self.home / 'graph.kuzu'}"

    def llm_backend(self) -> tuple[str, str]:
        """``(kind, target)``: ``("none", "")``, ``("hf", path)`` or ``("openai", url#model)``."""
        if self.llm == "none":
            return "none", ""
        kind, _, target = self.llm.partition(":")
        return kind, target

    @property
    def skills_dir(self) -> Path:
        """The skill library folder."""
        return self.skills or self.home / "skills"

    @property
    def base_dir(self) -> Path:
        """The base model folder for LoRA skills."""
        return self.base_model or self.home / "base"

    def checkpoint_path(self) -> Path:
        """Where the SQLite checkpointer lives."""
        return self.home / "checkpoints.sqlite"


def load_settings(**overrides: Any) -> Settings:
    """Settings from the environment and ``peoa.toml``, with ``overrides`` on top."""
    return Settings(**{k: v for k, v in overrides.items() if v is not None})
