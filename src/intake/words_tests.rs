//! Tests of `words.rs`.

use super::*;
use Answer::{Cant, Coming, OnScene};

#[test]
fn answers_coming() {
    for t in [
        "Y",
        "y",
        " y ",
        "YES",
        "Yes!",
        "1",
        "1.",
        "SI",
        "si",
        "SI.",
        "Sí!",
        "SÍ",
        "¡Sí!",
        "¡¡SI!!",
        "si\u{301}",
        "OMW",
        "omw",
        "On my way",
        "on  my way!",
        "Voy",
        "¡Voy!",
        "ya voy",
        "en camino",
        "En Camino.",
        "\n\tY\r\n",
        "\u{A0}y\u{A0}",
        "y\u{200B}",
        "Y?",
        "¿Sí?",
    ] {
        assert_eq!(parse_answer(t), Some(Coming), "{t:?}");
    }
}

#[test]
fn answers_cant() {
    for t in [
        "N",
        "n",
        "NO",
        "No.",
        "no!",
        "2",
        "can't",
        "Can’t",
        "cant",
        "CANNOT",
        "No puedo",
        "no puedo.",
    ] {
        assert_eq!(parse_answer(t), Some(Cant), "{t:?}");
    }
}

#[test]
fn answers_on_scene() {
    for t in [
        "HERE",
        "here.",
        "AQUÍ",
        "aqui",
        "Aquí!",
        "3",
        "estoy aqui",
        "Estoy aquí!",
        "I'm here",
        "I’m here",
        "im here",
        "I am here",
        "aquí estoy",
    ] {
        assert_eq!(parse_answer(t), Some(OnScene), "{t:?}");
    }
}

#[test]
fn not_answers() {
    for t in [
        "",
        " ",
        "yes please",
        "y no",
        "no se",
        "si puedo ir en 20 min",
        "4",
        "0",
        "11",
        "yy",
        "ye",
        "STOP",
        "HELP",
        "START",
        "👍",
        "y 👍",
        "Y,",
        "'y'",
        "y.y",
        "here?!? no",
        "sí, voy",
        "ICE en 3rd y Vermont",
        "nope",
        "maybe so",
        "s",
        "ok",
        "１",
    ] {
        assert_eq!(parse_answer(t), None, "{t:?}");
    }
}

#[test]
fn very_long_or_odd_input_is_not_an_answer() {
    assert_eq!(parse_answer(&"y".repeat(100_000)), None);
    assert_eq!(parse_answer(&"\u{301}".repeat(100_000)), None);
    assert_eq!(
        parse_answer(&format!("{}y{}", " ".repeat(50_000), " ".repeat(50_000))),
        Some(Coming)
    );
    assert_eq!(parse_answer(&format!("y{}", "!".repeat(200))), None);
    assert_eq!(parse_answer("\u{0}"), None);
    assert_eq!(parse_answer("\u{FFFD}\u{10FFFF}"), None);
    assert_eq!(parse_answer("İ"), None);
}

#[test]
fn keywords() {
    use SubscriptionKeyword::{Help, Start, Stop};
    for t in [
        "STOP",
        "stop",
        "Stop",
        "sToP",
        " stop\n",
        "STOPALL",
        "unsubscribe",
        "Cancel",
        "END",
        "quit",
        "REVOKE",
        "optout",
    ] {
        assert_eq!(subscription_keyword(t), Some(Stop), "{t:?}");
    }
    for t in ["START", "start", "Unstop", " UNSTOP "] {
        assert_eq!(subscription_keyword(t), Some(Start), "{t:?}");
    }
    for t in ["HELP", "help", "Info", "INFO\r\n"] {
        assert_eq!(subscription_keyword(t), Some(Help), "{t:?}");
    }
    for t in [
        "YES",
        "yes",
        "Y",
        "stop please",
        "please stop",
        "STOP.",
        "STOP STOP",
        "S T O P",
        "stops",
        "ſtop",
        "ＳＴＯＰ",
        "",
        " ",
        "ayuda",
        "parar",
        "opt out",
        "helpme",
        "😀",
    ] {
        assert_eq!(subscription_keyword(t), None, "{t:?}");
    }
    assert_eq!(subscription_keyword(&"stop ".repeat(10_000)), None);
}

#[test]
fn keywords_and_answers_do_not_overlap_except_yes() {
    for t in ["STOP", "START", "HELP", "INFO", "END", "CANCEL", "QUIT"] {
        assert_eq!(parse_answer(t), None, "{t}");
    }
    // YES is Coming for tocsin and opt-in for Twilio; the keyword side leaves it alone.
    assert_eq!(parse_answer("YES"), Some(Coming));
    assert_eq!(subscription_keyword("YES"), None);
}

#[test]
fn kinds_raid() {
    for t in [
        "ICE at the 7-Eleven on 3rd",
        "la migra en la esquina",
        "LA MIGRA!!",
        "Redada en Vermont",
        "redadas hoy",
        "Immigration agents outside",
        "agentes de inmigración",
        "CBP trucks",
        "Border Patrol on Main St",
        "HSI vans",
        "3 people detained",
        "detenidos en la fábrica",
        "they are arresting people",
        "raid on 5th",
        "ICE with police escort",
        "policía y migra",
        "ice\u{200B} at corner",
        "I.C.E",
        "ICE-agents",
    ] {
        let expected = if t == "I.C.E" { Kind::Other } else { Kind::Raid };
        assert_eq!(guess_kind(t), expected, "{t:?}");
    }
}

#[test]
fn kinds_eviction_and_police() {
    for t in [
        "eviction in progress",
        "they want to evict my neighbor",
        "landlord evicting family",
        "Desalojo en la calle 8",
        "nos desalojan",
        "desahucio ahora",
        "illegal lockout",
        "locksmith changing locks at apt 4",
        "bailiff at the door",
        "City Marshal here",
        "sheriff serving papers",
        "desalojo con policía",
    ] {
        assert_eq!(guess_kind(t), Kind::Eviction, "{t:?}");
    }
    for t in [
        "police at the park",
        "POLICÍA en la esquina",
        "cops everywhere",
        "LAPD helicopter",
        "NYPD stopping people",
        "patrol car outside",
        "patrulla en la calle",
    ] {
        assert_eq!(guess_kind(t), Kind::Police, "{t:?}");
    }
}

#[test]
fn kinds_other_and_whole_words() {
    for t in [
        "",
        "😀",
        "ice cream truck on 3rd",
        "free ice cubes",
        "price of rice",
        "nice day",
        "policy meeting",
        "copse",
        "marshmallow",
        "iceberg",
        "sheriff",
        "locksmith",
        "patrol",
        "evictionless",
        "alicé",
        "something strange happening",
        "\u{0}\u{FFFF}",
    ] {
        assert_eq!(guess_kind(t), Kind::Other, "{t:?}");
    }
    // Very long input: linear and panic-free.
    assert_eq!(guess_kind(&"word ".repeat(200_000)), Kind::Other);
    assert_eq!(guess_kind(&format!("{}redada", "x ".repeat(200_000))), Kind::Raid);
    assert_eq!(guess_kind(&"\u{301}".repeat(100_000)), Kind::Other);
}

#[test]
fn languages() {
    let (en, es, ko, zh) = (Language::EN, Language::ES, Language::KO, Language::ZH);
    let cases = [
        ("3rd와 Vermont의 7-Eleven에 ICE 단속", ko),
        ("ICE 正在 3rd 和 Vermont 的 7-Eleven 突击搜查", zh),
        ("ICE en 3rd & Vermont, ¿vienen? 2+ camionetas", es),
        ("La migra está en la esquina", es),
        ("hay redada en la calle 8", es),
        ("¡Ayuda!", es),
        ("desalojo", es),
        ("Policía", es),
        ("niño", es),
        ("ICE at the corner of 3rd and Vermont", en),
        ("Police are on Main street, come help", en),
        ("raid", en),
        ("ICE", en),
        ("", en),
        ("😀😀", en),
        ("7-Eleven", en),
        ("the la", en),
        ("ICE at café", en),
        ("esta\u{301} aqui\u{301}", es),
    ];
    for (t, lang) in cases {
        assert_eq!(guess_language(t), lang, "{t:?}");
    }
    assert_eq!(guess_language(&"the ".repeat(100_000)), en);
    assert_eq!(guess_language(&"¿".repeat(100_000)), es);
}

#[test]
fn folding() {
    assert_eq!(fold("SÍ Aquí Ñandú ÀÉÎÕÜ"), "si aqui nandu aeiou");
    assert_eq!(fold("Can’t"), "can't");
    assert_eq!(fold("İ"), "i");
    assert_eq!(fold("a\u{200D}b\u{FEFF}"), "ab");
    assert_eq!(
        tokens("7-eleven, 3rd").collect::<Vec<_>>(),
        ["7", "eleven", "3rd"]
    );
}

#[test]
fn opt_out_and_opt_in_words_of_each_catalogue_name_their_language() {
    for (t, lang) in [
        ("BAJA", Language::ES),
        ("parar", Language::ES),
        ("Cancelar.", Language::ES),
        ("중지", Language::KO),
        ("취소", Language::KO),
        ("退订", Language::ZH),
        ("停止", Language::ZH),
        ("取消。", Language::ZH),
    ] {
        assert_eq!(consent_word(t), Some((SubscriptionKeyword::Stop, lang)), "{t:?}");
    }
    for (t, lang) in [
        ("alta", Language::ES),
        ("시작", Language::KO),
        ("开始", Language::ZH),
    ] {
        assert_eq!(consent_word(t), Some((SubscriptionKeyword::Start, lang)), "{t:?}");
    }
    // Carriers' own words are not the catalogues' (Twilio answers those); sentences are reports.
    for t in ["STOP", "baja la policia", "", "停止 停止", "no"] {
        assert_eq!(consent_word(t), None, "{t:?}");
    }
    assert_eq!(consent_word(&"baja ".repeat(10_000)), None);
}
