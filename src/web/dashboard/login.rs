//! `/login` and `/logout`. The login form carries its own CSRF token (a cookie and a hidden
//! field that must match), so that another site cannot sign a browser into an account.

use std::net::SocketAddr;

use askama::Template;
use axum::extract::{ConnectInfo, State};
use axum::http::header::LOCATION;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

use super::session::{cookie, parse_form, same_token, set_cookie, SignedForm, COOKIE_NAME};
use super::view;
use super::Dash;
use crate::accounts;

const LOGIN_CSRF: &str = "tocsin_login";

#[derive(Template)]
#[template(path = "dashboard/login.html")]
struct LoginPage {
    csrf: String,
    username: String,
    error: Option<String>,
    v: &'static str,
}

fn page(dash: &Dash, status: StatusCode, username: &str, error: Option<String>) -> Response {
    let csrf = crate::accounts::token_hash(&format!("{:x}", rand::random::<u128>()));
    let mut response = view::render(
        status,
        &LoginPage {
            csrf: csrf.clone(),
            username: username.to_string(),
            error,
            v: super::assets::version(),
        },
    );
    let (name, value) = set_cookie(dash, LOGIN_CSRF, &csrf, 3600);
    response.headers_mut().append(name, value);
    response
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
    let expected = cookie(&headers, LOGIN_CSRF).unwrap_or_default();
    if !same_token(field("csrf"), &expected) {
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
    let name_key = format!("user:{}", username.to_lowercase());
    let keys = [name_key.clone(), format!("ip:{}", peer.ip())];
    let (delay, failures) = dash.throttle.delay(&keys);
    if !delay.is_zero() {
        tracing::warn!(ip = %peer.ip(), failures, "repeated failed logins: slowing down");
        tokio::time::sleep(delay).await;
    }
    let user = match accounts::authenticate(&dash.core, &username, field("password")).await {
        Ok(user) => user,
        Err(e) => return view::internal(e),
    };
    let Some(user) = user else {
        dash.throttle.failed(&keys);
        // No name in the log: a mistyped password often lands in the name field.
        tracing::warn!(ip = %peer.ip(), "failed login");
        let text = if failures + 1 >= 5 {
            "Wrong username or password. Too many failed attempts: each new try is slowed down for 15 minutes."
        } else {
            "Wrong username or password."
        };
        return page(&dash, StatusCode::UNAUTHORIZED, &username, Some(text.into()));
    };
    dash.throttle.succeeded(&name_key);
    let session = match accounts::open_session(&dash.core, &user).await {
        Ok(s) => s,
        Err(e) => return view::internal(e),
    };
    tracing::info!(user = %user.name, "logged in");
    let max_age = dash.core.settings.dashboard.session_hours as i64 * 3600;
    let mut response = (StatusCode::SEE_OTHER, [(LOCATION, "/")]).into_response();
    let h = response.headers_mut();
    let (name, value) = set_cookie(&dash, COOKIE_NAME, &session.token, max_age);
    h.append(name, value);
    let (name, value) = set_cookie(&dash, LOGIN_CSRF, "", 0);
    h.append(name, value);
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
