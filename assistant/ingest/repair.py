"""Repair English text whose words lost their spaces ("Sinceits", "DalianFree", "In2020").

`repair_text` only ever inserts spaces, so `repair_text(t).replace(" ", "") == t.replace(" ", "")`.
Frequencies are wordfreq Zipf values: log10 of occurrences per billion words.
"""

from __future__ import annotations

import re
from functools import lru_cache

import wordninja
from wordfreq import zipf_frequency

RARE = 1.5  # a token at least this frequent is a word: split it only with MARGIN to spare
MARGIN = 2.0  # how much likelier (in Zipf units) the split must be than the rare word
PIECE = 3.0  # each piece of a split must be at least this frequent...
LONG_PIECE = 2.0  # ...or this for pieces of 8+ letters (transshipment, consecutively)
NAME = 2.0  # a capitalised token at least this frequent is a name: never split
BRAND = 1.0  # a mixed-case token at least this frequent may be a name (WeChat, PetroChina)
MAX_TOKEN = 64  # longer runs are not prose: left alone


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_SPAN = re.compile(r"\S+")
_TOKEN = re.compile(r"[^\W_]+")
_RUN = re.compile(r"[A-Za-z]+|[0-9]+")
_CAMEL = re.compile(r"[a-z][A-Z]")
_CAPS_HEAD = re.compile(r"([A-Z]{2,})([a-z]{2,})")
_QUOTED = re.compile(r'"([^"]*)"')
_CURLY = re.compile("(?<=[A-Za-z])(?=\u201c)|(?<=\u201d)(?=[A-Za-z])")
# URLs, e-mails, paths, file and domain names, code, hashtags: never touched.
_PROTECT = re.compile(r"://|www\.|@|[/\\`_=<>{}\[\]]|\w\(|\w\.[a-z][a-z0-9]{1,4}\b|#[^\W_]")
# "measures,and" -> "measures, and"; "province.Since" -> "province. Since" (not "e.g.", "U.S.").
_PUNCT = re.compile(
    r"(?<=[A-Za-z]{2}[!?)])(?=[A-Za-z]{2})|(?<=[^\W_]{2}[,;])(?=[A-Za-z]{2})"
    r"|(?<=[a-z]{2}[.:])(?=[A-Z][a-z])"
)
_PRONOMINAL = re.compile(r"(?:here|there|where)(?:after|at|by|from|in|into|of|on|to|upon|with)")
_US = [(re.compile(a), b) for a, b in [
    (r"is(e|ed|es|ing|ation|ations|er|ers)$", r"iz\1"), (r"ys(e|ed|es|ing)$", r"yz\1"),
    (r"our", "or"), (r"([^aeiou])re([sd]?)$", r"\1er\2"), (r"ll(ing|ed|er|ers)$", r"l\1"),
    (r"gramme", "gram"), (r"ence$", "ense"),
]]  # fmt: skip
_FUNCTION = _words("""a an the and or but nor of in on at to by for from with without within
    into onto upon over under about after before since until as than that this these those which
    who whom whose what when where while is are was were be been being has have had do does did
    will would shall should can could may might must not no its it their they them he she his her
    we our you your us my me there here also such so all any each every other some more most if up
    out among between through during via""")
_AFFIXES = _words("""re de pre mis non multi super con dis sub inter anti semi micro bio eco
    ing ers ions ish ism ist ian ans ness ful ly ed es er ies ent ment tion ity ive ous al ic ics
    nic les res ware""")
_SUFFIX_WORDS = _words("able less like wise ward wards ship hood")
_TITLE_GLUE = _FUNCTION - _words("an be do he if me my no or so up us we")
_NUM_WORDS = _words("""in on at by of to for from since until till before after over under
    than about around nearly almost some and or the with within during between january february
    march april may june july august september october november december""")
_PLACE = _words("area areas port city zone district province county bay island park town region")
_UNITS = _words("sqm kwh mwh gwh mph kph ghz mhz khz mbps gbps ppm mah")
PINYIN_SYLLABLES = frozenset(i + f for inis, fins in [
    ("-", "a o e ai ei ao ou an en ang eng er"), ("m", "e ou iu"), ("p", "ou"), ("l", "o ia"),
    ("b p m", "a o i u ai ei ao an en ang eng ie iao ian in ing"),
    ("f", "a o u ei ou an en ang eng"),
    ("d t", "a e i u ai ei ao ou an en ang eng ong ie iao iu ian ing uo ui uan un"),
    ("n l", "a e i u v ai ei ao ou an en ang eng ong ie iao iu ian in iang ing uo uan un ue ve"),
    ("g k h zh ch sh r", "a e u ai ei ao ou an en ang eng ong ua uo uai ui uan un uang"),
    ("zh ch sh r z c s", "i"), ("z c s", "a e u ai ei ao ou an en ang eng ong uo ui uan un"),
    ("j q x", "i u ia ie iao iu ian in iang ing iong ue uan un"),
    ("y", "a e i o u ao ou an in ang ing ong ue uan un"), ("w", "a o u ai ei an en ang eng"),
] for i in inis.replace("-", "").split() or [""] for f in fins.split())  # fmt: skip


def repair_text(text: str) -> str:
    """Return `text` with glued words separated by spaces; nothing else changes."""
    if '"' in text or "\u201c" in text or "\u201d" in text:
        text = "\n".join(_fix_quotes(line) for line in text.split("\n"))
    return _SPAN.sub(lambda m: _repair_span(m.group()), text)


@lru_cache(maxsize=1 << 17)
def _repair_span(span: str) -> str:
    """Repair one whitespace-delimited span, unless it looks like a URL, address, path or code."""
    if _PROTECT.search(span):
        return span
    return _TOKEN.sub(_token_sub, _PUNCT.sub(" ", span))


def _token_sub(m: re.Match[str]) -> str:
    tok = m.group()
    if len(tok) < 4 or len(tok) > MAX_TOKEN or not tok.isascii() or tok.isupper():
        return tok  # short words, non-Latin text, acronyms and codes (G20, ISO9001, COVID19)
    return _repair_token(tok)


def _fix_quotes(line: str) -> str:
    """Space out quotes glued to words; straight quotes only when they plainly pair up."""
    line = _CURLY.sub(" ", line)
    quoted = _QUOTED.findall(line)
    if line.count('"') % 2 or any(not q or q[0].isspace() or q[-1].isspace() for q in quoted):
        return line  # the pairing is doubtful
    return _QUOTED.sub(_space_quote, line)


def _space_quote(m: re.Match[str]) -> str:
    text, (start, end) = m.string, m.span()
    glued_before = start > 1 and _is_letters(text[start - 2 : start])  # not f"..." nor b"..."
    glued_after = end < len(text) and _is_letters(text[end])
    return " " * glued_before + m.group() + " " * glued_after


def _is_letters(text: str) -> bool:
    return text.isascii() and text.isalpha()


@lru_cache(maxsize=1 << 18)
def _zipf(word: str) -> float:
    return zipf_frequency(word.lower(), "en")


def _word_zipf(word: str) -> float:
    """Frequency of a word, also under its US spelling (revitalising, centres, labelled)."""
    us = word.lower()
    for pattern, repl in _US:
        us = pattern.sub(repl, us)
    return max(_zipf(word), _zipf(us))


@lru_cache(maxsize=1 << 17)
def _repair_token(tok: str) -> str:
    """Repair one ASCII run of letters and digits."""
    runs = _RUN.findall(tok)
    pieces = [runs[0]]
    for prev, run in zip(runs, runs[1:], strict=False):
        if prev.isalpha() and _splits_before_number(prev, run):
            pieces.append(run)  # "In2020", "over300"; "km2", "Q3", "Win10" stay
        elif pieces[-1].isdigit() and run.isalpha():
            n = int(prev[-2:])
            suffix = "th" if 11 <= n <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
            if run[:2].lower() == suffix and len(run) > 2 and _is_wordish(run[2:]):
                pieces[-1] += run[:2]  # "11thamong" -> "11th among"
                pieces.append(run[2:])
            elif len(run) >= 3 and run.lower() not in _UNITS and _is_wordish(run):
                pieces.append(run)  # "2020the" -> "2020 the"; "10km", "5G" stay
            else:
                pieces[-1] += run
        else:
            pieces[-1] += run
    return " ".join(" ".join(_split_alpha(p)) if p.isalpha() else p for p in pieces)


def _splits_before_number(word: str, digits: str) -> bool:
    if len(word) < 2 or len(digits) < 2 or not word[1:].islower():
        return False
    year = len(digits) == 4 and digits[:2] in ("19", "20")
    return word.lower() in _NUM_WORDS or (year and _zipf(word) >= 4.0)


def _is_wordish(word: str) -> bool:
    """True for a common lower-case or capitalised word, or for glued common words."""
    if len(word) < 2 or not word[1:].islower():
        return False
    if len(word) <= 3:
        return word.lower() in _FUNCTION or (len(word) == 3 and _zipf(word) >= PIECE)
    return _zipf(word) >= PIECE or len(_split_alpha(word)) > 1


@lru_cache(maxsize=1 << 17)
def _split_alpha(tok: str) -> tuple[str, ...]:
    """Split a run of letters into words; `(tok,)` when it should stay whole."""
    if len(tok) < 4 or tok.isupper():
        return (tok,)
    if _CAMEL.search(tok):
        return _split_camel(tok)
    if caps := _CAPS_HEAD.fullmatch(tok):
        return _split_caps_head(tok, caps.group(1), caps.group(2))
    low = tok.lower()
    if not tok[1:].islower() or is_pinyin(low) or _PRONOMINAL.fullmatch(low):
        return (tok,)  # Chinese names (Yingkou, Hengqin); "thereof", "whereby"
    if tok[0].isupper() and _word_zipf(tok) < RARE:
        pieces = _split_name_head(tok)  # before wordninja: "Zhuhaiwill" is not "Zhu hai will"
        if len(pieces) > 1:
            return pieces
    return _split_word(tok)


def _split_word(tok: str) -> tuple[str, ...]:
    """Split glued lower-case or capitalised words, if the split is convincing."""
    z = _word_zipf(tok)
    if z >= 2 * 7.7 - 9.0 - MARGIN:
        return (tok,)  # not even "the the" would beat it
    sizes = _segment(tok.lower())
    ends = [sum(sizes[: i + 1]) for i in range(len(sizes))]
    pieces = [tok[end - size : end] for size, end in zip(sizes, ends, strict=True)]
    lows = [p.lower() for p in pieces]
    if len(pieces) < 2 or not all(_piece_ok(pieces, i, z) for i in range(len(pieces))):
        return (tok,)
    if tok[0].isupper():  # names (Pickwick, Toto) unless they start or end with a glue word
        if z >= NAME and not (lows[-1] == "the" and lows[0] in _TITLE_GLUE):
            return (tok,)
        if not _TITLE_GLUE.intersection((lows[0], lows[-1])):
            return (tok,)
    score = sum(_zipf(p) for p in lows) - 9.0 * (len(pieces) - 1)
    few = z < 2.5 and _FUNCTION.issuperset(lows)  # "hasbeen", "willbe"; not "anon", "heron"
    needed = z + (MARGIN / 2 if few else MARGIN) if z >= RARE else z
    return tuple(pieces) if z == 0.0 or score > needed else (tok,)


def _segment(low: str) -> list[int]:
    """Sizes of the likeliest words spelling `low` (letters only), by wordninja's English
    unigram model (Zipf's law on its word ranks)."""
    return [len(word) for word in wordninja.split(low)] or [len(low)]


def _piece_ok(pieces: list[str], i: int, z: float) -> bool:
    piece, low, last = pieces[i], pieces[i].lower(), i == len(pieces) - 1
    if len(piece) == 1:  # "forminga" -> "forming a"; "Ithink" -> "I think"
        return piece == "I" or (piece == "a" and (last or (i == 0 and z == 0.0)))
    if len(piece) == 2:
        return low in _FUNCTION
    if low in _SUFFIX_WORDS and last and pieces[i - 1].lower() not in _FUNCTION:
        return False  # "overridable" is not "over rid able"; "beable" is "be able"
    if piece[1:] != piece[1:].lower() or low in _AFFIXES:
        return False
    return _word_zipf(piece) >= (LONG_PIECE if len(piece) >= 8 else PIECE)


def _split_name_head(tok: str) -> tuple[str, ...]:
    """'Dalianhas' -> ('Dalian', 'has'), 'Tianjinport': a pinyin name glued to a common word."""
    for cut in range(len(tok) - 3, 3, -1):
        head, tail = tok[:cut], tok[cut:]
        if not tail.islower() or not is_pinyin(head.lower()):
            continue
        words = (tail,) if tail in _PLACE or _zipf(tail) >= 6.0 else _split_alpha(tail)
        if words[0] in _PLACE or (words[0] in _FUNCTION and _zipf(words[0]) >= 6.0):
            return (head, *words)
    return (tok,)


def _split_camel(tok: str) -> tuple[str, ...]:
    """'DalianFree' -> ('Dalian', 'Free'), 'inChina' -> ('in', 'China'); keeps WeChat, iPhone."""
    edges = [0, *(m.start() + 1 for m in _CAMEL.finditer(tok)), len(tok)]
    parts = [tok[a:b] for a, b in zip(edges, edges[1:], strict=False)]
    z = _zipf(tok)
    if z >= BRAND and z >= sum(_zipf(p) for p in parts) - 9.0 * (len(parts) - 1):
        return (tok,)  # a name in its own right: YouTube, PetroChina, LinkedIn
    pieces = parts[:1]
    for part in parts[1:]:
        if _camel_boundary(pieces[-1], part):
            pieces.append(part)
        else:
            pieces[-1] += part
    return tuple(w for p in pieces for w in (_split_alpha(p) if not _CAMEL.search(p) else (p,)))


def _camel_boundary(left: str, right: str) -> bool:
    if len(right) < 2 or (len(right) == 2 and right.lower() not in _FUNCTION):
        return False  # OpenAI, SymPy, LinkedIn; but "AreaIs"
    if left.islower():  # "inChina", "theBelt", "areaofChina"; iPhone, eBay, getLogger stay
        return left in _FUNCTION or _split_alpha(left)[-1] in _FUNCTION
    return len(left) > 2  # WeChat, McDonald stay


def _split_caps_head(tok: str, caps: str, tail: str) -> tuple[str, ...]:
    """'RMBsettlement' -> ('RMB', 'settlement'), 'TEUsin' -> ('TEUs', 'in')."""
    if _zipf(tok) >= BRAND:  # SMEs, JPMorgan
        return (tok,)
    options = [(_zipf(tail), len(caps))] if _is_wordish(tail) else []
    if tail[0] == "s" and _is_wordish(tail[1:]):
        options.append((_zipf(tail[1:]), len(caps) + 1))
    if not options:
        return (tok,)
    cut = max(options)[1]
    return (tok[:cut], *_split_alpha(tok[cut:]))


@lru_cache(maxsize=1 << 16)
def is_pinyin(word: str) -> bool:
    """True if the lower-case `word` is spelt by Hanyu Pinyin syllables (liaoning, qianhai)."""
    reach = [True] + [False] * len(word)  # reach[i]: word[:i] is a run of syllables
    for i in range(len(word)):
        if reach[i]:
            for j in range(i + 1, min(i + 6, len(word)) + 1):
                reach[j] = reach[j] or word[i:j] in PINYIN_SYLLABLES
    return reach[-1]
