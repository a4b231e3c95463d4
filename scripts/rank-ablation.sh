#!/bin/sh
# Ranking ablation on the Reuters dev judgments (README, "Ranking").
# usage: scripts/rank-ablation.sh [INDEX]   (run from the repo; needs ../shared)
# Each row overrides the shipped defaults with NEWSDEX_RANK and prints
# nDCG@10 and Ans@1 from the shared scorer.
set -e
idx=${1:-/tmp/rk/idx}
bin=${NEWSDEX_BIN:-target/release/newsdex}
shared=$(dirname "$0")/../../shared
work=$(mktemp -d)
[ -d "$idx" ] || "$bin" --index "$idx" index -q "$shared/corpora/reuters21578"
row() {
    name=$1; spec=$2; shift 2
    NEWSDEX_RANK=$spec "$bin" --index "$idx" batch "$shared/rank/reuters-dev/topics.tsv" \
        --run "$work/run.trec" --passages "$work/p.jsonl" "$@"
    python3 "$shared/tools/score_rank.py" "$work/run.trec" --passages "$work/p.jsonl" |
        awk -v n="$name" -v s="$spec $*" '$1=="nDCG@10"{d=$2} $1=="Ans@1"{a=$2}
            END{gsub(/^ +| +$/, "", s); if (s == "") s = "(defaults)"; printf "| %s | `%s` | %s | %s |\n", n, s, d, a}'
}
plain="title_boost=1,lead_ratio=2,feedback=0,support=0"
echo "| configuration | NEWSDEX_RANK | nDCG@10 | Ans@1 |"
echo "|---|---|---:|---:|"
row "plain BM25, MaxP (before)" "$plain"
row "  + every duplicate copy" "$plain" --all-copies
for tb in 0 0.2 0.3 0.4 0.5 0.7 1.5 2 3; do
    row "  title weight $tb" "title_boost=$tb,lead_ratio=2,feedback=0,support=0"
done
base="title_boost=0.5,lead_ratio=2,feedback=0,support=0"
for p in 0.1 0.3 1; do row "title 0.5 + proximity $p (slop 2)" "$base,proximity=$p"; done
row "title 0.5 + proximity 0.1 (slop 8)" "$base,proximity=0.1,proximity_slop=8"
nosupport="title_boost=0.5,lead_ratio=2,feedback=0"
for s in 0.1 0.25 0.5 1; do row "title 0.5 + $s x next 2 passages" "$nosupport,support=$s,support_passages=2"; done
row "title 0.5 + 0.25 x next passage" "$nosupport,support=0.25,support_passages=1"
row "title 0.5 + 0.25 x next 5 passages" "$nosupport,support=0.25,support_passages=5"
for l in 0 0.3 0.5 0.9; do row "title 0.5 + lead passage first (ratio $l)" "title_boost=0.5,lead_ratio=$l,feedback=0,support=0"; done
for f in 0.1 0.2 0.3 0.4 0.6 1; do row "title 0.5, lead 0.3 + feedback $f" "support=0,feedback=$f"; done
row "  feedback 0.2, 5 terms" "support=0,feedback_terms=5"
row "  feedback 0.2, 20 terms" "support=0,feedback_terms=20"
row "  feedback 0.2, 5 passages" "support=0,feedback_passages=5"
row "  feedback 0.2, 20 passages" "support=0,feedback_passages=20"
row "title 0.5, lead 0.3, feedback 0.2 + 0.05 x next passage" "support=0.05"
row "title 0.5, lead 0.3, feedback 0.2 + 0.2 x next passage" "support=0.2"
row "title 0.5, lead 0.3, feedback 0.2 + 0.1 x next 2 passages" "support_passages=2"
row "title 0.5, lead 0.3, feedback 0.2 + 0.1 x next 3 passages" "support_passages=3"
row "**shipped default** (+ 0.1 x next passage)" ""
row "shipped + every duplicate copy" "" --all-copies
row "shipped, MaxP only" "support=0"
row "shipped, title weight 1" "title_boost=1"
row "shipped, title weight 0.3" "title_boost=0.3"
row "shipped, no feedback" "feedback=0"
row "shipped + proximity 0.1" "proximity=0.1"
row "shipped, best passage first" "lead_ratio=2"
rm -r "$work"
