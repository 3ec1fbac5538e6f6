//! `[geocode]`: places not found in the imported data: by default nowhere else.

use anyhow::{bail, Context};
use serde::Deserialize;

#[derive(Debug, Clone, Default, Deserialize)]
pub struct Geocode {
    /// A self-hosted Nominatim, asked only when the imported places and zones find nothing.
    pub nominatim_url: Option<String>,
}

impl Geocode {
    pub fn validate(&self) -> anyhow::Result<()> {
        if let Some(url) = &self.nominatim_url {
            let parsed =
                url::Url::parse(url).with_context(|| format!("geocode.nominatim_url: not a URL: {url}"))?;
            if !matches!(parsed.scheme(), "http" | "https") {
                bail!("geocode.nominatim_url: must be http or https");
            }
            let host = parsed.host_str().unwrap_or_default().to_ascii_lowercase();
            if host == "openstreetmap.org" || host.ends_with(".openstreetmap.org") {
                bail!(
                    "geocode.nominatim_url: {url} is the public Nominatim; a report's place sent there is a leak. \
                     Run your own (https://nominatim.org) or leave it unset"
                );
            }
        }
        Ok(())
    }
}
