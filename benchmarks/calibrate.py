"""Fit the answer model on the tune set: logistic weights over the scoring features, then the
answer threshold by a sweep over the answers the engine would give. Prints the weights as they
go in `assistant/config.py`.

Each candidate sentence of each tune question is one example: positive when the passage an
answer would quote for it holds every `answer_contains` item; every candidate of an
unanswerable question is negative. Weights keep the sign their feature's meaning gives them
(a contradiction never raises the probability). The threshold is the one
whose worse score of cite (answerable questions) and refusal (unanswerable ones) is best on the
held-out folds, with each answer composed as the engine composes it and judged by the
contract. Five-fold cross-validation by document (each fold holds out every question about
some of the documents: an unanswerable one goes with the document of its nearest passage)
shows how well the fit carries to documents it was not fitted on, and chooses the threshold
and the strength of the L2 penalty. Only the tune set is read.

Usage: python benchmarks/calibrate.py [--questions tune zh-tune] [--docs docs]
(the default: the English and the Chinese tune sets)
"""

from __future__ import annotations

import random
import sys
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
from _setup import QUESTION_SETS, indexed, question_options  # noqa: I001 (import path first)
from scipy.optimize import minimize  # noqa: E402

from assistant.answering.compose import compose, unit_text  # noqa: E402
from assistant.answering.fit import contradicts  # noqa: E402
from assistant.answering.scoring import FEATURES, GAPPED  # noqa: E402
from assistant.config import AnswerSettings, load_settings  # noqa: E402
from assistant.evaluation import contains_all, judge, read_questions  # noqa: E402

# L2 penalties per weight (against the data's mean log loss) tried by cross-validation
REGULARISATIONS = (0.0001, 0.001, 0.01, 0.03)
FOLDS = 5
# Evidence against an answer may only lower its probability; evidence for it only raise it.
AGAINST = {"names_missing", "place_absent", "place_conflict", "place_broader", "place_narrower",
           "period_conflict", "period_absent", "kind_missing", "figure_elsewhere",
           "quantity_missing", "rate_mismatch", "part_conflict", "part_absent",
           "role_conflict", "entity_missing", "event_missing",
           *(f"{name}_gap" for name in GAPPED)}


class Model:
    """A logistic model whose weights keep the sign each feature's meaning gives it."""

    def __init__(self, weights: np.ndarray, bias: float) -> None:
        self.weights, self.bias = weights, bias

    def predict_proba(self, x: np.ndarray) -> np.ndarray:
        p = 1 / (1 + np.exp(-np.clip(x @ self.weights + self.bias, -30, 30)))
        return np.column_stack([1 - p, p])


def examples(engine: Any, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per question: its feature matrix and candidate labels."""
    out = []
    for row in rows:
        _, candidates = engine.candidates(row["question"])
        wanted = row.get("answer_contains") or []
        # a sentence whose passage says the answer is a right one, whichever document
        labels = [bool(row.get("answerable", True)) and contains_all(unit_text(c), wanted)
                  for c in candidates]
        matrix = np.array([[c.features[f] for f in FEATURES] for c in candidates]
                          or np.zeros((0, len(FEATURES))))
        out.append({"row": row, "x": matrix, "y": np.array(labels, dtype=bool),
                    "candidates": candidates})
    return out


def fit(train: list[dict[str, Any]], regularisation: float) -> Model:
    """Sign-constrained, class-balanced, L2-regularised logistic regression (L-BFGS-B)."""
    x = np.vstack([e["x"] for e in train if len(e["x"])])
    y = np.concatenate([e["y"] for e in train if len(e["x"])]).astype(float)
    balance = np.where(y > 0, 0.5 / max(y.mean(), 1e-9), 0.5 / max(1 - y.mean(), 1e-9))

    def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
        w, b = theta[:-1], theta[-1]
        z = x @ w + b
        p = 1 / (1 + np.exp(-np.clip(z, -30, 30)))
        eps = 1e-12
        value = -np.sum(balance * (y * np.log(p + eps) + (1 - y) * np.log(1 - p + eps)))
        grad_z = balance * (p - y)
        value += regularisation * len(y) * float(w @ w) / 2
        grad = np.append(x.T @ grad_z + regularisation * len(y) * w, grad_z.sum())
        return value / len(y), grad / len(y)

    bounds = [(None, 0.0) if name in AGAINST else (0.0, None) for name in FEATURES]
    result = minimize(loss, np.zeros(len(FEATURES) + 1), jac=True, method="L-BFGS-B",
                      bounds=[*bounds, (None, None)])
    return Model(result.x[:-1], float(result.x[-1]))


def document_folds(data: list[dict[str, Any]]) -> list[list[int]]:
    """Question indices in FOLDS groups, each document's questions in one group (an
    unanswerable question goes with the document of its nearest passage)."""
    def document(example: dict[str, Any]) -> str:
        source = example["row"].get("source")
        if source:
            return str(source)
        nearest = example["candidates"][:1]
        return str(nearest[0].chunk.metadata.get("source", "")) if nearest else ""

    documents = sorted({document(e) for e in data})
    random.Random(7).shuffle(documents)
    group = {name: i % FOLDS for i, name in enumerate(documents)}
    return [[i for i, e in enumerate(data) if group[document(e)] == f] for f in range(FOLDS)]


def held_out(data: list[dict[str, Any]], folds: list[list[int]], settings: AnswerSettings,
             regularisation: float) -> list[tuple[float, bool]]:
    """Each question's decision by a model fitted on the other folds."""
    held: list[tuple[float, bool]] = [(0.0, False)] * len(data)
    for fold in folds:
        inside = set(fold)
        model = fit([e for i, e in enumerate(data) if i not in inside], regularisation)
        for i, decision in zip(fold, decide(model, [data[i] for i in fold], settings),
                               strict=True):
            held[i] = decision
    return held


def decide(model: Model, data: list[dict[str, Any]], settings: AnswerSettings
           ) -> list[tuple[float, bool]]:
    """Per question: the best candidate's probability, and whether the answer composed from
    the candidates (as the engine composes it) is accurate and cited by the contract."""
    out = []
    for example in data:
        if not len(example["x"]):
            out.append((0.0, False))
            continue
        p = model.predict_proba(example["x"])[:, 1]
        candidates = example["candidates"]
        for candidate, probability in zip(candidates, p, strict=True):
            candidate.probability = float(probability)
        ranked = [c for c in sorted(candidates, key=lambda c: c.probability, reverse=True)
                  if not contradicts(c, settings.contradictions)]
        if not ranked:
            out.append((0.0, False))
            continue
        answer = compose(example["row"]["question"], ranked[0], ranked[1:], settings.margin)
        out.append((ranked[0].probability, judge(example["row"], answer.to_json()).cited))
    return out


def sweep(decisions: list[tuple[float, bool]], rows: list[dict[str, Any]]
          ) -> tuple[float, float, float]:
    """The threshold whose worse score of cite and refusal is best (then the better one):
    (threshold, cite, refusal)."""
    best = (0.5, 0.0, 0.0)
    for threshold in np.arange(0.05, 0.96, 0.01):
        cite, refusal = rates(decisions, rows, float(threshold))
        if (min(cite, refusal), cite + refusal) > (min(best[1:]), best[1] + best[2]):
            best = (float(threshold), cite, refusal)
    return best


def rates(decisions: list[tuple[float, bool]], rows: list[dict[str, Any]],
          threshold: float) -> tuple[float, float]:
    answerable = [(p, ok) for (p, ok), r in zip(decisions, rows, strict=True)
                  if r.get("answerable", True)]
    unanswerable = [p for (p, _), r in zip(decisions, rows, strict=True)
                    if not r.get("answerable", True)]
    cite = sum(p >= threshold and ok for p, ok in answerable) / max(len(answerable), 1)
    refusal = sum(p < threshold for p in unanswerable) / max(len(unanswerable), 1)
    return cite, refusal


def main() -> None:
    parser = question_options(__doc__.splitlines()[0], many=True)
    parser.set_defaults(questions=[(name, QUESTION_SETS[name]) for name in ("tune", "zh-dev")])
    args = parser.parse_args()
    rows = [row for _, path in args.questions for row in read_questions(path)]
    with tempfile.TemporaryDirectory() as tmp:
        components = indexed(args.docs, Path(tmp) / "index")
        data = examples(components.engine, rows)
    folds = document_folds(data)
    settings = load_settings().answer  # FTZ_ANSWER__* variables apply
    best: tuple[float, float, list[tuple[float, bool]]] | None = None
    for regularisation in REGULARISATIONS:
        held = held_out(data, folds, settings, regularisation)
        threshold, cite, refusal = sweep(held, rows)
        print(f"cross-validated ({FOLDS} folds by document), L2 {regularisation}: threshold "
              f"{threshold:.2f} cite {cite:.2f} refusal {refusal:.2f}")
        if best is None or min(cite, refusal) > best[0]:
            best = (min(cite, refusal), regularisation, held)
    assert best is not None
    _, regularisation, held = best
    threshold, cite, refusal = sweep(held, rows)
    print(f"chosen: L2 {regularisation}, threshold {threshold:.2f} (cite {cite:.2f} "
          f"refusal {refusal:.2f} on held-out documents)")
    print("threshold  cite  refusal   (cross-validated)")
    for value in np.arange(0.3, 0.96, 0.05):
        print(f"{value:9.2f} {rates(held, rows, float(value))[0]:5.2f} "
              f"{rates(held, rows, float(value))[1]:8.2f}")
    chosen = threshold  # chosen on held-out folds: in-sample scores flatter the fit
    model = fit(data, regularisation)
    cite, refusal = rates(decide(model, data, settings), rows, chosen)
    print(f"fitted on all {len(rows)} questions, at that threshold: cite {cite:.2f} "
          f"refusal {refusal:.2f}")
    weights = {"bias": model.bias} | {
        name: float(w) for name, w in zip(FEATURES, model.weights, strict=True)}
    print("FITTED_WEIGHTS: dict[str, float] = {")
    items = [f'"{name}": {value:.3f}' for name, value in weights.items()]
    for start in range(0, len(items), 3):
        print("    " + ", ".join(items[start:start + 3]) + ",")
    print("}")
    print(f"threshold: float = {chosen:.2f}")


if __name__ == "__main__":
    sys.exit(main())
