#!/usr/bin/env python3
"""Rebuilds benchmarks/data/livecodebench-routing.tsv (ids, split, text hashes, per-model pass@1) and the
uncommitted prompt texts (benchmarks/data/.texts/livecodebench.jsonl) from two public LiveCodeBench repositories
at recorded commits. See benchmarks/data/DATA.md.

Usage:
  python3 eng/build-routing-dataset.py [--leaderboard-git DIR] [--submissions-git DIR] [--texts-only]

DIR is a git directory (a clone or bare mirror) of the repository; when omitted, the script clones it from GitHub
into benchmarks/data/.upstream/. --texts-only rebuilds only the texts and checks them against the committed hashes.
"""
import argparse, hashlib, json, os, subprocess, sys

LEADERBOARD_URL = "https://github.com/LiveCodeBench/livecodebench.github.io"
LEADERBOARD_COMMIT = "83b6481b4890c4951730f53bdde815b25e0f7f3a"   # 2025-04-22, src/mocks/performances_generation.json
SUBMISSIONS_URL = "https://github.com/LiveCodeBench/submissions"
SUBMISSIONS_COMMIT = "4d04b02a01c81b0a7207bafdcda35efad9e39b8c"  # 2025-02-18
TEXTS_PATH = "O1-Mini-2024-09-12 (N=1)/Scenario.codegeneration_1_0.2_eval_all.json"
PERF_PATH = "src/mocks/performances_generation.json"
SPLIT_SEED = "vic-routing-split-v1"
TEST_PERCENT = 30

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
DATA = os.path.join(ROOT, "benchmarks", "data")
TSV = os.path.join(DATA, "livecodebench-routing.tsv")
TEXTS = os.path.join(DATA, ".texts", "livecodebench.jsonl")


def git_dir(given, url, name):
    if given:
        return given
    target = os.path.join(DATA, ".upstream", name)
    if not os.path.isdir(target):
        subprocess.run(["git", "clone", "--bare", "--quiet", url, target], check=True)
    return target


def show(gitdir, commit, path):
    return subprocess.run(["git", "--git-dir", gitdir, "show", f"{commit}:{path}"], check=True, capture_output=True).stdout


def prompt_text(q):
    # What a model is asked: the problem statement, plus the starter code when the platform gives one (LeetCode).
    text = q["question_content"].strip()
    starter = (q.get("starter_code") or "").strip()
    if starter:
        text += "\n\n" + starter
    return text.replace("\r\n", "\n")


def split_of(qid):
    h = hashlib.sha256(f"{SPLIT_SEED}:{qid}".encode()).digest()
    return "test" if int.from_bytes(h[:4], "big") % 100 < TEST_PERCENT else "train"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--leaderboard-git")
    ap.add_argument("--submissions-git")
    ap.add_argument("--texts-only", action="store_true")
    args = ap.parse_args()

    subs = git_dir(args.submissions_git, SUBMISSIONS_URL, "submissions.git")
    questions = json.loads(show(subs, SUBMISSIONS_COMMIT, TEXTS_PATH))
    texts = {q["question_id"]: (q["platform"], prompt_text(q)) for q in questions}
    os.makedirs(os.path.dirname(TEXTS), exist_ok=True)
    with open(TEXTS, "w", encoding="utf-8") as f:
        for qid in sorted(texts):
            f.write(json.dumps({"id": qid, "text": texts[qid][1]}, ensure_ascii=False) + "\n")

    if args.texts_only:
        bad = 0
        with open(TSV, encoding="utf-8") as f:
            header = f.readline().rstrip("\n").split("\t")
            for line in f:
                row = dict(zip(header, line.rstrip("\n").split("\t")))
                if hashlib.sha256(texts[row["id"]][1].encode()).hexdigest() != row["text_sha256"]:
                    bad += 1
        print(f"texts: {len(texts)} written to {TEXTS}; {bad} hash mismatches")
        sys.exit(1 if bad else 0)

    board = git_dir(args.leaderboard_git, LEADERBOARD_URL, "leaderboard.git")
    perf = json.loads(show(board, LEADERBOARD_COMMIT, PERF_PATH))
    models = sorted({p["model"] for p in perf["performances"]})
    scores = {}
    for p in perf["performances"]:
        scores.setdefault(p["question_id"], {})[p["model"]] = p["pass@1"]
    ids = sorted(q for q in texts if q in scores and len(scores[q]) == len(models))
    with open(TSV, "w", encoding="utf-8") as f:
        f.write("\t".join(["id", "platform", "split", "text_sha256"] + models) + "\n")
        for qid in ids:
            platform, text = texts[qid]
            row = [qid, platform, split_of(qid), hashlib.sha256(text.encode()).hexdigest()]
            row += [f"{scores[qid][m]:g}" for m in models]
            f.write("\t".join(row) + "\n")
    n_test = sum(split_of(q) == "test" for q in ids)
    print(f"{len(ids)} problems ({len(ids) - n_test} train, {n_test} test), {len(models)} models -> {TSV}")


if __name__ == "__main__":
    main()
