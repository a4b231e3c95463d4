//! The JSON API: query parameters read and checked at the edge, searches run
//! on the blocking pool, and every failure answered as `{"error": "..."}`
//! with a status that says whose fault it was (400 a bad request, 404 an
//! unknown article, 503 no index yet).

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;
use serde_json::{json, Value};

use super::AppState;
use crate::error::Error;
use crate::extract::EntityKind;
use crate::render::SearchJson;
use crate::search::{Histogram, RankConfig, SearchRequest, Searcher, SortOrder};

/// The longest query the API accepts, in characters.
pub const MAX_QUERY_CHARS: usize = 500;
/// The most articles one page of results may hold.
const MAX_LIMIT: usize = 100;
/// How far into the results paging may reach.
const MAX_OFFSET: usize = 10_000;
/// The most values per facet kind.
const MAX_FACET_LIMIT: usize = 1_000;
/// Most passages shown per article.
const MAX_PER_ARTICLE: usize = 10;
/// Articles per page unless `limit` says otherwise (as the CLI).
const DEFAULT_LIMIT: usize = 10;
/// Values per facet kind unless `facet_limit` says otherwise (as the CLI).
const DEFAULT_FACET_LIMIT: usize = 10;
/// Facet values returned by `/api/entities` unless `limit` says otherwise.
const DEFAULT_ENTITY_LIMIT: usize = 20;

/// Why a request failed.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The library refused or failed (a bad query, no index, a disk error).
    #[error(transparent)]
    Search(#[from] Error),
    /// A parameter the API does not know, or a value it cannot read.
    #[error("{0}")]
    BadParameter(String),
    /// The query is longer than [`MAX_QUERY_CHARS`].
    #[error("the query is too long: {0} characters (at most {MAX_QUERY_CHARS})")]
    QueryTooLong(usize),
    /// No article has this id.
    #[error("no article with id {0:?}")]
    NoArticle(String),
    /// No API route has this path.
    #[error("no API endpoint /api/{0}")]
    NoEndpoint(String),
    /// A search task died (a bug).
    #[error("the search failed: {0}")]
    Task(String),
}

impl ApiError {
    fn status(&self) -> StatusCode {
        match self {
            ApiError::Search(Error::NoIndex(_)) => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Search(e) if e.is_user_error() => StatusCode::BAD_REQUEST,
            ApiError::Search(_) | ApiError::Task(_) => StatusCode::INTERNAL_SERVER_ERROR,
            ApiError::BadParameter(_) | ApiError::QueryTooLong(_) => StatusCode::BAD_REQUEST,
            ApiError::NoArticle(_) | ApiError::NoEndpoint(_) => StatusCode::NOT_FOUND,
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status(), Json(json!({ "error": self.to_string() }))).into_response()
    }
}

type ApiResult = std::result::Result<Response, ApiError>;

/// The query string as (name, value) pairs, in order; names may repeat.
type Params = Query<Vec<(String, String)>>;

/// Runs `f` with the shared searcher on the blocking pool.
async fn with_searcher<T: Send + 'static>(
    state: Arc<AppState>,
    f: impl FnOnce(&Searcher) -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(move || f(&*state.searcher()?))
        .await
        .map_err(|e| ApiError::Task(e.to_string()))?
}

/// `GET /api/status`: the index path and whether an index is there.
pub async fn status(State(state): State<Arc<AppState>>) -> Json<Value> {
    let index = state.index_path.display().to_string();
    let probe = Arc::clone(&state);
    let opened = tokio::task::spawn_blocking(move || probe.searcher().map(|_| ()))
        .await
        .map_err(|e| e.to_string())
        .and_then(|r| r.map_err(|e| e.to_string()));
    Json(match opened {
        Ok(()) => json!({ "index": index, "ready": true }),
        Err(error) => json!({ "index": index, "ready": false, "error": error }),
    })
}

/// `GET /api/search`: the JSON of `newsdex search --json`, plus `offset`,
/// `limit` and `histogram`.
pub async fn search(State(state): State<Arc<AppState>>, Query(params): Params) -> ApiResult {
    let SearchPage { request, offset } = search_page(&params)?;
    let limit = request.limit;
    let (results, histogram) = with_searcher(state, move |searcher| {
        let mut wider = request.clone();
        wider.limit = request.limit + offset;
        let mut results = searcher.search(&wider)?;
        results.articles.drain(..offset.min(results.articles.len()));
        let histogram = searcher.histogram(&request)?;
        Ok((results, histogram))
    })
    .await?;
    let answer = SearchAnswer {
        results: SearchJson::of(&results),
        offset,
        limit,
        histogram,
    };
    Ok(Json(answer).into_response())
}

/// What `/api/search` answers: the CLI's JSON with paging and a timeline.
#[derive(Serialize)]
struct SearchAnswer<'a> {
    #[serde(flatten)]
    results: SearchJson<'a>,
    offset: usize,
    limit: usize,
    histogram: Histogram,
}

/// `GET /api/entities?kind=person&q=rub&limit=20`: entity names of a kind
/// containing `q`, with the number of articles naming each.
pub async fn entities(State(state): State<Arc<AppState>>, Query(params): Params) -> ApiResult {
    let mut kind = EntityKind::Person;
    let mut needle = String::new();
    let mut limit = DEFAULT_ENTITY_LIMIT;
    for (name, value) in &params {
        match name.as_str() {
            "kind" => kind = entity_kind(value)?,
            "q" => needle = checked_query(value)?.to_string(),
            "limit" => limit = number(name, value, MAX_FACET_LIMIT)?,
            _ => return Err(unknown_parameter(name, &["kind", "q", "limit"])),
        }
    }
    let values = with_searcher(state, move |searcher| {
        Ok(searcher.entities_matching(kind, &needle, limit)?)
    })
    .await?;
    Ok(Json(json!({ "kind": kind, "values": values })).into_response())
}

/// `GET /api/article/{id}?q=...`: the whole article with its entities and
/// where they are mentioned; with `q`, that query's words highlighted.
pub async fn article(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    Query(params): Params,
) -> ApiResult {
    let mut highlight = None;
    for (name, value) in &params {
        match name.as_str() {
            "q" => highlight = Some(checked_query(value)?.to_string()),
            _ => return Err(unknown_parameter(name, &["q"])),
        }
    }
    let article = with_searcher(state, move |searcher| {
        searcher
            .article(&id, highlight.as_deref())?
            .ok_or(ApiError::NoArticle(id))
    })
    .await?;
    Ok(Json(article).into_response())
}

/// Any other path under `/api/`.
pub async fn unknown(Path(rest): Path<String>) -> ApiError {
    ApiError::NoEndpoint(rest)
}

/// A search request and how many articles to skip.
#[derive(Debug)]
struct SearchPage {
    request: SearchRequest,
    offset: usize,
}

const SEARCH_PARAMETERS: &[&str] = &[
    "q",
    "person",
    "place",
    "org",
    "since",
    "until",
    "sort",
    "limit",
    "offset",
    "facets",
    "facet_limit",
    "all_copies",
    "per_article",
];

/// Reads `/api/search`'s parameters, with the CLI's defaults.
fn search_page(params: &[(String, String)]) -> Result<SearchPage, ApiError> {
    let mut request = SearchRequest {
        query: String::new(),
        limit: DEFAULT_LIMIT,
        facets: Vec::new(),
        facet_limit: DEFAULT_FACET_LIMIT,
        filters: Vec::new(),
        all_copies: false,
        since: None,
        until: None,
        sort: SortOrder::Relevance,
        lenient: false,
        rank: RankConfig::default(),
    };
    let mut offset = 0;
    for (name, value) in params {
        match name.as_str() {
            "q" => request.query = checked_query(value)?.to_string(),
            "person" | "place" | "org" => {
                let kind = entity_kind(name)?;
                if !value.trim().is_empty() {
                    request
                        .filters
                        .push((kind, checked_query(value)?.to_string()));
                }
            }
            "since" => request.since = date(name, value, false)?,
            "until" => request.until = date(name, value, true)?,
            "sort" => {
                request.sort = match value.as_str() {
                    "relevance" => SortOrder::Relevance,
                    "date" => SortOrder::Date,
                    _ => return Err(bad_value(name, value, "relevance or date")),
                }
            }
            "limit" => request.limit = number(name, value, MAX_LIMIT)?.max(1),
            "offset" => offset = number(name, value, MAX_OFFSET)?,
            "facets" => {
                for kind in value.split(',').filter(|k| !k.trim().is_empty()) {
                    let kind = entity_kind(kind.trim())?;
                    if !request.facets.contains(&kind) {
                        request.facets.push(kind);
                    }
                }
            }
            "facet_limit" => request.facet_limit = number(name, value, MAX_FACET_LIMIT)?,
            "all_copies" => {
                request.all_copies = match value.as_str() {
                    "true" | "1" | "" => true,
                    "false" | "0" => false,
                    _ => return Err(bad_value(name, value, "true or false")),
                }
            }
            "per_article" => {
                request.rank.shown_passages = number(name, value, MAX_PER_ARTICLE)?.max(1)
            }
            _ => return Err(unknown_parameter(name, SEARCH_PARAMETERS)),
        }
    }
    Ok(SearchPage { request, offset })
}

/// A query (or name) no longer than [`MAX_QUERY_CHARS`].
fn checked_query(value: &str) -> Result<&str, ApiError> {
    let chars = value.chars().count();
    if chars > MAX_QUERY_CHARS {
        return Err(ApiError::QueryTooLong(chars));
    }
    Ok(value)
}

fn entity_kind(value: &str) -> Result<EntityKind, ApiError> {
    EntityKind::from_name(value).ok_or_else(|| bad_value("kind", value, "person, place or org"))
}

fn number(name: &str, value: &str, max: usize) -> Result<usize, ApiError> {
    match value.trim().parse::<usize>() {
        Ok(n) if n <= max => Ok(n),
        _ => Err(bad_value(name, value, &format!("a number from 0 to {max}"))),
    }
}

fn date(name: &str, value: &str, end: bool) -> Result<Option<crate::article::Date>, ApiError> {
    if value.trim().is_empty() {
        return Ok(None);
    }
    Ok(crate::commands::date_bound(
        name,
        Some(value.to_string()),
        end,
    )?)
}

fn bad_value(name: &str, value: &str, wanted: &str) -> ApiError {
    let shown: String = value.chars().take(40).collect();
    ApiError::BadParameter(format!("{name}: cannot read {shown:?} (want {wanted})"))
}

fn unknown_parameter(name: &str, known: &[&str]) -> ApiError {
    let shown: String = name.chars().take(40).collect();
    ApiError::BadParameter(format!(
        "unknown parameter {shown:?} (known: {})",
        known.join(", ")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn search_parameters_become_a_typed_request() {
        let page = search_page(&params(&[
            ("q", "Donbas"),
            ("person", "Marco Rubio"),
            ("person", "Steve Witkoff"),
            ("place", ""),
            ("facets", "person,org,person"),
            ("since", "2025-12"),
            ("sort", "date"),
            ("limit", "5"),
            ("offset", "10"),
        ]))
        .unwrap();
        let r = &page.request;
        assert_eq!(r.query, "Donbas");
        assert_eq!(r.filters.len(), 2);
        assert_eq!(r.facets, [EntityKind::Person, EntityKind::Org]);
        assert_eq!(
            r.since.map(|d| d.to_string()).as_deref(),
            Some("2025-12-01")
        );
        assert_eq!(r.sort, SortOrder::Date);
        assert_eq!((r.limit, page.offset), (5, 10));
    }

    #[test]
    fn bad_parameters_say_what_was_wrong() {
        let message = |pairs: &[(&str, &str)]| search_page(&params(pairs)).unwrap_err().to_string();
        assert_eq!(
            message(&[("sort", "newest")]),
            "sort: cannot read \"newest\" (want relevance or date)"
        );
        assert!(message(&[("qq", "x")]).starts_with("unknown parameter \"qq\""));
        assert_eq!(
            message(&[("since", "soon")]),
            "since: cannot read 'soon' as a date (try 2025-12-02, 2025-12 or 2025)"
        );
        let long = "a".repeat(MAX_QUERY_CHARS + 1);
        assert_eq!(
            message(&[("q", &long)]),
            format!("the query is too long: 501 characters (at most {MAX_QUERY_CHARS})")
        );
    }
}
