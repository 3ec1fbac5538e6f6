//! Dashboard accounts: argon2id password hashes, and sessions whose cookie token is random
//! (32 bytes) and stored only as a SHA-256 hash. Used by the dashboard and the `user` CLI.

use argon2::password_hash::{PasswordHash, PasswordHasher, SaltString};
use argon2::Argon2;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use base64::Engine;
use rand::RngCore;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::domain::Role;
use crate::state::Core;
use crate::store::accounts::UserRow;
use crate::store::{now_ms, StoreError};

/// A signed-in dashboard user.
#[derive(Debug, Clone)]
pub struct User {
    pub id: i64,
    pub name: String,
    pub role: Role,
    /// Paging (issue 14): None without a phone; else whether the account is on duty.
    pub on_duty: Option<bool>,
}

impl User {
    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }

    pub fn actor(&self) -> crate::audit::Actor {
        crate::audit::Actor::User {
            id: self.id,
            name: self.name.clone(),
        }
    }

    pub(crate) fn from_row(row: &UserRow) -> User {
        User {
            id: row.id,
            name: row.name.clone(),
            // An unknown stored role gets the lesser rights.
            role: Role::parse(&row.role).unwrap_or(Role::Dispatcher),
            on_duty: row.has_phone.then_some(row.on_duty),
        }
    }
}

/// An account name: 1 to 64 letters, digits, `.`, `_` or `-`.
pub fn parse_user_name(name: &str) -> Result<String, &'static str> {
    let name = name.trim();
    let ok = !name.is_empty()
        && name.chars().count() <= 64
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '-'));
    if ok {
        Ok(name.to_string())
    } else {
        Err("name must be 1 to 64 letters, digits, '.', '_' or '-'")
    }
}

/// A password: at least 10 characters, at most 1,000.
pub fn check_password(password: &str) -> Result<(), &'static str> {
    match password.chars().count() {
        0..=9 => Err("password must be at least 10 characters"),
        1001.. => Err("password must be at most 1000 characters"),
        _ => Ok(()),
    }
}

pub fn hash_password(password: &str) -> anyhow::Result<String> {
    let salt = SaltString::generate(&mut rand::rngs::OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!("hashing the password: {e}"))
}

#[cfg(test)]
fn password_matches(password: &str, hash: &str) -> bool {
    password_matches_in(&mut Vec::new(), password, hash)
}

/// Argon2 memory above this (256 MiB) is refused rather than allocated.
const MAX_BLOCKS: usize = 256 * 1024;

/// Whether `password` matches the PHC string `hash`, with Argon2's memory taken from
/// `memory`, which the caller keeps and reuses: the allocator does not reuse the blocks
/// argon2 allocates itself (64-byte aligned), and every check grew the process by ~19 MiB.
pub(crate) fn password_matches_in(memory: &mut Vec<argon2::Block>, password: &str, hash: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(hash) else {
        return false;
    };
    let (Ok(params), Some(salt), Some(expected)) =
        (argon2::Params::try_from(&parsed), parsed.salt, parsed.hash)
    else {
        return false;
    };
    let Ok(algorithm) = argon2::Algorithm::try_from(parsed.algorithm) else {
        return false;
    };
    let Ok(version) = parsed.version.map(argon2::Version::try_from).transpose() else {
        return false;
    };
    let blocks = params.block_count();
    if blocks > MAX_BLOCKS {
        return false;
    }
    if memory.len() < blocks {
        memory.resize(blocks, argon2::Block::default());
    }
    let mut salt_bytes = [0u8; 64];
    let Ok(salt) = salt.decode_b64(&mut salt_bytes) else {
        return false;
    };
    let mut out = vec![0u8; expected.len()];
    let argon2 = Argon2::new(algorithm, version.unwrap_or_default(), params);
    argon2
        .hash_password_into_with_memory(password.as_bytes(), salt, &mut out, &mut memory[..blocks])
        .is_ok()
        && bool::from(out.as_slice().ct_eq(expected.as_bytes()))
}

pub async fn add_user(core: &Core, name: &str, role: Role, password: &str) -> anyhow::Result<i64> {
    let name = parse_user_name(name).map_err(anyhow::Error::msg)?;
    check_password(password).map_err(anyhow::Error::msg)?;
    let hash = hash_password(password)?;
    Ok(core.store.insert_user(&name, role.as_str(), &hash).await?)
}

/// A new session: the cookie token (to give the browser) and its CSRF token.
pub struct NewSession {
    pub token: String,
    pub csrf: String,
}

fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    B64.encode(bytes)
}

pub fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

pub async fn open_session(core: &Core, user: &User) -> Result<NewSession, StoreError> {
    let session = NewSession {
        token: random_token(),
        csrf: random_token(),
    };
    let expires_at = now_ms() + core.settings.dashboard.session_hours as i64 * 3_600_000;
    core.store
        .insert_session(&token_hash(&session.token), user.id, &session.csrf, expires_at)
        .await?;
    Ok(session)
}

/// The user and CSRF token of a live session.
pub async fn session(core: &Core, token: &str) -> Result<Option<(User, String)>, StoreError> {
    Ok(core.store.session(&token_hash(token)).await?.map(|s| {
        let mut user = User::from_row(&s.user);
        // Shown as paged or not: the switch, or a scheduled shift.
        if user.on_duty.is_some() {
            let (u, switch) = (&s.user, s.user.on_duty);
            user.on_duty = Some(crate::oncall::duty::is_on_duty(
                core,
                &u.name,
                switch,
                u.duty_set_at,
            ));
        }
        (user, s.csrf)
    }))
}

pub async fn close_session(core: &Core, token: &str) -> Result<(), StoreError> {
    core.store.delete_session(&token_hash(token)).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_argon2id_and_verify_only_the_right_password() {
        let hash = hash_password("correct horse battery").unwrap();
        assert!(hash.starts_with("$argon2id$"), "{hash}");
        assert!(password_matches("correct horse battery", &hash));
        assert!(!password_matches("correct horse battery!", &hash));
        assert!(!password_matches("x", "not a hash"));
    }

    #[test]
    fn names_and_passwords_are_checked() {
        assert_eq!(parse_user_name(" maria ").unwrap(), "maria");
        assert!(parse_user_name("a b").is_err());
        assert!(parse_user_name("").is_err());
        assert!(check_password("short").is_err());
        assert!(check_password("long enough pass").is_ok());
    }

    #[test]
    fn tokens_are_random_and_stored_hashed() {
        let (a, b) = (random_token(), random_token());
        assert_ne!(a, b);
        assert_eq!(B64.decode(&a).unwrap().len(), 32);
        assert_eq!(token_hash(&a).len(), 64);
        assert_ne!(token_hash(&a), a);
    }
}
