//! What the fuzz targets share: the shipped gazetteer and the extractor, loaded once, and the
//! API over a fresh database in a temporary folder, called in-process (no socket) on a
//! single-threaded runtime.

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use extract::Extractor;
use gazetteer::Gazetteer;
use karta::api::{ApiSettings, router};
use karta::auth::create_token;
use karta::ingest::Pipeline;
use karta::store::SqliteStore;
use std::sync::{Arc, LazyLock};
use tower::ServiceExt;

/// The shipped gazetteer.
pub fn gazetteer() -> Arc<Gazetteer> {
    static GAZ: LazyLock<Arc<Gazetteer>> =
        LazyLock::new(|| Arc::new(Gazetteer::open_default().expect("the shipped gazetteer opens")));
    GAZ.clone()
}

/// The extractor with the built-in lexicons.
pub fn extractor() -> Arc<Extractor> {
    static EXTRACTOR: LazyLock<Arc<Extractor>> =
        LazyLock::new(|| Arc::new(Extractor::new().expect("the built-in lexicons load")));
    EXTRACTOR.clone()
}

/// The API over a database of its own, with a write token.
pub struct Api {
    /// The routes with all their middleware.
    pub router: Router,
    /// A valid write token.
    pub token: String,
    runtime: tokio::runtime::Runtime,
    _dir: tempfile::TempDir,
}

impl Api {
    /// The process's API, made on first use.
    pub fn get() -> &'static Api {
        static API: LazyLock<Api> = LazyLock::new(Api::new);
        &API
    }

    fn new() -> Self {
        let dir = tempfile::tempdir().expect("a temp dir");
        let store = SqliteStore::open(dir.path().join("fuzz.db")).expect("the database opens");
        let pipeline =
            Pipeline::new(Arc::new(store), gazetteer(), extractor()).expect("the pipeline starts");
        let (token, _) = create_token(pipeline.store(), "fuzz").expect("a token");
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime");
        Self {
            router: router(pipeline, &ApiSettings::default()),
            token,
            runtime,
            _dir: dir,
        }
    }

    /// The status and the whole body of the answer to a request.
    pub fn answer(&self, request: Request<Body>) -> (StatusCode, Vec<u8>) {
        self.runtime.block_on(async {
            let response = self
                .router
                .clone()
                .oneshot(request)
                .await
                .expect("the router answers");
            let status = response.status();
            let body = axum::body::to_bytes(response.into_body(), usize::MAX)
                .await
                .expect("the body is read");
            (status, body.to_vec())
        })
    }
}
