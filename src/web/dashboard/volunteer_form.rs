//! The volunteer form (add and edit on the dashboard), read into checked values: name,
//! language, trusted, home area (drawn, typed or kept), channel, roles.

use serde_json::json;

use super::session::SignedForm;
use crate::domain::{CallWhen, Language, Reach};
use crate::roster::{self, HomeArea};
use crate::state::Core;

/// A refusal: (field, why).
pub type Refusal = (&'static str, String);

/// The home area: the drawn one (`area`, JSON) if any, else the typed circle, else (when
/// editing) the stored one.
fn area(core: &Core, form: &SignedForm, stored: Option<&str>) -> Result<HomeArea, Refusal> {
    let drawn = form.get("area");
    // The radius has a default in the form: only a typed centre means a new circle.
    let typed = ["lat", "lon"].iter().any(|f| !form.get(f).is_empty());
    let value = if !drawn.is_empty() {
        serde_json::from_str(drawn).map_err(|_| {
            (
                "area",
                "the drawn area could not be read; draw it again".to_string(),
            )
        })?
    } else if let (false, Some(stored)) = (typed, stored) {
        serde_json::from_str(stored).map_err(|_| ("area", "draw the home area".to_string()))?
    } else {
        let num = |f: &'static str| -> Result<f64, Refusal> {
            form.get(f)
                .parse::<f64>()
                .ok()
                .filter(|x| x.is_finite())
                .ok_or((f, format!("{f} must be a number (or draw the area on the map)")))
        };
        json!({"type": "circle", "lat": num("lat")?, "lon": num("lon")?, "radius_m": num("radius_m")?})
    };
    HomeArea::from_json(core, &value).map_err(|e| ("area", e.to_string()))
}

/// What the add and edit form says about a volunteer, parsed.
pub struct Fields {
    pub name: String,
    pub language: Language,
    pub trusted: bool,
    pub area: HomeArea,
    /// None: not chosen (the channel stays as it is).
    pub reach: Option<Reach>,
    pub roles: Vec<String>,
    /// When they are called; None: not chosen (stays as it is).
    pub call: Option<CallWhen>,
}

/// The role checkboxes: verifier, and the drill group's role.
fn roles(core: &Core, form: &SignedForm) -> Vec<String> {
    roster::roles_of(core, form.get("verifier") == "on", form.get("drill") == "on")
}

/// Parses the form; `stored` is the volunteer's area when editing.
pub fn parse(core: &Core, form: &SignedForm, stored: Option<&str>) -> Result<Fields, Refusal> {
    let name = roster::parse_name(form.get("name")).map_err(|e| ("name", e.to_string()))?;
    let language = Language::parse(form.get("language")).ok_or((
        "language",
        format!("language must be one of {}", Language::codes().join(", ")),
    ))?;
    let trusted = form.get("trusted") == "on";
    let reach = match form.get("channel") {
        "" => None,
        c => Some(Reach::parse(c).ok_or((
            "channel",
            format!("channel must be one of {}", Reach::NAMES.join(", ")),
        ))?),
    };
    let call = match form.get("call") {
        "" => None,
        c => Some(CallWhen::parse(c).ok_or((
            "call",
            format!("call must be one of {}", CallWhen::NAMES.join(", ")),
        ))?),
    };
    Ok(Fields {
        name,
        language,
        trusted,
        area: area(core, form, stored)?,
        reach,
        roles: roles(core, form),
        call,
    })
}
