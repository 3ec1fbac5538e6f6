//! Tests of `phrases.rs`: every natural variant the issue lists, coded answers in every form,
//! command words in every language and one-typo matching.

use super::*;
use Answer::{Cant, Coming, Maybe, OnScene};

fn bare(answer: Answer) -> Option<Said> {
    Some(Said {
        answer,
        incident: None,
    })
}

fn coded(answer: Answer, id: i64) -> Option<Said> {
    Some(Said {
        answer,
        incident: Some(id),
    })
}

#[test]
fn natural_answers_in_every_language() {
    let cases: &[(&str, Answer)] = &[
        ("coming", Coming),
        ("On my way", Coming),
        ("omw", Coming),
        ("OMW!", Coming),
        ("voy", Coming),
        ("Sí voy", Coming),
        ("si  voy", Coming),
        ("Ya voy!", Coming),
        ("네", Coming),
        ("예", Coming),
        ("갑니다", Coming),
        ("是", Coming),
        ("好", Coming),
        ("来", Coming),
        ("好的。", Coming),
        ("can't", Cant),
        ("Can’t", Cant),
        ("No puedo", Cant),
        ("못가요", Cant),
        ("못 가요", Cant),
        ("不行", Cant),
        ("here", OnScene),
        ("Aquí", OnScene),
        ("ya llegué", OnScene),
        ("YA LLEGUE!", OnScene),
        ("도착", OnScene),
        ("到了", OnScene),
        ("到了！", OnScene),
    ];
    for (text, answer) in cases {
        assert_eq!(parse_answer(text), bare(*answer), "{text:?}");
    }
}

#[test]
fn coded_answers_name_their_incident_in_any_order_case_and_spacing() {
    let cases: &[(&str, Answer)] = &[
        ("Y26", Coming),
        ("y26", Coming),
        ("Y 26", Coming),
        ("26Y", Coming),
        ("26 y", Coming),
        ("yes #26", Coming),
        ("YES#26", Coming),
        ("#26 si", Coming),
        ("#26 SÍ", Coming),
        ("Sí26", Coming),
        ("si voy 26", Coming),
        ("y-26", Coming),
        ("네 26", Coming),
        ("26 到了", OnScene),
        ("N26", Cant),
        ("no 26", Cant),
        ("NO26", Cant),
        ("HERE26", OnScene),
        ("here 26!", OnScene),
        ("AQUI26", OnScene),
        ("Aquí #26", OnScene),
    ];
    for (text, answer) in cases {
        assert_eq!(parse_answer(text), coded(*answer, 26), "{text:?}");
    }
}

#[test]
fn numbers_alone_or_with_other_words_are_not_coded_answers() {
    for text in [
        "26",
        "#26",
        "11",
        "1 1",
        "26 26",
        "Y0",
        "y26y",
        "maybe maybe 26",
        "y 26 27",
        "y #",
        "#",
        "y 1234567890123",
    ] {
        assert_eq!(parse_answer(text), None, "{text:?}");
    }
    assert_eq!(parse_answer("1"), bare(Coming));
    assert_eq!(parse_answer(&format!("y{}", "9".repeat(100))), None);
}

#[test]
fn maybe_in_every_language_never_coming() {
    let natural: &[(&str, Answer)] = &[
        ("maybe", Maybe),
        ("Perhaps.", Maybe),
        ("not sure", Maybe),
        ("NOT  SURE", Maybe),
        ("might", Maybe),
        ("quizás", Maybe),
        ("Quiza", Maybe),
        ("tal vez", Maybe),
        ("a lo mejor", Maybe),
        ("¿Puede ser?", Maybe),
        ("아마", Maybe),
        ("아마도", Maybe),
        ("글쎄요", Maybe),
        ("也许", Maybe),
        ("可能", Maybe),
        ("不确定", Maybe),
    ];
    for (text, answer) in natural {
        assert_eq!(parse_answer(text), bare(*answer), "{text:?}");
    }
    for text in [
        "MAYBE31",
        "maybe 31",
        "31 maybe",
        "QUIZAS31",
        "quizás #31",
        "아마 31",
        "也许31",
    ] {
        assert_eq!(parse_answer(text), coded(Maybe, 31), "{text:?}");
    }
    // The coded words of a mobilisation's invitation.
    assert_eq!(parse_answer("YES31"), coded(Coming, 31));
    assert_eq!(parse_answer("NO31"), coded(Cant, 31));
    assert_eq!(parse_answer("HERE31"), coded(OnScene, 31));
    assert_eq!(parse_answer("SI31"), coded(Coming, 31));
    assert_eq!(parse_answer("AQUI31"), coded(OnScene, 31));
    // Not maybe: other words, or no maybe word at all.
    for text in ["maybe not", "mayb", "no puede ser", "不可能"] {
        assert_ne!(parse_answer(text).map(|s| s.answer), Some(Maybe), "{text:?}");
    }
}

#[test]
fn every_answer_has_words_in_every_language() {
    for language in Language::all() {
        for key in [
            "answer-words-coming",
            "answer-words-cant",
            "answer-words-here",
            "answer-words-maybe",
        ] {
            assert!(!crate::i18n::words(language, key).is_empty(), "{language} {key}");
        }
    }
}

#[test]
fn no_word_is_two_answers() {
    let lists = lists();
    for (word, answer) in &lists.answers {
        let other: Vec<_> = lists
            .answers
            .iter()
            .filter(|(w, a)| w == word && a != answer)
            .collect();
        assert!(other.is_empty(), "{word} is {answer:?} and {other:?}");
    }
}

#[test]
fn commands_in_every_language() {
    let cases: &[(&str, Word)] = &[
        ("help", Word::Help),
        ("ayuda", Word::Help),
        ("도움말", Word::Help),
        ("帮助", Word::Help),
        ("area", Word::Area),
        ("zona", Word::Area),
        ("지역", Word::Area),
        ("区域", Word::Area),
        ("pausa", Word::Pause),
        ("일시정지", Word::Pause),
        ("暂停", Word::Pause),
        ("estado", Word::Status),
        ("상태", Word::Status),
        ("状态", Word::Status),
        ("idioma", Word::Lang),
        ("언어", Word::Lang),
        ("reanudar", Word::Resume),
        ("恢复", Word::Resume),
    ];
    for (word, expected) in cases {
        assert_eq!(command_word(word), Some(*expected), "{word}");
    }
}

#[test]
fn one_typo_in_a_long_enough_keyword_still_matches() {
    assert!(one_typo("stpo", "stop"));
    assert!(one_typo("hepl", "help"));
    assert!(!one_typo("hlp", "help"), "a three-letter word never matches");
    assert!(one_typo("helpp", "help"));
    assert!(one_typo("stauts", "status"));
    assert!(one_typo("pausr", "pause"));
    assert!(!one_typo("sotp x", "stop"));
    assert!(!one_typo("hello", "help"));
    assert!(!one_typo("here", "help"));
    assert!(!one_typo("jn", "join"));
    // Shorter keywords must match exactly.
    assert!(!one_typo("lan", "end"));
    assert!(!one_typo("ned", "end"));
    assert!(one_typo("end", "end"));
    assert_eq!(command_word("hepl"), Some(Word::Help));
    assert_eq!(command_word("STAUTS".to_lowercase().as_str()), Some(Word::Status));
    assert_eq!(command_word("ayduda"), Some(Word::Help));
}

#[test]
fn no_answer_word_is_read_as_a_command() {
    for (word, _) in &lists().answers {
        assert_eq!(command_word(word), None, "{word}");
    }
}

#[test]
fn unspaced_commands_split_from_their_argument() {
    assert_eq!(unspaced_command("区域好莱坞"), Some((Word::Area, "好莱坞")));
    assert_eq!(
        unspaced_command("지역 koreatown"),
        Some((Word::Area, "koreatown"))
    );
    assert_eq!(unspaced_command("area koreatown"), None);
}

#[test]
fn opt_out_words_with_one_typo_are_kept_by_tocsin() {
    for text in ["STPO", "stopp", "Stop.", "UNSUSCRIBE", "cancle", "수신거브"] {
        assert!(near_opt_out(text), "{text}");
    }
    for text in [
        "stop please",
        "top",
        "END",
        "here",
        "HELP",
        "pause",
        "Y",
        "ayuda",
        "storm warning",
    ] {
        assert!(!near_opt_out(text), "{text}");
    }
}

#[test]
fn sighting_words_make_a_message_a_sighting() {
    for text in [
        "Area near 3rd has agents",
        "AGENTES en la escuela",
        "요원들이 왔어요",
        "有执法人员",
    ] {
        assert!(has_sighting_word(text), "{text}");
    }
    for text in ["what time is it?", "ok thanks", "magents", "agentive"] {
        assert!(!has_sighting_word(text), "{text}");
    }
}
