//! What the tests through the real binary share besides starting it (`binary`): a CLI command
//! fed its input, and a scenario run on a fresh PostgreSQL database dropped afterwards.

use crate::binary::tocsin;

/// What a `tocsin` command printed: whether it succeeded, its stdout and its stderr.
pub(crate) struct Ran {
    pub(crate) ok: bool,
    pub(crate) out: String,
    pub(crate) err: String,
}

/// `tocsin migrate` with these settings, as an operator starts: every other command refuses
/// a database that does not exist yet.
pub(crate) fn migrated(dir: &std::path::Path, env: &[(&str, &str)]) {
    let ran = run_cli(dir, env, &["migrate"], None);
    assert!(ran.ok, "migrate: {}", ran.err);
}

/// `tocsin ARGS` with these extra settings, `stdin` (if any) as its first line of input.
pub(crate) fn run_cli(
    dir: &std::path::Path,
    env: &[(&str, &str)],
    args: &[&str],
    stdin: Option<&str>,
) -> Ran {
    use std::io::Write;
    use std::process::Stdio;
    let mut child = tocsin(dir, None, 1)
        .envs(env.iter().copied())
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the tocsin binary starts");
    let mut input = child.stdin.take().expect("stdin");
    if let Some(line) = stdin {
        input
            .write_all(format!("{line}\n").as_bytes())
            .expect("stdin written");
    }
    drop(input);
    let out = child.wait_with_output().expect("tocsin ran");
    let text = |b: &[u8]| String::from_utf8_lossy(b).to_string();
    Ran {
        ok: out.status.success(),
        out: text(&out.stdout),
        err: text(&out.stderr),
    }
}

/// Runs `scenario` with the URL of a fresh PostgreSQL database (None: SQLite, in the test's
/// own directory), and drops that database afterwards whatever happened. Fails, never skips,
/// when PostgreSQL is unreachable.
pub(crate) async fn on_backend<F, Fut>(backend: crate::helpers::Backend, scenario: F)
where
    F: FnOnce(Option<String>) -> Fut,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    use sqlx::Connection;
    let admin = crate::helpers::pg_admin_url();
    let pg = match backend {
        crate::helpers::Backend::Sqlite => None,
        crate::helpers::Backend::Postgres => {
            let name = format!("tocsin_test_{:016x}", rand::random::<u64>());
            let mut conn = sqlx::PgConnection::connect(&admin)
                .await
                .unwrap_or_else(|e| panic!("PostgreSQL must be reachable at {admin} for this test: {e}"));
            sqlx::query(&format!("CREATE DATABASE {name}"))
                .execute(&mut conn)
                .await
                .expect("create database");
            let base = admin.rsplit_once('/').map_or(admin.as_str(), |(b, _)| b);
            let url = format!("{base}/{name}");
            Some((name, url))
        }
    };
    let outcome = tokio::spawn(scenario(pg.as_ref().map(|(_, url)| url.clone()))).await;
    if let Some((name, _)) = pg {
        let mut conn = sqlx::PgConnection::connect(&admin).await.expect("PostgreSQL");
        sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .execute(&mut conn)
            .await
            .expect("drop database");
    }
    if let Err(e) = outcome {
        std::panic::resume_unwind(e.into_panic());
    }
}
