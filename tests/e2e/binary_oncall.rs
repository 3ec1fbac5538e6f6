//! Issue 14 §1-2 through the real binary, on SQLite and on PostgreSQL: dispatchers get phones
//! and go on duty from the CLI or by text; a report no verifier can reach pages the one on duty
//! (in their language), no ACK re-pages everyone, one ACK takes it and the next ACK is told who
//! has it; with nobody on duty a report nobody could place pages everyone at once; an ACK in
//! time stops the re-page; DUTY and ACK from any other number are no commands.

use crate::binary_metrics::{metrics_until, value};
use crate::binary_net::{serve, Net};
use crate::binary_run::run_cli;

const ANA: &str = "+13235550601";
const BEN: &str = "+13235550602";
const STRANGER: &str = "+13235550611";
const OTHER: &str = "+13235550612";
const PASSWORD: &str = "a long enough passphrase";

mod flood {
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn on_sqlite() {
        crate::binary_run::on_backend(crate::helpers::Backend::Sqlite, super::flood_scenario).await
    }
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn on_postgres() {
        crate::binary_run::on_backend(crate::helpers::Backend::Postgres, super::flood_scenario).await
    }
}

mod paging {
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
        ("TOCSIN_ONCALL__PAGE_AFTER_S", "5"),
        ("TOCSIN_ONCALL__REPAGE_AFTER_S", "5"),
    ];
    if let Some(url) = &pg_url {
        env.push(("TOCSIN_DATABASE__URL", url.as_str()));
    }
    crate::binary_run::migrated(dir.path(), &env);
    let cli = |args: &[&str], stdin: Option<&str>| run_cli(dir.path(), &env, args, stdin);

    // Accounts with phones, from the CLI; mistakes name the field.
    let added = cli(&["user", "add", "ana", "--phone", ANA], Some(PASSWORD));
    assert!(added.ok, "{}", added.err);
    let added = cli(
        &["user", "add", "ben", "--phone", BEN, "--lang", "es"],
        Some(PASSWORD),
    );
    assert!(added.ok, "{}", added.err);
    assert!(cli(&["user", "add", "cy"], Some(PASSWORD)).ok);
    let bad = cli(&["user", "phone", "cy", "12345"], None);
    assert!(!bad.ok && bad.err.contains("PHONE:"), "{}", bad.err);
    let taken = cli(&["user", "phone", "cy", ANA], None);
    assert!(
        !taken.ok && taken.err.contains("another account"),
        "{}",
        taken.err
    );
    let no_phone = cli(&["user", "duty", "cy", "on"], None);
    assert!(
        !no_phone.ok && no_phone.err.contains("no phone"),
        "{}",
        no_phone.err
    );
    assert!(cli(&["user", "duty", "ana", "on"], None).ok);
    let list = cli(&["user", "list"], None).out;
    assert!(
        list.contains("ana\tdispatcher\tpaged by sms on ...01, on duty"),
        "{list}"
    );
    assert!(
        list.contains("ben\tdispatcher\tpaged by sms on ...02, off duty"),
        "{list}"
    );
    assert!(
        !list.contains("555-0601") && !list.contains("5550601"),
        "no whole number: {list}"
    );

    let (twilio, server) = serve(dir.path(), &env).await;
    let net = Net::of(&twilio, &server);

    // No volunteer verifies here: the report pages Ana, who is on duty, at once.
    net.text(STRANGER, "ICE raid at 34.0633, -118.2846 right now")
        .await;
    let a = net.latest().await;
    let page = net
        .sent_to(ANA, &["NEEDS A DISPATCHER", &format!("ACK{a}")])
        .await;
    assert!(page.starts_with(&format!("TOCSIN #{a} ")), "{page}");
    assert!(
        page.contains("immigration raid") && page.contains("No verifier in reach"),
        "{page}"
    );
    assert!(page.contains("\"ICE raid at"), "the reporter's words: {page}");
    assert_eq!(net.incident(a).await["needs_person"], "no_verifier");

    // Nobody answers within oncall.repage_after_s: every dispatcher with a phone, Ben in Spanish.
    let page_es = net
        .sent_to(BEN, &["NECESITA UN DESPACHADOR", &format!("ACK{a}")])
        .await;
    assert!(page_es.contains("Ningún verificador cerca"), "{page_es}");
    // Ben takes it; Ana, late, is told who has it.
    let took = net.text(BEN, &format!("ack {a}")).await;
    assert!(took.contains(&format!("#{a} es suyo")), "{took}");
    assert!(took.contains(&format!("/incidents/{a}")), "{took}");
    let late = net.text(ANA, &format!("ACK{a}")).await;
    assert!(late.contains(&format!("#{a} was already taken by ben")), "{late}");
    let view = net.incident(a).await;
    assert!(view["acked_at"].is_i64(), "{view}");
    let history = view["history"].to_string();
    for line in [
        "needs a dispatcher: no verifier within reach",
        "paged on duty: ana",
        "no ACK; paged every dispatcher: ana, ben",
        "acknowledged by ben",
    ] {
        assert!(history.contains(line), "{line}: {history}");
    }

    // DUTY from a number that is no dispatcher's is a message like any other.
    let stranger = net.text(OTHER, "DUTY OFF").await;
    assert!(!stranger.contains("off duty"), "{stranger}");
    // Ana goes off duty by text: now nobody is on duty.
    let off = net.text(ANA, "duty off").await;
    assert!(off.contains("You are off duty"), "{off}");
    assert!(cli(&["user", "list"], None)
        .out
        .contains("ana\tdispatcher\tpaged by sms on ...01, off duty"));

    // A report nobody can place pages every dispatcher at once after oncall.page_after_s.
    net.text(OTHER, "la migra esta aqui, ayuda").await;
    let b = net.latest().await;
    assert!(b > a);
    let page = net.sent_to(ANA, &[&format!("ACK{b}")]).await;
    assert!(
        page.contains("an unknown place") && page.contains("Not placed yet"),
        "{page}"
    );
    net.sent_to(BEN, &[&format!("ACK{b}"), "un lugar desconocido"])
        .await;
    let history = net.incident(b).await["history"].to_string();
    assert!(
        history.contains("nobody on duty; paged every dispatcher: ana, ben"),
        "{history}"
    );

    // Back on duty, Ana takes the next one in time (a bare ACK: her latest page): Ben is never
    // paged for it. The report after it is paged later than that re-page would have been.
    assert!(net.text(ANA, "DUTY ON").await.contains("You are on duty"));
    net.text(STRANGER, "ICE agents at 34.0700, -118.2900").await;
    let c = net.latest().await;
    net.sent_to(ANA, &[&format!("ACK{c}")]).await;
    let took = net.text(ANA, "ack").await;
    assert!(took.contains(&format!("#{c} is yours")), "{took}");
    net.text(OTHER, "algo raro pasa, no se donde").await;
    let d = net.latest().await;
    net.sent_to(ANA, &[&format!("ACK{d}")]).await;
    assert!(
        !net.all_to(BEN).contains(&format!("ACK{c}")),
        "{}",
        net.all_to(BEN)
    );

    // The log never holds a dispatcher's number.
    let log = std::fs::read_to_string(dir.path().join("tocsin.log")).unwrap_or_default();
    assert!(
        !log.contains("5550601") && !log.contains("5550602"),
        "a number in the log"
    );
    drop(server);
}

/// A flood of reports over `intake.max_reports_per_hour` pages the dispatcher on duty (here by
/// `oncall.schedule`, in `network.timezone`), once.
async fn flood_scenario(pg_url: Option<String>) {
    let dir = tempfile::tempdir().unwrap();
    let mut env = vec![
        ("TOCSIN_INTAKE__MAX_REPORTS_PER_HOUR", "3"),
        ("TOCSIN_NETWORK__TIMEZONE", "America/Los_Angeles"),
    ];
    if let Some(url) = &pg_url {
        env.push(("TOCSIN_DATABASE__URL", url.as_str()));
    }
    crate::binary_run::migrated(dir.path(), &env);
    // A schedule with a mistake is refused at start, naming the account and the line.
    let mut bad = env.clone();
    bad.push(("TOCSIN_ONCALL__SCHEDULE__ANA", "weekdays 9-5"));
    let refused = run_cli(dir.path(), &bad, &["user", "list"], None);
    let says = |w: &str| refused.err.contains(w);
    assert!(
        !refused.ok && says("oncall.schedule.ana:") && says("not a day"),
        "{}",
        refused.err
    );
    // Ana is on duty by her schedule (every day, all day), her switch untouched.
    env.push(("TOCSIN_ONCALL__SCHEDULE__ANA", "mon-sun 00:00-24:00"));
    let add = ["user", "add", "ana", "--phone", ANA];
    assert!(run_cli(dir.path(), &env, &add, Some(PASSWORD)).ok);
    let list = run_cli(dir.path(), &env, &["user", "list"], None).out;
    assert!(
        list.contains("ana\tdispatcher\tpaged by sms on ...01, on duty"),
        "{list}"
    );
    let (twilio, server) = serve(dir.path(), &env).await;
    let net = Net::of(&twilio, &server);
    for i in 0..5 {
        let from = format!("+1323555090{i}");
        net.text(&from, &format!("ICE raid at 34.06{i}, -118.2846")).await;
    }
    let page = net.sent_to(ANA, &["over its limit"]).await;
    assert!(
        page.contains("(3 reports in an hour)") && page.contains("/reports"),
        "{page}"
    );
    let flagged = net.latest_report().await;
    assert_eq!(flagged["flagged"], "rate_limited", "{flagged}");
    // `/metrics` counts the page, and the reports by flag.
    let paged = r#"tocsin_pages_sent_total{channel="sms"}"#;
    let text = metrics_until(&net, |t| value(t, paged) == Some(1.0)).await;
    assert_eq!(value(&text, paged), Some(1.0), "{text}");
    let held = r#"tocsin_reports_received_total{channel="sms",flag="rate_limited"}"#;
    assert!(value(&text, held).is_some_and(|n| n >= 1.0), "{text}");
    drop(server);
}
