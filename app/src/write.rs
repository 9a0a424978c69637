//! Writes to the API (`POST /api/documents`, `PATCH /api/events/{id}`, `POST /api/references`)
//! with the write token, which is asked for once and kept in the browser's local storage.

use crate::browser;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The local storage key of the write token.
const TOKEN_KEY: &str = "karta-token";

/// Why a write did not happen.
#[derive(Debug, Clone, PartialEq)]
pub enum WriteError {
    /// No token is kept in this browser yet.
    NoToken,
    /// The server refused the token (401); it is forgotten.
    Refused(String),
    /// The token is valid but its role may not do this (403): it is kept, and another (a
    /// reviewer's, say) may be given for this write.
    Forbidden(String),
    /// Anything else: the network, or the server's answer.
    Failed(String),
}

impl WriteError {
    /// Whether the person should give a (new) token.
    pub fn needs_token(&self) -> bool {
        matches!(self, Self::NoToken | Self::Refused(_) | Self::Forbidden(_))
    }

    /// The error in words.
    pub fn message(&self) -> String {
        match self {
            Self::NoToken => "Saving needs a write token (made with `karta token create`).".into(),
            Self::Refused(why) => {
                format!("The server refused this token ({why}). Enter a valid write token.")
            }
            Self::Forbidden(why) => {
                format!("This token may not do that ({why}). Enter a token that may.")
            }
            Self::Failed(why) => format!("Not saved: {why}"),
        }
    }
}

#[derive(Deserialize)]
struct ApiErrorBody {
    error: ApiErrorDetail,
}

#[derive(Deserialize)]
struct ApiErrorDetail {
    message: String,
}

/// The message of an API error answer, else the answer itself.
pub fn error_message(status: u16, text: &str) -> String {
    serde_json::from_str::<ApiErrorBody>(text).map_or_else(
        |_| format!("HTTP {status}: {text}"),
        |e| format!("HTTP {status}: {}", e.error.message),
    )
}

/// The kept token, if any.
pub fn token() -> Option<String> {
    browser::stored(TOKEN_KEY).filter(|t| !t.trim().is_empty())
}

/// Keeps a token for the next writes.
pub fn keep_token(token: &str) {
    browser::store(TOKEN_KEY, token.trim());
}

/// Sends a body as JSON with the kept token and returns the answer's text. A refused token
/// is forgotten, so that the next write asks for another.
pub async fn send(method: &str, url: &str, body: &impl Serialize) -> Result<String, WriteError> {
    let body = serde_json::to_string(body).map_err(|e| WriteError::Failed(e.to_string()))?;
    send_text(method, url, &body).await
}

/// Sends a JSON text (a GeoJSON file, say) as it is, with the kept token, as [`send`] does.
pub async fn send_text(method: &str, url: &str, body: &str) -> Result<String, WriteError> {
    let token = token().ok_or(WriteError::NoToken)?;
    let (status, text) = browser::request(method, url, Some(body), Some(&token))
        .await
        .map_err(WriteError::Failed)?;
    match status {
        200..=299 => Ok(text),
        401 => {
            browser::forget(TOKEN_KEY);
            Err(WriteError::Refused(error_message(status, &text)))
        }
        403 => Err(WriteError::Forbidden(error_message(status, &text))),
        _ => Err(WriteError::Failed(error_message(status, &text))),
    }
}

/// The token field, shown when a write needs a token: a password input and a button that
/// keeps the token and runs `retry`.
#[component]
pub fn TokenPrompt(
    /// Why the token is asked for.
    #[prop(into)]
    message: Signal<String>,
    /// Runs once the token is kept.
    #[prop(into)]
    retry: Callback<()>,
) -> impl IntoView {
    let value = RwSignal::new(String::new());
    let input = NodeRef::<leptos::html::Input>::new();
    Effect::new(move |_| {
        if let Some(input) = input.get() {
            // Focus follows the question, for keyboard and screen-reader users.
            let _ = input.focus();
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let token = value.get_untracked();
        if token.trim().is_empty() {
            return;
        }
        keep_token(&token);
        value.set(String::new());
        retry.run(());
    };
    view! {
        <form class="token-prompt" on:submit=submit>
            <p role="alert">{message}</p>
            <label>
                "Write token"
                <input
                    node_ref=input
                    type="password"
                    name="token"
                    autocomplete="off"
                    required
                    prop:value=value
                    on:input=move |ev| value.set(event_target_value(&ev))
                />
            </label>
            <button type="submit">"Use this token"</button>
        </form>
    }
}
