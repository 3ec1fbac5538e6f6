//! `tocsin bench calls`: wake-up calls placed at `--cps` calls per second per number (tocsin's
//! `twilio.cps`), as `bench throttle` measures messages against `twilio.mps`: how close to the
//! limit tocsin places calls, and that every volunteer who wants one is called exactly once.
//!
//! The same server and fake Twilio as `bench throttle` (one number); `--cps × --seconds`
//! volunteers with `call = "always"` get a confirmed alert's text (at a rate that is no
//! bottleneck), then a call each. The fake dials at the same CPS, answers, fetches the TwiML
//! and hears no key, so tocsin also serves every call's TwiML and status callbacks meanwhile.
//!
//! The last line printed is one JSON object: `cps`, `achieved_cps` (calls created less one, over
//! the time from the first to the last, as the fake saw them), `ratio` (achieved / cps), `calls`,
//! `duplicates`, `volunteers`, `seconds` (the calls' span), `refused`, `backend`.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use clap::Args;
use serde_json::json;

use super::harness::{Bench, DbArgs, SPOT};

#[derive(Debug, Args)]
pub struct CallsArgs {
    /// Calls per second the number may place: `twilio.cps`, and the fake's dialling rate.
    #[arg(long, default_value_t = 5.0)]
    pub cps: f64,
    /// How long the calls should take at that rate (volunteers = cps × seconds).
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u32).range(1..=3_600))]
    pub seconds: u32,
    #[command(flatten)]
    pub db: DbArgs,
}

pub fn run(args: CallsArgs) -> anyhow::Result<()> {
    if !(args.cps > 0.0 && args.cps <= 100.0) {
        bail!("--cps: must be more than 0 and at most 100");
    }
    super::harness::block_on(calls(args))
}

async fn calls(args: CallsArgs) -> anyhow::Result<()> {
    let cps = args.cps;
    let bench = Bench::start(&args.db, None, |s| {
        s.twilio.cps = cps;
        s.twilio.mps = 1000.0;
    })
    .await?;
    bench.twilio.set_cps(cps);
    let result = measure(&bench, &args).await;
    bench.stop().await;
    let result = result?;
    println!("{result}");
    Ok(())
}

async fn measure(bench: &Bench, args: &CallsArgs) -> anyhow::Result<serde_json::Value> {
    let n = ((args.cps * f64::from(args.seconds)).round() as usize).max(2);
    let setup = Instant::now();
    let reporter = bench.add_reporter().await?;
    let phones = bench.add_volunteers(n).await?;
    let core = bench.core()?;
    sqlx::query("UPDATE volunteers SET call = 'always' WHERE phone_hash <> $1")
        .bind(core.vault.lookup_hash(&reporter))
        .execute(core.store.pool())
        .await
        .context("choosing calls")?;
    crate::dispatch::step(core).await.context("dispatcher pass")?;
    bench.settle().await?;
    println!(
        "{} backend: {n} volunteers added in {:.1} s; calling them at {} calls/s",
        args.db.backend.name(),
        setup.elapsed().as_secs_f64(),
        args.cps
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
    let limit = Duration::from_secs_f64(n as f64 / args.cps + 60.0);
    let placed = bench.twilio.wait_for_calls(limit, |c| c.len() >= n).await;
    if placed.len() < n {
        eprintln!(
            "stalled: {} of {n} calls after {} s",
            placed.len(),
            limit.as_secs()
        );
    }
    // A call placed twice would come right after the others: a moment to see it.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let placed = bench.twilio.calls();
    let targets: HashSet<&str> = phones.iter().map(String::as_str).collect();
    let distinct: HashSet<&str> = placed.iter().map(|c| c.to.as_str()).collect();
    if distinct.iter().any(|to| !targets.contains(*to)) {
        bail!("a number that is not a volunteer's was called");
    }
    let (Some(first), Some(last)) = (
        placed.iter().map(|c| c.created_at).min(),
        placed.iter().map(|c| c.created_at).max(),
    ) else {
        bail!("nothing was called");
    };
    let span = last.saturating_duration_since(first).as_secs_f64();
    let achieved = if span > 0.0 {
        (placed.len() - 1) as f64 / span
    } else {
        0.0
    };
    let result = json!({
        "bench": "calls",
        "backend": args.db.backend.name(),
        "cps": args.cps,
        "achieved_cps": (achieved * 100.0).round() / 100.0,
        "ratio": (achieved / args.cps * 10_000.0).round() / 10_000.0,
        "calls": placed.len(),
        "duplicates": placed.len() - distinct.len(),
        "volunteers": n,
        "seconds": (span * 100.0).round() / 100.0,
        "refused": bench.twilio.rejected().len(),
    });
    println!(
        "{} calls in {span:.2} s: {achieved:.2}/s of {} allowed",
        placed.len(),
        args.cps
    );
    Ok(result)
}
