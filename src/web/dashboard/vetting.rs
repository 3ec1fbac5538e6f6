//! Who may change what about a volunteer on the dashboard (issue 11). Trust, roles, approving,
//! rejecting and removing are for admins: their controls are shown disabled to dispatchers, and
//! refused here with 403 if posted anyway. A dispatcher's form that leaves them out keeps what is
//! stored (disabled checkboxes are not sent). Approving and rejecting go through `vetting`, the
//! API's code.

use axum::http::header::LOCATION;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use super::session::SignedForm;
use super::view;
use crate::state::Core;
use crate::store::volunteers::VolunteerRow;
use crate::vetting::{self, Vetting};

/// What `dispatcher_keeps` refuses.
pub const DISPATCHERS_MAY_NOT: &str = "set trust or roles (verifier, drill group)";

/// The page a dispatcher gets for an admin's action.
pub fn forbidden(what: &str) -> Response {
    view::message_page(
        StatusCode::FORBIDDEN,
        "Admins only",
        &format!("Only an admin can {what}. Ask an admin."),
    )
}

/// Trust and roles as a dispatcher's form leaves them: what is stored (`stored` None when
/// adding: not trusted, no roles). None when the form tries to change them: refuse it with
/// `forbidden(DISPATCHERS_MAY_NOT)`.
pub fn dispatcher_keeps(
    core: &Core,
    form: &SignedForm,
    stored: Option<&VolunteerRow>,
) -> Option<(bool, Vec<String>)> {
    let roles: Vec<String> = stored
        .map(|v| {
            v.roles
                .split(',')
                .filter(|r| !r.is_empty())
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    let trusted = stored.is_some_and(|v| v.trusted);
    let has = |role: &str| roles.iter().any(|r| r == role);
    let drill_role = &core.settings.dispatch.drill_role;
    // A field that is sent says what it wants; one that is not keeps what is stored.
    let wants = |field: &str, now: bool| match form.fields.get(field) {
        Some(_) => form.get(field) == "on",
        None => now,
    };
    let unchanged = wants("trusted", trusted) == trusted
        && wants("verifier", has("verifier")) == has("verifier")
        && wants("drill", has(drill_role)) == has(drill_role);
    if !unchanged {
        tracing::warn!(user = %form.signed.user.name, "dispatcher refused: trust and roles are for admins");
        return None;
    }
    Some((trusted, roles))
}

/// Approves or rejects (fields `action`, and `confirm=yes` to reject). Admins only.
pub async fn decide(core: &Core, form: &SignedForm, id: i64, approve: bool) -> Response {
    if !form.signed.user.is_admin() {
        return forbidden("approve or reject volunteers");
    }
    let actor = form.signed.user.actor();
    if !approve && form.get("confirm") != "yes" {
        return view::message_page(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Not rejected",
            "confirm: tick the box to confirm the rejection (it erases their name, number and area)",
        );
    }
    let done = if approve {
        vetting::approve(core, &actor, id).await
    } else {
        vetting::reject(core, &actor, id).await
    };
    match done {
        Ok(Vetting::Done) => {
            let code = if approve { "approved" } else { "rejected" };
            (
                StatusCode::SEE_OTHER,
                [(LOCATION, format!("/volunteers?done={code}"))],
            )
                .into_response()
        }
        Ok(Vetting::NoSuchVolunteer) => view::not_found("volunteer"),
        Ok(Vetting::AlreadyApproved) => view::message_page(
            StatusCode::CONFLICT,
            "Approved already",
            "This volunteer is approved already. An approved volunteer is removed, not rejected.",
        ),
        Err(e) => view::internal(e),
    }
}
