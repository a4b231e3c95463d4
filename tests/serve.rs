//! The web API end to end, in process: a real index of corpus/ built by the
//! real indexing code in a temporary directory, and the axum router driven
//! with `tower::ServiceExt::oneshot`. The answers are compared with what
//! `newsdex search --json` prints for the same search.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, OnceLock};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use newsdex::index::{self, BuildOptions};
use newsdex::serve::{self, AppState, MAX_QUERY_CHARS};
use serde_json::Value;
use tower::ServiceExt;

mod common;

/// One index of corpus/ for every test in this file.
fn corpus_index() -> &'static Path {
    static INDEX: OnceLock<tempfile::TempDir> = OnceLock::new();
    INDEX
        .get_or_init(|| {
            let dir = tempfile::tempdir().expect("temp dir");
            let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
            index::build(&corpus, dir.path(), &BuildOptions::default(), &mut |_| {})
                .expect("index corpus/");
            dir
        })
        .path()
}

fn router_for(index: &Path) -> Router {
    serve::router(Arc::new(AppState::new(index).expect("open index")))
}

/// The status, content type and body of a GET.
async fn get_raw(router: Router, uri: &str) -> (StatusCode, String, Vec<u8>) {
    let request = Request::get(uri).body(Body::empty()).expect("request");
    let response = router.oneshot(request).await.expect("response");
    let status = response.status();
    let content_type = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap_or_default().to_string())
        .unwrap_or_default();
    let body = response.into_body().collect().await.expect("body");
    (status, content_type, body.to_bytes().to_vec())
}

/// The status and JSON body of a GET on the corpus index.
async fn get(uri: &str) -> (StatusCode, Value) {
    get_on(corpus_index(), uri).await
}

async fn get_on(index: &Path, uri: &str) -> (StatusCode, Value) {
    let (status, content_type, body) = get_raw(router_for(index), uri).await;
    assert_eq!(content_type, "application/json", "{uri}");
    let json = serde_json::from_slice(&body).unwrap_or_else(|e| {
        panic!(
            "bad JSON from {uri} ({e}): {}",
            String::from_utf8_lossy(&body)
        )
    });
    (status, json)
}

/// `newsdex --index INDEX ARGS...`: its stdout and stderr.
fn cli(args: &[&str]) -> (String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_newsdex"))
        .arg("--index")
        .arg(corpus_index())
        .args(args)
        .env_remove("NEWSDEX_RANK")
        .output()
        .expect("run newsdex");
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn ids(doc: &Value) -> Vec<&str> {
    doc["articles"]
        .as_array()
        .unwrap_or_else(|| panic!("no articles in {doc}"))
        .iter()
        .map(|a| a["id"].as_str().unwrap())
        .collect()
}

#[tokio::test]
async fn donbas_withdrawal_puts_the_donbas_passage_first_with_a_histogram() {
    let (status, doc) = get("/api/search?q=Donbas%20withdrawal&facets=person").await;
    assert_eq!(status, StatusCode::OK, "{doc}");
    let passage = &doc["articles"][0]["passages"][0];
    let text = passage["text"].as_str().unwrap();
    assert!(text.contains("withdraw from the Donbas region"), "{text}");
    assert_eq!(
        common::marked(passage, "highlights"),
        ["withdraw", "Donbas"]
    );

    let histogram = &doc["histogram"];
    assert_eq!(histogram["interval"], "day");
    assert_eq!(
        histogram["buckets"],
        serde_json::json!([{"start": "2025-12-02", "end": "2025-12-02", "count": 1}])
    );
    assert_eq!(histogram["undated"], 0);
}

#[tokio::test]
async fn search_answers_exactly_what_the_cli_prints_plus_paging_and_histogram() {
    let (status, mut doc) = get("/api/search?q=Witkoff&facets=person,place,org").await;
    assert_eq!(status, StatusCode::OK);
    let extra = doc.as_object_mut().unwrap();
    assert_eq!(extra.remove("offset"), Some(Value::from(0)));
    assert_eq!(extra.remove("limit"), Some(Value::from(10)));
    let histogram = extra.remove("histogram").expect("a histogram");
    let counted: u64 = histogram["buckets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["count"].as_u64().unwrap())
        .sum();
    // Every matching article is in a bar or counted as undated.
    assert_eq!(counted + histogram["undated"].as_u64().unwrap(), 2);

    let (stdout, _) = cli(&[
        "search", "Witkoff", "--json", "--facet", "person", "--facet", "place", "--facet", "org",
    ]);
    let printed: Value = serde_json::from_str(&stdout).expect("CLI JSON");
    assert_eq!(doc, printed);
}

#[tokio::test]
async fn a_person_filter_narrows_to_the_one_article_naming_them() {
    let (_, all) = get("/api/search?q=Witkoff").await;
    assert_eq!(all["total_articles"], 2);
    let (status, doc) = get("/api/search?q=Witkoff&person=Marco%20Rubio&facets=person").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(doc["total_articles"], 1);
    assert_eq!(ids(&doc), ["trump-reasonably-good-meeting.txt"]);
    let persons = doc["facets"]["person"].as_array().unwrap();
    assert!(persons
        .iter()
        .any(|v| v["name"] == "Marco Rubio" && v["count"] == 1));
}

#[tokio::test]
async fn offset_skips_that_many_articles() {
    let (_, both) = get("/api/search?q=Witkoff&limit=2").await;
    let (status, second) = get("/api/search?q=Witkoff&limit=1&offset=1").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(ids(&second), [ids(&both)[1]]);
    assert_eq!(second["offset"], 1);
    assert_eq!(second["total_articles"], 2);
    let (_, past) = get("/api/search?q=Witkoff&offset=5").await;
    assert_eq!(ids(&past), Vec::<&str>::new());
}

#[tokio::test]
async fn a_malformed_query_is_a_400_with_the_cli_message() {
    let (status, doc) = get("/api/search?q=%22Donbas").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (_, stderr) = cli(&["search", "\"Donbas"]);
    assert_eq!(
        format!("newsdex: {}\n", doc["error"].as_str().unwrap()),
        stderr
    );
    assert_eq!(doc["error"], "bad query: Syntax Error: \"Donbas");
}

#[tokio::test]
async fn an_overlong_query_is_a_400_that_says_so() {
    let long = "word%20".repeat(MAX_QUERY_CHARS);
    let (status, doc) = get(&format!("/api/search?q={long}")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        doc["error"],
        format!(
            "the query is too long: {} characters (at most {MAX_QUERY_CHARS})",
            5 * MAX_QUERY_CHARS
        )
    );
}

#[tokio::test]
async fn bad_parameters_are_400s_never_500s() {
    for (uri, error) in [
        ("/api/search?q=", "bad query: the query is empty"),
        ("/api/search", "bad query: the query is empty"),
        (
            "/api/search?q=x&sort=newest",
            "sort: cannot read \"newest\" (want relevance or date)",
        ),
        (
            "/api/search?q=x&limit=many",
            "limit: cannot read \"many\" (want a number from 0 to 100)",
        ),
        (
            "/api/search?q=x&per_article=11",
            "per_article: cannot read \"11\" (want a number from 0 to 10)",
        ),
        (
            "/api/search?q=x&since=someday",
            "since: cannot read 'someday' as a date (try 2025-12-02, 2025-12 or 2025)",
        ),
        (
            "/api/search?q=x&facets=animal",
            "kind: cannot read \"animal\" (want person, place or org)",
        ),
        (
            "/api/entities?kind=planet",
            "kind: cannot read \"planet\" (want person, place or org)",
        ),
    ] {
        let (status, doc) = get(uri).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{uri}: {doc}");
        assert_eq!(doc["error"], error, "{uri}");
    }
    let (status, doc) = get("/api/search?q=x&colour=red").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(doc["error"]
        .as_str()
        .unwrap()
        .starts_with("unknown parameter \"colour\""));
}

#[tokio::test]
async fn an_article_comes_whole_with_its_entities_marked() {
    let (status, doc) = get("/api/article/trump-reasonably-good-meeting.txt?q=Donbas").await;
    assert_eq!(status, StatusCode::OK, "{doc}");
    assert_eq!(doc["date"], "2025-12-02");
    let passages = doc["passages"].as_array().unwrap();
    let ordinals: Vec<u64> = passages
        .iter()
        .map(|p| p["ordinal"].as_u64().unwrap())
        .collect();
    assert_eq!(ordinals, (0..passages.len() as u64).collect::<Vec<_>>());
    assert!(doc["entities"]["persons"]
        .as_array()
        .unwrap()
        .contains(&Value::from("Marco Rubio")));
    let marked = |key: &str| -> Vec<&str> {
        passages
            .iter()
            .flat_map(|p| common::marked(p, key))
            .collect()
    };
    let mentions = marked("mentions");
    assert!(mentions.contains(&"Marco Rubio"), "{mentions:?}");
    assert!(mentions.contains(&"Putin"), "{mentions:?}");
    assert_eq!(marked("highlights"), ["Donbas"]);
    let body = doc["body"].as_str().unwrap();
    assert!(body.starts_with("URGENT UPDATE: President Donald Trump"));
}

#[tokio::test]
async fn an_unknown_article_is_a_404_json_error() {
    let (status, doc) = get("/api/article/no-such-article.txt").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(doc["error"], "no article with id \"no-such-article.txt\"");
    let (status, doc) = get("/api/nothing-here").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(doc["error"], "no API endpoint /api/nothing-here");
}

#[tokio::test]
async fn entities_search_inside_facet_values() {
    let (status, doc) = get("/api/entities?kind=person&q=RUB").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        doc,
        serde_json::json!({"kind": "person", "values": [{"name": "Marco Rubio", "count": 1}]})
    );
    let (_, doc) = get("/api/entities?kind=place&limit=1").await;
    assert_eq!(doc["values"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn without_an_index_the_page_loads_and_the_api_says_how_to_build_one() {
    let empty = tempfile::tempdir().unwrap();
    let missing: PathBuf = empty.path().join("no-index");
    let (status, doc) = get_on(&missing, "/api/search?q=Donbas").await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    let error = doc["error"].as_str().unwrap();
    assert!(
        error.starts_with(&format!(
            "no index at {}; build one with `newsdex index DIR`",
            missing.display()
        )),
        "{error}"
    );
    let (status, doc) = get_on(&missing, "/api/status").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(doc["ready"], false);

    let (status, content_type, body) = get_raw(router_for(&missing), "/").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(content_type, "text/html; charset=utf-8");
    assert!(String::from_utf8_lossy(&body).contains("<title>newsdex</title>"));
}

#[tokio::test]
async fn static_files_come_only_from_the_embedded_set() {
    let (status, content_type, body) = get_raw(router_for(corpus_index()), "/assets/app.js").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(content_type, "text/javascript; charset=utf-8");
    assert!(!String::from_utf8_lossy(&body).contains("innerHTML"));
    for uri in [
        "/assets/../Cargo.toml",
        "/assets/%2e%2e%2fCargo.toml",
        "/assets/..%2f..%2fCargo.toml",
        "/assets/%2fetc%2fpasswd",
        "/Cargo.toml",
        "/src/serve/assets/app.js",
    ] {
        let (status, _, body) = get_raw(router_for(corpus_index()), uri).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{uri}");
        assert_eq!(body, b"not found\n", "{uri}");
    }
}
