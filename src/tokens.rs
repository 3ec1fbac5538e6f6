//! API tokens with scopes. A token is 32 random bytes, base64url, after the prefix `tocsin_`
//! (so that secret scanners know it); only its SHA-256 is stored, and a request's token is found
//! by that hash, so comparing takes no time that depends on how much of a token was right.
//! Every request reads the token's row: a revoked token is refused at once on every instance.
//! `api.token` from the configuration stays an admin token, acting as `api`.

use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use base64::Engine;
use rand::RngCore;
use secrecy::ExposeSecret;
use subtle::ConstantTimeEq;

use crate::accounts::{parse_user_name, token_hash};
use crate::audit::{self, Actor, Subject};
use crate::domain::Scope;
use crate::state::Core;
use crate::store::tokens::Revoked;
use crate::store::StoreError;

/// What every token made by tocsin starts with.
pub const PREFIX: &str = "tocsin_";

/// `last_used_at` is written at most this often per token.
const TOUCH_EVERY_MS: i64 = 60_000;

/// Who is calling the API, and what they may do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    /// `api` for the configuration's token, `token:NAME` for the others: the audit log's actor.
    pub name: String,
    pub scope: Scope,
}

impl Caller {
    pub fn actor(&self) -> Actor {
        match self.name.strip_prefix("token:") {
            Some(name) => Actor::token(name),
            None => Actor::Api,
        }
    }

    /// Whether this caller may see whole phone numbers (each read audited).
    pub fn sees_whole_numbers(&self) -> bool {
        self.scope.allows(Scope::Admin)
    }
}

/// A token just made: `secret` is shown once and never again.
pub struct NewToken {
    pub name: String,
    pub scope: Scope,
    pub secret: String,
}

fn new_secret() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    format!("{PREFIX}{}", B64.encode(bytes))
}

/// Makes a token named `name` (1 to 64 letters, digits, `.`, `_` or `-`; never used before).
pub async fn add(core: &Core, actor: &Actor, name: &str, scope: Scope) -> Result<NewToken, AddError> {
    let name = parse_user_name(name).map_err(AddError::Name)?;
    let secret = new_secret();
    core.store
        .insert_token(&name, scope.as_str(), &token_hash(&secret))
        .await?;
    audit::record(
        core,
        actor,
        "token_add",
        Subject::None,
        &format!("{name} {scope}"),
    )
    .await;
    Ok(NewToken { name, scope, secret })
}

#[derive(Debug, thiserror::Error)]
pub enum AddError {
    #[error("{0}")]
    Name(&'static str),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Revokes the token named `name`; audited when it was live.
pub async fn revoke(core: &Core, actor: &Actor, name: &str) -> Result<Revoked, StoreError> {
    let done = core.store.revoke_token(name.trim()).await?;
    if done == Revoked::Now {
        audit::record(core, actor, "token_revoke", Subject::None, name.trim()).await;
    }
    Ok(done)
}

/// The caller holding `bearer`, or None for a missing, unknown or revoked token.
pub async fn caller(core: &Core, bearer: &str) -> Result<Option<Caller>, StoreError> {
    if bearer.is_empty() {
        return Ok(None);
    }
    if let Some(expected) = &core.settings.api.token {
        if bool::from(bearer.as_bytes().ct_eq(expected.expose_secret().as_bytes())) {
            return Ok(Some(Caller {
                name: "api".into(),
                scope: Scope::Admin,
            }));
        }
    }
    // Anything else that is not one of ours costs no database round-trip.
    if !bearer.starts_with(PREFIX) {
        return Ok(None);
    }
    let Some(row) = core.store.token_by_hash(&token_hash(bearer)).await? else {
        return Ok(None);
    };
    if row.revoked_at.is_some() {
        // Someone still holds it: worth an admin's attention (the name only, never the token).
        tracing::warn!(token = %row.name, "a revoked API token was used");
        return Ok(None);
    }
    let Some(scope) = Scope::parse(&row.scope) else {
        tracing::error!(token = %row.name, "an API token has an unknown scope");
        return Ok(None);
    };
    let stale = row
        .last_used_at
        .is_none_or(|at| at < crate::store::now_ms() - TOUCH_EVERY_MS);
    if stale {
        // Bookkeeping: a failure here does not refuse the request.
        if let Err(e) = core.store.touch_token(row.id, TOUCH_EVERY_MS).await {
            tracing::error!(error = %e, "recording when a token was used failed");
        }
    }
    Ok(Some(Caller {
        name: format!("token:{}", row.name),
        scope,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_prefixed_random_and_32_bytes() {
        let (a, b) = (new_secret(), new_secret());
        assert_ne!(a, b);
        let body = a.strip_prefix(PREFIX).expect("prefix");
        assert_eq!(B64.decode(body).map(|v| v.len()).ok(), Some(32));
        assert!(body
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'));
    }

    #[test]
    fn callers_act_under_their_token_name_and_the_config_token_as_api() {
        let named = Caller {
            name: "token:ci-bot".into(),
            scope: Scope::Read,
        };
        assert_eq!(named.actor().name(), "token:ci-bot");
        assert!(!named.sees_whole_numbers());
        let config = Caller {
            name: "api".into(),
            scope: Scope::Admin,
        };
        assert_eq!(config.actor(), Actor::Api);
        assert!(config.sees_whole_numbers());
    }
}
