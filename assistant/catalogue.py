"""Measures and figures read out of the indexed sentences, kept as a derived side file.

Built from the store after every change (like the BM25 index, it records the fingerprint of
the chunk ids it was built from). Extraction is rule-based and works on text it has never seen:
a *measure* is a sentence that names a system, platform, mode, mechanism, programme or the like
(or quotes a name) and says what was done; a *figure* is a number with its qualifier and unit,
kept exactly as written.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from assistant.lexical import fingerprint

log = logging.getLogger(__name__)

EXTRACTOR_VERSION = 10  # bump when extraction changes: saved catalogues are then rebuilt

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

NUMBER = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
QUALIFIER = r"(?:more than|over|nearly|almost|about|around|up to|at least|less than|some)\s+"
FIGURE = re.compile(
    rf"(?<![\w.:/])(?P<value>(?:{QUALIFIER})?(?:\d+/\d+|\d+(?:st|nd|rd|th)\b|"
    rf"{NUMBER}(?:\s*(?:to|-|–)\s*{NUMBER})?)(?:\s+(?:billion|million|thousand|trillion))?)"
    rf"(?![\w:/]|\.\d)(?P<unit>\s*(?:%|per\s*cent|percent|square\s+kilomet(?:re|er)s|sq\.?\s*km|"
    rf"km²|km2|hectares?|mu\b|(?:billion\s+|million\s+)?(?:yuan|cny|rmb|us\s+dollars|dollars|"
    rf"usd)|hours?|days?|working\s+days|years?|months?|minutes?|weeks?|times\b)?)",
    re.I,
)
# the counted noun after a bare number: up to four words, stopping at a function word, a
# pronoun, or (after the first word, which may be an adjective such as "bonded") a participle
# or an adverb ("6,920 enterprises newly registered" -> "enterprises")
PRONOUN = r"(?:them|these|those|they|it|this)"
PARTICIPLE = (r"(?:[a-z]+(?:ed|ly)|set|chosen|made|done|taken|given|held|built|won|seen|known|"
              r"shown|put|cut|led|run|begun|grown|brought|sent|kept|paid|sold|found|"
              # and the verbs and prepositions that end a noun phrase
              r"under|over|within|into|across|through|between|after|before|during|since|until|"
              r"per|via|about|will|can|may|must|should|would|could|fall|falls|fell|come|comes|"
              r"came|cover|covers|include|includes|remain|remains|rank|ranks|reach|reaches|"
              r"become|becomes|became|make|makes|account|accounts)")
COUNTED = re.compile(rf"^\s*((?!{FUNCTION_WORD}\b|{PRONOUN}\b)[a-z][\w-]*"
                     rf"(?:\s+(?!{FUNCTION_WORD}\b|{PRONOUN}\b|{PARTICIPLE}\b)[a-z][\w-]*){{0,3}})",
                     re.I)
# "20 of its 134 institutional innovation achievements": the first number counts the same noun
OF_COUNTED = re.compile(rf"^\s*of\s+(?:(?:its|the|their|all|these)\s+)?(?:{NUMBER}\s+)?(.*)$",
                        re.I)
COUNT_LABEL = re.compile(r"(?:^|\s)(?:number|total number|count) of ([a-z][\w -]{1,40}?):\s*$",
                         re.I)
OWN_LABEL = re.compile(r"^\w[^:]{1,70}:\s")  # a clause with a label of its own ("sea area: ...")
SKIPPED_ADJECTIVE = re.compile(r"^\s*(?:new|more|other|additional|further)\s+", re.I)
HALF = re.compile(rf"(?<![\w-])(?P<value>(?:{QUALIFIER})half)(?= of\b)", re.I)
YEAR_ONLY = re.compile(r"^(?:19|20)\d\d$")
DATE_CONTEXT = re.compile(r"(?:january|february|march|april|may|june|july|august|september|"
                          r"october|november|december)\s*$", re.I)
NUMBERING = re.compile(r"(?:(?i:no\.|number|guo fa|article|note|part|batch|record|series|"
                       r"phase|round|chapter|section|item|page|version|edition)|(?!(?:The|A|An|"
                       r"Its|Their|These|Those|All|Some|Over|About|Nearly|Almost|Only|Another)\b)"
                       r"[A-Z][a-z]+)\s*$")
UNIT_NAMES = [
    ("%", re.compile(r"%|per\s*cent|percent", re.I)),
    ("km²", re.compile(r"square\s+kilomet|sq\.?\s*km|km²|km2", re.I)),
    ("hectares", re.compile(r"hectare", re.I)),
    ("yuan", re.compile(r"yuan|cny|rmb", re.I)),
    ("US dollars", re.compile(r"dollar|usd", re.I)),
    ("working days", re.compile(r"working\s+days", re.I)),
    ("hours", re.compile(r"hours?", re.I)),
    ("days", re.compile(r"days?", re.I)),
    ("years", re.compile(r"years?", re.I)),
    ("months", re.compile(r"months?", re.I)),
    ("minutes", re.compile(r"minutes?", re.I)),
    ("weeks", re.compile(r"weeks?", re.I)),
    ("times", re.compile(r"times", re.I)),
]
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


@dataclass
class Fact:
    value: str
    unit: str
    what: str
    zone: str
    date: str
    citations: list[dict[str, Any]] = field(default_factory=list)


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


def figures_in(sentence: str) -> list[tuple[str, str, str]]:
    """(value, unit, what) for each figure in a sentence, values exactly as written. Years,
    dates, clock times, document and list numbers, and ordinals that are no rank ("10th
    anniversary", "3rd plenary session", "18th National Congress") are left out."""
    found = []
    cells = [c.strip() for c in sentence.split(" | ")] if " | " in sentence else []
    for match in FIGURE.finditer(sentence):
        value, raw_unit = match.group("value").strip(), (match.group("unit") or "").strip()
        digits = re.sub(rf"^{QUALIFIER}", "", value, flags=re.I)
        before, after = sentence[: match.start()], sentence[match.end():]
        if (YEAR_ONLY.match(digits) or DATE_CONTEXT.search(before)
                or NUMBERING.search(before) and not raw_unit):
            continue
        if re.fullmatch(r"\d+(?:st|nd|rd|th)", digits):
            ranked = re.search(r"\b(?:rank(?:s|ed)?|placed|came)\s+(?:\w+\s+)?$", before, re.I) \
                or re.match(r"\s*(?:of|among|place|position|out of)\b|\s*[.;]?$", after) \
                or re.match(r"\s*in\s+(?:the\s+)?(?!\w+\s+(?:anniversary|session))", after)
            if not ranked:
                continue
            unit = "rank"
        elif "/" in digits:
            unit = "fraction"
        elif raw_unit:
            unit = next((name for name, pattern in UNIT_NAMES if pattern.search(raw_unit)),
                        raw_unit.lower())
        else:
            unit = _counted_noun(before, after) if not cells else _counted_noun(
                "", " " + re.sub(r"\(.*?\)", "", cells[0]))  # a row counts what its label says
        found.append((match.start(), value, unit, _what(sentence, match, cells)))
    for match in HALF.finditer(sentence):  # "nearly half of them" (number words such as
        # "three" are left out: in these texts they count aims and aspects more than figures)
        found.append((match.start(), match.group("value"), "fraction",
                      _what(sentence, match, cells)))
    return [(value, unit, what) for _, value, unit, what in sorted(found)]


def _counted_noun(before: str, after: str) -> str:
    """What a bare number counts: the noun after it ("6,920 enterprises newly registered"),
    the noun of "N of its M achievements", or the label of "Number of cases: 29"."""
    label = COUNT_LABEL.search(before)
    if label:
        return label.group(1).strip().lower()
    of = OF_COUNTED.match(after)
    rest = SKIPPED_ADJECTIVE.sub(" ", of.group(1) if of else after)
    counted = COUNTED.match(rest)
    if not counted:
        return "count"
    noun = counted.group(1).strip()
    joined = re.match(r"\s*and\s+", rest[counted.end():])  # "reform and innovation experiences"
    more = COUNTED.match(rest[counted.end() + joined.end():]) if joined else None
    # only a single word joined to a noun phrase: "trade and logistics firms", not "ports and
    # more"
    if more and len(noun.split()) == 1 and 2 <= len(more.group(1).split()) <= 3:
        noun = f"{noun} and {more.group(1).strip()}"
    return noun.lower()


def _what(sentence: str, match: re.Match[str], cells: list[str]) -> str:
    """What a figure measures: in a table row, the row's label with the figure's own cell
    when that says more; otherwise the clause (between semicolons) that holds it, under its
    label ("Land area: ...; sea area: ..." keeps each label with its own figure)."""
    if cells:
        cell = next((c for c in cells if match.group("value") in c), "")
        described = re.sub(rf"{re.escape(match.group(0).strip())}", "", cell).strip(" ,.;:")
        what = f"{cells[0]}: {cell}" if len(described.split()) >= 2 else cells[0]
        return " ".join(what.split()[:24])
    start = sentence.rfind("; ", 0, match.start())
    start = 0 if start < 0 else start + 2
    end = sentence.find("; ", match.end())
    part = sentence[start:] if end < 0 else sentence[start:end]
    label = LABEL.match(sentence)
    if start and label and not OWN_LABEL.match(part):
        part = f"{label.group(1)}: {part}"
    words = part.split()
    if len(words) > 24:  # a long clause: the words around the figure
        at = len(sentence[start:match.start()].split())
        words = words[max(0, at - 12):at + 12]
    return " ".join(words)


def _citation(chunk: dict[str, Any], sentence: str) -> dict[str, Any]:
    return {"n": 1, "source": chunk.get("source", ""), "title": chunk.get("title", ""),
            "section": chunk.get("section", ""), "page": int(chunk.get("page") or 0) or None,
            "snippet": sentence, "url": chunk.get("url") or None}


def extract(sentences: Iterable[Any], chunks: dict[str, dict[str, Any]]) -> tuple[list, list]:
    """Measures and facts from sentence hits (id, text, metadata) and chunk metadata by id.
    A short title-like sentence ("Convenience in Administrative Licensing.") names the
    measure that the next sentence describes."""
    by_chunk: dict[str, list[Any]] = {}
    for hit in sentences:
        by_chunk.setdefault(hit.metadata.get("chunk_id", ""), []).append(hit)
    measures, facts = [], []
    for chunk_id, hits in by_chunk.items():
        chunk = chunks.get(chunk_id)
        if chunk is None:
            continue
        title_line = ""
        for hit in sorted(hits, key=lambda h: int(h.metadata.get("position", 0))):
            # "Guangdong FTZ (also Shanghai, Tianjin and Fujian FTZs)": the aside is no zone
            text, zone = hit.text, re.sub(r"\s*\(.*?\)", "", str(chunk.get("zone", "")))
            citation = _citation(chunk, f"{title_line} {text}".strip())
            figures = figures_in(text)
            name = measure_name(text) if not title_line else title_line.rstrip(".")
            if name:
                summary = f"{title_line} {text}".strip()
                context = f"{summary} {chunk.get('section', '')} {chunk.get('title', '')}"
                measures.append(Measure(name, summary, zone, sectors_of(context),
                                        [f"{v} {u}".strip() for v, u, _ in figures], hit.id,
                                        citation))
            for value, unit, what in figures:
                years = YEAR.findall(text)
                facts.append(Fact(value, unit, what, zone,
                                  years[0] if years else str(chunk.get("date", "")),
                                  [_citation(chunk, text)]))
            short = len(text.split()) <= 10 and TITLE_LINE.match(text) and not figures
            title_line = text if short else ""
    return measures, facts


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
        chunks = {hit.id: hit.metadata for hit in store.iter_chunks()}
        self.measures, self.facts = extract(store.iter_sentences(), chunks)
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
