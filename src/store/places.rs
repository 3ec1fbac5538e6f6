//! Places imported from OpenStreetMap: streets with their ways, address points, named places.
//! An import replaces them all in one transaction.

use sqlx::Row;

use super::{now_ms, Result, Store};
use crate::geo::places::{Address, Node, Place, PlaceData, Street};

/// kind, name, detail, lat, lon, geometry.
type PlaceRow<'a> = (
    &'static str,
    &'a String,
    Option<&'a String>,
    f64,
    f64,
    Option<String>,
);
/// Rows per INSERT: 6 values each, far below SQLite's and PostgreSQL's limits on parameters.
const BATCH: usize = 200;

impl Store {
    /// Replaces every stored place with these, in one transaction, a few hundred rows a
    /// statement (a city has tens of thousands of addresses).
    pub async fn replace_places(&self, data: &PlaceData) -> Result<()> {
        let now = now_ms();
        let mut rows: Vec<PlaceRow> = Vec::new();
        for s in &data.streets {
            let Some(first) = s.ways.iter().flatten().next() else {
                continue;
            };
            let ways: Vec<Vec<(i64, f64, f64)>> = s
                .ways
                .iter()
                .map(|w| w.iter().map(|n| (n.id, n.lat, n.lon)).collect())
                .collect();
            let geometry = serde_json::to_string(&ways).unwrap_or_else(|_| "[]".into());
            rows.push(("street", &s.name, None, first.lat, first.lon, Some(geometry)));
        }
        for a in &data.addresses {
            rows.push(("address", &a.street, Some(&a.number), a.lat, a.lon, None));
        }
        for p in &data.places {
            rows.push(("place", &p.name, None, p.lat, p.lon, None));
        }
        let mut tx = self.begin().await?;
        sqlx::query("DELETE FROM places").execute(&mut *tx).await?;
        for chunk in rows.chunks(BATCH) {
            let values: Vec<String> = (0..chunk.len())
                .map(|i| {
                    let n = i * 6;
                    format!(
                        "(${}, ${}, ${}, ${}, ${}, ${}, $1)",
                        n + 2,
                        n + 3,
                        n + 4,
                        n + 5,
                        n + 6,
                        n + 7
                    )
                })
                .collect();
            let sql = format!(
                "INSERT INTO places (kind, name, detail, lat, lon, geometry, imported_at) VALUES {}",
                values.join(", ")
            );
            let mut q = sqlx::query(&sql).bind(now);
            for (kind, name, detail, lat, lon, geometry) in chunk {
                q = q
                    .bind(*kind)
                    .bind(*name)
                    .bind(*detail)
                    .bind(*lat)
                    .bind(*lon)
                    .bind(geometry.clone());
            }
            q.execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Every stored place. A street whose geometry is unreadable is skipped (and logged).
    pub async fn places(&self) -> Result<PlaceData> {
        let rows = sqlx::query("SELECT kind, name, detail, lat, lon, geometry FROM places ORDER BY id")
            .fetch_all(self.pool())
            .await?;
        let mut data = PlaceData::default();
        for r in &rows {
            let kind: String = r.try_get("kind")?;
            let name: String = r.try_get("name")?;
            let (lat, lon): (f64, f64) = (r.try_get("lat")?, r.try_get("lon")?);
            match kind.as_str() {
                "street" => {
                    let text: Option<String> = r.try_get("geometry")?;
                    let ways = text.and_then(|t| serde_json::from_str::<Vec<Vec<(i64, f64, f64)>>>(&t).ok());
                    let Some(ways) = ways else {
                        tracing::error!(street = %name, "stored street geometry is unreadable; skipped");
                        continue;
                    };
                    let ways = ways
                        .into_iter()
                        .map(|w| {
                            w.into_iter()
                                .map(|(id, lat, lon)| Node { id, lat, lon })
                                .collect()
                        })
                        .collect();
                    data.streets.push(Street { name, ways });
                }
                "address" => {
                    let number: Option<String> = r.try_get("detail")?;
                    data.addresses.push(Address {
                        street: name,
                        number: number.unwrap_or_default(),
                        lat,
                        lon,
                    });
                }
                _ => data.places.push(Place { name, lat, lon }),
            }
        }
        Ok(data)
    }

    /// Changes when places are imported: (rows, latest import time).
    pub async fn places_version(&self) -> Result<(i64, i64)> {
        let row = sqlx::query("SELECT COUNT(*) AS n, COALESCE(MAX(imported_at), 0) AS latest FROM places")
            .fetch_one(self.pool())
            .await?;
        Ok((row.try_get("n")?, row.try_get("latest")?))
    }
}
