//! `tocsin token add|list|revoke` through the real binary, also while `tocsin serve` runs: the
//! token is printed once (last line), only its hash reaches the database files, and revoking
//! it makes the running server refuse it at once.

use serde_json::{json, Value};

use crate::binary::{start, tocsin};

fn out(o: &std::process::Output) -> (String, String) {
    (
        String::from_utf8_lossy(&o.stdout).to_string(),
        String::from_utf8_lossy(&o.stderr).to_string(),
    )
}

/// Whether any file of the database (the file, its WAL, its shared memory) holds `needle`.
fn in_database_files(dir: &std::path::Path, needle: &str) -> bool {
    std::fs::read_dir(dir)
        .expect("dir")
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().starts_with("tocsin.db"))
        .any(|e| {
            let bytes = std::fs::read(e.path()).unwrap_or_default();
            bytes.windows(needle.len()).any(|w| w == needle.as_bytes())
        })
}

async fn answer(req: reqwest::RequestBuilder) -> (u16, Value) {
    let resp = req.send().await.expect("answered");
    let status = resp.status().as_u16();
    (status, resp.json().await.unwrap_or(Value::Null))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_made_at_the_command_line_is_shown_once_stored_hashed_and_revoked_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| tocsin(dir.path(), None, 1).args(args).output().unwrap();
    crate::binary_run::migrated(dir.path(), &[]);

    let added = run(&["token", "add", "ci-bot", "--scope", "dispatch"]);
    let (stdout, stderr) = out(&added);
    assert!(added.status.success(), "{stderr}");
    let token = stdout.lines().last().unwrap_or("").to_string();
    assert!(
        token.starts_with("tocsin_") && token.len() == 50,
        "last line is the token: {stdout}"
    );
    assert_eq!(stdout.matches(&token).count(), 1, "printed once: {stdout}");
    assert!(!stderr.contains(&token), "not in the log: {stderr}");

    // Refusals name the argument.
    let (_, stderr) = out(&run(&["token", "add", "ci-bot", "--scope", "read"]));
    assert!(
        stderr.contains("NAME") && stderr.contains("already exists"),
        "{stderr}"
    );
    let (_, stderr) = out(&run(&["token", "add", "other", "--scope", "root"]));
    assert!(
        stderr.contains("--scope") && stderr.contains("read, dispatch, admin"),
        "{stderr}"
    );
    let (_, stderr) = out(&run(&["token", "add", "two words", "--scope", "read"]));
    assert!(stderr.contains("NAME"), "{stderr}");
    let (_, stderr) = out(&run(&["token", "add", "noscope"]));
    assert!(stderr.contains("--scope"), "{stderr}");

    let (listed, _) = out(&run(&["token", "list"]));
    assert!(
        listed.starts_with("ci-bot\tdispatch\tcreated ") && listed.contains("\tlast used never\tlive"),
        "{listed}"
    );
    assert!(!listed.contains(&token) && !listed.contains("other"), "{listed}");

    // Only the hash is in the database files; the token is nowhere in them.
    assert!(in_database_files(
        dir.path(),
        &tocsin::accounts::token_hash(&token)
    ));
    assert!(!in_database_files(dir.path(), &token));

    let server = start(dir.path(), None).await;
    let http = reqwest::Client::new();
    let api = format!("{}/api/v1", server.base);
    let (status, list) = answer(http.get(format!("{api}/volunteers")).bearer_auth(&token)).await;
    assert_eq!((status, list["volunteers"].is_array()), (200, true), "{list}");
    let body = json!({"name": "Ann", "phone": "+13235550182",
                      "area": {"type": "circle", "lat": 34.06, "lon": -118.3, "radius_m": 900}});
    let (status, refused) = answer(
        http.post(format!("{api}/volunteers"))
            .bearer_auth(&token)
            .json(&body),
    )
    .await;
    assert_eq!(
        (status, refused["scope_needed"].as_str()),
        (403, Some("admin")),
        "{refused}"
    );

    let revoked = run(&["token", "revoke", "ci-bot"]);
    assert_eq!(out(&revoked).0.trim(), "revoked ci-bot", "{}", out(&revoked).1);
    let (status, _) = answer(http.get(format!("{api}/volunteers")).bearer_auth(&token)).await;
    assert_eq!(status, 401, "the running server refuses a revoked token at once");
    let again = run(&["token", "revoke", "ci-bot"]);
    assert!(again.status.success() && out(&again).0.contains("already revoked"));
    let unknown = run(&["token", "revoke", "nobody"]);
    assert!(!unknown.status.success() && out(&unknown).1.contains("no token named nobody"));

    let (listed, _) = out(&run(&["token", "list"]));
    assert!(
        listed.contains("\trevoked ") && !listed.contains("last used never"),
        "{listed}"
    );
    let log = std::fs::read_to_string(&server.log).unwrap_or_default();
    assert!(!log.contains(&token), "the server never logs a token");
    assert!(
        log.contains("a revoked API token was used"),
        "worth an admin's attention"
    );
    drop(server);
}
