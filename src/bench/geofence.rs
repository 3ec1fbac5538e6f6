//! `tocsin bench geofence`: how fast the geofence index answers "which areas contain this
//! point?", on the data of `bench/postgis/gen_data.py` (see docs/benchmarks.md).
//!
//! The areas are read in batches and streamed into an `AreaIndexBuilder`, as a server loading
//! them from its database would, so they never all exist as `Area`s; the builder's time alone
//! is `build_ms`. Then every point is queried once, on each of `--threads` threads (points
//! dealt round-robin, as the PostGIS script deals them to its connections), each thread timing
//! its own queries, after 200 untimed warm-up queries; `--passes N` goes over the points N
//! times (the totals and figures then cover N times as many queries). The queries go through
//! `AreaIndex::matching`, the call the dispatcher makes, result vector included.
//!
//! The last line printed is one JSON object: `threads`, `qps` (all queries / wall time from the
//! common start to the last thread's end), `p50_us`, `p99_us`, `max_us`, `matches_total` (ids
//! summed over all points), `build_ms`, `load_ms` (reading and parsing both files), `rss_mb`
//! (VmRSS after the run: the index, the points and the runtime), `hwm_mb` (VmHWM, the peak,
//! reached while the builder reorders its staged copy), `areas`, `points`, `passes`. Megabytes are 10^6
//! bytes. The lines before it say the same for people.

mod input;

use std::path::{Path, PathBuf};
use std::sync::Barrier;
use std::time::{Duration, Instant};

use anyhow::bail;
use clap::Args;
use serde_json::json;

use super::figures::proc_status_mb;
use crate::geo::{Area, AreaIndex, AreaIndexBuilder};
pub use input::{for_each_area, read_areas, read_points, QueryPoint};

/// Queries run before timing starts, so the first timed ones don't pay for page faults.
const WARM_UP: usize = 200;

#[derive(Debug, Args)]
pub struct GeofenceArgs {
    /// Areas, one GeoJSON Feature per line (Point + properties.radius_m for a circle, or Polygon).
    #[arg(long)]
    pub areas: PathBuf,
    /// Query points: a CSV file with the header id,lon,lat.
    #[arg(long)]
    pub points: PathBuf,
    /// Threads querying at once; the points are dealt among them.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u16).range(1..=256))]
    pub threads: u16,
    /// Query every point this many times (a longer measurement for fast data sets).
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..))]
    pub passes: u32,
}

/// What one thread measured.
struct Run {
    start: Instant,
    end: Instant,
    latencies: Vec<Duration>,
    matches: u64,
}

pub fn run(args: GeofenceArgs) -> anyhow::Result<()> {
    let started = Instant::now();
    let (index, n_areas, build) = load_and_build(&args.areas)?;
    let points = read_points(&args.points)?;
    if points.is_empty() {
        bail!("{}: no points", args.points.display());
    }
    let load = started.elapsed() - build;
    println!(
        "read {n_areas} areas and {} points in {load:.2?}; indexed {} ids in {build:.2?}",
        points.len(),
        index.len()
    );

    for p in points.iter().take(WARM_UP) {
        std::hint::black_box(index.matching(p.lat, p.lon));
    }
    let threads = usize::from(args.threads);
    let runs = query_all(&index, &points, threads, args.passes as usize);
    let wall = runs.iter().map(|r| r.end).max().unwrap_or(started)
        - runs.iter().map(|r| r.start).min().unwrap_or(started);
    let mut latencies: Vec<Duration> = runs.iter().flat_map(|r| r.latencies.iter().copied()).collect();
    latencies.sort_unstable();
    let matches_total: u64 = runs.iter().map(|r| r.matches).sum();
    let qps = latencies.len() as f64 / wall.as_secs_f64();
    let (rss_mb, hwm_mb) = (proc_status_mb("VmRSS")?, proc_status_mb("VmHWM")?);

    let pct = |p: f64| {
        let i = ((p * latencies.len() as f64) as usize).min(latencies.len() - 1);
        round1(latencies[i].as_secs_f64() * 1e6)
    };
    let result = json!({
        "threads": threads,
        "qps": round1(qps),
        "p50_us": pct(0.50),
        "p99_us": pct(0.99),
        "max_us": pct(1.0),
        "matches_total": matches_total,
        "build_ms": round1(build.as_secs_f64() * 1e3),
        "load_ms": round1(load.as_secs_f64() * 1e3),
        "rss_mb": rss_mb,
        "hwm_mb": hwm_mb,
        "areas": n_areas,
        "points": points.len(),
        "passes": args.passes,
    });
    println!(
        "{threads} thread(s): {qps:.0} queries/s, p50 {} us, p99 {} us, {matches_total} matches \
         ({:.1} per point), RSS {rss_mb} MB, peak {hwm_mb} MB",
        result["p50_us"],
        result["p99_us"],
        matches_total as f64 / latencies.len() as f64
    );
    println!("{result}");
    Ok(())
}

/// Streams the areas into an `AreaIndexBuilder` in batches (so they never all exist as
/// `Area`s, as a server loading them from its database would), timing only the builder.
fn load_and_build(path: &Path) -> anyhow::Result<(AreaIndex, usize, Duration)> {
    const BATCH: usize = 4096;
    let mut builder = AreaIndexBuilder::new();
    let (mut batch, mut n, mut build) = (Vec::with_capacity(BATCH), 0, Duration::ZERO);
    let mut flush = |batch: &mut Vec<(i64, Area)>, build: &mut Duration| {
        let t = Instant::now();
        for (id, area) in batch.drain(..) {
            builder.add(id, &area);
        }
        *build += t.elapsed();
    };
    for_each_area(path, |id, area| {
        batch.push((id, area));
        n += 1;
        if batch.len() == BATCH {
            flush(&mut batch, &mut build);
        }
    })?;
    flush(&mut batch, &mut build);
    let t = Instant::now();
    let index = builder.finish();
    Ok((index, n, build + t.elapsed()))
}

/// Every point queried `passes` times; thread `t` takes points `t, t + threads, ...`.
fn query_all(index: &AreaIndex, points: &[QueryPoint], threads: usize, passes: usize) -> Vec<Run> {
    let barrier = Barrier::new(threads);
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let barrier = &barrier;
                s.spawn(move || {
                    let mine: Vec<QueryPoint> = points.iter().skip(t).step_by(threads).copied().collect();
                    let mut latencies = Vec::with_capacity(mine.len() * passes);
                    let mut matches = 0u64;
                    barrier.wait();
                    let start = Instant::now();
                    for p in mine.iter().cycle().take(mine.len() * passes) {
                        let q = Instant::now();
                        let ids = index.matching(p.lat, p.lon);
                        latencies.push(q.elapsed());
                        matches += ids.len() as u64;
                    }
                    let end = Instant::now();
                    Run {
                        start,
                        end,
                        latencies,
                        matches,
                    }
                })
            })
            .collect();
        // A query thread can only fail by panicking; pass the panic on rather than hide it.
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    })
}

/// A `kB` line of /proc/self/status, in 10^6 bytes with one decimal.
fn round1(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}
