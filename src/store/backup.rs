//! A consistent copy of a running SQLite database (`tocsin backup FILE`): `VACUUM INTO` reads
//! one snapshot (what was committed when it began, the WAL included) while others keep writing,
//! and writes a compact file. PostgreSQL has pg_dump for that.

use std::path::Path;

use super::{Backend, Result, Store, StoreError};

impl Store {
    /// Writes the copy to `path`, which must not exist yet.
    pub async fn backup_sqlite(&self, path: &Path) -> Result<()> {
        if self.backend() != Backend::Sqlite {
            return Err(StoreError::from(sqlx::Error::Protocol(
                "only a SQLite database is copied by tocsin; use pg_dump for PostgreSQL".into(),
            )));
        }
        sqlx::query("VACUUM INTO $1")
            .bind(path.display().to_string())
            .execute(self.pool())
            .await?;
        Ok(())
    }
}
