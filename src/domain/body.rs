//! The text of an inbound SMS or Signal message, bounded. Twilio joins a long SMS into at most
//! 1,600 characters and Signal sends longer texts; whatever comes, tocsin keeps the first
//! 1,600 characters (never splitting a character or an emoji) and says that it cut the rest,
//! rather than refusing a message: a report is never lost for being long.

use unicode_segmentation::UnicodeSegmentation;

/// The most characters of a message tocsin keeps.
pub const MAX_CHARS: usize = 1600;

/// A message's text, at most `MAX_CHARS` characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bounded {
    pub text: String,
    /// Whether the message was longer and was cut.
    pub truncated: bool,
}

/// Keeps whole graphemes up to `MAX_CHARS` characters (`char`s, as Twilio counts them).
pub fn bound(text: &str) -> Bounded {
    if text.chars().count() <= MAX_CHARS {
        return Bounded {
            text: text.to_string(),
            truncated: false,
        };
    }
    let mut kept = 0;
    let mut end = 0;
    for (at, grapheme) in text.grapheme_indices(true) {
        let n = grapheme.chars().count();
        if kept + n > MAX_CHARS {
            break;
        }
        kept += n;
        end = at + grapheme.len();
    }
    Bounded {
        text: text[..end].to_string(),
        truncated: true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_messages_are_kept_whole() {
        let b = bound("ICE at 3rd and Vermont");
        assert_eq!((b.text.as_str(), b.truncated), ("ICE at 3rd and Vermont", false));
        let exact = "x".repeat(MAX_CHARS);
        assert_eq!(
            bound(&exact),
            Bounded {
                text: exact.clone(),
                truncated: false
            }
        );
    }

    #[test]
    fn long_messages_are_cut_at_1600_characters_without_splitting_one() {
        let long = "é".repeat(2000);
        let b = bound(&long);
        assert!(b.truncated);
        assert_eq!(b.text.chars().count(), MAX_CHARS);
        // A family emoji is several chars in one grapheme: it is kept whole or not at all.
        let family = "👨\u{200d}👩\u{200d}👧";
        let text = format!("{}{}", "a".repeat(MAX_CHARS - 2), family);
        let b = bound(&text);
        assert!(b.truncated);
        assert_eq!(b.text, "a".repeat(MAX_CHARS - 2));
        let b = bound(&"한".repeat(5000));
        assert_eq!((b.text.chars().count(), b.truncated), (MAX_CHARS, true));
    }
}
