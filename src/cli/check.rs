//! `tocsin check`: the configuration, then the world outside it (database, key, Twilio,
//! Signal), as a checklist with one line per item: `ok`, `warn`, `FAIL` or `skip`. Exits 1
//! when any item failed. Reads only: it creates no database and no key, and changes nothing
//! at Twilio or the bridge. It never prints a token, a key, or a volunteer's number (the
//! network's own numbers, the hotline and the Signal account, are public and shown).

use std::path::Path;

use crate::config::Settings;
use crate::store::existing::{self, Found, Survey};

mod outside;

/// How an item fared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    Ok,
    Warn,
    Fail,
    Skip,
}

/// One line of the checklist.
#[derive(Debug, Clone)]
pub struct Line {
    pub mark: Mark,
    pub item: String,
    pub detail: String,
}

impl Line {
    pub fn new(mark: Mark, item: &str, detail: impl Into<String>) -> Line {
        Line {
            mark,
            item: item.to_string(),
            detail: detail.into(),
        }
    }
}

impl std::fmt::Display for Line {
    /// `ok    item (detail)` for what passed or was skipped, `FAIL  item: detail` otherwise.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mark = match self.mark {
            Mark::Ok => "ok",
            Mark::Warn => "warn",
            Mark::Fail => "FAIL",
            Mark::Skip => "skip",
        };
        write!(f, "{mark:<6}{}", self.item)?;
        match (self.mark, self.detail.is_empty()) {
            (_, true) => Ok(()),
            (Mark::Ok | Mark::Skip, false) => write!(f, " ({})", self.detail),
            (Mark::Warn | Mark::Fail, false) => write!(f, ": {}", self.detail),
        }
    }
}

/// Runs every check, printing each line as it is known; returns the exit code (0 or 1).
pub async fn run(config: Option<&Path>, data_dir: Option<&Path>) -> i32 {
    let mut failed = false;
    let mut say = |line: Line| {
        failed |= line.mark == Mark::Fail;
        println!("{line}");
    };
    let mut settings = match Settings::load(config) {
        Ok(settings) => settings,
        Err(e) => {
            say(Line::new(Mark::Fail, "configuration", format!("{e:#}")));
            return 1;
        }
    };
    if let Some(dir) = data_dir {
        settings.in_data_dir(dir);
    }
    let source = match config {
        Some(file) => format!(
            "{} over the built-in defaults, then TOCSIN_* variables",
            file.display()
        ),
        None => "built-in defaults and TOCSIN_* variables".to_string(),
    };
    say(Line::new(Mark::Ok, "configuration", source));
    let (line, survey) = database(&settings).await;
    say(line);
    for line in key(&settings, survey.as_ref()) {
        say(line);
    }
    for line in outside::twilio(&settings).await {
        say(line);
    }
    say(outside::signal(&settings).await);
    i32::from(failed)
}

/// Reachable, tocsin's, and migrated as far as this binary knows; never created.
async fn database(settings: &Settings) -> (Line, Option<Survey>) {
    let url = &settings.database.url;
    let shown = existing::shown(url);
    let fail = |what: String| (Line::new(Mark::Fail, "database", what), None);
    match existing::look(url).await {
        Found::NoFile(path) => {
            return fail(format!(
            "no database file at {} (none was created): run it where your database is, pass --data-dir or \
                 set database.url; a new one is made by `tocsin migrate`",
            absolute(&path)
        ))
        }
        Found::NotTocsin(why) => return fail(format!("{shown} is not a tocsin database ({why})")),
        Found::Migrated => {}
    }
    let survey = match existing::survey(url).await {
        Ok(survey) => survey,
        Err(why) => return fail(format!("{shown}: {why}")),
    };
    let line = if survey.unknown > 0 {
        Line::new(
            Mark::Fail,
            "database",
            format!(
                "{shown} has {} migrations this tocsin does not know: it was made by a newer version",
                survey.unknown
            ),
        )
    } else if survey.pending > 0 {
        Line::new(
            Mark::Warn,
            "database",
            format!(
                "{shown} lacks {} migrations of this version; `tocsin migrate` (or `tocsin serve`) applies them",
                survey.pending
            ),
        )
    } else {
        Line::new(
            Mark::Ok,
            "database",
            format!("{shown}, {} migrations applied", survey.applied),
        )
    };
    (line, Some(survey))
}

/// The data key: there, private, readable, the one the database was encrypted with, and
/// (a warning) not on the SQLite file's volume.
fn key(settings: &Settings, survey: Option<&Survey>) -> Vec<Line> {
    let crypto = &settings.crypto;
    let path = Path::new(&crypto.key_file);
    let mut lines = Vec::new();
    let mut facts = Vec::new();
    if crypto.key.is_some() {
        facts.push("crypto.key set".to_string());
    } else {
        if !path.exists() {
            return vec![Line::new(
                Mark::Fail,
                "key",
                format!("no key file at {}", absolute(path)),
            )];
        }
        facts.push(format!("file {}", absolute(path)));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(path)
                .map(|m| m.permissions().mode() & 0o777)
                .unwrap_or(0);
            if mode & 0o077 != 0 {
                return vec![Line::new(
                    Mark::Fail,
                    "key",
                    format!(
                        "{} has mode {mode:04o}: others than its owner may read it; chmod 600 it",
                        absolute(path)
                    ),
                )];
            }
            facts.push(format!("mode {mode:04o}"));
        }
    }
    let vault = match crate::crypto::Vault::load(crypto, false) {
        Ok(vault) => vault,
        Err(e) => return vec![Line::new(Mark::Fail, "key", format!("{e:#}"))],
    };
    match survey.and_then(|s| s.key_check.as_ref()) {
        Some(check) if *check != vault.check_value() => {
            return vec![Line::new(
                Mark::Fail,
                "key",
                "not the key this database was encrypted with: tocsin would refuse to start",
            )]
        }
        Some(_) => facts.push("matches the database".into()),
        None => {}
    }
    lines.push(Line::new(Mark::Ok, "key", facts.join(", ")));
    if crypto.key.is_none() {
        lines.push(placement(settings, path));
    }
    lines
}

/// Whether the key file shares the SQLite file's volume (every copy of the disk takes both).
fn placement(settings: &Settings, key: &Path) -> Line {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let dev = |p: &Path| std::fs::metadata(p).ok().map(|m| m.dev());
        if let Some(db) = existing::sqlite_path(&settings.database.url) {
            if dev(&db).is_some() && dev(&db) == dev(key) {
                return Line::new(
                    Mark::Warn,
                    "key file location",
                    "on the same volume as the database: whoever copies the disk or its backups reads everything; \
                     move it (crypto.key_file) or pass crypto.key from a secret store",
                );
            }
            return Line::new(Mark::Ok, "key file location", "not on the database's volume");
        }
    }
    let _ = (settings, key);
    Line::new(
        Mark::Skip,
        "key file location",
        "the database is not a local file",
    )
}

/// A path as the operator can find it.
fn absolute(path: &Path) -> String {
    std::path::absolute(path)
        .unwrap_or_else(|_| path.to_path_buf())
        .display()
        .to_string()
}
