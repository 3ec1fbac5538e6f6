//! Encryption at rest of everything that names or locates a person: phone numbers, Signal ids,
//! volunteers' names and home areas, report texts, a joiner's chosen area.
//!
//! One 32-byte master key (config or key file) yields two subkeys: one for XChaCha20-Poly1305
//! (random 24-byte nonce per value, stored as nonce || ciphertext) and one for HMAC-SHA256, the
//! keyed hash by which a number is found without decrypting every row. Whoever holds the database
//! but not the key learns neither the numbers nor, by hashing guesses, which numbers are in it.
//!
//! Every value is sealed with associated data naming its column and its row
//! (`tocsin/v2/volunteers.name_enc/12`): a ciphertext copied into another row or column does not
//! open, so whoever can write to the database cannot swap one volunteer's number for another's.

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

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("stored value could not be decrypted (wrong crypto.key, or moved from another row)")]
pub struct DecryptError;

/// The encrypted columns; a sealed value is bound to its column and row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    VolunteerName,
    VolunteerPhone,
    VolunteerSignal,
    VolunteerArea,
    ReportBody,
    ReportReporter,
    ConversationArea,
    ConversationAreaLabel,
    /// What a verifier sent while asked to check (message text).
    CheckAnswerText,
    /// A dashboard account's phone, for paging (issue 14).
    UserPhone,
    /// A blocked sender's number, kept so that the block survives a new data key.
    BlockedSender,
    /// A planned mobilisation's place (JSON: typed, point, label) and public text (issue 18).
    MobilisationPlace,
    MobilisationText,
    /// A voice message left on the hotline: the audio fetched from Twilio (issue 17).
    VoiceAudio,
}

impl Field {
    /// `table.column` as stored.
    pub fn column(self) -> &'static str {
        match self {
            Field::VolunteerName => "volunteers.name_enc",
            Field::VolunteerPhone => "volunteers.phone_enc",
            Field::VolunteerSignal => "volunteers.signal_enc",
            Field::VolunteerArea => "volunteers.area_enc",
            Field::ReportBody => "reports.body_enc",
            Field::ReportReporter => "reports.reporter_enc",
            Field::ConversationArea => "conversations.area_enc",
            Field::ConversationAreaLabel => "conversations.area_label_enc",
            Field::CheckAnswerText => "verifier_answers.text_enc",
            Field::UserPhone => "users.phone_enc",
            Field::BlockedSender => "blocked_senders.sender_enc",
            Field::MobilisationPlace => "mobilisations.place_enc",
            Field::MobilisationText => "mobilisations.text_enc",
            Field::VoiceAudio => "voice_calls.audio_enc",
        }
    }

    fn aad(self, row: &str) -> Vec<u8> {
        format!("tocsin/v2/{}/{row}", self.column()).into_bytes()
    }
}

/// Associated data of values sealed before it was bound to rows (upgrades only).
const LEGACY_AAD: &[u8] = b"tocsin";

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
            return Vault::from_file(path, "crypto.key_file");
        }
        if !may_generate {
            bail!(
                "the database holds data encrypted with a key, but crypto.key is not set and the key file {} \
                 does not exist: restore the key file (or set crypto.key) rather than start with a new key",
                path.display()
            );
        }
        let vault = Vault::generate(path)?;
        let shown = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        tracing::warn!(
            path = %shown.display(),
            "generated a new data-encryption key; back this file up apart from the database and keep it secret (off the database's volume, out of its backups): without it nothing stored can be read, with the database it reads everything"
        );
        Ok(vault)
    }

    /// The key in the file at `path` (`what` names the setting or option, for errors).
    pub fn from_file(path: &Path, what: &str) -> anyhow::Result<Vault> {
        let text =
            std::fs::read_to_string(path).with_context(|| format!("reading {what} {}", path.display()))?;
        let key = decode_key(text.trim()).with_context(|| format!("{what} {}", path.display()))?;
        Ok(Vault::from_key(&key))
    }

    /// A new random key, written to a new file at `path` readable by its owner only; an
    /// existing file is never overwritten.
    pub fn generate(path: &Path) -> anyhow::Result<Vault> {
        let mut key = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut key);
        write_private(path, B64.encode(key).as_bytes())?;
        Ok(Vault::from_key(&key))
    }

    /// A value that identifies the key without revealing it, stored with the data it encrypts.
    pub fn check_value(&self) -> String {
        self.lookup_hash("tocsin key check")
    }

    /// A key for signing something of tocsin's own (`label` names what), the same on every
    /// instance that shares the data key.
    pub fn signing_key(&self, label: &str) -> [u8; 32] {
        derive(&self.lookup_key, format!("tocsin/v1/sign/{label}").as_bytes())
    }

    /// Seals `plain` for `field` of the row whose key is `row` (its id, or a conversation's
    /// sender hash).
    pub fn seal(&self, field: Field, row: impl std::fmt::Display, plain: &str) -> Vec<u8> {
        self.seal_with(&field.aad(&row.to_string()), plain)
    }

    /// Opens what `seal` sealed for the same field and row; anything else is an error.
    pub fn open(
        &self,
        field: Field,
        row: impl std::fmt::Display,
        sealed: &[u8],
    ) -> Result<String, DecryptError> {
        self.open_with(&field.aad(&row.to_string()), sealed)
    }

    /// Opens a value sealed by an older version, before values were bound to their rows.
    pub(crate) fn open_legacy(&self, sealed: &[u8]) -> Result<String, DecryptError> {
        self.open_with(LEGACY_AAD, sealed)
    }

    /// `seal` for bytes that are no text (audio).
    pub fn seal_bytes(&self, field: Field, row: impl std::fmt::Display, plain: &[u8]) -> Vec<u8> {
        self.seal_raw(&field.aad(&row.to_string()), plain)
    }

    /// Opens what `seal_bytes` sealed for the same field and row.
    pub fn open_bytes(
        &self,
        field: Field,
        row: impl std::fmt::Display,
        sealed: &[u8],
    ) -> Result<Vec<u8>, DecryptError> {
        self.open_raw(&field.aad(&row.to_string()), sealed)
    }

    fn seal_with(&self, aad: &[u8], plain: &str) -> Vec<u8> {
        self.seal_raw(aad, plain.as_bytes())
    }

    fn seal_raw(&self, aad: &[u8], plain: &[u8]) -> Vec<u8> {
        let mut nonce = [0u8; 24];
        rand::rngs::OsRng.fill_bytes(&mut nonce);
        let sealed = self
            .cipher
            .encrypt(XNonce::from_slice(&nonce), Payload { msg: plain, aad })
            .expect("XChaCha20-Poly1305 encryption cannot fail below 256 GB");
        let mut out = nonce.to_vec();
        out.extend_from_slice(&sealed);
        out
    }

    fn open_with(&self, aad: &[u8], sealed: &[u8]) -> Result<String, DecryptError> {
        String::from_utf8(self.open_raw(aad, sealed)?).map_err(|_| DecryptError)
    }

    fn open_raw(&self, aad: &[u8], sealed: &[u8]) -> Result<Vec<u8>, DecryptError> {
        if sealed.len() < 24 {
            return Err(DecryptError);
        }
        let (nonce, body) = sealed.split_at(24);
        self.cipher
            .decrypt(XNonce::from_slice(nonce), Payload { msg: body, aad })
            .map_err(|_| DecryptError)
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
        let a = vault.seal(Field::VolunteerPhone, 1, "+13235550199");
        let b = vault.seal(Field::VolunteerPhone, 1, "+13235550199");
        assert_ne!(a, b, "a fresh nonce per value");
        assert!(!a.windows(12).any(|w| w == b"+13235550199"));
        assert_eq!(vault.open(Field::VolunteerPhone, 1, &a).unwrap(), "+13235550199");
    }

    #[test]
    fn a_value_moved_to_another_row_or_column_does_not_open() {
        let vault = Vault::from_key(&[7u8; 32]);
        let sealed = vault.seal(Field::VolunteerPhone, 12, "+13235550199");
        assert_eq!(vault.open(Field::VolunteerPhone, 13, &sealed), Err(DecryptError));
        assert_eq!(vault.open(Field::ReportReporter, 12, &sealed), Err(DecryptError));
        assert_eq!(vault.open(Field::VolunteerSignal, 12, &sealed), Err(DecryptError));
        let mut flipped = sealed.clone();
        let last = flipped.len() - 1;
        flipped[last] ^= 1;
        assert_eq!(vault.open(Field::VolunteerPhone, 12, &flipped), Err(DecryptError));
        assert_eq!(vault.open(Field::VolunteerPhone, 12, &[]), Err(DecryptError));
    }

    #[test]
    fn audio_round_trips_bound_to_its_row() {
        let vault = Vault::from_key(&[7u8; 32]);
        let audio = [b'R', b'I', b'F', b'F', 0, 0xff, 0x80, 7];
        let sealed = vault.seal_bytes(Field::VoiceAudio, 3, &audio);
        assert!(!sealed.windows(4).any(|w| w == b"RIFF"));
        assert_eq!(vault.open_bytes(Field::VoiceAudio, 3, &sealed).unwrap(), audio);
        assert_eq!(vault.open_bytes(Field::VoiceAudio, 4, &sealed), Err(DecryptError));
        assert_eq!(vault.open_bytes(Field::ReportBody, 3, &sealed), Err(DecryptError));
    }

    #[test]
    fn values_sealed_before_rows_were_bound_open_only_as_legacy() {
        let vault = Vault::from_key(&[7u8; 32]);
        let legacy = vault.seal_with(LEGACY_AAD, "+13235550199");
        assert_eq!(vault.open_legacy(&legacy).unwrap(), "+13235550199");
        assert!(vault.open(Field::VolunteerPhone, 1, &legacy).is_err());
        let bound = vault.seal(Field::VolunteerPhone, 1, "+13235550199");
        assert!(vault.open_legacy(&bound).is_err());
    }

    #[test]
    fn another_key_cannot_decrypt_or_match_hashes() {
        let one = Vault::from_key(&[1u8; 32]);
        let two = Vault::from_key(&[2u8; 32]);
        let sealed = one.seal(Field::VolunteerPhone, 1, "+13235550199");
        assert!(two.open(Field::VolunteerPhone, 1, &sealed).is_err());
        assert_ne!(one.lookup_hash("+13235550199"), two.lookup_hash("+13235550199"));
        assert_eq!(one.lookup_hash("+13235550199"), one.lookup_hash("+13235550199"));
        assert!(one.open(Field::VolunteerPhone, 1, b"short").is_err());
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
        let sealed = first.seal(Field::VolunteerName, 1, "x");
        assert_eq!(second.open(Field::VolunteerName, 1, &sealed).unwrap(), "x");
    }

    #[test]
    fn a_configured_key_must_be_32_bytes_of_base64() {
        assert!(decode_key("not base64!").is_err());
        assert!(decode_key(&B64.encode([0u8; 16])).is_err());
        assert!(decode_key(&B64.encode([0u8; 32])).is_ok());
    }
}
