//! What the server benchmarks share: `tocsin serve`'s application started in-process on
//! 127.0.0.1 (the same `Running::start_on` the binary and the tests use) on a fresh database,
//! SQLite in a temporary directory or a PostgreSQL database created for the run and dropped
//! after; the fake Twilio it sends to (`tocsin-fakes`, the one the e2e tests use, set up to do
//! no work a benchmark should not time: no status callbacks, no limit on requests in flight);
//! volunteers added through the roster (as the API and the CLI add them); signed inbound SMS
//! webhooks (PROTOCOLS §1–2).

use std::future::Future;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::{bail, Context};
use clap::{Args, ValueEnum};

use crate::app::{Running, Shared};
use crate::audit::Actor;
use crate::channels::twilio::signature::sign;
use crate::config::Settings;
use crate::domain::{Language, Phone, Reach};
use crate::geo::Area;
use crate::roster::{self, HomeArea, Signup};

use tocsin_fakes::{FakeTwilio, FakeTwilioConfig};

use super::pg::{create_pg, drop_pg};

pub const ACCOUNT_SID: &str = "AC0123456789abcdef0123456789abcdef";
pub const AUTH_TOKEN: &str = "0123456789abcdef0123456789abcdef";
pub const HOTLINE: &str = "+12135550100";
const DEFAULT_PG: &str = "postgres://postgres@127.0.0.1:5432/postgres";

/// Where the sighting of the fan-out benchmarks is, and the volunteers around it.
pub const SPOT: (f64, f64) = (34.0617, -118.3005);

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum BackendArg {
    Sqlite,
    Postgres,
}

impl BackendArg {
    pub fn name(self) -> &'static str {
        match self {
            BackendArg::Sqlite => "sqlite",
            BackendArg::Postgres => "postgres",
        }
    }
}

#[derive(Debug, Clone, Args)]
pub struct DbArgs {
    /// Database: a fresh SQLite file in a temporary directory, or a fresh PostgreSQL database.
    #[arg(long, value_enum, default_value_t = BackendArg::Sqlite)]
    pub backend: BackendArg,
    /// PostgreSQL server to create the benchmark's database on (and drop it from after).
    #[arg(long, default_value = DEFAULT_PG)]
    pub database_url: String,
}

/// Runs an async benchmark on its own runtime (the CLI's `main` calls `bench::run` in sync
/// code), on a thread of its own so that it never nests in the caller's runtime.
pub fn block_on<F>(work: F) -> anyhow::Result<()>
where
    F: Future<Output = anyhow::Result<()>> + Send + 'static,
{
    std::thread::spawn(move || {
        tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .context("starting the benchmark's runtime")?
            .block_on(work)
    })
    .join()
    .unwrap_or_else(|e| std::panic::resume_unwind(e))
}

/// Twilio's code for "Too Many Requests" (PROTOCOLS §3.3): the fake's rate limit.
const TOO_MANY_REQUESTS: u32 = 20429;

/// A running server on a fresh database, with the fake as its Twilio.
pub struct Bench {
    pub twilio: FakeTwilio,
    pub http: reqwest::Client,
    pub base: String,
    running: Option<Running>,
    dir: PathBuf,
    pg: Option<(String, String)>,
}

/// A fresh name: the process id and random bits.
pub(super) fn fresh(prefix: &str) -> String {
    format!("{prefix}_{}_{:08x}", std::process::id(), rand::random::<u32>())
}

impl Bench {
    /// Starts the fake Twilio (limited to `max_mps` messages per rolling second, if given) and
    /// the server. `adjust` changes the benchmark's settings.
    pub async fn start(
        db: &DbArgs,
        max_mps: Option<u32>,
        adjust: impl FnOnce(&mut Settings),
    ) -> anyhow::Result<Bench> {
        let config = FakeTwilioConfig::new(ACCOUNT_SID, AUTH_TOKEN, &[HOTLINE])
            .max_concurrent(usize::MAX)
            .max_mps(max_mps)
            .status_callbacks(false);
        let twilio = FakeTwilio::start(config)
            .await
            .context("starting the fake Twilio")?;
        let dir = std::env::temp_dir().join(fresh("tocsin-bench"));
        std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
        let (url, pg) = match db.backend {
            BackendArg::Sqlite => (format!("sqlite://{}", dir.join("tocsin.db").display()), None),
            BackendArg::Postgres => match create_pg(&db.database_url).await {
                Ok((url, name)) => (url, Some((db.database_url.clone(), name))),
                Err(e) => {
                    let _ = std::fs::remove_dir_all(&dir);
                    return Err(e);
                }
            },
        };
        let mut bench = Bench {
            twilio,
            http: reqwest::Client::builder().no_proxy().build()?,
            base: String::new(),
            running: None,
            dir,
            pg,
        };
        match bench.serve(url, adjust).await {
            Ok(()) => Ok(bench),
            Err(e) => {
                bench.stop().await;
                Err(e)
            }
        }
    }

    async fn serve(&mut self, url: String, adjust: impl FnOnce(&mut Settings)) -> anyhow::Result<()> {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let mut s = Settings::defaults();
        s.http.bind = addr.to_string();
        s.http.public_url = format!("http://{addr}");
        s.database.url = url;
        s.crypto.key_file = self.dir.join("tocsin.key").display().to_string();
        s.twilio.account_sid = Some(ACCOUNT_SID.into());
        s.twilio.auth_token = Some(AUTH_TOKEN.into());
        s.twilio.from = vec![HOTLINE.into()];
        s.twilio.api_base = self.twilio.base_url();
        adjust(&mut s);
        s.validate()?;
        self.running = Some(Running::start_on(s, listener).await?);
        self.base = format!("http://{addr}");
        Ok(())
    }

    pub fn core(&self) -> anyhow::Result<&Shared> {
        match &self.running {
            Some(r) => Ok(&r.core),
            None => bail!("the server is not running"),
        }
    }

    /// Adds `n` SMS volunteers (numbers from `numbers(0, n)`) whose circles of 2 km, centred
    /// within ~1 km of `SPOT`, all contain it; languages taken in turn. Returns their numbers.
    pub async fn add_volunteers(&self, n: usize) -> anyhow::Result<Vec<String>> {
        let core = self.core()?;
        let phones = numbers(0, n)?;
        let languages = Language::all();
        // SQLite has one writer: more at once would only queue. PostgreSQL takes a few.
        let parallel = match core.store.backend() {
            crate::store::Backend::Sqlite => 1,
            crate::store::Backend::Postgres => 4,
        };
        let mut running = tokio::task::JoinSet::new();
        for (i, phone) in phones.iter().enumerate() {
            if running.len() >= parallel {
                joined(running.join_next().await)?;
            }
            let language = languages[i % languages.len()];
            let dlat = ((i * 7919) % 2001) as f64 - 1000.0;
            let dlon = ((i * 104_729) % 2001) as f64 - 1000.0;
            let area = Area::Circle {
                lat: SPOT.0 + dlat * 0.5e-5,
                lon: SPOT.1 + dlon * 0.6e-5,
                radius_m: 2000.0,
            };
            let (core, phone) = (core.clone(), phone.clone());
            running.spawn(async move {
                add(&core, format!("Volunteer {i}"), &phone, language, false, area).await
            });
        }
        while let Some(done) = running.join_next().await {
            joined(Some(done))?;
        }
        Ok(phones)
    }

    /// A trusted volunteer whose own area is far from `SPOT`: their sightings are verified at
    /// once (`dispatch.auto_verify = "trusted"`) and they are not alerted themselves.
    pub async fn add_reporter(&self) -> anyhow::Result<String> {
        let phone = numbers(REPORTER_INDEX, 1)?.remove(0);
        let area = Area::Circle {
            lat: SPOT.0 + 0.3,
            lon: SPOT.1,
            radius_m: 500.0,
        };
        add(self.core()?, "Reporter".into(), &phone, Language::EN, true, area).await?;
        Ok(phone)
    }

    /// Waits until the server has caught up with the setup: on PostgreSQL, every instance
    /// hears of each volunteer added (LISTEN/NOTIFY) and checks its index, which goes on for
    /// seconds after a bulk add; measuring meanwhile would time that too. Done when no other
    /// session on the database ran a statement for a whole second (at most a minute).
    pub async fn settle(&self) -> anyhow::Result<()> {
        let core = self.core()?;
        if core.store.backend() != crate::store::Backend::Postgres {
            return Ok(());
        }
        let started = std::time::Instant::now();
        let mut quiet = 0;
        while quiet < 20 && started.elapsed() < Duration::from_secs(60) {
            let busy: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() \
                 AND state = 'active' AND pid <> pg_backend_pid()",
            )
            .fetch_one(core.store.pool())
            .await?;
            quiet = if busy == 0 { quiet + 1 } else { 0 };
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Ok(())
    }

    /// Waits, at most `limit`, until the outbox has nothing queued: then no send, not even a
    /// late duplicate (a retry), can still come.
    pub async fn drained(&self, limit: Duration) -> anyhow::Result<()> {
        let started = std::time::Instant::now();
        while self.core()?.store.queued_deliveries().await? > 0 && started.elapsed() < limit {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        Ok(())
    }

    /// Sends the fake Twilio refused with 429 / 20429 (over its rate limit).
    pub fn refused_429(&self) -> usize {
        let rejected = self.twilio.rejected();
        rejected
            .iter()
            .filter(|(_, code)| *code == TOO_MANY_REQUESTS)
            .count()
    }

    /// Requests the fake Twilio refused for any other reason (bad auth, a bad `To`…): a
    /// broken benchmark.
    pub fn refused_other(&self) -> usize {
        let rejected = self.twilio.rejected();
        rejected
            .iter()
            .filter(|(_, code)| *code != TOO_MANY_REQUESTS)
            .count()
    }

    pub fn sms_url(&self) -> String {
        format!("{}/webhooks/twilio/sms", self.base)
    }

    /// An inbound SMS as Twilio posts it: form body and `X-Twilio-Signature`.
    pub fn signed_sms(&self, from: &str, body: &str, seq: u64) -> (String, String) {
        signed_sms(&self.sms_url(), from, body, seq)
    }

    /// Stops the server, then removes its files and drops its PostgreSQL database.
    pub async fn stop(mut self) {
        if let Some(running) = self.running.take() {
            running.stop().await;
        }
        if let Some((admin, name)) = self.pg.take() {
            if let Err(e) = drop_pg(&admin, &name).await {
                eprintln!("could not drop the benchmark database {name}: {e:#}");
            }
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A finished task's result; a panic in it is passed on.
fn joined(done: Option<Result<anyhow::Result<()>, tokio::task::JoinError>>) -> anyhow::Result<()> {
    match done {
        None => Ok(()),
        Some(Ok(result)) => result,
        Some(Err(e)) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
        Some(Err(e)) => Err(e.into()),
    }
}

async fn add(
    core: &Shared,
    name: String,
    phone: &str,
    language: Language,
    trusted: bool,
    area: Area,
) -> anyhow::Result<()> {
    let signup = Signup {
        name,
        phone: Phone::parse(phone).map_err(|e| anyhow::anyhow!("generated number: {e}"))?,
        language,
        trusted,
        area: HomeArea::Shape(area),
        reach: Reach::Sms,
        signal_id: None,
        roles: Vec::new(),
    };
    roster::add(core, &Actor::Cli, signup).await?;
    Ok(())
}

/// Form body and signature of an inbound SMS, the fields of PROTOCOLS §1 in Twilio's order.
pub fn signed_sms(url: &str, from: &str, body: &str, seq: u64) -> (String, String) {
    let sid = format!("SM{seq:032x}");
    let params: Vec<(String, String)> = [
        ("ToCountry", "US"),
        ("ToState", ""),
        ("SmsMessageSid", &sid),
        ("NumMedia", "0"),
        ("ToCity", ""),
        ("FromZip", ""),
        ("SmsSid", &sid),
        ("FromState", ""),
        ("SmsStatus", "received"),
        ("FromCity", ""),
        ("Body", body),
        ("FromCountry", "US"),
        ("To", HOTLINE),
        ("ToZip", ""),
        ("NumSegments", "1"),
        ("MessageSid", &sid),
        ("AccountSid", ACCOUNT_SID),
        ("From", from),
        ("ApiVersion", "2010-04-01"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    let signature = sign(AUTH_TOKEN, url, &params);
    let form = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(&params)
        .finish();
    (form, signature)
}

/// Index of the reporter's number among the generated ones, far from any volunteer's.
const REPORTER_INDEX: usize = 9_000_000;

/// `n` distinct valid US numbers from index `from` on: +1, an area code, 555 or another
/// exchange, four digits; candidates libphonenumber refuses are skipped.
pub fn numbers(from: usize, n: usize) -> anyhow::Result<Vec<String>> {
    const AREAS: [u32; 10] = [323, 213, 310, 424, 818, 626, 562, 714, 909, 661];
    const EXCHANGES: u32 = 800; // 200..=999
    let mut out = Vec::with_capacity(n);
    let mut i = from;
    while out.len() < n {
        let line = i % 10_000;
        let exchange = 200 + ((i / 10_000) as u32 % EXCHANGES);
        let area = AREAS
            .get(i / (10_000 * EXCHANGES as usize))
            .context("asked for more numbers than the generator has")?;
        let candidate = format!("+1{area}{exchange}{line:04}");
        if Phone::parse(&candidate).is_ok() {
            out.push(candidate);
        }
        i += 1;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_numbers_are_valid_and_distinct() {
        let mut all = numbers(0, 25_000).unwrap();
        all.extend(numbers(REPORTER_INDEX, 1).unwrap());
        let n = all.len();
        all.sort();
        all.dedup();
        assert_eq!(all.len(), n);
    }
}
