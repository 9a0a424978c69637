//! `karta token`: create, list and revoke write tokens.

use anyhow::{Context, Result, bail};
use chrono::{TimeDelta, Utc};
use karta::auth::create_token_until;
use karta::store::{Role, TokenInfo};

/// Token subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Print a new token on standard output; the database keeps only its hash.
    Create {
        #[command(flatten)]
        db: super::Db,
        /// A name for the token, recorded with the corrections made with it.
        #[arg(long, default_value = "default")]
        name: String,
        /// Refuse the token after this long: a number of hours, days or weeks (`12h`, `90d`,
        /// `2w`). Without it, the token lasts until revoked.
        #[arg(long, value_parser = lifetime)]
        expires: Option<TimeDelta>,
        /// What it may do: `reader` (reads, where reads are private), `editor` (also writes:
        /// documents, corrections, imports, deletions), `reviewer` (also marks events
        /// verified) or `admin` (everything).
        #[arg(long, default_value = "editor", value_parser = role)]
        role: Role,
    },
    /// List the tokens (id, name, role, created, last used, expiry, revocation); never their
    /// secrets.
    List {
        #[command(flatten)]
        db: super::Db,
    },
    /// Revoke a token, by id or by name (every token of that name), and end its browser
    /// sessions.
    Revoke {
        #[command(flatten)]
        db: super::Db,
        /// The token's id or name, as `karta token list` shows them.
        which: String,
    },
}

/// Reads a lifetime such as `90d`: a positive whole number of hours (`h`), days (`d`) or weeks
/// (`w`).
fn lifetime(text: &str) -> Result<TimeDelta, String> {
    let unit_at = text.len().saturating_sub(1);
    let (number, unit) = (text.get(..unit_at), text.get(unit_at..));
    let count: i64 = number
        .and_then(|n| n.parse().ok())
        .filter(|&n| n > 0)
        .ok_or_else(|| format!("{text:?} is not a lifetime such as 12h, 90d or 2w"))?;
    let delta = match unit {
        Some("h") => TimeDelta::try_hours(count),
        Some("d") => TimeDelta::try_days(count),
        Some("w") => TimeDelta::try_weeks(count),
        _ => None,
    };
    delta.ok_or_else(|| format!("{text:?} is not a lifetime such as 12h, 90d or 2w"))
}

/// Reads a role's name.
fn role(text: &str) -> Result<Role, String> {
    Role::parse(text).ok_or_else(|| {
        let names: Vec<&str> = Role::ALL.iter().map(|r| r.as_str()).collect();
        format!("{text:?} is not a role: one of {}", names.join(", "))
    })
}

/// Runs a token subcommand.
pub fn run(command: Command) -> Result<()> {
    match command {
        Command::Create {
            db,
            name,
            expires,
            role,
        } => {
            let store = db.open()?;
            let expires = expires
                .map(|e| {
                    Utc::now()
                        .checked_add_signed(e)
                        .context("--expires is too far ahead")
                })
                .transpose()?;
            let (token, info) = create_token_until(store.as_ref(), &name, expires, role)?;
            let until = info.expires.as_deref().unwrap_or("revoked");
            eprintln!(
                "token {:?} (id {}, {}) created in {}, valid until {until}",
                info.name,
                info.id,
                info.role.as_str(),
                karta::store::shown(&db.name())
            );
            println!("{token}");
            Ok(())
        }
        Command::List { db } => {
            println!("id\tname\trole\tcreated\tlast_used\texpires\trevoked");
            for token in db.open()?.tokens()? {
                println!("{}", row(&token));
            }
            Ok(())
        }
        Command::Revoke { db, which } => {
            let revoked = db.open()?.revoke_tokens(&which)?;
            if revoked.is_empty() {
                bail!("no token that is not revoked yet has the id or name {which:?}");
            }
            for token in revoked {
                eprintln!("revoked token {:?} (id {})", token.name, token.id);
            }
            Ok(())
        }
    }
}

/// One line of `karta token list`, tab-separated, `-` for a time that is not set.
fn row(token: &TokenInfo) -> String {
    let or_dash = |t: &Option<String>| t.clone().unwrap_or_else(|| "-".to_owned());
    format!(
        "{}\t{}\t{}\t{}\t{}\t{}\t{}",
        token.id,
        token.name,
        token.role.as_str(),
        token.created,
        or_dash(&token.last_used),
        or_dash(&token.expires),
        or_dash(&token.revoked)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lifetimes_are_hours_days_or_weeks() {
        assert_eq!(lifetime("90d"), Ok(TimeDelta::days(90)));
        assert_eq!(lifetime("12h"), Ok(TimeDelta::hours(12)));
        assert_eq!(lifetime("2w"), Ok(TimeDelta::weeks(2)));
        for wrong in [
            "",
            "d",
            "0d",
            "-3d",
            "90",
            "90m",
            "9x9d",
            "99999999999999w",
            "é",
        ] {
            assert!(lifetime(wrong).is_err(), "{wrong}");
        }
    }
}
