//! The layering the README's Architecture section promises, checked on the source: no module
//! imports one above it, so that no import cycle in `src` spans more than two files, and the
//! domain imports nothing from the layers around it. Read from `crate::` paths in each file
//! (its unit tests aside).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Every module of `src` (`dispatch::place`, `app` ...) and the modules it names.
fn imports() -> BTreeMap<String, BTreeSet<String>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut sources = BTreeMap::new();
    let mut stack = vec![root.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("src is readable") {
            let path = entry.expect("an entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let rel = path.strip_prefix(&root).expect("under src").with_extension("");
                let name = rel.to_string_lossy().replace('/', "::");
                let name = name.trim_end_matches("::mod").to_string();
                // Unit tests kept in files of their own (`message_tests.rs`) may reach anywhere.
                if name.ends_with("tests") {
                    continue;
                }
                let text = std::fs::read_to_string(&path).expect("readable");
                // A module's own unit tests may reach anywhere.
                let text = match text.find("#[cfg(test)]\nmod tests") {
                    Some(at) => text[..at].to_string(),
                    None => text,
                };
                sources.insert(name, text);
            }
        }
    }
    let modules: BTreeSet<String> = sources.keys().cloned().collect();
    let resolve = |path: &str| -> Option<String> {
        let mut parts: Vec<&str> = path.split("::").collect();
        while !parts.is_empty() {
            let candidate = parts.join("::");
            if modules.contains(&candidate) {
                return Some(candidate);
            }
            parts.pop();
        }
        None
    };
    let mut graph = BTreeMap::new();
    for (name, text) in &sources {
        let mut named = BTreeSet::new();
        for (at, _) in text.match_indices("crate::") {
            let path: String = text[at + 7..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == ':')
                .collect();
            if let Some(target) = resolve(path.trim_end_matches(':')) {
                if &target != name && !matches!(target.as_str(), "lib" | "main") {
                    named.insert(target);
                }
            }
        }
        graph.insert(name.clone(), named);
    }
    graph
}

/// The strongly connected groups of the graph (Tarjan), larger than one module.
fn cycles(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    struct Walk<'a> {
        graph: &'a BTreeMap<String, BTreeSet<String>>,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        found: Vec<Vec<String>>,
    }
    fn visit<'a>(w: &mut Walk<'a>, v: &'a str) {
        let n = w.index.len();
        w.index.insert(v, n);
        w.low.insert(v, n);
        w.stack.push(v);
        for t in w.graph.get(v).into_iter().flatten() {
            let t = t.as_str();
            if !w.index.contains_key(t) {
                visit(w, t);
                let low = w.low[v].min(w.low[t]);
                w.low.insert(v, low);
            } else if w.stack.contains(&t) {
                let low = w.low[v].min(w.index[t]);
                w.low.insert(v, low);
            }
        }
        if w.low[v] == w.index[v] {
            let mut group = Vec::new();
            while let Some(t) = w.stack.pop() {
                group.push(t.to_string());
                if t == v {
                    break;
                }
            }
            if group.len() > 1 {
                group.sort();
                w.found.push(group);
            }
        }
    }
    let mut w = Walk {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        found: Vec::new(),
    };
    for v in graph.keys() {
        if !w.index.contains_key(v.as_str()) {
            visit(&mut w, v);
        }
    }
    w.found
}

#[test]
fn no_import_cycle_spans_more_than_two_files() {
    let graph = imports();
    assert!(graph.len() > 50, "the source was read: {} modules", graph.len());
    let big: Vec<Vec<String>> = cycles(&graph).into_iter().filter(|c| c.len() > 2).collect();
    assert!(big.is_empty(), "import cycles of more than two files: {big:#?}");
}

#[test]
fn the_lower_layers_import_nothing_above_them() {
    let graph = imports();
    // Layer by layer: what each may not name.
    let rules: &[(&str, &[&str])] = &[
        (
            "domain",
            &[
                "store", "state", "app", "web", "intake", "dispatch", "outbox", "channels", "oncall",
            ],
        ),
        (
            "geo",
            &[
                "store", "state", "app", "web", "intake", "dispatch", "outbox", "oncall",
            ],
        ),
        (
            "store",
            &["state", "app", "web", "intake", "dispatch", "outbox", "oncall"],
        ),
        // Metrics are recorded from every layer: they import none of them.
        (
            "telemetry",
            &[
                "store", "state", "app", "web", "intake", "dispatch", "outbox", "channels", "oncall",
            ],
        ),
        ("state", &["app", "web", "intake", "dispatch", "outbox", "oncall"]),
        ("dispatch", &["app", "web", "intake", "oncall"]),
        ("oncall", &["app", "web", "intake", "outbox"]),
        ("intake", &["app", "web"]),
        ("outbox", &["app", "web", "intake", "dispatch"]),
    ];
    let mut broken = Vec::new();
    for (module, targets) in &graph {
        for (layer, banned) in rules {
            if module != layer && !module.starts_with(&format!("{layer}::")) {
                continue;
            }
            for t in targets {
                let top = t.split("::").next().unwrap_or(t);
                if banned.contains(&top) {
                    broken.push(format!("{module} imports {t}"));
                }
            }
        }
    }
    assert!(broken.is_empty(), "imports against the layering: {broken:#?}");
}

#[test]
fn only_the_store_speaks_sql() {
    // The benches create and inspect their own databases; everything else asks the store.
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut speaking = Vec::new();
    let mut stack = vec![root.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("src is readable") {
            let path = entry.expect("an entry").path();
            let rel = path
                .strip_prefix(&root)
                .expect("under src")
                .to_string_lossy()
                .to_string();
            if rel.starts_with("store") || rel.starts_with("bench") || rel.ends_with("tests.rs") {
                continue;
            }
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            if text.contains("sqlx::query") || text.contains(".begin()") || text.contains("store::Conn") {
                speaking.push(rel);
            }
        }
    }
    assert!(
        speaking.is_empty(),
        "SQL or raw transactions outside the store: {speaking:?}"
    );
}
