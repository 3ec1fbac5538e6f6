//! Inbound provider messages, each recorded once under (provider, message id).

use super::{Conn, Result};

/// Records the message; false when it was already seen (a provider's redelivery).
/// Call it in the transaction that applies the message, so that a crash loses neither.
pub async fn first_time(conn: &mut Conn, provider: &str, message_id: &str, now: i64) -> Result<bool> {
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
