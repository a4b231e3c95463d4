#!/usr/bin/env python3
"""Cross-validated document-level entity scores on the CoNLL training split.

The training documents are cut into K contiguous folds. For each fold a
model is trained on the other folds (`newsdex train-ner`), the fold's
articles (../shared/corpora/conll2003-docs/train) are extracted with it
(`NEWSDEX_NER_MODEL`), and all folds' output is scored together against
train.gold.json with ../shared/tools/score_facets.py. The figure estimates
how the extractor does on news it was not trained on, without reading the
dev split, so a change can be judged before dev is scored once.

Usage: scripts/ner-cv.py [K [SYSTEM.json]] (default 5 folds; release build of
this checkout; SYSTEM.json keeps the extracted entities for a look at errors;
NEWSDEX_CV_TRAIN_ARGS adds options to train-ner, e.g. "--one-pass --prune 2")
"""

import json
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.join(ROOT, "..", "shared")
TRAIN = os.path.join(SHARED, "corpora", "conll2003", "eng.train")
DOCS = os.path.join(SHARED, "corpora", "conll2003-docs", "train")
GOLD = os.path.join(SHARED, "corpora", "conll2003-docs", "train.gold.json")
SCORER = os.path.join(SHARED, "tools", "score_facets.py")
BIN = os.path.join(ROOT, "target", "release", "newsdex")
# the tagger's lists of names (NEWSDEX_CV_PLACES and NEWSDEX_CV_FIRST_NAMES name others, to compare)
PLACES = os.environ.get("NEWSDEX_CV_PLACES", os.path.join(ROOT, "models", "places.txt"))
FIRST_NAMES = os.environ.get("NEWSDEX_CV_FIRST_NAMES", os.path.join(ROOT, "models", "first-names.txt"))
TRAIN_ARGS = os.environ.get("NEWSDEX_CV_TRAIN_ARGS", "").split()


def documents(path):
    """The CoNLL file's documents, each as its lines (with its -DOCSTART- line)."""
    docs = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("-DOCSTART-"):
                docs.append([])
            if docs:
                docs[-1].append(line)
    return docs


def main():
    k = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    docs = documents(TRAIN)
    gold = json.load(open(GOLD))
    names = [f"doc-{i + 1:04d}" for i in range(len(docs))]
    assert len(names) == len(gold), (len(names), len(gold))
    system = {}
    with tempfile.TemporaryDirectory() as work:
        for fold in range(k):
            lo, hi = fold * len(docs) // k, (fold + 1) * len(docs) // k
            train = os.path.join(work, f"train{fold}.conll")
            with open(train, "w", encoding="utf-8") as out:
                for doc in docs[:lo] + docs[hi:]:
                    out.writelines(doc)
            model = os.path.join(work, f"ner{fold}.bin")
            subprocess.run(
                [BIN, "train-ner", *TRAIN_ARGS, "--clusters", os.path.join(ROOT, "models", "clusters.bin"),
                 "--places", PLACES, "--first-names", FIRST_NAMES, train, model],
                check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            files = [os.path.join(DOCS, f"{n}.txt") for n in names[lo:hi]]
            run = subprocess.run(
                [BIN, "extract", "--json", *files],
                check=True, capture_output=True, text=True,
                env={**os.environ, "NEWSDEX_NER_MODEL": model})
            system.update(json.loads(run.stdout))
            print(f"fold {fold + 1}/{k}: documents {lo + 1}-{hi}", file=sys.stderr)
        sys_path = sys.argv[2] if len(sys.argv) > 2 else os.path.join(work, "system.json")
        json.dump(system, open(sys_path, "w"))
        score = subprocess.run([sys.executable, SCORER, GOLD, sys_path],
                               check=True, capture_output=True, text=True)
    print(score.stdout.strip())


if __name__ == "__main__":
    main()
