//! `tocsin bench login`: a burst of `--parallel` wrong logins at once, each from an address
//! and for a name of its own (as a botnet guessing would, so that neither the per-account
//! lock nor the per-address slowdown holds it back), while another account logs in with the
//! right password, retrying every 200 ms when told to (429).
//!
//! The same in-process server as `bench fanout`, with `http.trusted_proxy_header` set so that
//! each request's `X-Forwarded-For` is its address. Resident memory is this process's (the
//! server and the client that attacks it): before the burst (after one login, so that Argon2
//! and the pools are warm), its highest during the burst (sampled every 5 ms), and after.
//!
//! The last line printed is one JSON object: `parallel`, `wrong` (answered 401), `busy` (429:
//! turned away at once or after a short wait), `other` (anything else: should be 0),
//! `burst_ms` (until every wrong login was answered), `correct_login_ms` and
//! `correct_login_tries`, `rss_before_mb`, `rss_peak_mb`, `rss_after_mb`, `rss_growth_mb`
//! (peak less before), `checks_at_once`, `backend`.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use clap::Args;
use serde_json::json;

use super::figures::{ms, proc_status_mb};
use super::harness::{Bench, DbArgs};
use crate::domain::Role;

const RIGHT: &str = "correct horse battery staple";

#[derive(Debug, Args)]
pub struct LoginArgs {
    /// Wrong logins sent at the same moment.
    #[arg(long, default_value_t = 120, value_parser = clap::value_parser!(u32).range(1..=5_000))]
    pub parallel: u32,
    #[command(flatten)]
    pub db: DbArgs,
}

pub fn run(args: LoginArgs) -> anyhow::Result<()> {
    super::harness::block_on(login(args))
}

async fn login(args: LoginArgs) -> anyhow::Result<()> {
    let bench = Bench::start(&args.db, None, |s| {
        s.http.trusted_proxy_header = Some("X-Forwarded-For".into());
    })
    .await?;
    let result = measure(&bench, &args).await;
    bench.stop().await;
    let result = result?;
    println!("{result}");
    Ok(())
}

/// The login form's CSRF token (the server signs it; any number of posts may carry it).
async fn csrf(http: &reqwest::Client, base: &str) -> anyhow::Result<String> {
    let html = http.get(format!("{base}/login")).send().await?.text().await?;
    let marker = "name=\"csrf\" value=\"";
    let start = html.find(marker).context("no csrf field in the login form")? + marker.len();
    Ok(html[start..].split('"').next().unwrap_or("").to_string())
}

async fn post(http: &reqwest::Client, base: &str, csrf: &str, from: &str, name: &str, password: &str) -> u16 {
    let sent = http
        .post(format!("{base}/login"))
        .header("x-forwarded-for", from)
        .form(&[("csrf", csrf), ("username", name), ("password", password)])
        .send()
        .await;
    sent.map(|r| r.status().as_u16()).unwrap_or(0)
}

async fn measure(bench: &Bench, args: &LoginArgs) -> anyhow::Result<serde_json::Value> {
    let core = bench.core()?;
    crate::accounts::add_user(core, "ana", Role::Dispatcher, RIGHT).await?;
    crate::accounts::add_user(core, "ben", Role::Dispatcher, RIGHT).await?;
    let http = reqwest::Client::builder()
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .build()?;
    let base = bench.base.clone();
    let token = csrf(&http, &base).await?;
    // Warm up: one good login, one wrong one.
    if post(&http, &base, &token, "192.0.2.1", "ana", RIGHT).await != 303 {
        bail!("the warm-up login failed");
    }
    post(&http, &base, &token, "192.0.2.1", "ana", "wrong password!").await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    let rss_before = proc_status_mb("VmRSS")?;
    println!(
        "{} backend: {} wrong logins at once, and ben's right one",
        args.db.backend.name(),
        args.parallel
    );

    let peak = Arc::new(AtomicU64::new(0));
    let sampling = Arc::new(std::sync::atomic::AtomicBool::new(true));
    let sampler = {
        let (peak, sampling) = (peak.clone(), sampling.clone());
        tokio::spawn(async move {
            while sampling.load(Ordering::Relaxed) {
                if let Ok(mb) = proc_status_mb("VmRSS") {
                    peak.fetch_max((mb * 10.0) as u64, Ordering::Relaxed);
                }
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
        })
    };

    let started = Instant::now();
    let mut burst = Vec::with_capacity(args.parallel as usize);
    for i in 0..args.parallel {
        let (http, base, token) = (http.clone(), base.clone(), token.clone());
        let from = format!("10.{}.{}.{}", (i >> 16) & 255, (i >> 8) & 255, i & 255);
        burst.push(tokio::spawn(async move {
            post(
                &http,
                &base,
                &token,
                &from,
                &format!("guess{i}"),
                "wrong password!",
            )
            .await
        }));
    }
    let mut tries = 0u32;
    let correct = loop {
        tries += 1;
        let status = post(&http, &base, &token, "198.51.100.7", "ben", RIGHT).await;
        if status == 303 {
            break Some(started.elapsed());
        }
        if status != 429 || started.elapsed() > Duration::from_secs(30) {
            break None;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    let (mut wrong, mut busy, mut other) = (0, 0, 0);
    for task in burst {
        match task.await.unwrap_or(0) {
            401 => wrong += 1,
            429 => busy += 1,
            _ => other += 1,
        }
    }
    let burst_ms = ms(started.elapsed());
    sampling.store(false, Ordering::Relaxed);
    let _ = sampler.await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    let rss_after = proc_status_mb("VmRSS")?;
    let rss_peak = (peak.load(Ordering::Relaxed) as f64 / 10.0).max(rss_before);
    Ok(json!({
        "bench": "login",
        "backend": args.db.backend.name(),
        "parallel": args.parallel,
        "wrong": wrong,
        "busy": busy,
        "other": other,
        "burst_ms": burst_ms,
        "correct_login_ms": correct.map(ms),
        "correct_login_tries": tries,
        "rss_before_mb": rss_before,
        "rss_peak_mb": rss_peak,
        "rss_after_mb": rss_after,
        "rss_growth_mb": ((rss_peak - rss_before) * 10.0).round() / 10.0,
        "checks_at_once": crate::login::CHECKS_AT_ONCE,
    }))
}
