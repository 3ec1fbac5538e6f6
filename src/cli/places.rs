//! `tocsin places import FILE.osm.pbf [--zones]` and `tocsin places search TEXT`. An import
//! replaces every place imported before; with `--zones`, neighbourhood boundaries become zones
//! (a zone of the same name is replaced). A running server sees the change within a
//! dispatcher pass: it reloads places when the table changes.

use anyhow::Context;

use super::PlacesCommand;
use crate::audit::{self, Actor, Subject};
use crate::config::Settings;
use crate::geo::places::Places;
use crate::geo::zones::Zone;
use crate::geo::Area;

pub async fn run(settings: Settings, cmd: PlacesCommand) -> anyhow::Result<()> {
    let core = crate::cli::open::existing(settings).await?;
    match cmd {
        PlacesCommand::Import { file, zones } => {
            let path = file.clone();
            let (data, boundaries) = tokio::task::spawn_blocking(move || super::osm::read(&path, zones))
                .await
                .context("reading the extract")??;
            core.store.replace_places(&data).await?;
            let detail = format!(
                "{} streets, {} addresses, {} places",
                data.streets.len(),
                data.addresses.len(),
                data.places.len()
            );
            audit::record(&core, &Actor::Cli, "places_import", Subject::None, &detail).await;
            println!("imported {detail} from {}", file.display());
            if zones {
                let (zones, skipped) = boundary_zones(boundaries);
                let imported = crate::zoning::import(&core, &Actor::Cli, &zones).await?;
                println!("imported {imported} zones ({skipped} boundaries unusable, skipped)");
            }
        }
        PlacesCommand::Search { text } => {
            let places = Places::new(core.store.places().await?);
            for f in places.search(&text, 10) {
                let approx = f.uncertainty_m.map(|r| format!(" ±{r} m")).unwrap_or_default();
                println!(
                    "{:.6},{:.6}\t{}\t{}{approx}",
                    f.lat,
                    f.lon,
                    f.by.as_str(),
                    f.label
                );
            }
        }
    }
    core.store.close().await;
    Ok(())
}

/// Boundaries that make valid zones (the first of each name), and how many did not.
fn boundary_zones(boundaries: Vec<super::osm::Boundary>) -> (Vec<Zone>, usize) {
    let total = boundaries.len();
    let mut zones: Vec<Zone> = Vec::new();
    for b in boundaries {
        if zones.iter().any(|z| z.name == b.name) {
            continue;
        }
        let zone = Area::from_json(&b.geometry)
            .ok()
            .and_then(|a| Zone::new(&b.name, &[], a).ok());
        match zone {
            Some(z) => zones.push(z),
            None => tracing::warn!(zone = %b.name, "boundary is not a valid polygon; skipped"),
        }
    }
    let skipped = total - zones.len();
    (zones, skipped)
}
