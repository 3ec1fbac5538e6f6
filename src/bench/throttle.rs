//! `tocsin bench throttle`: a sender limited to `--mps` messages per second, and tocsin told
//! so (`twilio.mps`): how close to the limit it sends, and how often the provider refuses.
//!
//! The same server and fake Twilio as `bench fanout`, but the fake refuses with 429 / 20429
//! any message that would make more than `--mps` accepted within one second (a rolling
//! window, as a throttled account does: PROTOCOLS §8.1), and the sighting is alerted to
//! `--mps × --seconds` volunteers, so the fan-out lasts about `--seconds`. Refused sends are
//! retried by the outbox as Twilio's "always safe to retry" says, and counted.
//!
//! The last line printed is one JSON object: `mps`, `achieved_mps` (accepted messages less one,
//! over the time from the first to the last, as the fake saw them), `ratio` (achieved / mps),
//! `refused_429`, `sends`, `duplicates`, `volunteers`, `seconds` (the fan-out's length), `backend`.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use clap::Args;
use serde_json::json;

use super::harness::{Bench, DbArgs, SPOT};

#[derive(Debug, Args)]
pub struct ThrottleArgs {
    /// The sender's limit, and `twilio.mps`.
    #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u32).range(1..=10_000))]
    pub mps: u32,
    /// How long the fan-out should last at that rate (volunteers = mps × seconds).
    #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u32).range(1..=3_600))]
    pub seconds: u32,
    #[command(flatten)]
    pub db: DbArgs,
}

pub fn run(args: ThrottleArgs) -> anyhow::Result<()> {
    super::harness::block_on(throttle(args))
}

async fn throttle(args: ThrottleArgs) -> anyhow::Result<()> {
    let mps = args.mps;
    let bench = Bench::start(&args.db, Some(mps), |s| s.twilio.mps = f64::from(mps)).await?;
    let result = measure(&bench, &args).await;
    bench.stop().await;
    let result = result?;
    println!("{result}");
    Ok(())
}

async fn measure(bench: &Bench, args: &ThrottleArgs) -> anyhow::Result<serde_json::Value> {
    let n = args.mps as usize * args.seconds as usize;
    let setup = Instant::now();
    let reporter = bench.add_reporter().await?;
    let phones = bench.add_volunteers(n).await?;
    crate::dispatch::step(bench.core()?)
        .await
        .context("dispatcher pass")?;
    bench.settle().await?;
    println!(
        "{} backend: {n} volunteers added in {:.1} s; alerting them at {} messages/s",
        args.db.backend.name(),
        setup.elapsed().as_secs_f64(),
        args.mps
    );

    let (form, signature) = bench.signed_sms(&reporter, &format!("ICE at {}, {}", SPOT.0, SPOT.1), 1);
    let response = bench
        .http
        .post(bench.sms_url())
        .header("content-type", "application/x-www-form-urlencoded")
        .header("x-twilio-signature", signature)
        .body(form)
        .send()
        .await
        .context("posting the sighting")?;
    if !response.status().is_success() {
        bail!("the sighting's webhook answered {}", response.status());
    }
    // A refused send waits for its retry's backoff: allow for that before calling it stalled.
    if !bench.twilio.wait_for_count(n, Duration::from_secs(60)).await {
        eprintln!(
            "stalled: {} of {n} sends after 60 s without progress",
            bench.twilio.message_count()
        );
    }
    // Late duplicates (a send answered twice) come from deliveries still queued for a retry:
    // once none is, nothing more can come (at most the second we used to wait).
    bench.drained(Duration::from_secs(1)).await?;

    let accepted = bench.twilio.messages();
    let targets: HashSet<&str> = phones.iter().map(String::as_str).collect();
    let distinct: HashSet<&str> = accepted.iter().map(|a| a.to.as_str()).collect();
    if distinct.iter().any(|to| !targets.contains(*to)) {
        bail!("a number that is not a volunteer's was sent to");
    }
    let (Some(first), Some(last)) = (
        accepted.iter().map(|a| a.accepted_at).min(),
        accepted.iter().map(|a| a.accepted_at).max(),
    ) else {
        bail!("nothing was sent");
    };
    let span = last.saturating_duration_since(first).as_secs_f64();
    let achieved = if span > 0.0 {
        (accepted.len() - 1) as f64 / span
    } else {
        0.0
    };
    let result = json!({
        "bench": "throttle",
        "backend": args.db.backend.name(),
        "mps": args.mps,
        "achieved_mps": (achieved * 100.0).round() / 100.0,
        "ratio": (achieved / f64::from(args.mps) * 10_000.0).round() / 10_000.0,
        "refused_429": bench.refused_429(),
        "sends": accepted.len(),
        "duplicates": accepted.len() - distinct.len(),
        "volunteers": n,
        "seconds": (span * 100.0).round() / 100.0,
        "refused": bench.refused_other(),
    });
    println!(
        "{} messages in {span:.2} s: {achieved:.2}/s of {} allowed, {} refused with 429",
        accepted.len(),
        args.mps,
        result["refused_429"]
    );
    Ok(result)
}
