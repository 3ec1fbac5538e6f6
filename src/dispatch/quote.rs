//! A reporter's own words, as quoted to vetted volunteers when tocsin knows the place only
//! roughly ("somewhere in Koreatown: 'ICE van at the car wash on Vermont'"): the words often say
//! more than any map. Short enough for a lock screen; links and phone numbers are left out (a
//! report is not a way to send volunteers a phishing link or someone's number).

use std::sync::LazyLock;

use regex::Regex;

/// At most this many characters of the reporter's words.
pub const MAX_CHARS: usize = 70;

static LINK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:https?://|www\.)\S+|\b[a-z0-9-]+\.(?:com|net|org|ly|io|co|me|app|link)(?:/\S*)?\b")
        .expect("a valid pattern")
});

/// Seven or more digits, with the separators people write numbers with.
static NUMBER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\+?\d(?:[\s().-]*\d){6,}").expect("a valid pattern"));

/// The words as they may be quoted: one line, without links or phone numbers, cut to
/// `MAX_CHARS` at a word's end, folded to GSM-7 where it can be.
pub fn quote(text: &str) -> String {
    let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let no_links = LINK.replace_all(&one_line, "[link]");
    let no_numbers = NUMBER.replace_all(&no_links, "[number]");
    let plain = no_numbers.replace('"', "'");
    super::message::to_gsm7(&cut(&plain, MAX_CHARS))
}

/// The text cut to `max` characters, at the last space when there is one in the second half.
fn cut(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let head: String = text.chars().take(max - 3).collect();
    let at = head
        .rfind(' ')
        .filter(|at| head[..*at].chars().count() > max / 2)
        .unwrap_or(head.len());
    format!("{}...", head[..at].trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_kept_as_written_when_short() {
        assert_eq!(
            quote("ICE van at the car wash on Vermont"),
            "ICE van at the car wash on Vermont"
        );
        assert_eq!(quote("  la migra\n en  Koreatown "), "la migra en Koreatown");
    }

    #[test]
    fn links_and_phone_numbers_are_left_out() {
        assert_eq!(
            quote("ICE here call me 323-555-0191 or +1 (213) 555 0100"),
            "ICE here call me [number] or [number]"
        );
        assert_eq!(quote("see https://evil.example/x now"), "see [link] now");
        assert_eq!(quote("go to bit.ly/abc"), "go to [link]");
        // House numbers and times are words people need.
        assert_eq!(quote("3300 S Vermont at 5:30"), "3300 S Vermont at 5:30");
    }

    #[test]
    fn long_words_are_cut_at_a_word_and_quotes_do_not_close_ours() {
        let long = "ICE agents in two grey vans outside the laundromat next to the church on the corner, many of them";
        let q = quote(long);
        assert!(q.chars().count() <= MAX_CHARS, "{q}");
        assert!(q.ends_with("..."), "{q}");
        assert!(!q.contains("  ") && !q.ends_with(" ..."), "{q}");
        assert_eq!(quote("they said \"open up\""), "they said 'open up'");
        let korean = "이민단속 ".repeat(30);
        assert!(quote(&korean).chars().count() <= MAX_CHARS);
        let unbroken = "가".repeat(200);
        assert_eq!(quote(&unbroken).chars().count(), MAX_CHARS);
    }
}
