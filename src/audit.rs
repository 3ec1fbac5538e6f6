//! Who acted: every dispatcher action and roster change is written to the audit log with its
//! actor, so that an admin can see who did what and when. Entries hold ids and short words,
//! never phone numbers or message text.

use crate::state::Core;
use crate::store::audit::NewEntry;
use crate::store::StoreError;

/// Who is acting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    /// A dashboard account.
    User { id: i64, name: String },
    /// Whoever holds the API token of the configuration (`api.token`, an admin token).
    Api,
    /// Whoever holds an API token made with `tocsin token add`: its label, `token:NAME`.
    Token(String),
    /// An operator at the command line.
    Cli,
    /// tocsin itself (replies, receipts).
    System,
    /// The volunteer themself, by text (JOIN, PAUSE, AREA, LANG).
    Volunteer,
    /// A volunteer with the verifier role, answering "please check".
    Verifier(i64),
}

impl Actor {
    pub fn name(&self) -> &str {
        match self {
            Actor::User { name, .. } => name,
            Actor::Api => "api",
            Actor::Token(label) => label,
            Actor::Cli => "cli",
            Actor::System => "tocsin",
            Actor::Volunteer => "volunteer (by text)",
            Actor::Verifier(_) => "verifier",
        }
    }

    /// Why an incident changed, for its history: who, by role and name or id, never a number.
    pub fn cause(&self) -> String {
        match self {
            Actor::User { name, .. } => format!("dispatcher {name}"),
            Actor::Api => "dispatcher (API)".into(),
            Actor::Token(label) => format!("dispatcher (API {label})"),
            Actor::Verifier(id) => format!("verifier (volunteer #{id})"),
            other => other.name().to_string(),
        }
    }

    /// How an incident this actor confirms was confirmed.
    pub fn confirms_as(&self) -> crate::domain::ConfirmedBy {
        match self {
            Actor::Verifier(_) => crate::domain::ConfirmedBy::Verifier,
            _ => crate::domain::ConfirmedBy::Dispatcher,
        }
    }

    /// The actor for the API token named `name`.
    pub fn token(name: &str) -> Actor {
        Actor::Token(format!("token:{name}"))
    }

    fn user_id(&self) -> Option<i64> {
        match self {
            Actor::User { id, .. } => Some(*id),
            _ => None,
        }
    }
}

/// What an entry is about.
#[derive(Debug, Clone, Copy)]
pub enum Subject {
    Incident(i64),
    Volunteer(i64),
    None,
}

/// Writes one entry after the action was committed. A failure here is logged and does not undo
/// the action: the alert that went out matters more than its paperwork.
pub async fn record(core: &Core, actor: &Actor, action: &str, subject: Subject, detail: &str) {
    let (incident_id, volunteer_id) = match subject {
        Subject::Incident(id) => (Some(id), None),
        Subject::Volunteer(id) => (None, Some(id)),
        Subject::None => (None, None),
    };
    let entry = NewEntry {
        user_id: actor.user_id(),
        actor: actor.name(),
        action,
        incident_id,
        volunteer_id,
        detail,
    };
    if let Err(e) = core.store.insert_audit(entry).await {
        tracing::error!(error = %e, action, "writing the audit log failed");
    }
}

/// A whole phone number is about to be shown to `actor` (`place`: "api" or "dashboard"). The
/// read is written first; if that fails the number must not be shown: full numbers reach only
/// audited reads.
pub async fn phone_read(
    core: &Core,
    actor: &Actor,
    volunteer_id: i64,
    place: &str,
) -> Result<(), StoreError> {
    core.store
        .insert_audit(NewEntry {
            user_id: actor.user_id(),
            actor: actor.name(),
            action: "volunteer_phone_read",
            incident_id: None,
            volunteer_id: Some(volunteer_id),
            detail: place,
        })
        .await
}

/// What a zone import's entry says: how many, and their names (the first few).
pub fn zones_detail(rows: &[crate::store::zones::ZoneRow]) -> String {
    const SHOWN: usize = 10;
    let names: Vec<&str> = rows.iter().take(SHOWN).map(|z| z.name.as_str()).collect();
    let more = rows.len().saturating_sub(SHOWN);
    let more = if more > 0 {
        format!(" and {more} more")
    } else {
        String::new()
    };
    format!("{} zones: {}{more}", rows.len(), names.join(", "))
}
