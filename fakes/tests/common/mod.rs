//! Helpers shared by the integration tests: a started fake, a proxy-free HTTP client, and a
//! tiny axum receiver that captures raw webhook requests (headers + exact body bytes) so the
//! tests can recompute signatures independently of the fake's own bookkeeping.
#![allow(dead_code)] // each test binary uses a different subset

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::IntoResponse;
use tocsin_fakes::{sign, FakeTwilio, FakeTwilioConfig};
use tokio::sync::Notify;

pub const ACCOUNT_SID: &str = "AC0123456789abcdef0123456789abcdef";
pub const AUTH_TOKEN: &str = "0123456789abcdef0123456789abcdef";
pub const OUR_NUMBER: &str = "+12135550100";
pub const SERVICE_SID: &str = "MG0123456789abcdef0123456789abcdef";
pub const VOLUNTEER: &str = "+13235550199";
pub const WAIT: Duration = Duration::from_secs(5);

pub fn config() -> FakeTwilioConfig {
    let mut config = FakeTwilioConfig::new(ACCOUNT_SID, AUTH_TOKEN, &[OUR_NUMBER]);
    config.messaging_service_sid = Some(SERVICE_SID.to_owned());
    config.callback_delay = Duration::from_millis(10);
    config
}

pub async fn start() -> FakeTwilio {
    FakeTwilio::start(config()).await.expect("fake starts")
}

pub fn client() -> reqwest::Client {
    reqwest::Client::builder().no_proxy().build().expect("client")
}

pub fn messages_url(fake: &FakeTwilio) -> String {
    format!(
        "{}/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json",
        fake.base_url()
    )
}

/// An answer from the fake: status, content type, raw body text.
pub struct Answer {
    pub status: u16,
    pub content_type: String,
    pub text: String,
}

impl Answer {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.text).expect("JSON body")
    }

    /// Asserts a 400 with Twilio's legacy error body for `code`.
    pub fn assert_error(&self, status: u16, code: u64) {
        assert_eq!(self.status, status, "body: {}", self.text);
        assert_eq!(self.content_type, "application/json; charset=utf-8");
        let json = self.json();
        assert_eq!(json["code"], code, "body: {}", self.text);
        assert_eq!(json["status"], status);
        assert_eq!(
            json["more_info"],
            format!("https://www.twilio.com/docs/errors/{code}")
        );
        assert!(json["message"].as_str().is_some_and(|m| !m.is_empty()));
        assert_eq!(
            json.as_object().map(|o| o.len()),
            Some(4),
            "exactly code/message/more_info/status"
        );
    }
}

async fn answer(response: reqwest::Response) -> Answer {
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    Answer {
        status,
        content_type,
        text: response.text().await.expect("body"),
    }
}

/// POSTs a send request with our credentials.
pub async fn send(fake: &FakeTwilio, form: &[(&str, &str)]) -> Answer {
    let response = client()
        .post(messages_url(fake))
        .basic_auth(ACCOUNT_SID, Some(AUTH_TOKEN))
        .form(form)
        .send()
        .await
        .expect("request");
    answer(response).await
}

pub async fn get(url: &str) -> Answer {
    let response = client()
        .get(url)
        .basic_auth(ACCOUNT_SID, Some(AUTH_TOKEN))
        .send()
        .await
        .expect("request");
    answer(response).await
}

/// One request the receiver got.
#[derive(Clone, Debug)]
pub struct Captured {
    pub path_and_query: String,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Captured {
    pub fn params(&self) -> Vec<(String, String)> {
        form_urlencoded::parse(&self.body).into_owned().collect()
    }

    pub fn param(&self, name: &str) -> Option<String> {
        self.params().into_iter().find(|(k, _)| k == name).map(|(_, v)| v)
    }

    pub fn header(&self, name: &str) -> Option<String> {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    }

    /// Recomputes the signature over `url` and the raw body, as tocsin will.
    pub fn signature_valid(&self, url: &str) -> bool {
        self.header("x-twilio-signature")
            .is_some_and(|s| s == sign(AUTH_TOKEN, url, &self.params()))
    }
}

#[derive(Clone)]
struct ReceiverState {
    requests: Arc<Mutex<Vec<Captured>>>,
    notify: Arc<Notify>,
    status: StatusCode,
}

/// A webhook endpoint on 127.0.0.1 that records every request and answers `status` with TwiML.
pub struct Receiver {
    pub base_url: String,
    state: ReceiverState,
}

async fn receive(
    State(state): State<ReceiverState>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> impl IntoResponse {
    let path_and_query = uri.path_and_query().map(|pq| pq.to_string()).unwrap_or_default();
    state.requests.lock().unwrap().push(Captured {
        path_and_query,
        headers,
        body: body.to_vec(),
    });
    state.notify.notify_waiters();
    (
        state.status,
        [("content-type", "text/xml")],
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response/>",
    )
}

impl Receiver {
    pub async fn start(status: u16) -> Receiver {
        let state = ReceiverState {
            requests: Arc::default(),
            notify: Arc::default(),
            status: StatusCode::from_u16(status).expect("status"),
        };
        let app = axum::Router::new().fallback(receive).with_state(state.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let base_url = format!("http://{}", listener.local_addr().expect("addr"));
        tokio::spawn(async move { axum::serve(listener, app).await });
        Receiver { base_url, state }
    }

    pub fn requests(&self) -> Vec<Captured> {
        self.state.requests.lock().unwrap().clone()
    }

    pub async fn wait_for(&self, n: usize) -> Vec<Captured> {
        let _ = tokio::time::timeout(WAIT, async {
            loop {
                let notified = self.state.notify.notified();
                tokio::pin!(notified);
                notified.as_mut().enable(); // registered before the check: no lost wake-up
                if self.requests().len() >= n {
                    return;
                }
                notified.await;
            }
        })
        .await;
        self.requests()
    }
}
