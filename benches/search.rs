//! In-process search latency: for every query of a query file, the whole of
//! what `newsdex search QUERY --facet person --facet place --facet org` does
//! inside the process (parse, rank, feedback, facet counts over all matches,
//! grouping into articles, snippets for the top 10), timed over an index that
//! is already built. Prints the median and p95 over queries of each query's
//! median time, and the same for plain BM25 (`NEWSDEX_RANK` off: no title
//! weight, no feedback, no passage support) on the same index in the same run,
//! so the ratio holds on a noisy machine.
//!
//! Run: `NEWSDEX_BENCH_INDEX=PATH cargo bench --bench search`
//! (optionally `NEWSDEX_BENCH_QUERIES=FILE`, one query a line, `#` comments;
//! default ../shared/bench/peers/queries.txt; `NEWSDEX_RANK` changes the
//! default ranking as for the CLI; `NEWSDEX_BENCH_ONLY=N` times only the
//! Nth configuration, from 0, for a profiler). `scripts/bench.sh` runs it.

use std::path::{Path, PathBuf};
use std::time::Instant;

use newsdex::extract::EntityKind;
use newsdex::search::{RankConfig, SearchRequest, Searcher, SortOrder};

const RUNS: usize = 5;
/// Plain passage BM25: title and text weighted alike, no feedback, no
/// support from further passages, no lead passage.
const PLAIN_BM25: &str = "title_boost=1,feedback=0,support=0,lead_ratio=2";

struct Config {
    name: &'static str,
    rank: RankConfig,
    facets: bool,
}

fn percentile(xs: &mut [f64], p: f64) -> f64 {
    xs.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
    let i = ((xs.len() as f64 - 1.0) * p).round() as usize;
    xs[i.min(xs.len() - 1)]
}

fn request(query: &str, rank: &RankConfig, facets: bool) -> SearchRequest {
    let facets = if facets {
        vec![EntityKind::Person, EntityKind::Place, EntityKind::Org]
    } else {
        Vec::new()
    };
    SearchRequest {
        query: query.to_string(),
        limit: 10,
        facets,
        facet_limit: 10,
        filters: Vec::new(),
        all_copies: false,
        since: None,
        until: None,
        sort: SortOrder::Relevance,
        lenient: true,
        rank: rank.clone(),
    }
}

/// Each query's median milliseconds over `RUNS` runs, after one warm-up run.
fn per_query(searcher: &Searcher, queries: &[String], config: &Config) -> Vec<f64> {
    queries
        .iter()
        .map(|q| {
            let req = request(q, &config.rank, config.facets);
            let _ = searcher.search(&req);
            let mut times: Vec<f64> = (0..RUNS)
                .map(|_| {
                    let t = Instant::now();
                    let _ = std::hint::black_box(searcher.search(&req));
                    t.elapsed().as_secs_f64() * 1e3
                })
                .collect();
            percentile(&mut times, 0.5)
        })
        .collect()
}

fn main() {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let Some(index) = std::env::var_os("NEWSDEX_BENCH_INDEX").map(PathBuf::from) else {
        eprintln!("search bench: set NEWSDEX_BENCH_INDEX to an index built by newsdex; nothing to measure");
        return;
    };
    let queries_path = std::env::var_os("NEWSDEX_BENCH_QUERIES")
        .map(PathBuf::from)
        .unwrap_or_else(|| manifest.join("../shared/bench/peers/queries.txt"));
    let queries: Vec<String> = match std::fs::read_to_string(&queries_path) {
        Ok(text) => newsdex::commands::list_entries(&text),
        Err(e) => {
            eprintln!("search bench: {}: {e}", queries_path.display());
            return;
        }
    };
    let searcher = match Searcher::open(&index) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("search bench: {}: {e}", index.display());
            return;
        }
    };
    let plain = RankConfig::with_overrides(PLAIN_BM25).expect("plain BM25 settings");
    // NEWSDEX_RANK changes the default ranking, as it does for the CLI.
    let default = RankConfig::from_env().expect("NEWSDEX_RANK settings");
    let configs = [
        Config {
            name: "default ranking + person/place/org facets",
            rank: default.clone(),
            facets: true,
        },
        Config {
            name: "default ranking, no facets",
            rank: default,
            facets: false,
        },
        Config {
            name: "plain BM25, no facets",
            rank: plain,
            facets: false,
        },
    ];
    if let Some(only) = std::env::var("NEWSDEX_BENCH_ONLY")
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
    {
        let config = &configs[only.min(configs.len() - 1)];
        let mut times = per_query(&searcher, &queries, config);
        println!(
            "{}: median {:.3} ms",
            config.name,
            percentile(&mut times, 0.5)
        );
        return;
    }
    // Alternate the configurations so drift hits all alike; keep the
    // faster of two rounds for each query.
    let mut times: Vec<Vec<f64>> = vec![Vec::new(); configs.len()];
    for _round in 0..2 {
        for (config, times) in configs.iter().zip(times.iter_mut()) {
            let now = per_query(&searcher, &queries, config);
            if times.is_empty() {
                *times = now;
            } else {
                for (t, n) in times.iter_mut().zip(now) {
                    *t = t.min(n);
                }
            }
        }
    }
    println!("{} queries over {}", queries.len(), index.display());
    let mut medians = Vec::new();
    for (config, times) in configs.iter().zip(times.iter_mut()) {
        let median = percentile(times, 0.5);
        let p95 = percentile(times, 0.95);
        medians.push(median);
        println!(
            "{:<45} median {median:8.3} ms   p95 {p95:8.3} ms   p95/median {:.1}",
            config.name,
            p95 / median
        );
    }
    println!(
        "default ranking / plain BM25 (no facets), median: {:.2}",
        medians[1] / medians[2]
    );
}
