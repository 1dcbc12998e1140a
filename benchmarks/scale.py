"""Scale benchmark: the shipped documents among 100, 1,000 and 10,000 earlier editions of them.

Each distractor is an earlier edition of one shipped document (any format, as the loaders read
it): its title and about half of its blocks, on the same zones and areas, with every year moved
back by the same one to six years, every figure in a block that names a year (a figure of
that period) changed, and a date that many years before the latest year its source names (a
document that names no year has no edition). A block without a year (a zone's area, a
standing rule) keeps its figures, as each edition of a report repeats them. Each edition
carries a different half of the measures. The place check drops none of them: ranking and
reading must find the right sentence among dozens that differ only in their periods and
figures. A question that names no period asks for the latest figure, which the shipped
document holds; one that names an earlier period may now find it, with other figures, in an
edition. The editions are ingested in steps into one
index, on top of the shipped documents; after each step the question sets are asked (the blind
validate and paraphrase sets by default) and the script prints, for that size: ingest
throughput of the step, index size on disk, the process RSS, query p50/p95, and each set's
accuracy, cite and refusal scores. The line for 0 distractors is the reference; the last lines
compare the largest size with the smallest.

With --keep FOLDER each size's index stays in FOLDER and a later run asks it again instead of
building it (building 10,000 takes about an hour on two cores).

Usage: python benchmarks/scale.py [--sizes 100,1000,10000] [--questions validate ...] [--docs docs]
                                  [--keep FOLDER]
"""

from __future__ import annotations

import gc
import random
import re
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from _setup import IGNORED, QUESTION_SETS, question_options  # noqa: I001 (import path first)
from answers import percentile, timed  # noqa: E402

from assistant.config import load_settings  # noqa: E402
from assistant.evaluation import judge, read_questions, report  # noqa: E402
from assistant.ingest.loaders import load_document  # noqa: E402
from assistant.ingest.pipeline import collect_files  # noqa: E402
from assistant.seams import Engine  # noqa: E402
from assistant.wiring import Components  # noqa: E402

# (word boundaries in ASCII: a Chinese character next to a number is no part of it)
YEAR = re.compile(r"(?<![0-9A-Za-z_.,])(?:19[5-9]\d|20[0-4]\d)(?![0-9A-Za-z_]|[.,]\d)")
FIGURE = re.compile(r"(?<![0-9A-Za-z_.])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?![0-9A-Za-z_])")
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
    if not fraction and "," not in whole and 1900 <= changed <= 2099:
        changed += 200  # (a count changed into what reads as a year would be a new period)
    text = f"{changed:,}" if "," in whole else str(changed)
    if fraction:
        text += "." + "".join(rng.choice("0123456789") for _ in fraction[1:])
    return text


def distractor(source: Source, number: int) -> str:
    """An earlier edition of a shipped document (deterministic for a number): its title and
    about half its blocks, every year moved back by the same one to six years, the figures of
    each block that names a year changed, and dated that many years before the source's latest
    year (an edition says when it is from, even where its kept blocks name no year)."""
    rng = random.Random(number)
    years = rng.randint(1, 6)
    blocks = [block.strip() for block in BLOCKS.split(source.text) if block.strip()]
    heading = blocks.pop(0) if blocks and blocks[0].startswith("# ") else f"# {source.title}"
    keep = sorted(rng.sample(range(len(blocks)), k=(len(blocks) + 1) // 2))
    body = "\n\n".join(vary_figures(block, rng) if YEAR.search(block) else block
                        for block in [heading, *(blocks[n] for n in keep)])
    title = YEAR.sub(lambda m: str(int(m.group(0)) - years), source.title).replace('"', "'")
    body = YEAR.sub(lambda m: str(int(m.group(0)) - years), body)
    return f'---\ntitle: "{title}"\ndate: {source.latest - years}\n---\n{body}\n'


@dataclass
class Source:
    """A shipped document as the loaders read it: its text, title and the latest year it
    names (its title, date and text)."""

    text: str
    title: str
    latest: int


def shipped_sources(files: list[Path]) -> list[Source]:
    """Every shipped document that names a year: one that names none has no earlier edition
    a library could tell from it (a copy of it is a duplicate, not an edition)."""
    sources = []
    for path in files:
        pages = load_document(path)
        title = str(pages[0].metadata.get("title") or path.stem.replace("-", " "))
        text = "\n\n".join(page.page_content for page in pages)
        years = YEAR.findall(f"{title} {pages[0].metadata.get('date') or ''} {text}")
        if years:
            sources.append(Source(text, title, max(map(int, years))))
    return sources


def write_distractors(sources: list[Source], first: int, last: int,
                      folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for number in range(first, last):
        path = folder / f"synthetic-{number:05d}.md"
        path.write_text(distractor(sources[number % len(sources)], number), encoding="utf-8")
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


def size_index(index: Path, previous: Path | None, files: list[Path],
               sources: list[Source], synthetic: Path) -> tuple[Components, str]:
    """The components over the index for one size (named `index-SIZE`) and the step's ingest
    throughput. A finished index (kept from an earlier run) is opened as it is; otherwise it
    starts as a copy of the previous size's (or from the shipped documents) and the missing
    editions are ingested."""
    size = int(index.name.removeprefix("index-"))
    done = index / "built"
    built = done.exists()
    if not built:
        shutil.rmtree(index, ignore_errors=True)
        if previous is not None:
            shutil.copytree(previous, index, ignore=shutil.ignore_patterns("built"))
    # no answer cache: the rounds repeat the questions, and each must cost a full answer
    components = Components(load_settings(index_dir=index, answer_cache=0))
    components.embeddings.embed_query("warm-up")  # model load outside the timings
    step = f"{'-':>7} {'-':>8}"
    if not built:
        first = 0 if previous is None else int(previous.name.removeprefix("index-"))
        new_files = files if previous is None else write_distractors(sources, first, size,
                                                                      synthetic)
        results, ms = timed(lambda: components.ingestor.ingest(new_files))
        chunks = sum(result.chunks for result in results)
        if previous is not None:
            step = f"{len(new_files) / (ms / 1000):7.1f} {chunks / (ms / 1000):8.1f}"
        done.touch()
    components.prepare()
    return components, step


def main() -> None:
    parser = question_options(__doc__.splitlines()[0], many=True)
    parser.set_defaults(questions=[(name, QUESTION_SETS[name]) for name in
                                   ("validate", "paraphrase")])
    parser.add_argument("--sizes", default="100,1000,10000",
                        help="distractor counts, increasing, comma-separated")
    parser.add_argument("--rounds", type=int, default=1, help="passes over the questions")
    parser.add_argument("--keep", type=Path, help="a folder to keep each size's index in, "
                        "and to ask it again from on a later run")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    sets = {name: read_questions(path) for name, path in args.questions}
    rows = [row for questions in sets.values() for row in questions]
    files = collect_files([args.docs], IGNORED).files
    sources = shipped_sources(files)
    if not sources or sizes != sorted(sizes):
        sys.exit("error: need documents and increasing sizes")

    print(f"{'distractors':>11} {'docs/s':>7} {'chunks/s':>8} {'chunks':>7} {'disk MB':>8} "
          f"{'RSS MB':>7} {'p50 ms':>7} {'p95 ms':>7}  " +
          "  ".join(f"{name} acc/cite/refusal" for name in sets), flush=True)
    accuracy: dict[int, dict[str, float]] = {}
    p95: dict[int, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        root = args.keep or Path(tmp)
        previous: Path | None = None
        for size in [0, *sizes]:
            index = root / f"index-{size}"
            components, step = size_index(index, previous, files, sources, root / "synthetic")
            previous = index
            answers, times = ask_all(components.engine, rows, args.rounds)
            scores = []
            start = 0
            for name, questions in sets.items():
                judged = [judge(row, answer) for row, answer in
                          zip(questions, answers[start:start + len(questions)], strict=True)]
                start += len(questions)
                values = report(judged).splitlines()[-1].split()
                accuracy.setdefault(size, {})[name] = float(values[1])
                scores.append(f"{values[1]}/{values[3]}/{values[5]}")
            p95[size] = percentile(times, 95)
            print(f"{size:>11} {step} {components.store.count():>7} "
                  f"{disk_mb(index):>8.0f} {rss_mb():>7.0f} "
                  f"{percentile(times, 50):>7.1f} {p95[size]:>7.1f}  "
                  + "  ".join(f"{score:>{len(name) + 19}}" for name, score in
                              zip(sets, scores, strict=True)), flush=True)
            del components
            gc.collect()
    small, large = sizes[0], sizes[-1]
    for name in sets:
        print(f"{name} accuracy at {large} - at {small} distractors: "
              f"{accuracy[large][name] - accuracy[small][name]:+.2f}")
    print(f"query p95 at {large} / at {small} distractors: {p95[large] / p95[small]:.2f}x")


if __name__ == "__main__":
    main()
