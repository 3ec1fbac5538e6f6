//! Issue 14 §4 through the real binary, on SQLite and on PostgreSQL: answers drive escalation.
//! Each "can't" brings in the nearest volunteer not alerted yet, whose alert says how many are
//! still needed; once `wanted` are coming, everyone alerted who is silent is told to stand by;
//! when someone drops out after that, the next person is brought in. One too many at an
//! incident is offered a short one nearby in the same reply, and their answer to it counts.

use reqwest::Method;
use serde_json::json;

use crate::binary_net::{serve, Net};

const A1: &str = "+13235550801";
const A2: &str = "+13235550802";
const A3: &str = "+13235550803";
/// 800 m, 2000 m and 2500 m north of the point: outside the first alert, inside 3000 m.
const B1: &str = "+13235550811";
const B2: &str = "+13235550812";
const B3: &str = "+13235550813";
const REPORTER: &str = "+13235550821";
const POINT: (f64, f64) = (34.0633, -118.2846);

mod surplus {
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn on_sqlite() {
        crate::binary_run::on_backend(crate::helpers::Backend::Sqlite, super::surplus_scenario).await
    }
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn on_postgres() {
        crate::binary_run::on_backend(crate::helpers::Backend::Postgres, super::surplus_scenario).await
    }
}

mod answers {
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
    // Two wanted; the timer's escalation is far off: only answers act here.
    let mut env = vec![
        ("TOCSIN_DISPATCH__AUTO_VERIFY", "all"),
        ("TOCSIN_DISPATCH__WANTED", "2"),
        ("TOCSIN_DISPATCH__ESCALATION_RADII_M", "3000"),
        ("TOCSIN_DISPATCH__ESCALATE_AFTER_S", "3600"),
    ];
    if let Some(url) = &pg_url {
        env.push(("TOCSIN_DATABASE__URL", url.as_str()));
    }
    let (twilio, server) = serve(dir.path(), &env).await;
    let net = Net::of(&twilio, &server);
    let north = |m: f64| (POINT.0 + m / 111_195.0, POINT.1);
    for (name, phone, (lat, lon), radius) in [
        ("A1", A1, POINT, 500.0),
        ("A2", A2, POINT, 500.0),
        ("A3", A3, POINT, 500.0),
        ("B1", B1, north(800.0), 200.0),
        ("B2", B2, north(2000.0), 200.0),
        ("B3", B3, north(2500.0), 200.0),
    ] {
        let body = json!({"name": name, "phone": phone, "language": "en",
            "area": {"type": "circle", "lat": lat, "lon": lon, "radius_m": radius}});
        let (status, v) = net.api(Method::POST, "/volunteers", Some(body)).await;
        assert_eq!(status, 201, "{v}");
    }

    net.text(REPORTER, "ICE raid at 34.0633, -118.2846").await;
    let id = net.latest().await;
    let y = format!("Y{id}=coming");
    for phone in [A1, A2, A3] {
        let alert = net.sent_to(phone, &[&y]).await;
        assert!(alert.contains("Need 2."), "{alert}");
    }
    assert!(net.all_to(B1).is_empty(), "B1 is outside the first alert");

    // A1 can't: B1, the nearest not alerted, is brought in at once.
    net.text(A1, &format!("N{id}")).await;
    let alert = net.sent_to(B1, &[&y]).await;
    assert!(alert.contains("Need 2."), "{alert}");
    // A2 is coming and A3 can't: B2 is next, told only one more is needed.
    net.text(A2, &format!("Y{id}")).await;
    net.text(A3, &format!("N{id}")).await;
    let alert = net.sent_to(B2, &[&y]).await;
    assert!(alert.contains("Need 1."), "{alert}");
    assert!(
        net.all_to(B3).is_empty(),
        "one replacement per can't: {}",
        net.all_to(B3)
    );

    // B1 is coming: two are. B2, alerted and silent, is told to stand by; those who answered are not.
    net.text(B1, &format!("Y{id}")).await;
    let standby = net
        .sent_to(B2, &[&format!("#{id}: enough people are coming")])
        .await;
    assert!(standby.contains("Stand by"), "{standby}");
    for phone in [A1, A2, A3, B1] {
        assert!(
            !net.all_to(phone).contains("enough people"),
            "{phone}: {}",
            net.all_to(phone)
        );
    }
    // B1 drops out: escalation resumes with the next person, B3.
    net.text(B1, &format!("N{id}")).await;
    let alert = net.sent_to(B3, &[&y]).await;
    assert!(alert.contains("Need 1."), "{alert}");

    let history = net.incident(id).await["history"].to_string();
    for line in [
        "a volunteer can't come: the next nearest alerted (0 of 2 responding)",
        "a volunteer can't come: the next nearest alerted (1 of 2 responding)",
        "2 of 2 coming: escalation stops; 1 told to stand by",
    ] {
        assert!(history.contains(line), "{line}: {history}");
    }
    drop(server);
}

async fn surplus_scenario(pg_url: Option<String>) {
    let dir = tempfile::tempdir().unwrap();
    let mut env = vec![
        ("TOCSIN_DISPATCH__AUTO_VERIFY", "all"),
        ("TOCSIN_DISPATCH__WANTED", "1"),
        ("TOCSIN_DISPATCH__ESCALATE_AFTER_S", "3600"),
    ];
    if let Some(url) = &pg_url {
        env.push(("TOCSIN_DATABASE__URL", url.as_str()));
    }
    let (twilio, server) = serve(dir.path(), &env).await;
    let net = Net::of(&twilio, &server);
    // A1 and A2 live at the point; B1 two kilometres north, where the second raid is.
    let second = (POINT.0 + 2000.0 / 111_195.0, POINT.1);
    for (name, phone, (lat, lon)) in [("A1", A1, POINT), ("A2", A2, POINT), ("B1", B1, second)] {
        let body = json!({"name": name, "phone": phone, "language": "en",
            "area": {"type": "circle", "lat": lat, "lon": lon, "radius_m": 500.0}});
        let (status, v) = net.api(Method::POST, "/volunteers", Some(body)).await;
        assert_eq!(status, 201, "{v}");
    }
    net.text(REPORTER, "ICE raid at 34.0633, -118.2846").await;
    let a = net.latest().await;
    net.text(B2, &format!("ICE raid at {:.5}, {:.5}", second.0, second.1))
        .await;
    let b = net.latest().await;
    assert!(b > a, "two incidents");
    net.sent_to(A2, &[&format!("Y{a}=coming")]).await;
    net.sent_to(B1, &[&format!("Y{b}=coming")]).await;

    // A1 is enough for the first; A2, one too many, is offered the second in the same reply.
    net.text(A1, &format!("Y{a}")).await;
    let reply = net.text(A2, &format!("Y{a}")).await;
    assert!(
        reply.starts_with(&format!(
            "#{a} has enough. #{b}, 2.0 km away, needs 1: reply Y{b}."
        )),
        "{reply}"
    );
    // A2 takes it: the answer counts there, and the first keeps its one.
    let took = net.text(A2, &format!("Y{b}")).await;
    assert!(took.contains(&format!("#{b}")), "{took}");
    assert_eq!(net.counts(b).await.0, 1, "A2 is coming to the second");
    let history = net.incident(b).await["history"].to_string();
    assert!(
        history.contains(&format!(
            "a volunteer with #{a}, which has enough, was offered this one"
        )),
        "{history}"
    );
    // B1 is one too many at the second too, but nothing nearby is short: nothing is offered.
    let plain = net.text(B1, &format!("Y{b}")).await;
    assert!(!plain.contains("has enough"), "{plain}");
    drop(server);
}
