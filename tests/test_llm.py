"""Building the chat model from settings, and the composition root choosing the engine."""

from __future__ import annotations

import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from langchain_ollama import ChatOllama
from langchain_openai import ChatOpenAI

from assistant.answering.engine import AnswerEngine
from assistant.config import load_settings
from assistant.errors import UserError
from assistant.generative import GenerativeEngine
from assistant.llm import build_chat_model
from assistant.wiring import Components


def test_none_means_no_chat_model() -> None:
    assert build_chat_model(load_settings(llm="none")) is None


def test_openai_points_at_the_configured_server_with_the_timeout() -> None:
    model = build_chat_model(load_settings(
        llm="openai", llm_base_url="http://127.0.0.1:9/v1", llm_model="qwen", llm_timeout=7))
    assert isinstance(model, ChatOpenAI)
    assert (model.openai_api_base, model.model_name) == ("http://127.0.0.1:9/v1", "qwen")
    assert model.request_timeout == 7
    assert model.max_retries == 0  # a dead server falls back at once, not after retries
    assert model.openai_api_key is not None  # local servers need some key


def test_openai_reads_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FTZ_LLM", "openai")
    monkeypatch.setenv("FTZ_LLM_BASE_URL", "http://127.0.0.1:9/v1")
    monkeypatch.setenv("FTZ_LLM_MODEL", "served")
    monkeypatch.setenv("FTZ_LLM_API_KEY", "secret-key")
    monkeypatch.setenv("FTZ_LLM_TIMEOUT", "3.5")
    model = build_chat_model(load_settings())
    assert isinstance(model, ChatOpenAI)
    assert model.openai_api_key.get_secret_value() == "secret-key"
    assert model.request_timeout == 3.5


@pytest.mark.parametrize(("overrides", "needs"), [
    ({"llm": "openai", "llm_model": "m"}, "FTZ_LLM_BASE_URL"),
    ({"llm": "openai", "llm_base_url": "http://127.0.0.1:9/v1"}, "FTZ_LLM_MODEL"),
    ({"llm": "ollama"}, "FTZ_LLM_MODEL"),
    ({"llm": "llamacpp"}, "FTZ_LLM_MODEL_PATH"),
    ({"llm": "llamacpp", "llm_model_path": "/nowhere/model.gguf"}, "no file at"),
])
def test_missing_settings_are_a_user_error(overrides: dict, needs: str) -> None:
    with pytest.raises(UserError, match=needs):
        build_chat_model(load_settings(**overrides))


def test_ollama_gets_model_address_and_timeout() -> None:
    model = build_chat_model(load_settings(
        llm="ollama", llm_model="llama3.2", llm_base_url="http://127.0.0.1:11434", llm_timeout=4))
    assert isinstance(model, ChatOllama)
    assert (model.model, model.base_url) == ("llama3.2", "http://127.0.0.1:11434")
    assert model.client_kwargs == {"timeout": 4}


def test_llamacpp_without_its_extra_is_a_clear_user_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    gguf = tmp_path / "model.gguf"
    gguf.write_bytes(b"GGUF")
    monkeypatch.setitem(sys.modules, "langchain_community.chat_models", None)  # not installed
    with pytest.raises(UserError, match=r"pip install 'ftz-assistant\[llamacpp\]'"):
        build_chat_model(load_settings(llm="llamacpp", llm_model_path=str(gguf)))


def test_llm_timeout_must_be_positive() -> None:
    with pytest.raises(ValueError, match="llm_timeout"):
        load_settings(llm_timeout=0)


def _components(tmp_path: Path, **overrides: object) -> Components:
    """Components whose retrieval parts are stand-ins (the engine only passes them on)."""
    components = Components(load_settings(index_dir=tmp_path / "index", **overrides))
    for part in ("retriever", "store", "embeddings", "lexical"):
        setattr(components, part, object())
    components.refresh = SimpleNamespace(now=lambda: None)
    return components


def test_the_engine_is_extractive_by_default(tmp_path: Path) -> None:
    assert type(_components(tmp_path).engine) is AnswerEngine


def test_the_engine_is_generative_when_a_chat_model_is_set(tmp_path: Path) -> None:
    engine = _components(tmp_path, llm="openai", llm_base_url="http://127.0.0.1:9/v1",
                         llm_model="m").engine
    assert isinstance(engine, GenerativeEngine)
