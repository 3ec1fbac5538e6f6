//! Encryption at rest of phone numbers and Signal ids.
//!
//! One 32-byte master key (config or key file) yields two subkeys: one for XChaCha20-Poly1305
//! (random 24-byte nonce per value, stored as nonce || ciphertext) and one for HMAC-SHA256, the
//! keyed hash by which a number is found without decrypting every row. Whoever holds the database
//! but not the key learns neither the numbers nor, by hashing guesses, which numbers are in it.

use std::io::Write;
use std::path::Path;

use anyhow::{bail, Context};
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use hmac::{Hmac, Mac};
use rand::RngCore;
use secrecy::ExposeSecret;
use sha2::Sha256;

use crate::config::Crypto;

type HmacSha256 = Hmac<Sha256>;

#[derive(Clone)]
pub struct Vault {
    cipher: XChaCha20Poly1305,
    lookup_key: [u8; 32],
}

#[derive(Debug, thiserror::Error)]
#[error("stored value could not be decrypted (wrong crypto.key?)")]
pub struct DecryptError;

impl Vault {
    pub fn from_key(master: &[u8; 32]) -> Vault {
        let enc = derive(master, b"tocsin/v1/encrypt");
        Vault {
            cipher: XChaCha20Poly1305::new((&enc).into()),
            lookup_key: derive(master, b"tocsin/v1/lookup"),
        }
    }

    /// The key from `crypto.key`, else from `crypto.key_file`; the file is generated only
    /// when `may_generate` (a database that holds nothing encrypted yet).
    pub fn load(cfg: &Crypto, may_generate: bool) -> anyhow::Result<Vault> {
        if let Some(key) = &cfg.key {
            return Ok(Vault::from_key(
                &decode_key(key.expose_secret()).context("crypto.key")?,
            ));
        }
        let path = Path::new(&cfg.key_file);
        if path.exists() {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("reading crypto.key_file {}", path.display()))?;
            let key =
                decode_key(text.trim()).with_context(|| format!("crypto.key_file {}", path.display()))?;
            return Ok(Vault::from_key(&key));
        }
        if !may_generate {
            bail!(
                "the database holds data encrypted with a key, but crypto.key is not set and the key file {} \
                 does not exist: restore the key file (or set crypto.key) rather than start with a new key",
                path.display()
            );
        }
        let mut key = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut key);
        write_private(path, B64.encode(key).as_bytes())?;
        let shown = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        tracing::warn!(
            path = %shown.display(),
            "generated a new data-encryption key; back this file up and keep it secret: without it the stored phone numbers cannot be read"
        );
        Ok(Vault::from_key(&key))
    }

    /// A value that identifies the key without revealing it, stored with the data it encrypts.
    pub fn check_value(&self) -> String {
        self.lookup_hash("tocsin key check")
    }

    pub fn encrypt(&self, plain: &str) -> Vec<u8> {
        let mut nonce = [0u8; 24];
        rand::rngs::OsRng.fill_bytes(&mut nonce);
        let sealed = self
            .cipher
            .encrypt(
                XNonce::from_slice(&nonce),
                Payload {
                    msg: plain.as_bytes(),
                    aad: b"tocsin",
                },
            )
            .expect("XChaCha20-Poly1305 encryption of a short value cannot fail");
        let mut out = nonce.to_vec();
        out.extend_from_slice(&sealed);
        out
    }

    pub fn decrypt(&self, sealed: &[u8]) -> Result<String, DecryptError> {
        if sealed.len() < 24 {
            return Err(DecryptError);
        }
        let (nonce, body) = sealed.split_at(24);
        let plain = self
            .cipher
            .decrypt(
                XNonce::from_slice(nonce),
                Payload {
                    msg: body,
                    aad: b"tocsin",
                },
            )
            .map_err(|_| DecryptError)?;
        String::from_utf8(plain).map_err(|_| DecryptError)
    }

    /// Keyed hash (hex) used as the lookup key of a phone number or Signal id.
    pub fn lookup_hash(&self, value: &str) -> String {
        let mut mac = <HmacSha256 as Mac>::new_from_slice(&self.lookup_key).expect("any key length");
        mac.update(value.as_bytes());
        mac.finalize()
            .into_bytes()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }
}

fn derive(master: &[u8; 32], label: &[u8]) -> [u8; 32] {
    let mut mac = <HmacSha256 as Mac>::new_from_slice(master).expect("any key length");
    mac.update(label);
    mac.finalize().into_bytes().into()
}

fn decode_key(text: &str) -> anyhow::Result<[u8; 32]> {
    let bytes = B64.decode(text.trim()).context("not valid base64")?;
    match <[u8; 32]>::try_from(bytes.as_slice()) {
        Ok(key) => Ok(key),
        Err(_) => bail!("must be 32 bytes, got {}", bytes.len()),
    }
}

#[cfg(unix)]
fn write_private(path: &Path, data: &[u8]) -> anyhow::Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .with_context(|| format!("creating key file {}", path.display()))?;
    file.write_all(data)?;
    file.sync_all()?;
    Ok(())
}

#[cfg(not(unix))]
fn write_private(path: &Path, data: &[u8]) -> anyhow::Result<()> {
    std::fs::write(path, data).with_context(|| format!("creating key file {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encrypted_numbers_round_trip_and_differ_each_time() {
        let vault = Vault::from_key(&[7u8; 32]);
        let a = vault.encrypt("+13235550199");
        let b = vault.encrypt("+13235550199");
        assert_ne!(a, b, "a fresh nonce per value");
        assert!(!a.windows(12).any(|w| w == b"+13235550199"));
        assert_eq!(vault.decrypt(&a).unwrap(), "+13235550199");
    }

    #[test]
    fn another_key_cannot_decrypt_or_match_hashes() {
        let one = Vault::from_key(&[1u8; 32]);
        let two = Vault::from_key(&[2u8; 32]);
        assert!(two.decrypt(&one.encrypt("+13235550199")).is_err());
        assert_ne!(one.lookup_hash("+13235550199"), two.lookup_hash("+13235550199"));
        assert_eq!(one.lookup_hash("+13235550199"), one.lookup_hash("+13235550199"));
        assert!(one.decrypt(b"short").is_err());
    }

    #[test]
    fn a_generated_key_file_is_private_and_reused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("k").join("tocsin.key");
        let cfg = Crypto {
            key: None,
            key_file: path.to_string_lossy().into_owned(),
        };
        assert!(
            Vault::load(&cfg, false).is_err(),
            "no key is generated for a database that has data"
        );
        let first = Vault::load(&cfg, true).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let second = Vault::load(&cfg, false).unwrap();
        assert_eq!(second.decrypt(&first.encrypt("x")).unwrap(), "x");
    }

    #[test]
    fn a_configured_key_must_be_32_bytes_of_base64() {
        assert!(decode_key("not base64!").is_err());
        assert!(decode_key(&B64.encode([0u8; 16])).is_err());
        assert!(decode_key(&B64.encode([0u8; 32])).is_ok());
    }
}
