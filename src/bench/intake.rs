//! `tocsin bench intake`: signed inbound SMS webhooks at `--rate` per second for `--seconds`,
//! open-loop, against the running server: their response times and errors.
//!
//! The same in-process server as `bench fanout`, with `intake.max_reports_per_hour` raised
//! above the run's total (so the global flood guard never changes the path) and no volunteers.
//! Every message is a sighting with coordinates ("ICE at LAT, LON") from its own number, none
//! of them a volunteer's (so the per-number limit never applies either): each is stored,
//! located and, being unverified, opens an incident; nobody is alerted. With `--places
//! distinct` (the default) the points lie on a grid 550 m apart, so each report opens its own
//! incident; with `--places one` they are all at one spot and join the first one's incident
//! (`dispatch.merge_m`), as a crowd reporting one raid would.
//!
//! All requests are signed before the clock starts (as Twilio signs them on its side). Then
//! request i is issued at start + i / rate whether or not earlier ones were answered, and its
//! response time runs from that scheduled instant to the end of its answer, so a client or a
//! server falling behind shows in the figures instead of slowing the load down.
//!
//! The last line printed is one JSON object: `rate`, `seconds`, `requests`, `ok` (200 with a
//! TwiML `<Response>`), `errors`, `p50_ms`, `p99_ms`, `max_ms`, `issued_per_s` (requests over
//! the time it took to issue them), `late_max_ms` (the furthest an issue fell behind schedule),
//! `stored` (reports in the database after the run), `with_incident`, `incidents`, `flagged`,
//! `sends` (0: nobody is alerted), `places`, `merge_m`, `backend`.

use std::time::{Duration, Instant};

use anyhow::Context;
use clap::{Args, ValueEnum};
use serde_json::json;
use sqlx::Row;

use super::figures::{ms, percentile_ms};
use super::harness::{numbers, signed_sms, Bench, DbArgs, SPOT};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Places {
    /// Each report at its own point, 550 m from the next: one incident each.
    Distinct,
    /// Every report at the same point: they join one incident.
    One,
}

#[derive(Debug, Args)]
pub struct IntakeArgs {
    /// Webhooks per second.
    #[arg(long, default_value_t = 500, value_parser = clap::value_parser!(u32).range(1..=10_000))]
    pub rate: u32,
    /// For how long.
    #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u32).range(1..=3_600))]
    pub seconds: u32,
    /// Where the sightings are.
    #[arg(long, value_enum, default_value_t = Places::Distinct)]
    pub places: Places,
    /// `dispatch.merge_m`: reports this close to an open incident join it (0: never). The
    /// default is the configuration's.
    #[arg(long)]
    pub merge_m: Option<f64>,
    #[command(flatten)]
    pub db: DbArgs,
}

pub fn run(args: IntakeArgs) -> anyhow::Result<()> {
    super::harness::block_on(intake(args))
}

async fn intake(args: IntakeArgs) -> anyhow::Result<()> {
    let total = args.rate.saturating_mul(args.seconds);
    let bench = Bench::start(&args.db, None, |s| {
        s.intake.max_reports_per_hour = total.saturating_mul(2).max(600);
        if let Some(m) = args.merge_m {
            s.dispatch.merge_m = m;
        }
    })
    .await?;
    let result = measure(&bench, &args).await;
    bench.stop().await;
    let result = result?;
    println!("{result}");
    Ok(())
}

/// One request's outcome: its response time, or what went wrong.
type Outcome = Result<Duration, String>;

async fn measure(bench: &Bench, args: &IntakeArgs) -> anyhow::Result<serde_json::Value> {
    let total = args.rate as usize * args.seconds as usize;
    let url = bench.sms_url();
    let senders = numbers(0, total)?;
    let requests: Vec<(String, String)> = senders
        .iter()
        .enumerate()
        .map(|(i, from)| {
            let (lat, lon) = place(args.places, i);
            signed_sms(&url, from, &format!("ICE at {lat:.5}, {lon:.5}"), i as u64 + 1)
        })
        .collect();
    // Open a few connections first, as a server that has been up a while has them.
    for _ in 0..4 {
        bench
            .http
            .get(format!("{}/healthz", bench.base))
            .send()
            .await
            .context("GET /healthz")?;
    }
    println!(
        "{} backend: {total} signed sightings ({:?} places), issuing {} per second",
        args.db.backend.name(),
        args.places,
        args.rate
    );

    let period = Duration::from_secs_f64(1.0 / f64::from(args.rate));
    let start = Instant::now() + Duration::from_millis(20);
    let mut late_max = Duration::ZERO;
    let mut tasks = Vec::with_capacity(total);
    for (i, (form, signature)) in requests.into_iter().enumerate() {
        let due = start + period.mul_f64(i as f64);
        tokio::time::sleep_until(due.into()).await;
        late_max = late_max.max(due.elapsed());
        let request = bench
            .http
            .post(&url)
            .header("content-type", "application/x-www-form-urlencoded")
            .header("x-twilio-signature", signature)
            .body(form);
        tasks.push(tokio::spawn(async move { issue(request, due).await }));
    }
    let issued = start.elapsed();
    let mut latencies = Vec::with_capacity(total);
    let mut errors: Vec<String> = Vec::new();
    for task in tasks {
        match task.await {
            Ok(Ok(d)) => latencies.push(d),
            Ok(Err(e)) => errors.push(e),
            Err(e) => errors.push(format!("task: {e}")),
        }
    }
    latencies.sort_unstable();
    if let Some(e) = errors.first() {
        eprintln!("{} errors, the first: {e}", errors.len());
    }

    let row = sqlx::query(
        "SELECT COUNT(*) AS n, COUNT(incident_id) AS located, COUNT(flagged) AS flagged FROM reports",
    )
    .fetch_one(bench.core()?.store.pool())
    .await?;
    let incidents = sqlx::query("SELECT COUNT(*) AS n FROM incidents")
        .fetch_one(bench.core()?.store.pool())
        .await?;
    let result = json!({
        "bench": "intake",
        "backend": args.db.backend.name(),
        "places": format!("{:?}", args.places).to_lowercase(),
        "merge_m": bench.core()?.settings.dispatch.merge_m,
        "rate": args.rate,
        "seconds": args.seconds,
        "requests": total,
        "ok": latencies.len(),
        "errors": errors.len(),
        "p50_ms": percentile_ms(&latencies, 0.50),
        "p99_ms": percentile_ms(&latencies, 0.99),
        "max_ms": percentile_ms(&latencies, 1.0),
        "issued_per_s": (total as f64 / issued.as_secs_f64()).round(),
        "late_max_ms": ms(late_max),
        "stored": row.try_get::<i64, _>("n")?,
        "with_incident": row.try_get::<i64, _>("located")?,
        "flagged": row.try_get::<i64, _>("flagged")?,
        "incidents": incidents.try_get::<i64, _>("n")?,
        "sends": bench.twilio.message_count(),
    });
    println!(
        "{} of {total} answered 200: p50 {} ms, p99 {} ms, max {} ms; {} errors",
        latencies.len(),
        result["p50_ms"],
        result["p99_ms"],
        result["max_ms"],
        errors.len()
    );
    Ok(result)
}

/// Report i's point: a grid of 0.005° × 0.006° (~550 m) from the south-west, 200 per row.
fn place(places: Places, i: usize) -> (f64, f64) {
    match places {
        Places::One => SPOT,
        Places::Distinct => (
            33.70 + (i / 200) as f64 * 0.005,
            -118.60 + (i % 200) as f64 * 0.006,
        ),
    }
}

async fn issue(request: reqwest::RequestBuilder, due: Instant) -> Outcome {
    let response = request.send().await.map_err(|e| format!("request: {e}"))?;
    let status = response.status();
    let body = response.text().await.map_err(|e| format!("body: {e}"))?;
    let took = due.elapsed();
    if status != reqwest::StatusCode::OK {
        return Err(format!("HTTP {status}"));
    }
    if !body.contains("<Response") {
        return Err("answer is not TwiML".into());
    }
    Ok(took)
}
