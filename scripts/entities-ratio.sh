#!/usr/bin/env bash
# What the entity tagger costs an index build: indexes a folder with and
# without entities, alternating, each into a fresh index, and prints the
# median wall time of each and the median of the per-round ratios.
#
# Usage: [BASE=BIN] [MODELS="A.bin B.bin"] scripts/entities-ratio.sh [ROUNDS] [DIR]
#        (default 9 rounds over ../shared/corpora/bbc; release build)
# With BASE, each round also indexes with entities using binary BIN (an
# earlier build), and its ratio to this build's --no-entities is printed.
# With MODELS, each round also indexes with entities using each model file
# (NEWSDEX_NER_MODEL; `newsdex train-ner --one-pass`, `--prune W` make
# cheaper ones), and each one's ratio is printed.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-9}
dir=${2:-../shared/corpora/bbc}
cargo build --release --quiet
bin=target/release/newsdex
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Wall time in seconds, to the microsecond (bash's EPOCHREALTIME: /usr/bin/time
# counts in 10 ms steps, 3-5% of a BBC build).
wall() {
    local exe=$1
    shift
    rm -rf "$work/index"
    local start=$EPOCHREALTIME
    "$exe" --index "$work/index" index "$dir" -q "$@" >/dev/null 2>&1 || { echo "entities-ratio: $exe $* failed" >&2; exit 1; }
    local end=$EPOCHREALTIME
    python3 -c "print(f'{$end - $start:.4f}')"
}
read -r -a models <<<"${MODELS:-}"
for _ in $(seq "$rounds"); do
    row="$(wall "$bin") $(wall "$bin" --no-entities) ${BASE:+$(wall "$BASE")}"
    for m in "${models[@]}"; do
        row="$row $(NEWSDEX_NER_MODEL=$m wall "$bin")"
    done
    echo "$row"
done >"$work/rounds"
python3 - "$work/rounds" "${BASE:+BASE}" "${models[@]}" <<'PY'
import statistics, sys
rows = [list(map(float, line.split())) for line in open(sys.argv[1])]
ent = statistics.median(r[0] for r in rows)
off = statistics.median(r[1] for r in rows)
ratio = statistics.median(r[0] / r[1] for r in rows)
print(f"{len(rows)} rounds: with entities {ent:.3f} s, --no-entities {off:.3f} s, "
      f"median ratio {ratio:.2f}x (range {min(r[0]/r[1] for r in rows):.2f}-{max(r[0]/r[1] for r in rows):.2f})")
names = [n for n in sys.argv[2:] if n]
for j, name in enumerate(names, 2):
    with_it = statistics.median(r[j] for r in rows)
    print(f"{name} with entities {with_it:.3f} s, median ratio {statistics.median(r[j] / r[1] for r in rows):.2f}x")
PY
