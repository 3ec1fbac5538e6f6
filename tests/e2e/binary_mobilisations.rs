//! `tocsin mobilisations import|list|cancel` through the binary, on both backends: a hearing list
//! with a wrong row imports nothing and names the row; fixed, it imports once however often it is
//! imported; the server's calendar feed lists it for a calendar app (`?token=`).

use crate::binary::start_with;
use crate::binary_run::{migrated, on_backend, run_cli};
use crate::helpers::{Backend, API_TOKEN};

/// Dates a week ahead, so that they are always in the future.
fn list(kind_of_second: &str) -> String {
    let day = (jiff::Timestamp::now() + jiff::SignedDuration::from_hours(24 * 7)).strftime("%Y-%m-%d");
    format!(
        "date,time,place,kind,text,case\n\
         {day},08:30,\"34.0617, -118.3005\",hearing,\"Dept 94, room 2. Wear a shirt.\",24STUD0113\n\
         {day},09:00,Koreatown,{kind_of_second},Lockout: bring water,\n"
    )
}

async fn a_hearing_list_imports_once(backend: Backend) {
    on_backend(backend, |pg| async move {
        let dir = tempfile::tempdir().unwrap();
        let dir = dir.path();
        let url = pg.unwrap_or_else(|| format!("sqlite://{}/tocsin.db", dir.display()));
        let env = [("TOCSIN_DATABASE__URL", url.as_str())];
        migrated(dir, &env);
        let zones = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/zones-los-angeles.geojson");
        let imported = run_cli(dir, &env, &["zones", "import", zones], None);
        assert!(imported.ok, "{}", imported.err);

        let file = dir.join("hearings.csv");
        std::fs::write(&file, list("picnic")).unwrap();
        let path = file.display().to_string();
        let import = ["mobilisations", "import", path.as_str()];
        let wrong = run_cli(dir, &env, &import, None);
        assert!(!wrong.ok, "{}", wrong.out);
        assert!(
            wrong.err.contains("nothing imported") && wrong.err.contains("line 3: kind"),
            "{}",
            wrong.err
        );
        let listed = run_cli(dir, &env, &["mobilisations", "list"], None);
        assert!(
            listed.ok && listed.out.trim().is_empty(),
            "nothing half imported: {}",
            listed.out
        );

        std::fs::write(&file, list("eviction")).unwrap();
        let ran = run_cli(dir, &env, &import, None);
        assert!(ran.ok, "{}", ran.err);
        assert!(
            ran.out
                .contains("imported 2 mobilisations (0 were there already)"),
            "{}",
            ran.out
        );
        let again = run_cli(dir, &env, &import, None);
        assert!(
            again
                .out
                .contains("imported 0 mobilisations (2 were there already)"),
            "{}",
            again.out
        );
        let listed = run_cli(dir, &env, &["mobilisations", "list"], None);
        let lines: Vec<&str> = listed.out.lines().collect();
        assert_eq!(lines.len(), 2, "{}", listed.out);
        assert!(
            lines[0].contains("hearing") && lines[0].contains("T08:30:00"),
            "{}",
            listed.out
        );
        assert!(
            lines[1].contains("eviction") && lines[1].contains("Koreatown"),
            "{}",
            listed.out
        );
        let id = lines[1].split('\t').next().unwrap().to_string();
        let cancelled = run_cli(dir, &env, &["mobilisations", "cancel", &id], None);
        assert!(cancelled.ok, "{}", cancelled.err);

        let server = start_with(dir, None, &env).await;
        let feed = reqwest::get(format!(
            "{}/api/v1/mobilisations.ics?token={API_TOKEN}",
            server.base
        ))
        .await
        .unwrap();
        assert_eq!(feed.status(), 200);
        let text = feed.text().await.unwrap();
        assert_eq!(text.matches("BEGIN:VEVENT").count(), 2, "{text}");
        assert!(
            text.contains("Dept 94\\, room 2") && text.contains("STATUS:CANCELLED"),
            "{text}"
        );
        assert!(!text.contains("24STUD") && !text.contains("34.06"), "{text}");
        let log = std::fs::read_to_string(&server.log).unwrap();
        assert!(!log.contains(API_TOKEN), "the token in the URL is not logged");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_sqlite() {
    a_hearing_list_imports_once(Backend::Sqlite).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_postgres() {
    a_hearing_list_imports_once(Backend::Postgres).await
}
