//! `tocsin migrate-data --to postgres://...` through the binary: a SQLite network that has run
//! (an account, a token, volunteers, an alerted incident with answers and its history) moved
//! into a fresh PostgreSQL database, then served from there with the same key: nothing lost,
//! sealed values readable, new rows numbered after the old ones; a second move into the now
//! full database is refused.

use reqwest::Method;
use serde_json::json;

use crate::binary_net::{serve, Net};
use crate::binary_run::{migrated, on_backend, run_cli};
use crate::dashboard_http::{client, login_at};
use crate::helpers::Backend;

const ANN: &str = "+13235550181";
const BEA: &str = "+13235550182";
const REPORTER: &str = "+13235550189";
const PASSWORD: &str = "correct horse battery";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sqlite_network_moves_into_postgresql_with_nothing_lost() {
    on_backend(Backend::Postgres, |pg| async move {
        let pg = pg.expect("a fresh PostgreSQL database");
        scenario(&pg).await
    })
    .await;
}

async fn scenario(pg: &str) {
    let dir = tempfile::tempdir().unwrap();
    migrated(dir.path(), &[]);
    let cli = |env: &[(&str, &str)], args: &[&str], stdin: Option<&str>| {
        let ran = run_cli(dir.path(), env, args, stdin);
        assert!(ran.ok, "{args:?}: {}", ran.err);
        ran.out
    };
    cli(&[], &["user", "add", "maria"], Some(PASSWORD));
    let token = cli(&[], &["token", "add", "moved", "--scope", "read"], None);
    let token = token
        .split_whitespace()
        .find(|w| w.len() > 30)
        .expect("the token")
        .to_string();
    for (name, phone) in [("Ann Lee", ANN), ("Bea Ruiz", BEA)] {
        let area = ["--lat", "34.0617", "--lon", "-118.3005", "--radius-m", "1500"];
        cli(
            &[],
            &[
                &["volunteer", "add", "--name", name, "--phone", phone][..],
                &area[..],
            ]
            .concat(),
            None,
        );
    }

    // The network at work on SQLite: a report, confirmed, alerted, answered.
    let (id, before) = {
        let (twilio, server) = serve(dir.path(), &[]).await;
        let net = Net::of(&twilio, &server);
        net.text(REPORTER, "ICE raid at 34.0617, -118.3005 now").await;
        let id = net.latest().await;
        let (status, body) = net
            .api(Method::POST, &format!("/incidents/{id}/verify"), Some(json!({})))
            .await;
        assert_eq!(status, 200, "{body}");
        net.sent_to(ANN, &[&format!("#{id}")]).await;
        net.sent_to(BEA, &[&format!("#{id}")]).await;
        net.text(ANN, &format!("Y{id}")).await;
        let coming =
            crate::helpers::eventually(crate::binary_net::WAIT, || async { net.counts(id).await.0 == 1 })
                .await;
        assert!(coming, "Ann is coming");
        (id, net.incident(id).await)
    };

    // Moved (the server stopped first), every table counted on both sides.
    let moved = cli(&[], &["migrate-data", "--to", pg], None);
    assert!(
        moved.contains("moved ") && moved.contains("volunteers"),
        "{moved}"
    );

    // Served from PostgreSQL with the same key: the same network.
    let env = [("TOCSIN_DATABASE__URL", pg)];
    let (twilio, server) = serve(dir.path(), &env).await;
    let net = Net::of(&twilio, &server);
    let after = net.incident(id).await;
    for field in ["status", "kind", "lat", "lon", "counts", "history", "reports"] {
        assert_eq!(after[field], before[field], "{field}: {after}");
    }
    let volunteers = net.get("/volunteers").await.to_string();
    assert!(
        volunteers.contains("Ann Lee") && volunteers.contains("Bea Ruiz"),
        "names still open: {volunteers}"
    );
    let resp = login_at(&server.base, &client(), "maria", PASSWORD).await;
    assert!(
        resp.status().is_redirection(),
        "the account logs in: {}",
        resp.status()
    );
    let status = net
        .http
        .get(format!("{}/api/v1/incidents", server.base))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .status();
    assert_eq!(status, 200, "the token still works");
    // New rows continue after the moved ones; known numbers are still known.
    net.text("+13235550188", "eviction at 34.2000, -118.5000").await;
    assert!(net.latest().await > id, "ids continue");
    let reply = net.text(ANN, "STATUS").await;
    assert!(
        !reply.is_empty() && !reply.to_lowercase().contains("not a volunteer"),
        "{reply}"
    );
    drop(server);

    // Never into a database that holds data.
    let again = run_cli(dir.path(), &[], &["migrate-data", "--to", pg], None);
    assert!(
        !again.ok && again.err.contains("holds data already"),
        "{}",
        again.err
    );
}
