//! `karta feeds add|list|remove`: the news feeds `karta serve` polls.

use anyhow::{Result, bail};
use karta::feeds::new_feed;
use karta::store::Feed;

/// Feeds subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Add a feed (RSS, Atom or JSON Feed); a running `karta serve` polls it within a second.
    Add {
        /// The feed's http(s) address.
        url: String,
        /// ISO 639-1 language of its items (default: guessed per item).
        #[arg(long)]
        lang: Option<String>,
        /// Time between polls: 15m, 1h, 90s (at least 1s; keep minutes for other sites).
        #[arg(long, default_value = "15m")]
        every: String,
        /// A name to show instead of the URL.
        #[arg(long)]
        name: Option<String>,
        #[command(flatten)]
        db: super::Db,
    },
    /// List the feeds with their health.
    List {
        #[command(flatten)]
        db: super::Db,
    },
    /// Stop polling a feed (what it brought stays).
    Remove {
        /// The feed's id (see `karta feeds list`).
        id: i64,
        #[command(flatten)]
        db: super::Db,
    },
}

/// Runs a feeds subcommand.
pub fn run(command: Command) -> Result<()> {
    match command {
        Command::Add {
            url,
            lang,
            every,
            name,
            db,
        } => {
            let spec = new_feed(&url, lang.as_deref(), Some(&every), name.as_deref())?;
            let feed = db.open()?.insert_feed(&spec)?;
            let every = period(feed.every_secs);
            println!("feed {} added: {} every {every}", feed.id, feed.url);
        }
        Command::List { db } => {
            for feed in db.open()?.feeds()? {
                print!("{}", describe(&feed));
            }
        }
        Command::Remove { id, db } => {
            if !db.open()?.delete_feed(id)? {
                bail!("no feed {id}");
            }
            println!("feed {id} removed");
        }
    }
    Ok(())
}

/// A feed and its health, a few lines of text.
fn describe(feed: &Feed) -> String {
    let h = &feed.health;
    let time = |t: Option<chrono::DateTime<chrono::Utc>>| {
        t.map_or("never".to_owned(), |t| {
            t.format("%Y-%m-%d %H:%M:%S UTC").to_string()
        })
    };
    let mut text = format!(
        "{} {}{} every {}{}\n  last fetch {} (HTTP {}), next poll {}; items seen {}, stored {}\n",
        feed.id,
        feed.url,
        feed.name
            .as_ref()
            .map_or(String::new(), |n| format!(" ({n})")),
        period(feed.every_secs),
        feed.lang
            .as_ref()
            .map_or(String::new(), |l| format!(", lang {l}")),
        time(h.last_fetch),
        h.status.map_or("-".to_owned(), |s| s.to_string()),
        time(Some(h.next_poll)),
        h.items_seen,
        h.items_stored,
    );
    if let Some(since) = h.failing_since {
        text += &format!(
            "  FAILING since {} ({} polls)\n",
            time(Some(since)),
            h.failures
        );
    }
    if let Some(e) = &h.last_error {
        text += &format!("  last error: {e}\n");
    }
    text
}

/// A period as people write it: `15m`, `1h 30m`.
fn period(seconds: u64) -> String {
    humantime::format_duration(std::time::Duration::from_secs(seconds)).to_string()
}
