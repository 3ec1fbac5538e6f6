//! What a wake-up call says (issue 17 §2): the alert's words as they are spoken, in the
//! volunteer's language, with the zone only (never the exact place, nor a link: progressive
//! disclosure applies to every caller, and the place follows by text to whoever answers
//! "coming"); and whether the `night` volunteers are called now.

use crate::domain::calls::NightHours;
use crate::domain::Language;
use crate::i18n::text;
use crate::state::Core;
use crate::store::alerts::Calls;

use super::message::Alert;

/// The spoken alert: "tocsin alert 12, confirmed. Immigration raid near Westlake. Need 3."
pub fn spoken_alert(language: Language, alert: &Alert) -> String {
    let drill = if alert.head.drill {
        format!("{} ", text(language, "label-drill", &[]))
    } else {
        String::new()
    };
    let still = (alert.wanted - alert.coming).max(1);
    let need = if alert.wanted > 0 {
        text(language, "need", &[("n", still.to_string())])
    } else {
        String::new()
    };
    let what = text(language, &format!("kind-{}", alert.kind.as_str()), &[]);
    let mut args = vec![
        ("drill", drill),
        ("id", alert.head.id.to_string()),
        ("what", what),
        ("need", need),
    ];
    let key = match alert.place.zone {
        Some(zone) => {
            args.push(("zone", zone.to_string()));
            "call-alert-zone"
        }
        None => "call-alert",
    };
    text(language, key, &args)
}

/// Whether now is within `network.night_hours`, on the network's clock.
pub fn is_night(core: &Core, now_ms: i64) -> bool {
    let Ok(hours) = NightHours::parse(&core.settings.network.night_hours) else {
        return false;
    };
    let at = jiff::Timestamp::from_millisecond(now_ms)
        .unwrap_or(jiff::Timestamp::UNIX_EPOCH)
        .to_zoned(core.settings.network.tz());
    hours.contains(at.hour() as u8)
}

/// The calls that follow a confirmed first alert's texts, in every language.
pub fn calls_for(core: &Core, alert: &Alert) -> Calls {
    Calls {
        texts: Language::all()
            .into_iter()
            .map(|l| (l.as_str(), spoken_alert(l, alert)))
            .collect(),
        night: is_night(core, crate::store::now_ms()),
    }
}
