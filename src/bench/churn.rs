//! `tocsin bench churn`: the geofence index kept current while it answers lookups. N home
//! areas from the data of `bench/postgis/gen_data.py` (the geofence bench's) are indexed;
//! readers then query every point over and over, first alone, then while a writer applies
//! volunteer changes at `--rate` per second through `LiveIndex::apply`, the call every
//! instance makes for each change it reads from the store (`Core::refresh_index`).
//!
//! Changes are drawn with a fixed seed: half move a volunteer onto another area of the file,
//! a quarter pause one (no area), a quarter resume a paused one (or add a new id). A change
//! is visible once `apply` returns (the next lookup sees it); the writer checks so with a
//! lookup at the new circle's centre. Background repacks happen as they would in a server.
//!
//! The last line printed is one JSON object: `areas`, `readers`, `rate` (asked),
//! `changes_per_s` (applied), `changes`, `visible_p50_ms`, `visible_p99_ms`,
//! `visible_max_ms` (from the start of `apply` to the change visible to lookups),
//! `lookup_p50_us`, `lookup_p99_us` during churn and `quiet_p50_us`, `quiet_p99_us` without,
//! `repacks`, `build_ms`, `rss_mb`, `hwm_mb`.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use anyhow::bail;
use clap::Args;
use serde_json::json;

use super::figures::{percentile_ms, proc_status_mb};
use super::geofence::{for_each_area, read_points, QueryPoint};
use crate::geo::{Area, AreaIndex, LiveIndex};

#[derive(Debug, Args)]
pub struct ChurnArgs {
    /// Areas, one GeoJSON Feature per line (`gen_data.py`; the geofence bench's file).
    #[arg(long)]
    pub areas_file: PathBuf,
    /// Query points: a CSV file with the header id,lon,lat.
    #[arg(long)]
    pub points: PathBuf,
    /// Index only the first N areas of the file.
    #[arg(long, default_value_t = 1_000_000)]
    pub areas: usize,
    /// Changes applied per second (steadily); 0: as fast as they go.
    #[arg(long, default_value_t = 100)]
    pub rate: u32,
    /// Seconds of lookups alone, then as many with changes.
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub seconds: u64,
    /// Threads running lookups.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u16).range(1..=64))]
    pub readers: u16,
}

/// Same generator as the index's tests (PCG constants): the changes reproduce.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 11) % n.max(1) as u64) as usize
    }
}

pub fn run(args: ChurnArgs) -> anyhow::Result<()> {
    let mut areas: Vec<(i64, Area)> = Vec::new();
    for_each_area(&args.areas_file, |id, area| {
        if areas.len() < args.areas {
            areas.push((id, area));
        }
    })?;
    let points = read_points(&args.points)?;
    if areas.is_empty() || points.is_empty() {
        bail!("no areas or no points");
    }
    let started = Instant::now();
    let index = LiveIndex::new();
    index.replace_all(AreaIndex::build(areas.iter().cloned()));
    let build = started.elapsed();
    println!("indexed {} areas in {build:.2?}", areas.len());

    let period = Duration::from_secs(args.seconds);
    let readers = usize::from(args.readers);
    let quiet = lookups(&index, &points, readers, period, None);
    let stop = AtomicBool::new(false);
    let (churn, writer) = std::thread::scope(|s| {
        let writer = s.spawn(|| write(&index, &areas, args.rate, period, &stop));
        let churn = lookups(&index, &points, readers, period, Some(&stop));
        let writer = writer.join().unwrap_or_else(|e| std::panic::resume_unwind(e));
        (churn, writer)
    });
    let (mut visible, wall, missed) = writer;
    if missed > 0 {
        bail!("{missed} changes were not visible after apply returned");
    }
    visible.sort_unstable();
    let us = |sorted: &[Duration], p: f64| {
        let i = ((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len().max(1)) - 1;
        sorted
            .get(i)
            .map_or(0.0, |d| (d.as_secs_f64() * 1e7).round() / 10.0)
    };
    let result = json!({
        "areas": areas.len(),
        "readers": readers,
        "rate": args.rate,
        "changes": visible.len(),
        "changes_per_s": (visible.len() as f64 / wall.as_secs_f64()).round(),
        "visible_p50_ms": percentile_ms(&visible, 0.50),
        "visible_p99_ms": percentile_ms(&visible, 0.99),
        "visible_max_ms": percentile_ms(&visible, 1.0),
        "lookup_p50_us": us(&churn, 0.50),
        "lookup_p99_us": us(&churn, 0.99),
        "quiet_p50_us": us(&quiet, 0.50),
        "quiet_p99_us": us(&quiet, 0.99),
        "lookups_churn": churn.len(),
        "lookups_quiet": quiet.len(),
        "repacks": index.repacks(),
        "build_ms": super::figures::ms(build),
        "rss_mb": proc_status_mb("VmRSS")?,
        "hwm_mb": proc_status_mb("VmHWM")?,
    });
    println!(
        "{} changes at {}/s: visible p50 {} ms, p99 {} ms; lookups p50/p99 {}/{} us during, {}/{} us without; {} repacks",
        result["changes"],
        result["changes_per_s"],
        result["visible_p50_ms"],
        result["visible_p99_ms"],
        result["lookup_p50_us"],
        result["lookup_p99_us"],
        result["quiet_p50_us"],
        result["quiet_p99_us"],
        result["repacks"],
    );
    println!("{result}");
    Ok(())
}

/// Lookups on `readers` threads for `period` (or until `stop`), each timed; sorted.
fn lookups(
    index: &LiveIndex,
    points: &[QueryPoint],
    readers: usize,
    period: Duration,
    stop: Option<&AtomicBool>,
) -> Vec<Duration> {
    let mut all: Vec<Duration> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..readers)
            .map(|t| {
                s.spawn(move || {
                    let end = Instant::now() + period;
                    let mut times = Vec::new();
                    for p in points.iter().skip(t).step_by(readers).cycle() {
                        if Instant::now() >= end || stop.is_some_and(|s| s.load(Ordering::Relaxed)) {
                            break;
                        }
                        let q = Instant::now();
                        std::hint::black_box(index.matching(p.lat, p.lon));
                        times.push(q.elapsed());
                    }
                    times
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    });
    all.sort_unstable();
    all
}

/// Applies changes at `rate` per second for `period`, then sets `stop`: each change's time to
/// visible, the wall time, and how many a lookup right after did not see.
fn write(
    index: &std::sync::Arc<LiveIndex>,
    areas: &[(i64, Area)],
    rate: u32,
    period: Duration,
    stop: &AtomicBool,
) -> (Vec<Duration>, Duration, usize) {
    let mut rng = Lcg(42);
    let mut paused: Vec<(i64, Area)> = Vec::new();
    let mut next_id = areas.iter().map(|(id, _)| *id).max().unwrap_or(0) + 1;
    let (mut visible, mut missed) = (Vec::new(), 0);
    let start = Instant::now();
    let tick = (rate > 0).then(|| Duration::from_secs_f64(1.0 / f64::from(rate)));
    while start.elapsed() < period {
        if let Some(tick) = tick {
            let due = start + tick * visible.len() as u32;
            if let Some(wait) = due.checked_duration_since(Instant::now()) {
                std::thread::sleep(wait);
            }
        }
        let (id, area) = match rng.below(4) {
            0 => {
                let (id, was) = areas[rng.below(areas.len())].clone();
                paused.push((id, was));
                (id, None)
            }
            1 => match paused.pop() {
                Some((id, area)) => (id, Some(area)),
                None => {
                    next_id += 1;
                    (next_id, Some(areas[rng.below(areas.len())].1.clone()))
                }
            },
            _ => (
                areas[rng.below(areas.len())].0,
                Some(areas[rng.below(areas.len())].1.clone()),
            ),
        };
        let t = Instant::now();
        index.apply([(id, area.iter().cloned().collect())]);
        let seen = match &area {
            Some(Area::Circle { lat, lon, .. }) => index.matching(*lat, *lon).binary_search(&id).is_ok(),
            _ => true,
        };
        visible.push(t.elapsed());
        missed += usize::from(!seen);
    }
    stop.store(true, Ordering::Relaxed);
    (visible, start.elapsed(), missed)
}
