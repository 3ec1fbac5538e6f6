//! What an alert says, per language, and to whom: everyone gets `texts` in their language, except
//! volunteers not yet vetted, who get `unvetted` when it says less (no exact place). The choice
//! is made in the statement that writes the deliveries, per volunteer row.

/// The text of an alert per language code; the first is for anyone whose language has none.
pub type Texts = Vec<(&'static str, String)>;

/// What an alert says, per language.
pub struct Bodies {
    pub texts: Texts,
    /// What volunteers who are not vetted get instead, when it must say less (no exact place):
    /// the same shape as `texts`. None: everyone gets `texts`.
    pub unvetted: Option<Texts>,
    /// A confirmed first alert's wake-up call: what it says (the zone only, never the exact
    /// place, whoever is called), for the volunteers who want a call now. None: no calls.
    pub calls: Option<Calls>,
}

/// The calls that follow a first alert's texts.
pub struct Calls {
    pub texts: Texts,
    /// Within `network.night_hours`: `call = "night"` volunteers are called too.
    pub night: bool,
}

impl Bodies {
    /// The same text for everyone.
    pub fn same(texts: Texts) -> Bodies {
        Bodies {
            texts,
            unvetted: None,
            calls: None,
        }
    }

    fn sets(&self) -> impl Iterator<Item = &Texts> {
        std::iter::once(&self.texts)
            .chain(self.unvetted.as_ref())
            .chain(self.calls.as_ref().map(|c| &c.texts))
    }

    /// The SQL expression that picks each volunteer's call text, bound after `sql`'s (`after`
    /// is the last placeholder `sql` used), and the last placeholder it uses.
    pub(super) fn calls_sql(&self, after: usize) -> Option<(String, usize)> {
        let calls = self.calls.as_ref()?;
        let last = after + 1 + 2 * calls.texts.len().saturating_sub(1);
        Some((language_case(after + 1, calls.texts.len()), last))
    }

    /// Some set of texts has none at all.
    pub(super) fn is_empty(&self) -> bool {
        self.sets().any(|t| t.is_empty())
    }

    /// The SQL expression that picks each volunteer's (`v`) text, its values bound from
    /// `$first` on (see `in_bind_order`), and the last placeholder it uses.
    pub(super) fn sql(&self, first: usize) -> (String, usize) {
        let mut text = language_case(first, self.texts.len());
        let mut last = first + 2 * self.texts.len().saturating_sub(1);
        if let Some(unvetted) = &self.unvetted {
            text = format!(
                "CASE WHEN v.standing = 'unvetted' THEN ({}) ELSE ({text}) END",
                language_case(last + 1, unvetted.len())
            );
            last += 1 + 2 * unvetted.len().saturating_sub(1);
        }
        (text, last)
    }

    /// The values `sql` numbered, in order: per set, the default text, then (code, text) pairs.
    pub(super) fn in_bind_order(&self) -> impl Iterator<Item = &str> {
        self.sets().flat_map(|texts| {
            texts.iter().enumerate().flat_map(|(i, (code, body))| {
                // The first is the default: its text alone.
                let code = (i > 0).then_some(*code);
                code.into_iter().chain(std::iter::once(body.as_str()))
            })
        })
    }
}

/// `CASE v.language WHEN .. THEN .. ELSE $default_at END` for `n` texts whose default is bound
/// at `$default_at` and the (code, text) pairs of the others right after it; one text alone is
/// just `$default_at` (a CASE needs at least one WHEN).
fn language_case(default_at: usize, n: usize) -> String {
    if n <= 1 {
        return format!("${default_at}");
    }
    let mut case = String::from("CASE v.language");
    for i in 1..n {
        case.push_str(&format!(
            " WHEN ${} THEN ${}",
            default_at + 2 * i - 1,
            default_at + 2 * i
        ));
    }
    case.push_str(&format!(" ELSE ${default_at} END"));
    case
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_unvetted_texts_are_numbered_after_the_others_and_bound_in_that_order() {
        let bodies = Bodies {
            texts: vec![("en", "E".into()), ("es", "S".into())],
            unvetted: Some(vec![("en", "e".into()), ("es", "s".into())]),
            calls: None,
        };
        let (sql, last) = bodies.sql(5);
        assert_eq!(
            sql,
            "CASE WHEN v.standing = 'unvetted' THEN (CASE v.language WHEN $9 THEN $10 ELSE $8 END) \
             ELSE (CASE v.language WHEN $6 THEN $7 ELSE $5 END) END"
        );
        assert_eq!(last, 10);
        let binds: Vec<&str> = bodies.in_bind_order().collect();
        assert_eq!(binds, ["E", "es", "S", "e", "es", "s"]);
        let same = Bodies::same(vec![("en", "E".into())]);
        assert_eq!(same.sql(5), ("$5".to_string(), 5));
        assert_eq!(same.in_bind_order().collect::<Vec<_>>(), ["E"]);
    }

    #[test]
    fn one_text_alone_needs_no_case() {
        let bodies = Bodies {
            texts: vec![("en", "E".into())],
            unvetted: Some(vec![("en", "e".into())]),
            calls: None,
        };
        assert_eq!(
            bodies.sql(5),
            (
                "CASE WHEN v.standing = 'unvetted' THEN ($6) ELSE ($5) END".to_string(),
                6
            )
        );
        let binds: Vec<&str> = bodies.in_bind_order().collect();
        assert_eq!(binds, ["E", "e"]);
    }
}
