//! `tocsin zones import|list|remove`. A running server sees the change within a dispatcher
//! pass (about two seconds): it reloads zones when the table changes.

use anyhow::{anyhow, bail, Context};

use super::ZonesCommand;
use crate::app::Core;
use crate::audit::{self, zones_detail, Actor, Subject};
use crate::config::Settings;
use crate::geo::zones::parse_collection;
use crate::store::zones::ZoneRow;

pub async fn run(settings: Settings, cmd: ZonesCommand) -> anyhow::Result<()> {
    let core = Core::open(settings).await?;
    match cmd {
        ZonesCommand::Import { file } => {
            let text =
                std::fs::read_to_string(&file).with_context(|| format!("reading {}", file.display()))?;
            let json: serde_json::Value =
                serde_json::from_str(&text).with_context(|| format!("{}: not JSON", file.display()))?;
            let zones = parse_collection(&json).map_err(|e| anyhow!("{}: {e}", file.display()))?;
            let rows = ZoneRow::from_zones(&zones);
            core.store.upsert_zones(&rows).await?;
            audit::record(
                &core,
                &Actor::Cli,
                "zones_import",
                Subject::None,
                &zones_detail(&rows),
            )
            .await;
            println!("imported {} zones", rows.len());
        }
        ZonesCommand::List => {
            for zone in core.store.zones().await? {
                println!("{}\t{}", zone.name, zone.aliases.join(", "));
            }
        }
        ZonesCommand::Remove { name } => {
            let users = core.store.zone_users(&name).await?;
            if users > 0 {
                bail!("{users} volunteers cover the zone {name:?}: give them another area first");
            }
            if !core.store.remove_zone(&name).await? {
                bail!("no zone named {name:?}");
            }
            audit::record(&core, &Actor::Cli, "zone_remove", Subject::None, &name).await;
            println!("removed zone {name}");
        }
    }
    core.store.close().await;
    Ok(())
}
