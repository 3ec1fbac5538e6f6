//! `tocsin mobilisations import|list|cancel`: hearing lists from a CSV file, what is coming (with
//! the number volunteers answer with, and their answers), and calling one off (everyone invited
//! stands down: the stand-down is queued for the running server's outbox). Places are resolved on the network's map (zones and imported places)
//! before anything is stored.

use anyhow::{bail, Context};

use super::MobilisationsCommand;
use crate::audit::Actor;
use crate::config::Settings;
use crate::domain::clock::rfc3339;
use crate::mobilisations::import::{self, Defaults};
use crate::mobilisations::{self, CreateError, Created};

pub async fn run(settings: Settings, cmd: MobilisationsCommand) -> anyhow::Result<()> {
    let core = crate::cli::open::existing(settings).await?;
    match cmd {
        MobilisationsCommand::Import {
            file,
            wanted,
            radius_m,
        } => {
            let text =
                std::fs::read_to_string(&file).with_context(|| format!("reading {}", file.display()))?;
            let rules = mobilisations::rules(&core);
            let drafts = match import::read(&text, &rules, &Defaults { wanted, radius_m }) {
                Ok(d) => d,
                Err(errors) => {
                    let lines: Vec<String> = errors.iter().map(|e| format!("  {e}")).collect();
                    bail!("{}: nothing imported:\n{}", file.display(), lines.join("\n"));
                }
            };
            // Every place first: a row whose place names nothing stops the import before any is stored.
            let mut problems = Vec::new();
            for (n, d) in drafts.iter().enumerate() {
                if let Err(e) = mobilisations::check(&core, d).await {
                    problems.push(format!("  line {}: {e}", n + 2));
                }
            }
            if !problems.is_empty() {
                bail!("{}: nothing imported:\n{}", file.display(), problems.join("\n"));
            }
            let (mut added, mut known) = (0, 0);
            for d in &drafts {
                match mobilisations::create(&core, &Actor::Cli, d).await {
                    Ok(Created::New(_)) => added += 1,
                    Ok(Created::Already) => known += 1,
                    Err(CreateError::Invalid(e)) => bail!("{e} (after {added} were imported)"),
                    Err(CreateError::Store(e)) => return Err(e.into()),
                }
            }
            println!("imported {added} mobilisations ({known} were there already)");
        }
        MobilisationsCommand::List => {
            let tz = core.settings.network.tz();
            let rows = mobilisations::listed(&core).await?;
            let codes: Vec<i64> = rows.iter().filter_map(|m| m.incident_id).collect();
            let answers = core.store.rsvps(&codes).await?;
            for m in rows {
                let a = m
                    .incident_id
                    .and_then(|i| answers.get(&i))
                    .copied()
                    .unwrap_or_default();
                println!(
                    "{}	{}	{}	{}	{}	{} wanted	{}	#{} yes {} maybe {} no {} no answer {}",
                    m.id,
                    rfc3339(m.starts_at, &tz),
                    m.kind,
                    m.status,
                    m.zone.as_deref().unwrap_or("-"),
                    m.wanted,
                    m.place.as_ref().map_or("(unreadable)", |p| p.label.as_str()),
                    m.incident_id.unwrap_or_default(),
                    a.coming(),
                    a.maybe,
                    a.no,
                    a.silent(),
                );
            }
        }
        MobilisationsCommand::Cancel { id } => {
            if !mobilisations::cancel(&core, &Actor::Cli, id).await? {
                bail!("no mobilisation {id} still planned (a live one ends with its incident's all-clear)");
            }
            println!("cancelled mobilisation {id}");
        }
    }
    core.store.close().await;
    Ok(())
}
