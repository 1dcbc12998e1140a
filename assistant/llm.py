"""The chat model behind generative answers, built from `Settings` (imports are lazy: a backend's
package is loaded only when that backend is chosen)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from assistant.config import Settings
from assistant.errors import UserError

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

MAX_TOKENS = 320  # a cited answer of at most 800 characters, with room for dropped sentences
CONTEXT_TOKENS = 4096  # the prompt: instructions, five passages and the question
NO_KEY = "not-needed"  # local OpenAI-compatible servers want some key, and check none
MISSING_EXTRA = ("FTZ_LLM=llamacpp needs the optional extra: "
                 "pip install 'ftz-assistant[llamacpp]'")


def build_chat_model(settings: Settings) -> BaseChatModel | None:
    """The configured chat model, or None when `FTZ_LLM` is `none` (extractive answers)."""
    if settings.llm == "none":
        return None
    builders = {"openai": _openai, "ollama": _ollama, "llamacpp": _llamacpp}
    return builders[settings.llm](settings)


def _model_name(settings: Settings) -> str:
    if not settings.llm_model:
        raise UserError(f"FTZ_LLM={settings.llm} needs FTZ_LLM_MODEL, the model's name "
                        "on the server")
    return settings.llm_model


def _openai(settings: Settings) -> BaseChatModel:
    """Any OpenAI-compatible server (vLLM, llama.cpp's server, ...) at FTZ_LLM_BASE_URL."""
    from langchain_openai import ChatOpenAI

    if not settings.llm_base_url and not settings.llm_api_key:
        raise UserError("FTZ_LLM=openai needs FTZ_LLM_BASE_URL (an OpenAI-compatible server) "
                        "or FTZ_LLM_API_KEY")
    return ChatOpenAI(
        model=_model_name(settings), base_url=settings.llm_base_url,
        api_key=settings.llm_api_key or NO_KEY, timeout=settings.llm_timeout, max_retries=0,
        temperature=0, max_tokens=MAX_TOKENS,
    )


def _ollama(settings: Settings) -> BaseChatModel:
    """An Ollama server (FTZ_LLM_BASE_URL, else Ollama's default address)."""
    from langchain_ollama import ChatOllama

    return ChatOllama(
        model=_model_name(settings), base_url=settings.llm_base_url, temperature=0,
        num_predict=MAX_TOKENS, num_ctx=CONTEXT_TOKENS,
        client_kwargs={"timeout": settings.llm_timeout},
    )


def _llamacpp(settings: Settings) -> BaseChatModel:
    """A local GGUF file run in this process by llama-cpp-python (the `llamacpp` extra)."""
    path = Path(settings.llm_model_path or "")
    if not settings.llm_model_path or not path.is_file():
        raise UserError("FTZ_LLM=llamacpp needs FTZ_LLM_MODEL_PATH, the path of a .gguf file"
                        + (f" (no file at {path})" if settings.llm_model_path else ""))
    try:
        from langchain_community.chat_models import ChatLlamaCpp
    except ImportError as error:
        raise UserError(MISSING_EXTRA) from error
    try:
        return ChatLlamaCpp(model_path=str(path), n_ctx=CONTEXT_TOKENS, n_batch=512,
                            max_tokens=MAX_TOKENS, temperature=0, verbose=False)
    except ImportError as error:  # langchain-community present, llama-cpp-python missing
        raise UserError(MISSING_EXTRA) from error
    except ValueError as error:  # the file is not a model llama.cpp can load
        raise UserError(f"cannot load the GGUF model at {path}") from error
