//! Twilio's legacy REST error body (PROTOCOLS §3.3), byte-compatible with captured responses:
//! `{"code":…,"message":…,"more_info":"https://www.twilio.com/docs/errors/<code>","status":…}`
//! with `Content-Type: application/json; charset=utf-8`, HTTP status = `status` field.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// The content type Twilio uses for its JSON answers (captured on real 400s).
pub(crate) const JSON_UTF8: &str = "application/json; charset=utf-8";

/// A refused REST request: HTTP status, Twilio error code and message.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct TwilioError {
    pub code: u32,
    pub message: String,
    pub more_info: String,
    pub status: u16,
}

impl TwilioError {
    pub fn new(status: u16, code: u32, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            more_info: format!("https://www.twilio.com/docs/errors/{code}"),
            status,
        }
    }

    /// A 400 validation error.
    pub fn bad_request(code: u32, message: impl Into<String>) -> Self {
        Self::new(400, code, message)
    }

    pub fn authenticate() -> Self {
        Self::new(401, 20003, "Authenticate")
    }

    pub fn not_found(path: &str) -> Self {
        Self::new(404, 20404, format!("The requested resource {path} was not found"))
    }

    pub fn method_not_allowed() -> Self {
        Self::new(405, 20004, "Method not allowed")
    }

    pub fn too_many_requests() -> Self {
        Self::new(429, 20429, "Too Many Requests")
    }

    /// Scripted server failure (`fail_next`): the status is whatever the test asked for.
    pub fn internal(status: u16) -> Self {
        Self::new(status, 20500, "Internal Server Error")
    }

    /// The 400 Twilio gives for a scripted rejection code, with its usual message.
    pub fn rejection(code: u32, to: &str, from: &str) -> Self {
        let message = match code {
            21211 => format!("The 'To' number {to} is not a valid phone number."),
            21408 => format!(
                "Permission to send an SMS has not been enabled for the region indicated by the 'To' number: {to}."
            ),
            21610 => "Attempt to send to unsubscribed recipient".to_owned(),
            21612 => format!(
                "The 'To' phone number: {to}, is not currently reachable using the 'From' phone number: {from} via SMS."
            ),
            21614 => format!("'To' number {to} is not a valid mobile number"),
            other => format!("Twilio error {other}"),
        };
        Self::bad_request(code, message)
    }

    pub fn status_code(&self) -> StatusCode {
        StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }
}

impl IntoResponse for TwilioError {
    fn into_response(self) -> Response {
        // Serializing a struct of strings and integers cannot fail.
        let body = serde_json::to_string(&self).unwrap_or_default();
        let mut response = json_response(self.status_code(), body);
        if self.status == 401 {
            // Real Twilio sends this challenge with its 401s.
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Basic realm=\"Twilio API\""),
            );
        }
        response
    }
}

/// A JSON answer with Twilio's content type.
pub(crate) fn json_response(status: StatusCode, body: String) -> Response {
    (status, [(header::CONTENT_TYPE, JSON_UTF8)], body).into_response()
}
