//! Places imported from OpenStreetMap: streets with their ways, address points, named places.
//! An import replaces them all in one transaction.

use sqlx::Row;

use super::{now_ms, Result, Store};
use crate::geo::places::{Address, Node, Place, PlaceData, Street};

impl Store {
    /// Replaces every stored place with these.
    pub async fn replace_places(&self, data: &PlaceData) -> Result<()> {
        let now = now_ms();
        let mut tx = self.begin().await?;
        sqlx::query("DELETE FROM places").execute(&mut *tx).await?;
        let insert = "INSERT INTO places (kind, name, detail, lat, lon, geometry, imported_at) \
                      VALUES ($1, $2, $3, $4, $5, $6, $7)";
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
            sqlx::query(insert)
                .bind("street")
                .bind(&s.name)
                .bind(None::<String>)
                .bind(first.lat)
                .bind(first.lon)
                .bind(geometry)
                .bind(now)
                .execute(&mut *tx)
                .await?;
        }
        for a in &data.addresses {
            sqlx::query(insert)
                .bind("address")
                .bind(&a.street)
                .bind(&a.number)
                .bind(a.lat)
                .bind(a.lon)
                .bind(None::<String>)
                .bind(now)
                .execute(&mut *tx)
                .await?;
        }
        for p in &data.places {
            sqlx::query(insert)
                .bind("place")
                .bind(&p.name)
                .bind(None::<String>)
                .bind(p.lat)
                .bind(p.lon)
                .bind(None::<String>)
                .bind(now)
                .execute(&mut *tx)
                .await?;
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
