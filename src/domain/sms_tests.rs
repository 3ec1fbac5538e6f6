//! Tests of `sms.rs` against the verified table of PROTOCOLS §9.

use super::*;

fn m(text: &str) -> (Encoding, usize, usize) {
    let l = measure(text);
    (l.encoding, l.units, l.segments)
}

use Encoding::{Gsm7, Ucs2};

#[test]
fn plain_ascii_rows() {
    assert_eq!(m(&"A".repeat(160)), (Gsm7, 160, 1));
    assert_eq!(m(&"A".repeat(161)), (Gsm7, 161, 2));
    assert_eq!(m(&"A".repeat(306)), (Gsm7, 306, 2));
    assert_eq!(m(&"A".repeat(307)), (Gsm7, 307, 3));
}

#[test]
fn extension_chars_take_two_septets() {
    assert_eq!(m(&"{".repeat(80)), (Gsm7, 160, 1));
    assert_eq!(m(&"{".repeat(81)), (Gsm7, 162, 2));
    // An ESC pair is never split: 152 septets + '{' does not fit 153, so '{' moves on.
    assert_eq!(m(&format!("{}{{", "A".repeat(152))), (Gsm7, 154, 1));
    assert_eq!(m(&format!("{}{{", "A".repeat(159))), (Gsm7, 161, 2));
    assert_eq!(m(&format!("{}{{{}", "A".repeat(152), "A".repeat(152))).2, 3);
}

#[test]
fn ucs2_rows() {
    assert_eq!(m(&format!("{}á", "é".repeat(69))), (Ucs2, 70, 1));
    assert_eq!(m(&"á".repeat(71)), (Ucs2, 71, 2));
    assert_eq!(m(&"á".repeat(134)), (Ucs2, 134, 2));
    assert_eq!(m(&"á".repeat(135)), (Ucs2, 135, 3));
}

#[test]
fn emoji_rows() {
    assert_eq!(m(&"😀".repeat(35)), (Ucs2, 70, 1));
    assert_eq!(m(&"😀".repeat(36)), (Ucs2, 72, 2));
    assert_eq!(m(&format!("{}😀", "á".repeat(66))), (Ucs2, 68, 1));
    assert_eq!(m(&format!("{}😀", "á".repeat(69))), (Ucs2, 71, 2));
    // A surrogate pair is never split: after 66 units the emoji moves whole to segment 2,
    // so 134 units need 3 segments here although 134 plain units fit in 2.
    assert_eq!(
        m(&format!("{}😀{}", "á".repeat(66), "á".repeat(66))),
        (Ucs2, 134, 3)
    );
}

#[test]
fn spanish_alert_rows() {
    let accented = "ALERTA: Redada de ICE en 7-Eleven, 3rd y Vermont. ¿Puedes ir? Responde SÍ, NO o AQUÍ.";
    assert_eq!(m(accented), (Ucs2, 85, 2));
    let plain = "ALERTA: Redada de ICE en 7-Eleven, 3rd y Vermont. ¿Puedes ir? Responde SI, NO o AQUI.";
    assert_eq!(m(plain), (Gsm7, 85, 1));
    assert!(is_gsm7(plain) && !is_gsm7(accented));
}

#[test]
fn korean_and_chinese_rows() {
    let ko = "긴급: 3rd와 Vermont의 7-Eleven에 ICE 단속. 올 수 있나요? Y / N / HERE로 답장하세요.";
    assert_eq!(m(ko), (Ucs2, 65, 1));
    let zh = "紧急：ICE 正在 3rd 和 Vermont 的 7-Eleven 突击搜查。你能来吗？回复 Y、N 或 HERE。";
    assert_eq!(m(zh), (Ucs2, 59, 1));
}

#[test]
fn body_limit_rows() {
    assert_eq!(m(&"a".repeat(1600)), (Gsm7, 1600, 11));
    assert_eq!(m(&"한".repeat(1600)), (Ucs2, 1600, 24));
}

#[test]
fn gsm7_membership() {
    assert!(is_gsm7(""));
    assert!(is_gsm7(
        "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    ));
    assert!(is_gsm7("¡ABCXYZÄÖÑÜ§¿abcxyzäöñüà"));
    assert!(is_gsm7("\u{0C}[\\]^{|}~€"));
    for c in [
        "`", "á", "í", "ó", "ú", "Á", "Í", "Ó", "Ú", "ç", "â", "ê", "õ", "ã",
    ] {
        assert!(!is_gsm7(c), "{c} must not be GSM-7");
    }
    for c in [
        "“", "”", "‘", "’", "—", "–", "…", "\u{A0}", "한", "紧", "😀", "\t",
    ] {
        assert!(!is_gsm7(c), "{c:?} must not be GSM-7");
    }
    // A decomposed é (e + combining acute) is two characters in one grapheme: UCS-2.
    assert!(!is_gsm7("e\u{301}"));
    assert_eq!(m("e\u{301}"), (Ucs2, 2, 1));
}

#[test]
fn crlf_counts_as_two_gsm_characters() {
    assert!(is_gsm7("a\r\nb"));
    assert_eq!(m("a\r\nb"), (Gsm7, 4, 1));
    assert_eq!(m(&"\r\n".repeat(80)), (Gsm7, 160, 1));
    assert_eq!(m(&"\r\n".repeat(81)), (Gsm7, 162, 2));
}

#[test]
fn empty_is_one_segment() {
    assert_eq!(m(""), (Gsm7, 0, 1));
}

#[test]
fn one_non_gsm_char_flips_the_whole_message() {
    let text = format!("{}’", "A".repeat(100));
    assert_eq!(m(&text), (Ucs2, 101, 2));
}

#[test]
fn pathological_graphemes_do_not_panic() {
    // One grapheme of 1 + 500 combining marks: bigger than any segment. The calculator
    // opens a second segment for it and leaves it alone there, overfull.
    let zalgo = format!("a{}", "\u{301}".repeat(500));
    assert_eq!(m(&zalgo), (Ucs2, 501, 2));
    let mixed = format!("x{zalgo}y{zalgo}");
    let l = measure(&mixed);
    assert_eq!((l.encoding, l.units), (Ucs2, 1004));
    assert!(l.segments >= 2);
    // A long family emoji sequence (ZWJ) stays one grapheme.
    assert_eq!(m("👨‍👩‍👧‍👦"), (Ucs2, 11, 1));
    let big = "é".repeat(200_000);
    assert_eq!(measure(&big).segments, 200_000usize.div_ceil(153));
    let _ = measure("\u{0}\u{FFFF}\u{10FFFF}\r\r\n\n");
}
