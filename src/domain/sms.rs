//! SMS length and encoding, computed the way Twilio's own segment calculator does it
//! (TwilioDevEd/message-segment-calculator, npm `sms-segments-calculator` 1.2.0; PROTOCOLS §9).
//!
//! Guarantees: `measure` and `is_gsm7` never panic on any text; a message is GSM-7 only if every
//! grapheme is one character of the GSM-7 basic or extension table, otherwise the whole message is
//! UCS-2; graphemes are never split across segments; the counts agree with every row of the
//! verified table in PROTOCOLS §9 (see the tests).
//!
//! Empty text: 0 units and **1 segment**. That is what the calculator reports and what Twilio
//! bills for a message it accepts, so budgets computed here never undercount.

use unicode_segmentation::UnicodeSegmentation;

/// How the message travels: 7-bit GSM alphabet or UTF-16 (UCS-2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Gsm7,
    Ucs2,
}

/// The size of a message as Twilio counts it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SmsLength {
    pub encoding: Encoding,
    /// GSM-7: septets (extension characters count 2). UCS-2: UTF-16 code units (emoji count 2).
    pub units: usize,
    /// Number of SMS segments the message is split into (and billed as).
    pub segments: usize,
}

/// A segment is 140 octets.
const SEGMENT_BITS: usize = 140 * 8;
/// A concatenated message's segments each carry a 6-octet user data header.
const UDH_BITS: usize = 6 * 8;

/// Septets a character takes in GSM-7 (1 for the basic table, 2 for ESC + extension), or None
/// when it has no GSM-7 form. Exactly the calculator's `UnicodeToGsm` map.
fn gsm_septets(c: char) -> Option<usize> {
    match c {
        // 0x20..=0x5A are all in the basic table (with '$' and '@' at other code points).
        '\n'
        | '\r'
        | ' '..='Z'
        | '_'
        | 'a'..='z'
        | '¡'
        | '£'
        | '¤'
        | '¥'
        | '§'
        | '¿'
        | 'Ä'
        | 'Å'
        | 'Æ'
        | 'Ç'
        | 'É'
        | 'Ñ'
        | 'Ö'
        | 'Ø'
        | 'Ü'
        | 'ß'
        | 'à'
        | 'ä'
        | 'å'
        | 'æ'
        | 'è'
        | 'é'
        | 'ì'
        | 'ñ'
        | 'ò'
        | 'ö'
        | 'ø'
        | 'ù'
        | 'ü'
        | 'Γ'
        | 'Δ'
        | 'Θ'
        | 'Λ'
        | 'Ξ'
        | 'Π'
        | 'Σ'
        | 'Φ'
        | 'Ψ'
        | 'Ω' => Some(1),
        '\u{0C}' | '[' | '\\' | ']' | '^' | '{' | '|' | '}' | '~' | '€' => Some(2),
        // Backtick, á í ó ú, ç, curly quotes, dashes, CJK, emoji...: not GSM-7.
        _ => None,
    }
}

/// Graphemes as the calculator sees them: extended grapheme clusters, except that a CRLF is two
/// characters (the calculator splits it back, so a CRLF does not force UCS-2).
fn graphemes(text: &str) -> impl Iterator<Item = &str> {
    text.graphemes(true).flat_map(|g| {
        let split = g == "\r\n";
        let (a, b) = if split { g.split_at(1) } else { (g, "") };
        [a, b].into_iter().filter(|s| !s.is_empty())
    })
}

/// The septets of a grapheme that is a single GSM-7 character; None for anything else
/// (a grapheme of several characters, e.g. `e` + combining accent, is never GSM-7).
fn grapheme_septets(g: &str) -> Option<usize> {
    let mut chars = g.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) => gsm_septets(c),
        _ => None,
    }
}

/// True when the whole text can be sent in the GSM-7 alphabet (empty text is GSM-7).
#[must_use]
pub fn is_gsm7(text: &str) -> bool {
    graphemes(text).all(|g| grapheme_septets(g).is_some())
}

/// Encoding, length and segment count of `text`, exactly as Twilio's calculator computes them:
/// 160 septets / 70 UTF-16 units in a single message, 153 / 67 per segment once it is split.
#[must_use]
pub fn measure(text: &str) -> SmsLength {
    let encoding = if is_gsm7(text) {
        Encoding::Gsm7
    } else {
        Encoding::Ucs2
    };
    // Each grapheme becomes one indivisible item of `units` code units.
    let items = graphemes(text).map(|g| match encoding {
        // In a GSM-7 message every grapheme has a septet count (checked above).
        Encoding::Gsm7 => grapheme_septets(g).unwrap_or(1),
        Encoding::Ucs2 => g.encode_utf16().count(),
    });
    let bits_per_unit = match encoding {
        Encoding::Gsm7 => 7,
        Encoding::Ucs2 => 16,
    };
    let mut units = 0usize;
    let mut packer = Packer::default();
    for n in items {
        units = units.saturating_add(n);
        packer.push(n.saturating_mul(bits_per_unit));
    }
    SmsLength {
        encoding,
        units,
        segments: packer.segments,
    }
}

/// The calculator's `_buildSegments` loop, replayed on item sizes in bits.
///
/// Why a replay rather than a formula: it reproduces the calculator in every case, including the
/// pathological one of a single grapheme bigger than a segment (hundreds of stacked combining
/// marks), which the calculator puts alone in an overfull segment instead of splitting it.
struct Packer {
    segments: usize,
    /// Bits used in the current segment, header included.
    bits: usize,
    /// Item sizes of the first segment, kept only while it is current: when the message
    /// overflows it, the first segment gets a header and its tail moves to the second.
    first: Option<Vec<usize>>,
}

impl Default for Packer {
    fn default() -> Self {
        Packer {
            segments: 1,
            bits: 0,
            first: Some(Vec::new()),
        }
    }
}

impl Packer {
    fn push(&mut self, size: usize) {
        // The calculator opens a new segment when `free < size`, i.e. `bits + size > 1120`.
        if self.bits.saturating_add(size) > SEGMENT_BITS {
            self.segments = self.segments.saturating_add(1);
            self.bits = UDH_BITS;
            if let Some(mut first) = self.first.take() {
                // The first segment now needs a header too: move its last graphemes, whole,
                // to the new segment until it fits again.
                let mut first_bits = UDH_BITS.saturating_add(first.iter().sum::<usize>());
                while first_bits > SEGMENT_BITS {
                    match first.pop() {
                        Some(moved) => {
                            first_bits -= moved;
                            self.bits = self.bits.saturating_add(moved);
                        }
                        None => break,
                    }
                }
            }
        }
        // Like the calculator, the item goes in even if it alone overfills the segment.
        self.bits = self.bits.saturating_add(size);
        if let Some(first) = self.first.as_mut() {
            first.push(size);
        }
    }
}

#[cfg(test)]
#[path = "sms_tests.rs"]
mod tests;
