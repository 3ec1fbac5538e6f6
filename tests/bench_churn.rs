//! `tocsin bench churn` run as an operator would, on a tiny data set (not timed): its last
//! line is one JSON object with the documented keys, changes were applied, and every one was
//! visible to a lookup right after.

use std::process::Command;

use serde_json::Value;

#[test]
fn churn_bench_reports_its_figures() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (mut areas, mut points) = (String::new(), String::from("id,lon,lat\n"));
    for i in 0..300 {
        let (lat, lon) = (52.50 + 0.0001 * f64::from(i), 13.37 + 0.0002 * f64::from(i % 17));
        areas.push_str(&format!(
            "{{\"type\":\"Feature\",\"id\":{},\"properties\":{{\"kind\":\"circle\",\"radius_m\":800.0}},\
             \"geometry\":{{\"type\":\"Point\",\"coordinates\":[{lon},{lat}]}}}}\n",
            i + 1
        ));
        if i % 10 == 0 {
            points.push_str(&format!("{},{lon},{lat}\n", i + 1));
        }
    }
    let (areas_file, points_file) = (dir.path().join("areas.geojsonl"), dir.path().join("points.csv"));
    std::fs::write(&areas_file, areas).expect("write areas");
    std::fs::write(&points_file, points).expect("write points");
    let out = Command::new(env!("CARGO_BIN_EXE_tocsin"))
        .args([
            "bench",
            "churn",
            "--areas",
            "200",
            "--rate",
            "200",
            "--seconds",
            "1",
        ])
        .arg("--areas-file")
        .arg(&areas_file)
        .arg("--points")
        .arg(&points_file)
        .output()
        .expect("tocsin runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let last: Value = serde_json::from_str(stdout.lines().last().unwrap_or("")).expect("JSON last line");
    assert_eq!(last["areas"], 200);
    assert!(last["changes"].as_u64().unwrap_or(0) > 50, "{last}");
    for key in [
        "changes_per_s",
        "visible_p50_ms",
        "visible_p99_ms",
        "lookup_p50_us",
        "lookup_p99_us",
        "quiet_p50_us",
        "quiet_p99_us",
        "repacks",
        "build_ms",
    ] {
        assert!(last[key].is_number(), "{key} in {last}");
    }
}
