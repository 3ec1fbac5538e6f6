//! The login form's CSRF token, signed by the server: a random nonce and the time it was
//! issued, with an HMAC under a key derived from the data key. Only the server can make one,
//! every instance sharing the key accepts it, and it expires. Unlike a cookie/field pair, a
//! client cannot choose a pair of its own that matches.

use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;

/// How long a login form stays good.
const LIFETIME_S: u64 = 2 * 3600;
/// Clocks of instances may differ by this much.
const SKEW_S: u64 = 60;
const NONCE: usize = 12;
const STAMP: usize = 8;
const TAG: usize = 16;

pub struct LoginCsrf {
    key: [u8; 32],
}

impl LoginCsrf {
    pub fn new(key: [u8; 32]) -> LoginCsrf {
        LoginCsrf { key }
    }

    fn tag(&self, signed: &[u8]) -> [u8; TAG] {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.key).expect("any key length");
        mac.update(b"login-csrf");
        mac.update(signed);
        let full = mac.finalize().into_bytes();
        let mut tag = [0u8; TAG];
        tag.copy_from_slice(&full[..TAG]);
        tag
    }

    /// A new token issued at `now_s` (seconds since the epoch).
    pub fn issue(&self, now_s: u64) -> String {
        let mut bytes = Vec::with_capacity(NONCE + STAMP + TAG);
        bytes.extend_from_slice(&rand::random::<[u8; NONCE]>());
        bytes.extend_from_slice(&now_s.to_be_bytes());
        let tag = self.tag(&bytes);
        bytes.extend_from_slice(&tag);
        B64.encode(bytes)
    }

    /// Whether `token` was issued by a server with this key within its lifetime.
    pub fn valid(&self, token: &str, now_s: u64) -> bool {
        let Ok(bytes) = B64.decode(token.trim()) else {
            return false;
        };
        if bytes.len() != NONCE + STAMP + TAG {
            return false;
        }
        let (signed, tag) = bytes.split_at(NONCE + STAMP);
        if !bool::from(self.tag(signed).ct_eq(tag)) {
            return false;
        }
        let mut stamp = [0u8; STAMP];
        stamp.copy_from_slice(&signed[NONCE..]);
        let issued = u64::from_be_bytes(stamp);
        issued <= now_s + SKEW_S && now_s.saturating_sub(issued) <= LIFETIME_S
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_fresh_tokens_of_this_key_are_valid() {
        let csrf = LoginCsrf::new([7; 32]);
        let now = 1_800_000_000;
        let token = csrf.issue(now);
        assert!(csrf.valid(&token, now));
        assert!(csrf.valid(&token, now + LIFETIME_S), "good for its lifetime");
        assert!(!csrf.valid(&token, now + LIFETIME_S + 1), "then expired");
        assert!(!csrf.valid(&token, now - SKEW_S - 1), "not from the future");
        assert_ne!(csrf.issue(now), token, "a new nonce each time");
        assert!(!LoginCsrf::new([8; 32]).valid(&token, now), "another key's token");
        for forged in ["", "x", "AAAA", &token[1..], &format!("{token}A")] {
            assert!(!csrf.valid(forged, now), "{forged:?}");
        }
        // A token with its time moved forward keeps no valid tag.
        let mut bytes = B64.decode(&token).unwrap();
        bytes[NONCE + STAMP - 1] ^= 1;
        assert!(!csrf.valid(&B64.encode(bytes), now));
    }
}
