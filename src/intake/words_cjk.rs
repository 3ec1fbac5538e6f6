//! Words of a sighting in Korean and Chinese. Neither is read word by word here: Chinese has
//! no spaces and Korean attaches particles (`이민단속이`, `경찰이`), so a word counts wherever it
//! occurs in the text (NFC, so that decomposed Hangul reads like composed). Simplified and
//! traditional Chinese both count. Same precedence as English and Spanish: raid, eviction, police.

use unicode_normalization::UnicodeNormalization;

use crate::domain::Kind;

const RAID: &[&str] = &[
    // Korean: immigration enforcement, crackdown, immigration office, ICE, deportation, arrest.
    "이민단속",
    "이민 단속",
    "단속",
    "이민국",
    "이민세관",
    "출입국",
    "추방",
    "체포",
    "연행",
    // Chinese: immigration bureau/officers, raid, sweep, grabbing people, deportation, arrest.
    "移民局",
    "移民官",
    "移民执法",
    "移民執法",
    "突袭",
    "突襲",
    "突击搜查",
    "突擊搜查",
    "搜捕",
    "抓人",
    "抓捕",
    "驱逐出境",
    "驅逐出境",
    "遣返",
    "逮捕",
    "拘留",
];
const EVICTION: &[&str] = &[
    // Korean: eviction, forced eviction, kicked out, bailiff (court enforcement officer).
    "퇴거",
    "쫓겨",
    "집행관",
    "명도집행",
    // Chinese: eviction, forced relocation, thrown out, changing the locks, bailiff.
    "驱逐",
    "驅逐",
    "强制搬迁",
    "強制搬遷",
    "强迁",
    "強遷",
    "迫迁",
    "迫遷",
    "赶出",
    "趕出",
    "逐出",
    "换锁",
    "換鎖",
    "法警",
];
const POLICE: &[&str] = &["경찰", "순찰차", "警察", "警车", "警車", "警方"];

fn is_cjk(c: char) -> bool {
    ('\u{AC00}'..='\u{D7A3}').contains(&c)
        || ('\u{1100}'..='\u{11FF}').contains(&c)
        || ('\u{4E00}'..='\u{9FFF}').contains(&c)
}

/// The kind a Korean or Chinese text names, if any.
pub(super) fn guess_kind(text: &str) -> Option<Kind> {
    if !text.chars().any(is_cjk) {
        return None;
    }
    let text: String = text.nfc().collect();
    let names = |list: &[&str]| list.iter().any(|w| text.contains(w));
    if names(RAID) {
        Some(Kind::Raid)
    } else if names(EVICTION) {
        Some(Kind::Eviction)
    } else if names(POLICE) {
        Some(Kind::Police)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use crate::domain::Kind;
    use crate::intake::words::guess_kind;
    use unicode_normalization::UnicodeNormalization;

    #[test]
    fn korean_and_chinese_sightings_name_their_kind() {
        for (t, kind) in [
            ("이민단속", Kind::Raid),
            ("한인타운 마트 앞에 단속반이 왔어요", Kind::Raid),
            ("이민국 직원들이 사람들을 체포하고 있어요", Kind::Raid),
            ("移民局", Kind::Raid),
            ("移民局的人在超市抓人", Kind::Raid),
            ("工厂突袭", Kind::Raid),
            ("警察陪同移民局突襲", Kind::Raid),
            ("房东在驱逐我们", Kind::Eviction),
            ("집행관이 와서 강제 퇴거 중입니다", Kind::Eviction),
            ("경찰이 많이 왔어요", Kind::Police),
            ("很多警察", Kind::Police),
            ("ICE 在这里 경찰", Kind::Raid),
        ] {
            assert_eq!(guess_kind(t), kind, "{t:?}");
            // Decomposed Hangul (NFD) reads the same.
            let nfd: String = t.nfd().collect();
            assert_eq!(guess_kind(&nfd), kind, "NFD {t:?}");
        }
        for t in ["안녕하세요", "你好", "今天天气很好", "도와주세요"] {
            assert_eq!(guess_kind(t), Kind::Other, "{t:?}");
        }
        assert_eq!(guess_kind(&"你好 ".repeat(100_000)), Kind::Other);
    }
}
