//! A dashboard account signed in over HTTP, for tests that read its pages without a browser.

use reqwest::StatusCode;
use tocsin::domain::Role;

use crate::dashboard_http::{client, login, set_cookie};

/// A dashboard account, added now and signed in: what its browser would send.
pub(crate) struct SignedIn {
    pub(crate) http: reqwest::Client,
    pub(crate) cookie: String,
    base: String,
}

impl SignedIn {
    pub(crate) async fn as_role(app: &crate::helpers::TestApp, name: &str, role: Role) -> SignedIn {
        tocsin::accounts::add_user(app.core(), name, role, "correct horse battery")
            .await
            .expect("account added");
        let http = client();
        let resp = login(app, &http, name, "correct horse battery").await;
        let (cookie, _) = set_cookie(&resp, "tocsin_session").expect("session cookie");
        SignedIn {
            http,
            cookie,
            base: app.base.clone(),
        }
    }

    /// The page at `path`: its status and HTML.
    pub(crate) async fn page(&self, path: &str) -> (StatusCode, String) {
        let resp = self
            .http
            .get(format!("{}{path}", self.base))
            .header("cookie", &self.cookie)
            .send()
            .await
            .expect("page answered");
        let status = resp.status();
        (status, resp.text().await.expect("html"))
    }
}
