//! Issue 14 §3 through the real binary, on SQLite and on PostgreSQL: verifiers who neither
//! CONFIRM nor say NOTHING within dispatch.verifier_timeout_s are followed by the next nearest;
//! after dispatch.verifier_rounds rounds, unanswered, the dispatcher on duty is paged. A round
//! that is answered is not followed by another.

use reqwest::Method;
use serde_json::json;

use crate::binary_net::{serve, Net};
use crate::binary_run::run_cli;

const ANA: &str = "+13235550701";
const VERA: &str = "+13235550702";
const VAL: &str = "+13235550703";
const STRANGER: &str = "+13235550711";

mod rounds {
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn on_sqlite() {
        crate::binary_run::on_backend(crate::helpers::Backend::Sqlite, super::scenario).await
    }
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn on_postgres() {
        crate::binary_run::on_backend(crate::helpers::Backend::Postgres, super::scenario).await
    }
}

async fn scenario(pg_url: Option<String>) {
    let dir = tempfile::tempdir().unwrap();
    let mut env = vec![
        ("TOCSIN_DISPATCH__VERIFIERS", "1"),
        ("TOCSIN_DISPATCH__VERIFIER_TIMEOUT_S", "5"),
        ("TOCSIN_DISPATCH__VERIFIER_ROUNDS", "2"),
    ];
    if let Some(url) = &pg_url {
        env.push(("TOCSIN_DATABASE__URL", url.as_str()));
    }
    crate::binary_run::migrated(dir.path(), &env);
    let added = run_cli(
        dir.path(),
        &env,
        &["user", "add", "ana", "--phone", ANA],
        Some("a long enough passphrase"),
    );
    assert!(added.ok, "{}", added.err);
    assert!(run_cli(dir.path(), &env, &["user", "duty", "ana", "on"], None).ok);

    let (twilio, server) = serve(dir.path(), &env).await;
    let net = Net::of(&twilio, &server);
    // Vera lives nearest the corner, Val a kilometre away: both verify.
    for (name, phone, (lat, lon)) in [
        ("Vera", VERA, (34.0635, -118.2846)),
        ("Val", VAL, (34.071, -118.2846)),
    ] {
        let body = json!({"name": name, "phone": phone, "language": "en", "roles": ["verifier"],
            "area": {"type": "circle", "lat": lat, "lon": lon, "radius_m": 1500.0}});
        let (status, v) = net.api(Method::POST, "/volunteers", Some(body)).await;
        assert_eq!(status, 201, "{v}");
    }

    // Round 1 asks Vera only (dispatch.verifiers = 1).
    net.text(STRANGER, "ICE raid at 34.0633, -118.2846").await;
    let a = net.latest().await;
    net.sent_to(VERA, &[&format!("CONFIRM {a}")]).await;
    // A second report half a kilometre south, which Vera answers at once: it gets no second round.
    net.text("+13235550712", "ICE van at 34.0580, -118.2846").await;
    let b = net.latest().await;
    assert!(b > a, "two incidents");
    net.sent_to(VERA, &[&format!("CONFIRM {b}")]).await;
    net.text(VERA, &format!("NOTHING {b}")).await;

    // Vera is silent about the first: after the timeout, Val is asked.
    net.sent_to(VAL, &[&format!("CONFIRM {a}")]).await;
    // Silent too: after the second and last round, Ana is paged.
    let page = net.sent_to(ANA, &[&format!("ACK{a}")]).await;
    assert!(page.contains("No verifier answered"), "{page}");
    let view = net.incident(a).await;
    assert_eq!(view["needs_person"], "verifiers_silent", "{view}");
    let history = view["history"].to_string();
    assert!(
        history.contains("no verifier answered: round 2 asked 1 more"),
        "{history}"
    );
    assert!(
        history.contains("needs a dispatcher: no verifier answered"),
        "{history}"
    );
    // The answered one was never sent on: its second round would have come before Ana's page.
    assert!(
        !net.all_to(VAL).contains(&format!("CONFIRM {b}")),
        "{}",
        net.all_to(VAL)
    );
    assert!(
        !net.all_to(ANA).contains(&format!("ACK{b}")),
        "{}",
        net.all_to(ANA)
    );
    drop(server);
}
