//! `/reports/{id}/recording`: a voice message left on the hotline, played through tocsin to a
//! signed-in dispatcher (opened from its sealed copy; Twilio's was deleted). Never a public
//! URL: the route needs a session like every page, and each listen is written to the audit log.

use axum::extract::{Path, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};

use super::session::Signed;
use super::view;
use super::Dash;
use crate::audit::{self, Subject};

pub async fn play(State(dash): State<Dash>, signed: Signed, Path(id): Path<i64>) -> Response {
    let core = &dash.core;
    let audio = match core.store.report_audio(id).await {
        Ok(Some(audio)) => audio,
        Ok(None) => return view::not_found("voice message"),
        Err(e) => return view::internal(e),
    };
    let incident = match core.store.report(id).await {
        Ok(report) => report.and_then(|r| r.incident_id),
        Err(e) => return view::internal(e),
    };
    let subject = incident.map_or(Subject::None, Subject::Incident);
    let detail = format!("voice message of report {id}");
    audit::record(core, &signed.user.actor(), "listen", subject, &detail).await;
    (
        [
            (CONTENT_TYPE, audio.content_type),
            (CACHE_CONTROL, "private, no-store".to_string()),
        ],
        audio.bytes,
    )
        .into_response()
}
