//! Which `<Say>` voice and language pairs Twilio accepts (PROTOCOLS §11.2, the text-to-speech
//! page): an unlisted pair fails the verb (error 13520 in the debugger). Only the languages the
//! hotline speaks are listed; any other language is refused here.

/// Amazon Polly voices per language (each also with `-Neural`, where Twilio lists it).
const POLLY: &[(&str, &[&str])] = &[
    (
        "en-US",
        &[
            "Joanna", "Matthew", "Salli", "Joey", "Ivy", "Kendra", "Kimberly", "Justin", "Kevin",
        ],
    ),
    ("es-US", &["Lupe", "Penelope", "Miguel", "Pedro"]),
    ("es-MX", &["Mia", "Andres"]),
    ("ko-KR", &["Seoyeon"]),
    ("cmn-CN", &["Zhiyu"]),
];

/// Languages with Basic voices (`man`, `woman`, or the account default when no voice is given).
const BASIC: &[&str] = &["en-US", "es-US", "es-MX"];

/// Languages with Google voices (`<language>-<Standard|Wavenet|Neural2|Chirp3-HD>-<letter>`).
const GOOGLE: &[&str] = &["en-US", "es-US", "ko-KR", "cmn-CN"];

/// Whether Twilio speaks `voice` in `language` (both as given in the verb; None = default).
pub(crate) fn valid(voice: Option<&str>, language: Option<&str>) -> bool {
    let language = language.unwrap_or("en-US");
    match voice {
        None | Some("man") | Some("woman") => BASIC.contains(&language),
        Some(v) => {
            if let Some(name) = v.strip_prefix("Polly.") {
                let base = name
                    .strip_suffix("-Neural")
                    .or_else(|| name.strip_suffix("-Generative"))
                    .unwrap_or(name);
                POLLY
                    .iter()
                    .any(|(l, names)| *l == language && names.contains(&base))
            } else if let Some(name) = v.strip_prefix("Google.") {
                GOOGLE.contains(&language)
                    && name.strip_prefix(language).is_some_and(|rest| {
                        ["-Standard-", "-Wavenet-", "-Neural2-", "-Chirp3-HD-"]
                            .iter()
                            .any(|kind| rest.starts_with(kind))
                    })
            } else {
                false
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::valid;

    #[test]
    fn listed_pairs_pass_and_others_fail() {
        assert!(valid(Some("Polly.Joanna"), Some("en-US")));
        assert!(valid(Some("Polly.Lupe-Neural"), Some("es-US")));
        assert!(valid(Some("Polly.Seoyeon"), Some("ko-KR")));
        assert!(valid(Some("Polly.Zhiyu"), Some("cmn-CN")));
        assert!(valid(Some("Google.ko-KR-Standard-A"), Some("ko-KR")));
        assert!(valid(None, None));
        assert!(!valid(Some("Polly.Zhiyu"), Some("zh-CN")), "no zh-CN row");
        assert!(!valid(Some("Polly.Joanna"), Some("ko-KR")));
        assert!(!valid(Some("woman"), Some("ko-KR")), "no Basic Korean");
        assert!(!valid(None, Some("cmn-CN")));
    }
}
