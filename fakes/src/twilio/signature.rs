//! `X-Twilio-Signature` exactly as PROTOCOLS §2.1 describes it: HMAC-SHA1 keyed with the auth
//! token over the URL (byte for byte, query included) followed by every distinct parameter
//! name in code-point order, each followed by its distinct values in code-point order; base64.
//! Checked against the official vectors V1, V2, V4, V5 in `tests/signature.rs`.

use std::collections::{BTreeMap, BTreeSet};

use base64::{engine::general_purpose::STANDARD, Engine as _};
use hmac::{Hmac, Mac};
use sha1::Sha1;

/// Computes the `X-Twilio-Signature` for a form-encoded POST to `url` with `params`
/// (decoded pairs, repeated keys and empty values kept).
pub fn sign(auth_token: &str, url: &str, params: &[(String, String)]) -> String {
    // Sort by name first, then values within a name. Sorting the concatenated `name+value`
    // strings instead would put `SidAccount…` before `Sid…` (vector V2 catches that).
    // `str` ordering is byte ordering, which for UTF-8 is code-point ordering.
    let mut by_name: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for (name, value) in params {
        by_name.entry(name.as_str()).or_default().insert(value.as_str());
    }

    let mut mac =
        Hmac::<Sha1>::new_from_slice(auth_token.as_bytes()).expect("HMAC accepts keys of any length");
    mac.update(url.as_bytes());
    for (name, values) in by_name {
        for value in values {
            mac.update(name.as_bytes());
            mac.update(value.as_bytes());
        }
    }
    STANDARD.encode(mac.finalize().into_bytes())
}
