//! `tocsin zones import|list|remove`. A running server sees the change within a dispatcher
//! pass (about two seconds): it reloads zones when the table changes.

use anyhow::{anyhow, bail, Context};

use super::ZonesCommand;
use crate::audit::Actor;
use crate::config::Settings;
use crate::zoning::{self, ZoningError};

pub async fn run(settings: Settings, cmd: ZonesCommand) -> anyhow::Result<()> {
    let core = crate::cli::open::existing(settings).await?;
    match cmd {
        ZonesCommand::Import { file } => {
            let text =
                std::fs::read_to_string(&file).with_context(|| format!("reading {}", file.display()))?;
            let json: serde_json::Value =
                serde_json::from_str(&text).with_context(|| format!("{}: not JSON", file.display()))?;
            let imported = zoning::import_collection(&core, &Actor::Cli, &json)
                .await
                .map_err(|e| anyhow!("{}: {e}", file.display()))?;
            println!("imported {imported} zones");
        }
        ZonesCommand::List => {
            for zone in core.store.zones().await? {
                println!("{}\t{}", zone.name, zone.aliases.join(", "));
            }
        }
        ZonesCommand::Remove { name } => match zoning::remove(&core, &Actor::Cli, &name).await {
            Ok(()) => println!("removed zone {name}"),
            Err(ZoningError::NotFound) => bail!("no zone named {name:?}"),
            Err(e) => bail!("zone {name:?}: {e}"),
        },
    }
    core.store.close().await;
    Ok(())
}
