//! Which open incident a report joins rather than opening another: the same raid reported twice
//! alerts nobody twice. An exact report joins the nearest open incident of its kind within
//! `dispatch.merge_m`; a report placed only roughly (a zone, a street) joins one that lies in
//! its area; an exact report inside a rough incident's area joins it and gives it its place.
//! All within `dispatch.merge_s` of the incident's opening.

use crate::domain::{LocatedBy, Location};
use crate::geo::area::haversine_m;
use crate::geo::zones::Zones;
use crate::state::Core;
use crate::store::incidents::{self, IncidentRow};
use crate::store::{now_ms, rough, StoreError};

/// A stored report that may open (or join) an incident.
pub(crate) struct Opening<'a> {
    pub report_id: i64,
    pub kind: &'a str,
    pub location: &'a Location,
    /// From a trusted volunteer's number.
    pub trusted: bool,
    pub drill: bool,
}

/// The open incident the report joins, and how far its point is from the report's.
pub(crate) async fn nearby(
    core: &Core,
    tx: &mut crate::store::Tx,
    o: &Opening<'_>,
) -> Result<Option<(f64, IncidentRow)>, StoreError> {
    let location = o.location;
    let d = &core.settings.dispatch;
    let Some((lat, lon)) = location.point.filter(|_| d.merge_m > 0.0) else {
        return Ok(None);
    };
    let since = now_ms() - d.merge_s as i64 * 1000;
    let fits = |i: &IncidentRow| (i.kind == o.kind || d.merge_any_kind) && i.drill == o.drill;
    let away = |i: &IncidentRow| Some(haversine_m(lat, lon, i.lat?, i.lon?));
    let zones = core.zones();
    if !location.approximate {
        let exact = incidents::open_near(tx, since, lat, lon, d.merge_m)
            .await?
            .into_iter()
            .filter(|i| fits(i) && !i.approximate)
            .filter_map(|i| Some((away(&i)?, i)))
            .filter(|(m, _)| *m <= d.merge_m)
            .min_by(|a, b| a.0.total_cmp(&b.0));
        if exact.is_some() {
            return Ok(exact);
        }
        // Else the most precise rough incident whose area holds it: it is made exact.
        return Ok(rough::open_rough_since(tx, since)
            .await?
            .into_iter()
            .filter(|i| fits(i) && holds(&zones, &area_of(i), (lat, lon)))
            .filter_map(|i| Some((away(&i)?, i)))
            .min_by(|a, b| {
                let r = |i: &IncidentRow| i.uncertainty_m.unwrap_or(f64::MAX);
                r(&a.1).total_cmp(&r(&b.1))
            }));
    }
    // Placed roughly: an incident that lies in its area, or a rough one whose area holds it.
    let reach = location.uncertainty_m.unwrap_or(0.0).max(d.merge_m);
    let mut candidates = incidents::open_near(tx, since, lat, lon, reach).await?;
    for i in rough::open_rough_since(tx, since).await? {
        if candidates.iter().all(|c| c.id != i.id) {
            candidates.push(i);
        }
    }
    Ok(candidates
        .into_iter()
        .filter(|i| fits(i) && i.merged_into.is_none())
        .filter(|i| {
            i.lat.zip(i.lon).is_some_and(|p| {
                holds(&zones, location, p) || (i.approximate && holds(&zones, &area_of(i), (lat, lon)))
            })
        })
        .filter_map(|i| Some((away(&i)?, i)))
        .min_by(|a, b| a.0.total_cmp(&b.0)))
}

/// The rough place an incident was given, as a location.
fn area_of(i: &IncidentRow) -> Location {
    Location {
        point: i.lat.zip(i.lon),
        zone: i.zone.clone(),
        approximate: i.approximate,
        located_by: i.located_by.as_deref().and_then(LocatedBy::parse),
        uncertainty_m: i.uncertainty_m,
    }
}

/// Whether a rough place's area holds the point: the zone's outline when a zone placed it,
/// else the circle of its uncertainty around its point.
fn holds(zones: &Zones, area: &Location, (lat, lon): (f64, f64)) -> bool {
    let zone = area
        .zone
        .as_deref()
        .filter(|_| area.located_by == Some(LocatedBy::Zone))
        .and_then(|z| zones.get(z));
    if let Some(zone) = zone {
        return zone.contains(lat, lon);
    }
    match (area.point, area.uncertainty_m) {
        (Some((alat, alon)), Some(r)) => haversine_m(alat, alon, lat, lon) <= r,
        (Some(p), None) => p == (lat, lon),
        _ => false,
    }
}

/// After an exact report joined a rough incident (or was merged into one): the incident takes
/// the report's place, and those coming to it, and verifiers still asked, are sent it. Once the
/// incident is confirmed, only a trusted reporter moves it (responders are on their way: a
/// stranger's text must not redirect them); otherwise the dispatcher is shown the report and
/// places it with one action.
pub(crate) async fn sharpen(core: &Core, incident: &IncidentRow, o: &Opening<'_>, why: &str) {
    let at = o.location;
    if !incident.approximate || at.approximate || at.point.is_none() {
        return;
    }
    let by = at.located_by.unwrap_or(LocatedBy::Coordinates);
    let done = async {
        let mut tx = core.store.write().await?;
        let done = rough::sharpen(&mut tx, incident.id, (at, by), o.trusted, now_ms()).await?;
        tx.commit().await?;
        Ok::<bool, StoreError>(done)
    }
    .await;
    match done {
        Ok(true) => {
            tracing::info!(
                incident_id = incident.id,
                by = by.as_str(),
                "rough incident placed exactly"
            );
            note(core, incident.id, why).await;
            crate::dispatch::place::tell_exact(core, incident.id).await;
            core.dispatch_wake.notify_one();
        }
        Ok(false) => {
            let why = "a later report gives an exact place: a dispatcher may place it there";
            note(core, incident.id, why).await;
        }
        Err(e) => {
            tracing::error!(incident_id = incident.id, error = %e, "could not place the incident exactly")
        }
    }
}

/// A line in the incident's history, for the dispatcher; a failure is logged, nothing more.
pub(crate) async fn note(core: &Core, incident_id: i64, what: &str) {
    if let Err(e) = core.store.note_incident(incident_id, what).await {
        tracing::warn!(incident_id, error = %e, "could not note it in the incident's history");
    }
}
