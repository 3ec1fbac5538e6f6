//! Fresh stores on each backend, and the few rows most contracts start from. Rows are made
//! through the store's public API; raw SQL here only reads (or, where a test says so, plays
//! an outside writer).

use std::collections::hash_map::DefaultHasher;
use std::future::Future;
use std::hash::{Hash, Hasher};
use std::path::Path;

use base64::Engine;
use sqlx::any::AnyRow;
use sqlx::{Connection, Row};
use tocsin::config::{Crypto, Database};
use tocsin::domain::{AlertPurpose, IncidentStatus, LocatedBy, Location, Standing};
use tocsin::store::alerts::{Audience, Bodies};
use tocsin::store::incidents::{self, NewIncident};
use tocsin::store::reports::NewReport;
use tocsin::store::volunteers::NewVolunteer;
use tocsin::store::Store;
use tokio::sync::OnceCell;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Runs each scenario (`async fn(Store)`) once per backend, each as its own test on a fresh
/// database.
#[macro_export]
macro_rules! on_both_backends {
    ($($scenario:ident),+ $(,)?) => {
        $(
            mod $scenario {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn on_sqlite() {
                    $crate::support::with_store($crate::support::Backend::Sqlite, super::$scenario).await
                }
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn on_postgres() {
                    $crate::support::with_store($crate::support::Backend::Postgres, super::$scenario).await
                }
            }
        )+
    };
}

/// The same, for a contract only PostgreSQL has (several connections, row locks).
#[macro_export]
macro_rules! on_postgres {
    ($($scenario:ident),+ $(,)?) => {
        $(
            mod $scenario {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn on_postgres() {
                    $crate::support::with_store($crate::support::Backend::Postgres, super::$scenario).await
                }
            }
        )+
    };
}

pub fn pg_admin_url() -> String {
    std::env::var("TOCSIN_TEST_PG").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

/// Runs `scenario` on a fresh, migrated store (`Store::open`, as every instance opens it).
/// PostgreSQL's is a database of its own, a copy of `template()`, dropped afterwards, also when
/// the scenario panics; PostgreSQL unreachable: the test fails.
pub async fn with_store<F, Fut>(backend: Backend, scenario: F)
where
    F: FnOnce(Store) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let dir = tempfile::tempdir().expect("temp dir");
    let admin = pg_admin_url();
    let base = admin
        .rsplit_once('/')
        .map_or(admin.as_str(), |(b, _)| b)
        .to_string();
    let mut pg = None;
    let url = match backend {
        Backend::Sqlite => format!("sqlite://{}", dir.path().join("t.db").display()),
        Backend::Postgres => {
            let template = TEMPLATE.get_or_init(|| make_template(&admin, &base)).await;
            let name = format!("tocsin_store_{:016x}", rand::random::<u64>());
            let mut conn = admin_connection(&admin).await;
            sqlx::query(&format!("CREATE DATABASE {name} TEMPLATE {template}"))
                .execute(&mut conn)
                .await
                .expect("create database");
            pg = Some((conn, name.clone()));
            format!("{base}/{name}")
        }
    };
    let store = open(url, dir.path()).await;
    let outcome = tokio::spawn(scenario(store.clone())).await;
    store.close().await;
    if let Some((mut conn, name)) = pg {
        sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .execute(&mut conn)
            .await
            .expect("drop database");
    }
    if let Err(e) = outcome {
        std::panic::resume_unwind(e.into_panic());
    }
}

async fn open(url: String, dir: &Path) -> Store {
    let database = Database {
        url,
        max_connections: 8,
    };
    let crypto = Crypto {
        key: Some(base64::engine::general_purpose::STANDARD.encode([7u8; 32]).into()),
        key_file: dir.join("unused.key").display().to_string(),
    };
    Store::open(&database, &crypto)
        .await
        .expect("store opens, migrated")
}

async fn admin_connection(admin: &str) -> sqlx::PgConnection {
    sqlx::PgConnection::connect(admin)
        .await
        .unwrap_or_else(|e| panic!("PostgreSQL must be reachable at {admin} for this test: {e}"))
}

/// A PostgreSQL database migrated once by `Store::open` and copied for every test: a copy
/// takes a fraction of the migrations' time. Named by the migrations it holds, it is kept for
/// later runs and made again (the older ones dropped) when they change.
static TEMPLATE: OnceCell<String> = OnceCell::const_new();

async fn make_template(admin: &str, base: &str) -> String {
    let name = format!("tocsin_store_tmpl_{:016x}", migrations_hash());
    let mut conn = admin_connection(admin).await;
    // One test process at a time makes it; the others wait, then find it.
    sqlx::query("SELECT pg_advisory_lock(7413990)")
        .execute(&mut conn)
        .await
        .expect("lock");
    let exists = sqlx::query("SELECT 1 FROM pg_database WHERE datname = $1")
        .bind(&name)
        .fetch_optional(&mut conn)
        .await
        .expect("pg_database")
        .is_some();
    if !exists {
        let older: Vec<String> =
            sqlx::query_scalar("SELECT datname FROM pg_database WHERE datname LIKE 'tocsin_store_tmpl_%'")
                .fetch_all(&mut conn)
                .await
                .expect("pg_database");
        for old in older {
            // Built for other migrations, or left half-made; one in use stays (and errs here).
            let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {old}"))
                .execute(&mut conn)
                .await;
        }
        let building = format!("{name}_build");
        sqlx::query(&format!("CREATE DATABASE {building}"))
            .execute(&mut conn)
            .await
            .expect("create the template");
        let dir = tempfile::tempdir().expect("temp dir");
        open(format!("{base}/{building}"), dir.path()).await.close().await;
        // Whole or absent: a template is named only once migrated.
        sqlx::query(&format!("ALTER DATABASE {building} RENAME TO {name}"))
            .execute(&mut conn)
            .await
            .expect("name the template");
    }
    sqlx::query("SELECT pg_advisory_unlock(7413990)")
        .execute(&mut conn)
        .await
        .expect("unlock");
    name
}

/// The PostgreSQL migrations' names and contents, hashed.
fn migrations_hash() -> u64 {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations/postgres");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("migrations/postgres")
        .map(|e| e.expect("migration").path())
        .collect();
    files.sort();
    let mut hasher = DefaultHasher::new();
    for file in files {
        file.file_name().hash(&mut hasher);
        std::fs::read(&file).expect("migration").hash(&mut hasher);
    }
    hasher.finish()
}

/// An approved volunteer reached by SMS, with a circle around Koreatown as home area.
pub async fn volunteer(store: &Store, phone: &str) -> i64 {
    volunteer_on(store, phone, "sms").await
}

pub async fn volunteer_on(store: &Store, phone: &str, channel: &str) -> i64 {
    store
        .insert_volunteer(NewVolunteer {
            name: "Ann Example",
            phone,
            language: "en",
            trusted: false,
            area: r#"{"type":"circle","lat":34.062,"lon":-118.3,"radius_m":1500}"#.into(),
            channel,
            signal: None,
            roles: String::new(),
            standing: Standing::Approved,
        })
        .await
        .expect("volunteer added")
}

/// `n` volunteers with numbers +1323555{base + i}.
pub async fn volunteers(store: &Store, base: u32, n: u32) -> Vec<i64> {
    let mut ids = Vec::new();
    for i in 0..n {
        ids.push(volunteer(store, &format!("+1323555{:04}", base + i)).await);
    }
    ids
}

/// An incident opened in `status`, placed at a point, committed.
pub async fn incident(store: &Store, status: IncidentStatus) -> i64 {
    let mut tx = store.write().await.expect("tx");
    let id = incidents::create(
        &mut tx,
        &NewIncident {
            kind: "raid",
            status,
            cause: "test",
            confirmed_by: None,
            drill: false,
            point: Some((34.0617, -118.3005)),
            zone: None,
            approximate: false,
            located_by: Some(LocatedBy::Coordinates),
            uncertainty_m: None,
        },
    )
    .await
    .expect("incident created");
    tx.commit().await.expect("commit");
    id
}

/// The same alert in English (the default) and Spanish. (One text alone makes invalid SQL:
/// see `alerts::a_single_language_alert_is_planned`.)
pub fn texts(body: &str) -> Bodies {
    Bodies::same(vec![("en", body.to_string()), ("es", format!("{body} (es)"))])
}

/// Plans the first alert of `incident` to `ids` (SMS only), now, going stale in an hour.
pub async fn plan_first(store: &Store, incident: i64, ids: &[i64]) -> Option<u64> {
    store
        .plan_alert(
            incident,
            (AlertPurpose::First, 0),
            Audience::Volunteers {
                ids,
                signal_on: false,
            },
            &texts("TOCSIN #1 CONFIRMED: raid"),
            (0, i64::MAX / 2),
            &|| {},
        )
        .await
        .expect("alert planned")
}

/// A confirmed incident whose first alert queued one SMS delivery to each of `n` new
/// volunteers (planned at 0, due at once): (incident, delivery ids in order).
pub async fn queued(store: &Store, n: u32) -> (i64, Vec<i64>) {
    let ids = volunteers(store, 0, n).await;
    let id = incident(store, IncidentStatus::Confirmed).await;
    assert_eq!(plan_first(store, id, &ids).await, Some(u64::from(n)));
    let deliveries = deliveries_of(store, id).await.iter().map(|d| d.0).collect();
    (id, deliveries)
}

/// (delivery id, volunteer, status) of an incident's deliveries, by id.
pub async fn deliveries_of(store: &Store, incident: i64) -> Vec<(i64, i64, String)> {
    let rows = sqlx::query(
        "SELECT d.id, d.volunteer_id, d.status FROM deliveries d JOIN alerts a ON a.id = d.alert_id \
         WHERE a.incident_id = $1 ORDER BY d.id",
    )
    .bind(incident)
    .fetch_all(store.pool())
    .await
    .expect("deliveries read");
    rows.iter()
        .map(|r| (r.get("id"), r.get("volunteer_id"), r.get("status")))
        .collect()
}

pub async fn delivery_status(store: &Store, id: i64) -> String {
    sqlx::query("SELECT status FROM deliveries WHERE id = $1")
        .bind(id)
        .fetch_one(store.pool())
        .await
        .expect("delivery read")
        .get("status")
}

/// A single integer the query counts.
pub async fn count(store: &Store, sql: &str, id: i64) -> i64 {
    sqlx::query_scalar(sql)
        .bind(id)
        .fetch_one(store.pool())
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

/// A report as intake writes it: text, the reporter's number and its keyed hash.
pub fn new_report(store: &Store, body: &str, reporter: &str, received_at: i64) -> NewReport {
    NewReport {
        channel: "sms",
        body: body.to_string(),
        language: "en".into(),
        reporter: Some(reporter.to_string()),
        reporter_hash: Some(store.vault().lookup_hash(reporter)),
        volunteer_id: None,
        location: Location {
            point: Some((34.0617, -118.3005)),
            zone: None,
            approximate: false,
            located_by: Some(LocatedBy::Coordinates),
            uncertainty_m: None,
        },
        kind: "raid".into(),
        received_at,
        flagged: None,
        drill: false,
        truncated: false,
    }
}

/// Waits (bounded) until `n` sessions of this database wait on a lock (PostgreSQL).
pub async fn wait_for_lock_waiters(store: &Store, n: i64) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let waiting: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
        )
        .fetch_one(store.pool())
        .await
        .expect("pg_stat_activity");
        if waiting >= n {
            return;
        }
        assert!(std::time::Instant::now() < deadline, "nobody waited on the lock");
        tokio::task::yield_now().await;
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
}

/// Every text and byte value of a raw row.
pub fn raw_values(row: &AnyRow) -> Vec<Vec<u8>> {
    (0..row.len())
        .filter_map(|i| match row.try_get::<Option<String>, _>(i) {
            Ok(text) => text.map(String::into_bytes),
            Err(_) => row.try_get::<Option<Vec<u8>>, _>(i).ok().flatten(),
        })
        .collect()
}

pub fn holds(values: &[Vec<u8>], needle: &str) -> bool {
    values
        .iter()
        .any(|v| v.windows(needle.len()).any(|w| w == needle.as_bytes()))
}
