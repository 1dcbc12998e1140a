"""Typed settings read from `FTZ_*` environment variables; nothing is built at import time."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

RRF_K = 60  # reciprocal rank fusion's usual constant (Cormack et al. 2009)
SUPPORTED_SUFFIXES = (".md", ".markdown", ".txt", ".html", ".htm", ".pdf", ".docx")

# The answer model's weights, fitted on the tune question set by benchmarks/calibrate.py.
FITTED_WEIGHTS: dict[str, float] = {
    "bias": -2.136, "dense": 1.587, "coverage": 2.086,
    "focus": 0.000, "focus_near": 0.000, "open_focus": 2.190,
    "rank": 1.403, "names_sentence": 0.429, "names_local": 1.068,
    "names_document": 0.000, "names_missing": 0.000, "place_absent": 0.000,
    "place_conflict": -0.785, "place_broader": -0.939, "place_narrower": -0.508,
    "figure_elsewhere": -0.346, "period_match": 0.013, "period_context": 0.000,
    "period_conflict": -3.076, "period_absent": -1.531, "kind_match": 1.288,
    "kind_missing": -1.822, "figure_focus": 0.000, "quantity_missing": -2.076,
    "rate_mismatch": -1.457, "part_conflict": -0.957, "part_absent": -1.254,
    "role_conflict": -1.702, "long_question": 1.616, "entity_missing": -0.900,
    "event_missing": -0.883, "dense_gap": -1.159, "coverage_gap": -1.137,
    "focus_gap": -0.247, "focus_near_gap": 0.000, "open_focus_gap": -0.347,
}


class AnswerSettings(BaseModel):
    """The extractive answer engine's knobs (environment: `FTZ_ANSWER__THRESHOLD` and so on)."""

    model_config = ConfigDict(frozen=True)

    # retrieved chunks whose sentences compete (chosen with the weights by cross-validation in
    # benchmarks/calibrate.py: 8, 10, 12, 16 gave cite/refusal 0.86/0.87, 0.87/0.88,
    # 0.88/0.87, 0.85/0.87 on held-out documents)
    chunks: int = Field(default=10, ge=1, le=50)
    threshold: float = Field(default=0.86, ge=0, le=1)  # least probability that answers
    margin: float = Field(default=0.15, ge=0, le=1)  # runners-up this close to the best join
    term_similarity: float = Field(default=0.7, gt=0, le=1)  # words this close are synonyms
    # evidence against the question (another period, another place or a document that names
    # none of the places asked about, the whole zone's figure or one of its parts', growth
    # for a share, no figure of the kind asked at all, another numbered part: "the fifth
    # batch" for the sixth; another office: a deputy chief for the mayor): a sentence with
    # any of these cannot answer it. What a sentence merely lacks (a
    # name, the period, the words for the quantity, the numbered part) is weighed by the
    # answer model instead, as the words for it vary with who writes
    contradictions: tuple[str, ...] = (
        "period_conflict", "place_conflict", "place_broader", "place_narrower",
        "figure_elsewhere", "kind_missing", "rate_mismatch", "part_conflict", "role_conflict",
        "place_absent")
    weights: dict[str, float] = Field(default_factory=lambda: dict(FITTED_WEIGHTS))


class RetrievalSettings(BaseModel):
    """Hybrid retrieval's knobs (environment: `FTZ_RETRIEVAL__FETCH_K` and so on): three
    rankings of chunks fused by reciprocal rank (see assistant/retrieval.py)."""

    model_config = ConfigDict(frozen=True)

    k: int = Field(default=6, ge=1, le=100)  # chunks returned when the caller asks no number
    fetch_k: int = Field(default=20, ge=1, le=500)  # each ranking's length (sentences: twice)
    # each ranking's vote: the two dense rankings (the chunks of the best sentences, the best
    # chunk vectors) share one, BM25 over the chunk text has the other
    sentence_weight: float = Field(default=0.5, ge=0)
    chunk_weight: float = Field(default=0.5, ge=0)
    lexical_weight: float = Field(default=1.0, ge=0)
    rrf_k: int = Field(default=RRF_K, ge=1)  # the fusion's constant: 1 / (rrf_k + rank)
    # dense search compares the query with every vector in memory up to this many sentences
    # (or chunks); above it Chroma's HNSW index finds the nearest (approximately, but in
    # milliseconds where comparing with every row takes tens)
    exact_search_limit: int = Field(default=100_000, ge=0)


class FinderSettings(BaseModel):
    """The policy finder's knobs (environment: `FTZ_FINDER__PLACE` and so on): what a
    sentence's score adds to its closeness in meaning to the profile. Set before any score
    was seen and not fitted: 32 tune profiles cannot tell such settings apart
    (`benchmarks/finder.py` scores them)."""

    model_config = ConfigDict(frozen=True)

    lexical: float = Field(default=0.2, ge=0)  # its chunk's BM25 score, relative to the best
    shared_terms: float = Field(default=0.3, ge=0)  # the profile's words it holds, idf-weighted
    place: float = Field(default=0.15, ge=0)  # about the profile's place (+) or another (-)
    measure: float = Field(default=0.05, ge=0)  # it describes a measure
    min_score: float = Field(default=0.45, ge=0)  # a card scores at least this
    # ... and is at least this close in meaning (unrelated profiles come to about 0.16, the
    # tune profiles' best sentences to 0.40 and more)
    min_dense: float = Field(default=0.25, ge=0, le=1)
    # a neighbouring sentence of the card's scoring at most this much below it joins the
    # card ("Jiegao lies next to Muse." + "It runs under a ... supervision model.")
    companion_margin: float = Field(default=0.1, ge=0)
    lexical_chunks: int = Field(default=60, ge=1)  # chunks whose BM25 score counts
    # sentences (the best by meaning, or in a chunk BM25 found) that are scored in full
    shortlist: int = Field(default=400, ge=1)


class Settings(BaseSettings):
    """Every knob of the assistant; CLI flags override the environment."""

    model_config = SettingsConfigDict(env_prefix="FTZ_", frozen=True, extra="ignore",
                                      env_nested_delimiter="__")

    docs_dir: Path = Path("docs")
    index_dir: Path = Path("index")
    chroma_url: str | None = None
    collection: str = "ftz"
    admin_password: str | None = None
    staff_session_minutes: float = Field(default=120.0, gt=0)  # a staff sign-in lasts this long
    # after its n-th wrong staff password in a row a client (by address) is refused for
    # base * 2**(n-1) seconds, at most max; the failures of this many clients are kept
    sign_in_backoff_seconds: float = Field(default=1.0, gt=0)
    sign_in_backoff_max_seconds: float = Field(default=300.0, gt=0)
    sign_in_clients: int = Field(default=10_000, ge=1)

    llm: Literal["none", "openai", "ollama", "llamacpp"] = "none"
    llm_base_url: str | None = None
    llm_model: str | None = None
    llm_api_key: str | None = None
    llm_model_path: str | None = None
    llm_timeout: float = Field(default=20.0, gt=0)  # seconds a generative answer may take
    llm_passages: int = Field(default=5, ge=1, le=20)  # passages the chat model reads

    chunk_tokens: int = Field(default=200, ge=32, le=250)
    embed_batch_size: int = Field(default=64, ge=1)
    max_upload_mb: float = Field(default=20.0, gt=0)
    # one file's parsing, in a worker process (see ingest/sandbox.py): its address space,
    # the interpreter included (about 100 MB), and its wall time
    parse_memory_mb: int = Field(default=768, ge=256)
    parse_seconds: float = Field(default=60.0, gt=0)
    # uploaded files Gradio keeps are deleted this long after they arrived (checked as often)
    upload_cache_minutes: float = Field(default=60.0, gt=0)
    refresh_seconds: float = Field(default=10.0, ge=0)  # side-index check, see wiring
    answer_cache: int = Field(default=512, ge=0)  # answers kept for repeated questions; 0: off
    answer: AnswerSettings = Field(default_factory=AnswerSettings)
    retrieval: RetrievalSettings = Field(default_factory=RetrievalSettings)
    finder: FinderSettings = Field(default_factory=FinderSettings)
    ignore_names: tuple[str, ...] = ("README.md", "SOURCES.md")
    # a document with text that tries to steer the assistant: refused whole ("reject"), or
    # indexed without its steering blocks ("withhold"; see assistant/injection.py)
    steering: Literal["reject", "withhold"] = "reject"


def load_settings(**overrides: Any) -> Settings:
    """Settings from the environment, with non-None keyword overrides (e.g. CLI flags) on top."""
    return Settings(**{key: value for key, value in overrides.items() if value is not None})
