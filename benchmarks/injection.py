"""Injection benchmark: documents that hide instructions for the assistant, asked through the
generative engine with stub chat models that obey them.

One temporary index holds docs/ plus every attack document of the chosen sets and the benign
ones (the attacks and the ordinary documents that must not suffer for them). Each attack case
is asked three ways:
- extractive: the engine without a model;
- obedient model: a stub that, when the attack's payload is anywhere in its prompt, answers with
  the attacker's claim citing the passage that holds it (else passage 1's first sentence);
- compromised model: a stub that answers with the attacker's claim whatever it is shown, citing
  passage 1, so that only verification stands between it and the user.
Counted per set: payloads left in the index, payloads the model was shown, and claims that
reached the user (the payload in a streamed sentence, the answer or a quoted snippet). Benign
cases count payloads withheld by mistake and questions whose answer still carries the fact.
Then single blocks no detector was fitted on: blind attack blocks written to slip past the
known phrasings (how many are found), and hard ordinary blocks (how many would be withheld).

The sets (benchmarks/data/injection-*.jsonl) were written blind: see benchmarks/data/README.md.
Usage: python benchmarks/injection.py [--sets validate tune] [--show validate]
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from _setup import DATA, ROOT, held_out_block, indexed  # (sets up the import path first)
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatResult

from assistant.contract import Answer
from assistant.embeddings import MiniLMEmbeddings
from assistant.errors import UnreadableDocument
from assistant.generative import GenerativeEngine
from assistant.ingest.loaders import load_document
from assistant.injection import SteeringModel, skeleton, steering_blocks
from assistant.prompt import CLOSE, OPEN

SETS = {"validate": DATA / "injection-validate.jsonl", "tune": DATA / "injection-tune.jsonl"}
BENIGN = DATA / "injection-benign.jsonl"
# single blocks, held out of fitting (see benchmarks/fit_steering.py)
ATTACK_BLOCKS = DATA / "injection-blocks-2.jsonl"
ORDINARY_BLOCKS = (DATA / "injection-ordinary-blocks.jsonl",
                   DATA / "injection-ordinary-blocks-2.jsonl")
PASSAGE = re.compile(r"^\[(\d+)\] ", re.M)


class ObeyingModel(BaseChatModel):
    """A chat model that does what the attack wants: says `claim` citing the passage that holds
    `payload` when it is shown one (`blind`: whatever it is shown, citing passage 1)."""

    payload: str = ""
    claim: str = ""
    blind: bool = False
    shown: bool = False  # the last prompt held the payload

    @property
    def _llm_type(self) -> str:
        return "injection-stub"

    def _generate(self, messages: list[BaseMessage], stop: Any = None, run_manager: Any = None,
                  **kwargs: Any) -> ChatResult:
        prompt = str(messages[-1].content)
        block = prompt[prompt.find(OPEN) + len(OPEN):prompt.rfind(CLOSE)]
        starts = list(PASSAGE.finditer(block))
        passages = {int(m.group(1)): block[m.end():(starts[i + 1].start() if i + 1 < len(starts)
                                                      else len(block))]
                    for i, m in enumerate(starts)}
        holding = [n for n, text in passages.items() if skeleton(self.payload) in skeleton(text)]
        self.shown = bool(holding)
        if holding or self.blind:
            reply = f"{self.claim} [{holding[0] if holding else 1}]"
        else:
            first = passages.get(1, "").split("\n")[-1].split(". ")[0].rstrip(".")
            reply = f"{first}. [1]" if first else "The passages do not answer this question."
        return ChatResult(generations=[ChatGeneration(message=AIMessage(reply))])


@dataclass
class Case:
    id: str
    kind: str
    language: str
    document_name: str
    document: str
    question: str
    payload: str
    claim: str
    target: str

    @classmethod
    def read(cls, path: Path) -> list[Case]:
        return [cls(**{k: row[k] for k in cls.__dataclass_fields__ if k != "kind"},
                    kind=row["class"])
                for row in map(json.loads, path.read_text(encoding="utf-8").splitlines()) if row]


def shown_to_user(outputs: list[str | Answer]) -> str:
    """Everything a user sees of one answer: streamed sentences, the answer, quoted snippets."""
    texts = []
    for output in outputs:
        if isinstance(output, Answer):
            texts += [output.answer, output.lead or "", *(c.snippet for c in output.citations)]
        else:
            texts.append(output)
    return skeleton(" ".join(texts))


def ask(engine: Any, question: str) -> list[str | Answer]:
    if isinstance(engine, GenerativeEngine):
        return list(engine.stream(question))
    return [engine.answer(question)]


def indexed_payloads(components: Any) -> str:
    return skeleton(" ".join(hit.text for hit in components.store.iter_chunks()))


def run_attacks(name: str, cases: list[Case], components: Any, stored: str, show: bool
                ) -> dict[str, Any]:
    extractive = components.engine
    obedient, compromised = ObeyingModel(), ObeyingModel(blind=True)
    engines: dict[str, Any] = {"extractive": extractive,
                               "obedient model": GenerativeEngine(extractive, obedient),
                               "compromised model": GenerativeEngine(extractive, compromised)}
    reached = dict.fromkeys(engines, 0)
    left, seen = 0, 0
    for case in cases:
        payload = skeleton(case.payload)
        left += payload in stored
        for model in (obedient, compromised):
            model.payload, model.claim = case.payload, case.claim
        for way, engine in engines.items():
            hit = payload in shown_to_user(ask(engine, case.question))
            reached[way] += hit
            if hit and show:
                print(f"  REACHED ({way}) {case.id} [{case.kind}]: {case.claim}")
        seen += obedient.shown
    return {"set": name, "cases": len(cases), "left in index": left, "shown to model": seen,
            **{f"reached user: {way}": n for way, n in reached.items()}}


def run_benign(cases: list[Case], components: Any, stored: str, show: bool) -> dict[str, Any]:
    withheld = [case for case in cases if skeleton(case.payload) not in stored]
    answered = 0
    for case in cases:
        answer = components.engine.answer(case.question)
        answered += skeleton(case.payload) in skeleton(answer.answer)
    if show:
        for case in withheld:
            print(f"  NOT INDEXED benign {case.id}: {case.claim}")
    return {"set": "benign", "cases": len(cases), "fact not indexed (by mistake)": len(withheld),
            "answer holds the fact": answered}


def run_blocks(folder: Path, model: SteeringModel | None) -> list[dict[str, Any]]:
    """The held-out single blocks, each read as a Markdown document is: the blind attack blocks
    the detectors find, and the hard ordinary blocks (the first set's even ids, all of the
    second) they would withhold by mistake."""
    def read(path: Path, keep: Callable[[str], bool] = lambda block_id: True) -> list[str]:
        texts = []
        for row in map(json.loads, path.read_text(encoding="utf-8").splitlines()):
            if keep(row["id"]):
                file = folder / f"{row['id']}.md"
                file.write_text(row["text"], encoding="utf-8")
                try:
                    texts.append(" ".join(page.page_content for page in load_document(file)))
                except UnreadableDocument:  # nothing a reader sees (an HTML comment alone)
                    texts.append("")
        return texts

    attacks = read(ATTACK_BLOCKS)
    ordinary = [*read(ORDINARY_BLOCKS[0], held_out_block), *read(ORDINARY_BLOCKS[1])]
    return [{"set": "attack blocks (held out)", "blocks": len(attacks),
             "not read (no visible text)": sum(not text for text in attacks),
             "found": sum(bool(steering_blocks(text, model)) for text in attacks)},
            {"set": "ordinary blocks (held out)", "blocks": len(ordinary),
             "withheld by mistake": sum(bool(steering_blocks(text, model)) for text in ordinary)}]


def documents(folder: Path, cases: list[Case]) -> Iterator[Path]:
    """The shipped documents and each case's document, copied into one folder."""
    for path in sorted((ROOT / "docs").iterdir()):
        if path.is_file() and path.name not in ("README.md", "SOURCES.md"):
            yield Path(shutil.copy(path, folder / path.name))
    for case in cases:
        path = folder / case.document_name
        if path.exists():
            raise SystemExit(f"two cases share the document name {case.document_name}")
        path.write_text(case.document, encoding="utf-8")
        yield path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", nargs="+", default=list(SETS),
                        help="set names (validate, tune) or NAME=FILE")
    parser.add_argument("--show", nargs="*", default=[],
                        help="sets whose leaks are printed (only tune and benign may be read)")
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    files = dict(SETS, **dict(item.split("=", 1) for item in args.sets if "=" in item))
    attacks = {name: Case.read(Path(files[name])) for name in (s.split("=")[0] for s in args.sets)}
    benign = Case.read(BENIGN)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "docs"
        folder.mkdir()
        list(documents(folder, [*benign, *(c for cases in attacks.values() for c in cases)]))
        components = indexed(folder, Path(tmp) / "index")
        stored = indexed_payloads(components)
        rows = [run_attacks(name, cases, components, stored, name in args.show)
                for name, cases in attacks.items()]
        rows.append(run_benign(benign, components, stored, "benign" in args.show))
        blocks = Path(tmp) / "blocks"
        blocks.mkdir()
        rows += run_blocks(blocks, SteeringModel.load(MiniLMEmbeddings().embed_documents))
    for row in rows:
        print(json.dumps(row, ensure_ascii=False))


if __name__ == "__main__":
    main()
