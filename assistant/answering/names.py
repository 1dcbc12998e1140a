"""Names: the places of the zones (a gazetteer), the names a question is about, and the ways
one name is written differently (spacing and hyphens, a people's adjective and its country, an
acronym and its expansion as the documents define it).

Pure functions and small value objects; the acronyms come from the indexed text itself.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache, cached_property
from importlib import resources

CAPITALISED = r"(?:[A-Z][A-Za-z]*(?:['’-][A-Za-z]+)*|[A-Z]{2,}s?|\d+[A-Z][A-Za-z]*)"
CONNECTOR = r"(?:of|for|the|on|in|de|du)"
NAME_PHRASE = re.compile(rf"\b{CAPITALISED}(?:\s+(?:{CONNECTOR}\s+)*{CAPITALISED})*")
# the asker's "I" run together with a verb ("I'm", "I've"): no name
SPEAKER = re.compile(r"I['’](?:m|ve|d|ll)")
# a quoted term; an apostrophe inside a word ("won't", "they're") quotes nothing
QUOTED = re.compile(r"(?<![A-Za-z])[\"“”']([^\"“”']{3,80})[\"“”'](?![A-Za-z])")
# an institution's name holds "and" ("Ministry of Industry and Information Technology",
# "China-Africa Economic and Trade Expo"): two capitalised runs joined by "and" are one name
# when the first begins with an office's word or the second ends with an institution's
# (before any "of" or "in": "Kiln Economic and Trade Expo in Changsha")
OFFICE_FIRST = re.compile(r"^(?:Ministry|Department|Bureau|Commission|Administration|Office|"
                          r"Committee|Council|Agency|Authority|Association|Federation)\b")
INSTITUTION_LAST = re.compile(r"\b(?:Fund|Expo|Exposition|Fair|Forum|Park|Programme|Program|"
                              r"Alliance|Initiative|Platform|Commission|Committee|Council|Bureau|"
                              r"Association|Federation|Institute|Cent(?:er|re)|Exchange|Bank|"
                              r"Corporation|Group|Company|University|Academy)$")
ACRONYM_AFTER = re.compile(r"\b((?:[A-Z][\w'’-]*\s+(?:(?:of|and|for|the|on|in|&)\s+)*){1,8})"
                           r"\(\s*(?:the\s+)?([A-Z][A-Za-z&]{1,9}s?)\s*\)")
ACRONYM_BEFORE = re.compile(r"\b([A-Z][A-Za-z&]{1,9}s?)\s*\(\s*((?:[A-Z][\w'’-]*\s*(?:(?:of|and|"
                            r"for|the|on|in|&)\s+)*){2,8})\)")
# Words that every text of this domain uses: they name no particular place or body.
GENERIC = frozenset("""
free trade zone zones area areas pilot ftz ftzs ftp fta ftas pftz pftzs china chinese prc the
a an what which who when where how why is are was were in on of for and or by to did does do we
our us i it its
new state council according under besides apart after before name their this that there with
from as at people's republic national nationwide country port ports province city district
special government plan overall measures measure total first second third top please tell
give list show explain describe yes no can could would should will may might january february
march april may june july august september october november december q1 q2 q3 q4 h1 h2 mr ms
""".split())
DEMONYM_SUFFIXES = ("ian", "ean", "ese", "ish", "an", "n", "i")
# quantities written as acronyms: what a figure measures, not a name ("Qianhai's GDP")
MEASURE_ACRONYMS = frozenset("gdp gnp gva fdi teu teus cpi pmi".split())
SELF = re.compile(r"\b(?:we|we're|our|us)\b", re.I)  # an enterprise describing itself
SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
# places a question sets apart from what it asks about: those it excludes ("Outside Wuhan,
# which area ...") and, beside a place it does ask about, those it compares with ("Has Hunan
# issued a list like the Shanghai and Beijing zones?")
EXCLUDING = re.compile(r"\b(?i:outside(?: of)?|other than|besides|apart from|except(?: for)?|"
                       r"excluding|beyond|rather than|instead of|but not(?: in)?|not in)\s+"
                       r"(?:the\s+)?"
                       r"(?:[A-Z][\w'’-]*(?:,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+|\s+)?)+")
COMPARING = re.compile(r"\b(?i:like|unlike|similar to|as (?:in|with|did|do|does|has|have))\s+"
                       r"(?:the\s+)?(?:[A-Z][\w'’-]*(?:,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+|"
                       r"\s+)?)+")
# where something was spread to ("innovations copied across Liaoning province"): that place
# received it and is no owner of the figure asked, when another place is asked about
SPREAD_TO = re.compile(r"\b(?i:replicated|copied|promoted|spread|rolled out|extended|adopted|"
                       r"duplicated)\s+(?i:(?:\w+\s+)?(?:across|throughout|all over|nationwide in|"
                       r"elsewhere in))\s+(?:the\s+)?(?:[A-Z][\w'’-]*\s*)+")
PERIOD_TOKEN = re.compile(r"^(?:[hq][1-4]|fy\d*)$")
# a word that says the pilot zone is meant, not the province or city it is named after
ZONE_WORD = re.compile(r"\b(?:P?FTZs?|FTP|FTAs?|free[- ]trade|pilot|zones?|special area|"
                       r"new area)\b", re.I)
# the zone itself, named: "the Guangxi pilot FTZ", "China (Fujian) Pilot Free Trade Zone"
ZONE_NAMED = re.compile(r"^[\w'’]*\)?(?:['’]s)?\s+(?:[\w'’-]+\s+){0,2}?(?:P?FTZs?|FTP|FTAs?|"
                        r"free[- ]trade|pilot)\b", re.I)
# a place's name in the possessive, then words that are no zone's: "Anhui's total trade"
PROVINCE_POSSESSIVE = re.compile(r"^[\w'’-]*?['’]s\s+(?!(?:[\w'’-]+\s+){0,2}?(?:P?FTZs?|FTP|FTAs?|"
                                 r"free[- ]trade|pilot|zones?|special area|new area)\b)", re.I)
# a place named after a figure as where it was ("... in Fujian province"), not as a share's
# base or a source ("of Shandong province's total")
PLACE_IN = re.compile(r"\bin\s+(?:the\s+)?$", re.I)
# zones that cover their whole province: the province's name means the zone too
WHOLE_PROVINCE = frozenset({"Hainan"})
# a place's name that begins an organisation's ("Beijing Hyundai", "Tianjin Airlines") is
# followed by a capitalised word other than one of these
PLACE_FOLLOWERS = frozenset("""
area areas zone zones ftz ftzs ftp pilot free new district port ports province provincial
municipality municipal city bonded comprehensive customs government people special and or of
""".split())

# a word that makes the capitalised name after a place's a facility at that place, not an
# organisation named after it ("Qinzhou Port East Station", "Chengdu Shuangliu Airport")
CAPITALISED = re.compile(r"[A-Z][\w'’-]*")
CAPITALISED_RUN = re.compile(r"(?:[A-Z][\w'’-]*\s+){0,3}[A-Z][\w'’-]*")
LAST_WORD = re.compile(r"[\w-]+ ")  # a place's last word and the one space after it
FACILITY = re.compile(r"\b(?:Station|Terminal|Airport|Wharf|Pier|Dock|Yard|Railway|Depot|"
                      r"Checkpoint|Crossing)\b")


def squash(text: str) -> str:
    """Lower-case letters and digits only: "Lin-gang" and "Lingang", "Qian Hai" and
    "Qianhai" become the same."""
    return re.sub(r"[^0-9a-z\u3400-\u9fff]+", "", text.lower())


WORD = re.compile(r"\d+(?:\.\d+)+|[0-9a-z\u3400-\u9fff]+(?:['’-][0-9a-z]+)*")
POSSESSIVE = re.compile(r"['’]s\b")
JOINERS = str.maketrans("", "", ".'’-")  # all a `WORD` may hold besides what `squash` keeps


def squash_word(word: str) -> str:
    """`squash` of one `WORD` of lower-cased text, quickly (a long document has millions)."""
    joined = word.translate(JOINERS)
    return joined if joined.isascii() else squash(word)


def word_keys(text: str, longest: int = 6) -> frozenset[str]:
    """Every run of one to `longest` words of a text, squashed: the forms a name written with
    or without spaces and hyphens can be looked up in ("Qian Hai" gives "qianhai")."""
    words = [squash_word(w) for w in WORD.findall(POSSESSIVE.sub("", text.lower()))]
    return frozenset("".join(words[i:i + n]) for n in range(1, longest + 1)
                     for i in range(len(words) - n + 1))


@dataclass(frozen=True)
class Place:
    """A zone or an area of one, with every way the documents spell it."""

    name: str
    level: str  # "zone" or "area"
    zone: str  # the zone an area belongs to ("" for a zone)
    chinese: str
    spellings: tuple[str, ...]
    launched: str = ""  # "2015-04": the month it opened, from when its running totals count

    @cached_property
    def keys(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(squash(s) for s in (self.name, *self.spellings) if s))


@dataclass(frozen=True)
class Gazetteer:
    """The places of the zones, looked up by any spelling."""

    places: tuple[Place, ...]
    _by_key: dict[str, Place] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        for place in self.places:
            for key in place.keys:
                self._by_key.setdefault(key, place)

    @cached_property
    def longest(self) -> int:
        """The most words any spelling of a place has ("Science and Technology Innovation
        Area": five)."""
        return max(len(WORD.findall(spelling.lower())) for place in self.places
                   for spelling in (place.name, *place.spellings) if spelling)

    def find(self, name: str) -> Place | None:
        """The place a name is, or None ("Qian Hai" finds Qianhai)."""
        return self._by_key.get(squash(name))

    def mentioned(self, text: str, keys: frozenset[str] | None = None) -> list[Place]:
        """The places a text names, in order of first mention (each once); `keys` are the
        text's `word_keys`, if already known."""
        keys = word_keys(text) if keys is None else keys
        squashed = squash(text)
        hits = []
        for place in self.places:
            found = [squashed.find(k) for k in place.keys if k in keys]
            if found:
                hits.append((min(found), place))
        mentions = self._mentions(text)
        if any(named for _, _, named in mentions):
            kept = {place for _, place, named in mentions if not named}
            hits = [(at, place) for at, place in hits if place in kept]
        return [place for _, place in sorted(hits, key=lambda hit: hit[0])]

    def positions(self, text: str) -> list[tuple[int, Place]]:
        """Each mention of a place in a text, with its character offset, in order (not the
        place that begins an organisation's name: "Beijing Hyundai")."""
        return [(at, place) for at, place, named in self._mentions(text) if not named]

    def _mentions(self, text: str) -> list[tuple[int, Place, bool]]:
        """Each mention of a place, its offset, and whether it begins an organisation's name."""
        lowered = POSSESSIVE.sub(lambda m: " " * len(m.group(0)), text.lower())
        words = [(m.start(), squash_word(m.group(0))) for m in WORD.finditer(lowered)]
        found = []
        i = 0
        while i < len(words):
            n, key, spelled = 0, "", ""  # the most words from here that spell a place
            for more in range(1, min(self.longest, len(words) - i) + 1):
                key += words[i + more - 1][1]
                if key not in self._prefixes:
                    break
                if key in self._by_key:
                    n, spelled = more, key
            if n:
                named = _begins_organisation(
                    text, words[i + n][0] if i + n < len(words) else len(text),
                    words[i + n - 1][0])
                found.append((words[i][0], self._by_key[spelled], named))
                i += n - 1  # "Qianhai and Shekou" is one mention
            i += 1
        return found

    @cached_property
    def _prefixes(self) -> frozenset[str]:
        """Every beginning of a squashed spelling: a run of words that is none cannot grow
        into a place's name (so most words are passed over at once)."""
        return frozenset(key[:end] for key in self._by_key for end in range(1, len(key) + 1))

    def related(self, one: Place, other: Place) -> bool:
        """The same place, or a zone and one of its areas."""
        return one == other or one.zone == other.name or other.zone == one.name


def _begins_organisation(text: str, after: int, last: int) -> bool:
    """Whether the place name whose last word starts at `last` begins an organisation's
    name: the next word, right after it, is capitalised and no word for a place or zone."""
    following = CAPITALISED.match(text, after)  # (matched in place: a text may be megabytes)
    if following is None or not LAST_WORD.fullmatch(text, last, after):  # no "Guangxi's Beibu"
        return False
    word = POSSESSIVE.sub("", following.group(0).lower())  # "the Xiamen Area's exports"
    run = CAPITALISED_RUN.match(text, after)
    if run and FACILITY.search(run.group(0)):  # "Qinzhou Port East Station" is in Qinzhou
        return False
    return word not in PLACE_FOLLOWERS and gazetteer().find(word) is None


def names_province(text: str, place: Place, figure_at: int | None = None) -> bool:
    """Whether a text names a zone's province or city rather than the pilot zone: the zone's
    name with no word for a zone anywhere in it ("Guangxi's trade with ASEAN rose ..."), or
    in the possessive before words that are no zone's ("the zone lifted Anhui's total trade
    to ...": the total is the province's). For the figure at `figure_at`, a mention after it
    counts only where it says where the figure was ("... in Anhui"): "30 percent of Anhui's
    total" names the base of a share, not the figure's place."""
    if place.level != "zone" or place.name in WHOLE_PROVINCE:
        return False
    mentions = [at for at, found in gazetteer().positions(text) if found == place]
    if figure_at is not None:
        mentions = [at for at in mentions
                    if at < figure_at or PLACE_IN.search(text[figure_at:at])]
    if mentions and not ZONE_WORD.search(text):
        return True
    return any(PROVINCE_POSSESSIVE.match(text[at:]) for at in mentions)


def names_zone_itself(text: str) -> list[Place]:
    """The zones a question names only as pilot zones ("the Guangxi pilot FTZ"), never just
    by their province's name ("Guangxi's trade", "... came from Guangxi")."""
    mentions = [(place, bool(ZONE_NAMED.match(text[at:])))
                for at, place in gazetteer().positions(text) if place.level == "zone"]
    return list(dict.fromkeys(place for place, _ in mentions
                              if all(named for other, named in mentions if other == place)))


@cache
def gazetteer() -> Gazetteer:
    """The bundled gazetteer (assistant/data/places.tsv)."""
    text = resources.files("assistant").joinpath("data/places.tsv").read_text(encoding="utf-8")
    places = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, level, zone, chinese, spellings, launched = (line.split("\t") + [""] * 6)[:6]
        places.append(Place(name, level, zone, chinese,
                            tuple(s for s in spellings.split("|") if s), launched.strip()))
    return Gazetteer(tuple(places))


@dataclass(frozen=True)
class Name:
    """A name a question is about, with the other ways it may be written."""

    text: str
    alternatives: tuple[str, ...]  # squashed forms, the name's own first
    place: Place | None = None
    aside: bool = False  # said only where an enterprise describes itself ("We are a Kenyan")

    @cached_property
    def words(self) -> tuple[str, ...]:
        """The name's own words, squashed (for a long name found in part)."""
        return tuple(squash(w) for w in re.split(r"[\s,-]+", self.text)
                     if squash(w) and w.lower() not in GENERIC and len(w) > 2)

    @property
    def key(self) -> str:
        return self.alternatives[0]


def name_phrases(text: str) -> list[str]:
    """Capitalised names and quoted terms of a text ("Ministry of Commerce", "Lin-gang Special
    Area", "MOFCOM"), without a sentence's first word when that is an ordinary word."""
    found: list[str] = []
    text = POSSESSIVE.sub(",", text)  # "Qianhai's GDP": the owner and what it owns
    for start, phrase in _joined_runs(text):
        before = text[:start].rstrip(" \"'“(")
        for words in _split_at_generic(phrase.split(), not before or before[-1] in ".?!:;"):
            found.extend(_trimmed(words))
    for match in QUOTED.finditer(text):
        if match.group(1).strip() and match.group(1) not in found:
            found.append(match.group(1).strip())
    return list(dict.fromkeys(p for p in found if not SPEAKER.fullmatch(p)))


def _joined_runs(text: str) -> list[tuple[int, str]]:
    """The capitalised runs of a text with their starts, two runs joined by "and" or "&"
    into one where together they name one institution (see `OFFICE_FIRST`), unless the
    first is a place or an institution already ("Dalian and Yingkou", "Shanghai Customs and
    Ningbo Customs")."""
    runs: list[tuple[int, int, str]] = []
    for match in NAME_PHRASE.finditer(text):
        if runs:
            start, end, first = runs[-1]
            gap = text[end:match.start()]
            if re.fullmatch(r"\s+(?:and|&)\s+", gap) and not INSTITUTION_LAST.search(first) \
                    and not gazetteer().find(first) and (
                        OFFICE_FIRST.match(first) or INSTITUTION_LAST.search(
                            re.split(rf"\s+{CONNECTOR}\s+", match.group(0))[0])):
                runs[-1] = (start, match.end(), text[start:match.end()])
                continue
        runs.append((match.start(), match.end(), match.group(0)))
    return [(start, phrase) for start, _, phrase in runs]


def _split_at_generic(words: list[str], starts_sentence: bool) -> list[list[str]]:
    """A run of capitalised words cut where a generic word joins two names ("Lotus Area
    of the Reed FTZ" is Lotus and Reed); a sentence's ordinary first word dropped."""
    from wordfreq import zipf_frequency

    if starts_sentence and words and not words[0].isupper():
        first = words[0].lower().split("'")[0]
        if first in GENERIC or zipf_frequency(first, "en") >= 4.0:
            words = words[1:]
    pieces: list[list[str]] = [[]]
    for index, word in enumerate(words):
        joins = re.fullmatch(CONNECTOR, word) and index and words[index - 1].lower() in GENERIC
        if joins:
            pieces.append([])
        else:
            pieces[-1].append(word)
    return [piece for piece in pieces if piece]


def _trimmed(words: list[str]) -> list[str]:
    """A name without generic words at its ends, if anything specific is left."""
    while words and (words[-1].lower() in GENERIC or re.fullmatch(CONNECTOR, words[-1])):
        words = words[:-1]
    while words and (words[0].lower() in GENERIC or re.fullmatch(CONNECTOR, words[0])):
        words = words[1:]
    if words and not all(w.lower() in GENERIC for w in words):
        return [" ".join(words)]
    return []


def demonym_stems(word: str) -> list[str]:
    """The place a people's adjective may come from ("Korean" -> "korea", "Japanese" ->
    "japan"): a common English word (a place name such as "Hainan" is none) without a common
    suffix, if at least four letters stay."""
    from wordfreq import zipf_frequency

    lower = word.lower()
    if zipf_frequency(lower, "en") < 3.0 or gazetteer().find(word):
        return []
    return [lower[: -len(suffix)] for suffix in DEMONYM_SUFFIXES
            if lower.endswith(suffix) and len(lower) - len(suffix) >= 4]


def acronym_pairs(text: str) -> dict[str, set[str]]:
    """Acronyms a text defines, both ways: "Ministry of Commerce (MOFCOM)" and "MOFCOM
    (Ministry of Commerce)" give mofcom <-> ministryofcommerce (squashed)."""
    pairs: dict[str, set[str]] = {}
    for match in ACRONYM_AFTER.finditer(text):
        _pair(pairs, match.group(1), match.group(2))
    for match in ACRONYM_BEFORE.finditer(text):
        _pair(pairs, match.group(2), match.group(1))
    return pairs


# what a figure measures, then its acronym: "new energy vehicles (NEVs)", "twenty-foot
# equivalent units (TEUs)"
TERM_ACRONYM = re.compile(r"\b((?:[a-z][a-z-]*\s+){1,5})\(\s*([A-Z]{2,6})s?\s*\)")


def term_acronyms(text: str) -> dict[str, str]:
    """Acronyms a text defines for words in lower case (a measure, not a name): the acronym
    in lower case without a plural "s", and the shortest tail of the words that spells it."""
    found: dict[str, str] = {}
    for match in TERM_ACRONYM.finditer(text):
        words = match.group(1).split()
        letters = match.group(2).lower()
        for start in range(len(words)):
            tail = words[start:]
            if len(tail) <= len(letters) and _spells(letters, tail):
                found[letters] = " ".join(tail)
                break
    return found


def _pair(pairs: dict[str, set[str]], phrase: str, acronym: str) -> None:
    words = [w for w in re.split(r"[\s-]+", phrase.strip()) if w]
    # keep the shortest tail of the phrase whose initials can spell the acronym
    letters = acronym.rstrip("s").lower()
    for start in range(len(words)):
        tail = words[start:]
        capitals = "".join(w[0].lower() for w in tail if w[0].isupper())
        if capitals and letters.startswith(capitals[0]) and _spells(letters, tail):
            full, short = squash(" ".join(tail)), squash(acronym.rstrip("s"))
            if full and short and full != short:
                pairs.setdefault(short, set()).add(full)
                pairs.setdefault(full, set()).add(short)
            return


def _spells(letters: str, words: list[str]) -> bool:
    """Whether an acronym's letters come, in order, from the words (each word gives at least
    its first letter; MOFCOM from "Ministry of Commerce")."""
    text = " ".join(words).lower()
    at = 0
    for letter in letters:
        at = text.find(letter, at)
        if at < 0:
            return False
        at += 1
    return text[0] == letters[0]


def self_descriptions(text: str) -> list[str]:
    """The sentences of a question in which an enterprise describes itself ("We are a Korean
    car-parts maker."), not those that ask ("Which measures help us?")."""
    return [s for s in SENTENCE_END.split(text) if SELF.search(s) and not s.rstrip().endswith("?")]


def asked_part(text: str) -> str | None:
    """The question without the enterprise's description of itself, when another sentence
    asks ("We make drivetrains in Germany. Which area has vehicles as a priority?" -> the
    second sentence); None when nothing is left out."""
    described = self_descriptions(text)
    rest = [s for s in SENTENCE_END.split(text) if s not in described]
    return " ".join(rest) if described and rest else None


def _set_apart(text: str) -> list[str]:
    """The stretches of a question that name places it sets apart from what it asks about:
    excluded ones, and compared ones or those something spread to when a place is named
    outside them."""
    spans = [m.group(0) for m in EXCLUDING.finditer(text)]
    for match in COMPARING.finditer(text):
        rest = text[:match.start()] + " " + text[match.end():]
        if gazetteer().mentioned(rest) or any(gazetteer().find(p) for p in name_phrases(rest)):
            spans.append(match.group(0))
    for match in SPREAD_TO.finditer(text):  # the owner may be a zone's acronym ("DFTZ")
        if name_phrases(text[:match.start()] + " " + text[match.end():]):
            spans.append(match.group(0))
    return spans


# what follows a place's name in the name of its zone or area ("Dalian Area of the ...",
# "Shanghai Pilot Free Trade Zone", "Qingdao FTZ")
PLACE_TAIL = ("area", "pilotfreetrade", "freetrade", "ftz", "newarea", "specialarea")


def _acronym_place(expansions: Iterable[str], places: Gazetteer) -> Place | None:
    """The place an acronym the documents define stands for: its expansion (squashed) starts
    with the place's name and goes on as a zone's or area's name ("DFTZ": "Dalian Area of
    the Liaoning Pilot Free Trade Zone" is Dalian; "MOFCOM" is no place)."""
    for expansion in sorted(expansions):
        expansion = expansion.removeprefix("china")  # "China (Shanghai) Pilot Free Trade Zone"
        starts = [(len(key), place) for place in places.places for key in place.keys
                  if expansion.startswith(key) and expansion[len(key):].startswith(PLACE_TAIL)]
        if starts:
            return max(starts, key=lambda found: found[0])[1]
    return None


def question_names(text: str, acronyms: dict[str, set[str]] | None = None) -> tuple[Name, ...]:
    """The names a question is about, each with its alternatives: its squashed form, the
    place it is (with that place's spellings), a demonym's country, an acronym's expansion."""
    places = gazetteer()
    names: list[Name] = []
    seen: set[str] = set()
    asides = " ".join(self_descriptions(text))
    apart = _set_apart(text)
    phrases = []
    for phrase in name_phrases(text):  # "Hunan-Africa" names Hunan and Africa
        parts = phrase.split("-")
        whole = len(parts) > 1 and all(p[:1].isupper() for p in parts) and " " not in phrase
        phrases += parts if whole else [phrase]
    for phrase in phrases:
        key = squash(phrase)
        if not key or key in seen or key.isdigit() or len(key) < 2 or PERIOD_TOKEN.match(key) \
                or key in MEASURE_ACRONYMS or any(phrase in span for span in apart):
            continue
        seen.add(key)
        place = places.find(phrase) or next(
            (p for p in places.places if any(k == key for k in p.keys)), None) or \
            _acronym_place((acronyms or {}).get(key, ()), places)
        alternatives = [key]
        if place:
            alternatives += place.keys
        parts = [word for word in re.split(r"[\s-]+", phrase) if word[:1].isupper()]
        if "-" in phrase and len(parts) == 1:  # "Korean-invested": its name part alone
            alternatives.append(squash(parts[0]))
        for word in parts:
            alternatives += demonym_stems(word)
        alternatives += sorted((acronyms or {}).get(key, ()))
        aside = place is None and phrase in asides and phrase not in text.replace(asides, "")
        names.append(Name(phrase, tuple(dict.fromkeys(alternatives)), place, aside))
    for place in places.mentioned(text):  # places written in lower case ("nansha's output")
        if any(place in places.mentioned(span) for span in apart):
            continue
        if not any(name.place == place or place.keys[0] in name.alternatives for name in names):
            names.append(Name(place.name, place.keys, place))
    return tuple(names)
