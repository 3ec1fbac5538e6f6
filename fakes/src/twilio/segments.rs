//! SMS segment count per PROTOCOLS §9 (Twilio's own calculator): GSM-7 if every character is
//! in the GSM-7 basic or extension table, else UCS-2 for the whole message; 160 septets / 70
//! UTF-16 units in a single message, 153 / 67 per part when concatenated, and a character is
//! never split across parts. Graphemes are approximated by `char`s (accepted for the fake).

/// GSM 03.38 basic table characters outside printable ASCII (1 septet each).
const GSM_BASIC_EXTRA: &str = "¡£¤¥§¿ÄÅÆÇÉÑÖØÜßàäåæèéìñòöøùüΓΔΘΛΞΠΣΦΨΩ";
/// GSM 03.38 extension table (ESC + char = 2 septets each); `\u{c}` is form feed.
const GSM_EXTENSION: &str = "\u{c}[\\]^{|}~€";

/// Septets a character takes in GSM-7, or `None` if it forces UCS-2.
fn gsm_septets(c: char) -> Option<usize> {
    match c {
        // Printable ASCII is basic-table except the extension chars and the backtick.
        '`' => None,
        c if GSM_EXTENSION.contains(c) => Some(2),
        '\n' | '\r' | ' '..='~' => Some(1),
        c if GSM_BASIC_EXTRA.contains(c) => Some(1),
        _ => None,
    }
}

/// Number of parts when `units` (per char) are packed into parts of `single` (if it all fits)
/// or `multi` capacity, without splitting a character.
fn pack(units: impl Iterator<Item = usize> + Clone, single: usize, multi: usize) -> u32 {
    if units.clone().sum::<usize>() <= single {
        return 1;
    }
    let (mut parts, mut used) = (1u32, 0usize);
    for size in units {
        if used + size > multi {
            parts += 1;
            used = 0;
        }
        used += size;
    }
    parts
}

/// Segments Twilio bills for `body`. An empty body counts as one segment (our choice: it
/// only happens for media-only messages, where the count is not meaningful).
pub fn segments(body: &str) -> u32 {
    if body.chars().all(|c| gsm_septets(c).is_some()) {
        pack(body.chars().filter_map(gsm_septets), 160, 153)
    } else {
        pack(body.chars().map(char::len_utf16), 70, 67)
    }
}
