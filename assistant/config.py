"""Typed settings read from `FTZ_*` environment variables; nothing is built at import time."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

SUPPORTED_SUFFIXES = (".md", ".markdown", ".txt", ".html", ".htm", ".pdf", ".docx")


class Settings(BaseSettings):
    """Every knob of the assistant; CLI flags override the environment."""

    model_config = SettingsConfigDict(env_prefix="FTZ_", frozen=True, extra="ignore")

    docs_dir: Path = Path("docs")
    index_dir: Path = Path("index")
    chroma_url: str | None = None
    collection: str = "ftz"
    admin_password: str | None = None

    llm: Literal["none", "openai", "ollama", "llamacpp"] = "none"
    llm_base_url: str | None = None
    llm_model: str | None = None
    llm_api_key: str | None = None
    llm_model_path: str | None = None
    llm_timeout: float = Field(default=20.0, gt=0)  # seconds a generative answer may take

    chunk_tokens: int = Field(default=200, ge=32, le=250)
    embed_batch_size: int = Field(default=64, ge=1)
    max_upload_mb: float = Field(default=20.0, gt=0)
    refresh_seconds: float = Field(default=10.0, ge=0)  # side-index check, see wiring
    answer_cache: int = Field(default=512, ge=0)  # answers kept for repeated questions; 0: off
    ignore_names: tuple[str, ...] = ("README.md", "SOURCES.md")


def load_settings(**overrides: Any) -> Settings:
    """Settings from the environment, with non-None keyword overrides (e.g. CLI flags) on top."""
    return Settings(**{key: value for key, value in overrides.items() if value is not None})
