//! `tocsin demo`: tocsin with nothing installed but the binary. A throwaway SQLite database
//! in a temporary folder, tocsin's own fake Twilio and fake signal-cli in this process, the
//! example zones, 200 simulated volunteers and a dispatcher account; then a scripted night on a
//! loop (`script`), and a panel of every simulated phone at `/demo/phones` (`panel`).
//! Nothing here reads the operator's configuration or environment: a demo never touches a
//! real database or a real provider.

pub mod panel;
pub mod people;
pub mod phones;
pub mod script;

use std::io::Write;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use anyhow::{bail, Context};
use rand::{Rng, RngCore};
use tocsin_fakes::{FakeSignal, FakeSignalConfig, FakeTwilio, FakeTwilioConfig};

use crate::app::Running;
use crate::audit::Actor;
use crate::config::Settings;
use crate::domain::{Role, Scope};

/// The network's number (SMS and Signal); the volunteers' are 555-01xx in 213 and 323.
pub const HOTLINE: &str = "+13105550100";
/// The example zones, built in.
const ZONES: &str = include_str!("../../examples/zones-los-angeles.geojson");
/// The dispatcher account the demo prints.
pub const USER: &str = "demo";

/// `tocsin demo`'s options.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// 0: any free port.
    pub port: u16,
    /// Waits of the script are divided by this.
    pub speed: f64,
    pub no_script: bool,
}

/// A folder removed when the demo ends.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> anyhow::Result<TempDir> {
        let name = format!("tocsin-demo-{}-{:08x}", std::process::id(), rand::random::<u32>());
        let path = std::env::temp_dir().join(name);
        std::fs::create_dir_all(&path).with_context(|| format!("creating {}", path.display()))?;
        Ok(TempDir(path))
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn random_hex(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    rand::rngs::OsRng.fill_bytes(&mut buf);
    buf.iter().map(|b| format!("{b:02x}")).collect()
}

fn random_password() -> String {
    const LETTERS: &[u8] = b"abcdefghijkmnpqrstuvwxyzACDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::rngs::OsRng;
    (0..16)
        .map(|_| char::from(LETTERS[rng.gen_range(0..LETTERS.len())]))
        .collect()
}

/// The demo's settings: the built-in defaults (never the operator's file or environment),
/// pointed at the temporary folder and the fakes, with waits scaled by `speed`.
fn settings(
    dir: &Path,
    addr: SocketAddr,
    sid: &str,
    token: &str,
    fakes: (&FakeTwilio, &FakeSignal),
    speed: f64,
) -> Settings {
    let mut s = Settings::defaults();
    s.http.bind = addr.to_string();
    s.http.public_url = format!("http://{addr}");
    s.database.url = format!("sqlite://{}", dir.join("demo.db").display());
    s.crypto.key_file = dir.join("demo.key").display().to_string();
    s.twilio.account_sid = Some(sid.to_string());
    s.twilio.auth_token = Some(token.to_string().into());
    s.twilio.from = vec![HOTLINE.to_string()];
    s.twilio.api_base = fakes.0.base_url();
    s.twilio.mps = 50.0;
    s.signal.rpc_url = Some(fakes.1.base_url());
    s.signal.account = Some(HOTLINE.to_string());
    s.signal.mps = 50.0;
    s.network.name = "tocsin demo".into();
    s.network.timezone = "America/Los_Angeles".into();
    // The rumour flood: a sender's fifth report within the hour on is held.
    s.intake.max_reports_per_number_per_hour = 4;
    // Witnesses name a raid in their own words and languages.
    s.dispatch.merge_any_kind = true;
    // The script asks the same verifiers night after night.
    s.dispatch.max_checks_per_verifier_per_hour = 10_000;
    // More than the first wave gives: escalation widens the alert in the script's night.
    s.dispatch.wanted = 15;
    s.dispatch.escalate_after_s = escalate_after_s(speed);
    s.dispatch.verifier_timeout_s = ((120.0 / speed).round() as u64).max(5);
    s
}

/// A minute and a half at speed 1; at least 5 s.
fn escalate_after_s(speed: f64) -> u64 {
    ((90.0 / speed).round() as u64).max(5)
}

/// Runs the demo until Ctrl-C (or SIGTERM).
pub async fn run(opts: Options) -> anyhow::Result<()> {
    if !(opts.speed.is_finite() && opts.speed > 0.0 && opts.speed <= 1000.0) {
        bail!("--speed: must be a number above 0 (at most 1000)");
    }
    let dir = TempDir::new()?;
    let sid = format!("AC{}", random_hex(16));
    let auth = random_hex(16);
    let twilio = FakeTwilio::start(FakeTwilioConfig::new(&sid, &auth, &[HOTLINE]).max_concurrent(64)).await?;
    let signal = FakeSignal::start(FakeSignalConfig::new(HOTLINE)).await?;
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", opts.port))
        .await
        .with_context(|| {
            format!(
                "--port: cannot listen on 127.0.0.1:{} (--port 0 picks a free one)",
                opts.port
            )
        })?;
    let addr = listener.local_addr()?;
    let base = format!("http://{addr}");
    let settings = settings(dir.path(), addr, &sid, &auth, (&twilio, &signal), opts.speed);
    settings.validate()?;

    let phones = Arc::new(phones::Phones::new(twilio, signal.clone(), HOTLINE, &base));
    let for_panel = phones.clone();
    let running =
        Running::start_on_with(settings, listener, move |core| panel::routes(core, for_panel)).await?;
    let core = running.core.clone();
    if !signal.wait_for_subscribers(1, Duration::from_secs(10)).await {
        tracing::warn!("tocsin did not connect to the demo's Signal bridge");
    }

    let zones: serde_json::Value = serde_json::from_str(ZONES).context("the example zones")?;
    crate::zoning::import_collection(&core, &Actor::Cli, &zones).await?;
    let people = people::add_all(&core, &people::zone_centres(&zones)).await?;
    tracing::info!(volunteers = people.len(), "demo volunteers added");
    phones.set_people(people);
    let password = random_password();
    crate::accounts::add_user(&core, USER, Role::Dispatcher, &password).await?;
    let token = crate::tokens::add(&core, &Actor::Cli, "demo", Scope::Admin)
        .await
        .map_err(|e| anyhow::anyhow!("demo token: {e:?}"))?
        .secret;

    let mut out = std::io::stdout().lock();
    writeln!(out, "dashboard: {base}/")?;
    writeln!(out, "login: {USER} {password}")?;
    writeln!(out, "api token: {token}")?;
    out.flush()?;
    drop(out);

    tracing::info!(panel = %format!("{base}/demo/phones"), "demo ready: every simulated phone is on the panel");
    let script = (!opts.no_script).then(|| {
        tokio::spawn(script::run(script::Script {
            base: base.clone(),
            token: token.clone(),
            phones: phones.clone(),
            speed: opts.speed,
            escalate_after: Duration::from_secs(escalate_after_s(opts.speed)),
        }))
    });
    crate::app::shutdown_signal().await;
    tracing::info!("demo stopping");
    if let Some(script) = script {
        script.abort();
    }
    running.stop().await;
    drop(dir);
    Ok(())
}
