//! Words of street and place names as people write them: folded (case, accents), split into
//! tokens, abbreviations spelled out (`St` -> `street`, `W` -> `west`, `third` -> `3rd`), so
//! that `1234 W 3rd St` and `West 3rd Street` compare equal.

use crate::domain::fold::fold;

/// A token of text: a word or number, or one of the joining signs `&`, `/`, `+`.
pub type Tokens = Vec<String>;

/// Splits folded text into tokens with abbreviations spelled out.
pub fn tokens(text: &str) -> Tokens {
    split(text, true)
}

/// The same tokens as written (folded, abbreviations kept): a word still being typed, like
/// the `s` of `3rd s`, is the start of `st` or `street`, not `south`.
pub fn typed_tokens(text: &str) -> Tokens {
    split(text, false)
}

fn split(text: &str, spell: bool) -> Tokens {
    let spelled = |w: &str| if spell { spelled_out(w) } else { w.to_string() };
    let folded = fold(text);
    let mut out = Vec::new();
    let mut word = String::new();
    for c in folded.chars() {
        if c.is_alphanumeric() {
            word.push(c);
            continue;
        }
        if !word.is_empty() {
            out.push(spelled(&std::mem::take(&mut word)));
        }
        if matches!(c, '&' | '/' | '+') {
            out.push(c.to_string());
        }
    }
    if !word.is_empty() {
        out.push(spelled(&word));
    }
    out
}

fn spelled_out(word: &str) -> String {
    let long = match word {
        "st" | "str" => "street",
        "ave" | "av" | "avda" => "avenue",
        "blvd" | "bl" | "boul" => "boulevard",
        "rd" => "road",
        "dr" => "drive",
        "ln" => "lane",
        "ct" => "court",
        "pl" => "place",
        "pkwy" => "parkway",
        "hwy" => "highway",
        "sq" => "square",
        "ter" => "terrace",
        "cir" => "circle",
        "n" => "north",
        "s" => "south",
        "e" => "east",
        "w" => "west",
        "first" => "1st",
        "second" => "2nd",
        "third" => "3rd",
        "fourth" => "4th",
        "fifth" => "5th",
        "sixth" => "6th",
        "seventh" => "7th",
        "eighth" => "8th",
        "ninth" => "9th",
        "tenth" => "10th",
        other => other,
    };
    long.to_string()
}

const DIRECTIONS: [&str; 4] = ["north", "south", "east", "west"];
const TYPES: [&str; 14] = [
    "street",
    "avenue",
    "boulevard",
    "road",
    "drive",
    "lane",
    "court",
    "place",
    "parkway",
    "highway",
    "square",
    "terrace",
    "circle",
    "way",
];

/// The keys a street name is found by: its whole name, and without a leading direction
/// and/or a trailing type (`west 3rd street`, `3rd street`, `west 3rd`, `3rd`). A name that
/// is only a type or a direction keeps just its whole form.
pub fn street_keys(name: &str) -> Vec<String> {
    let t = tokens(name);
    let mut keys = vec![t.join(" ")];
    let lead = t.first().is_some_and(|w| DIRECTIONS.contains(&w.as_str()));
    let tail = t.last().is_some_and(|w| TYPES.contains(&w.as_str()));
    let from = usize::from(lead);
    let to = t.len() - usize::from(tail);
    if to > from {
        keys.push(t[from..].join(" "));
        keys.push(t[..to].join(" "));
        keys.push(t[from..to].join(" "));
    }
    keys.retain(|k| !k.is_empty());
    keys.sort();
    keys.dedup();
    keys
}

/// A house number as written (`16`, `16a`): digits then at most two letters, not an ordinal.
pub fn house_number(token: &str) -> Option<&str> {
    let digits = token.bytes().take_while(u8::is_ascii_digit).count();
    let rest = &token[digits..];
    let ok = (1..=6).contains(&digits)
        && rest.len() <= 2
        && rest.bytes().all(|b| b.is_ascii_lowercase())
        && !matches!(rest, "st" | "nd" | "rd" | "th");
    ok.then_some(token)
}

/// Words that join two street names into an intersection: `Vermont and 3rd`, `3rd & Vermont`,
/// `3rd/Vermont`, `X y Y`, `Mannerheimintie ja Kaivokatu`, `X at Y`, `X con Y`.
pub fn joins(token: &str) -> bool {
    matches!(
        token,
        "and" | "&" | "/" | "+" | "y" | "e" | "ja" | "at" | "x" | "con" | "with"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn abbreviations_and_accents_compare_equal() {
        assert_eq!(tokens("1234 W. 3rd St"), ["1234", "west", "3rd", "street"]);
        assert_eq!(tokens("West Third Street"), ["west", "3rd", "street"]);
        assert_eq!(tokens("Yrjönkatu 16"), ["yrjonkatu", "16"]);
        assert_eq!(tokens("3rd/Vermont & 4th"), ["3rd", "/", "vermont", "&", "4th"]);
        assert_eq!(tokens("S VERMONT AVE"), tokens("South Vermont Avenue"));
        assert_eq!(tokens("Wilshire Blvd"), ["wilshire", "boulevard"]);
        assert_eq!(typed_tokens("W. 3rd St & Ave"), ["w", "3rd", "st", "&", "ave"]);
    }

    #[test]
    fn a_street_is_found_with_or_without_direction_and_type() {
        assert_eq!(
            street_keys("West 3rd Street"),
            ["3rd", "3rd street", "west 3rd", "west 3rd street"]
        );
        assert_eq!(street_keys("Yrjönkatu"), ["yrjonkatu"]);
        assert_eq!(street_keys("The Street"), ["the", "the street"]);
        assert_eq!(street_keys("Street"), ["street"]);
        assert!(street_keys("").is_empty());
    }

    #[test]
    fn house_numbers_are_digits_and_a_letter_at_most() {
        assert_eq!(house_number("16"), Some("16"));
        assert_eq!(house_number("16a"), Some("16a"));
        assert_eq!(house_number("3rd"), None);
        assert_eq!(house_number("1234567"), None);
        assert_eq!(house_number("street"), None);
    }
}
