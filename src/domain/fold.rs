//! Folding text for comparison: what phones produce (`Sí`, `SÍ`, `can’t`, zero-width joiners)
//! compares equal to plain lowercase words.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// Lowercase, decompose, drop combining marks and invisible characters, and unify apostrophes,
/// so that what phones produce (`Sí`, `SÍ`, `can’t`, zero-width spaces and joiners) compares
/// against plain lowercase ASCII lists. Recomposed at the end: Hangul syllables, which
/// decompose into letters rather than marks, come back whole (`가입` stays `가입`).
pub fn fold(text: &str) -> String {
    text.chars()
        // Lowercase first: lowercasing `İ` yields a combining dot that the next steps drop.
        .flat_map(char::to_lowercase)
        .nfd()
        .filter(|&c| !is_combining_mark(c) && !matches!(c, '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}'))
        .map(|c| match c {
            '\u{2018}' | '\u{2019}' | '\u{02BC}' | '\u{00B4}' | '`' => '\'',
            _ => c,
        })
        .nfc()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::fold;

    #[test]
    fn accents_go_and_hangul_stays_whole() {
        assert_eq!(fold("ÚNETE Sí"), "unete si");
        assert_eq!(fold("가입"), "가입");
        assert_eq!(fold("네"), "네");
    }
}
