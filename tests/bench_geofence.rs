//! `tocsin bench geofence` run as an operator would, on a tiny generated data set (not timed):
//! its last line is one JSON object with the documented keys, and its match total is what a
//! brute-force scan over `Area::contains` gives. A bad input line is refused by number.

use std::path::Path;
use std::process::Command;

use serde_json::{json, Value};
use tocsin::geo::Area;

/// Tiny deterministic generator (PCG constants), so failures reproduce.
struct Lcg(u64);

impl Lcg {
    fn unit(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
    fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.unit()
    }
}

/// 200 areas (70 % circles, 30 % star-shaped polygons) and 50 points in a ~5 km box, some of
/// the points exactly on a polygon vertex or a circle centre.
fn write_data(dir: &Path) -> (Vec<Area>, Vec<(f64, f64)>) {
    let mut rng = Lcg(2024);
    let (mut lines, mut areas, mut points) = (String::new(), Vec::new(), Vec::new());
    for id in 1..=200 {
        let (lat, lon) = (rng.range(52.50, 52.54), rng.range(13.37, 13.43));
        let (geometry, properties) = if rng.unit() < 0.7 {
            let radius_m = (rng.range(100.0, 1500.0) * 10.0).round() / 10.0;
            areas.push(Area::Circle { lat, lon, radius_m });
            (
                json!({"type": "Point", "coordinates": [lon, lat]}),
                json!({"kind": "circle", "radius_m": radius_m}),
            )
        } else {
            let n = 8 + (rng.unit() * 12.0) as usize;
            let mut ring: Vec<[f64; 2]> = (0..n)
                .map(|k| {
                    let t = (k as f64 + rng.range(0.1, 0.9)) * std::f64::consts::TAU / n as f64;
                    let r = rng.range(0.002, 0.01);
                    [lon + r * t.cos(), lat + r * t.sin()]
                })
                .collect();
            ring.push(ring[0]);
            if points.len() < 10 {
                points.push((ring[1][1], ring[1][0]));
            }
            let area = Area::from_json(&json!({"type": "Polygon", "coordinates": [ring]}));
            areas.push(area.expect("a star-shaped ring is a valid polygon"));
            (
                json!({"type": "Polygon", "coordinates": [ring]}),
                json!({"kind": "polygon"}),
            )
        };
        let feature = json!({"type": "Feature", "id": id, "properties": properties, "geometry": geometry});
        lines.push_str(&format!("{feature}\n"));
    }
    if let Some(Area::Circle { lat, lon, .. }) = areas.first() {
        points.push((*lat, *lon));
    }
    while points.len() < 50 {
        points.push((rng.range(52.49, 52.55), rng.range(13.36, 13.44)));
    }
    let csv: String = std::iter::once("id,lon,lat\n".to_string())
        .chain(
            (1..)
                .zip(&points)
                .map(|(i, (lat, lon))| format!("{i},{lon},{lat}\n")),
        )
        .collect();
    std::fs::write(dir.join("areas.geojsonl"), lines).expect("write areas");
    std::fs::write(dir.join("points.csv"), csv).expect("write points");
    (areas, points)
}

fn bench(dir: &Path, areas: &str, threads: &str) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_tocsin"))
        .current_dir(dir)
        .env_clear()
        .args(["bench", "geofence", "--areas", areas, "--points", "points.csv"])
        .args(["--threads", threads])
        .output()
        .expect("run tocsin")
}

#[test]
fn bench_geofence_prints_one_json_line_with_the_brute_force_total() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (areas, points) = write_data(dir.path());
    let expected: usize = points
        .iter()
        .map(|&(lat, lon)| areas.iter().filter(|a| a.contains(lat, lon)).count())
        .sum();
    assert!(
        expected > 50,
        "the data should give plenty of matches, gave {expected}"
    );
    for threads in ["1", "2"] {
        let out = bench(dir.path(), "areas.geojsonl", threads);
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "{stdout}\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let last = stdout.lines().last().expect("some output");
        let result: Value = serde_json::from_str(last).expect("the last line is JSON");
        for key in [
            "threads",
            "qps",
            "p50_us",
            "p99_us",
            "matches_total",
            "build_ms",
            "rss_mb",
        ] {
            assert!(result[key].is_number(), "{key} missing in {last}");
        }
        assert_eq!(result["matches_total"], json!(expected), "{last}");
        assert_eq!(result["threads"].to_string(), threads);
        assert_eq!(result["points"], json!(50));
        assert_eq!(result["areas"], json!(200));
    }
}

#[test]
fn bench_geofence_names_the_bad_line() {
    let dir = tempfile::tempdir().expect("temp dir");
    write_data(dir.path());
    let good = std::fs::read_to_string(dir.path().join("areas.geojsonl")).expect("read");
    let mut lines: Vec<&str> = good.lines().take(5).collect();
    lines[2] = r#"{"type":"Feature","id":3,"properties":{"kind":"circle"},"geometry":{"type":"Point","coordinates":[13.4,52.5]}}"#;
    std::fs::write(dir.path().join("bad.geojsonl"), lines.join("\n")).expect("write");
    let out = bench(dir.path(), "bad.geojsonl", "1");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(stderr.contains("bad.geojsonl:3"), "{stderr}");
    assert!(stderr.contains("radius_m"), "{stderr}");
}
