//! `tocsin rotate-key` through the binary, on both backends: refused while tocsin serves; then
//! everything opens under the new key only: the volunteer is still known by their number, the
//! blocked sender is still blocked, the old key is refused with a word about the rotation.

use reqwest::Method;
use serde_json::json;

use crate::binary::start_with;
use crate::binary_net::{serve, Net};
use crate::binary_run::{migrated, on_backend, run_cli};
use crate::helpers::Backend;

const ANN: &str = "+13235550161";
const STRANGER: &str = "+13235550162";
const SOMEONE: &str = "+13235550163";
const NEW_KEY: &str = "keys/new.key";

async fn a_rotated_key_reads_everything_and_the_old_one_nothing(backend: Backend) {
    on_backend(backend, |pg| async move {
        let dir = tempfile::tempdir().unwrap();
        let dir = dir.path();
        let url = pg.unwrap_or_else(|| format!("sqlite://{}/tocsin.db", dir.display()));
        let env = [("TOCSIN_DATABASE__URL", url.as_str())];
        migrated(dir, &env);
        let add = [
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
        ];
        let added = run_cli(dir, &env, &add, None);
        assert!(added.ok, "{}", added.err);

        let (twilio, server) = serve(dir, &env).await;
        let net = Net::of(&twilio, &server);
        net.text(STRANGER, "ICE raid at 34.0617, -118.3005").await;
        let report = net.latest_report().await;
        let (status, body) = net
            .api(
                Method::POST,
                "/blocklist",
                Some(json!({"report_id": report["id"], "reason": "hoaxes"})),
            )
            .await;
        assert_eq!(status, 201, "{body}");
        let ann_before = net.text(ANN, "STATUS").await;
        let stranger_status = net.text(SOMEONE, "STATUS").await;
        assert_ne!(
            ann_before, stranger_status,
            "a volunteer's STATUS is answered as theirs"
        );

        // While tocsin serves: refused, and no key file made.
        let rotate = ["rotate-key", "--new-key-file", NEW_KEY];
        let refused = run_cli(dir, &env, &rotate, None);
        assert!(!refused.ok, "{}", refused.out);
        assert!(refused.err.contains("stop every instance"), "{}", refused.err);
        assert!(
            !dir.join(NEW_KEY).exists(),
            "no key is made for a refused rotation"
        );
        drop(server);

        let ran = run_cli(dir, &env, &rotate, None);
        assert!(ran.ok, "{}\n{}", ran.out, ran.err);
        assert!(
            ran.out.contains("made now") && ran.out.contains("lookups hashed again"),
            "{}",
            ran.out
        );
        assert!(
            ran.out.contains("crypto.key_file"),
            "says what to do next: {}",
            ran.out
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.join(NEW_KEY)).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600, "the new key is private");
        }

        // The old key reads nothing now, and says why.
        let old = run_cli(dir, &env, &["volunteer", "list"], None);
        assert!(!old.ok && old.err.contains("rotate-key"), "{}", old.err);
        // The same file again is the key in use: refused.
        let new_env = [
            ("TOCSIN_DATABASE__URL", url.as_str()),
            ("TOCSIN_CRYPTO__KEY_FILE", NEW_KEY),
        ];
        let again = run_cli(dir, &new_env, &rotate, None);
        assert!(
            !again.ok && again.err.contains("key in use already"),
            "{}",
            again.err
        );

        let listed = run_cli(dir, &new_env, &["volunteer", "list"], None);
        assert!(
            listed.ok && listed.out.contains("Ann"),
            "{}\n{}",
            listed.out,
            listed.err
        );
        let server = start_with(dir, Some(&twilio), &new_env).await;
        let net = Net::of(&twilio, &server);
        assert_eq!(
            net.text(ANN, "STATUS").await,
            ann_before,
            "Ann is known by her number"
        );
        let reply = net.text(STRANGER, "ICE raid again at 34.0617, -118.3005").await;
        assert_eq!(reply, "", "the blocked sender gets no answer");
        assert_eq!(net.latest_report().await["flagged"], "blocked");
        let audit = net.get("/audit").await;
        assert!(audit.to_string().contains("data_key_rotated"), "{audit}");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_sqlite() {
    a_rotated_key_reads_everything_and_the_old_one_nothing(Backend::Sqlite).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_postgres() {
    a_rotated_key_reads_everything_and_the_old_one_nothing(Backend::Postgres).await
}
