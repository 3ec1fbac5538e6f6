//! A mobilisation's texts for everyone an alert of it goes to, in each one's language: the
//! exact place only where it may be disclosed to them, and never to a volunteer not yet vetted.

use crate::domain::Language;
use crate::intake::commands::local_time;
use crate::mobilisations::message::About;
use crate::state::Core;
use crate::store::alerts::Bodies;
use crate::store::mobilisations::MobilisationRow;

/// What one text of a mobilisation says.
pub type Say = fn(Language, &About) -> String;

/// The text in one language; `place`: the exact place may be shown.
pub fn one(
    core: &Core,
    m: &MobilisationRow,
    id: i64,
    language: Language,
    place: bool,
    say: impl Fn(Language, &About) -> String,
) -> String {
    let when = local_time(core, language, m.starts_at);
    let label = m.place.as_ref().map(|p| p.label.as_str()).filter(|_| place);
    say(
        language,
        &About {
            id,
            kind: &m.kind,
            when: &when,
            zone: m.zone.as_deref(),
            place: label,
            text: &m.text,
        },
    )
}

/// The texts of one alert in every language; `place`: whether the vetted get the exact place.
pub fn bodies(core: &Core, m: &MobilisationRow, id: i64, place: bool, say: Say) -> Bodies {
    let set = |place: bool| -> Vec<(&'static str, String)> {
        Language::all()
            .into_iter()
            .map(|l| (l.as_str(), one(core, m, id, l, place, say)))
            .collect()
    };
    Bodies {
        texts: set(place),
        unvetted: place.then(|| set(false)),
        calls: None,
    }
}
