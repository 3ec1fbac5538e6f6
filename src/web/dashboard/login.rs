//! `/login` and `/logout`. The login form carries a CSRF token signed by the server
//! (`login::LoginCsrf`), and a browser's own word that the post comes from another site
//! (`Sec-Fetch-Site`) is refused, so that another site cannot sign a browser into an account.
//! Password checks, lock-outs and their audit are `crate::login`'s; failures also slow further
//! tries from the same address or for the same name (`throttle`).

use std::net::SocketAddr;
use std::time::{SystemTime, UNIX_EPOCH};

use askama::Template;
use axum::extract::{ConnectInfo, State};
use axum::http::header::{LOCATION, RETRY_AFTER};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use super::session::{parse_form, set_cookie, SignedForm, COOKIE_NAME};
use super::view;
use super::Dash;
use crate::accounts;
use crate::login::Attempt;

#[derive(Template)]
#[template(path = "dashboard/login.html")]
struct LoginPage {
    csrf: String,
    username: String,
    error: Option<String>,
    v: &'static str,
}

fn now_s() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

fn page(dash: &Dash, status: StatusCode, username: &str, error: Option<String>) -> Response {
    view::render(
        status,
        &LoginPage {
            csrf: dash.logins.csrf.issue(now_s()),
            username: username.to_string(),
            error,
            v: super::assets::version(),
        },
    )
}

/// The form again with 429 and `Retry-After`.
fn too_many(dash: &Dash, username: &str, text: String, retry_s: u64) -> Response {
    let mut response = page(dash, StatusCode::TOO_MANY_REQUESTS, username, Some(text));
    response
        .headers_mut()
        .insert(RETRY_AFTER, HeaderValue::from(retry_s));
    response
}

fn locked_text(minutes: u64) -> String {
    format!(
        "This account is locked for {minutes} more minute{} after too many wrong passwords. \
         An admin can unlock it now (tocsin user unlock NAME).",
        if minutes == 1 { "" } else { "s" }
    )
}

/// Whether the browser says this post comes from a page of another site.
fn from_another_site(headers: &HeaderMap) -> bool {
    headers
        .get("sec-fetch-site")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|site| matches!(site, "cross-site" | "same-site"))
}

pub async fn form(State(dash): State<Dash>) -> Response {
    page(&dash, StatusCode::OK, "", None)
}

pub async fn submit(
    State(dash): State<Dash>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    let fields = parse_form(&body);
    let field = |k: &str| fields.get(k).map(String::as_str).unwrap_or("");
    let username = field("username").trim().to_string();
    if from_another_site(&headers) {
        tracing::warn!("login refused: posted from another site");
        return page(
            &dash,
            StatusCode::FORBIDDEN,
            "",
            Some(
                "This login came from another site. Open the dashboard's own address and log in there."
                    .into(),
            ),
        );
    }
    if !dash.logins.csrf.valid(field("csrf"), now_s()) {
        return page(
            &dash,
            StatusCode::FORBIDDEN,
            &username,
            Some("This login form expired (csrf). Please try again.".into()),
        );
    }
    if username.is_empty() {
        return page(
            &dash,
            StatusCode::UNPROCESSABLE_ENTITY,
            "",
            Some("username: enter your account name".into()),
        );
    }
    let settings = &dash.core.settings;
    let ip = crate::web::client::address(&headers, peer, settings.http.trusted_proxy_header.as_deref());
    let name_key = format!("user:{}", username.to_lowercase());
    let keys = [name_key.clone(), format!("ip:{ip}")];
    let (delay, failures) = dash.throttle.delay(&keys);
    if !delay.is_zero() {
        tracing::warn!(%ip, failures, "repeated failed logins: slowing down");
        tokio::time::sleep(delay).await;
    }
    let user = match dash
        .logins
        .attempt(&dash.core, &username, field("password"))
        .await
    {
        Ok(Attempt::In(user)) => user,
        Ok(Attempt::Busy) => {
            let text = "Many logins are being checked right now. Wait a second and try again.";
            return too_many(&dash, &username, text.into(), 1);
        }
        Ok(Attempt::Locked { minutes }) => {
            return too_many(&dash, &username, locked_text(minutes), minutes * 60);
        }
        Ok(Attempt::Wrong { locked }) => {
            dash.throttle.failed(&keys);
            // No name in the log: a mistyped password often lands in the name field.
            tracing::warn!(%ip, "failed login");
            let minutes = settings.dashboard.lockout_minutes;
            if locked {
                return too_many(&dash, &username, locked_text(minutes), minutes * 60);
            }
            let text = if failures + 1 >= 5 {
                "Wrong username or password. Too many failed attempts: each new try is slowed down, and the account locks if they go on."
            } else {
                "Wrong username or password."
            };
            return page(&dash, StatusCode::UNAUTHORIZED, &username, Some(text.into()));
        }
        Err(e) => return view::internal(e),
    };
    dash.throttle.succeeded(&name_key);
    let session = match accounts::open_session(&dash.core, &user).await {
        Ok(s) => s,
        Err(e) => return view::internal(e),
    };
    tracing::info!(user = %user.name, "logged in");
    let max_age = settings.dashboard.session_hours as i64 * 3600;
    let mut response = (StatusCode::SEE_OTHER, [(LOCATION, "/")]).into_response();
    let (name, value) = set_cookie(&dash, COOKIE_NAME, &session.token, max_age);
    response.headers_mut().append(name, value);
    response
}

pub async fn logout(State(dash): State<Dash>, form: SignedForm) -> Response {
    if let Err(e) = accounts::close_session(&dash.core, &form.signed.token).await {
        return view::internal(e);
    }
    tracing::info!(user = %form.signed.user.name, "logged out");
    let mut response = (StatusCode::SEE_OTHER, [(LOCATION, "/login")]).into_response();
    let (name, value) = set_cookie(&dash, COOKIE_NAME, "", 0);
    response.headers_mut().append(name, value);
    response
}
