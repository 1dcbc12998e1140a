"""Fit the learned steering detector (assistant/data/steering-model.json) on the tune attacks.

Positives: the blocks of the tune attack documents that hold the attack's payload, and the
blind single attack blocks (`injection-blocks-*.jsonl`). Negatives: every block of the shipped
documents, the attack documents' other blocks (those the patterns and cue rules find steering
are left out: the other half of an attack) and the odd-numbered hard ordinary blocks. The
features are the block's embedding (figures masked) and its cues (`assistant.injection.CUES`);
the model is a logistic regression. Only blocks the detector scores are examples: those that
hold a cue, within one window. The threshold is chosen by cross-validation that holds out one
tune batch at a time (`inj-t-`, `inj-u-`, `inj-w-`, `inj-x-`, `ibe-`, `ibz-`: six helpers'
styles) with a share of the shipped documents and ordinary blocks: the lowest threshold at
which the held-out negatives raise no alarm. The validate and benign sets, and the
even-numbered ordinary blocks, are never read here.

Usage: python benchmarks/fit_steering.py [--write]
"""

from __future__ import annotations

import argparse
import json
import logging
import random
from pathlib import Path

import numpy as np
from _setup import DATA, ROOT, held_out_block  # (sets up the import path first)
from sklearn.linear_model import LogisticRegression

from assistant.embeddings import MiniLMEmbeddings
from assistant.ingest.loaders import load_document
from assistant.injection import (
    MODEL_PATH,
    WINDOW,
    SteeringModel,
    block_texts,
    cues_in,
    skeleton,
    steering_class,
)

TUNE = DATA / "injection-tune.jsonl"
# single attack blocks, written blind (benchmarks/data/README.md), and ordinary blocks that use
# the attacks' words in their plain sense; the ordinary blocks with an even number are held out
ATTACK_BLOCKS = (DATA / "injection-blocks-en.jsonl", DATA / "injection-blocks-zh.jsonl")
ORDINARY_BLOCKS = DATA / "injection-ordinary-blocks.jsonl"
REGULARISATION = 1.0  # sklearn's C; 0.3, 1 and 3 held out alike


def examples() -> tuple[list[str], list[int], list[str]]:
    """(block skeleton, label, group) for every block; a group is a tune set or a document."""
    texts, labels, groups = [], [], []
    for path in sorted((ROOT / "docs").iterdir()):
        if path.name in ("README.md", "SOURCES.md"):
            continue
        for page in load_document(path):
            for block in block_texts(page.page_content):
                texts.append(skeleton(block)), labels.append(0), groups.append(f"doc:{path.name}")
    for line in TUNE.read_text(encoding="utf-8").splitlines():
        case = json.loads(line)
        style, payload = case["id"].split("-")[1], skeleton(case["payload"])
        for block in block_texts(case["document"]):
            plain = skeleton(block)
            if payload not in plain and steering_class(plain):
                continue  # the attack's other half (its payload in the next block): no label
            texts.append(plain)
            labels.append(int(payload in plain))
            groups.append(f"set:{style}")
    for path in ATTACK_BLOCKS:
        for row in map(json.loads, path.read_text(encoding="utf-8").splitlines()):
            texts.append(skeleton(row["text"])), labels.append(1)
            groups.append(f"set:{row['id'].split('-')[0]}")
    for row in map(json.loads, ORDINARY_BLOCKS.read_text(encoding="utf-8").splitlines()):
        if not held_out_block(row["id"]):
            texts.append(skeleton(row["text"])), labels.append(0), groups.append("ordinary")
    scored = [n for n, plain in enumerate(texts) if len(plain) <= WINDOW and cues_in(plain)]
    return ([texts[n] for n in scored], [labels[n] for n in scored],
            [groups[n] for n in scored])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help=f"write {MODEL_PATH.name}")
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    texts, labels, groups = examples()
    features = SteeringModel.features(texts, MiniLMEmbeddings().embed_documents)
    y = np.array(labels)
    documents = sorted({g for g in groups if g.startswith("doc:")})
    random.Random(0).shuffle(documents)
    styles = sorted({g for g in groups if g.startswith("set:")})
    fold = {g: n % len(styles) for n, g in enumerate(documents)}
    ordinary = [n for n, g in enumerate(groups) if g == "ordinary"]
    fold.update({f"ordinary:{n}": k % len(styles) for k, n in enumerate(ordinary)})
    groups = [f"ordinary:{n}" if g == "ordinary" else g for n, g in enumerate(groups)]
    thresholds = []
    held_out: list[tuple[str, np.ndarray]] = []
    for k, style in enumerate(styles):
        test = np.array([g == style or fold.get(g) == k for g in groups])
        model = LogisticRegression(C=REGULARISATION, class_weight="balanced", max_iter=5000)
        model.fit(features[~test], y[~test])
        scores = model.predict_proba(features[test])[:, 1]
        thresholds.append(float(scores[y[test] == 0].max()))
        held_out.append((style, scores[y[test] == 1]))
    threshold = max(thresholds)
    for style, scores in held_out:
        print(f"held out {style}: {int((scores > threshold).sum())} of {len(scores)} attack "
              f"blocks found at threshold {threshold:.3f}")
    model = LogisticRegression(C=REGULARISATION, class_weight="balanced", max_iter=5000)
    model.fit(features, y)
    print(f"{int(y.sum())} attack blocks, {int((y == 0).sum())} ordinary ones")
    if args.write:
        SteeringModel(model.coef_[0].tolist(), float(model.intercept_[0]), threshold).save()
        print(f"wrote {Path(MODEL_PATH).relative_to(ROOT)}")


if __name__ == "__main__":
    main()
