//! `tocsin backup FILE` through the binary: a copy of the SQLite database taken while the
//! server runs, private to its owner, that opens with the same key and holds what was there;
//! it never overwrites; on PostgreSQL it prints the pg_dump to run and fails.

use crate::binary::{start, tocsin};
use crate::binary_run::{migrated, run_cli};

const ANN: &str = "+12135550147";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_taken_while_serving_opens_with_the_key_and_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    migrated(dir.path(), &[]);
    let added = run_cli(
        dir.path(),
        &[],
        &[
            "volunteer",
            "add",
            "--name",
            "Ann",
            "--phone",
            ANN,
            "--lat",
            "34.06",
            "--lon",
            "-118.3",
            "--radius-m",
            "900",
        ],
        None,
    );
    assert!(added.ok, "{}", added.err);
    let server = start(dir.path(), None).await;

    let copy = dir.path().join("backups/tocsin-copy.db");
    std::fs::create_dir_all(copy.parent().unwrap()).unwrap();
    let copy_arg = copy.display().to_string();
    let ran = run_cli(dir.path(), &[], &["backup", &copy_arg], None);
    assert!(ran.ok, "{}", ran.err);
    assert!(ran.out.contains("the key is not in it"), "{}", ran.out);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&copy).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "private to its owner");
    }
    // The number is sealed in the copy as in the database.
    let bytes = std::fs::read(&copy).unwrap();
    assert!(
        !bytes.windows(ANN.len()).any(|w| w == ANN.as_bytes()),
        "no number in clear"
    );

    // The copy is a whole database: opened with the same key, Ann is there.
    let url = format!("sqlite://{copy_arg}");
    let listed = run_cli(
        dir.path(),
        &[("TOCSIN_DATABASE__URL", &url)],
        &["volunteer", "list"],
        None,
    );
    assert!(
        listed.ok && listed.out.contains("Ann"),
        "{} {}",
        listed.out,
        listed.err
    );

    // Never over an existing file.
    let again = run_cli(dir.path(), &[], &["backup", &copy_arg], None);
    assert!(!again.ok && again.err.contains("exists already"), "{}", again.err);
    drop(server);

    // PostgreSQL: the pg_dump to run, without the password, and a failure.
    let pg = tocsin(dir.path(), None, 1)
        .env(
            "TOCSIN_DATABASE__URL",
            "postgres://tocsin:s3cret@db.internal/tocsin",
        )
        .args(["backup", "/tmp/never-written.dump"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&pg.stderr);
    assert!(!pg.status.success());
    assert!(
        err.contains("pg_dump --format=custom --file /tmp/never-written.dump"),
        "{err}"
    );
    assert!(!err.contains("s3cret"), "{err}");
    assert!(!std::path::Path::new("/tmp/never-written.dump").exists());
}
