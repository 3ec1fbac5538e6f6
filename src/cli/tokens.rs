//! `tocsin token add|list|revoke`: API tokens. `add` prints the token once, as its last line
//! of standard output; nothing can print it again.

use anyhow::{anyhow, bail};

use super::TokenCommand;
use crate::audit::Actor;
use crate::config::Settings;
use crate::domain::Scope;
use crate::state::Core;
use crate::store::tokens::Revoked;
use crate::tokens::{self, AddError};

pub async fn run(settings: Settings, cmd: TokenCommand) -> anyhow::Result<()> {
    let core = crate::cli::open::existing(settings).await?;
    let result = command(&core, cmd).await;
    core.store.close().await;
    result
}

async fn command(core: &Core, cmd: TokenCommand) -> anyhow::Result<()> {
    match cmd {
        TokenCommand::Add { name, scope } => {
            let scope = Scope::parse(scope.trim())
                .ok_or_else(|| anyhow!("--scope: must be one of {}", Scope::NAMES.join(", ")))?;
            let made = tokens::add(core, &Actor::Cli, &name, scope)
                .await
                .map_err(|e| match e {
                    AddError::Name(why) => anyhow!("NAME: {why}"),
                    AddError::Store(e) => anyhow!("NAME: {e}"),
                })?;
            println!(
                "added {} token {}; it is shown this once (tocsin keeps only its hash):",
                made.scope, made.name
            );
            println!("{}", made.secret);
        }
        TokenCommand::List => {
            for t in core.store.tokens().await? {
                let used = t.last_used_at.map(utc).unwrap_or_else(|| "never".into());
                let state = match t.revoked_at {
                    Some(at) => format!("revoked {}", utc(at)),
                    None => "live".into(),
                };
                println!(
                    "{}\t{}\tcreated {}\tlast used {}\t{}",
                    t.name,
                    t.scope,
                    utc(t.created_at),
                    used,
                    state
                );
            }
        }
        TokenCommand::Revoke { name } => match tokens::revoke(core, &Actor::Cli, &name).await? {
            Revoked::Now => println!("revoked {}", name.trim()),
            Revoked::Already => println!("{} was already revoked", name.trim()),
            Revoked::Unknown => bail!("NAME: no token named {}", name.trim()),
        },
    }
    Ok(())
}

/// Milliseconds since the epoch as `2025-06-01 14:03Z`.
fn utc(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let (days, rest) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}Z",
        rest / 3600,
        rest % 3600 / 60
    )
}

#[cfg(test)]
mod tests {
    use super::utc;

    #[test]
    fn times_are_shown_in_utc_to_the_minute() {
        assert_eq!(utc(0), "1970-01-01 00:00Z");
        assert_eq!(utc(951_782_400_000), "2000-02-29 00:00Z");
        assert_eq!(utc(1_748_786_622_000), "2025-06-01 14:03Z");
    }
}
