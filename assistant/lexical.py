"""BM25 over chunk texts (bm25s), persisted beside the Chroma index and kept in step with it,
with each term's document frequency (for the answer scorer's term weights).

The index is derived data: it records a fingerprint of the chunk ids it was built from, and is
rebuilt from the store whenever that fingerprint no longer matches (after a change, a crash, or
a damaged file).
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import re
import shutil
import threading
from collections import Counter
from collections.abc import Collection, Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

log = logging.getLogger(__name__)

TOKEN = re.compile(r"[\u3400-\u9fff]+|[a-z0-9]+(?:[.,/][0-9]+)*")
CJK_RUN = re.compile(r"^[\u3400-\u9fff]+$")
STOPWORDS = frozenset("""
a an and are as at be by did do does for from had has have how in is it its of on or that the
this to was were what when where which who why will with we our us you your there their they
any can could would should about into than then also
re ve ll s d
""".split())  # the last line: what contractions leave ("we're", "Nansha's", "they'd")


def _bm25s() -> Any:
    """The bm25s module, with its debug chatter silenced."""
    import bm25s

    logging.getLogger("bm25s").setLevel(logging.WARNING)
    return bm25s


@lru_cache(maxsize=1)
def _stemmer() -> Any:
    import Stemmer

    return Stemmer.Stemmer("english")


def _jieba_words(run: str) -> list[str]:
    import jieba

    jieba.setLogLevel(logging.WARNING)
    return [word for word in jieba.lcut(run) if word.strip()]


NUMBER_WORDS = {word: str(n) for n, word in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve".split())}
ORDINAL = re.compile(r"^(\d+)(?:st|nd|rd|th)$")


def _term(token: str) -> str:
    """Digits for number words and ordinals ("ten", "10th" -> "10"), no commas in numbers."""
    if token[0].isdigit():
        ordinal = ORDINAL.match(token)
        return ordinal.group(1) if ordinal else token.replace(",", "")
    return NUMBER_WORDS.get(token, token)


# A total named by its two parts is one term: "imports and exports" (and "foreign trade") is
# trade, so that a question about exports alone does not find it, and one about trade does.
COMPOUNDS = ((re.compile(r"\b(?:imports? (?:and|plus|&|\+) exports?|exports? (?:and|plus|&|\+) "
                         r"imports?|imports?\s*\+\s*exports?|import-export|foreign trade)\b"),
              "trade"),)


def join_compounds(text: str) -> str:
    """The text (lower-cased) with each total named by its parts as one word ("trade")."""
    text = text.lower()
    for pattern, term in COMPOUNDS:
        text = pattern.sub(term, text)
    return text


def analyze(text: str) -> list[str]:
    """Lexical terms: lower-cased, English stemmed without stop words, Chinese segmented."""
    terms: list[str] = []
    text = join_compounds(text)
    for match in TOKEN.finditer(text):
        token = match.group(0)
        if CJK_RUN.match(token):
            terms.extend(_jieba_words(token))
        elif token not in STOPWORDS:
            terms.append(_term(token))
    stemmer = _stemmer()
    return [stemmer.stemWord(t) if t.isalpha() and t.isascii() else t for t in terms]


def fingerprint(ids: Iterable[str]) -> str:
    """Order-free digest of a set of chunk ids."""
    digest = hashlib.sha256()
    for chunk_id in sorted(ids):
        digest.update(chunk_id.encode("utf-8") + b"\n")
    return digest.hexdigest()


class LexicalIndex:
    """A persisted BM25 index of chunk texts, addressed by chunk id."""

    def __init__(self, folder: Path) -> None:
        self._folder = folder
        self._lock = threading.Lock()
        self._retriever: Any = None
        self._ids: list[str] = []
        self._fingerprint = ""
        self._frequencies: dict[str, int] = {}
        # (a `later` set, the ids it was read against, its mask): see `_mask`
        self._later: tuple[Collection[str], list[str], np.ndarray] | None = None

    @property
    def fingerprint(self) -> str:
        return self._fingerprint

    def load(self) -> bool:
        """Load from disk; False (with a logged reason) when missing or damaged."""
        meta_path = self._folder / "ids.json"
        if not meta_path.exists():
            return False
        try:
            bm25s = _bm25s()
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            ids = list(meta["ids"])
            frequencies = {str(term): int(n) for term, n in meta["frequencies"].items()}
            retriever = bm25s.BM25.load(str(self._folder / "bm25")) if ids else None
            if meta["fingerprint"] != fingerprint(ids):
                raise ValueError("fingerprint does not match its ids")
        except Exception as error:
            log.warning("lexical index at %s is damaged (%s); it will be rebuilt",
                        self._folder, error)
            return False
        with self._lock:
            self._retriever, self._ids, self._fingerprint = retriever, ids, meta["fingerprint"]
            self._frequencies = frequencies
        return True

    def rebuild(self, chunks: Iterable[tuple[str, str]]) -> None:
        """Index (id, text) pairs and replace the saved index atomically."""
        bm25s = _bm25s()

        ids, corpus = [], []
        for chunk_id, text in chunks:
            ids.append(chunk_id)
            corpus.append(analyze(text) or ["_"])
        retriever = None
        staging = self._folder.with_name(self._folder.name + ".new")
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True)
        if ids:
            retriever = bm25s.BM25()
            retriever.index(corpus, show_progress=False)
            retriever.save(str(staging / "bm25"))
        print_ = fingerprint(ids)
        # each term's document frequency (how many chunks hold it), for `idf`
        frequencies = Counter(term for terms in corpus for term in set(terms))
        (staging / "ids.json").write_text(json.dumps(
            {"fingerprint": print_, "ids": ids, "frequencies": frequencies}), encoding="utf-8")
        old = self._folder.with_name(self._folder.name + ".old")
        shutil.rmtree(old, ignore_errors=True)
        if self._folder.exists():
            self._folder.rename(old)
        staging.rename(self._folder)
        shutil.rmtree(old, ignore_errors=True)
        with self._lock:
            self._retriever, self._ids, self._fingerprint = retriever, ids, print_
            self._frequencies = dict(frequencies)
        log.info("lexical index rebuilt: %d chunks", len(ids))

    def idf(self, term: str) -> float:
        """Inverse document frequency of an analysed term, as BM25 weighs it (0 for a term no
        chunk holds)."""
        with self._lock:
            frequency, total = self._frequencies.get(term, 0), len(self._ids)
        if not frequency:
            return 0.0
        return math.log(1 + (total - frequency + 0.5) / (frequency + 0.5))

    def search(self, query: str, k: int, later: Collection[str] = frozenset()
               ) -> list[tuple[str, float]]:
        """Best (chunk id, BM25 score) pairs for a query; only positive scores. With `later`,
        the best k chunks not in it, then the best k in it."""
        with self._lock:
            retriever, ids = self._retriever, self._ids
        terms = analyze(query)
        if retriever is None or not terms:
            return []
        if not later:
            return self._best(retriever, ids, terms, k, None)
        older = self._mask(ids, later)
        return [*self._best(retriever, ids, terms, k, 1.0 - older),
                *self._best(retriever, ids, terms, k, older)]

    @staticmethod
    def _best(retriever: Any, ids: list[str], terms: list[str], k: int,
              weights: np.ndarray | None) -> list[tuple[str, float]]:
        results, scores = retriever.retrieve(
            [terms], k=min(k, len(ids)), show_progress=False, n_threads=0, weight_mask=weights)
        return [
            (ids[int(doc)], float(score))
            for doc, score in zip(results[0], scores[0], strict=True)
            if score > 0
        ]

    def _mask(self, ids: list[str], later: Collection[str]) -> np.ndarray:
        """1 for each chunk in `later`, 0 for the others (kept for the last set asked: the
        engine asks with one set until the library changes)."""
        kept = self._later
        if kept is None or kept[0] is not later or kept[1] is not ids:
            mask = np.fromiter((chunk_id in later for chunk_id in ids), dtype=np.float32,
                               count=len(ids))
            kept = self._later = (later, ids, mask)
        return kept[2]
