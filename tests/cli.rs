//! End-to-end tests: the real `newsdex` binary, a real index on disk in a
//! temporary directory, and assertions on what a user sees.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

mod common;

/// A temporary working directory with a command builder for newsdex.
struct Env {
    dir: tempfile::TempDir,
}

impl Env {
    fn new() -> Env {
        Env {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn cmd(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_newsdex"))
            .args(args)
            .current_dir(self.path())
            .env_remove("NEWSDEX_INDEX")
            .env_remove("NEWSDEX_NER_MODEL")
            .env_remove("NO_COLOR")
            .output()
            .expect("run newsdex")
    }

    /// An env whose default index holds the repo's corpus/.
    fn with_corpus() -> Env {
        let env = Env::new();
        let out = env.cmd(&["index", corpus().to_str().unwrap()]);
        assert_eq!(code(&out), 0, "{}", stderr(&out));
        env
    }
}

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus")
}

/// ../shared beside the repo, when present.
fn shared() -> Option<PathBuf> {
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpora");
    if shared.is_dir() {
        Some(shared)
    } else {
        eprintln!("skipping: ../shared/corpora is not beside the repo");
        None
    }
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn code(out: &Output) -> i32 {
    out.status.code().expect("exit code")
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("bad JSON ({e}): {}", stdout(out)))
}

fn facet_values(doc: &Value, kind: &str) -> Vec<(String, u64)> {
    doc["facets"][kind]
        .as_array()
        .unwrap_or_else(|| panic!("no {kind} facets in {doc}"))
        .iter()
        .map(|v| {
            (
                v["name"].as_str().unwrap().to_string(),
                v["count"].as_u64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn donbas_withdrawal_ranks_the_donbas_passage_first_with_highlights() {
    let env = Env::with_corpus();
    let out = env.cmd(&["search", "Donbas withdrawal"]);
    assert_eq!(code(&out), 0);
    let text = stdout(&out);
    assert!(
        text.starts_with("1 article, 1 passage match \"Donbas withdrawal\"\n"),
        "{text}"
    );
    let first_passage = text
        .lines()
        .find(|l| l.trim_start().starts_with('»'))
        .unwrap();
    assert!(
        first_passage.contains("forces to **withdraw** from the **Donbas** region"),
        "{first_passage}"
    );

    let doc = json(&env.cmd(&["search", "Donbas withdrawal", "--json"]));
    let passage = &doc["articles"][0]["passages"][0];
    let text = passage["text"].as_str().unwrap();
    assert!(text.contains("withdraw from the Donbas region"));
    assert_eq!(
        common::marked(passage, "highlights"),
        ["withdraw", "Donbas"]
    );
    assert_eq!(
        doc["articles"][0]["id"],
        "trump-reasonably-good-meeting.txt"
    );
    assert_eq!(doc["total_articles"], 1);
}

#[test]
fn witkoff_person_facets_are_canonical_and_counted_by_article() {
    let env = Env::with_corpus();
    let out = env.cmd(&[
        "search", "Witkoff", "--facet", "person", "--facet", "place", "--facet", "org", "--json",
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let doc = json(&out);
    let persons = facet_values(&doc, "person");
    let expected = [
        ("Donald Trump", 2),
        ("Jared Kushner", 2),
        ("Steve Witkoff", 2),
        ("Vladimir Putin", 2),
        ("Dmitry Peskov", 1),
        ("Kirill Dmitriev", 1),
        ("Marco Rubio", 1),
        ("Rustem Umerov", 1),
        ("Volodymyr Zelenskyy", 1),
        ("Yuri Ushakov", 1),
    ];
    let expected: Vec<(String, u64)> = expected.iter().map(|(n, c)| (n.to_string(), *c)).collect();
    assert_eq!(persons, expected);

    let places: Vec<String> = facet_values(&doc, "place")
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    for place in ["Moscow", "Ukraine", "Russia", "Donbas"] {
        assert!(
            places.contains(&place.to_string()),
            "{place} missing from {places:?}"
        );
    }
    let orgs: Vec<String> = facet_values(&doc, "org")
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    assert!(orgs.contains(&"TASS".to_string()), "{orgs:?}");
    assert!(!orgs.iter().any(|o| o.contains("Kushner")), "{orgs:?}");

    let second = doc["articles"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == "trump-reasonably-good-meeting.txt")
        .unwrap();
    assert!(second["entities"]["places"]
        .as_array()
        .unwrap()
        .contains(&"Donbas".into()));

    let text = stdout(&env.cmd(&["search", "Witkoff", "--facet", "person"]));
    assert!(text.contains(
        "Persons: Donald Trump 2, Jared Kushner 2, Steve Witkoff 2, Vladimir Putin 2, Dmitry Peskov 1,"
    ), "{text}");
}

#[test]
fn person_filter_keeps_only_articles_mentioning_them() {
    let env = Env::with_corpus();
    let doc = json(&env.cmd(&["search", "peace", "--person", "Marco Rubio", "--json"]));
    let ids: Vec<&str> = doc["articles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["trump-reasonably-good-meeting.txt"]);
    // Only an article's first passage carries its facets, yet the filter
    // admits all of its passages (three say "peace"; the fifth is shown), and
    // the hit still lists the article's people.
    assert_eq!(shown(&doc)[0].1, [4]);
    assert_eq!(doc["total_passages"], 3);
    assert!(doc["articles"][0]["entities"]["persons"]
        .as_array()
        .unwrap()
        .contains(&Value::from("Steve Witkoff")));
    // Names match without regard to case.
    let doc = json(&env.cmd(&["search", "peace", "--person", "marco rubio", "--json"]));
    assert_eq!(doc["total_articles"], 1);
    // Both filters must hold.
    let out = env.cmd(&[
        "search",
        "peace",
        "--person",
        "Marco Rubio",
        "--person",
        "Dmitry Peskov",
    ]);
    assert_eq!(code(&out), 1);
    assert_eq!(stderr(&out), "newsdex: no articles match \"peace\"\n");
}

#[test]
fn stemming_finds_other_forms() {
    let env = Env::with_corpus();
    let doc = json(&env.cmd(&["search", "withdrawal", "--json"]));
    assert_eq!(doc["total_passages"], 1);
}

#[test]
fn bad_query_is_one_line_and_exit_2() {
    let env = Env::with_corpus();
    let out = env.cmd(&["search", "\"unclosed"]);
    assert_eq!(code(&out), 2);
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.starts_with("newsdex: bad query: "), "{err}");
    assert!(stdout(&out).is_empty());
}

#[test]
fn unknown_facet_kind_is_one_line_and_exit_2() {
    let env = Env::with_corpus();
    let out = env.cmd(&["search", "peace", "--facet", "people"]);
    assert_eq!(code(&out), 2);
    assert_eq!(
        stderr(&out),
        "newsdex: invalid value 'people' for '--facet <FACET>' [possible values: person, place, org]\n"
    );
}

#[test]
fn search_without_index_says_how_to_build_one() {
    let env = Env::new();
    let out = env.cmd(&["search", "peace"]);
    assert_eq!(code(&out), 2);
    assert_eq!(
        stderr(&out),
        "newsdex: no index at .newsdex; build one with `newsdex index DIR` (or point --index / NEWSDEX_INDEX at one)\n"
    );
}

#[test]
fn no_results_exit_1() {
    let env = Env::with_corpus();
    let out = env.cmd(&["search", "zebra"]);
    assert_eq!(code(&out), 1);
    assert_eq!(stderr(&out), "newsdex: no articles match \"zebra\"\n");
    assert!(stdout(&out).starts_with("0 articles, 0 passages match \"zebra\""));
}

#[test]
fn index_path_from_flag_and_environment() {
    let env = Env::new();
    let out = env.cmd(&["index", corpus().to_str().unwrap(), "--index", "elsewhere"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(
        stderr(&out).starts_with("added 2, updated 0, removed 0, unchanged 0, skipped 0;"),
        "{}",
        stderr(&out)
    );
    assert!(stdout(&out).is_empty());
    assert!(env.path().join("elsewhere/meta.json").is_file());
    let out = Command::new(env!("CARGO_BIN_EXE_newsdex"))
        .args(["search", "Donbas"])
        .current_dir(env.path())
        .env("NEWSDEX_INDEX", "elsewhere")
        .output()
        .unwrap();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(
        stdout(&out).starts_with("1 article, 1 passage match \"Donbas\""),
        "{}",
        stdout(&out)
    );
}

#[test]
fn reindexing_replaces_rather_than_duplicates() {
    let env = Env::with_corpus();
    env.cmd(&["index", corpus().to_str().unwrap()]);
    let doc = json(&env.cmd(&["search", "Witkoff", "--facet", "person", "--json"]));
    assert_eq!(doc["total_articles"], 2);
    assert_eq!(
        facet_values(&doc, "person")[0],
        ("Donald Trump".to_string(), 2)
    );
}

#[test]
fn bad_articles_are_reported_counted_and_skipped() {
    let env = Env::new();
    let dir = news_dir(&env);
    std::fs::write(
        dir.join("a-good.txt"),
        "Good headline\n\nMarco Rubio spoke in Moscow.",
    )
    .unwrap();
    std::fs::write(dir.join("b-binary.txt"), b"\x7fELF\x00\x00\x01").unwrap();
    std::fs::write(dir.join("c-empty.md"), "  \n").unwrap();
    std::fs::write(dir.join("d-broken.json"), "{\"title\": \"x\"").unwrap();
    std::fs::write(
        dir.join("e-lines.jsonl"),
        "{\"title\": \"Gold rises\", \"body\": \"Gold rose in London.\"}\nnot json\n{\"title\": \"\"}\n",
    )
    .unwrap();
    let out = env.cmd(&["index", "news"]);
    assert_eq!(code(&out), 0);
    let err = stderr(&out);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 6, "{err}");
    assert_eq!(lines[0], "newsdex: skipped b-binary.txt: binary file");
    assert_eq!(lines[1], "newsdex: skipped c-empty.md: empty article");
    assert!(
        lines[2].starts_with("newsdex: skipped d-broken.json: broken JSON: "),
        "{err}"
    );
    assert!(
        lines[3].starts_with("newsdex: skipped e-lines.jsonl:2: broken JSON: "),
        "{err}"
    );
    assert_eq!(
        lines[4],
        "newsdex: skipped e-lines.jsonl:3: no text: the title and body are both empty"
    );
    assert!(
        lines[5].starts_with("added 2, updated 0, removed 0, unchanged 0, skipped 5;"),
        "{err}"
    );
    // --strict turns skips into a failure; nothing is lost either way.
    assert_eq!(code(&env.cmd(&["index", "news", "--strict"])), 2);
    let doc = json(&env.cmd(&["search", "gold OR rubio", "--json"]));
    assert_eq!(doc["total_articles"], 2);
}

#[test]
fn entities_lists_most_mentioned_people() {
    let env = Env::with_corpus();
    let out = env.cmd(&["entities", "--kind", "person", "--limit", "3"]);
    assert_eq!(code(&out), 0);
    assert_eq!(
        stdout(&out),
        "2  Donald Trump\n2  Jared Kushner\n2  Steve Witkoff\n"
    );
}

#[test]
fn extract_prints_gold_shaped_json() {
    let env = Env::new();
    let doc = json(&env.cmd(&["extract", corpus().to_str().unwrap(), "--json"]));
    let persons = doc["trump-reasonably-good-meeting"]["persons"]
        .as_array()
        .unwrap();
    assert!(persons.contains(&"Marco Rubio".into()));
    assert!(!persons.contains(&"Putin".into()));
}

#[test]
fn extract_reads_single_files_and_names_what_it_cannot_read() {
    let env = Env::new();
    let file = corpus().join("kremlin-confirms-witkoff-kushner-meeting.txt");
    let out = env.cmd(&["extract", file.to_str().unwrap(), "no/such/article.txt"]);
    assert_eq!(code(&out), 2);
    assert_eq!(
        stderr(&out),
        "newsdex: skipped no/such/article.txt: unreadable: No such file or directory (os error 2)\n"
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let keys: Vec<&String> = doc.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["kremlin-confirms-witkoff-kushner-meeting"]);
    assert_eq!(
        doc["kremlin-confirms-witkoff-kushner-meeting"]["persons"][0],
        "Steve Witkoff"
    );
}

#[test]
fn extract_keeps_same_named_files_of_two_subfolders_apart() {
    let env = Env::new();
    let news = news_dir(&env);
    for (folder, name) in [("politics", "Tony Blair"), ("sport", "Jose Mourinho")] {
        std::fs::create_dir(news.join(folder)).unwrap();
        write(
            &news.join(folder),
            "001.txt",
            &format!("A title\n\n{name} spoke in London on Monday.\n"),
        );
    }
    let out = env.cmd(&["extract", "news"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let doc = json(&out);
    let keys: Vec<&String> = doc.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["politics/001", "sport/001"]);
    assert_eq!(doc["politics/001"]["persons"][0], "Tony Blair");
    assert_eq!(doc["sport/001"]["persons"][0], "Jose Mourinho");

    // The same file twice is listed once, and the second is reported.
    let out = env.cmd(&["extract", "news/sport/001.txt", "news/sport"]);
    assert_eq!(code(&out), 2);
    assert_eq!(
        stderr(&out),
        "newsdex: skipped news/sport/001.txt: its key \"001\" is an earlier article's\n"
    );
    assert_eq!(json(&out)["001"]["persons"][0], "Jose Mourinho");
}

#[test]
fn bbc_indexes_whole_with_latin1_intact_and_blair_leads() {
    let Some(shared) = shared() else { return };
    let env = Env::new();
    let out = env.cmd(&["index", shared.join("bbc").to_str().unwrap()]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let summary = stderr(&out);
    assert!(
        summary.starts_with("added 2225, updated 0, removed 0, unchanged 0, skipped 0;"),
        "{summary}"
    );
    assert!(summary.contains("; 1 read as Windows-1252;"), "{summary}");
    let copies: usize = summary
        .split(" duplicate groups (")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no duplicate count in {summary}"));
    assert!(copies >= 98, "{summary}");

    // business/007.txt and business/253.txt are the same file: shown once.
    let out = env.cmd(&[
        "search",
        "\"Jobs growth still slow in the US\"",
        "--limit",
        "3",
    ]);
    let text = stdout(&out);
    assert!(text.contains("business/007.txt · score"), "{text}");
    assert!(text.contains("+1 copies"), "{text}");
    assert!(!text.contains("business/253.txt"), "{text}");
    let text = stdout(&env.cmd(&[
        "search",
        "\"Jobs growth still slow in the US\"",
        "--all-copies",
    ]));
    assert!(text.contains("business/253.txt"), "{text}");

    // sport/199.txt is the one Latin-1 file; its pound sign survives.
    let doc = json(&env.cmd(&["search", "\"transfer fee\" Mutu", "--json", "--limit", "1"]));
    let article = &doc["articles"][0];
    assert_eq!(article["id"], "sport/199.txt");
    assert!(article["passages"][0]["text"]
        .as_str()
        .unwrap()
        .contains("Mutu, a £15.8m signing from Parma"));

    let doc = json(&env.cmd(&["search", "Tony Blair", "--facet", "person", "--json"]));
    let persons: Vec<String> = facet_values(&doc, "person")
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    assert_eq!(persons[0], "Tony Blair", "{persons:?}");
    assert!(
        persons[..5].contains(&"Gordon Brown".to_string()),
        "{persons:?}"
    );
}

#[test]
fn reuters_indexes_all_records_but_the_empty_one() {
    let Some(shared) = shared() else { return };
    let env = Env::new();
    let out = env.cmd(&["index", shared.join("reuters21578").to_str().unwrap()]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let err = stderr(&out);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(
        lines[0],
        "newsdex: skipped reuters21578-04.jsonl:712: no text: the title and body are both empty"
    );
    assert!(
        lines[1].starts_with("added 21577, updated 0, removed 0, unchanged 0, skipped 1;"),
        "{err}"
    );
    assert_eq!(lines.len(), 2, "{err}");
    let doc = json(&env.cmd(&["search", "cocoa", "--json", "--limit", "1"]));
    assert!(doc["total_articles"].as_u64().unwrap() > 50);

    // --until is inclusive and follows the JSON dates exactly.
    let expected = reuters_dated_until(&shared.join("reuters21578"), "1987-03-01");
    assert_eq!(articles_until(&env, "1987-03-01"), expected);
}

/// Reuters records in `dir`'s .jsonl files that have text and a date on or
/// before `day`, read straight from the JSON.
fn reuters_dated_until(dir: &Path, day: &str) -> u64 {
    let mut expected = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "jsonl") {
            continue;
        }
        for line in std::fs::read_to_string(&path).unwrap().lines() {
            let record: Value = serde_json::from_str(line).unwrap();
            let has_text = ["title", "body"]
                .iter()
                .any(|k| record[k].as_str().is_some_and(|s| !s.trim().is_empty()));
            let date = record["date"].as_str().unwrap_or("");
            if has_text && date.len() >= 10 && date[..10] <= *day {
                expected += 1;
            }
        }
    }
    expected
}

/// How many articles `newsdex search '*' --until DAY` finds.
fn articles_until(env: &Env, day: &str) -> u64 {
    let doc = json(&env.cmd(&["search", "*", "--until", day, "--json", "--limit", "1"]));
    doc["total_articles"].as_u64().unwrap()
}

/// An empty `news/` folder in the env.
fn news_dir(env: &Env) -> PathBuf {
    let dir = env.path().join("news");
    std::fs::create_dir(&dir).unwrap();
    dir
}

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).unwrap();
}

#[test]
fn incremental_runs_add_update_and_remove() {
    let env = Env::new();
    let dir = news_dir(&env);
    write(
        &dir,
        "a.txt",
        "Cocoa crop\n\nShowers helped the cocoa crop in Bahia.",
    );
    write(&dir, "b.txt", "Gold price\n\nGold fell in London trading.");
    write(&dir, "c.jsonl", "{\"title\": \"Oil\", \"body\": \"Oil rose.\"}\n{\"title\": \"Tin\", \"body\": \"Tin fell.\"}\n");
    let summary = |out: &Output| stderr(out).lines().last().unwrap_or("").to_string();
    let out = env.cmd(&["index", "news"]);
    assert!(
        summary(&out).starts_with("added 4, updated 0, removed 0, unchanged 0, skipped 0;"),
        "{}",
        summary(&out)
    );

    write(
        &dir,
        "d.txt",
        "Wheat exports\n\nWheat exports rose sharply.",
    );
    let out = env.cmd(&["index", "news"]);
    assert!(
        summary(&out).starts_with("added 1, updated 0, removed 0, unchanged 4, skipped 0;"),
        "{}",
        summary(&out)
    );

    write(
        &dir,
        "b.txt",
        "Gold price\n\nGold rallied in Zurich trading.",
    );
    write(&dir, "c.jsonl", "{\"title\": \"Oil\", \"body\": \"Oil rose.\"}\n{\"title\": \"Tin\", \"body\": \"Tin steadied.\"}\n");
    let out = env.cmd(&["index", "news"]);
    assert!(
        summary(&out).starts_with("added 0, updated 2, removed 0, unchanged 3, skipped 0;"),
        "{}",
        summary(&out)
    );
    assert_eq!(
        code(&env.cmd(&["search", "London"])),
        1,
        "the old text of b.txt is gone"
    );
    let doc = json(&env.cmd(&["search", "gold", "--json"]));
    assert_eq!(doc["total_articles"], 1);
    assert_eq!(doc["total_passages"], 1);

    std::fs::remove_file(dir.join("a.txt")).unwrap();
    let out = env.cmd(&["index", "news"]);
    assert!(
        summary(&out).starts_with("added 0, updated 0, removed 1, unchanged 4, skipped 0;"),
        "{}",
        summary(&out)
    );
    assert_eq!(code(&env.cmd(&["search", "cocoa"])), 1);
    let doc = json(&env.cmd(&["search", "gold OR oil OR tin OR wheat OR cocoa", "--json"]));
    assert_eq!(doc["total_articles"], 4);
}

#[test]
fn a_second_writer_is_refused_with_a_clear_message() {
    let env = Env::with_corpus();
    let held = newsdex::index::NewsIndex::open(&env.path().join(".newsdex")).unwrap();
    let _writer: tantivy::IndexWriter = held.index.writer(15_000_000).unwrap();
    let out = env.cmd(&["index", corpus().to_str().unwrap()]);
    assert_eq!(code(&out), 2);
    assert_eq!(
        stderr(&out),
        "newsdex: index at .newsdex is locked by another newsdex process\n"
    );
    // Search still works while the writer is held.
    let out = env.cmd(&["search", "Donbas"]);
    assert_eq!(code(&out), 0);
    assert!(stdout(&out).contains("**Donbas**"), "{}", stdout(&out));
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

#[test]
fn html_page_indexes_its_main_text_and_metadata_only() {
    let env = Env::new();
    let dir = env.path().join("pages");
    std::fs::create_dir(&dir).unwrap();
    std::fs::copy(fixture("hormuz.html"), dir.join("hormuz.html")).unwrap();
    let out = env.cmd(&["index", "pages"]);
    assert!(
        stderr(&out).starts_with("added 1, updated 0"),
        "{}",
        stderr(&out)
    );

    let doc = json(&env.cmd(&["search", "tankers Hormuz", "--json"]));
    let article = &doc["articles"][0];
    assert_eq!(
        article["title"],
        "Tanker traffic resumes through the Strait of Hormuz"
    );
    assert_eq!(article["date"], "2025-03-14");
    assert_eq!(article["author"], "Amira Haddad");
    assert_eq!(article["source"], "Gulf Wire");
    for word in [
        "zzqxtracker",
        "analyticsbeacon",
        "inlinescriptword",
        "cookies",
        "Subscribe",
        "Celebrity",
        "Copyright",
    ] {
        let out = env.cmd(&["search", word]);
        assert_eq!(
            code(&out),
            1,
            "page furniture {word:?} was indexed: {}",
            stdout(&out)
        );
    }
    assert_eq!(code(&env.cmd(&["search", "\"war-risk premiums\""])), 0);
    assert_eq!(code(&env.cmd(&["search", "Brent volatile"])), 0);

    // `parse` shows the same reading without an index.
    let out = env.cmd(&["parse", "pages/hormuz.html"]);
    let line: Value = serde_json::from_str(stdout(&out).lines().next().unwrap()).unwrap();
    assert_eq!(line["date"], "2025-03-14");
    assert!(
        line["body"]
            .as_str()
            .unwrap()
            .starts_with("Oil tankers resumed"),
        "{}",
        line["body"]
    );
    assert!(!line["body"].as_str().unwrap().contains("Most read"));
    // 90 words in three short paragraphs: one passage.
    assert_eq!(line["passages"].as_array().unwrap().len(), 1);
}

#[test]
fn every_bad_input_is_reported_and_the_good_ones_index() {
    let env = Env::new();
    let dir = news_dir(&env);
    write(
        &dir,
        "good1.txt",
        "Cocoa crop\n\nShowers helped the cocoa crop in Bahia.",
    );
    write(
        &dir,
        "good2.md",
        "# Gold price\n\nGold fell in London trading.",
    );
    write(
        &dir,
        "good3.json",
        r#"{"title": "Wheat", "body": "Wheat exports rose.", "date": "1987-03-02"}"#,
    );
    write(&dir, "good4.jsonl", "{\"title\": \"Tin\", \"body\": \"Tin fell.\"}\n{broken\n{\"title\": \"Zinc\", \"text\": \"Zinc rose.\"}\n");
    std::fs::copy(fixture("hormuz.html"), dir.join("good5.html")).unwrap();
    std::fs::write(dir.join("bad-binary.txt"), b"\x00\x01\x02binary").unwrap();
    write(&dir, "bad-empty.txt", "");
    write(&dir, "bad-notext.json", r#"{"id": 3, "url": "http://x"}"#);
    write(
        &dir,
        "bad-big.txt",
        &format!("Big\n\n{}", "word ".repeat(1000)),
    );
    write(&dir, "notes.csv", "a,b,c");
    std::os::unix::fs::symlink(dir.join("missing.txt"), dir.join("bad-link.txt")).unwrap();
    std::os::unix::fs::symlink(&dir, dir.join("loop")).unwrap();
    let out = env.cmd(&["index", "news", "--max-file-size", "4000", "--verbose"]);
    assert_eq!(code(&out), 0);
    let err = stderr(&out);
    let expected = [
        "newsdex: skipped bad-big.txt: larger than --max-file-size (5005 bytes > 4000)",
        "newsdex: skipped bad-binary.txt: binary file",
        "newsdex: skipped bad-empty.txt: empty article",
        "newsdex: skipped bad-link.txt: broken symlink or vanished file",
        "newsdex: skipped bad-notext.json: no text: the title and body are both empty",
        "newsdex: skipped good4.jsonl:2: broken JSON: key must be a string at line 1 column 2",
        "newsdex: skipped loop: symlink loop",
        "newsdex: ignored notes.csv: not a kind of file newsdex reads",
    ];
    for line in expected {
        assert!(
            err.contains(&format!("{line}\n")),
            "missing {line:?} in\n{err}"
        );
    }
    let summary = err.lines().last().unwrap();
    assert!(
        summary.starts_with("added 6, updated 0, removed 0, unchanged 0, skipped 7;"),
        "{summary}"
    );
    let doc = json(&env.cmd(&[
        "search",
        "cocoa OR gold OR wheat OR tin OR zinc OR tankers",
        "--json",
    ]));
    assert_eq!(doc["total_articles"], 6);
    // A second run loses nothing and re-reports the bad files; the unchanged
    // good4.jsonl is not read again, so its bad line is not.
    let out = env.cmd(&["index", "news", "--max-file-size", "4000"]);
    let summary = stderr(&out).lines().last().unwrap().to_string();
    assert!(
        summary.starts_with("added 0, updated 0, removed 0, unchanged 6, skipped 6;"),
        "{summary}"
    );
}

#[test]
fn seed_article_is_dated_from_its_text() {
    let env = Env::with_corpus();
    let doc = json(&env.cmd(&["search", "Rubio", "--json"]));
    assert_eq!(doc["articles"][0]["date"], "2025-12-02");
    let out = env.cmd(&["search", "Witkoff", "--since", "2025-12", "--json"]);
    assert_eq!(json(&out)["total_articles"], 1);
    let out = env.cmd(&["search", "Witkoff", "--since", "yesterday-ish"]);
    assert_eq!(code(&out), 2);
    assert_eq!(
        stderr(&out),
        "newsdex: --since: cannot read 'yesterday-ish' as a date (try 2025-12-02, 2025-12 or 2025)\n"
    );
}

/// Copies the first `n` lines of each Reuters file into `dir`.
fn reuters_sample(shared: &Path, dir: &Path, n: usize) -> usize {
    std::fs::create_dir_all(dir).unwrap();
    let mut total = 0;
    for i in 0..3 {
        let name = format!("reuters21578-0{i}.jsonl");
        let text = std::fs::read_to_string(shared.join("reuters21578").join(&name)).unwrap();
        let lines: Vec<&str> = text.lines().take(n).collect();
        total += lines.len();
        std::fs::write(dir.join(&name), lines.join("\n") + "\n").unwrap();
    }
    total
}

#[test]
fn killed_runs_leave_a_searchable_index_and_resume_without_duplicates() {
    let Some(shared) = shared() else { return };
    let env = Env::new();
    let expected = reuters_sample(&shared, &env.path().join("r"), 1500);
    for delay_ms in [300, 1500, 4000] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_newsdex"))
            .args(["index", "r", "-q"])
            .current_dir(env.path())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        if env.path().join(".newsdex/meta.json").is_file() {
            let out = env.cmd(&["search", "*", "--json", "--limit", "1"]);
            assert!(
                code(&out) <= 1,
                "index unusable after kill at {delay_ms} ms: {}",
                stderr(&out)
            );
        }
    }
    let out = env.cmd(&["index", "r"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let doc = json(&env.cmd(&["search", "*", "--json", "--limit", "1"]));
    assert_eq!(doc["total_articles"], expected as u64);
    let out = env.cmd(&["index", "r"]);
    let summary = stderr(&out);
    assert!(
        summary.starts_with(&format!(
            "added 0, updated 0, removed 0, unchanged {expected}, skipped 0;"
        )),
        "{summary}"
    );
}

#[test]
fn reuters_until_is_inclusive_and_matches_the_json_dates() {
    let Some(shared) = shared() else { return };
    let env = Env::new();
    let dir = env.path().join("r");
    reuters_sample(&shared, &dir, 3000);
    let expected = reuters_dated_until(&dir, "1987-03-01");
    assert!(expected > 100);
    env.cmd(&["index", "r", "-q"]);
    assert_eq!(articles_until(&env, "1987-03-01"), expected);
    let doc = json(&env.cmd(&["search", "oil", "--sort", "date", "--json", "--limit", "3"]));
    let dates: Vec<&str> = doc["articles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["date"].as_str().unwrap())
        .collect();
    let mut sorted = dates.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(dates, sorted);
}

#[test]
fn aliases_count_two_spellings_once() {
    let env = Env::new();
    let dir = news_dir(&env);
    write(
        &dir,
        "a.txt",
        "Kyiv talks\n\nUkrainian President Volodymyr Zelensky said on Monday that peace talks in Kiev had made progress. Zelensky thanked allies.",
    );
    write(
        &dir,
        "b.txt",
        "Geneva talks\n\nPresident Vladimir Zelenskiy of Ukraine said peace talks in Geneva would resume. Zelenskiy did not give a date.",
    );
    write(
        &dir,
        "c.txt",
        "Gas deal\n\nPresident George W. Bush met George Bush Sr. to discuss a peace plan and gas.",
    );
    env.cmd(&["index", "news", "-q"]);
    let doc = json(&env.cmd(&[
        "search", "peace", "--facet", "person", "--facet", "place", "--json",
    ]));
    let persons = facet_values(&doc, "person");
    assert!(
        persons.contains(&("Volodymyr Zelenskyy".to_string(), 2)),
        "{persons:?}"
    );
    assert!(
        !persons
            .iter()
            .any(|(n, _)| n.contains("Zelenskiy") || n.contains("Zelensky ")),
        "{persons:?}"
    );
    let places = facet_values(&doc, "place");
    assert!(places.contains(&("Kyiv".to_string(), 1)), "{places:?}");

    // A folder's own aliases.toml adds to the defaults; a re-run applies it.
    write(&dir, "aliases.toml", "[place]\n\"Genève\" = [\"Geneva\"]\n");
    let out = env.cmd(&["index", "news"]);
    assert!(
        stderr(&out).starts_with(
            "added 0, updated 3, removed 0, unchanged 0, skipped 0; 3 passages; 0 duplicate groups (0 copies)"
        ),
        "{}",
        stderr(&out)
    );
    let doc = json(&env.cmd(&["search", "peace", "--facet", "place", "--json"]));
    assert!(facet_values(&doc, "place").contains(&("Genève".to_string(), 1)));

    write(&dir, "aliases.toml", "[people]\nx = 1\n");
    let out = env.cmd(&["index", "news"]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).starts_with("newsdex: news/aliases.toml: unknown field `people`"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn batch_writes_a_trec_run_and_plain_passages_for_every_topic() {
    let env = Env::with_corpus();
    let topics = env.path().join("topics.tsv");
    // A header row, extra columns, a query the strict parser refuses (an
    // unclosed bracket), and one that matches nothing.
    std::fs::write(
        &topics,
        "id\tquery\tnotes\n\
         T1\tDonbas withdrawal\tignored\n\
         T2\tWitkoff Kushner meeting: Putin (Kremlin\n\
         T3\tzebra\n",
    )
    .unwrap();
    let out = env.cmd(&[
        "batch",
        "topics.tsv",
        "--run",
        "run.trec",
        "--passages",
        "passages.jsonl",
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let run = std::fs::read_to_string(env.path().join("run.trec")).unwrap();
    let lines: Vec<Vec<&str>> = run.lines().map(|l| l.split(' ').collect()).collect();
    let heads: Vec<[&str; 4]> = lines.iter().map(|l| [l[0], l[1], l[2], l[3]]).collect();
    assert_eq!(
        heads,
        [
            ["T1", "Q0", "trump-reasonably-good-meeting", "1"],
            ["T2", "Q0", "kremlin-confirms-witkoff-kushner-meeting", "1"],
            ["T2", "Q0", "trump-reasonably-good-meeting", "2"],
        ]
    );
    for line in &lines {
        assert_eq!(line.len(), 6, "{line:?}");
        assert_eq!(line[5], "newsdex");
        assert!(line[4].parse::<f32>().is_ok_and(|s| s > 0.0), "{line:?}");
    }

    let passages = std::fs::read_to_string(env.path().join("passages.jsonl")).unwrap();
    let passages: Vec<Value> = passages
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    let t2: Vec<u64> = passages
        .iter()
        .filter(|p| p["topic"] == "T2")
        .map(|p| p["rank"].as_u64().unwrap())
        .collect();
    assert_eq!(t2, (1..=t2.len() as u64).collect::<Vec<_>>());
    assert!(t2.len() <= 10);
    let first = &passages[0];
    assert_eq!(first["topic"], "T1");
    assert_eq!(first["doc"], "trump-reasonably-good-meeting");
    let text = first["text"].as_str().unwrap();
    assert!(text.contains("withdraw from the Donbas region"), "{text}");
    for p in &passages {
        assert!(!p["text"].as_str().unwrap().contains("**"), "{p}");
    }
}

#[test]
fn natural_text_queries_are_read_leniently_but_broken_syntax_is_refused() {
    let env = Env::with_corpus();
    let out = env.cmd(&["search", "Kremlin: Witkoff's meeting"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let out = env.cmd(&["search", "Putin (Kremlin"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).starts_with("newsdex: bad query: "));
}

/// The ids and shown passage ordinals of a search's articles.
fn shown(doc: &Value) -> Vec<(String, Vec<u64>)> {
    doc["articles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            let ordinals = a["passages"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| p["ordinal"].as_u64().unwrap())
                .collect();
            (a["id"].as_str().unwrap().to_string(), ordinals)
        })
        .collect()
}

/// Queries over the Reuters sample whose articles have several matching passages.
const SAMPLE_QUERIES: [&str; 4] = ["dollar yen", "quarterly profit", "gold", "world economy"];

/// 1,500 Reuters articles, indexed (None without ../shared).
fn indexed_reuters_sample() -> Option<Env> {
    let shared = shared()?;
    let env = Env::new();
    reuters_sample(&shared, &env.path().join("r"), 1500);
    assert_eq!(code(&env.cmd(&["index", "r", "-q"])), 0);
    Some(env)
}

#[test]
fn how_many_articles_are_asked_for_changes_neither_order_nor_passages() {
    let Some(env) = indexed_reuters_sample() else {
        return;
    };
    // A short list fetches fewer passages to rank articles; each article is
    // still scored, and shows passages, from all its matching passages.
    for query in SAMPLE_QUERIES {
        let search = |limit: &str| {
            let args = [
                "search",
                query,
                "--json",
                "--per-article",
                "3",
                "--limit",
                limit,
            ];
            shown(&json(&env.cmd(&args)))
        };
        let short = search("3");
        let long = search("60");
        assert_eq!(short.len(), 3, "{query}");
        assert_eq!(short[..], long[..3], "{query}");
    }
}

#[test]
fn one_passage_per_article_unless_more_are_asked_for() {
    let Some(env) = indexed_reuters_sample() else {
        return;
    };
    let mut extra = 0;
    for query in SAMPLE_QUERIES {
        let one = shown(&json(&env.cmd(&["search", query, "--json"])));
        let more = shown(&json(&env.cmd(&[
            "search",
            query,
            "--json",
            "--per-article",
            "3",
        ])));
        assert_eq!(one.len(), more.len(), "{query}");
        for ((id, first), (more_id, all)) in one.iter().zip(&more) {
            // The same articles, each led by the same passage.
            assert_eq!((id, &first[..]), (more_id, &all[..1]), "{query}");
            assert!(all.len() <= 3, "{query}");
            extra += all.len() - 1;
        }
    }
    assert!(
        extra > 0,
        "no article had a second passage close to its best"
    );
    let out = env.cmd(&["search", "gold", "--per-article", "0"]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("invalid value '0' for '--per-article <PER_ARTICLE>'"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_model_named_by_newsdex_ner_model_replaces_the_embedded_one() {
    let env = Env::new();
    // Three documents whose only entities are places: a model trained on them
    // knows no persons.
    let mut conll = String::new();
    for (who, town) in [("Smith", "Paris"), ("Jones", "Berlin"), ("Brown", "Madrid")] {
        conll += &format!(
            "-DOCSTART- -X- -X- O\n\n{who} NNP B-NP O\nflew VBD B-VP O\nto TO B-PP O\n\
             {town} NNP B-NP B-LOC\n. . O O\n\n"
        );
    }
    std::fs::write(env.path().join("train.conll"), conll).unwrap();
    std::fs::write(env.path().join("places.txt"), "# test\nParis\nBerlin\n").unwrap();
    let out = env.cmd(&["train-ner", "train.conll", "ner.bin"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("training without a first-name list"),
        "{}",
        stderr(&out)
    );
    let article = env.path().join("a.txt");
    std::fs::write(
        &article,
        "Talks\n\nVladimir Putin flew to Paris on Monday.\n",
    )
    .unwrap();
    let extract = |model: Option<&str>| {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_newsdex"));
        cmd.args(["extract", article.to_str().unwrap()])
            .current_dir(env.path());
        match model {
            Some(m) => cmd.env("NEWSDEX_NER_MODEL", m),
            None => cmd.env_remove("NEWSDEX_NER_MODEL"),
        };
        cmd.output().expect("run newsdex")
    };
    let embedded = json(&extract(None));
    assert_eq!(
        embedded["a"]["persons"],
        serde_json::json!(["Vladimir Putin"])
    );
    let retrained = json(&extract(Some("ner.bin")));
    assert_eq!(retrained["a"]["persons"], serde_json::json!([]));
    let missing = extract(Some("gone.bin"));
    assert_eq!(code(&missing), 2);
    assert!(
        stderr(&missing).starts_with("newsdex: NER model gone.bin (NEWSDEX_NER_MODEL): "),
        "{}",
        stderr(&missing)
    );
    // a model written by an earlier newsdex, whose file held its tables another way
    let mut old = b"NERDEV01".to_vec();
    old.extend_from_slice(&2u32.to_le_bytes());
    old.extend_from_slice(&[0; 64]);
    std::fs::write(env.path().join("old.bin"), old).unwrap();
    let older = extract(Some("old.bin"));
    assert_eq!(code(&older), 2);
    assert_eq!(
        stderr(&older),
        "newsdex: NER model old.bin (NEWSDEX_NER_MODEL): model version 2, but this newsdex \
         reads version 3 (retrain it with `newsdex train-ner`)\n"
    );
    // a smaller model: fewer features, or one pass (which still finds places)
    let size = |args: &[&str]| {
        let out = env.cmd(args);
        assert_eq!(code(&out), 0, "{}", stderr(&out));
        std::fs::metadata(env.path().join(args[args.len() - 1]))
            .unwrap()
            .len()
    };
    let full = size(&["train-ner", "--prune", "0", "train.conll", "full.bin"]);
    let pruned = size(&["train-ner", "--prune", "1000", "train.conll", "pruned.bin"]);
    assert!(pruned < full, "{pruned} {full}");
    let one = env.cmd(&[
        "train-ner",
        "--one-pass",
        "--prune",
        "0",
        "train.conll",
        "one.bin",
    ]);
    assert_eq!(code(&one), 0, "{}", stderr(&one));
    // the second pass, which the default trains (above), is not trained
    assert!(
        stderr(&out).contains("train: pass2 kept"),
        "{}",
        stderr(&out)
    );
    assert!(!stderr(&one).contains("pass2"), "{}", stderr(&one));
    std::fs::write(&article, "Talks\n\nSmith flew to Berlin on Monday.\n").unwrap();
    let one_pass = json(&extract(Some("one.bin")));
    assert_eq!(one_pass["a"]["places"][0], "Berlin", "{one_pass}");
    let bad = env.cmd(&["train-ner", "--prune=-1", "train.conll", "x.bin"]);
    assert_eq!(code(&bad), 2);
    assert_eq!(
        stderr(&bad),
        "newsdex: --prune -1: give a weight of 0 or more (1 is the default)\n"
    );
}
