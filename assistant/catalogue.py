"""Measures and figures read out of the indexed sentences, kept as a derived side file.

Built from the store after every change (like the BM25 index, it records the fingerprint of
the chunk ids it was built from). Extraction is rule-based and works on text it has never seen:
a *measure* is a sentence that names a system, platform, mode, mechanism, programme or the like
(or quotes a name) and says what was done; the *facts* are the documents' figures as records
(`assistant.facts`).
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from assistant.answering.bank import ChunkRecord, assemble, documents_of
from assistant.facts import NOT_FIGURES, Fact, citation, facts_of
from assistant.lexical import fingerprint

log = logging.getLogger(__name__)

EXTRACTOR_VERSION = 11  # bump when extraction changes: saved catalogues are then rebuilt

CUE = (r"system|platform|mode|mechanism|model|scheme|programme|program|window|warehouse|"
       r"measures?|list|lane|channel|service|services|reform|pilot|certificate|policy|"
       r"licensing|registration|port area|centre|center|exemption|quota|tariff")
FUNCTION_WORD = (r"(?:in|with|a|an|the|of|to|and|for|on|by|its|their|is|are|was|were|has|have|"
                 r"that|which|as|at|from|first|new|china)")
CUE_PHRASE = re.compile(rf"\b((?:(?!{FUNCTION_WORD}\b)[\w'-]+\s+){{1,5}}(?:{CUE}))\b"
                        rf"(?:\s+(?:for|of)\s+(?:[\w'-]+\s+){{0,4}}[\w'-]+)?", re.I)
ACTION = re.compile(r"\b(?:launch|introduc|pioneer|issu|creat|set up|establish|implement|"
                    r"first in china|china's first|allow|let|lets|appl(?:y|ies)|support|"
                    r"deepen|simplif|facilitat|speed|sav|cut|reduc|extend|enabl|will\b|"
                    r"is to be|are to be|focus|priorit|chiefly|mainly)", re.I)
TITLE_LINE = re.compile(r"^(?:[A-Z][\w'&-]*|of|in|for|and|on|the|to|a)(?:\s+(?:[A-Z][\w'&()-]*|of|"
                        r"in|for|and|on|the|to|a|\(\d+ \w+\)))*\.?$")
QUOTED = re.compile(r"[\"“]([^\"”]{3,90})[\"”]")
LABEL = re.compile(r"^([A-Z][^:]{2,70}):\s")
STOP_NAMES = re.compile(r"^(?:the|a|an|this|these|its|their|new|such)\s+", re.I)

SECTOR_CUES: dict[str, tuple[str, ...]] = {
    "shipping and ports": ("ships?", "vessel", "voyage", "ports?", "port-entry", "shipping",
                           "berth", "maritime", "crew", "bunker"),
    "ore and commodities": ("ores?", "mineral", "blending", "bulk", "commodit", "iron"),
    "cold chain and seafood": ("cold chain", "aquatic", "seafood", "frozen", "fish",
                               "refrigerat"),
    "customs clearance and certificates": ("customs", "clearance", "inspection", "quarantine",
                                           "certificate", "declaration", "supervision"),
    "finance and banking": ("financ", "bank", "rmb", "settlement", "fund", "capital",
                            "currency", "insurance"),
    "licensing and registration": ("licens", "registration", "register", "approval", "permit",
                                   "examination", "window"),
    "foreign investment": ("foreign invest", "negative list", "overseas investor", "equity",
                           "foreign-invested"),
    "tariffs and duty-free": ("tariff", "duty-free", "duty free", "tax", "zero-tariff"),
    "cross-border e-commerce": ("e-commerce", "ecommerce", "online retail"),
    "logistics and transport": ("logistic", "transport", "road", "rail", "freight", "truck",
                                "multimodal", "hazardous"),
    "data and digital": ("data", "digital", "information technology"),
    "manufacturing and equipment": ("manufactur", "equipment", "industr", "processing"),
    "aviation": ("aviation", "aircraft", "airport"),
    "trade facilitation": ("trade facilitation", "single window", "import", "export"),
}

YEAR = re.compile(r"\b(?:19|20)\d\d\b")


@dataclass
class Measure:
    measure: str
    summary: str
    zone: str
    sectors: list[str]
    figures: list[str]
    sentence_id: str
    citation: dict[str, Any]


SECTORS = {name: re.compile(r"\b(?:" + "|".join(cues) + ")", re.I)
           for name, cues in SECTOR_CUES.items()}


def sectors_of(text: str) -> list[str]:
    """The sectors and activities a text is about (word-prefix cues)."""
    return [name for name, pattern in SECTORS.items() if pattern.search(text)]


def measure_name(sentence: str) -> str | None:
    """The name of the measure a sentence describes, or None if it describes none. An
    "Area: activities" line (what an area focuses on) counts too, named by its label."""
    label = LABEL.match(sentence)
    area = label.group(1).strip() if (
        label and len(label.group(1).split()) <= 4 and not YEAR.search(label.group(1))
        and len(sectors_of(sentence[label.end():])) >= 2) else None
    quoted = [q.strip() for q in QUOTED.findall(sentence)]
    cued = [q for q in quoted if re.search(rf"\b(?:{CUE})\b", q, re.I)]
    titled = [q for q in quoted if len(q.split()) >= 2 and all(w[0].isupper() for w in q.split()
                                                                if w[0].isalpha())]
    phrase = CUE_PHRASE.search(sentence)
    if not (ACTION.search(sentence) or label) or not (quoted or phrase or area):
        return None
    if cued or titled:
        return (cued or titled)[0]
    name = STOP_NAMES.sub("", phrase.group(0).strip()) if phrase else ""
    name = re.sub(rf"(?:\s+{FUNCTION_WORD})+$", "", name, flags=re.I).strip(" -")
    if len(name.split()) >= 2:
        return name
    if quoted or area:
        return quoted[0] if quoted else area
    if label and len(label.group(1).split()) >= 2 and not YEAR.search(label.group(1)):
        return label.group(1).strip().rstrip(".")
    return quoted[0] if quoted else None


def extract(chunks: Iterable[ChunkRecord]) -> list[Measure]:
    """The measures of the chunks' sentences. A short title-like sentence ("Convenience in
    Administrative Licensing.") names the measure that the next sentence describes."""
    measures = []
    for chunk in chunks:
        # "Guangdong FTZ (also Shanghai, Tianjin and Fujian FTZs)": the aside is no zone
        zone = re.sub(r"\s*\(.*?\)", "", str(chunk.metadata.get("zone", "")))
        title_line = ""
        for sentence in chunk.sentences:
            text = sentence.text
            figures = [f.text for f in sentence.notes.figures if f.kind not in NOT_FIGURES]
            name = measure_name(text) if not title_line else title_line.rstrip(".")
            if name:
                summary = f"{title_line} {text}".strip()
                context = f"{summary} {chunk.metadata.get('section', '')} " \
                          f"{chunk.metadata.get('title', '')}"
                measures.append(Measure(name, summary, zone, sectors_of(context), figures,
                                        sentence.id, citation(chunk.metadata, summary)))
            short = len(text.split()) <= 10 and TITLE_LINE.match(text) and not figures
            title_line = text if short else ""
    return measures


class Catalogue:
    """Measures and facts on disk (`catalogue.json`), rebuilt when the store changes."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self.fingerprint = ""
        self.measures: list[Measure] = []
        self.facts: list[Fact] = []

    def load(self) -> bool:
        try:
            data = json.loads(self._path.read_text(encoding="utf-8"))
            if data.get("version") != EXTRACTOR_VERSION:
                log.info("catalogue made by an older extractor; it will be rebuilt")
                return False
            self.measures = [Measure(**m) for m in data["measures"]]
            self.facts = [Fact(**f) for f in data["facts"]]
            self.fingerprint = data["fingerprint"]
        except FileNotFoundError:
            return False
        except (ValueError, KeyError, TypeError) as error:
            log.warning("catalogue at %s is damaged (%s); it will be rebuilt", self._path, error)
            return False
        return True

    def rebuild(self, store: Any) -> None:
        chunks, _ = assemble(store.iter_chunks(), store.iter_sentences())
        self.measures = extract(chunks.values())
        self.facts = facts_of(chunks.values(), documents_of(chunks.values()))
        self.fingerprint = fingerprint(chunks)
        self._path.parent.mkdir(parents=True, exist_ok=True)
        staging = self._path.with_suffix(".json.new")
        staging.write_text(json.dumps({
            "fingerprint": self.fingerprint, "version": EXTRACTOR_VERSION,
            "measures": [asdict(m) for m in self.measures],
            "facts": [asdict(f) for f in self.facts],
        }, ensure_ascii=False), encoding="utf-8")
        staging.replace(self._path)
        log.info("catalogue rebuilt: %d measures, %d facts", len(self.measures), len(self.facts))
