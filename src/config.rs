//! Settings: one tree, layered defaults (config/default.toml, built in) -> `--config FILE` ->
//! `TOCSIN_<SECTION>__<KEY>` environment variables; validated once at start.

use std::path::Path;

use anyhow::{bail, Context};
use figment::providers::{Env, Format, Toml};
use figment::Figment;
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

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
}

#[derive(Debug, Clone, Deserialize)]
pub struct Http {
    pub bind: String,
    pub public_url: String,
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
    pub from: Option<String>,
    pub api_base: String,
    pub validity_s: u32,
    pub concurrency: usize,
    pub timeout_s: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AutoVerify {
    Trusted,
    All,
    None,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Dispatch {
    pub auto_verify: AutoVerify,
    pub alert_ttl_s: u64,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Privacy {
    pub reporter_retention_hours: u64,
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
        let figment = figment.merge(Env::prefixed("TOCSIN_").split("__"));
        let settings: Settings = figment.extract().context("reading configuration")?;
        settings.validate()?;
        Ok(settings)
    }

    /// Defaults only (plus nothing from the environment): the base tests build on.
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
        if !(self.database.url.starts_with("sqlite:") || self.database.url.starts_with("postgres"))
        {
            bail!("database.url: must start with sqlite:// or postgres://");
        }
        if self.twilio.concurrency == 0 {
            bail!("twilio.concurrency: must be at least 1");
        }
        if !(1..=36000).contains(&self.twilio.validity_s) {
            bail!("twilio.validity_s: must be between 1 and 36000 seconds");
        }
        if let Some(from) = &self.twilio.from {
            crate::domain::Phone::parse(from).map_err(|e| anyhow::anyhow!("twilio.from: {e}"))?;
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

    /// Twilio credentials when SMS sending is fully configured.
    pub fn sms_ready(&self) -> bool {
        self.twilio.account_sid.is_some()
            && self.twilio.auth_token.is_some()
            && self.twilio.from.is_some()
    }
}
