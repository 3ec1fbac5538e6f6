//! The command line, run as an operator would: volunteers, dashboard accounts and zones, also
//! while `tocsin serve` runs.

use std::time::Duration;

use serde_json::json;

use crate::binary::{call, start, tocsin, VOLUNTEER};
use crate::helpers::eventually;

#[test]
fn the_cli_adds_lists_and_removes_volunteers_and_refuses_bad_ones() {
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| tocsin(dir.path(), None, 1).args(args).output().unwrap();
    crate::binary_run::migrated(dir.path(), &[]);
    let added = run(&[
        "volunteer",
        "add",
        "--name",
        "Ann",
        "--phone",
        VOLUNTEER,
        "--lat",
        "34.06",
        "--lon",
        "-118.3",
        "--radius-m",
        "900",
        "--verifier",
        "--drill",
    ]);
    assert!(
        added.status.success(),
        "{}",
        String::from_utf8_lossy(&added.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&added.stdout).trim(), "added volunteer 1");
    let bad = run(&[
        "volunteer",
        "add",
        "--name",
        "Bo",
        "--phone",
        "12345",
        "--lat",
        "34.06",
        "--lon",
        "-118.3",
        "--radius-m",
        "900",
    ]);
    assert!(!bad.status.success());
    assert!(
        String::from_utf8_lossy(&bad.stderr).contains("--phone"),
        "{}",
        String::from_utf8_lossy(&bad.stderr)
    );
    let bad = run(&[
        "volunteer",
        "add",
        "--name",
        "Bo",
        "--phone",
        "+13235550183",
        "--lat",
        "34.06",
        "--lon",
        "-118.3",
        "--radius-m",
        "-5",
    ]);
    assert!(!bad.status.success());
    assert!(
        String::from_utf8_lossy(&bad.stderr).contains("radius_m"),
        "{}",
        String::from_utf8_lossy(&bad.stderr)
    );
    let listed = String::from_utf8_lossy(&run(&["volunteer", "list"]).stdout).to_string();
    assert!(
        listed.contains("Ann") && listed.contains("0182") && !listed.contains(VOLUNTEER),
        "{listed}"
    );
    assert!(listed.contains("\tdrill,verifier"), "{listed}");
    let roles = run(&["volunteer", "roles", "1", "--verifier"]);
    assert_eq!(
        String::from_utf8_lossy(&roles.stdout).trim(),
        "volunteer 1: roles verifier"
    );
    assert!(!run(&["volunteer", "roles", "99"]).status.success());
    assert!(run(&["volunteer", "remove", "1"]).status.success());
    assert!(!run(&["volunteer", "remove", "1"]).status.success());
    let listed = String::from_utf8_lossy(&run(&["volunteer", "list"]).stdout).to_string();
    assert!(!listed.contains("Ann"), "{listed}");
}

#[test]
fn the_cli_adds_dashboard_accounts_with_a_password_from_stdin() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    crate::binary_run::migrated(dir.path(), &[]);
    let add = |args: &[&str], password: &str| {
        let mut child = tocsin(dir.path(), None, 1)
            .args(args)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(format!("{password}\n").as_bytes())
            .unwrap();
        child.wait_with_output().unwrap()
    };
    let added = add(
        &["user", "add", "maria", "--role", "admin"],
        "correct horse battery",
    );
    assert!(
        added.status.success(),
        "{}",
        String::from_utf8_lossy(&added.stderr)
    );
    assert!(String::from_utf8_lossy(&added.stdout).contains("added admin maria"));
    let bad = add(&["user", "add", "jo", "--role", "boss"], "correct horse battery");
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--role"), "{bad:?}");
    let bad = add(&["user", "add", "jo"], "short");
    assert!(
        String::from_utf8_lossy(&bad.stderr).contains("password"),
        "{bad:?}"
    );
    let bad = add(&["user", "add", "maria"], "correct horse battery");
    assert!(!bad.status.success(), "the name is taken");
    let run = |args: &[&str]| tocsin(dir.path(), None, 1).args(args).output().unwrap();
    let listed = String::from_utf8_lossy(&run(&["user", "list"]).stdout).to_string();
    assert!(
        listed.contains("maria\tadmin") && !listed.contains("jo"),
        "{listed}"
    );
    assert!(run(&["user", "remove", "maria"]).status.success());
    assert!(!run(&["user", "remove", "maria"]).status.success());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn zones_imported_with_the_cli_reach_the_running_server_without_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), None).await;
    let example = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/zones-los-angeles.geojson");
    let out = tocsin(dir.path(), None, 1)
        .args(["zones", "import", example])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "imported 6 zones");
    let bad = dir.path().join("bad.geojson");
    std::fs::write(&bad, r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"X"},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1]]]}}]}"#).unwrap();
    let out = tocsin(dir.path(), None, 1)
        .args(["zones", "import"])
        .arg(&bad)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("feature 0"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let http = reqwest::Client::new();
    let api = format!("{}/api/v1", server.base);
    let seen = eventually(Duration::from_secs(10), || async {
        let v = call(
            &http,
            reqwest::Method::POST,
            format!("{api}/volunteers"),
            json!({
                "name": "Ana", "phone": VOLUNTEER, "area": {"type": "zone", "zone": "Ktown"}
            }),
        )
        .await;
        v["id"].is_i64()
    })
    .await;
    assert!(seen, "the running server knows the zones the CLI imported");
    let listed = tocsin(dir.path(), None, 1)
        .args(["zones", "list"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&listed.stdout).contains("Koreatown\tK-town"));
}

/// Run from a folder without a database, a command refuses rather than make a new, empty one
/// (with a new key) there, names the database and key it looked for and how to point at the
/// right ones; `--data-dir` (or `TOCSIN_DATA_DIR`) finds them from anywhere, and every command
/// says on stderr which database it opened.
#[test]
fn a_command_in_an_empty_folder_refuses_to_create_a_database() {
    let home = tempfile::tempdir().unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    // The default configuration: a relative SQLite file and key file.
    let run = |cwd: &std::path::Path, args: &[&str], data_dir: Option<&std::path::Path>| {
        let mut cmd = tocsin(cwd, None, 1);
        cmd.env_remove("TOCSIN_DATABASE__URL")
            .env_remove("TOCSIN_CRYPTO__KEY_FILE")
            .args(args)
            .stdin(std::process::Stdio::null());
        if let Some(dir) = data_dir {
            cmd.env("TOCSIN_DATA_DIR", dir);
        }
        let out = cmd.output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr).to_string();
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).to_string(),
            err,
        )
    };
    let (ok, _, err) = run(elsewhere.path(), &["user", "list"], None);
    assert!(!ok, "refused");
    let db = elsewhere.path().join("tocsin.db");
    assert!(
        err.contains(&format!("no database file at {}", db.display())),
        "{err}"
    );
    assert!(err.contains("key: ") && err.contains("tocsin.key"), "{err}");
    assert!(
        err.contains("--data-dir") && err.contains("tocsin migrate"),
        "{err}"
    );
    let left: Vec<_> = std::fs::read_dir(elsewhere.path()).unwrap().collect();
    assert!(left.is_empty(), "nothing created: {left:?}");

    // The real one, made by migrate in its own folder, found from elsewhere with --data-dir.
    let (ok, _, err) = run(home.path(), &["migrate"], None);
    assert!(ok, "{err}");
    assert!(err.contains("tocsin: database sqlite://tocsin.db"), "{err}");
    let (ok, out, err) = run(
        elsewhere.path(),
        &[
            "volunteer",
            "add",
            "--name",
            "Ann",
            "--phone",
            VOLUNTEER,
            "--lat",
            "34.06",
            "--lon",
            "-118.3",
            "--radius-m",
            "900",
        ],
        Some(home.path()),
    );
    assert!(ok, "{err}");
    assert!(out.contains("added volunteer"), "{out}");
    let shown = format!(
        "tocsin: database sqlite://{}",
        home.path().join("tocsin.db").display()
    );
    assert!(err.contains(&shown), "{err}");
    let (ok, out, _) = run(home.path(), &["volunteer", "list"], None);
    assert!(ok && out.contains("Ann"), "the same database: {out}");
    assert!(
        std::fs::read_dir(elsewhere.path()).unwrap().next().is_none(),
        "still nothing elsewhere"
    );

    // An empty file where the database should be is not tocsin's either.
    std::fs::write(elsewhere.path().join("tocsin.db"), b"").unwrap();
    std::fs::write(elsewhere.path().join("tocsin.key"), b"").unwrap();
    let (ok, _, err) = run(elsewhere.path(), &["zones", "list"], None);
    assert!(!ok && err.contains("is not a tocsin database"), "{err}");
}
