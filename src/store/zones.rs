//! Zones as imported: name, aliases, GeoJSON geometry. Re-importing a name replaces it.

use sqlx::Row;

use super::{now_ms, Result, Store};

#[derive(Debug, Clone)]
pub struct ZoneRow {
    pub name: String,
    pub aliases: Vec<String>,
    /// GeoJSON geometry text.
    pub geometry: String,
}

impl ZoneRow {
    /// Zones as imported, ready to store.
    pub fn from_zones(zones: &[crate::geo::zones::Zone]) -> Vec<ZoneRow> {
        zones
            .iter()
            .map(|z| ZoneRow {
                name: z.name.clone(),
                aliases: z.aliases.clone(),
                geometry: z.area().to_json().to_string(),
            })
            .collect()
    }
}

impl Store {
    /// Inserts or replaces (by name) every zone, in one transaction.
    pub async fn upsert_zones(&self, zones: &[ZoneRow]) -> Result<()> {
        let now = now_ms();
        let mut tx = self.begin().await?;
        for z in zones {
            let aliases = serde_json::to_string(&z.aliases).unwrap_or_else(|_| "[]".into());
            sqlx::query(
                "INSERT INTO zones (name, aliases, geometry, updated_at) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (name) DO UPDATE SET aliases = excluded.aliases, geometry = excluded.geometry, \
                 updated_at = excluded.updated_at",
            )
            .bind(&z.name)
            .bind(aliases)
            .bind(&z.geometry)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    pub async fn zones(&self) -> Result<Vec<ZoneRow>> {
        let rows = sqlx::query("SELECT name, aliases, geometry FROM zones ORDER BY name")
            .fetch_all(self.pool())
            .await?;
        rows.iter()
            .map(|r| {
                let aliases: String = r.try_get("aliases")?;
                Ok(ZoneRow {
                    name: r.try_get("name")?,
                    aliases: serde_json::from_str(&aliases).unwrap_or_default(),
                    geometry: r.try_get("geometry")?,
                })
            })
            .collect()
    }

    /// Active volunteers whose home area is this zone. Areas are sealed: counted once opened.
    pub async fn zone_users(&self, name: &str) -> Result<i64> {
        let area = serde_json::json!({"type": "zone", "zone": name}).to_string();
        let users = self
            .volunteers()
            .await?
            .into_iter()
            .filter(|v| v.area == area)
            .count();
        Ok(users as i64)
    }

    /// False when there was no such zone.
    pub async fn remove_zone(&self, name: &str) -> Result<bool> {
        let done = sqlx::query("DELETE FROM zones WHERE name = $1")
            .bind(name)
            .execute(self.pool())
            .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Changes whenever zones are imported or removed: (rows, latest change).
    pub async fn zones_version(&self) -> Result<(i64, i64)> {
        let row = sqlx::query("SELECT COUNT(*) AS n, COALESCE(MAX(updated_at), 0) AS latest FROM zones")
            .fetch_one(self.pool())
            .await?;
        Ok((row.try_get("n")?, row.try_get("latest")?))
    }
}
