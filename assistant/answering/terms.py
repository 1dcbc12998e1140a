"""Words that mean nearly the same: a question's "firms" finds a sentence's "enterprises".

Each term of the indexed text (a stem, represented by its most frequent written word) gets a
vector from the embedding model, kept in a side file beside the index and extended when the
library grows. A question term's *kin* are the indexed terms whose vectors are at least
`similarity` close to its own; a sentence covers the term if it holds the term or one of its
kin.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import re
import threading
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from lemminflect import getAllInflections, getLemma

from assistant.files import write_atomically
from assistant.lexical import STOPWORDS, analyze

log = logging.getLogger(__name__)

WORD = re.compile(r"[a-z]{3,}")
# Words that name one measure however a writer puts it, which vectors of single words do not
# see: an economics acronym and the word it stands for ("foreign capital" is foreign
# investment too), the words for investment actually put to use ("paid-in FDI" is
# "actually used foreign investment"), what a maker turns out ("output", "produced") and what
# a port moves ("throughput", "handled").
SAME_MEASURE = ("fdi investment capital", "paid actual actually utilized utilised realized used",
                "teu teus container containers",
                "output production produced", "throughput handled")


def _measure_kin() -> dict[str, frozenset[str]]:
    kin: dict[str, frozenset[str]] = {}
    for words in SAME_MEASURE:
        group = frozenset(analyze(words))
        for term in group:
            kin[term] = kin.get(term, frozenset()) | (group - {term})
    return kin


MEASURE_KIN = _measure_kin()


@lru_cache(maxsize=4096)
def verb_forms(word: str) -> frozenset[str]:
    """The stems of every form of the verb a word is a form of ("begin" -> began, begun,
    begin...): a stemmer leaves irregular forms apart, a lemmatiser brings them together."""
    forms: set[str] = set()
    for lemma in getLemma(word, upos="VERB"):
        for written in getAllInflections(lemma, upos="VERB").values():
            forms.update(stem for form in written for stem in analyze(form))
    return frozenset(forms)


class TermVectors:
    """Vectors of the indexed terms, and each question term's kin among them."""

    def __init__(self, embeddings: Any, folder: Path | None, similarity: float = 0.7) -> None:
        self._embeddings = embeddings
        self._folder = folder
        self._similarity = similarity
        self._lock = threading.Lock()
        self._terms: list[str] = []
        self._index: dict[str, int] = {}
        self._matrix = np.zeros((0, 1), dtype=np.float32)
        self._query_cache: dict[str, np.ndarray] = {}

    def prepare(self, texts: Iterable[str]) -> None:
        """Vectors for every term of the texts: from the side file where it has them, from
        the model for the rest (and the side file updated)."""
        written = _written_forms(texts)
        terms = sorted(written)
        known = self._load()
        missing = [t for t in terms if t not in known]
        if missing:
            log.info("embedding %d new terms", len(missing))
            vectors = self._embeddings.embed_documents([written[t] for t in missing])
            known.update(zip(missing, (np.asarray(v, dtype=np.float32) for v in vectors),
                             strict=True))
            self._save(known)
        with self._lock:
            self._terms = terms
            self._index = {t: i for i, t in enumerate(terms)}
            self._matrix = np.vstack([known[t] for t in terms]) if terms else np.zeros(
                (0, 1), dtype=np.float32)

    def unknown(self, terms: Iterable[str], written: dict[str, str]) -> list[str]:
        """The written words of the terms that have no vector yet (to embed together with
        the question: one call to the model)."""
        with self._lock:
            index = self._index
        return list(dict.fromkeys(written.get(t, t) for t in terms if t not in index
                                  and written.get(t, t) not in self._query_cache))

    def learn(self, words: list[str], vectors: list[list[float]]) -> None:
        """Vectors for words of questions (kept for later questions too)."""
        if len(self._query_cache) > 10_000:
            self._query_cache.clear()
        for word, vector in zip(words, vectors, strict=True):
            self._query_cache[word] = np.asarray(vector, dtype=np.float32)

    def kin(self, terms: Iterable[str], written: dict[str, str], among: Iterable[str]
            ) -> dict[str, frozenset[str]]:
        """For each term, the terms `among` the given ones that are close to it in meaning
        (itself excluded), the other forms of its verb, and the words of the same measure
        (`SAME_MEASURE`); a term
        without a vector (see `unknown`) has only these."""
        with self._lock:
            matrix, index = self._matrix, self._index
        others = [t for t in among if t in index]
        wanted = [(t, matrix[index[t]] if t in index else self._query_cache.get(
            written.get(t, t))) for t in terms]
        found = [(t, v) for t, v in wanted if v is not None]
        out = {t: MEASURE_KIN.get(t, frozenset()) | (verb_forms(written.get(t, t)) - {t})
               for t in terms}
        if not others or not found:
            return out
        similar = np.vstack([v for _, v in found]) @ matrix[[index[t] for t in others]].T
        for (term, _), row in zip(found, similar, strict=True):
            out[term] = out[term] | frozenset(
                others[i] for i in np.nonzero(row >= self._similarity)[0]) - {term}
        return out

    def _load(self) -> dict[str, np.ndarray]:
        if self._folder is None:
            return {}
        try:
            words = json.loads((self._folder / "terms.json").read_text(encoding="utf-8"))
            matrix = np.load(self._folder / "vectors.npy")
            if len(words["terms"]) != len(matrix) or words["check"] != _check(words["terms"]):
                raise ValueError("terms and vectors do not match")
        except FileNotFoundError:
            return {}
        except (ValueError, KeyError, OSError) as error:
            log.warning("term vectors at %s are damaged (%s); they will be rebuilt",
                        self._folder, error)
            return {}
        return dict(zip(words["terms"], matrix, strict=True))

    def _save(self, known: dict[str, np.ndarray]) -> None:
        if self._folder is None:
            return
        terms = sorted(known)
        vectors = io.BytesIO()
        np.save(vectors, np.vstack([known[t] for t in terms]))
        write_atomically(self._folder / "vectors.npy", vectors.getvalue())
        write_atomically(self._folder / "terms.json",
                         json.dumps({"terms": terms, "check": _check(terms)}))


def _written_forms(texts: Iterable[str]) -> dict[str, str]:
    """Each term (stem) of the texts with its most frequent written word."""
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(w for w in WORD.findall(text.lower()) if w not in STOPWORDS)
    forms: dict[str, str] = {}
    for word, _ in counts.most_common():
        stems = analyze(word)
        if stems:
            forms.setdefault(stems[0], word)
    return forms


def written_forms(text: str) -> dict[str, str]:
    """The terms of one text with the words they were written as."""
    return _written_forms([text])


def _check(terms: list[str]) -> str:
    return hashlib.sha256("\n".join(terms).encode("utf-8")).hexdigest()[:16]
