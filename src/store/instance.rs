//! Who has the database open. Every process that opens it (serve, demo, a CLI command) holds a
//! shared lease for as long as it runs; `tocsin rotate-key` needs the lease alone, because a
//! process still holding the old key would seal what it writes next with that key.
//!
//! On PostgreSQL the lease is a session advisory lock (shared or exclusive) on a connection of
//! its own, released when the process ends however it ends. On SQLite it is an advisory file
//! lock on `<database>.lock` beside the file (not on the database file itself: closing any
//! descriptor of the database would drop SQLite's own POSIX locks).

use std::fs::{File, TryLockError};
use std::path::PathBuf;

use anyhow::{bail, Context};
use sqlx::AnyConnection;
use sqlx::{AnyPool, Row};

use super::files::sqlite_path;
use super::Backend;

/// The advisory lock's number: tocsin's processes on this database.
const INSTANCES: i64 = 7_310_002;

/// Held for as long as the process uses the database; released on drop.
pub struct Lease {
    _held: Held,
}

enum Held {
    /// Behind a mutex only to be shared between threads (never locked: it is only held).
    Postgres(#[allow(dead_code)] std::sync::Mutex<AnyConnection>),
    File(#[allow(dead_code)] File),
    Nothing,
}

impl Lease {
    /// A lease beside others; refused while `rotate-key` holds the database alone.
    pub async fn shared(pool: &AnyPool, backend: Backend, url: &str) -> anyhow::Result<Lease> {
        let held = take(pool, backend, url, false).await?;
        match held {
            Some(held) => Ok(Lease { _held: held }),
            None => bail!(
                "`tocsin rotate-key` is re-sealing this database with a new data key: start again when it has \
                 finished, with the new key (crypto.key_file)"
            ),
        }
    }

    /// The database alone: refused while any other tocsin process has it open.
    pub async fn exclusive(pool: &AnyPool, backend: Backend, url: &str) -> anyhow::Result<Lease> {
        let held = take(pool, backend, url, true).await?;
        match held {
            Some(held) => Ok(Lease { _held: held }),
            None => bail!(
                "another tocsin process has this database open (tocsin serve, or a command still running): \
                 stop every instance first; a process that kept the old key would seal what it writes next with it"
            ),
        }
    }
}

/// The lease, or None when it is held the other way.
async fn take(pool: &AnyPool, backend: Backend, url: &str, alone: bool) -> anyhow::Result<Option<Held>> {
    match backend {
        Backend::Postgres => {
            let mut conn = pool.acquire().await?.detach();
            let sql = if alone {
                "SELECT pg_try_advisory_lock($1) AS ok"
            } else {
                "SELECT pg_try_advisory_lock_shared($1) AS ok"
            };
            let row = sqlx::query(sql)
                .bind(INSTANCES)
                .fetch_one(&mut conn)
                .await
                .context("taking the instance lock")?;
            let ok: bool = row.try_get("ok")?;
            Ok(ok.then(|| Held::Postgres(std::sync::Mutex::new(conn))))
        }
        Backend::Sqlite => {
            let Some(path) = lock_path(url) else {
                return Ok(Some(Held::Nothing));
            };
            let file = open_lock_file(&path)?;
            let taken = if alone {
                file.try_lock()
            } else {
                file.try_lock_shared()
            };
            match taken {
                Ok(()) => Ok(Some(Held::File(file))),
                Err(TryLockError::WouldBlock) => Ok(None),
                Err(TryLockError::Error(e)) => Err(e).with_context(|| format!("locking {}", path.display())),
            }
        }
    }
}

/// `tocsin.db` → `tocsin.db.lock`; None for an in-memory database.
fn lock_path(url: &str) -> Option<PathBuf> {
    let db = sqlite_path(url)?;
    let mut name = db.file_name()?.to_os_string();
    name.push(".lock");
    Some(db.with_file_name(name))
}

fn open_lock_file(path: &std::path::Path) -> anyhow::Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options
        .open(path)
        .with_context(|| format!("opening the lock file {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lock_file_sits_beside_the_database() {
        assert_eq!(
            lock_path("sqlite://data/tocsin.db?mode=rwc"),
            Some(PathBuf::from("data/tocsin.db.lock"))
        );
        assert_eq!(lock_path("sqlite::memory:"), None);
    }

    #[tokio::test]
    async fn a_shared_lease_keeps_the_database_from_being_held_alone() {
        sqlx::any::install_default_drivers();
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}/t.db?mode=rwc", dir.path().display());
        let pool = AnyPool::connect(&url).await.unwrap();
        let one = Lease::shared(&pool, Backend::Sqlite, &url).await.unwrap();
        let two = Lease::shared(&pool, Backend::Sqlite, &url).await.unwrap();
        let refused = Lease::exclusive(&pool, Backend::Sqlite, &url).await;
        assert!(refused.err().unwrap().to_string().contains("stop every instance"));
        drop((one, two));
        let alone = Lease::exclusive(&pool, Backend::Sqlite, &url).await.unwrap();
        let refused = Lease::shared(&pool, Backend::Sqlite, &url).await;
        assert!(refused.err().unwrap().to_string().contains("rotate-key"));
        drop(alone);
        Lease::shared(&pool, Backend::Sqlite, &url).await.unwrap();
    }
}
