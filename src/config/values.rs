//! How settings are read from text: lists written as comma-separated text in the environment,
//! and the environment layer itself.

use serde::Deserialize;

/// A list, or one text with comma-separated items (environment variables).
pub(super) fn one_or_many<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        One(String),
        Many(Vec<String>),
    }
    let items = match Option::<OneOrMany>::deserialize(d)? {
        None => Vec::new(),
        Some(OneOrMany::One(text)) => text.split(',').map(str::to_string).collect(),
        Some(OneOrMany::Many(list)) => list,
    };
    Ok(items
        .into_iter()
        .map(|i| i.trim().to_string())
        .filter(|i| !i.is_empty())
        .collect())
}

/// Numbers as a list, or one text of comma-separated numbers (environment variables).
pub(super) fn numbers<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<f64>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Item {
        Number(f64),
        Text(String),
    }
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        One(Item),
        Many(Vec<Item>),
    }
    let items = match Option::<OneOrMany>::deserialize(d)? {
        None => Vec::new(),
        Some(OneOrMany::One(item)) => vec![item],
        Some(OneOrMany::Many(list)) => list,
    };
    let mut out = Vec::new();
    for item in items {
        match item {
            Item::Number(n) => out.push(n),
            Item::Text(text) => {
                for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
                    out.push(
                        part.parse()
                            .map_err(|_| serde::de::Error::custom(format!("{part:?} is not a number")))?,
                    );
                }
            }
        }
    }
    Ok(out)
}

/// `TOCSIN_<SECTION>__<KEY>=value` as a nested map of strings. Figment's own `Env` provider
/// parses values, which turns a number like `+12135550100` into an integer; this keeps text.
pub(super) fn env_layer(vars: impl Iterator<Item = (String, String)>) -> serde_json::Value {
    let mut root = serde_json::Map::new();
    for (name, value) in vars {
        let Some(rest) = name.strip_prefix("TOCSIN_") else {
            continue;
        };
        let path: Vec<String> = rest.split("__").map(str::to_ascii_lowercase).collect();
        // Single-word names (TOCSIN_LOG, TOCSIN_CONFIG) are not settings.
        if path.len() < 2 || path.iter().any(String::is_empty) {
            continue;
        }
        let mut node = &mut root;
        for part in &path[..path.len() - 1] {
            let child = node
                .entry(part.clone())
                .or_insert_with(|| serde_json::Value::Object(serde_json::Map::new()));
            if !child.is_object() {
                *child = serde_json::Value::Object(serde_json::Map::new());
            }
            node = child.as_object_mut().expect("just made an object");
        }
        node.insert(path[path.len() - 1].clone(), serde_json::Value::String(value));
    }
    serde_json::Value::Object(root)
}

/// Whole numbers (seconds) as a list, or one text of comma-separated numbers.
pub(super) fn whole_numbers<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<i64>, D::Error> {
    numbers(d)?
        .into_iter()
        .map(|n| {
            if n.fract() == 0.0 && n.abs() < 1e15 {
                Ok(n as i64)
            } else {
                Err(serde::de::Error::custom(format!("{n} is not a whole number")))
            }
        })
        .collect()
}
