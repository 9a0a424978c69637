//! A bound on the costly work in flight (geoparsing and ingest): at most `jobs` at once and
//! `queue` more waiting for a turn; beyond that a request answers 503 with `Retry-After`
//! rather than piling work up. A job whose request is gone (the client left, or `--timeout`
//! answered 408) is not started.

use super::ApiError;
use axum::http::StatusCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// The jobs running and waiting, shared by the handlers.
#[derive(Debug, Clone)]
pub struct Jobs {
    permits: Arc<Semaphore>,
    /// Requests admitted: running or waiting for a permit.
    admitted: Arc<AtomicUsize>,
    /// Most requests admitted at once: running plus queued.
    most: usize,
}

/// A turn to run a job; dropping it frees the turn. [`Turn::gone`] tells the blocking work
/// whether the request that asked for it is still there.
#[derive(Debug)]
pub struct Turn {
    _permit: OwnedSemaphorePermit,
    _admission: Admission,
    gone: Arc<AtomicBool>,
}

/// Set when the request's future is dropped (the client left, or the timeout answered).
#[derive(Debug)]
pub struct Watch(Arc<AtomicBool>);

impl Jobs {
    /// At most `jobs` jobs at once (at least one), `queue` more waiting.
    pub fn new(jobs: usize, queue: usize) -> Self {
        let jobs = jobs.max(1);
        Self {
            permits: Arc::new(Semaphore::new(jobs)),
            admitted: Arc::new(AtomicUsize::new(0)),
            most: jobs + queue,
        }
    }

    /// Waits for a turn, or answers 503 at once when the jobs and the queue are full. The
    /// [`Watch`] must live as long as the request's future: its drop tells the job to stop.
    pub async fn turn(&self) -> Result<(Turn, Watch), ApiError> {
        // Counted from here on, until the turn ends or the wait is dropped.
        let admission = Admission::new(self.admitted.clone());
        if admission.before >= self.most {
            return Err(busy());
        }
        let permit = self
            .permits
            .clone()
            .acquire_owned()
            .await
            .map_err(ApiError::internal)?;
        let gone = Arc::new(AtomicBool::new(false));
        let turn = Turn {
            _permit: permit,
            _admission: admission,
            gone: gone.clone(),
        };
        Ok((turn, Watch(gone)))
    }
}

impl Turn {
    /// Whether the request is gone, so that its work should stop.
    pub fn gone(&self) -> bool {
        self.gone.load(Ordering::SeqCst)
    }

    /// The error to stop with when [`Turn::gone`].
    pub fn abandoned() -> ApiError {
        ApiError::from_status(StatusCode::REQUEST_TIMEOUT)
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        self.0.store(true, Ordering::SeqCst);
    }
}

/// One request counted among those admitted, until dropped.
#[derive(Debug)]
struct Admission {
    admitted: Arc<AtomicUsize>,
    /// How many were admitted before this one.
    before: usize,
}

impl Admission {
    fn new(admitted: Arc<AtomicUsize>) -> Self {
        let before = admitted.fetch_add(1, Ordering::SeqCst);
        Self { admitted, before }
    }
}

impl Drop for Admission {
    fn drop(&mut self) {
        self.admitted.fetch_sub(1, Ordering::SeqCst);
    }
}

/// 503 with `Retry-After`.
fn busy() -> ApiError {
    ApiError::busy(
        "karta is busy with as much geoparsing and ingest as it takes at once: try again shortly",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn beyond_the_jobs_and_the_queue_a_request_is_turned_away() {
        let jobs = Jobs::new(1, 1);
        let (first, watch) = jobs.turn().await.expect("a free turn");
        // The second waits in the queue; a third finds it full.
        let second = tokio::spawn({
            let jobs = jobs.clone();
            async move {
                let (turn, watch) = jobs.turn().await?;
                drop(watch);
                Ok::<bool, ApiError>(turn.gone())
            }
        });
        while jobs.admitted.load(Ordering::SeqCst) < 2 {
            tokio::task::yield_now().await;
        }
        let third = jobs.turn().await.expect_err("the queue is full");
        assert_eq!(third.status, StatusCode::SERVICE_UNAVAILABLE);
        assert!(!first.gone());
        drop(watch);
        assert!(first.gone(), "the request is gone");
        drop(first);
        // The second got its turn once the first ended, and saw its own request go.
        assert_eq!(second.await.expect("joined").ok(), Some(true));
        assert_eq!(jobs.admitted.load(Ordering::SeqCst), 0);
    }
}
