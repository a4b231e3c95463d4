#!/usr/bin/env bash
# What the entity tagger costs an index build: indexes a folder with and
# without entities, alternating, each into a fresh index, and prints the
# median wall time of each and the median of the per-round ratios.
#
# Usage: scripts/entities-ratio.sh [ROUNDS] [DIR]
#        (default 9 rounds over ../shared/corpora/bbc; release build)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-9}
dir=${2:-../shared/corpora/bbc}
cargo build --release --quiet
bin=target/release/newsdex
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
wall() {
    rm -rf "$work/index"
    /usr/bin/time -f %e -o "$work/t" "$bin" --index "$work/index" index "$dir" -q "$@" >/dev/null 2>&1
    cat "$work/t"
}
for _ in $(seq "$rounds"); do
    echo "$(wall) $(wall --no-entities)"
done >"$work/rounds"
python3 - "$work/rounds" <<'PY'
import statistics, sys
rows = [list(map(float, line.split())) for line in open(sys.argv[1])]
ent = statistics.median(r[0] for r in rows)
off = statistics.median(r[1] for r in rows)
ratio = statistics.median(r[0] / r[1] for r in rows)
print(f"{len(rows)} rounds: with entities {ent:.3f} s, --no-entities {off:.3f} s, "
      f"median ratio {ratio:.2f}x (range {min(r[0]/r[1] for r in rows):.2f}-{max(r[0]/r[1] for r in rows):.2f})")
PY
