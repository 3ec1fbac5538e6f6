//! A PostgreSQL database of its own for each server benchmark run (`--backend postgres`):
//! created on `--database-url`'s server before the run and dropped after, so that runs never
//! see each other's rows and leave nothing behind.

use anyhow::{bail, Context};
use sqlx::Connection;

use super::harness::fresh;

/// Creates a database for this run on the server of `admin`; its URL and name.
pub(super) async fn create_pg(admin: &str) -> anyhow::Result<(String, String)> {
    let name = fresh("tocsin_bench");
    let mut conn = sqlx::PgConnection::connect(admin)
        .await
        .with_context(|| format!("--database-url: cannot connect to PostgreSQL at {admin}"))?;
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut conn)
        .await
        .with_context(|| format!("creating database {name}"))?;
    let _ = conn.close().await;
    let base = admin.split('?').next().unwrap_or(admin);
    let Some((server, _db)) = base.rsplit_once('/') else {
        bail!("--database-url: expected postgres://USER@HOST:PORT/DATABASE");
    };
    Ok((format!("{server}/{name}"), name))
}

pub(super) async fn drop_pg(admin: &str, name: &str) -> anyhow::Result<()> {
    let mut conn = sqlx::PgConnection::connect(admin).await?;
    sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .execute(&mut conn)
        .await?;
    let _ = conn.close().await;
    Ok(())
}
