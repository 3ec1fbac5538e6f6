//! Settings: one tree, layered defaults (config/default.toml, built in) -> `--config FILE` ->
//! `TOCSIN_<SECTION>__<KEY>` environment variables; validated once at start.

use std::path::Path;

use anyhow::{bail, Context};
use figment::providers::{Format, Serialized, Toml};
use figment::Figment;
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

mod calls;
mod data_dir;
mod dispatch;
mod geocode;
mod metrics;
mod mobilisations;
mod network;
mod oncall;
mod values;
mod voice;

pub use calls::Calls;
pub use dispatch::{AutoVerify, Dispatch};
pub use geocode::Geocode;
pub use metrics::Metrics;
pub use mobilisations::Mobilisations;
pub use network::Network;
pub use oncall::Oncall;
pub use voice::Voice;

use values::{env_layer, one_or_many};

const DEFAULTS: &str = include_str!("../config/default.toml");

#[derive(Debug, Clone, Deserialize)]
pub struct Settings {
    pub http: Http,
    pub database: Database,
    pub crypto: Crypto,
    pub api: Api,
    pub twilio: Twilio,
    pub dispatch: Dispatch,
    pub privacy: Privacy,
    pub signal: Signal,
    pub network: Network,
    pub join: Join,
    pub dashboard: Dashboard,
    pub intake: Intake,
    pub oncall: Oncall,
    #[serde(default)]
    pub geocode: Geocode,
    #[serde(default)]
    pub metrics: Metrics,
    #[serde(default)]
    pub mobilisations: Mobilisations,
    #[serde(default)]
    pub calls: Calls,
    #[serde(default)]
    pub voice: Voice,
}

impl Dashboard {
    /// `dashboard.center` read: (lat, lon, zoom), if set and valid.
    pub fn map_center(&self) -> Option<(f64, f64, u8)> {
        let parts: Vec<&str> = self.center.split(',').map(str::trim).collect();
        let [lat, lon, zoom] = parts[..] else { return None };
        let (lat, lon, zoom) = (
            lat.parse::<f64>().ok()?,
            lon.parse::<f64>().ok()?,
            zoom.parse::<u8>().ok()?,
        );
        let ok = (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon) && (2..=19).contains(&zoom);
        ok.then_some((lat, lon, zoom))
    }
}

/// Who may join by text, and with what standing (see `join.approval`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Approval {
    /// Joiners are pending (no alerts) until a dispatcher approves them.
    Dispatcher,
    /// Joiners are alerted at once but unvetted until approved.
    Open,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Join {
    pub approval: Approval,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Http {
    pub bind: String,
    pub public_url: String,
    /// The header a trusted reverse proxy sets to the client's address; None: the TCP peer.
    pub trusted_proxy_header: Option<String>,
    /// `/healthz` says degraded when a due message has waited longer than this.
    pub health_backlog_s: u64,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Database {
    pub url: String,
    pub max_connections: u32,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Crypto {
    pub key: Option<SecretString>,
    pub key_file: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Api {
    pub token: Option<SecretString>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Twilio {
    pub account_sid: Option<String>,
    pub auth_token: Option<SecretString>,
    pub previous_auth_token: Option<SecretString>,
    /// The numbers alerts are sent from, as a pool (`from = ["+1…", "+1…"]`, or in the
    /// environment `+1…,+1…`). Empty when a messaging service sends instead.
    #[serde(default, deserialize_with = "one_or_many")]
    pub from: Vec<String>,
    pub messaging_service_sid: Option<String>,
    /// Messages per second each sender (a number, or the messaging service) may send.
    pub mps: f64,
    pub api_base: String,
    pub validity_s: u32,
    pub concurrency: usize,
    pub timeout_s: u64,
    /// Calls per second each number may place (wake-up calls).
    #[serde(default = "calls::default_cps")]
    pub cps: f64,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Signal {
    pub rpc_url: Option<String>,
    pub account: Option<String>,
    pub failover_after_s: u64,
    pub timeout_s: u64,
    /// Messages per second the bridge's account may send.
    pub mps: f64,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Intake {
    pub max_reports_per_number_per_hour: u32,
    pub max_reports_per_hour: u32,
    /// Seconds after tocsin asks a reporter where (or what) during which their next message is
    /// read as the answer.
    pub followup_s: u64,
    /// Whether a reporter is told when their report's incident is confirmed and when it ends.
    pub tell_reporter: bool,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Privacy {
    pub reporter_retention_hours: u64,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Dashboard {
    /// Optional tiles on top of tocsin's own base map ("": none).
    pub tile_url: String,
    pub tile_attribution: String,
    /// Where an empty map opens, "lat,lon,zoom" ("": the zones' box).
    #[serde(default)]
    pub center: String,
    pub session_hours: u64,
    /// Failed logins in a row that lock an account.
    pub lockout_after: u32,
    /// How long a locked account stays locked.
    pub lockout_minutes: u64,
}

impl Settings {
    /// Loads the layers; `file` is the operator's `--config FILE`.
    pub fn load(file: Option<&Path>) -> anyhow::Result<Settings> {
        let mut figment = Figment::from(Toml::string(DEFAULTS));
        if let Some(file) = file {
            if !file.exists() {
                bail!("config file {} does not exist", file.display());
            }
            figment = figment.merge(Toml::file(file));
        }
        let figment = figment.merge(Serialized::defaults(env_layer(std::env::vars())));
        // Lossy: environment values are text; numbers and booleans are read from it.
        let settings: Settings = figment.extract_lossy().context("reading configuration")?;
        settings.validate()?;
        Ok(settings)
    }

    /// Defaults only (nothing from the environment): the base tests build on.
    pub fn defaults() -> Settings {
        Figment::from(Toml::string(DEFAULTS))
            .extract()
            .expect("config/default.toml is valid")
    }

    pub fn validate(&self) -> anyhow::Result<()> {
        let public = url::Url::parse(&self.http.public_url)
            .with_context(|| format!("http.public_url: not a URL: {}", self.http.public_url))?;
        if !matches!(public.scheme(), "http" | "https") {
            bail!("http.public_url: must be http or https");
        }
        if !(self.database.url.starts_with("sqlite:") || self.database.url.starts_with("postgres")) {
            bail!("database.url: must start with sqlite:// or postgres://");
        }
        if self.twilio.concurrency == 0 {
            bail!("twilio.concurrency: must be at least 1");
        }
        if !(1..=36000).contains(&self.twilio.validity_s) {
            bail!("twilio.validity_s: must be between 1 and 36000 seconds");
        }
        match (&self.signal.rpc_url, &self.signal.account) {
            (Some(url), Some(account)) => {
                let parsed =
                    url::Url::parse(url).with_context(|| format!("signal.rpc_url: not a URL: {url}"))?;
                if !matches!(parsed.scheme(), "http" | "https") {
                    bail!("signal.rpc_url: must be http or https");
                }
                // signal-cli's daemon has no authentication: whoever reaches it can read every
                // message and send as the network. Plain http only on this machine.
                if parsed.scheme() == "http" && !is_loopback(&parsed) {
                    bail!(
                        "signal.rpc_url: {url} is plain http to another machine; signal-cli's daemon has no \
                         authentication, so keep it on 127.0.0.1 (or [::1], localhost) or put it behind https \
                         (docs/signal.md)"
                    );
                }
                crate::domain::Phone::parse(account).map_err(|e| anyhow::anyhow!("signal.account: {e}"))?;
            }
            (None, None) => {}
            (Some(_), None) => bail!("signal.account: required with signal.rpc_url"),
            (None, Some(_)) => bail!("signal.rpc_url: required with signal.account"),
        }
        self.geocode.validate()?;
        self.metrics.validate()?;
        self.mobilisations.validate()?;
        self.voice.validate()?;
        for from in &self.twilio.from {
            crate::domain::Phone::parse(from).map_err(|e| anyhow::anyhow!("twilio.from: {e}"))?;
        }
        if let Some(sid) = &self.twilio.messaging_service_sid {
            let valid =
                sid.len() == 34 && sid.starts_with("MG") && sid[2..].bytes().all(|b| b.is_ascii_hexdigit());
            if !valid {
                bail!("twilio.messaging_service_sid: must be MG followed by 32 hex digits");
            }
            if !self.twilio.from.is_empty() {
                bail!("twilio.from: leave it unset with twilio.messaging_service_sid (the service picks the number)");
            }
        }
        for (key, mps) in [("twilio.mps", self.twilio.mps), ("signal.mps", self.signal.mps)] {
            if !(mps.is_finite() && mps > 0.0 && mps <= 10_000.0) {
                bail!("{key}: must be a number of messages per second above 0 (at most 10000)");
            }
        }
        let d = &self.dispatch;
        if d.escalation_radii_m
            .iter()
            .any(|r| !(r.is_finite() && *r > 0.0 && *r <= 1_000_000.0))
        {
            bail!("dispatch.escalation_radii_m: every radius must be a number of metres above 0 (at most 1000000)");
        }
        if d.wanted < 0 || d.wanted_by_kind.values().any(|n| *n < 0) {
            bail!("dispatch.wanted: must be 0 or more");
        }
        if let Some(kind) = d
            .wanted_by_kind
            .keys()
            .find(|k| crate::domain::Kind::parse(k).is_none())
        {
            bail!(
                "dispatch.wanted_by_kind: {kind:?} is not a kind (one of {})",
                crate::domain::Kind::NAMES.join(", ")
            );
        }
        let role = &d.drill_role;
        if role.is_empty()
            || role.len() > 32
            || role == "verifier"
            || !role
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-')
        {
            bail!("dispatch.drill_role: 1 to 32 of a-z, 0-9, _ and -, and not \"verifier\"");
        }
        let tiles = &self.dashboard.tile_url;
        let tiled = tiles.starts_with("https://") || tiles.starts_with("http://");
        if !tiles.is_empty() && (!tiled || !tiles.contains("{z}")) {
            bail!("dashboard.tile_url: must be an http(s) URL template with {{z}}, {{x}} and {{y}}");
        }
        if self.dispatch.not_found_after == 0 {
            bail!("dispatch.not_found_after: must be at least 1");
        }
        if self.dispatch.max_checks_per_verifier_per_hour == 0 {
            bail!("dispatch.max_checks_per_verifier_per_hour: must be at least 1");
        }
        if !(5..=86_400).contains(&self.dispatch.verifier_timeout_s) {
            bail!("dispatch.verifier_timeout_s: must be between 5 and 86400 seconds");
        }
        if !(1..=10).contains(&self.dispatch.verifier_rounds) {
            bail!("dispatch.verifier_rounds: must be between 1 and 10");
        }
        if jiff::tz::TimeZone::get(&self.network.timezone).is_err() {
            bail!(
                "network.timezone: {:?} is not an IANA time zone name (like America/Los_Angeles)",
                self.network.timezone
            );
        }
        if !self.dashboard.center.is_empty() && self.dashboard.map_center().is_none() {
            bail!("dashboard.center: \"lat,lon,zoom\", like \"34.05,-118.25,12\" (zoom 2 to 19)");
        }
        self.oncall.validate()?;
        self.calls.validate(&self.network.night_hours, self.twilio.cps)?;
        if !(60..=3600).contains(&self.intake.followup_s) {
            bail!("intake.followup_s: must be between 60 and 3600 seconds");
        }
        if self.dashboard.lockout_after == 0 {
            bail!("dashboard.lockout_after: must be at least 1");
        }
        if !(1..=24 * 60).contains(&self.dashboard.lockout_minutes) {
            bail!("dashboard.lockout_minutes: must be between 1 and 1440");
        }
        if let Some(header) = &self.http.trusted_proxy_header {
            if axum::http::HeaderName::from_bytes(header.trim().as_bytes()).is_err() {
                bail!("http.trusted_proxy_header: {header:?} is not an HTTP header name");
            }
        }
        if !(1..=24 * 30).contains(&self.dashboard.session_hours) {
            bail!("dashboard.session_hours: must be between 1 and 720");
        }
        if let Some(token) = &self.api.token {
            if token.expose_secret().len() < 16 {
                bail!("api.token: must be at least 16 characters");
            }
        }
        Ok(())
    }

    /// The public URL without a trailing slash, to which request paths are appended.
    pub fn public_base(&self) -> &str {
        self.http.public_url.trim_end_matches('/')
    }

    /// The Signal bridge is configured.
    pub fn signal_ready(&self) -> bool {
        self.signal.rpc_url.is_some() && self.signal.account.is_some()
    }

    /// Session cookies get `Secure` when the dashboard is reached over https.
    pub fn https(&self) -> bool {
        self.http.public_url.starts_with("https://")
    }

    /// Twilio credentials when SMS sending is fully configured.
    pub fn sms_ready(&self) -> bool {
        self.twilio.account_sid.is_some()
            && self.twilio.auth_token.is_some()
            && !self.twilio.senders().is_empty()
    }
}

/// Whether a URL's host is this machine (127.0.0.0/8, ::1 or localhost).
fn is_loopback(url: &url::Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

impl Twilio {
    /// Who sends: each number of the pool, or the messaging service (`MG…`).
    pub fn senders(&self) -> Vec<String> {
        match &self.messaging_service_sid {
            Some(sid) => vec![sid.clone()],
            None => self.from.clone(),
        }
    }
}

#[cfg(test)]
mod tests;
