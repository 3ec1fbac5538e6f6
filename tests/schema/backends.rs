//! Fresh databases migrated by `Store::open`, the path every instance takes.

use base64::Engine;
use sqlx::Connection;
use tocsin::config::{Crypto, Database};
use tocsin::store::Store;

pub fn pg_admin_url() -> String {
    std::env::var("TOCSIN_TEST_PG").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

async fn open(url: String, dir: &std::path::Path) -> Store {
    let key = base64::engine::general_purpose::STANDARD.encode([7u8; 32]);
    let database = Database {
        url,
        max_connections: 2,
    };
    let crypto = Crypto {
        key: Some(key.into()),
        key_file: dir.join("unused.key").display().to_string(),
    };
    Store::open(&database, &crypto).await.expect("migrated")
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Runs `scenario` with one fresh store per backend asked for, in that order. PostgreSQL's is a
/// database of its own, dropped afterwards, also when the scenario panics; no PostgreSQL: the
/// test fails.
pub async fn with_stores<F, Fut>(backends: &[Backend], scenario: F)
where
    F: FnOnce(Vec<Store>) -> Fut,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let dir = tempfile::tempdir().expect("temp dir");
    let admin = pg_admin_url();
    let mut pg = None;
    let mut stores = Vec::new();
    for backend in backends {
        let url = match backend {
            Backend::Sqlite => format!("sqlite://{}", dir.path().join("t.db").display()),
            Backend::Postgres => {
                let name = format!("tocsin_schema_{:016x}", rand::random::<u64>());
                let mut conn = sqlx::PgConnection::connect(&admin)
                    .await
                    .unwrap_or_else(|e| panic!("PostgreSQL must be reachable at {admin} for this test: {e}"));
                sqlx::query(&format!("CREATE DATABASE {name}"))
                    .execute(&mut conn)
                    .await
                    .expect("create database");
                let base = admin.rsplit_once('/').map_or(admin.as_str(), |(b, _)| b);
                let url = format!("{base}/{name}");
                pg = Some((conn, name));
                url
            }
        };
        stores.push(open(url, dir.path()).await);
    }
    let outcome = tokio::spawn(scenario(stores.clone())).await;
    for store in &stores {
        store.close().await;
    }
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
