"""Scale benchmark: the shipped documents among 100, 1,000 and 10,000 distractors of real zones.

Each distractor is made from one shipped document (any format, as the loaders read it): its
title and about half of its blocks, with every zone named as another real zone and each area as
an area of that zone (so "Dalian" may stand where "Xiamen" stood, and the measures of one zone
now appear under another), every year moved by the same few years and every other figure
changed. Only place names, years and figures change; issuers, measures and wording stay, so
the place check drops no distractor on a question about its zone: ranking and reading must
tell the right document from many on the same zone with other figures, periods and measures.
They are ingested in steps into one temporary index, on top of the shipped documents; after
each step the question sets are asked (the blind validate and paraphrase sets by default) and
the script prints, for that size: ingest throughput of the step, index size on disk, the
process RSS, query p50/p95, and each set's accuracy, cite and refusal scores. The line for 0
distractors is the reference; the last lines compare the largest size with the smallest.

Usage: python benchmarks/scale.py [--sizes 100,1000,10000] [--questions validate ...] [--docs docs]
"""

from __future__ import annotations

import random
import re
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

from _setup import IGNORED, QUESTION_SETS, question_options  # noqa: I001 (import path first)
from answers import percentile, timed  # noqa: E402

from assistant.answering.names import gazetteer  # noqa: E402
from assistant.config import load_settings  # noqa: E402
from assistant.evaluation import judge, read_questions, report  # noqa: E402
from assistant.ingest.loaders import load_document  # noqa: E402
from assistant.ingest.pipeline import collect_files  # noqa: E402
from assistant.seams import Engine  # noqa: E402
from assistant.wiring import Components  # noqa: E402

YEAR = re.compile(r"(?<![\w.,])(?:19[5-9]\d|20[0-4]\d)(?![\w,]|\.\d)")
FIGURE = re.compile(r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?![\w])")
BLOCKS = re.compile(r"\n\s*\n")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
KEPT_NUMBER = re.compile(  # a date's day or a list's item number, changed as a year is not
    r"(?:(?:" + "|".join(MONTHS) + r") \d{1,2}\b|\b\d{1,2} (?:" + "|".join(MONTHS) + r")\b"
    r"|^\s*\d{1,2}[.)] )", re.M)


def vary_figures(text: str, rng: random.Random) -> str:
    """The text with every figure changed but days of dates and list item numbers."""
    spans = [(m.start(), m.end()) for m in KEPT_NUMBER.finditer(text)]

    def vary(match: re.Match[str]) -> str:
        inside = any(start <= match.start() < end for start, end in spans)
        return match.group(0) if inside else vary_figure(match, rng)
    return FIGURE.sub(vary, text)


def vary_figure(match: re.Match[str], rng: random.Random) -> str:
    """Another number of the same form; years (1950 to 2049) are left to `YEAR`."""
    whole, fraction = match.group(1), match.group(2) or ""
    value = int(whole.replace(",", ""))
    if not fraction and 1950 <= value <= 2049 and "," not in whole:
        return whole
    changed = max(1, round(value * rng.uniform(0.3, 3.0)))
    text = f"{changed:,}" if "," in whole else str(changed)
    if fraction:
        text += "." + "".join(rng.choice("0123456789") for _ in fraction[1:])
    return text


def place_swap(rng: random.Random) -> dict[str, str]:
    """Every spelling of every real place -> the place it becomes: each zone another zone (no
    zone keeps its name) and each area an area of the zone its own zone became."""
    places = gazetteer().places
    zones = [place.name for place in places if place.level == "zone"]
    areas: dict[str, list[str]] = defaultdict(list)
    for place in places:
        if place.level == "area":
            areas[place.zone].append(place.name)
    targets = zones[:]
    while any(zone == target for zone, target in zip(zones, targets, strict=True)):
        rng.shuffle(targets)
    zone_to = dict(zip(zones, targets, strict=True))
    area_to: dict[str, str] = {}
    for zone, names in areas.items():  # a zone's areas to distinct areas while there are enough
        targets = areas[zone_to[zone]][:] or [zone_to[zone]]
        rng.shuffle(targets)
        area_to.update((name, targets[n % len(targets)]) for n, name in enumerate(names))
    swap: dict[str, str] = {}
    for place in places:
        to = zone_to[place.name] if place.level == "zone" else area_to[place.name]
        for spelling in (place.name, *place.spellings):
            swap[spelling] = spelling.replace(place.name, to) if place.name in spelling else to
    return swap


def distractor(text: str, title: str, number: int) -> str:
    """A new Markdown document from one shipped document's text (deterministic for a number):
    its title and about half its blocks, places swapped, years moved, other figures changed."""
    rng = random.Random(number)
    years = rng.choice((-6, -5, -4, -3, -2, -1, 1, 2, 3))
    blocks = [block.strip() for block in BLOCKS.split(text) if block.strip()]
    keep = sorted(rng.sample(range(len(blocks)), k=max(1, (len(blocks) + 1) // 2)))
    heading = [] if blocks[0].startswith("# ") else [f"# {title}"]
    body = vary_figures("\n\n".join([*heading, *(blocks[n] for n in keep)]), rng)
    body = YEAR.sub(lambda m: str(int(m.group(0)) + years), body)
    swap = place_swap(rng)
    names = re.compile(r"\b(?:" + "|".join(
        re.escape(s) for s in sorted(swap, key=len, reverse=True)) + r")\b")
    body = names.sub(lambda m: swap[m.group(0)], body)
    heading = body.split("\n", 1)[0][2:].replace('"', "'")
    return f'---\ntitle: "{heading}"\n---\n{body}\n'


def shipped_texts(files: list[Path]) -> list[tuple[str, str]]:
    """(text, title) of every shipped document, as the loaders read it."""
    texts = []
    for path in files:
        pages = load_document(path)
        title = str(pages[0].metadata.get("title") or path.stem.replace("-", " "))
        texts.append(("\n\n".join(page.page_content for page in pages), title))
    return texts


def write_distractors(texts: list[tuple[str, str]], first: int, last: int,
                      folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for number in range(first, last):
        path = folder / f"synthetic-{number:05d}.md"
        text, title = texts[number % len(texts)]
        path.write_text(distractor(text, title, number), encoding="utf-8")
        paths.append(path)
    return paths


def disk_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 2**20


def rss_mb() -> float:
    """This process's resident memory now (model, Chroma, BM25 and catalogue loaded)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def ask_all(engine: Engine, rows: list[dict], rounds: int) -> tuple[list[dict], list[float]]:
    """The last round's answer JSON per question, and every question's latency in ms."""
    engine.answer("warm-up question about the free trade zones")
    times: list[float] = []
    for _ in range(rounds):
        answers = []
        for row in rows:
            answer, took = timed(lambda row=row: engine.answer(row["question"]))
            answers.append(answer.to_json())
            times.append(took)
    return answers, times


def main() -> None:
    parser = question_options(__doc__.splitlines()[0], many=True)
    parser.set_defaults(questions=[(name, QUESTION_SETS[name]) for name in
                                   ("validate", "paraphrase")])
    parser.add_argument("--sizes", default="100,1000,10000",
                        help="distractor counts, increasing, comma-separated")
    parser.add_argument("--rounds", type=int, default=1, help="passes over the questions")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    sets = {name: read_questions(path) for name, path in args.questions}
    rows = [row for questions in sets.values() for row in questions]
    files = collect_files([args.docs], IGNORED).files
    texts = shipped_texts(files)
    if not texts or sizes != sorted(sizes):
        sys.exit("error: need documents and increasing sizes")

    print(f"{'distractors':>11} {'docs/s':>7} {'chunks/s':>8} {'chunks':>7} {'disk MB':>8} "
          f"{'RSS MB':>7} {'p50 ms':>7} {'p95 ms':>7}  " +
          "  ".join(f"{name} acc/cite/refusal" for name in sets), flush=True)
    accuracy: dict[int, dict[str, float]] = {}
    p95: dict[int, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        # no answer cache: the rounds repeat the questions, and each must cost a full answer
        components = Components(load_settings(index_dir=root / "index", answer_cache=0))
        components.embeddings.embed_query("warm-up")  # model load outside the timings
        components.ingestor.ingest(files)
        components.prepare()
        done = 0
        for size in [0, *sizes]:
            new_files = write_distractors(texts, done, size, root / "synthetic")
            results, ms = timed(lambda new_files=new_files: components.ingestor.ingest(new_files))
            chunks = sum(result.chunks for result in results)
            done = size
            answers, times = ask_all(components.engine, rows, args.rounds)
            scores, start = [], 0
            for name, questions in sets.items():
                judged = [judge(row, answer) for row, answer in
                          zip(questions, answers[start:start + len(questions)], strict=True)]
                start += len(questions)
                values = report(judged).splitlines()[-1].split()
                accuracy.setdefault(size, {})[name] = float(values[1])
                scores.append(f"{values[1]}/{values[3]}/{values[5]}")
            p95[size] = percentile(times, 95)
            rate = f"{len(new_files) / (ms / 1000):7.1f} {chunks / (ms / 1000):8.1f}" \
                if new_files else f"{'-':>7} {'-':>8}"
            print(f"{size:>11} {rate} {components.store.count():>7} "
                  f"{disk_mb(root / 'index'):>8.0f} {rss_mb():>7.0f} "
                  f"{percentile(times, 50):>7.1f} {p95[size]:>7.1f}  "
                  + "  ".join(f"{score:>{len(name) + 19}}" for name, score in
                              zip(sets, scores, strict=True)), flush=True)
    small, large = sizes[0], sizes[-1]
    for name in sets:
        print(f"{name} accuracy at {large} - at {small} distractors: "
              f"{accuracy[large][name] - accuracy[small][name]:+.2f}")
    print(f"query p95 at {large} / at {small} distractors: {p95[large] / p95[small]:.2f}x")


if __name__ == "__main__":
    main()
