//! Inbound provider messages, each recorded once under (provider, message id), for as long as
//! a provider may redeliver them (the reporter retention window). A Signal message is known by
//! a keyed hash of its sender and its timestamp: no number or UUID in clear.

use super::{Conn, Result, Tx};
use crate::crypto::Vault;

/// The id under which a Signal message is remembered: `{keyed hash of the sender}:{timestamp}`.
/// The hash is apart from the one that finds volunteers, so the ids link to nobody's row.
pub fn signal_message_id(vault: &Vault, sender: &str, timestamp: impl std::fmt::Display) -> String {
    let hash = vault.lookup_hash(&format!("signal inbound/{sender}"));
    format!("{hash}:{timestamp}")
}

/// Records the message; false when it was already seen (a provider's redelivery).
/// Call it in the transaction that applies the message, so that a crash loses neither.
pub async fn first_time(tx: &mut Tx, provider: &str, message_id: &str, now: i64) -> Result<bool> {
    first_time_on(tx.conn(), provider, message_id, now).await
}

/// `first_time` on a transaction of the store's own.
pub(super) async fn first_time_on(
    conn: &mut Conn,
    provider: &str,
    message_id: &str,
    now: i64,
) -> Result<bool> {
    let done = sqlx::query(
        "INSERT INTO inbound_messages (provider, message_id, received_at) VALUES ($1, $2, $3) \
         ON CONFLICT DO NOTHING",
    )
    .bind(provider)
    .bind(message_id)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

impl super::Store {
    /// Forgets message ids received before `before`; the caller scrubs the files.
    pub async fn purge_inbound(&self, before: i64) -> Result<u64> {
        let done = sqlx::query("DELETE FROM inbound_messages WHERE received_at < $1")
            .bind(before)
            .execute(self.pool())
            .await?;
        Ok(done.rows_affected())
    }

    /// Whether this provider message was recorded already.
    pub async fn inbound_seen(&self, provider: &str, message_id: &str) -> Result<bool> {
        let row =
            sqlx::query("SELECT 1 AS one FROM inbound_messages WHERE provider = $1 AND message_id = $2")
                .bind(provider)
                .bind(message_id)
                .fetch_optional(self.pool())
                .await?;
        Ok(row.is_some())
    }
}
