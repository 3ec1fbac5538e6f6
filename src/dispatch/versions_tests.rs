//! Tests of `versions.rs`: each language gets its own version or English, within the limits,
//! and the size shown is the size of the whole message sent.

use super::*;
use crate::dispatch::message::Label;

const HEAD: Head = Head {
    id: 12,
    drill: false,
    label: Label::Confirmed,
};

fn body_of(texts: &Texts, code: &str) -> String {
    texts
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, b)| b.clone())
        .unwrap_or_default()
}

#[test]
fn each_language_gets_its_own_version_else_english() {
    let v = Versions::new(
        "Regroup at the church",
        &[(Language::ES, " Reunanse en la iglesia "), (Language::KO, "")],
    )
    .expect("valid");
    let texts = v.bodies(&HEAD);
    assert_eq!(texts[0].0, "en", "English first: the default for anyone else");
    assert_eq!(
        body_of(&texts, "en"),
        "TOCSIN #12 CONFIRMED update: Regroup at the church (Y12 N12 HERE12)"
    );
    let es = body_of(&texts, "es");
    assert!(es.contains("novedad: Reunanse en la iglesia ("), "{es}");
    assert!(!es.contains("Regroup"), "{es}");
    // An empty version is none: Korean readers get English after their own prefix.
    let ko = body_of(&texts, "ko");
    assert!(ko.contains("새 소식: Regroup at the church"), "{ko}");
    assert!(body_of(&texts, "zh").contains("Regroup at the church"));
    assert_eq!(v.own_languages(), vec![Language::ES]);
    assert!(v.has_own(Language::EN) && v.has_own(Language::ES) && !v.has_own(Language::KO));
    assert_eq!(v.text_for(Language::ZH), "Regroup at the church");
}

#[test]
fn english_is_required_and_every_version_is_limited_naming_its_field() {
    let long = "x".repeat(UPDATE_MAX_CHARS + 1);
    let just = "x".repeat(UPDATE_MAX_CHARS);
    assert_eq!(
        Versions::new("  ", &[(Language::ES, "hola")]).unwrap_err().0,
        "text"
    );
    assert_eq!(Versions::new(&long, &[]).unwrap_err().0, "text");
    let (field, why) = Versions::new("ok", &[(Language::ES, &long)]).unwrap_err();
    assert_eq!(field, "texts.es");
    assert!(why.contains("Español") && why.contains("300"), "{why}");
    assert_eq!(
        Versions::new("ok", &[(Language::ZH, &long)]).unwrap_err().0,
        "texts.zh"
    );
    assert_eq!(
        Versions::new("ok", &[(Language::EN, "again")]).unwrap_err().0,
        "texts.en"
    );
    assert!(
        Versions::new(&just, &[(Language::KO, &just)]).is_ok(),
        "the limit itself is fine"
    );
}

#[test]
fn a_correction_is_labelled_in_each_language() {
    let v = Versions::new("The school on 4th", &[(Language::ES, "La escuela en la 4")])
        .expect("valid")
        .as_correction();
    let texts = v.bodies(&HEAD);
    assert!(
        body_of(&texts, "en").contains("update: Correction: The school on 4th"),
        "{texts:?}"
    );
    assert!(body_of(&texts, "es").contains("novedad: Correccion: La escuela en la 4"));
    assert!(body_of(&texts, "ko").contains("정정: The school on 4th"));
    assert!(body_of(&texts, "zh").contains("更正：The school on 4th"));
}

#[test]
fn the_size_is_of_the_whole_message_after_folding() {
    // Curly quotes and a long dash fold to GSM-7: one segment.
    let v = Versions::new("Agents left — regroup at the “church”", &[]).expect("valid");
    let all = measure_all(&v, &HEAD);
    let en = &all[0];
    assert_eq!(en.language, Language::EN);
    assert!(
        en.body.contains("left - regroup at the \"church\""),
        "{}",
        en.body
    );
    assert_eq!((en.length.segments, en.length.encoding), (1, Encoding::Gsm7));
    assert_eq!(describe(en.length), "1 SMS segment · GSM-7");
    // Korean readers get English after a Korean prefix: UCS-2 whatever the text.
    let ko = all.iter().find(|m| m.language == Language::KO).expect("ko");
    assert_eq!(ko.length.encoding, Encoding::Ucs2);
    assert!(!ko.own);

    // An emoji makes English UCS-2 too; the prefix counts towards the segments.
    let v = Versions::new("Regroup at the church 🙏", &[]).expect("valid");
    let en = measure_all(&v, &HEAD).remove(0);
    assert_eq!(en.length.encoding, Encoding::Ucs2);
    assert_eq!(describe(en.length), "1 SMS segment · UCS-2 (costs more)");
    // 150 characters alone fit a segment; with the prefix and the reply words they do not.
    let v = Versions::new(&"a".repeat(150), &[]).expect("valid");
    let en = measure_all(&v, &HEAD).remove(0);
    assert_eq!(en.length.segments, 2);
    assert_eq!(describe(en.length), "2 segments · GSM-7");
}

#[test]
fn the_worst_size_is_more_segments_then_ucs2() {
    let size = |segments, encoding| SmsLength {
        encoding,
        units: 0,
        segments,
    };
    let one_gsm = size(1, Encoding::Gsm7);
    let one_ucs = size(1, Encoding::Ucs2);
    let two_gsm = size(2, Encoding::Gsm7);
    assert_eq!(worst(one_gsm, one_ucs), one_ucs);
    assert_eq!(worst(one_ucs, one_gsm), one_ucs);
    assert_eq!(worst(one_ucs, two_gsm), two_gsm);
    assert_eq!(worst(two_gsm, one_gsm), two_gsm);
}
