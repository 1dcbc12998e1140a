"""Scale benchmark: the shipped documents among 100, 1,000 and 10,000 synthetic distractors.

The distractors are made from the shipped fact sheets: each takes the title and two or three
sections of one sheet, renames every zone, area, city and issuing body to an invented one, moves
every year by the same few years and changes every other figure: an archive of other zones'
documents, written the same way (verbatim copies of a sheet with other figures and the same
issuer and year would be contradictions no reader could settle). They are ingested in steps
into one temporary index, on top of the shipped documents; after each step the dev questions
are asked and the script prints, for that size: ingest throughput of the step, index size on
disk, the process RSS, query p50/p95, and the contract scores. The line for 0 distractors is
the reference.

Usage: python benchmarks/scale.py [--sizes 100,1000,10000] [--questions ...] [--docs docs]
"""

from __future__ import annotations

import random
import re
import sys
import tempfile
from pathlib import Path
from typing import Any

from _setup import IGNORED, question_options  # noqa: I001 (sets up the import path first)
from answers import percentile, timed  # noqa: E402

from assistant.config import load_settings  # noqa: E402
from assistant.evaluation import judge, read_questions, report  # noqa: E402
from assistant.ingest.pipeline import collect_files  # noqa: E402
from assistant.wiring import Components  # noqa: E402

PLACES = ("Dalian", "Shenyang", "Yingkou", "Liaoning", "Shanghai", "Pudong", "Lin-gang",
          "Lingang", "Hainan", "Fujian", "Xiamen", "Fuzhou", "Pingtan", "Guangdong", "Nansha",
          "Qianhai", "Shekou", "Hengqin", "Tianjin", "Macao", "Guangzhou", "Shenzhen", "Zhuhai",
          "Jinpu", "Dayaowan", "Beijing", "Heilongjiang", "Guangxi", "Hebei", "Yangpu", "Wanli",
          "Hong Kong", "Taiwan", "Zhejiang", "Hubei", "Sichuan", "Chongqing", "Shandong")
SYLLABLES = ("lan", "qing", "he", "shan", "yuan", "ping", "jiang", "ning", "hai", "tai", "xin",
             "long", "feng", "an", "bei", "chang", "de", "hua", "kang", "li", "mei", "ruo", "sui",
             "tong", "wu", "xiu", "yan", "zhao")
YEAR = re.compile(r"(?<![\w.,])(?:19[5-9]\d|20[0-4]\d)(?![\w,]|\.\d)")
FIGURE = re.compile(r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?![\w])")
ISSUERS = ("MOFCOM", "Ministry of Commerce", "State Council", "NDRC",
           "National Development and Reform Commission", "General Administration of Customs")
SECTION = re.compile(r"^## ", re.M)


def invented_place(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(2)).capitalize()


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


def distractor(sheet: str, number: int) -> str:
    """A new document from one fact sheet: its title and 2-3 sections, places and issuers
    renamed, years moved, other figures of the text changed (deterministic for a number)."""
    rng = random.Random(number)
    years = rng.choice((-6, -5, -4, -3, -2, -1, 1, 2, 3))
    front, body = sheet.split("\n---\n", 1) if sheet.startswith("---") else ("", sheet)
    head, *sections = SECTION.split(body)
    picked = rng.sample(sections, k=min(len(sections), rng.randint(2, 3)))
    body = "\n".join((head.strip(), *("## " + s.strip() for s in picked)))
    text = "\n".join(line if line.startswith(("source:", "date:"))
                     else FIGURE.sub(lambda m: vary_figure(m, rng), line)
                     for line in f"{front}\n---\n{body}\n".splitlines())
    text = YEAR.sub(lambda m: str(int(m.group(0)) + years), text)
    for place in PLACES:
        text = re.sub(rf"\b{re.escape(place)}\b", invented_place(rng), text)
    for issuer in ISSUERS:
        text = text.replace(issuer, f"{invented_place(rng)} Commerce Bureau")
    return text


def write_distractors(sheets: list[str], first: int, last: int, folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for number in range(first, last):
        path = folder / f"synthetic-{number:05d}.md"
        path.write_text(distractor(sheets[number % len(sheets)], number), encoding="utf-8")
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


def ask_all(engine: Any, rows: list[dict], rounds: int) -> tuple[list[dict], list[float]]:
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
    parser = question_options(__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,1000,10000",
                        help="distractor counts, increasing, comma-separated")
    parser.add_argument("--rounds", type=int, default=2, help="passes over the questions")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    rows = read_questions(args.questions)
    files = collect_files([args.docs], IGNORED).files
    sheets = [path.read_text(encoding="utf-8") for path in files if path.suffix == ".md"]
    if not sheets or sizes != sorted(sizes):
        sys.exit("error: need .md fact sheets and increasing sizes")

    print(f"{'distractors':>11} {'docs/s':>7} {'chunks/s':>8} {'chunks':>7} {'disk MB':>8} "
          f"{'RSS MB':>7} {'p50 ms':>7} {'p95 ms':>7}  contract score", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        # no answer cache: the rounds repeat the questions, and each must cost a full answer
        components = Components(load_settings(index_dir=root / "index", answer_cache=0))
        components.embeddings.embed_query("warm-up")  # model load outside the timings
        components.ingestor.ingest(files)
        done = 0
        p95 = {}
        for size in [0, *sizes]:
            new_files = write_distractors(sheets, done, size, root / "synthetic")
            results, ms = timed(lambda new_files=new_files: components.ingestor.ingest(new_files))
            chunks = sum(result.chunks for result in results)
            done = size
            answers, times = ask_all(components.engine, rows, args.rounds)
            score = report([judge(r, a) for r, a in zip(rows, answers, strict=True)])
            p95[size] = percentile(times, 95)
            rate = f"{len(new_files) / (ms / 1000):7.1f} {chunks / (ms / 1000):8.1f}" \
                if new_files else f"{'-':>7} {'-':>8}"
            print(f"{size:>11} {rate} {components.store.count():>7} "
                  f"{disk_mb(root / 'index'):>8.0f} {rss_mb():>7.0f} "
                  f"{percentile(times, 50):>7.1f} {p95[size]:>7.1f}  "
                  f"{score.splitlines()[-1]}", flush=True)
    print(f"\nquery p95 at {sizes[-1]} / at {sizes[0]} distractors: "
          f"{p95[sizes[-1]] / p95[sizes[0]]:.2f}x")


if __name__ == "__main__":
    main()
