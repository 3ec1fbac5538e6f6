//! What volunteers (and would-be volunteers) say to the hotline about themselves: JOIN, PAUSE,
//! RESUME, AREA <zone>, LANG <code>, STATUS. A command is a whole message; none ever becomes a
//! report.

use std::time::Duration;

use crate::audit::{self, Actor, Subject};
use crate::domain::clock;
use crate::domain::fold::fold;
use crate::domain::{Language, Standing};
use crate::i18n::text;
use crate::intake::phrases::{command_word, exact_command_word, unspaced_command, Word};
use crate::roster::{describe_area, HomeArea};
use crate::state::Core;
use crate::store::volunteers::{SelfChange, VolunteerRow};
use crate::store::{now_ms, StoreError};

#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    Join,
    /// For this long, or until RESUME.
    Pause(Option<Duration>),
    Resume,
    Area(String),
    Lang(String),
    Status,
    /// What can be sent (HELP's words in the catalogues' languages other than the carriers').
    Help,
}

/// `paused_until` for "PAUSE" without a time: until the volunteer sends RESUME.
pub const UNTIL_RESUMED: i64 = i64::MAX / 2;

/// Longest timed pause by text: a month.
const MAX_PAUSE: Duration = Duration::from_secs(31 * 86_400);

/// Reads a command from a whole message, in any catalogue's words (`command-words-*`: HELP,
/// AYUDA, 도움말, 帮助, AREA, ZONA, 지역, 区域 ...), a word of four or more letters also with one
/// typo; None for anything else.
pub fn parse_command(message: &str) -> Option<Command> {
    let trimmed = message.trim().trim_end_matches(['.', '!', '?', '。', '！', '？']);
    let folded = fold(trimmed);
    if folded.chars().count() > 80 {
        return None;
    }
    let spaced = match folded.split_once(char::is_whitespace) {
        Some((w, r)) => (w, r.trim()),
        None => (folded.as_str(), ""),
    };
    // One typo is forgiven only in a command alone (HEPL, STAUTS): with an argument ("lane 2",
    // "done Koreatown") a near word is more likely a sentence than a command.
    let found = if spaced.1.is_empty() {
        command_word(spaced.0)
    } else {
        exact_command_word(spaced.0)
    };
    let (word, rest, original) = match found {
        Some(word) => (word, spaced.1, original_rest(message)),
        None => {
            let (word, rest) = unspaced_command(&folded)?;
            let skip = trimmed.chars().count().saturating_sub(rest.chars().count());
            (
                word,
                rest,
                trimmed.chars().skip(skip).collect::<String>().trim().to_string(),
            )
        }
    };
    match (word, rest) {
        (Word::Help, "") => Some(Command::Help),
        (Word::Join, "") => Some(Command::Join),
        (Word::Pause, "") => Some(Command::Pause(None)),
        (Word::Pause, time) => parse_duration(time).map(|d| Command::Pause(Some(d))),
        (Word::Resume, "") => Some(Command::Resume),
        (Word::Status, "") => Some(Command::Status),
        (Word::Area, zone) if !zone.is_empty() => Some(Command::Area(original)),
        (Word::Lang, code) if !code.is_empty() => Some(Command::Lang(code.to_string())),
        _ => None,
    }
}

/// The argument as written (not folded): a zone's name is shown back to the volunteer.
fn original_rest(message: &str) -> String {
    message
        .trim()
        .split_once(char::is_whitespace)
        .map(|(_, r)| r.trim().to_string())
        .unwrap_or_default()
}

/// `8h`, `3d`, `30m`, `2 h`: a positive amount up to a month.
fn parse_duration(text: &str) -> Option<Duration> {
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let unit_at = compact.find(|c: char| !c.is_ascii_digit())?;
    let (n, unit) = compact.split_at(unit_at);
    let n: u64 = n.parse().ok().filter(|n| *n > 0)?;
    let secs = match unit {
        "m" | "min" => n.checked_mul(60)?,
        "h" | "hr" | "hrs" | "hora" | "horas" => n.checked_mul(3_600)?,
        "d" | "dia" | "dias" => n.checked_mul(86_400)?,
        _ => return None,
    };
    Some(Duration::from_secs(secs).min(MAX_PAUSE))
}

/// A time as volunteers read it in an SMS, short, on the network's clock (`network.timezone`)
/// and in their language: "17:30" today, "17:30 on 12/4" (or "12월 4일 17:30") another day.
pub fn local_time(core: &Core, language: Language, ms: i64) -> String {
    let at = clock::local(ms, now_ms(), &core.settings.network.tz());
    if at.today {
        return at.time;
    }
    let args = [
        ("time", at.time),
        ("month", at.month.to_string()),
        ("day", at.day.to_string()),
    ];
    text(language, "time-on-day", &args)
}

/// A home area as STATUS names it: the zone, or the zone a circle or drawn area lies in, never
/// raw coordinates.
fn status_area(core: &Core, area_json: &str) -> String {
    let described = describe_area(area_json);
    let value: serde_json::Value = serde_json::from_str(area_json).unwrap_or_default();
    if value["type"] == "zone" {
        return described;
    }
    let zone = core
        .area_of(area_json)
        .and_then(|a| a.centre())
        .and_then(|(lat, lon)| core.zones().containing(lat, lon).map(|z| z.name.clone()));
    match (value["type"].as_str(), value["radius_m"].as_f64(), zone) {
        (Some("circle"), Some(r), Some(zone)) => format!("{r:.0} m in {zone}"),
        (_, _, Some(zone)) => zone,
        (Some("circle"), Some(r), None) => format!("{r:.0} m circle"),
        _ => "a drawn area".to_string(),
    }
}

/// A time as the audit log keeps it, in UTC.
pub fn format_time(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let days = secs.div_euclid(86_400);
    let (h, m) = (secs.rem_euclid(86_400) / 3600, secs.rem_euclid(3600) / 60);
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let mo = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(mo <= 2);
    format!("{y}-{mo:02}-{d:02} {h:02}:{m:02} UTC")
}

/// Runs a volunteer's command about themself. JOIN is the caller's (a conversation).
pub async fn run(
    core: &Core,
    v: &VolunteerRow,
    command: Command,
    language: Language,
) -> Result<String, StoreError> {
    let actor = Actor::Volunteer;
    let subject = Subject::Volunteer(v.id);
    Ok(match command {
        Command::Join => text(language, "join-already", &[]),
        Command::Help => crate::dispatch::message::help(language, &core.settings.network.name),
        Command::Pause(time) => {
            // The volunteer's own pause is kept apart from a dispatcher's (the `paused` flag):
            // RESUME by text lifts only what the volunteer set.
            let until = time.map(|t| now_ms() + t.as_millis() as i64);
            core.store
                .change_self(
                    v.id,
                    SelfChange::PausedUntil(Some(until.unwrap_or(UNTIL_RESUMED))),
                )
                .await?;
            let detail = until.map_or("until RESUME".into(), |u| format!("until {}", format_time(u)));
            audit::record(core, &actor, "volunteer_pause", subject, &detail).await;
            let shown = match until {
                Some(u) => local_time(core, language, u),
                None => text(language, "resume-word", &[]),
            };
            // Paused by a dispatcher too: RESUME would not bring alerts back, so it is not offered.
            let key = if v.paused {
                "pause-ok-dispatcher"
            } else {
                "pause-ok"
            };
            let network = ("network", core.settings.network.name.clone());
            text(language, key, &[("until", shown), network])
        }
        Command::Resume => {
            // Their own pause is lifted either way; a dispatcher's stays, and they are told
            // so (and whom to ask) rather than a "resumed" that would not be true.
            core.store
                .change_self(v.id, SelfChange::PausedUntil(None))
                .await?;
            let detail = if v.paused {
                "a dispatcher's pause stays"
            } else {
                ""
            };
            audit::record(core, &actor, "volunteer_resume", subject, detail).await;
            match v.paused {
                true => text(language, "resume-dispatcher", &network(core)),
                false => text(language, "resume-ok", &[]),
            }
        }
        Command::Status => {
            let area = status_area(core, &v.area);
            let until = v.paused_until.filter(|u| *u > now_ms());
            let resume = text(language, "resume-word", &[]);
            match (v.paused, until) {
                _ if v.standing == Standing::Pending => text(language, "status-pending", &[("area", area)]),
                // A dispatcher's pause has no end of its own, and RESUME by text cannot lift
                // it: name who holds it and whom to ask.
                (true, _) => {
                    let [network] = network(core);
                    text(language, "status-paused-dispatcher", &[("area", area), network])
                }
                (false, Some(UNTIL_RESUMED)) => {
                    text(language, "status-paused", &[("area", area), ("until", resume)])
                }
                (false, Some(until)) => text(
                    language,
                    "status-paused",
                    &[("area", area), ("until", local_time(core, language, until))],
                ),
                (false, None) => text(language, "status-active", &[("area", area)]),
            }
        }
        Command::Area(zone) => match core.zones().get(&zone) {
            Some(z) => {
                let area = HomeArea::Zone(z.name.clone());
                core.store
                    .change_self(v.id, SelfChange::Area(&area.to_json().to_string()))
                    .await?;
                if crate::roster::alertable(v) {
                    core.index_set(v.id, area.resolve(core));
                }
                audit::record(core, &actor, "volunteer_area", subject, &z.name).await;
                text(language, "area-ok", &[("area", z.name.clone())])
            }
            None => text(language, "area-unknown", &[("zone", zone)]),
        },
        Command::Lang(code) => match language_named(&code) {
            Some(new) => {
                core.store
                    .change_self(v.id, SelfChange::Language(new.as_str()))
                    .await?;
                audit::record(core, &actor, "volunteer_language", subject, new.as_str()).await;
                text(new, "language-ok", &[])
            }
            None => text(language, "language-unknown", &[("menu", Language::menu())]),
        },
    })
}

/// The network's name as a message's `$network`.
fn network(core: &Core) -> [(&'static str, String); 1] {
    [("network", core.settings.network.name.clone())]
}

/// A language by its code (`es`), its own name (`español`, `한국어`) or its number in the menu.
pub fn language_named(answer: &str) -> Option<Language> {
    let answer = answer.trim();
    if let Ok(n) = answer.parse::<usize>() {
        return n.checked_sub(1).and_then(|i| Language::all().get(i).copied());
    }
    Language::parse(answer).or_else(|| {
        Language::all()
            .into_iter()
            .find(|l| fold(&l.name()) == fold(answer))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_are_whole_messages_in_english_or_spanish() {
        assert_eq!(parse_command("JOIN"), Some(Command::Join));
        assert_eq!(parse_command("Únete"), Some(Command::Join));
        assert_eq!(parse_command("가입"), Some(Command::Join));
        assert_eq!(parse_command("加入"), Some(Command::Join));
        assert_eq!(parse_command("pause"), Some(Command::Pause(None)));
        assert_eq!(
            parse_command("PAUSE 8h"),
            Some(Command::Pause(Some(Duration::from_secs(8 * 3600))))
        );
        assert_eq!(
            parse_command("pausa 3 d"),
            Some(Command::Pause(Some(Duration::from_secs(3 * 86_400))))
        );
        assert_eq!(parse_command("pause 400d"), Some(Command::Pause(Some(MAX_PAUSE))));
        assert_eq!(parse_command("pause forever"), None);
        assert_eq!(parse_command("Resume."), Some(Command::Resume));
        assert_eq!(
            parse_command("AREA Boyle Heights"),
            Some(Command::Area("Boyle Heights".into()))
        );
        assert_eq!(parse_command("area"), None);
        assert_eq!(parse_command("LANG es"), Some(Command::Lang("es".into())));
        assert_eq!(parse_command("status"), Some(Command::Status));
        assert_eq!(parse_command("status of the raid on 3rd street?"), None);
        assert_eq!(parse_command("join us at the corner, ICE is here"), None);
        assert_eq!(parse_command("AYUDA"), Some(Command::Help));
        assert_eq!(parse_command("도움말"), Some(Command::Help));
        assert_eq!(parse_command("帮助"), Some(Command::Help));
        assert_eq!(parse_command("HEPL"), Some(Command::Help));
        assert_eq!(
            parse_command("ZONA Boyle Heights"),
            Some(Command::Area("Boyle Heights".into()))
        );
        assert_eq!(
            parse_command("지역 Koreatown"),
            Some(Command::Area("Koreatown".into()))
        );
        assert_eq!(
            parse_command("区域Koreatown"),
            Some(Command::Area("Koreatown".into()))
        );
        assert_eq!(
            parse_command("Arae Koreatown"),
            None,
            "a typo only in a command alone"
        );
        assert_eq!(parse_command("lane 2"), None);
        assert_eq!(parse_command("STAUTS"), Some(Command::Status));
        assert_eq!(
            parse_command("일시정지 8h"),
            Some(Command::Pause(Some(Duration::from_secs(8 * 3600))))
        );
        assert_eq!(parse_command("语言 es"), Some(Command::Lang("es".into())));
        assert_eq!(parse_command("Y"), None);
        assert_eq!(parse_command("here"), None);
    }

    #[test]
    fn languages_are_named_by_number_code_or_own_name() {
        assert_eq!(language_named("2"), Some(Language::ES));
        assert_eq!(language_named("ko"), Some(Language::KO));
        assert_eq!(language_named("espanol"), Some(Language::ES));
        assert_eq!(language_named("한국어"), Some(Language::KO));
        assert_eq!(language_named("9"), None);
        assert_eq!(language_named("klingon"), None);
    }

    #[test]
    fn a_dispatchers_pause_is_told_in_one_plain_sms() {
        let args = |k: &'static str, v: &str| (k, v.to_string());
        for language in Language::all() {
            for (key, extra) in [
                (
                    "status-paused-dispatcher",
                    args("area", "1500 m in Boyle Heights"),
                ),
                ("resume-dispatcher", args("unused", "")),
                ("pause-ok-dispatcher", args("until", "Fri 9:40 PM")),
            ] {
                let said = text(
                    language,
                    key,
                    &[extra, args("network", "Eastside Rapid Response")],
                );
                assert!(
                    said.contains("Eastside Rapid Response") && !said.contains("RESUME"),
                    "{said}"
                );
                let gsm = matches!(language.as_str(), "en" | "es");
                let length = crate::domain::sms::measure(&said);
                assert_eq!(crate::domain::sms::is_gsm7(&said), gsm, "{language:?} {said}");
                // A lock screen shows about one SMS: Korean and Chinese fit 70 characters a
                // segment, and the names given here are long and in Latin letters.
                let most = if gsm { 1 } else { 2 };
                assert!(
                    length.segments <= most,
                    "{language:?} {key}: {} segments: {said}",
                    length.segments
                );
            }
        }
    }

    #[test]
    fn times_read_as_utc_dates() {
        assert_eq!(format_time(0), "1970-01-01 00:00 UTC");
        assert_eq!(format_time(1_795_512_600_000), "2026-11-24 09:30 UTC");
    }
}
