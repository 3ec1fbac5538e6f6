//! Method dispatch and the small methods (`version`, `listAccounts`, `getUserStatus`), plus
//! signal-cli's parameter conventions (PROTOCOLS §6.3, `JsonRpcNamespace`): a key may be
//! dashed or camelCase, a list option accepts one value or an array and also the plural key.
//! Guarantees: an unknown method is -32601 before anything else is checked; a non-null
//! `params.account` other than ours is -32602 "Specified account does not exist"; a
//! parameter of the wrong JSON type is -32600; recipients must be E.164 numbers or uuids.

use std::sync::Arc;

use serde_json::{json, Map, Value};

use super::rpc::{RpcError, INVALID_PARAMS, METHOD_NOT_FOUND};
use super::send::{send, send_receipt};
use super::state::{is_uuid, Shared};

/// `version` as the daemon in PROTOCOLS §6 reports it.
pub(crate) const SIGNAL_CLI_VERSION: &str = "0.14.6";

const METHODS: &[&str] = &["send", "sendReceipt", "getUserStatus", "version", "listAccounts"];

pub(crate) type Params = Map<String, Value>;

pub(crate) async fn dispatch(
    shared: &Arc<Shared>,
    method: &str,
    params: Option<Value>,
) -> Result<Value, RpcError> {
    // signal-cli's single-account handler has no multi-account commands (SignalJsonRpcCommandHandler).
    if !METHODS.contains(&method) || (method == "listAccounts" && shared.config.single_account) {
        return Err(RpcError::new(METHOD_NOT_FOUND, "Method not implemented"));
    }
    let mut params = match params {
        None => Params::new(),
        Some(Value::Object(map)) => map,
        Some(other) => return Err(RpcError::bad_type("java.util.LinkedHashMap", &other)),
    };
    check_account(shared, &mut params)?;
    match method {
        "send" => send(shared, &params).await,
        "sendReceipt" => send_receipt(shared, &params),
        "getUserStatus" => user_status(shared, &params),
        "version" => Ok(json!({ "version": SIGNAL_CLI_VERSION })),
        _ => Ok(json!([{ "number": shared.config.account }])), // listAccounts
    }
}

/// `params.account`, when present and non-null, must be our account; it is then removed.
fn check_account(shared: &Shared, params: &mut Params) -> Result<(), RpcError> {
    let account = match params.remove("account") {
        None | Some(Value::Null) => return Ok(()),
        Some(Value::String(s)) => s,
        Some(other) => other.to_string(), // Jackson's asText()
    };
    if account == shared.config.account {
        Ok(())
    } else {
        Err(RpcError::new(INVALID_PARAMS, "Specified account does not exist"))
    }
}

fn camel_case(dest: &str) -> String {
    let mut parts = dest.split('-');
    let mut out = parts.next().unwrap_or_default().to_owned();
    for part in parts.filter(|p| !p.is_empty()) {
        let mut chars = part.chars();
        if let Some(first) = chars.next() {
            out.extend(first.to_uppercase());
            out.push_str(&chars.as_str().to_lowercase());
        }
    }
    out
}

/// A scalar option: `dest` (dashed) or its camelCase form; JSON null counts as absent.
pub(crate) fn get<'a>(params: &'a Params, dest: &str) -> Option<&'a Value> {
    params
        .get(dest)
        .filter(|v| !v.is_null())
        .or_else(|| params.get(&camel_case(dest)).filter(|v| !v.is_null()))
}

/// A list option: one value or an array, under `dest` or else its plural.
pub(crate) fn get_list(params: &Params, dest: &str) -> Option<Vec<Value>> {
    let value = get(params, dest).or_else(|| get(params, &format!("{dest}s")))?;
    Some(match value {
        Value::Array(items) => items.clone(),
        single => vec![single.clone()],
    })
}

pub(crate) fn get_string(params: &Params, dest: &str) -> Result<Option<String>, RpcError> {
    match get(params, dest) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(other) => Err(RpcError::bad_type("java.lang.String", other)),
    }
}

pub(crate) fn get_strings(params: &Params, dest: &str) -> Result<Option<Vec<String>>, RpcError> {
    let Some(items) = get_list(params, dest) else {
        return Ok(None);
    };
    items
        .iter()
        .map(|item| match item {
            Value::String(s) => Ok(s.clone()),
            other => Err(RpcError::bad_type("java.lang.String", other)),
        })
        .collect::<Result<Vec<_>, _>>()
        .map(Some)
}

/// `+` and 7–15 digits, the first not 0.
pub(crate) fn is_e164(s: &str) -> bool {
    s.strip_prefix('+').is_some_and(|digits| {
        (7..=15).contains(&digits.len())
            && digits.bytes().all(|b| b.is_ascii_digit())
            && !digits.starts_with('0')
    })
}

/// Recipients as signal-cli accepts them (numbers or ACI uuids), deduplicated, in order.
/// The fake requires E.164 where the real daemon would also normalise local formats.
pub(crate) fn recipients(params: &Params) -> Result<Vec<String>, RpcError> {
    let named = get_strings(params, "recipient")?.unwrap_or_default();
    let mut out: Vec<String> = Vec::new();
    for recipient in named {
        if !(is_e164(&recipient) || is_uuid(&recipient)) {
            return Err(RpcError::user(format!(
                "Invalid phone number '{recipient}': Invalid number format"
            )));
        }
        if !out.contains(&recipient) {
            out.push(recipient);
        }
    }
    Ok(out)
}

/// `getUserStatus`: `[{"recipient","number","uuid","isRegistered"}]`. Only users made known
/// with `FakeSignal::register` are registered (a scripted `Unregistered` overrides that).
fn user_status(shared: &Shared, params: &Params) -> Result<Value, RpcError> {
    let named = recipients(params)?;
    if named.is_empty() {
        return Err(RpcError::user("No recipients given"));
    }
    let inner = shared.lock();
    let statuses: Vec<Value> = named
        .iter()
        .map(|recipient| {
            let address = inner.resolve(recipient);
            // The daemon's own account is registered, or it would not run.
            let own = address.number.as_deref() == Some(shared.config.account.as_str());
            let registered = (own || inner.is_registered(&address))
                && inner.outcome(recipient, &address) != super::types::SignalOutcome::Unregistered;
            json!({
                "recipient": recipient,
                "number": address.number,
                "uuid": if registered { address.uuid } else { None },
                "isRegistered": registered,
            })
        })
        .collect();
    Ok(Value::Array(statuses))
}
