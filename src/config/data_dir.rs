//! `--data-dir DIR` (or `TOCSIN_DATA_DIR`): where a relative SQLite file and key file live, so
//! that a command run from another folder finds the same database as the server.

use std::path::Path;

use super::Settings;

impl Settings {
    /// Puts a relative SQLite file (`database.url`) and a relative `crypto.key_file` inside
    /// `dir`; absolute paths and PostgreSQL URLs are left as they are.
    pub fn in_data_dir(&mut self, dir: &Path) {
        let url = &self.database.url;
        let rest = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"));
        if let Some(rest) = rest {
            let (file, query) = match rest.split_once('?') {
                Some((file, query)) => (file, format!("?{query}")),
                None => (rest, String::new()),
            };
            let memory = file.is_empty() || file == ":memory:" || query.contains("mode=memory");
            if !memory && Path::new(file).is_relative() {
                self.database.url = format!("sqlite://{}{query}", dir.join(file).display());
            }
        }
        if Path::new(&self.crypto.key_file).is_relative() {
            self.crypto.key_file = dir.join(&self.crypto.key_file).display().to_string();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_files_move_into_the_data_dir() {
        let mut s = Settings::defaults();
        s.in_data_dir(Path::new("/var/lib/tocsin"));
        assert_eq!(s.database.url, "sqlite:///var/lib/tocsin/tocsin.db");
        assert_eq!(s.crypto.key_file, "/var/lib/tocsin/tocsin.key");

        let mut s = Settings::defaults();
        s.database.url = "sqlite:data/t.db?mode=rwc".into();
        s.crypto.key_file = "/secrets/tocsin.key".into();
        s.in_data_dir(Path::new("/srv"));
        assert_eq!(s.database.url, "sqlite:///srv/data/t.db?mode=rwc");
        assert_eq!(s.crypto.key_file, "/secrets/tocsin.key", "absolute stays");

        for url in [
            "postgres://postgres@127.0.0.1/tocsin",
            "sqlite::memory:",
            "sqlite:///abs/t.db",
        ] {
            let mut s = Settings::defaults();
            s.database.url = url.into();
            s.in_data_dir(Path::new("/srv"));
            assert_eq!(s.database.url, url);
        }
    }
}
