//! The enum-like columns (migration 0022) take the values the code writes and refuse others,
//! on each backend.

use tocsin::domain::{
    AlertPurpose, Answer, AttemptOutcome, CallWhen, Channel, ConfirmedBy, DeliveryStatus, Disclose,
    IncidentStatus, MobilisationStatus, NeedsPerson, PageStatus, Reach,
};
use tocsin::store::Store;

use crate::backends::{with_stores, Backend};

/// Channels a delivery or a provider receipt is on (`Reach` less `both`: a volunteer on both
/// gets one delivery per channel).
const DELIVERY_CHANNELS: &[&str] = Channel::NAMES;
/// Channels a person is texted on (a dispatcher's pages): not `voice`, which only deliveries use.
const TEXT_CHANNELS: &[&str] = &["sms", "signal"];
/// Where a report came in: a `Channel` (`Inbound::via`), the API (web/api/reports.rs), or a
/// call to the hotline (intake/voice.rs).
const REPORT_CHANNELS: &[&str] = &["sms", "signal", "api", "voice"];
/// What one try to hand a delivery over came to.
const ATTEMPT_OUTCOMES: &[&str] = AttemptOutcome::NAMES;

/// Every column 0022 (and later migrations) constrain, with the values the code may write into it.
pub const VOCABULARY: &[(&str, &str, &[&str])] = &[
    ("incidents", "status", IncidentStatus::NAMES),
    ("incidents", "confirmed_by", ConfirmedBy::NAMES),
    ("alerts", "purpose", AlertPurpose::NAMES),
    ("deliveries", "status", DeliveryStatus::NAMES),
    ("deliveries", "channel", DELIVERY_CHANNELS),
    ("delivery_attempts", "outcome", ATTEMPT_OUTCOMES),
    ("confirmations", "answer", Answer::NAMES),
    ("volunteers", "channel", Reach::NAMES),
    ("reports", "channel", REPORT_CHANNELS),
    ("early_receipts", "status", DeliveryStatus::NAMES),
    ("early_receipts", "channel", DELIVERY_CHANNELS),
    ("users", "channel", TEXT_CHANNELS),
    ("incidents", "needs_person", NeedsPerson::NAMES),
    ("pages", "status", PageStatus::NAMES),
    ("pages", "channel", TEXT_CHANNELS),
    ("volunteers", "call", CallWhen::NAMES),
    ("mobilisations", "status", MobilisationStatus::NAMES),
    ("mobilisations", "disclose", Disclose::NAMES),
];

enum V {
    T(&'static str),
    I(i64),
    B,
}
use V::{B, I, T};

/// One valid row per constrained table, in foreign-key order (a fresh database: ids are 1).
const ROWS: &[(&str, &[(&str, V)])] = &[
    (
        "volunteers",
        &[
            ("phone_enc", B),
            ("phone_hash", T("h")),
            ("language", T("en")),
            ("created_at", I(0)),
            ("updated_at", I(0)),
            ("channel", T("sms")),
            ("call", T("never")),
        ],
    ),
    (
        "incidents",
        &[
            ("kind", T("raid")),
            ("status", T("unverified")),
            ("created_at", I(0)),
            ("updated_at", I(0)),
            ("confirmed_by", T("trusted")),
            ("needs_person", T("unplaced")),
        ],
    ),
    (
        "alerts",
        &[
            ("incident_id", I(1)),
            ("purpose", T("first")),
            ("created_at", I(0)),
        ],
    ),
    (
        "deliveries",
        &[
            ("alert_id", I(1)),
            ("volunteer_id", I(1)),
            ("channel", T("sms")),
            ("body", T("x")),
            ("priority", I(0)),
            ("status", T("queued")),
            ("next_attempt_at", I(0)),
            ("expires_at", I(0)),
            ("created_at", I(0)),
            ("updated_at", I(0)),
        ],
    ),
    (
        "delivery_attempts",
        &[
            ("delivery_id", I(1)),
            ("at", I(0)),
            ("duration_ms", I(0)),
            ("outcome", T("submitted")),
        ],
    ),
    (
        "confirmations",
        &[
            ("incident_id", I(1)),
            ("volunteer_id", I(1)),
            ("alert_id", I(1)),
            ("answer", T("coming")),
            ("answered_at", I(0)),
        ],
    ),
    (
        "reports",
        &[
            ("channel", T("sms")),
            ("language", T("en")),
            ("kind", T("raid")),
            ("received_at", I(0)),
        ],
    ),
    (
        "early_receipts",
        &[
            ("channel", T("sms")),
            ("provider_id", T("p")),
            ("status", T("sent")),
            ("received_at", I(0)),
        ],
    ),
    (
        "users",
        &[
            ("name", T("ana")),
            ("role", T("dispatcher")),
            ("password_hash", T("x")),
            ("created_at", I(0)),
            ("channel", T("sms")),
        ],
    ),
    (
        "pages",
        &[
            ("topic", T("incident:1")),
            ("incident_id", I(1)),
            ("user_id", I(1)),
            ("round", I(1)),
            ("channel", T("sms")),
            ("status", T("queued")),
            ("next_attempt_at", I(0)),
            ("created_at", I(0)),
            ("updated_at", I(0)),
        ],
    ),
    (
        "mobilisations",
        &[
            ("kind", T("eviction")),
            ("status", T("planned")),
            ("starts_at", I(0)),
            ("place_enc", B),
            ("text_enc", B),
            ("wanted", I(1)),
            ("audience", T("{}")),
            ("disclose", T("yes")),
            ("created_by", T("cli")),
            ("created_at", I(0)),
            ("updated_at", I(0)),
        ],
    ),
];

/// Inserts `table`'s row, with `column` set to `value` when given.
async fn insert(store: &Store, table: &str, replace: Option<(&str, &str)>) -> Result<(), sqlx::Error> {
    let (_, cols) = ROWS
        .iter()
        .find(|(t, _)| *t == table)
        .expect("a row for the table");
    let names: Vec<&str> = cols.iter().map(|(c, _)| *c).collect();
    let sql = format!(
        "INSERT INTO {table} ({}) VALUES ({})",
        names.join(", "),
        (1..=cols.len())
            .map(|i| format!("${i}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let mut q = sqlx::query(&sql);
    for (c, v) in cols.iter() {
        q = match (replace, v) {
            (Some((col, value)), _) if col == *c => q.bind(value),
            (_, T(s)) => q.bind(*s),
            (_, I(n)) => q.bind(*n),
            (_, B) => q.bind(vec![1u8]),
        };
    }
    q.execute(store.pool()).await.map(|_| ())
}

/// The database's refusal names the column: PostgreSQL's constraint `<table>_<column>_check`,
/// SQLite's trigger message `<table>.<column>: ...` (columns constrained when 0022 came), or its
/// CHECK's own words `CHECK constraint failed: <column> IN` (columns added since, with a CHECK).
fn refused(result: Result<(), sqlx::Error>, table: &str, column: &str, what: &str) {
    let e = match result {
        Ok(()) => panic!("{table}.{column}: {what} was accepted"),
        Err(e) => e.to_string(),
    };
    assert!(
        e.contains(&format!("{table}_{column}_check"))
            || e.contains(&format!("{table}.{column}:"))
            || e.contains(&format!("CHECK constraint failed: {column} IN")),
        "{table}.{column}: {what} was refused, but not by its constraint: {e}"
    );
}

async fn only_the_vocabulary_is_written(backend: Backend) {
    with_stores(&[backend], |stores| async move {
        let store = &stores[0];
        for (table, _) in ROWS {
            insert(store, table, None)
                .await
                .unwrap_or_else(|e| panic!("a valid {table} row: {e}"));
        }
        for (table, column, allowed) in VOCABULARY {
            let update = format!("UPDATE {table} SET {column} = $1");
            for value in *allowed {
                sqlx::query(&update)
                    .bind(*value)
                    .execute(store.pool())
                    .await
                    .unwrap_or_else(|e| panic!("{table}.{column} = '{value}' is refused: {e}"));
            }
            let bogus = sqlx::query(&update).bind("bogus").execute(store.pool()).await;
            refused(bogus.map(|_| ()), table, column, "updating to 'bogus'");
            let bogus = insert(store, table, Some((column, "bogus"))).await;
            refused(bogus, table, column, "inserting 'bogus'");
        }
        // A CHECK lets NULL through: an incident not confirmed has none.
        sqlx::query("UPDATE incidents SET confirmed_by = NULL")
            .execute(store.pool())
            .await
            .expect("confirmed_by may be NULL");
        sqlx::query("UPDATE incidents SET status = 'bogus'")
            .execute(store.pool())
            .await
            .expect_err("the example of the brief");
    })
    .await;
}

mod refused {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn on_sqlite() {
        only_the_vocabulary_is_written(Backend::Sqlite).await
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn on_postgres() {
        only_the_vocabulary_is_written(Backend::Postgres).await
    }
}
