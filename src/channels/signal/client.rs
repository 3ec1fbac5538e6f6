//! `send` to one recipient, classified per signal-cli's per-recipient result or error code.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use serde::Deserialize;
use serde_json::{json, Value};

use super::super::{Accepted, Contact, Provider, SendError, Sending};
use crate::domain::Channel;

pub struct SignalClient {
    http: reqwest::Client,
    rpc_url: String,
    base: String,
    account: String,
    next_id: AtomicU64,
    mps: f64,
}

#[derive(Deserialize)]
struct RpcResponse {
    result: Option<Value>,
    error: Option<RpcError>,
}

#[derive(Deserialize)]
struct RpcError {
    code: i64,
    message: String,
    data: Option<Value>,
}

impl SignalClient {
    pub fn new(rpc_url: &str, account: &str, timeout: Duration) -> anyhow::Result<SignalClient> {
        let base = rpc_url.trim_end_matches('/').to_string();
        Ok(SignalClient {
            http: reqwest::Client::builder()
                .timeout(timeout)
                .connect_timeout(Duration::from_secs(3))
                .no_proxy()
                .build()?,
            rpc_url: format!("{base}/api/v1/rpc"),
            base,
            account: account.to_string(),
            next_id: AtomicU64::new(1),
            mps: 1.0,
        })
    }

    /// Sends at most `mps` messages per second from the account (`signal.mps`).
    pub fn paced(mut self, mps: f64) -> SignalClient {
        self.mps = mps;
        self
    }

    pub fn events_url(&self) -> String {
        format!("{}/api/v1/events?account={}", self.base, urlencode(&self.account))
    }

    pub fn http(&self) -> &reqwest::Client {
        &self.http
    }

    /// Whether the daemon answers (`GET /api/v1/check`).
    pub async fn check(&self) -> bool {
        let url = format!("{}/api/v1/check", self.base);
        self.http
            .get(url)
            .send()
            .await
            .is_ok_and(|r| r.status().is_success())
    }

    async fn call(&self, method: &str, params: Value) -> Result<RpcResponse, SendError> {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let body = json!({"jsonrpc": "2.0", "method": method, "params": params, "id": id.to_string()});
        let response = self
            .http
            .post(&self.rpc_url)
            .json(&body)
            .send()
            .await
            .map_err(|e| SendError::retry(transport(&e)))?;
        let status = response.status();
        if !status.is_success() {
            return Err(SendError::retry(format!(
                "bridge answered HTTP {}",
                status.as_u16()
            )));
        }
        response
            .json::<RpcResponse>()
            .await
            .map_err(|_| SendError::retry("bridge answered something that is not JSON-RPC"))
    }
}

impl Provider for SignalClient {
    fn channel(&self) -> Channel {
        Channel::Signal
    }

    fn senders(&self) -> Vec<String> {
        vec![self.account.clone()]
    }

    fn mps(&self) -> f64 {
        self.mps
    }

    /// Their Signal account id when they gave one, else their number.
    fn address(&self, to: &Contact) -> Result<String, String> {
        match &to.signal {
            Some(signal) => signal.clone(),
            None => to.number(),
        }
    }

    /// There is one account: `sender` is it.
    fn send_from<'a>(&'a self, _sender: &'a str, to: &'a str, body: &'a str) -> Sending<'a> {
        Box::pin(self.send(to, body))
    }
}

impl SignalClient {
    pub async fn send(&self, to: &str, body: &str) -> Result<Accepted, SendError> {
        let params = json!({"account": self.account, "recipient": [to], "message": body});
        let answer = self.call("send", params).await?;
        match (answer.result, answer.error) {
            (Some(result), _) => classify_result(&result),
            (None, Some(error)) => Err(classify_error(&error)),
            (None, None) => Err(SendError::retry("bridge answered neither result nor error")),
        }
    }
}

/// What the bridge says of the configured account (`tocsin check`).
#[derive(Debug, PartialEq)]
pub enum Registration {
    /// Listed by `listAccounts` (a multi-account daemon).
    Listed,
    /// A single-account daemon (`-a NUMBER`, no `listAccounts`): Signal says the number is
    /// registered, but which account the daemon runs cannot be asked.
    SingleAccount,
    /// Not among the daemon's accounts; these are.
    Missing(Vec<String>),
}

impl SignalClient {
    /// Whether the daemon runs the configured account: `listAccounts` (PROTOCOLS §6.4); on a
    /// single-account daemon, which does not have it (-32601), `getUserStatus` of the account.
    pub async fn registration(&self) -> Result<Registration, String> {
        let answer = self.call("listAccounts", json!({})).await.map_err(said)?;
        if let Some(result) = answer.result {
            let numbers: Vec<String> = result
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|x| x.get("number").and_then(Value::as_str).map(str::to_string))
                        .collect()
                })
                .unwrap_or_default();
            return Ok(if numbers.contains(&self.account) {
                Registration::Listed
            } else {
                Registration::Missing(numbers)
            });
        }
        match answer.error {
            Some(e) if e.code == -32601 => {}
            Some(e) => return Err(format!("listAccounts: error {} {}", e.code, e.message)),
            None => return Err("listAccounts: neither result nor error".into()),
        }
        let params = json!({"account": self.account, "recipient": [self.account]});
        let answer = self.call("getUserStatus", params).await.map_err(said)?;
        if let Some(e) = answer.error {
            return Err(format!("getUserStatus: error {} {}", e.code, e.message));
        }
        let registered = answer
            .result
            .as_ref()
            .and_then(|r| r.get(0))
            .and_then(|r| r.get("isRegistered"))
            .and_then(Value::as_bool)
            .unwrap_or(false);
        Ok(if registered {
            Registration::SingleAccount
        } else {
            Registration::Missing(Vec::new())
        })
    }

    /// signal-cli's version (`version`), when the daemon says it.
    pub async fn version(&self) -> Option<String> {
        let answer = self.call("version", json!({})).await.ok()?;
        answer.result?.get("version")?.as_str().map(str::to_string)
    }
}

/// A `send` result for one recipient: `{"timestamp":..,"results":[{"type":..}]}`.
fn classify_result(result: &Value) -> Result<Accepted, SendError> {
    let timestamp = result.get("timestamp").and_then(Value::as_i64);
    let first = result
        .get("results")
        .and_then(Value::as_array)
        .and_then(|r| r.first());
    let kind = first
        .and_then(|r| r.get("type"))
        .and_then(Value::as_str)
        .unwrap_or("SUCCESS");
    match (kind, timestamp) {
        ("SUCCESS", Some(ts)) => Ok(Accepted {
            provider_id: ts.to_string(),
        }),
        ("SUCCESS", None) => Err(SendError::retry("bridge reported success without a timestamp")),
        ("UNREGISTERED_FAILURE", _) => Err(SendError::permanent("not on Signal (unregistered)")),
        ("IDENTITY_FAILURE", _) => Err(SendError::permanent(
            "Signal safety number changed (untrusted identity)",
        )),
        ("RATE_LIMIT_FAILURE", _) => {
            let after = first
                .and_then(|r| r.get("retryAfterSeconds"))
                .and_then(Value::as_u64);
            let proof = first.and_then(|r| r.get("token")).is_some_and(|t| !t.is_null());
            if proof {
                // A human must solve a captcha for the account (submitRateLimitChallenge).
                tracing::error!("Signal asks for a rate-limit challenge (captcha) on the network's account");
            }
            Err(SendError::Retryable {
                reason: format!("Signal rate limit{}", if proof { ", proof required" } else { "" }),
                after: after.map(Duration::from_secs),
            })
        }
        (other, _) => Err(SendError::retry(format!("Signal {other}"))),
    }
}

/// A whole-call error (PROTOCOLS.md §6.5). When every recipient failed, signal-cli puts the
/// per-recipient result in `data.response`; that says more than the code.
fn classify_error(error: &RpcError) -> SendError {
    if let Some(response) = error.data.as_ref().and_then(|d| d.get("response")) {
        if let Err(e) = classify_result(response) {
            return e;
        }
    }
    match error.code {
        -1 if error.message.contains("not registered") => {
            SendError::permanent("not on Signal (unregistered)")
        }
        -4 => SendError::permanent("Signal safety number changed (untrusted identity)"),
        -5 => SendError::Retryable {
            reason: "Signal rate limit".into(),
            after: None,
        },
        -32602 => SendError::Config("the bridge does not know signal.account".into()),
        -32601 | -32600 => SendError::Config(format!("the bridge refused the request: {}", error.message)),
        code => SendError::retry(format!("Signal error {code}")),
    }
}

/// A failed call as the checklist says it (`bridge unreachable`, not `transient: …`).
fn said(e: SendError) -> String {
    match e {
        SendError::Retryable { reason, .. } => reason,
        other => other.to_string(),
    }
}

fn transport(e: &reqwest::Error) -> String {
    if e.is_timeout() {
        "bridge timed out".into()
    } else if e.is_connect() {
        "bridge unreachable".into()
    } else {
        "bridge transport error".into()
    }
}

fn urlencode(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn result(kind: &str) -> Value {
        json!({"timestamp": 1763850000123i64, "results": [{"recipientAddress": {"number": "+1"}, "type": kind}]})
    }

    #[test]
    fn per_recipient_results_decide() {
        assert_eq!(
            classify_result(&result("SUCCESS")).unwrap().provider_id,
            "1763850000123"
        );
        assert!(matches!(
            classify_result(&result("UNREGISTERED_FAILURE")),
            Err(SendError::Permanent { .. })
        ));
        assert!(matches!(
            classify_result(&result("NETWORK_FAILURE")),
            Err(SendError::Retryable { .. })
        ));
        let limited =
            json!({"timestamp": 1, "results": [{"type": "RATE_LIMIT_FAILURE", "retryAfterSeconds": 30}]});
        match classify_result(&limited) {
            Err(SendError::Retryable { after, .. }) => assert_eq!(after, Some(Duration::from_secs(30))),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn whole_call_errors_decide_when_there_is_no_result() {
        let err = |code, message: &str, data| RpcError {
            code,
            message: message.into(),
            data,
        };
        assert!(matches!(
            classify_error(&err(-1, "The user +1555 is not registered.", None)),
            SendError::Permanent { .. }
        ));
        assert!(matches!(
            classify_error(&err(-4, "Untrusted", None)),
            SendError::Permanent { .. }
        ));
        assert!(matches!(
            classify_error(&err(-3, "IO", None)),
            SendError::Retryable { .. }
        ));
        let data = Some(
            json!({"response": {"timestamp": 1, "results": [{"type": "RATE_LIMIT_FAILURE", "retryAfterSeconds": 5}]}}),
        );
        assert!(matches!(
            classify_error(&err(-5, "Rate limit", data)),
            SendError::Retryable { after: Some(_), .. }
        ));
    }
}
