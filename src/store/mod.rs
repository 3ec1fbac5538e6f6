//! Storage on SQLite (default) or PostgreSQL through sqlx's `Any` driver: one set of queries
//! (`$1` placeholders work on both), one migrations folder per backend. The few differences
//! between the two live in this module only.
//!
//! Encryption at rest is storage's job: a `Store` holds the checked data key, seals every value
//! that names or locates a person as it writes it (bound to its column and row, see `crypto`)
//! and hands callers rows already opened. What is erased is scrubbed from the files too: SQLite
//! zeroes deleted content (`secure_delete`) and empties its WAL after each erasure; PostgreSQL
//! vacuums the tables touched (see docs/postgresql.md for what stays on disk until then).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use sqlx::any::AnyRow;
use sqlx::{AnyPool, Row};

use crate::config::{Crypto, Database};
use crate::crypto::{Field, Vault};

pub mod accounts;
pub mod alerts;
pub mod answers;
pub mod audience;
pub mod audit;
pub mod backlog;
mod backup;
pub mod board;
pub mod bodies;
pub mod calls;
pub mod changes;
pub mod checks;
mod connect;
pub mod conversations;
mod durable;
pub mod escalation;
pub mod existing;
mod files;
pub mod followups;
pub mod guard;
pub mod inbound;
pub mod incidents;
mod instance;
pub mod invitations;
pub mod lifecycle;
pub mod merge;
pub mod meta;
pub mod mobilisations;
pub mod notify;
pub mod oncall;
pub mod outbox;
mod outcomes;
pub mod pace;
pub mod pages;
pub mod places;
pub mod receipts;
pub mod recordings;
pub mod reports;
pub mod responding;
pub mod rotate;
pub mod rough;
pub mod rounds;
pub mod tokens;
mod transfer;
mod upgrade;
pub mod vetting;
mod vocab;
pub mod volunteers;
pub mod zones;

pub use sqlx::AnyConnection as Conn;

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{0} already exists")]
    Conflict(&'static str),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// What a value that cannot be opened (corrupted, or moved from another row) reads as.
pub const UNREADABLE: &str = "(unreadable)";

/// By volunteer: the sealed home area last opened, and what it opened to.
type OpenedAreas = HashMap<i64, (Vec<u8>, String)>;

#[derive(Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
    /// For connections outside the pool (PostgreSQL's LISTEN).
    url: String,
    /// The data key, checked against the database (`meta.key_check`).
    vault: Vault,
    /// Home areas opened for the geofence index, by volunteer, with the sealed value each came
    /// from: a rebuild opens only what changed since the last one (a fresh nonce per write
    /// makes a changed area a different sealed value).
    opened_areas: Arc<Mutex<OpenedAreas>>,
    /// SQLite's group commit (`durable`); None on PostgreSQL and in memory.
    wal: Option<Arc<durable::WalSync>>,
    /// This process's hold on the database (`instance`), for as long as any clone lives.
    _lease: Option<Arc<instance::Lease>>,
}

impl Store {
    /// Connects (creating a SQLite file private to its owner), applies the migrations, checks
    /// the data key against the database, and seals what an older version stored in clear.
    pub async fn open(database: &Database, crypto: &Crypto) -> anyhow::Result<Store> {
        Store::open_leased(database, crypto, false).await
    }

    /// The same, refused while any other tocsin process has the database open; none can open
    /// it while this store lives (`tocsin rotate-key`).
    pub async fn open_alone(database: &Database, crypto: &Crypto) -> anyhow::Result<Store> {
        Store::open_leased(database, crypto, true).await
    }

    async fn open_leased(database: &Database, crypto: &Crypto, alone: bool) -> anyhow::Result<Store> {
        let (pool, backend) = connect::connect(&database.url, database.max_connections).await?;
        let lease = if alone {
            instance::Lease::exclusive(&pool, backend, &database.url).await?
        } else {
            instance::Lease::shared(&pool, backend, &database.url).await?
        };
        let migrator = match backend {
            Backend::Sqlite => &SQLITE_MIGRATIONS,
            Backend::Postgres => &POSTGRES_MIGRATIONS,
        };
        let vault = upgrade::open(&pool, backend, migrator, crypto).await?;
        let mut store = Store {
            pool,
            backend,
            url: database.url.clone(),
            vault,
            opened_areas: Arc::default(),
            wal: None,
            _lease: Some(Arc::new(lease)),
        };
        if backend == Backend::Sqlite {
            files::warn_if_key_beside(&database.url, crypto);
            store.wal = durable::WalSync::new(files::sqlite_path(&database.url));
            if let Some(wal) = &store.wal {
                durable::WalSync::spawn_background(wal);
            }
        }
        Ok(store)
    }

    /// An empty in-memory database with every migration and a fixed key, for unit tests.
    #[cfg(test)]
    pub(crate) async fn memory() -> Store {
        let (pool, backend) = connect::connect("sqlite::memory:", 1)
            .await
            .expect("in-memory SQLite");
        SQLITE_MIGRATIONS.run(&pool).await.expect("migrations");
        Store {
            pool,
            backend,
            url: "sqlite::memory:".into(),
            vault: Vault::from_key(&[9u8; 32]),
            opened_areas: Arc::default(),
            wal: None,
            _lease: None,
        }
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// The data key: for keyed hashes (lookups); sealing and opening happen in the store.
    pub fn vault(&self) -> &Vault {
        &self.vault
    }

    pub(crate) fn seal(&self, field: Field, row: impl std::fmt::Display, plain: &str) -> Vec<u8> {
        self.vault.seal(field, row, plain)
    }

    /// A stored value in clear: empty when it was erased, `UNREADABLE` (logged by row, never
    /// its content) when it does not open.
    pub(crate) fn open_value(&self, field: Field, row: impl std::fmt::Display, sealed: &[u8]) -> String {
        if sealed.is_empty() {
            return String::new();
        }
        match self.vault.open(field, &row, sealed) {
            Ok(plain) => plain,
            Err(_) => {
                tracing::error!(column = field.column(), row = %row, "stored value does not open; shown as unreadable");
                UNREADABLE.to_string()
            }
        }
    }

    /// After an erasure: the erased bytes leave the files. SQLite has zeroed them in the pages
    /// (`secure_delete`); a TRUNCATE checkpoint writes those pages into the database file and
    /// empties the WAL, which still held the old ones. PostgreSQL: VACUUM the tables, so that
    /// the dead row versions go (WAL segments and backups keep them longer: docs/postgresql.md).
    /// Logged, not returned: the erasure itself is committed whatever happens here.
    pub async fn scrub(&self, tables: &[&str]) {
        use sqlx::Executor;
        let result = match self.backend {
            // One row: busy (1 when a reader kept the checkpoint from finishing), pages...
            Backend::Sqlite => match self.pool.fetch_one("PRAGMA wal_checkpoint(TRUNCATE)").await {
                Ok(row) if row.try_get::<i64, _>(0).unwrap_or(0) != 0 => {
                    tracing::warn!("the WAL could not be emptied (busy): erased data stays in it until the next checkpoint");
                    Ok(())
                }
                Ok(_) => Ok(()),
                Err(e) => Err(e),
            },
            Backend::Postgres => {
                let mut result = Ok(());
                for table in tables {
                    // Not in a transaction: VACUUM refuses to run in one. Table names are ours.
                    if let Err(e) = self.pool.execute(format!("VACUUM {table}").as_str()).await {
                        result = Err(e);
                    }
                }
                result
            }
        };
        if let Err(e) = result {
            tracing::error!(error = %e, "scrubbing erased data from the database files failed");
        }
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Returns once every write committed before the call is on disk, not only in the page
    /// cache: what a 2xx to a webhook promises. PostgreSQL's commits already are
    /// (`synchronous_commit`); SQLite's wait for one shared fsync of the WAL (`durable`).
    pub async fn durable(&self) -> Result<()> {
        match &self.wal {
            Some(wal) => wal.sync().await.map_err(|e| StoreError::Db(sqlx::Error::Io(e))),
            None => Ok(()),
        }
    }

    pub async fn begin(&self) -> Result<sqlx::Transaction<'static, sqlx::Any>> {
        Ok(self.pool.begin().await?)
    }

    /// A write transaction for the layers above the store (`Tx`): they pass it to the store's
    /// functions and commit it, and never run SQL on it.
    pub async fn write(&self) -> Result<Tx> {
        Ok(Tx(self.begin().await?))
    }

    pub async fn ping(&self) -> bool {
        sqlx::query("SELECT 1").execute(&self.pool).await.is_ok()
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// Milliseconds since the Unix epoch: the one time format in the database.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// Placeholders for a point that may be absent: `$n, $n+1` (bind lat then lon), or `NULL, NULL`
/// (bind nothing). sqlx 0.8's `Any` driver sends a NULL `f64` to PostgreSQL as a `float4`; the
/// statement is then cached with that type and a later real `f64` fails ("incorrect binary data
/// format"). A different statement text for the absent case avoids it.
pub(crate) fn point_sql(point: Option<(f64, f64)>, after: usize) -> (String, String) {
    match point {
        Some(_) => (format!("${}", after + 1), format!("${}", after + 2)),
        None => ("NULL".into(), "NULL".into()),
    }
}

/// An optional non-negative float to bind as `NULLIF($n, -1.0)`: -1 for None. sqlx's Any driver
/// binds a None f64 as a float4 NULL on PostgreSQL, and a statement first prepared that way
/// then refuses an f64 on the same connection ("incorrect binary data format"); `point_sql`
/// avoids it for points by writing NULL into the SQL.
pub(crate) fn never_null(value: Option<f64>) -> f64 {
    value.filter(|v| *v >= 0.0).unwrap_or(-1.0)
}

/// A boolean column: BOOLEAN on PostgreSQL, 0/1 on SQLite.
pub(crate) fn flag(row: &AnyRow, column: &str) -> Result<bool> {
    match row.try_get::<bool, _>(column) {
        Ok(b) => Ok(b),
        Err(_) => Ok(row.try_get::<i64, _>(column)? != 0),
    }
}

/// `$1, $2, ...` starting after `offset` placeholders, for `IN (...)` lists.
pub(crate) fn placeholders(offset: usize, n: usize) -> String {
    (1..=n)
        .map(|i| format!("${}", offset + i))
        .collect::<Vec<_>>()
        .join(", ")
}

pub(crate) fn is_unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(db) if db.is_unique_violation())
}

/// A write transaction as intake and the use cases hold it: only the store's functions open
/// it (`conn`), so every statement of the flow stays in `store`. Dropped without `commit`, it
/// rolls back.
pub struct Tx(sqlx::Transaction<'static, sqlx::Any>);

impl Tx {
    pub async fn commit(self) -> Result<()> {
        self.0.commit().await?;
        Ok(())
    }

    pub(in crate::store) fn conn(&mut self) -> &mut Conn {
        &mut self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_continue_numbering() {
        assert_eq!(placeholders(2, 3), "$3, $4, $5");
    }
}
