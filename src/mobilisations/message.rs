//! The texts of a planned mobilisation (issue 18), from the catalogues' `mob-*` messages: read
//! on a lock screen, so short, in the volunteer's language, ending with what to reply. Every
//! reply word carries the mobilisation's number (`YES31`) and is an answer word `parse_answer`
//! reads. Pure: the caller decides who may see the place and formats the time.

use crate::dispatch::message::to_gsm7;
use crate::domain::mobilisation::BUILT_IN_KINDS;
use crate::domain::{Answer, Language};
use crate::i18n::text;

/// What every mobilisation text says about it.
#[derive(Debug, Clone, Copy)]
pub struct About<'a> {
    /// Its code number (the number in YES31).
    pub id: i64,
    /// The kind: the built-in ones are translated (`mob-kind-*`), a configured one is shown as
    /// written.
    pub kind: &'a str,
    /// When it starts, on the network's clock, already formatted ("Thu Dec 10 07:30").
    pub when: &'a str,
    /// The zone, if any.
    pub zone: Option<&'a str>,
    /// The exact place (an address label), only when it may be disclosed to this reader.
    pub place: Option<&'a str>,
    /// The network's short public text (may be empty).
    pub text: &'a str,
}

/// User input as one line of plain text: GSM-7 where it can be (fewer segments), any run of
/// whitespace one space.
fn clean(s: &str) -> String {
    to_gsm7(s).split_whitespace().collect::<Vec<_>>().join(" ")
}

fn kind(l: Language, a: &About) -> String {
    if BUILT_IN_KINDS.contains(&a.kind) {
        text(l, &format!("mob-kind-{}", a.kind), &[])
    } else {
        a.kind.trim().to_string()
    }
}

/// The place, or else the zone, with its own leading separator; empty when neither is known
/// (or both are blank).
fn where_(l: Language, a: &About) -> String {
    let given = |s: Option<&str>| s.map(clean).filter(|s| !s.is_empty());
    if let Some(place) = given(a.place) {
        text(l, "mob-where-place", &[("place", place)])
    } else if let Some(zone) = given(a.zone) {
        text(l, "mob-where-zone", &[("zone", zone)])
    } else {
        String::new()
    }
}

/// The public text, quoted, after a space; empty when there is none (no double space).
fn public_text(l: Language, a: &About) -> String {
    let t = clean(a.text);
    if t.is_empty() {
        t
    } else {
        format!(" {}", text(l, "mob-text", &[("text", t)]))
    }
}

/// The message `key` with everything said about the mobilisation.
fn about(l: Language, key: &str, a: &About) -> String {
    let args = [
        ("id", a.id.to_string()),
        ("kind", kind(l, a)),
        ("when", clean(a.when)),
        ("where", where_(l, a)),
        ("text", public_text(l, a)),
    ];
    text(l, key, &args)
}

/// Asks a volunteer to come: what, when, where, the public text; YES, NO or MAYBE.
pub fn invitation(l: Language, a: &About) -> String {
    about(l, "mob-invitation", a)
}

/// Before the day, to those who answered: NO if they cannot come after all.
pub fn reminder(l: Language, a: &About) -> String {
    about(l, "mob-reminder", a)
}

/// The time or place changed: everything again, and the answer asked again.
pub fn changed(l: Language, a: &About) -> String {
    about(l, "mob-changed", a)
}

/// Called off: which one, and that nobody need come.
pub fn cancelled(l: Language, a: &About) -> String {
    about(l, "mob-cancelled", a)
}

/// It is happening now: where, and HERE on arrival.
pub fn live(l: Language, a: &About) -> String {
    about(l, "mob-live", a)
}

/// The reply to a volunteer's YES, NO, MAYBE or HERE about a mobilisation. Only one who is
/// coming is given the address, and only when `a.place` is given.
pub fn answered(l: Language, answer: Answer, a: &About) -> String {
    let id = ("id", a.id.to_string());
    match answer {
        Answer::Coming => {
            let address = a
                .place
                .map(clean)
                .filter(|p| !p.is_empty())
                .map(|p| format!(" {}", text(l, "mob-address", &[("place", p)])))
                .unwrap_or_default();
            let args = [
                id,
                ("kind", kind(l, a)),
                ("when", clean(a.when)),
                ("address", address),
            ];
            text(l, "mob-answered-coming", &args)
        }
        Answer::Cant => text(l, "mob-answered-cant", &[id]),
        Answer::Maybe => text(l, "mob-answered-maybe", &[id]),
        Answer::OnScene => text(l, "mob-answered-here", &[id]),
    }
}

#[cfg(test)]
#[path = "message_tests.rs"]
mod tests;
