//! What the trust scenario needs beside the binary: the network as a sender and an API client
//! see it, tokens made at the command line, and the SQLite files as someone who copied them
//! would read them.

use std::path::Path;
use std::time::Duration;

use reqwest::Method;
use serde_json::Value;
use sqlx::{Connection, Row};
use tocsin_fakes::{FakeTwilio, InboundReply, Signing};

use crate::binary::{tocsin, Server};
use crate::disk;
use crate::helpers::{eventually, API_TOKEN, HOTLINE};

const WAIT: Duration = Duration::from_secs(15);

pub(super) struct Net<'a> {
    pub(super) twilio: &'a FakeTwilio,
    pub(super) base: String,
    pub(super) http: reqwest::Client,
}

impl Net<'_> {
    /// A signed inbound SMS, as Twilio posts it.
    pub(super) async fn text(&self, from: &str, body: &str) -> InboundReply {
        let url = format!("{}/webhooks/twilio/sms", self.base);
        let reply = self
            .twilio
            .send_inbound_sms(&url, from, HOTLINE, body, Signing::Valid)
            .await
            .expect("webhook answered");
        assert_eq!(reply.status, 200, "{}", reply.body);
        reply
    }

    pub(super) async fn api(
        &self,
        token: &str,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> (u16, Value) {
        let mut req = self
            .http
            .request(method, format!("{}/api/v1{path}", self.base))
            .bearer_auth(token);
        if let Some(body) = body {
            req = req.json(&body);
        }
        let resp = req.send().await.expect("API answered");
        let status = resp.status().as_u16();
        (status, resp.json().await.unwrap_or(Value::Null))
    }

    /// GET with the configured (admin) token; must answer 200.
    pub(super) async fn get(&self, path: &str) -> Value {
        let (status, body) = self.api(API_TOKEN, Method::GET, path, None).await;
        assert_eq!(status, 200, "{path}: {body}");
        body
    }

    pub(super) async fn reports(&self) -> Vec<Value> {
        self.get("/reports").await["reports"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    pub(super) async fn sent_to_with(&self, to: &str, needle: &str) -> bool {
        eventually(WAIT, || async {
            self.twilio
                .messages_to(to)
                .iter()
                .any(|m| m.body.contains(needle))
        })
        .await
    }
}

/// Every file of the SQLite database (the file, its WAL, its shared memory), by name.
fn db_files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files = disk::files_in(dir);
    files.retain(|(name, _)| name.starts_with("tocsin.db"));
    files
}

/// The stored bytes of one volunteer's sealed columns and lookup hash, read from the file as
/// someone who copied it would.
async fn sealed_row(db: &Path, id: i64) -> Vec<(String, Vec<u8>)> {
    let url = format!("sqlite://{}?mode=ro", db.display());
    let mut conn = sqlx::SqliteConnection::connect(&url)
        .await
        .expect("read the file");
    let row = sqlx::query("SELECT name_enc, phone_enc, area_enc, phone_hash FROM volunteers WHERE id = ?")
        .bind(id)
        .fetch_one(&mut conn)
        .await
        .expect("the volunteer's row");
    let mut sealed = Vec::new();
    for column in ["name_enc", "phone_enc", "area_enc", "phone_hash"] {
        let bytes = row
            .try_get::<Vec<u8>, _>(column)
            .or_else(|_| row.try_get::<String, _>(column).map(String::into_bytes))
            .expect(column);
        assert!(
            !bytes.is_empty(),
            "volunteers.{column} holds something before the removal"
        );
        sealed.push((format!("volunteers.{column}"), bytes));
    }
    conn.close().await.expect("closed");
    sealed
}

/// `tocsin token add NAME --scope SCOPE` with the server's settings; the token (its last line).
pub(super) fn cli_token(dir: &Path, env: &[(&str, &str)], name: &str, scope: &str) -> String {
    let out = tocsin(dir, None, 1)
        .envs(env.iter().copied())
        .args(["token", "add", name, "--scope", scope])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .last()
        .unwrap_or("")
        .trim()
        .to_string()
}

/// Points 5 and 4 on SQLite. `secrets` (names, numbers, a home) are in no file of the running
/// database; the token's `hash` is (the scan reads what is there). Then volunteer `gone` is
/// removed: their stored bytes (sealed name, number, area, lookup hash), found in the files
/// before, are in none of them after, while the server runs and once SIGTERM stopped it.
pub(super) async fn removed_leaves_no_bytes(
    net: &Net<'_>,
    server: &mut Server,
    dir: &Path,
    gone: i64,
    mut secrets: Vec<(String, Vec<u8>)>,
    hash: &str,
) {
    let files = db_files(dir);
    assert!(
        !disk::found_in_files(&files, &[disk::text("token hash", hash)]).is_empty(),
        "the scan reads the files"
    );
    let hits = disk::found_in_files(&files, &secrets);
    assert!(hits.is_empty(), "in clear in the running database: {hits:?}");
    let sealed = sealed_row(&dir.join("tocsin.db"), gone).await;
    let before = disk::found_in_files(&db_files(dir), &sealed);
    assert!(
        before.iter().any(|h| h.starts_with("volunteers.name_enc")),
        "{before:?}"
    );
    let (status, _) = net
        .api(API_TOKEN, Method::DELETE, &format!("/volunteers/{gone}"), None)
        .await;
    assert_eq!(status, 204);
    secrets.extend(sealed);
    let running = disk::found_in_files(&db_files(dir), &secrets);
    assert!(
        running.is_empty(),
        "removed, yet in the running server's files: {running:?}"
    );
    let pid = server.child.id().to_string();
    let term = std::process::Command::new("kill").args(["-TERM", &pid]).status();
    assert!(term.is_ok_and(|s| s.success()), "SIGTERM sent");
    let start = std::time::Instant::now();
    while server.child.try_wait().expect("wait").is_none() {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "tocsin serve stops on SIGTERM"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let left = disk::found_in_files(&db_files(dir), &secrets);
    assert!(
        left.is_empty(),
        "removed, yet in the files after the stop: {left:?}"
    );
}
