"""Reading a question: the figure it asks for, the periods and names it is about, its focus
terms, and how a follow-up leans on the previous question.

Pure functions on text; a Chinese question arrives here already read into English (see
`assistant.crosslingual`), as a `Reading`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.answering.names import GENERIC, Name, question_names, squash
from assistant.figures import YEAR, Period, asked_kinds, periods_in
from assistant.lexical import analyze

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
    "section side piece"))


GENERIC_TERMS = frozenset(analyze(" ".join(GENERIC)))  # "pilot", "ftz", "zone": no focus


@dataclass(frozen=True)
class Reading:
    """A question as English text, with the names it is about; a name may list alternatives
    separated by "|" (any of them will do). Chinese questions are read into this form."""

    text: str
    names: tuple[str, ...]


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
    periods = tuple(periods_in(reading.text))
    kinds = asked_kinds(reading.text)
    terms = frozenset(analyze(reading.text))
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
    focus = frozenset(t for t in terms - QUESTION_WORDS - GENERIC_TERMS - name_terms
                      - period_terms if not YEAR.fullmatch(t))
    return Question(reading.text, kinds, names, periods, terms, focus)


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
