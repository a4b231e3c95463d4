#!/usr/bin/env bash
# Speed at scale: newsdex beside bare tantivy-cli on the same scaled corpora,
# measured side by side in one run (A B A B), so ratios survive a noisy machine.
#
# usage: scripts/bench.sh [SCALE...]          (default: 1 5 20)
# env:   TANTIVY   tantivy-cli binary          (default /opt/peers/bin/tantivy; see
#                                                ../shared/bench/peers/README.md to install)
#        WORK      scratch folder              (default target/bench)
#        RUNS      index builds per engine     (default 2)
#        CLI_RUNS  whole-CLI searches timed    (default 21)
#        QUERIES   query file                  (default ../shared/bench/peers/queries.txt)
#
# For each scale it builds ../shared/bench/peers/make_scale.py's corpus (cached
# in WORK), indexes it with both engines RUNS times, alternating, under
# /usr/bin/time -v (wall, peak RSS), re-runs newsdex on the unchanged corpus,
# times every query in-process (benches/search.rs for newsdex, `tantivy bench`
# for tantivy-cli) and the whole CLI for `newsdex search "oil prices" --facet
# person`. It prints a markdown table and writes it to WORK/RESULTS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PEERS=$ROOT/../shared/bench/peers
TANTIVY=${TANTIVY:-/opt/peers/bin/tantivy}
WORK=${WORK:-$ROOT/target/bench}
RUNS=${RUNS:-2}
CLI_RUNS=${CLI_RUNS:-21}
QUERIES=$(realpath "${QUERIES:-$PEERS/queries.txt}")
SCALES=("${@:-1 5 20}")
read -r -a SCALES <<<"${SCALES[*]}"
PY=/usr/bin/python3
THREADS=$(nproc)

log() { echo "[$(date +%H:%M:%S)] $*" >&2; }
[ -x "$TANTIVY" ] || { echo "bench: tantivy-cli not found at $TANTIVY (see $PEERS/README.md)" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "bench: /usr/bin/time is missing (apt-get install time)" >&2; exit 1; }

cargo build --release --quiet
NEWSDEX=$ROOT/target/release/newsdex
mkdir -p "$WORK"

# timed CMD...: runs it under /usr/bin/time -v; prints "wall_s rss_mb"
timed() {
    local t
    t=$(mktemp)
    /usr/bin/time -v -o "$t" "$@" >/dev/null 2>"$t.err" || { cat "$t.err" >&2; rm -f "$t" "$t.err"; return 1; }
    awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,p,":"); s=0; for(i=1;i<=n;i++) s=s*60+p[i]; w=s}
                /Maximum resident set size/ {r=$2/1024}
                END {printf "%.3f %.0f\n", w, r}' "$t"
    rm -f "$t" "$t.err"
}
median() { sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
size_mb() { du -sb "$1" | awk '{printf "%.1f", $1/1048576}'; }

# tantivy-cli's schema (id stored; title, body en_stem with positions) and
# its query syntax, from the peers harness.
"$PY" - "$PEERS/lib" "$QUERIES" "$WORK" <<'EOF'
import json, sys
sys.path.insert(0, sys.argv[1])
import convert, queries as Q
work = sys.argv[3]
json.dump(convert.tantivy_meta(), open(work + '/meta.json', 'w'))
with open(work + '/tantivy-queries.txt', 'w') as f:
    for q in Q.load(sys.argv[2]):
        f.write(' '.join(v if k == 'term' else '"' + ' '.join(v) + '"' for k, v in Q.clauses(q)) + '\n')
EOF
head -1 "$WORK/tantivy-queries.txt" >"$WORK/tantivy-query1.txt"
NQ=$(wc -l <"$WORK/tantivy-queries.txt")

ROWS=()
for n in "${SCALES[@]}"; do
    S=$WORK/scale$n
    mkdir -p "$S/corpus"
    if [ ! -s "$S/corpus/scale$n.jsonl" ]; then
        log "scale $n: building the corpus"
        "$PY" "$PEERS/make_scale.py" "$n" "$S/corpus/scale$n.jsonl" >&2
        # tantivy-cli reads {id, title, body}
        "$PY" -c 'import json,sys
for l in open(sys.argv[1], encoding="utf-8"):
    d = json.loads(l); print(json.dumps({"id": d["id"], "title": d["title"], "body": d["body"]}))' \
            "$S/corpus/scale$n.jsonl" >"$S/tantivy-docs.jsonl"
    fi
    mb=$(du -sb "$S/corpus/scale$n.jsonl" | awk '{print $1/1048576}')
    tw=() tr=() nw=() nr=()
    for i in $(seq 1 "$RUNS"); do
        log "scale $n: build $i/$RUNS tantivy-cli"
        rm -rf "$S/tantivy" && mkdir -p "$S/tantivy" && cp "$WORK/meta.json" "$S/tantivy/"
        read -r w r < <(timed "$TANTIVY" index -i "$S/tantivy" -f "$S/tantivy-docs.jsonl" -t "$THREADS")
        tw+=("$w") tr+=("$r")
        log "scale $n: build $i/$RUNS newsdex ($w s for tantivy-cli)"
        rm -rf "$S/newsdex"
        read -r w r < <(timed "$NEWSDEX" --index "$S/newsdex" index -q "$S/corpus")
        nw+=("$w") nr+=("$r")
        log "scale $n: newsdex $w s"
    done
    log "scale $n: no-change re-run"
    read -r rew _ < <(timed "$NEWSDEX" --index "$S/newsdex" index -q "$S/corpus")
    t_wall=$(printf '%s\n' "${tw[@]}" | median)
    n_wall=$(printf '%s\n' "${nw[@]}" | median)
    t_rss=$(printf '%s\n' "${tr[@]}" | sort -g | tail -1)
    n_rss=$(printf '%s\n' "${nr[@]}" | sort -g | tail -1)

    log "scale $n: queries in process"
    "$TANTIVY" bench -i "$S/tantivy" -q "$WORK/tantivy-queries.txt" -n 1 >"$S/tantivy-bench.out" 2>/dev/null
    # per query: the search pass (TopDocs(10)+Count) plus the fetch pass, in µs
    t_q=$(awk -F'\t' '/^SEARCH/{m=1;next} /^FETCH STORE/{m=2;next}
        m==1 && NF==3 && $3 ~ /^[0-9]+$/ {s[++a]=$3} m==2 && NF==2 && $2 ~ /^[0-9]+$/ {f[++b]=$2}
        END {for (i=1;i<=a;i++) print (s[i]+f[i])/1000}' "$S/tantivy-bench.out" | median)
    # whole-process marginal ms per query: (all queries - one query) / (N - 1), median of 3
    marg=()
    for _ in 1 2 3; do
        read -r all _ < <(timed "$TANTIVY" bench -i "$S/tantivy" -q "$WORK/tantivy-queries.txt" -n 1)
        read -r one _ < <(timed "$TANTIVY" bench -i "$S/tantivy" -q "$WORK/tantivy-query1.txt" -n 1)
        marg+=("$(awk -v a="$all" -v o="$one" -v n="$NQ" 'BEGIN {printf "%.3f", (a-o)*1000/(n-1)}')")
    done
    t_marg=$(printf '%s\n' "${marg[@]}" | median)
    NEWSDEX_BENCH_INDEX=$S/newsdex NEWSDEX_BENCH_QUERIES=$QUERIES \
        cargo bench --quiet --bench search 2>/dev/null | tee "$S/newsdex-search.out" >&2
    n_q=$(awk '/^default ranking \+/ {for (i=1;i<NF;i++) if ($i=="median") print $(i+1)}' "$S/newsdex-search.out")
    n_p95=$(awk '/^default ranking \+/ {for (i=1;i<NF;i++) if ($i=="p95") print $(i+1)}' "$S/newsdex-search.out")
    rank_ratio=$(awk '/plain BM25 \(no facets\), median/ {print $NF}' "$S/newsdex-search.out")

    log "scale $n: whole CLI"
    "$NEWSDEX" --index "$S/newsdex" search "oil prices" --facet person >/dev/null
    cli=()
    for _ in $(seq 1 "$CLI_RUNS"); do
        read -r w _ < <(timed "$NEWSDEX" --index "$S/newsdex" search "oil prices" --facet person)
        cli+=("$w")
    done
    cli_ms=$(printf '%s\n' "${cli[@]}" | median | awk '{printf "%.0f", $1*1000}')

    ROWS+=("$(printf '| %s | %.0f | %.2f | %.2f | **%.2f** | %.2f | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |' \
        "$n" "$mb" "$t_wall" "$n_wall" "$(awk -v a="$n_wall" -v b="$t_wall" 'BEGIN {print a/b}')" \
        "$(awk -v a="$n_wall" -v m="$mb" 'BEGIN {print a/m*1000}')" \
        "$t_rss" "$n_rss" "$(size_mb "$S/tantivy")" "$(size_mb "$S/newsdex")" \
        "$(awk -v a="$rew" -v b="$n_wall" 'BEGIN {printf "%.2f s (%.1f%%)", a, a/b*100}')" \
        "$t_q" "$t_marg" "$n_q" "$n_p95" "$cli_ms" "$rank_ratio")")
done

{
    echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr); $(date -u +%Y-%m-%d)."
    echo "Index builds: median of $RUNS, alternating; RSS: peak of the builds. Queries: $NQ from $(basename "$QUERIES")."
    echo
    echo "| scale | corpus MB | tantivy-cli index s | newsdex index s | ratio | newsdex ms/MB | tantivy-cli peak MB | newsdex peak MB | tantivy-cli index MB | newsdex index MB | newsdex no-change re-run | tantivy-cli in-process ms/query (median) | tantivy-cli marginal ms/query | newsdex in-process ms/query, median (search + 3 facets + snippets) | newsdex p95 ms | newsdex whole CLI ms, median | default ranking / plain BM25 |"
    echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    printf '%s\n' "${ROWS[@]}"
} | tee "$WORK/RESULTS.md"
