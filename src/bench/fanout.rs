//! `tocsin bench fanout`: one sighting, N volunteers whose areas hold it; how long from the
//! signed inbound webhook to the first and to the last send handed to the provider.
//!
//! The server is `tocsin serve`'s application in-process (see `harness`) on a fresh database,
//! sending to the in-process fake Twilio (no throttling, no callbacks). Its settings are the
//! defaults except `twilio.mps = 10000` (the highest accepted: the provider is not throttled,
//! but every send still takes a slot of the pacer, 102 µs apart, so N sends take at least
//! N × 0.102 ms) and `twilio.concurrency` (`--concurrency`). The volunteers are added
//! through the roster (untimed), and one dispatcher pass is run first so that the geofence
//! index is current. Then a trusted volunteer texts a sighting with coordinates: verified at
//! once, it is alerted to all N. The clock starts just before the webhook request is written
//! (on an open connection) and stops when the fake accepts each send.
//!
//! The last line printed is one JSON object: `backend`, `volunteers`, `concurrency`, `sends`
//! (messages the fake accepted), `duplicates` (sends beyond one per volunteer, counted after
//! a settling second), `first_send_ms`, `last_send_ms`, `webhook_ms` (the webhook's response
//! time), `sends_per_s` (between the first and the last send), `setup_s`.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use clap::Args;
use serde_json::json;

use super::figures::ms;
use super::harness::{Bench, DbArgs, SPOT};

#[derive(Debug, Args)]
pub struct FanoutArgs {
    /// Volunteers whose home areas hold the sighting.
    #[arg(long, default_value_t = 10_000, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    pub volunteers: u32,
    #[command(flatten)]
    pub db: DbArgs,
    /// `twilio.concurrency`: sends in flight at once (the default configuration's is 8).
    #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u16).range(1..=1000))]
    pub concurrency: u16,
}

pub fn run(args: FanoutArgs) -> anyhow::Result<()> {
    super::harness::block_on(fanout(args))
}

async fn fanout(args: FanoutArgs) -> anyhow::Result<()> {
    let concurrency = usize::from(args.concurrency);
    let bench = Bench::start(&args.db, None, |s| {
        s.twilio.mps = 10_000.0;
        s.twilio.concurrency = concurrency;
    })
    .await?;
    let result = measure(&bench, &args).await;
    bench.stop().await;
    let result = result?;
    println!("{result}");
    Ok(())
}

async fn measure(bench: &Bench, args: &FanoutArgs) -> anyhow::Result<serde_json::Value> {
    let n = args.volunteers as usize;
    let setup = Instant::now();
    let reporter = bench.add_reporter().await?;
    let phones = bench.add_volunteers(n).await?;
    let core = bench.core()?;
    crate::dispatch::step(core).await.context("dispatcher pass")?;
    bench.settle().await?;
    let setup_s = setup.elapsed().as_secs_f64();
    println!(
        "{} backend: {n} volunteers added in {setup_s:.1} s",
        args.db.backend.name()
    );

    // An open connection, so that the clock does not time the TCP handshake.
    bench
        .http
        .get(format!("{}/healthz", bench.base))
        .send()
        .await
        .context("GET /healthz")?;
    let (form, signature) = bench.signed_sms(&reporter, &format!("ICE at {}, {}", SPOT.0, SPOT.1), 1);
    let t0 = Instant::now();
    let response = bench
        .http
        .post(bench.sms_url())
        .header("content-type", "application/x-www-form-urlencoded")
        .header("x-twilio-signature", signature)
        .body(form)
        .send()
        .await
        .context("posting the sighting")?;
    let webhook = t0.elapsed();
    let status = response.status();
    if !status.is_success() {
        bail!("the sighting's webhook answered {status}");
    }

    let complete = bench.twilio.wait_for_count(n, Duration::from_secs(30)).await;
    // Late duplicates (a send answered twice) come from deliveries still queued for a retry:
    // once none is, nothing more can come (at most the second we used to wait).
    bench.drained(Duration::from_secs(1)).await?;
    let accepted = bench.twilio.messages();
    if !complete {
        eprintln!(
            "stalled: {} of {n} sends after 30 s without progress",
            accepted.len()
        );
    }
    let targets: HashSet<&str> = phones.iter().map(String::as_str).collect();
    let distinct: HashSet<&str> = accepted.iter().map(|a| a.to.as_str()).collect();
    let strangers = distinct.iter().filter(|to| !targets.contains(*to)).count();
    if strangers > 0 {
        bail!("{strangers} numbers that are not the volunteers' were sent to");
    }
    let first = accepted.iter().map(|a| a.accepted_at).min().unwrap_or(t0);
    let last = accepted.iter().map(|a| a.accepted_at).max().unwrap_or(t0);
    let span = last.saturating_duration_since(first).as_secs_f64();
    let sends = accepted.len();
    let result = json!({
        "bench": "fanout",
        "backend": args.db.backend.name(),
        "volunteers": n,
        "concurrency": args.concurrency,
        "sends": sends,
        "distinct": distinct.len(),
        "duplicates": sends - distinct.len(),
        "first_send_ms": ms(first.saturating_duration_since(t0)),
        "last_send_ms": ms(last.saturating_duration_since(t0)),
        "webhook_ms": ms(webhook),
        "sends_per_s": if span > 0.0 { ((sends - 1) as f64 / span).round() } else { 0.0 },
        "refused": bench.refused_other(),
        "setup_s": (setup_s * 10.0).round() / 10.0,
    });
    println!(
        "first send {} ms, last ({sends}th) {} ms after the webhook; webhook answered in {} ms",
        result["first_send_ms"], result["last_send_ms"], result["webhook_ms"]
    );
    Ok(result)
}
