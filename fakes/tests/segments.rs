//! `segments` against the table of PROTOCOLS §9 (computed with Twilio's calculator).

use tocsin_fakes::segments;

fn repeat(s: &str, n: usize) -> String {
    s.repeat(n)
}

#[test]
fn gsm7_boundaries() {
    assert_eq!(segments(&repeat("A", 160)), 1);
    assert_eq!(segments(&repeat("A", 161)), 2);
    assert_eq!(segments(&repeat("A", 306)), 2);
    assert_eq!(segments(&repeat("A", 307)), 3);
    assert_eq!(segments(&repeat("a", 1600)), 11);
}

#[test]
fn gsm7_extension_chars_take_two_septets() {
    assert_eq!(segments(&repeat("{", 80)), 1);
    assert_eq!(segments(&repeat("{", 81)), 2);
}

#[test]
fn ucs2_boundaries() {
    assert_eq!(segments(&(repeat("é", 69) + "á")), 1);
    assert_eq!(segments(&repeat("á", 71)), 2);
    assert_eq!(segments(&repeat("á", 134)), 2);
    assert_eq!(segments(&repeat("á", 135)), 3);
    assert_eq!(segments(&repeat("한", 1600)), 24);
}

#[test]
fn emoji_are_two_units_and_never_split() {
    assert_eq!(segments(&repeat("👍", 35)), 1);
    assert_eq!(segments(&repeat("👍", 36)), 2);
}

#[test]
fn multilingual_alerts() {
    let accented = "ALERTA: Redada de ICE en 7-Eleven, 3rd y Vermont. ¿Puedes ir? Responde SÍ, NO o AQUÍ.";
    assert_eq!(accented.chars().count(), 85);
    assert_eq!(segments(accented), 2, "one Í flips the whole message to UCS-2");
    let plain = "ALERTA: Redada de ICE en 7-Eleven, 3rd y Vermont. ¿Puedes ir? Responde SI, NO o AQUI.";
    assert_eq!(segments(plain), 1);
    let korean = "긴급: 3rd와 Vermont의 7-Eleven에 ICE 단속. 올 수 있나요? Y / N / HERE로 답장하세요.";
    assert_eq!(korean.chars().count(), 65);
    assert_eq!(segments(korean), 1);
    let chinese = "紧急：ICE 正在 3rd 和 Vermont 的 7-Eleven 突击搜查。你能来吗？回复 Y、N 或 HERE。";
    assert_eq!(chinese.chars().count(), 59);
    assert_eq!(segments(chinese), 1);
    assert_eq!(segments("backtick ` forces UCS-2"), 1);
}
