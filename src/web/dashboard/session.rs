//! Who is asking: the session cookie (`tocsin_session`, HttpOnly, SameSite=Strict, Secure on
//! https) names a live session; every POST also carries that session's CSRF token.

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::header::{COOKIE, SET_COOKIE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use subtle::ConstantTimeEq;

use super::view;
use super::Dash;
use crate::accounts::{self, User};

pub const COOKIE_NAME: &str = "tocsin_session";

/// A request from a signed-in dashboard user.
#[derive(Clone)]
pub struct Signed {
    pub user: User,
    pub csrf: String,
    pub token: String,
}

/// The value of cookie `name`, if sent.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

/// A `Set-Cookie` header for a cookie only our own pages send back.
pub fn set_cookie(
    dash: &Dash,
    name: &str,
    value: &str,
    max_age_s: i64,
) -> (axum::http::HeaderName, HeaderValue) {
    let secure = if dash.core.settings.https() {
        "; Secure"
    } else {
        ""
    };
    let value = format!("{name}={value}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age_s}{secure}");
    (
        SET_COOKIE,
        HeaderValue::from_str(&value).unwrap_or_else(|_| HeaderValue::from_static("x=; Max-Age=0")),
    )
}

impl FromRequestParts<Dash> for Signed {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, dash: &Dash) -> Result<Signed, Response> {
        let found = match cookie(&parts.headers, COOKIE_NAME) {
            Some(token) => match accounts::session(&dash.core, &token).await {
                Ok(found) => found.map(|(user, csrf)| Signed { user, csrf, token }),
                Err(e) => return Err(view::internal(e)),
            },
            None => None,
        };
        found.ok_or_else(|| {
            // Pages send the browser to the login form; fragments and streams just say 401.
            let page = parts.method == Method::GET
                && !parts.uri.path().starts_with("/fragments/")
                && !parts.uri.path().ends_with("/live")
                && parts.uri.path() != "/events";
            if page {
                Redirect::to("/login").into_response()
            } else {
                (StatusCode::UNAUTHORIZED, "log in again").into_response()
            }
        })
    }
}

/// A POSTed form from a signed-in user whose CSRF token matched; fields by name (last wins).
pub struct SignedForm {
    pub signed: Signed,
    pub fields: HashMap<String, String>,
}

impl SignedForm {
    pub fn get(&self, name: &str) -> &str {
        self.fields.get(name).map(String::as_str).unwrap_or("").trim()
    }
}

pub fn parse_form(bytes: &[u8]) -> HashMap<String, String> {
    form_urlencoded::parse(bytes).into_owned().collect()
}

pub fn same_token(a: &str, b: &str) -> bool {
    !a.is_empty() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

impl FromRequest<Dash> for SignedForm {
    type Rejection = Response;

    async fn from_request(request: Request, dash: &Dash) -> Result<SignedForm, Response> {
        let (mut parts, body) = request.into_parts();
        let signed = Signed::from_request_parts(&mut parts, dash).await?;
        let bytes = Bytes::from_request(Request::from_parts(parts, body), dash)
            .await
            .map_err(IntoResponse::into_response)?;
        let fields = parse_form(&bytes);
        let given = fields.get("csrf").map(String::as_str).unwrap_or("");
        if !same_token(given, &signed.csrf) {
            tracing::warn!(user = %signed.user.name, "form refused: missing or wrong CSRF token");
            return Err(view::message_page(
                StatusCode::FORBIDDEN,
                "This form has expired",
                "The form did not carry this session's security token (csrf). Go back, reload the page and try again.",
            ));
        }
        Ok(SignedForm { signed, fields })
    }
}
