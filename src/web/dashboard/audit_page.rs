//! `/audit` (admins only): the latest entries of the audit log.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;

use super::session::Signed;
use super::view::{self, Chrome};
use super::Dash;
use crate::store::audit::EntryRow;

#[derive(Template)]
#[template(path = "dashboard/audit.html")]
struct AuditPage {
    chrome: Chrome,
    entries: Vec<(EntryRow, String)>,
}

pub async fn page(State(dash): State<Dash>, signed: Signed) -> Response {
    if !signed.user.is_admin() {
        return view::message_page(
            StatusCode::FORBIDDEN,
            "Admins only",
            "The audit log is for admins. Ask an admin if you need to know who did what.",
        );
    }
    match dash.core.store.audit_entries(500).await {
        Ok(rows) => {
            let entries = rows
                .into_iter()
                .map(|e| {
                    let at = view::when(&dash.core, e.at);
                    (e, at)
                })
                .collect();
            view::render(
                StatusCode::OK,
                &AuditPage {
                    chrome: Chrome::of(&signed),
                    entries,
                },
            )
        }
        Err(e) => view::internal(e),
    }
}
