//! The optional self-hosted Nominatim (`geocode.nominatim_url`), asked only when the imported
//! places and zones find nothing. Unset, nothing is looked up outside tocsin. A lookup that
//! fails or is slow gives nothing: the report is stored unplaced for a dispatcher, as before.
//! Errors are logged without their URL, which holds the text.

use std::time::Duration;

use serde::Deserialize;

use crate::domain::LocatedBy;
use crate::geo::area::haversine_m;
use crate::geo::places::Found;

/// A lookup gives up after this long: the reporter's acknowledgement waits on it.
const TIMEOUT: Duration = Duration::from_secs(3);
/// Only this much of a text is sent.
const MAX_CHARS: usize = 200;

pub struct Nominatim {
    client: reqwest::Client,
    search: url::Url,
}

#[derive(Deserialize)]
struct Hit {
    lat: String,
    lon: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    category: String,
    #[serde(default, rename = "type")]
    kind: String,
    #[serde(default)]
    addresstype: String,
    /// [min lat, max lat, min lon, max lon] as text.
    #[serde(default)]
    boundingbox: Vec<String>,
}

impl Nominatim {
    pub fn new(base: &str) -> anyhow::Result<Nominatim> {
        let mut search = url::Url::parse(base)?;
        if !search.path().ends_with('/') {
            search.set_path(&format!("{}/", search.path()));
        }
        let search = search.join("search")?;
        let client = reqwest::Client::builder().timeout(TIMEOUT).build()?;
        Ok(Nominatim { client, search })
    }

    /// Up to `limit` places Nominatim finds for the text, best first.
    pub async fn search(&self, text: &str, limit: usize) -> Vec<Found> {
        let q: String = text.chars().take(MAX_CHARS).collect();
        let limit = limit.clamp(1, 10).to_string();
        let asked = self
            .client
            .get(self.search.clone())
            .query(&[("q", q.as_str()), ("format", "jsonv2"), ("limit", limit.as_str())])
            .send()
            .await
            .and_then(|r| r.error_for_status());
        let hits: Result<Vec<Hit>, reqwest::Error> = match asked {
            Ok(resp) => resp.json().await,
            Err(e) => Err(e),
        };
        match hits {
            Ok(hits) => hits.iter().filter_map(found).collect(),
            Err(e) => {
                tracing::warn!(error = %e.without_url(), "the Nominatim lookup failed");
                Vec::new()
            }
        }
    }
}

fn number(s: &str) -> Option<f64> {
    s.trim().parse::<f64>().ok().filter(|v| v.is_finite())
}

/// A hit as tocsin places it: a house is an address, a road a street (approximate), an area a
/// zone (approximate), anything else a place.
fn found(hit: &Hit) -> Option<Found> {
    let (lat, lon) = (number(&hit.lat)?, number(&hit.lon)?);
    if !((-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon)) {
        return None;
    }
    let by = match (hit.category.as_str(), hit.kind.as_str(), hit.addresstype.as_str()) {
        (_, "house", _) | ("building", _, _) | (_, _, "house" | "building") => LocatedBy::Address,
        ("highway", _, _) | (_, _, "road") => LocatedBy::Street,
        ("boundary" | "place" | "landuse", _, _) => LocatedBy::Zone,
        _ => LocatedBy::Place,
    };
    let radius = || -> Option<f64> {
        let b: Vec<f64> = hit.boundingbox.iter().map(|v| number(v)).collect::<Option<_>>()?;
        let [south, north, west, east] = b.as_slice() else {
            return None;
        };
        Some(
            haversine_m(lat, lon, *south, *west)
                .max(haversine_m(lat, lon, *north, *east))
                .max(50.0)
                .ceil(),
        )
    };
    let uncertainty_m = match by {
        LocatedBy::Street | LocatedBy::Zone => Some(radius().unwrap_or(1000.0)),
        _ => None,
    };
    let label = hit.display_name.chars().take(200).collect();
    Some(Found {
        lat,
        lon,
        label,
        by,
        uncertainty_m,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hits_are_placed_by_what_they_are_and_a_dead_server_gives_nothing() {
        let app = axum::Router::new().route(
            "/nominatim/search",
            axum::routing::get(|| async {
                axum::Json(serde_json::json!([
                    {"lat": "60.1685", "lon": "24.9385", "display_name": "Yrjönkatu 16, Helsinki",
                     "category": "building", "type": "yes", "addresstype": "building"},
                    {"lat": "60.1690", "lon": "24.9380", "display_name": "Yrjönkatu", "category": "highway",
                     "type": "residential", "addresstype": "road",
                     "boundingbox": ["60.1670", "60.1700", "24.9370", "24.9400"]},
                    {"lat": "NaN", "lon": "24.9"}
                ]))
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await });
        let nominatim = Nominatim::new(&format!("http://{addr}/nominatim")).unwrap();
        let found = nominatim.search("Yrjönkatu 16", 5).await;
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!((found[0].by, found[0].uncertainty_m), (LocatedBy::Address, None));
        assert_eq!(found[1].by, LocatedBy::Street);
        assert!(
            found[1].uncertainty_m.is_some_and(|r| r > 100.0 && r < 400.0),
            "{found:?}"
        );
        let dead = Nominatim::new("http://127.0.0.1:9").unwrap();
        assert!(dead.search("Yrjönkatu 16", 5).await.is_empty());
    }
}
