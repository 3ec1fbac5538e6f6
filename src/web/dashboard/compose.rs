//! The update composer on the incident page (issue 15): the English text (required, and what
//! anyone without a version in their language gets), then a version per language the audience
//! reads (the others folded away in a `<details>`). Under each field, the size of the whole
//! message its readers get, prefix and all, after folding to GSM-7: "1 SMS segment · GSM-7" or
//! "2 segments · UCS-2 (costs more)", the worst over the languages that read that version.
//! `compose.js` asks `POST /incidents/{id}/update/preview` as the dispatcher types; without
//! JavaScript the confirmation page says the same per language, with the exact texts.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Map, Value};

use super::session::SignedForm;
use super::view;
use super::Dash;
use crate::dispatch::actions::ActionError;
use crate::dispatch::headcount;
use crate::dispatch::message::UPDATE_MAX_CHARS;
use crate::dispatch::versions::{self, Measured, Versions};
use crate::domain::sms::{Encoding, SmsLength};
use crate::domain::Language;
use crate::state::Core;
use crate::store::audience::Headcount;
use crate::store::StoreError;

/// The form field of a language's version: `text` (English), `text_es`.
pub fn input_name(language: Language) -> String {
    if language == Language::EN {
        "text".into()
    } else {
        format!("text_{language}")
    }
}

fn others() -> Vec<Language> {
    Language::all()
        .into_iter()
        .filter(|l| *l != Language::EN)
        .collect()
}

/// The versions typed in a posted form, a correction labelled as one.
fn typed(form: &SignedForm) -> (String, Vec<(Language, String)>) {
    let others = others()
        .into_iter()
        .map(|l| (l, form.get(&input_name(l)).to_string()))
        .collect();
    (form.get("text").to_string(), others)
}

fn borrowed(others: &[(Language, String)]) -> Vec<(Language, &str)> {
    others.iter().map(|(l, t)| (*l, t.as_str())).collect()
}

/// The update a posted form asks for; Err names the field (`text`, `texts.es`) as the API does.
pub fn versions_of(form: &SignedForm) -> Result<Versions, ActionError> {
    let (english, others) = typed(form);
    let versions = Versions::new(&english, &borrowed(&others))
        .map_err(|(field, why)| ActionError::Invalid(field, why))?;
    Ok(if form.get("action") == "correction" {
        versions.as_correction()
    } else {
        versions
    })
}

/// The versions as hidden fields, for the confirmation page to post them again.
pub fn hidden_fields(form: &SignedForm) -> Vec<(String, String)> {
    let (english, others) = typed(form);
    std::iter::once(("text".to_string(), english))
        .chain(
            others
                .into_iter()
                .filter(|(_, t)| !t.is_empty())
                .map(|(l, t)| (input_name(l), t)),
        )
        .collect()
}

/// "English 120, Español 20, 한국어 3" (or "nobody yet").
pub fn audience(h: &Headcount) -> String {
    if h.languages.is_empty() {
        return "nobody yet".into();
    }
    h.languages
        .iter()
        .map(|(l, n)| format!("{} {n}", l.name()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// One language's message on the confirmation: who, how big, and exactly what they get.
pub struct LanguageLine {
    pub code: &'static str,
    /// "Español · 20 people · 1 SMS segment · GSM-7 · their own version"
    pub head: String,
    pub costly: bool,
    pub body: String,
}

/// The message of every language someone reads (English alone when nobody is counted).
pub fn lines(measured: &[Measured], h: &Headcount) -> Vec<LanguageLine> {
    measured
        .iter()
        .filter(|m| h.reading(m.language) > 0 || (h.languages.is_empty() && m.language == Language::EN))
        .map(|m| {
            let whose = if m.language == Language::EN {
                ""
            } else if m.own {
                " · their own version"
            } else {
                " · the English text"
            };
            LanguageLine {
                code: m.language.as_str(),
                head: format!(
                    "{} · {} · {}{whose}",
                    m.language.name(),
                    super::confirm::people(h.reading(m.language)),
                    versions::describe(m.length)
                ),
                costly: m.length.encoding == Encoding::Ucs2,
                body: m.body.clone(),
            }
        })
        .collect()
}

/// The confirmation's lines for the update a form asks for (none if it is refused).
pub async fn lines_of(
    core: &Core,
    id: i64,
    form: &SignedForm,
    h: &Headcount,
) -> Result<Vec<LanguageLine>, StoreError> {
    let (Ok(versions), Some(row)) = (versions_of(form), core.store.incident(id).await?) else {
        return Ok(Vec::new());
    };
    let head = crate::dispatch::place::head_of(&row);
    Ok(lines(&versions::measure_all(&versions, &head), h))
}

/// Each field's size line: the worst over the languages that read its version (a language's
/// field stands for its own readers; English's for everyone without a version of their own).
fn field_lines(measured: &[Measured], h: &Headcount) -> Map<String, Value> {
    let mut out = Map::new();
    for m in measured {
        let mut worst: (SmsLength, Language) = (m.length, m.language);
        if m.language == Language::EN {
            for other in measured.iter().filter(|o| !o.own && h.reading(o.language) > 0) {
                if versions::worst(worst.0, other.length) != worst.0 {
                    worst = (other.length, other.language);
                }
            }
        }
        let mut line = versions::describe(worst.0);
        if worst.1 != m.language {
            line.push_str(&format!(" (as {} readers get it)", worst.1.name()));
        } else if !m.own {
            line.push_str(" with the English text");
        }
        out.insert(
            m.language.as_str().into(),
            json!({"line": line, "costly": worst.0.encoding == Encoding::Ucs2, "segments": worst.0.segments}),
        );
    }
    out
}

/// One field of the composer.
pub struct Field {
    pub code: &'static str,
    pub name: String,
    pub input: String,
    pub dom_id: String,
    pub readers: i64,
    pub english: bool,
}

#[derive(Template)]
#[template(path = "dashboard/composer.html")]
pub struct Composer {
    id: i64,
    csrf: String,
    action: &'static str,
    label: &'static str,
    button: &'static str,
    max: usize,
    audience: String,
    /// English, then the languages someone alerted reads.
    shown: Vec<Field>,
    /// The languages nobody alerted reads.
    folded: Vec<Field>,
}

/// The update form and the correction form of incident `id`.
pub struct Forms {
    pub update: Composer,
    pub correction: Composer,
}

fn composer(id: i64, csrf: &str, action: &'static str, h: &Headcount) -> Composer {
    let (label, button) = match action {
        "correction" => (
            "Correction (labelled “Correction:” in each language; the update stays on record)",
            "Send correction",
        ),
        _ => ("Update to everyone alerted", "Send update"),
    };
    let field = |l: Language| Field {
        code: l.as_str(),
        name: l.name(),
        input: input_name(l),
        dom_id: if l == Language::EN {
            format!("{action}-text")
        } else {
            format!("{action}-text-{l}")
        },
        readers: h.reading(l),
        english: l == Language::EN,
    };
    let (shown, folded): (Vec<Field>, Vec<Field>) = Language::all()
        .into_iter()
        .map(field)
        .partition(|f| f.english || f.readers > 0);
    Composer {
        id,
        csrf: csrf.to_string(),
        action,
        label,
        button,
        max: UPDATE_MAX_CHARS,
        audience: audience(h),
        shown,
        folded,
    }
}

pub async fn forms(core: &Core, id: i64, csrf: &str) -> Result<Forms, StoreError> {
    let h = core.store.reach_of_first_alert(id).await?;
    Ok(Forms {
        update: composer(id, csrf, "update", &h),
        correction: composer(id, csrf, "correction", &h),
    })
}

/// `POST /incidents/{id}/update/preview` (session and CSRF token): every field's size line, and
/// the confirmation's words and per-language lines, for what is typed so far. Nothing is sent.
pub async fn preview(State(dash): State<Dash>, Path(id): Path<String>, form: SignedForm) -> Response {
    let Some(id) = view::id(&id) else {
        return view::not_found("incident");
    };
    let action = if form.get("action") == "correction" {
        "correction"
    } else {
        "update"
    };
    let core = &dash.core;
    let incident = match core.store.incident(id).await {
        Ok(Some(row)) => row,
        Ok(None) => return view::not_found("incident"),
        Err(e) => return view::internal(e),
    };
    let sends = match headcount::of_action(core, id, action).await {
        Ok(Some(sends)) => sends,
        Ok(None) => return view::not_found("incident"),
        Err(e) => return view::internal(e),
    };
    let h = sends.headcount();
    let (english, others) = typed(&form);
    let error = match versions_of(&form) {
        Err(ActionError::Invalid(field, why)) => json!({"field": field, "message": why}),
        _ => Value::Null,
    };
    let mut draft = Versions::draft(&english, &borrowed(&others));
    if action == "correction" {
        draft = draft.as_correction();
    }
    let head = crate::dispatch::place::head_of(&incident);
    let measured = versions::measure_all(&draft, &head);
    let languages: Vec<Value> = lines(&measured, &h)
        .into_iter()
        .map(|l| json!({"code": l.code, "head": l.head, "costly": l.costly, "body": l.body}))
        .collect();
    let (class, button) = super::confirm::style(action, &sends);
    (
        StatusCode::OK,
        Json(json!({
            "fields": field_lines(&measured, &h),
            "languages": languages,
            "audience": audience(&h),
            "error": error,
            "title": super::confirm::title(action, &sends),
            "question": super::confirm::question(&sends),
            "button": button,
            "class": class,
            "people": h.people,
        })),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dispatch::message::{Head, Label};

    const HEAD: Head = Head {
        id: 7,
        drill: false,
        label: Label::Confirmed,
    };

    fn count() -> Headcount {
        Headcount {
            people: 3,
            sms: 3,
            signal: 0,
            languages: vec![(Language::EN, 1), (Language::ES, 1), (Language::KO, 1)],
        }
    }

    #[test]
    fn englishs_line_is_the_dearest_of_those_who_read_the_english_text() {
        let v = Versions::new("Regroup at the church", &[]).expect("valid");
        let fields = field_lines(&versions::measure_all(&v, &HEAD), &count());
        assert_eq!(
            fields["en"]["line"],
            "1 SMS segment · UCS-2 (costs more) (as 한국어 readers get it)"
        );
        assert_eq!(
            fields["es"]["line"],
            "1 SMS segment · GSM-7 with the English text"
        );
        // With a Korean version, only English and Spanish readers read English; nobody reads
        // Chinese, so its prefix does not count.
        let v =
            Versions::new("Regroup at the church", &[(Language::KO, "교회에서 모이세요")]).expect("valid");
        let measured = versions::measure_all(&v, &HEAD);
        let fields = field_lines(&measured, &count());
        assert_eq!(fields["en"]["line"], "1 SMS segment · GSM-7");
        assert_eq!(fields["en"]["costly"], false);
        assert_eq!(fields["ko"]["line"], "1 SMS segment · UCS-2 (costs more)");
        let shown: Vec<&str> = lines(&measured, &count()).iter().map(|l| l.code).collect();
        assert_eq!(shown, ["en", "es", "ko"], "no line for a language nobody reads");
    }
}
