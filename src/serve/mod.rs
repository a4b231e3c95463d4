//! `newsdex serve`: the index over HTTP. A JSON API (`api.rs`) answers
//! searches, facet-value look-ups and whole articles; a page of plain
//! HTML, CSS and JS (`assets.rs`, compiled into the binary) drives it. The
//! searcher is opened once and shared; each search runs on tokio's blocking
//! pool. When there is no index yet, the server still starts, answers every
//! API call with a JSON error saying how to build one, and opens the index
//! as soon as it appears.

mod api;
mod assets;

use std::io::Write;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use axum::routing::get;
use axum::Router;

use crate::error::{Error, Result};
use crate::search::Searcher;

pub use api::MAX_QUERY_CHARS;

/// The address `newsdex serve` listens on unless told otherwise.
pub const DEFAULT_ADDR: &str = "127.0.0.1:7700";

/// What every request handler shares: the index path and, once it exists,
/// the open searcher.
pub struct AppState {
    index_path: PathBuf,
    searcher: Mutex<Option<Arc<Searcher>>>,
}

impl AppState {
    /// Opens the index at `index_path` if there is one; if not, the state
    /// tries again on each request.
    pub fn new(index_path: &Path) -> Result<AppState> {
        let searcher = match Searcher::open(index_path) {
            Ok(s) => Some(Arc::new(s)),
            Err(Error::NoIndex(_)) => None,
            Err(e) => return Err(e),
        };
        Ok(AppState {
            index_path: index_path.to_path_buf(),
            searcher: Mutex::new(searcher),
        })
    }

    /// True when an index was found at the path.
    pub fn has_index(&self) -> bool {
        self.lock().is_some()
    }

    /// The shared searcher, opening the index if it has appeared since.
    /// Blocks on disk; call it from the blocking pool.
    fn searcher(&self) -> Result<Arc<Searcher>> {
        let mut slot = self.lock();
        if let Some(s) = slot.as_ref() {
            return Ok(Arc::clone(s));
        }
        let opened = Arc::new(Searcher::open(&self.index_path)?);
        *slot = Some(Arc::clone(&opened));
        Ok(opened)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<Arc<Searcher>>> {
        // A panic while holding the lock leaves the slot valid.
        self.searcher.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// The HTTP routes: the page, its assets, and the JSON API.
pub fn router(state: Arc<AppState>) -> Router {
    Router::new()
        .route("/", get(assets::index_page))
        .route("/assets/{file}", get(assets::asset))
        .route("/api/status", get(api::status))
        .route("/api/search", get(api::search))
        .route("/api/entities", get(api::entities))
        .route("/api/article/{*id}", get(api::article))
        .route("/api/{*rest}", get(api::unknown))
        .fallback(assets::not_found)
        .with_state(state)
}

/// Serves the index at `index_path` on `addr` until Ctrl-C, printing the
/// URL (and a warning when there is no index yet) to `err`.
pub fn run(index_path: &Path, addr: SocketAddr, err: &mut impl Write) -> Result<()> {
    let state = Arc::new(AppState::new(index_path)?);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::BadArgument(format!("cannot start the server: {e}")))?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|e| Error::BadArgument(format!("cannot listen on {addr}: {e}")))?;
        let local = listener
            .local_addr()
            .map_err(|e| Error::BadArgument(format!("cannot listen on {addr}: {e}")))?;
        // A closed stderr must not stop the server.
        let _ = writeln!(
            err,
            "newsdex: serving {} at http://{local}/",
            index_path.display()
        );
        if !state.has_index() {
            let _ = writeln!(err, "newsdex: {}", Error::NoIndex(index_path.to_path_buf()));
        }
        let _ = err.flush();
        axum::serve(listener, router(state))
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await
            .map_err(|source| Error::Io {
                path: index_path.to_path_buf(),
                source,
            })
    })
}
