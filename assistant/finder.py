"""The policy finder (which measures fit an enterprise) and the figures, over the catalogue."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import asdict
from typing import Any

import numpy as np

from assistant.catalogue import Catalogue, Measure, sectors_of
from assistant.errors import UserError
from assistant.lexical import analyze

MAX_PROFILE_CHARS = 2000


class PolicyFinder:
    """Ranks catalogue measures against an enterprise's own description of itself."""

    def __init__(self, catalogue: Catalogue, store: Any, embeddings: Any, lexical: Any,
                 min_score: float = 0.45, refresh: Callable[[], object] | None = None) -> None:
        self._catalogue = catalogue
        self._store = store
        self._embeddings = embeddings
        self._lexical = lexical
        self._min_score = min_score
        self._vectors: tuple[str, np.ndarray] | None = None
        self._refresh = refresh

    def _measure_vectors(self) -> np.ndarray:
        """One vector per measure (its sentence's stored vector), cached per catalogue."""
        if self._vectors is None or self._vectors[0] != self._catalogue.fingerprint:
            ids = [m.sentence_id for m in self._catalogue.measures]
            found = self._store.sentence_vectors(ids)
            matrix = np.array([found.get(i, np.zeros(384)) for i in ids], dtype=np.float32)
            self._vectors = (self._catalogue.fingerprint, matrix.reshape(len(ids), -1))
        return self._vectors[1]

    def find(self, profile: str, zone: str | None = None, sector: str | None = None,
             k: int = 10) -> list[dict[str, Any]]:
        """Applicable measures, best first; empty when nothing fits well enough."""
        profile = " ".join(profile.split())
        if not profile:
            raise UserError("Describe the enterprise first (what it does, where, what it trades).")
        if len(profile) > MAX_PROFILE_CHARS:
            raise UserError(f"The description is too long (at most {MAX_PROFILE_CHARS} "
                            "characters).")
        if self._refresh:
            self._refresh()
        measures = self._catalogue.measures
        if not measures:
            return []
        similarity = self._measure_vectors() @ np.asarray(
            self._embeddings.embed_query(profile), dtype=np.float32)
        wanted_sectors = set(sectors_of(profile))
        terms = set(analyze(profile))
        weights = {t: max(self._lexical.idf(t), 0.1) for t in terms}
        total = sum(weights.values()) or 1.0
        ranked: dict[str, tuple[float, Measure, list[str], list[str]]] = {}
        for measure, dense in zip(measures, similarity, strict=True):
            if zone and zone.lower() not in measure.zone.lower():
                continue
            if sector and sector not in measure.sectors:
                continue
            shared_terms = sorted(terms & set(analyze(f"{measure.measure} {measure.summary}")))
            shared_sectors = sorted(wanted_sectors & set(measure.sectors))
            score = (float(dense) + 0.35 * sum(weights[t] for t in shared_terms) / total
                     + (0.1 if shared_sectors else 0.0))
            key = measure.measure.lower()
            if key not in ranked or ranked[key][0] < score:
                ranked[key] = (score, measure, shared_sectors, shared_terms)
        best = sorted(ranked.values(), key=lambda item: item[0], reverse=True)
        return [
            {"measure": m.measure, "summary": m.summary, "zone": m.zone,
             "why": _why(sectors, words), "sectors": m.sectors, "figures": m.figures,
             "score": round(score, 3), "citations": [m.citation]}
            for score, m, sectors, words in best[:k] if score >= self._min_score
        ]

    def facts(self, zone: str | None = None) -> list[dict[str, Any]]:
        """Every figure in the documents as a record (optionally of one place and the places
        within it: "Liaoning" takes in "Liaoning FTZ / Dalian Area"), in document order."""
        if self._refresh:
            self._refresh()
        return [asdict(f) for f in self._catalogue.facts
                if not zone or zone.lower() in f.place.lower()]

    def zones(self) -> list[str]:
        return sorted({re.sub(r"\s*\(.*?\)", "", m.zone) for m in self._catalogue.measures
                       if m.zone})


def _why(sectors: list[str], terms: list[str]) -> str:
    parts = []
    if sectors:
        parts.append("your activity: " + ", ".join(sectors))
    if terms:
        parts.append("shared terms: " + ", ".join(terms[:6]))
    return "; ".join(parts) or "close in meaning to your description"
