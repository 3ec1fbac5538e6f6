//! The state every step of the flow shares (`Core`): settings, the store, the data key, the
//! live zones, places and geofence index, and the wake-ups between workers. It imports nothing
//! above the store and the domain: the wiring (`app`) builds on it, never the other way.

use std::sync::atomic::AtomicBool;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use anyhow::Context;
use tokio::sync::{watch, Notify};

use crate::config::Settings;
use crate::crypto::Vault;
use crate::geo::places::Places;
use crate::geo::zones::{Zone, Zones};
use crate::geo::{Area, AreaIndex, LiveIndex};
use crate::store::Store;

/// What every step of the flow shares. Cheap to clone (`Arc`).
pub struct Core {
    pub settings: Settings,
    pub store: Store,
    /// The data key, for keyed hashes (lookups); the store seals and opens values itself.
    pub vault: Vault,
    /// Every alertable volunteer's home area; updated after each change is committed.
    pub index: Arc<LiveIndex>,
    /// Wakes the dispatcher (new verified incident, closed incident).
    pub dispatch_wake: Notify,
    /// Wakes the outbox worker (new deliveries).
    pub outbox_wake: Notify,
    /// Wakes the pager (an incident now needs a person).
    pub oncall_wake: Notify,
    /// What changed, for live views.
    pub events: crate::events::Bus,
    /// Whether the Signal bridge's event stream is connected.
    pub signal_up: AtomicBool,
    /// Counters and timings for `/metrics`.
    pub metrics: crate::telemetry::metrics::Metrics,
    /// Named zones, for placing reports and as home areas.
    zones: RwLock<Arc<Zones>>,
    /// Imported streets, addresses and named places, for placing reports.
    places: RwLock<Arc<Places>>,
    /// The self-hosted Nominatim asked when nothing local places a report (`geocode.nominatim_url`).
    pub nominatim: Option<crate::geocode::Nominatim>,
    /// The zone and place tables' versions, and the last volunteer change, the index holds
    /// (see `refresh_index`). Held through a refresh, so that refreshes apply in order.
    index_version: tokio::sync::Mutex<Option<IndexVersion>>,
}

/// The zone and place tables' (rows, latest change), and the last volunteer change.
type IndexVersion = ([(i64, i64); 2], i64);

pub type Shared = Arc<Core>;

/// Flips to true once to ask every task to stop.
pub type Shutdown = watch::Receiver<bool>;

impl Core {
    pub async fn open(settings: Settings) -> anyhow::Result<Shared> {
        let store = Store::open(&settings.database, &settings.crypto).await?;
        let vault = store.vault().clone();
        let nominatim = match &settings.geocode.nominatim_url {
            Some(url) => Some(crate::geocode::Nominatim::new(url).context("geocode.nominatim_url")?),
            None => None,
        };
        let core = Arc::new(Core {
            settings,
            store,
            vault,
            index: LiveIndex::new(),
            dispatch_wake: Notify::new(),
            outbox_wake: Notify::new(),
            oncall_wake: Notify::new(),
            events: crate::events::Bus::new(),
            signal_up: AtomicBool::new(false),
            metrics: crate::telemetry::metrics::Metrics::new(),
            zones: RwLock::new(Arc::new(Zones::default())),
            places: RwLock::new(Arc::new(Places::default())),
            nominatim,
            index_version: tokio::sync::Mutex::new(None),
        });
        core.refresh_index().await?;
        Ok(core)
    }

    /// Reloads the zones and places when they changed, and brings the geofence index up to
    /// date, so that changes made elsewhere (the CLI, another instance) are seen within a
    /// dispatcher pass: volunteers changed since the last refresh are applied one by one
    /// (`Store::volunteer_changes_since`); only a zone change (areas may name zones) or the
    /// first call builds the index in full.
    pub async fn refresh_index(&self) -> anyhow::Result<()> {
        let mut built = self.index_version.lock().await;
        let version = [
            self.store.zones_version().await?,
            self.store.places_version().await?,
        ];
        let known = built.map(|b| b.0);
        if known.map(|b| b[0]) != Some(version[0]) {
            let zones = self.load_zones().await?;
            tracing::info!(zones = zones.len(), "zones loaded");
            *self.zones.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(zones);
        }
        if known.map(|b| b[1]) != Some(version[1]) {
            let places = Places::new(self.store.places().await?);
            let (streets, addresses, named) = places.counts();
            tracing::info!(streets, addresses, places = named, "places loaded");
            *self.places.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(places);
        }
        let seq = match *built {
            Some((was, seq)) if was[0] == version[0] => self.apply_volunteer_changes(seq).await?,
            _ => self.build_index().await?,
        };
        *built = Some((version, seq));
        Ok(())
    }

    /// Builds the geofence index from every alertable volunteer; the change it is current to.
    async fn build_index(&self) -> anyhow::Result<i64> {
        // Read first: a change committed during the load is then applied again next time.
        let seq = self.store.volunteer_change_head().await?;
        let rows = self.store.alertable_areas().await?;
        let mut items = Vec::with_capacity(rows.len());
        for (id, json) in rows {
            if let Some(area) = self.area_of(&json).or_else(|| unreadable_area(id)) {
                items.push((id, area));
            }
        }
        let index = AreaIndex::build(items);
        tracing::info!(volunteers = index.len(), "geofence index built");
        self.index.replace_all(index);
        Ok(seq)
    }

    /// Applies the volunteer changes after `seq` to the index; the last one applied.
    async fn apply_volunteer_changes(&self, mut seq: i64) -> anyhow::Result<i64> {
        const BATCH: i64 = 10_000;
        loop {
            let changes = self.store.volunteer_changes_since(seq, BATCH).await?;
            let Some(last) = changes.last() else {
                return Ok(seq);
            };
            seq = last.seq;
            let n = changes.len();
            let areas = changes.into_iter().map(|c| {
                let area = c
                    .area
                    .and_then(|json| self.area_of(&json).or_else(|| unreadable_area(c.id)));
                (c.id, area.into_iter().collect::<Vec<_>>())
            });
            self.index.apply(areas.collect::<Vec<_>>());
            tracing::debug!(changes = n, seq, "geofence index updated");
            if (n as i64) < BATCH {
                return Ok(seq);
            }
        }
    }

    async fn load_zones(&self) -> anyhow::Result<Zones> {
        let mut zones = Vec::new();
        for row in self.store.zones().await? {
            let geometry = serde_json::from_str(&row.geometry).ok();
            match geometry
                .and_then(|g| Area::from_json(&g).ok())
                .map(|a| Zone::new(&row.name, &row.aliases, a))
            {
                Some(Ok(zone)) => zones.push(zone),
                _ => tracing::error!(zone = %row.name, "stored zone is unreadable; skipped"),
            }
        }
        Ok(Zones::new(zones))
    }

    pub fn places(&self) -> Arc<Places> {
        self.places.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    pub fn zones(&self) -> Arc<Zones> {
        self.zones.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// A home area as stored: a circle or polygon, or a zone by name (which follows the zone
    /// when it is re-imported). None when unreadable or the zone is gone.
    pub fn area_of(&self, json: &str) -> Option<Area> {
        let value: serde_json::Value = serde_json::from_str(json).ok()?;
        match value.get("type").and_then(|t| t.as_str()) {
            Some("zone") => {
                let name = value.get("zone")?.as_str()?;
                self.zones().get(name).map(Zone::area)
            }
            _ => Area::from_json(&value).ok(),
        }
    }

    pub fn index_set(&self, id: i64, area: Option<crate::geo::Area>) {
        self.index.apply([(id, area.into_iter().collect())]);
    }

    pub fn targets(&self, lat: f64, lon: f64) -> Vec<i64> {
        self.index.matching(lat, lon)
    }

    pub fn alertable_volunteers(&self) -> usize {
        self.index.len()
    }
}

/// Logs a stored home area that does not read; such a volunteer is not alertable.
fn unreadable_area(id: i64) -> Option<Area> {
    tracing::error!(
        volunteer_id = id,
        "stored home area is unreadable; volunteer not alertable"
    );
    None
}

/// Sleeps until woken, `poll` passes, or shutdown; returns false on shutdown.
pub async fn wait(wake: &Notify, poll: Duration, shutdown: &mut Shutdown) -> bool {
    if *shutdown.borrow() {
        return false;
    }
    tokio::select! {
        _ = wake.notified() => true,
        _ = tokio::time::sleep(poll) => true,
        _ = shutdown.changed() => false,
    }
}
