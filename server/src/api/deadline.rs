//! The `--timeout` of a request, decided one way for writes (issue 19, item 8b): a write
//! answered 408 is never stored, and a stored write is never answered 408.
//!
//! Each request carries an [`Outcome`]. A handler that writes calls [`Outcome::commit`] just
//! before it writes; a request past its time calls [`Outcome::abandon`]. Whichever comes first
//! wins: once committed, the request waits for the write to finish and answers it, however late;
//! once abandoned, the write is not made and the answer is 408. A client that leaves abandons
//! its request too. Reads, which never commit, are answered 408 at the deadline.

use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::sync::Arc;
use std::sync::atomic::{AtomicU8, Ordering};
use std::time::Duration;

/// Neither committed nor abandoned yet.
const OPEN: u8 = 0;
/// The handler is writing; the request waits for it.
const COMMITTED: u8 = 1;
/// The request timed out or its client left; nothing may be written.
const ABANDONED: u8 = 2;

/// Whether a request's write goes ahead or is given up, decided once.
#[derive(Debug, Clone, Default)]
pub struct Outcome(Arc<AtomicU8>);

impl Outcome {
    /// Moves from open to `to`; whether the outcome is `to` now.
    fn settle(&self, to: u8) -> bool {
        match self
            .0
            .compare_exchange(OPEN, to, Ordering::SeqCst, Ordering::SeqCst)
        {
            Ok(_) => true,
            Err(now) => now == to,
        }
    }

    /// Called just before writing: whether the write may go ahead (the request was not
    /// abandoned). From then on the request waits for the answer.
    pub fn commit(&self) -> bool {
        self.settle(COMMITTED)
    }

    /// Called when the request runs out of time or is dropped: whether the write, if any, will
    /// not be made.
    pub fn abandon(&self) -> bool {
        self.settle(ABANDONED)
    }
}

/// Abandons a request whose answer is dropped before it is ready (the client left).
struct AbandonOnDrop(Outcome);

impl Drop for AbandonOnDrop {
    fn drop(&mut self) {
        self.0.abandon();
    }
}

/// Middleware: answers 408 at `timeout` unless the handler committed to a write by then, in
/// which case it waits for the handler's answer.
pub async fn answer_within(
    State(timeout): State<Duration>,
    mut request: Request,
    next: Next,
) -> Response {
    let outcome = Outcome::default();
    request.extensions_mut().insert(outcome.clone());
    let _guard = AbandonOnDrop(outcome.clone());
    let answer = next.run(request);
    tokio::pin!(answer);
    tokio::select! {
        response = &mut answer => response,
        () = tokio::time::sleep(timeout) => {
            if outcome.abandon() {
                StatusCode::REQUEST_TIMEOUT.into_response()
            } else {
                answer.await
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_of_commit_and_abandon_wins() {
        let committed = Outcome::default();
        assert!(committed.commit() && committed.commit());
        assert!(!committed.abandon());
        let abandoned = Outcome::default();
        assert!(abandoned.abandon());
        assert!(!abandoned.commit() && abandoned.abandon());
    }
}
