"""Reading a question: the figure it asks for, the periods and names it is about, its focus
terms, and how a follow-up leans on the previous question.

Pure functions on text; a Chinese question arrives here already read into English (see
`assistant.crosslingual`), as a `Reading`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.answering.names import GENERIC, Name, question_names, squash
from assistant.figures import (
    ASKS_WHICH_PART,
    FIGURE_KINDS_FOR,
    MONTH,
    ORDINAL_OF_PART,
    ORDINAL_WORDS,
    YEAR,
    Period,
    asked_kinds,
    asked_rate,
    figures_in,
    parts_in,
    periods_in,
    terse_kinds,
)
from assistant.lexical import analyze, join_compounds

FOLLOW_UP = re.compile(r"^(?:and|what about|how about|and what about|what of|which of them|"
                       r"and in|and for|same for|also|then)\b", re.I)
PRONOUN = re.compile(r"\b(?:it|its|they|them|their|that|those|these|this one)\b", re.I)
# Words that say how a question asks, not what about: never a focus term.
QUESTION_WORDS = frozenset(analyze(
    "how many much what which who whom whose when where why is are was were does do did has have "
    "had can could tell me please give list name show explain describe total number amount "
    "figure value size large big kind type get according documents document say said state "
    "stated mention mentioned exactly roughly approximately about whole overall date day month "
    "year years percentage proportion share rank ranking position place part parts portion "
    "section side piece need needs want wants look looking find know like interested m "
    "i'm please kindly"))
# the zones' own name is no focus, though "trade" alone is ("foreign trade")
ZONE_NAME = re.compile(r"\b(?:pilot\s+)?free[\s-]+trade\s+(?:pilot\s+)?(?:zones?|ports?|areas?)\b",
                       re.I)


GENERIC_TERMS = frozenset(analyze(" ".join(GENERIC))) - {"trade"}  # "pilot", "ftz": no focus


# the noun phrase a figure question asks about: "how many <new enterprises>", "what were the
# <Heihe Area's exports>", "how much <foreign investment> did", "<utilized foreign investment>
# in the Zhengzhou Area?"
STOP = (r"(?:did|do|does|was|were|is|are|has|have|had|will|would|can|could|should|may|in|at|"
        r"on|by|for|from|to|into|during|since|under|within|across|through|over|until|between|"
        r"among|with|that|which|who|per|than|as|work|works|worked|spend|spent|use|used|get|got|"
        r"take|took|need|needs|make|made|come|came|go|went|apply|applies|applied|there|its|their|"
        r"it|they|located|situated|based|lying)")
# a function word standing alone: "per" stops a phrase, "per-item" is one of its words
ALONE = r"(?![\w'’-])"
ENDS = rf"(?:of|{STOP}){ALONE}"
NOUNS = rf"(?:(?!{ENDS})[\w'’-]+\s*)"  # words of a noun phrase
QUANTITY_PHRASES = (
    re.compile(rf"\bhow many of (?:the |its |their )?(?P<np>{NOUNS}{{1,6}})", re.I),
    re.compile(rf"\bhow (?:many|much)\s+(?P<np>(?!{ENDS})[\w'’-]+(?:\s+(?!{STOP}{ALONE})"
               rf"[\w'’-]+){{0,4}})", re.I),
    # "how much was its GDP", "how much were the Area's exports"
    re.compile(rf"\bhow much (?:was|were|is|are) (?:the |its |their )?(?P<np>{NOUNS}{{1,5}})",
               re.I),
    re.compile(rf"\bwhat (?:share|percentage|proportion|part|volume|amount|number|value|quantity|"
               rf"level|sum|rate) of\s+(?P<np>{NOUNS}{{1,5}})", re.I),
    re.compile(rf"\b(?:what|which) (?:was|is|were|are) (?:the )?(?P<np>{NOUNS}{{1,6}})", re.I),
    re.compile(r"\b(?:what|how much) did .{0,60}?\b(?P<np>export|import|attract|invest)\b",
               re.I),
    re.compile(rf"\bwhat (?P<np>{NOUNS}{{1,5}}?)(?:did|does|do|has|have|had|applies|apply|"
               rf"applied)\b", re.I),
    re.compile(rf"\b(?:(?:give|tell|show|send)(?: me| us)?|(?:i|we)(?:'d| would) like|(?:i|we) "
               rf"(?:need|want|am looking for|are looking for)) the (?P<np>{NOUNS}{{1,5}})", re.I),
    re.compile(rf"\bhow (?:large|big|extensive) (?:is|was|are|were) (?:the )?"
               rf"(?P<np>{NOUNS}{{1,6}})", re.I),
    # a question without a question word: "Utilized foreign investment in the Zhengzhou Area?"
    re.compile(rf"^(?!.*\b(?:what|which|who|when|where|why|how)\b)(?P<np>{NOUNS}{{1,6}})", re.I),
)
# a zone of its own inside a place, whose figures are not the place's ("the Yichang
# comprehensive bonded zone", "Wuhu's high-tech zone")
ENCLAVE = re.compile(r"\b(?P<kind>(?:comprehensive )?bonded (?:zone|port|logistics park)|"
                     r"industrial park|science park|high-tech zone|(?:economic and technological"
                     r"|economic) development zone)s?\b", re.I)
# what makes a span of years the name of an edition ("the 2024-2025 ... Innovation Index"),
# not a period asked about
EDITION_AFTER = re.compile(r"\s+(?:[\w'’()-]+\s+){0,8}?(?:index|indices|edition|report|"
                           r"rankings?|blue book|white paper)\b", re.I)
# a question that asks whether something is so, and may state the figure it asks to confirm
CONFIRMS = re.compile(r"^\W*(?:is|are|was|were|did|does|do|has|have|had|can|could|will|would)\b",
                      re.I)
# an ordinal, in digits or in words
NUMBERED_ORDINAL = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)\b", re.I)
ORDINAL = re.compile(rf"\b(?:\d{{1,2}}(?:st|nd|rd|th)|{'|'.join(ORDINAL_WORDS)})\b", re.I)
# a verb's participle that qualifies a measure ("actually used foreign capital", "paid in
# capital"), where a phrase would otherwise stop at the verb
QUALIFIED_USE = re.compile(r"\b(actual(?:ly)?|paid)\s+(used|utili[sz]ed|in)\b", re.I)
# a tail that asks for the figure of what comes before: "..., how much?", "- what was the total?"
TAIL = re.compile(r"\s*[,;:–—-]+\s*(?:how (?:much|many)|what(?:'s| is| was| were| are)? the "
                  r"(?:total|number|figure|amount|value|count)|what(?:'s| is| was)? it|"
                  r"what (?:are|were) they)\W*$", re.I)
# a question word run together with "is": "what's", "who’s"
CONTRACTED = re.compile(r"\b(what|which|who|where|how)['’]s\b", re.I)
OF_PHRASE = re.compile(rf"\s*(?:of|in)\s+(?:the\s+)?((?:(?!{ENDS})[\w'’-]+\s*){{1,5}})",
                       re.I)
# a year asked about as a stretch of time, whose running total at its end does not answer:
# "in 2022 alone", "during 2022", "over the whole of 2022", "2022 as a whole"
FLOW = re.compile(r"\b(?:during|throughout|over|in the course of)\s+(?:the (?:whole|full|course) "
                  r"of\s+|the year\s+)?(?:19|20)\d\d\b|\bthe (?:whole|entirety) of\s+"
                  r"(?:19|20)\d\d\b|\b(?:19|20)\d\d\s+(?:alone|only|as a whole|by itself)\b|"
                  r"\b(?:full|whole|entire|single|calendar)(?:\s+calendar)?"
                  r"[\s-]+year(?:\s+of)?\s+(?:19|20)\d\d\b", re.I)
# words that only frame the period asked about ("during the single year 2022"): no focus
PERIOD_FRAMING = frozenset(analyze("during throughout single full calendar entire alone"))
# words that do not change what is counted ("new enterprises" counts enterprises)
NEUTRAL = frozenset(analyze("total number amount value volume level figure new overall whole "
                            "full count combined cumulative registered established set up actual "
                            "actually so far altogether roughly about exactly"))
# words a percentage figure says by itself ("the completion rate" is "82% completed")
RATE_WORDS = frozenset(analyze("rate rates ratio percent percentage"))
# function words inside a hyphenated word ("per-item"), which any sentence may hold
FUNCTION_TERMS = frozenset(analyze("per in on at by for of to from with within into over under "
                                   "off out up"))
# words for a limit, which a percentage says by how it is put ("no more than 51%")
LIMIT_WORDS = frozenset(analyze("cap caps limit limits ceiling maximum minimum"))
# words for a change, which a growth figure says by itself: never what is counted ("trade
# in 2022 - how much and what growth?" counts trade)
CHANGE_WORDS = frozenset(analyze("growth grow grew increase increased rise rose change "
                                 "changed decline declined fall fell drop dropped"))
# what only money measures: a count of things ("272 projects") gives no amount of investment
MONEY_TERMS = frozenset(analyze("investment capital fdi gdp revenue turnover income value"))
# a unit of things asked in, that no amount of money is written in ("in tons", "in TEUs")
PHYSICAL_UNIT = re.compile(r"\bin (?:(?:thousand|million|billion|10,000|ten thousand) )?"
                           r"(?:tons|tonnes|teus?|barrels|cubic met(?:re|er)s|kilowatt[- ]hours|"
                           r"kwh|containers|vehicles|passengers|units|pieces|parcels)\b", re.I)
# words that only say a length of time is asked for, which any duration says
DURATION_WORDS = frozenset(analyze("time times hour hours day days minute minutes second seconds "
                                   "week weeks month months long length duration wait waiting"))
# words that only ask for an area: what is left ("the comprehensive bonded zone") is a facility
# within the place, whose own area is asked for, not the place's
AREA_WORDS = frozenset(analyze("size area areas land surface space territory ground cover covers "
                               "covered span spans large big extensive square kilometres "
                               "kilometers km sq planned km2 km² sqkm hectare hectares mu"))


# the office a question asks the holder of ("Who is the mayor of ...?"), by group of words
# that name the same office; a deputy ("vice mayor") holds another office than the head
ROLE_GROUPS = {
    "head": ("director", "director-general", "head", "chief", "leader", "president",
             "commissioner", "top official"),  # (a customs district's head: its commissioner)
    "mayor": ("mayor",), "governor": ("governor",), "minister": ("minister",),
    "secretary": ("secretary", "party secretary"),
    "chair": ("chairman", "chairwoman", "chair", "chairperson"),
    "spokesperson": ("spokesperson", "spokesman", "spokeswoman"),
}
DEPUTY = r"(?:deputy|vice|assistant|associate|executive vice)[\s-]+"
ROLE_ASKED = re.compile(
    rf"\b(?:who\s+(?:is|was|are|were)|which|name)\s+(?:the\s+|its\s+|their\s+)?"
    rf"(?:[\w'’-]+\s+){{0,2}}?(?P<deputy>{DEPUTY})?(?P<role>"
    + "|".join(sorted({w for ws in ROLE_GROUPS.values() for w in ws}, key=len, reverse=True))
    + r")s?\b", re.I)


# the office said by a verb: "Who heads the committee?"
ROLE_VERB = re.compile(r"\bwho\s+(?:currently\s+|now\s+)?(?P<verb>directs|heads|leads|runs|"
                       r"chairs)\b", re.I)


def asked_role(text: str) -> tuple[str, bool] | None:
    """The office a person question asks about and whether as a deputy ("Who is the deputy
    director of ...?" -> ("head", True)); None when it names none."""
    verb = ROLE_VERB.search(text)
    if verb:
        return ("chair" if verb.group("verb").lower() == "chairs" else "head"), False
    match = ROLE_ASKED.search(text)
    if not match:
        return None
    word = match.group("role").lower()
    group = next(g for g, words in ROLE_GROUPS.items() if word in words)
    return group, bool(match.group("deputy"))


def holds_role(text: str, role: tuple[str, bool]) -> bool:
    """Whether a text names the office asked about, as a deputy if (and only if) a deputy is
    asked about ("Liu, deputy chief of ..." holds no "head" office)."""
    group, deputy = role
    words = "|".join(sorted(ROLE_GROUPS[group], key=len, reverse=True))
    for match in re.finditer(rf"(?P<deputy>\b{DEPUTY})?\b(?:{words})s?\b", text, re.I):
        if bool(match.group("deputy")) == deputy:
            return True
    return False


# what a rank ranks: "on the <kiln facilitation index>", "rank the Area's <kiln index>"
RANK_PHRASES = (
    re.compile(rf"\b(?:on|in|by) (?:the |its |their )?(?P<np>{NOUNS}{{0,4}}(?:index|indices|"
               rf"indexes|ranking|rankings|league table))\b", re.I),
    re.compile(rf"\brank(?:s|ed|ing)? (?:the |its |their )?(?P<np>{NOUNS}{{1,6}})", re.I),
)


def quantity_terms(text: str, names: tuple[Name, ...], kinds: tuple[str, ...]) -> frozenset[str]:
    """The terms of what a figure question counts or measures ("foreign-invested enterprises"
    -> foreign, invest, enterpris), without names, periods, question words and words that do
    not change what is counted. Empty for questions that ask no such figure."""
    if not set(kinds) & {"count", "money", "quantity", "percent", "area", "rank"}:
        return frozenset()
    name_terms = {t for name in names for t in analyze(name.text)}
    if kinds[0] == "rank":
        for pattern in RANK_PHRASES:
            match = pattern.search(text)
            if match and _content(match.group("np"), name_terms):
                return _content(match.group("np"), name_terms)
        return frozenset()
    text = CONTRACTED.sub(r"\1 is", text)  # "What's the fee?" is "What is the fee?"
    # "the 4th China-Africa trade expo" says which event, not what is counted
    text = ORDINAL_OF_PART.sub(" ", text).lstrip(" :;,-–—")
    # "the China (Anhui) Pilot Free Trade Zone's exports": the brackets only hold a name
    text = re.sub(r"\(([^()]{1,40})\)", r"\1", text)
    text = join_compounds(ZONE_NAME.sub(" ", TAIL.sub("", text)))
    text = QUALIFIED_USE.sub(r"\1-\2", text)  # "actually used capital": one noun phrase
    for pattern in QUANTITY_PHRASES:
        match = pattern.search(text)
        if not match:
            continue
        phrase = match.group("np")
        rest = OF_PHRASE.match(text[match.end("np"):])
        # "the total value of <exports>", "the increase in <exports>"
        if rest and not _content(phrase, name_terms):
            phrase = rest.group(1)
        found = _content(phrase, name_terms)
        if kinds[0] == "area":  # "the area of the three areas" counts nothing
            found = frozenset(t for t in found - AREA_WORDS if not t.isdigit())
        elif kinds[0] == "percent":  # "the completion rate", "the stake cap": the % figure
            found = found - RATE_WORDS - LIMIT_WORDS  # is the rate, or the limit
        if "duration" in kinds:  # "how much time does it save": a length of time says it
            found = found - DURATION_WORDS
        if found and pattern is QUANTITY_PHRASES[0]:
            # "how many of the tasks did the evaluator rate as particularly effective": which
            # of them are counted is said after them
            found = found | _content(PARTITIVE_TAIL.sub(" ", text[match.end("np"):]), name_terms)
        if found:
            return found
    return frozenset()


# the words after a partitive's noun that say nothing of which are counted ("did the zone")
PARTITIVE_TAIL = re.compile(rf"\b(?:{STOP}|the|a|an|been|be|being|so|far|now|yet|currently|"
                            r"according|to|zone|area|ftz)\b", re.I)


def _content(phrase: str, name_terms: set[str]) -> frozenset[str]:
    """A phrase's terms that say what is counted (an ordinal says which edition or batch, not
    what is counted)."""
    phrase = re.sub(rf"\b(?:19|20)\d\d\b|\b{MONTH}\b|\b[hq][1-4]\b|{ORDINAL.pattern}", " ",
                    phrase, flags=re.I)
    return frozenset(analyze(phrase)) - QUESTION_WORDS - GENERIC_TERMS - NEUTRAL - CHANGE_WORDS \
        - FUNCTION_TERMS - name_terms


@dataclass(frozen=True)
class Reading:
    """A question as English text, with the names it is about; a name may list alternatives
    separated by "|" (any of them will do). Chinese questions are read into this form: their
    `text` gives every sense of a word (for searching), `plain` only the first (for what the
    question asks about), and the kinds of figure its own question words ask for (`kinds`:
    English questions leave it to their text)."""

    text: str
    names: tuple[str, ...]
    plain: str = ""
    kinds: tuple[str, ...] | None = None  # the figures asked for, where the reader knows them


@dataclass(frozen=True)
class Question:
    """What a question asks: the figure kind (or None), the names and periods it is about, and
    its focus terms (what the answer must be about, beyond names and periods)."""

    text: str
    kinds: tuple[str, ...]  # the figures asked for, the main one first
    names: tuple[Name, ...]
    periods: tuple[Period, ...]
    terms: frozenset[str]
    focus: frozenset[str]
    quantity: frozenset[str] = frozenset()  # what a figure asked for counts or measures
    rate: str = ""  # for a percentage: "change" (growth) or "share" (of a whole), if said
    flow: bool = False  # a year asked about as a stretch ("in 2022 alone"), not its end
    parts: tuple[tuple[str, frozenset[int]], ...] = ()  # numbered parts ("Part II", "6th batch")
    role: tuple[str, bool] | None = None  # the office a person question asks the holder of
    which_part: bool = False  # asks which area of a place: one of its areas is the answer
    enclave: str = ""  # a zone within the place asked about ("the Yichang bonded zone")

    @property
    def kind(self) -> str | None:
        """The main kind of figure asked for, if any."""
        return self.kinds[0] if self.kinds else None


def is_follow_up(question: str) -> bool:
    """Short questions that lean on the previous turn ("And in 2020?", "What about Shenyang?")."""
    words = question.split()
    return bool(FOLLOW_UP.search(question.strip())) or (
        len(words) <= 6 and bool(PRONOUN.search(question)))


def read(reading: Reading, previous: Reading | None = None,
         acronyms: dict[str, set[str]] | None = None) -> Question:
    """A question's needs. A follow-up borrows the previous question's figure kind, names,
    periods and focus, its own names and periods replacing those of the same sort ("And in
    2020?" after "How many ... in Harbin in 2021?" is about Harbin in 2020)."""
    names = _names(reading, acronyms)
    periods = tuple(p for p in periods_in(reading.text) if not (
        p.span == "range" and EDITION_AFTER.match(reading.text, p.end)))
    basis = spelled_ordinals(reading.plain or reading.text)
    kinds = asked_kinds(reading.text) if reading.kinds is None else reading.kinds
    if not kinds and not reading.plain:  # an English question put as a noun phrase
        kinds = terse_kinds(TAIL.sub("", reading.text))
    if not kinds and CONFIRMS.match(basis):
        kinds = confirmed_kinds(basis)
    terms = frozenset(analyze(ZONE_NAME.sub(" ", basis)))
    if previous is not None and is_follow_up(reading.text):
        before = read(previous, acronyms=acronyms)
        kinds = kinds or before.kinds
        own_places = any(name.place for name in names) or bool(names)
        names = names + tuple(n for n in before.names if not own_places)
        periods = periods or before.periods
        terms = terms | before.terms
    name_terms = frozenset(t for name in names for t in analyze(name.text))
    period_terms = frozenset(analyze(" ".join(
        reading.text[p.start:p.end] for p in periods))) if periods else frozenset()
    framing = PERIOD_FRAMING if periods else frozenset()
    focus = frozenset(t for t in terms - QUESTION_WORDS - GENERIC_TERMS - name_terms
                      - period_terms - framing if not YEAR.fullmatch(t))
    quantity = quantity_terms(basis, names, kinds)
    if not quantity and previous is not None and is_follow_up(reading.text):
        quantity = read(previous, acronyms=acronyms).quantity
    if kinds[:1] == ("quantity",) and quantity & MONEY_TERMS:
        kinds = ("money", *kinds[1:])
    elif kinds[:1] == ("quantity",) and PHYSICAL_UNIT.search(basis):
        kinds = ("count", *kinds[1:])  # "what volume of oil ..., in tons?" wants no money
    rate = asked_rate(basis) if "percent" in kinds else ""
    role = asked_role(basis) if "person" in kinds else None
    enclave = ENCLAVE.search(basis)
    return Question(reading.text, kinds, names, periods, terms, focus, quantity, rate,
                    bool(FLOW.search(basis)), tuple(sorted(parts_in(basis).items())), role,
                    bool(ASKS_WHICH_PART.search(basis)),
                    enclave.group("kind").lower() if enclave else "")


def confirmed_kinds(question: str) -> tuple[str, ...]:
    """The kind of the figure a yes-or-no question states ("Is it true that the park drew
    more than 1 billion yuan?"): only a sentence with such a figure can confirm it."""
    stated = [f.kind for f in figures_in(question) if f.kind in FIGURE_KINDS_FOR
              and f.kind not in ("year", "date")]
    return tuple(stated[:1])


def spelled_ordinals(text: str) -> str:
    """Ordinals in digits written as the documents mostly write them ("the 4th expo" -> "the
    fourth expo"): a bare "4" is no word of the topic."""
    return NUMBERED_ORDINAL.sub(lambda m: ORDINAL_WORDS[int(m.group(1)) - 1]
                                if 1 <= int(m.group(1)) <= len(ORDINAL_WORDS) else m.group(0),
                                text)


def _names(reading: Reading, acronyms: dict[str, set[str]] | None) -> tuple[Name, ...]:
    """The names of an English question; a Chinese reading's names (with "|" alternatives)
    taken as they are."""
    found = list(question_names(reading.text, acronyms))
    known = {alt for name in found for alt in name.alternatives}
    for given in reading.names:
        options = [squash(option) for option in given.split("|") if squash(option)]
        if options and not options[0].isdigit() and not known.intersection(options):
            found.append(Name(given.split("|")[0], tuple(dict.fromkeys(options))))
    return tuple(found)


def read_english(question: str) -> Reading:
    """An English question as a reading (its names are found when it is read)."""
    return Reading(question, ())
