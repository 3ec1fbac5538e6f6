//! Incidents and what the dashboard and API count about them.

use sqlx::any::AnyRow;
use sqlx::Row;

use std::collections::HashMap;

use crate::domain::{ConfirmedBy, IncidentStatus, LocatedBy, NeedsPerson};

use super::{now_ms, placeholders, Conn, Result, Store};

#[derive(Debug, Clone)]
pub struct IncidentRow {
    pub id: i64,
    pub kind: String,
    pub status: IncidentStatus,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub created_at: i64,
    pub updated_at: i64,
    /// The zone it is in (or was placed by).
    pub zone: Option<String>,
    /// Placed only by a zone named in the text: a dispatcher may refine it.
    pub approximate: bool,
    /// How it was placed (`LocatedBy` as text), and how far off the point may be when approximate.
    pub located_by: Option<String>,
    pub uncertainty_m: Option<f64>,
    pub first_alert_at: Option<i64>,
    pub merged_into: Option<i64>,
    /// None until confirmed.
    pub confirmed_by: Option<ConfirmedBy>,
    pub drill: bool,
    /// Responders wanted; set when the first alert goes out.
    pub wanted: i64,
    /// Escalation steps taken (0: only the first alert's area).
    pub escalation_step: i64,
    /// When the latest escalation step (or, before any, the first alert) went out.
    pub escalated_at: Option<i64>,
    /// Why it waits for a dispatcher, if it does (issue 14), and when one acknowledged it.
    pub needs_person: Option<NeedsPerson>,
    pub acked_at: Option<i64>,
    /// Rounds of verifiers asked so far.
    pub verifier_rounds: i64,
}

/// Per incident: deliveries of its first alert by state, and volunteers' latest answers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts {
    pub targeted: i64,
    pub queued: i64,
    pub sent: i64,
    pub delivered: i64,
    pub failed: i64,
    /// Signal deliveries replaced by SMS (not counted in `failed`).
    pub failed_over: i64,
    pub read: i64,
    /// Independent reporters (distinct numbers; reports without a known number count each).
    pub reporters: i64,

    /// Coming and on scene: vetted volunteers only, the ones that count towards `wanted`.
    pub coming: i64,
    pub cant: i64,
    pub on_scene: i64,
    /// Coming and on scene among volunteers not yet vetted: shown, never counted as responders.
    pub unvetted_coming: i64,
    pub unvetted_on_scene: i64,
}

pub(crate) const COLUMNS: &str =
    "id, kind, status, lat, lon, created_at, updated_at, first_alert_at, merged_into, zone, \
     approximate, confirmed_by, drill, wanted, escalation_step, escalated_at, located_by, uncertainty_m, \
     needs_person, acked_at, verifier_rounds";

pub(crate) use super::vocab::OPEN;
use super::vocab::{decode, In};

pub(crate) fn from_row(row: &AnyRow) -> Result<IncidentRow> {
    Ok(IncidentRow {
        id: row.try_get("id")?,
        kind: row.try_get("kind")?,
        status: decode(
            "status",
            &row.try_get::<String, _>("status")?,
            IncidentStatus::parse,
        )?,
        lat: row.try_get("lat")?,
        lon: row.try_get("lon")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
        zone: row.try_get("zone")?,
        approximate: super::flag(row, "approximate")?,
        located_by: row.try_get("located_by")?,
        uncertainty_m: row.try_get("uncertainty_m")?,
        first_alert_at: row.try_get("first_alert_at")?,
        merged_into: row.try_get("merged_into")?,
        confirmed_by: match row.try_get::<Option<String>, _>("confirmed_by")? {
            Some(by) => Some(decode("confirmed_by", &by, ConfirmedBy::parse)?),
            None => None,
        },
        drill: super::flag(row, "drill")?,
        wanted: row.try_get("wanted")?,
        escalation_step: row.try_get("escalation_step")?,
        escalated_at: row.try_get("escalated_at")?,
        needs_person: match row.try_get::<Option<String>, _>("needs_person")? {
            Some(why) => Some(decode("needs_person", &why, NeedsPerson::parse)?),
            None => None,
        },
        acked_at: row.try_get("acked_at")?,
        verifier_rounds: row.try_get("verifier_rounds")?,
    })
}

/// An incident as intake opens it.
pub struct NewIncident<'a> {
    pub kind: &'a str,
    pub status: IncidentStatus,
    /// Why it starts in this status (kept in its history).
    pub cause: &'a str,
    /// When it starts confirmed: by whom (trusted, policy).
    pub confirmed_by: Option<ConfirmedBy>,
    pub drill: bool,
    pub point: Option<(f64, f64)>,
    pub zone: Option<&'a str>,
    pub approximate: bool,
    pub located_by: Option<LocatedBy>,
    pub uncertainty_m: Option<f64>,
}

pub async fn create(tx: &mut super::Tx, new: &NewIncident<'_>) -> Result<i64> {
    create_on(tx.conn(), new).await
}

/// `create` on a transaction of the store's own.
pub(super) async fn create_on(conn: &mut Conn, new: &NewIncident<'_>) -> Result<i64> {
    let now = now_ms();
    let verified_at = new.confirmed_by.map(|_| now);
    let (lat, lon) = super::point_sql(new.point, 11);
    let sql = format!(
        "INSERT INTO incidents (kind, status, created_at, updated_at, verified_at, zone, approximate, \
         status_cause, confirmed_by, drill, located_by, uncertainty_m, lat, lon) \
         VALUES ($1, $2, $3, $3, $4, $5, $6, $7, $8, $9, $10, NULLIF($11, -1.0), {lat}, {lon}) RETURNING id"
    );
    let mut q = sqlx::query(&sql)
        .bind(new.kind)
        .bind(new.status.as_str())
        .bind(now)
        .bind(verified_at)
        .bind(new.zone)
        .bind(new.approximate)
        .bind(new.cause)
        .bind(new.confirmed_by.map(ConfirmedBy::as_str))
        .bind(new.drill)
        .bind(new.located_by.map(LocatedBy::as_str))
        .bind(super::never_null(new.uncertainty_m));
    if let Some((lat, lon)) = new.point {
        q = q.bind(lat).bind(lon);
    }
    let row = q.fetch_one(conn).await?;
    Ok(row.try_get("id")?)
}

/// Open incidents (not merged) created since `since` whose point is within `metres` of
/// (lat, lon) by latitude and longitude (a box around the circle; the caller measures).
/// Asked for every located report: the box keeps it cheap during a flood of incidents.
pub async fn open_near(
    tx: &mut super::Tx,
    since: i64,
    lat: f64,
    lon: f64,
    metres: f64,
) -> Result<Vec<IncidentRow>> {
    let conn = tx.conn();
    let dlat = metres / 111_000.0;
    let dlon = dlat / lat.to_radians().cos().max(0.01);
    // Near the antimeridian the box would wrap: there, every longitude is asked.
    let (west, east) = if (lon - dlon) < -180.0 || (lon + dlon) > 180.0 {
        (-180.0, 180.0)
    } else {
        (lon - dlon, lon + dlon)
    };
    // Only the box is asked of the database, so that it searches by place (incidents_place)
    // rather than by status, which a flood of open incidents makes long; the few incidents
    // in the box are sorted out here.
    let sql = format!(
        "SELECT {COLUMNS} FROM incidents WHERE lat BETWEEN $2 AND $3 AND lon BETWEEN $4 AND $5 \
         AND created_at >= $1 ORDER BY id"
    );
    let rows = sqlx::query(&sql)
        .bind(since)
        .bind(lat - dlat)
        .bind(lat + dlat)
        .bind(west)
        .bind(east)
        .fetch_all(conn)
        .await?;
    let rows: Vec<IncidentRow> = rows.iter().map(from_row).collect::<Result<_>>()?;
    Ok(rows
        .into_iter()
        .filter(|i| i.merged_into.is_none() && i.status.is_open())
        .collect())
}

impl Store {
    pub async fn incident(&self, id: i64) -> Result<Option<IncidentRow>> {
        let sql = format!("SELECT {COLUMNS} FROM incidents WHERE id = $1");
        let row = sqlx::query(&sql).bind(id).fetch_optional(self.pool()).await?;
        row.as_ref().map(from_row).transpose()
    }

    pub async fn incidents(&self, limit: i64) -> Result<Vec<IncidentRow>> {
        let sql = format!("SELECT {COLUMNS} FROM incidents ORDER BY id DESC LIMIT $1");
        let rows = sqlx::query(&sql).bind(limit).fetch_all(self.pool()).await?;
        rows.iter().map(from_row).collect()
    }

    /// Open incidents for the dispatcher's queue: being verified (checked, or seen by several)
    /// first, then unverified, then confirmed; newest first within each.
    pub async fn open_incidents(&self, limit: i64) -> Result<Vec<IncidentRow>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM incidents WHERE status IN {OPEN} \
             ORDER BY CASE WHEN needs_person IS NOT NULL AND acked_at IS NULL THEN 0 ELSE 1 END, \
             CASE status WHEN 'verifying' THEN 0 WHEN 'unverified' THEN 1 ELSE 2 END, id DESC LIMIT $1"
        );
        let rows = sqlx::query(&sql).bind(limit).fetch_all(self.pool()).await?;
        rows.iter().map(from_row).collect()
    }

    /// Closed (resolved, false alarm, merged, cancelled) incidents, most recently closed first; a
    /// planned mobilisation's is not closed but ahead (the Planned page lists it).
    pub async fn closed_incidents(&self, limit: i64) -> Result<Vec<IncidentRow>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM incidents WHERE status NOT IN {OPEN} AND status <> 'planned' \
             ORDER BY closed_at DESC, id DESC LIMIT $1"
        );
        let rows = sqlx::query(&sql).bind(limit).fetch_all(self.pool()).await?;
        rows.iter().map(from_row).collect()
    }

    /// Sets the point of an open incident. False when it is not open (or absent).
    /// One placed only roughly may be placed exactly even after its first alert (those coming
    /// are then sent the place); an exact one is never moved once alerted. `zone`: the zone the
    /// new point is in.
    pub async fn locate_incident(&self, id: i64, (lat, lon): (f64, f64), zone: Option<&str>) -> Result<bool> {
        let done = sqlx::query(&format!(
            "UPDATE incidents SET lat = $2, lon = $3, updated_at = $4, approximate = FALSE, \
             located_by = 'dispatcher', uncertainty_m = NULL, zone = $5 \
             WHERE id = $1 AND status IN {OPEN} AND (first_alert_at IS NULL OR approximate = TRUE)"
        ))
        .bind(id)
        .bind(lat)
        .bind(lon)
        .bind(now_ms())
        .bind(zone)
        .execute(self.pool())
        .await?;
        Ok(done.rows_affected() == 1)
    }

    pub async fn set_incident_kind(&self, id: i64, kind: &str) -> Result<bool> {
        let done = sqlx::query("UPDATE incidents SET kind = $2, updated_at = $3 WHERE id = $1")
            .bind(id)
            .bind(kind)
            .bind(now_ms())
            .execute(self.pool())
            .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Verified, located incidents whose first alert is not written yet.
    pub async fn incidents_to_alert(&self) -> Result<Vec<IncidentRow>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM incidents WHERE status = 'confirmed' AND first_alert_at IS NULL \
             AND lat IS NOT NULL AND lon IS NOT NULL ORDER BY id"
        );
        let rows = sqlx::query(&sql).fetch_all(self.pool()).await?;
        rows.iter().map(from_row).collect()
    }

    /// Closed incidents that alerted anyone (or asked verifiers to check) and whose all-clear is
    /// not written yet.
    pub async fn incidents_to_all_clear(&self) -> Result<Vec<IncidentRow>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM incidents WHERE status IN {} \
             AND (first_alert_at IS NOT NULL OR verifiers_paged_at IS NOT NULL) AND all_clear_at IS NULL ORDER BY id",
            In(IncidentStatus::ENDED_ALOUD)
        );
        let rows = sqlx::query(&sql).fetch_all(self.pool()).await?;
        rows.iter().map(from_row).collect()
    }

    pub async fn incident_counts(&self, id: i64) -> Result<Counts> {
        Ok(self
            .incidents_counts(&[id])
            .await?
            .remove(&id)
            .unwrap_or_default())
    }

    /// Counts for many incidents in two statements; each statement reads one consistent state.
    pub async fn incidents_counts(&self, ids: &[i64]) -> Result<HashMap<i64, Counts>> {
        let mut all: HashMap<i64, Counts> = ids.iter().map(|id| (*id, Counts::default())).collect();
        if ids.is_empty() {
            return Ok(all);
        }
        let list = placeholders(0, ids.len());
        let sum = |cond: &str| format!("COALESCE(SUM(CASE WHEN {cond} THEN 1 ELSE 0 END), 0)");
        let sql = format!(
            "SELECT COALESCE(i.merged_into, i.id) AS id, COUNT(DISTINCT d.volunteer_id) AS targeted, \
             {} AS queued, {} AS sent, {} AS delivered, {} AS read, {} AS failed, {} AS failed_over \
             FROM deliveries d JOIN alerts a ON a.id = d.alert_id JOIN incidents i ON i.id = a.incident_id \
             WHERE a.purpose = 'first' AND COALESCE(i.merged_into, i.id) IN ({list}) \
             GROUP BY COALESCE(i.merged_into, i.id)",
            // Texts only: wake-up calls (`voice`) have statuses of their own.
            sum("d.channel <> 'voice' AND d.status IN ('queued', 'submitted')"),
            sum("d.status = 'sent'"),
            // Read implies delivered; it is counted in both.
            sum("d.status IN ('delivered', 'read')"),
            sum("d.status = 'read'"),
            sum("d.channel <> 'voice' AND d.status IN ('failed', 'undelivered')"),
            sum("d.status = 'failed_over'"),
        );
        let mut q = sqlx::query(&sql);
        for id in ids {
            q = q.bind(*id);
        }
        for row in q.fetch_all(self.pool()).await? {
            let c = all.entry(row.try_get("id")?).or_default();
            c.targeted = row.try_get("targeted")?;
            c.queued = row.try_get("queued")?;
            c.sent = row.try_get("sent")?;
            c.delivered = row.try_get("delivered")?;
            c.read = row.try_get("read")?;
            c.failed = row.try_get("failed")?;
            c.failed_over = row.try_get("failed_over")?;
        }
        let sql = format!(
            "SELECT c.incident_id AS id, {} AS coming, {} AS cant, {} AS on_scene, \
             {} AS unvetted_coming, {} AS unvetted_on_scene \
             FROM confirmations c JOIN volunteers v ON v.id = c.volunteer_id \
             WHERE c.incident_id IN ({list}) GROUP BY c.incident_id",
            sum("c.answer = 'coming' AND v.standing = 'approved'"),
            sum("c.answer = 'cant'"),
            sum("c.answer = 'on_scene' AND v.standing = 'approved'"),
            sum("c.answer = 'coming' AND v.standing <> 'approved'"),
            sum("c.answer = 'on_scene' AND v.standing <> 'approved'"),
        );
        let mut q = sqlx::query(&sql);
        for id in ids {
            q = q.bind(*id);
        }
        for row in q.fetch_all(self.pool()).await? {
            let c = all.entry(row.try_get("id")?).or_default();
            c.coming = row.try_get("coming")?;
            c.cant = row.try_get("cant")?;
            c.on_scene = row.try_get("on_scene")?;
            c.unvetted_coming = row.try_get("unvetted_coming")?;
            c.unvetted_on_scene = row.try_get("unvetted_on_scene")?;
        }
        for (id, n) in self.reporters(ids).await? {
            all.entry(id).or_default().reporters = n;
        }
        Ok(all)
    }

    /// Independent reporters per incident (distinct numbers; reports without a known number
    /// count each): (incident, count), for those that have reports.
    pub async fn reporters(&self, ids: &[i64]) -> Result<Vec<(i64, i64)>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT incident_id AS id, COUNT(DISTINCT COALESCE(reporter_hash, 'report:' || CAST(id AS TEXT))) AS n \
             FROM reports WHERE incident_id IN ({}) GROUP BY incident_id",
            placeholders(0, ids.len())
        );
        let mut q = sqlx::query(&sql);
        for id in ids {
            q = q.bind(*id);
        }
        let rows = q.fetch_all(self.pool()).await?;
        rows.iter()
            .map(|r| Ok((r.try_get("id")?, r.try_get("n")?)))
            .collect()
    }

    /// Independent reporters of one incident.
    pub async fn reporters_of(&self, id: i64) -> Result<i64> {
        Ok(self.reporters(&[id]).await?.first().map_or(0, |(_, n)| *n))
    }
}
