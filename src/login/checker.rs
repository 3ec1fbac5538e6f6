//! Where passwords are checked: `CHECKS_AT_ONCE` threads of our own, each with Argon2's
//! ~19 MiB of working memory allocated once and reused (left to argon2, every check grew the
//! process by that much: see `accounts::password_matches_in`). Memory for logins is thus
//! bounded whatever the load, and Argon2 stays off the async workers.

use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::sync::{Arc, Mutex, OnceLock};

use tokio::sync::oneshot;

use super::gate::CHECKS_AT_ONCE;
use crate::accounts;

/// A password and the hash to check it against (None: a name no account has).
struct Job {
    password: String,
    hash: Option<String>,
    answer: oneshot::Sender<bool>,
}

pub struct Checker {
    jobs: OnceLock<SyncSender<Job>>,
}

impl Checker {
    pub const fn new() -> Checker {
        Checker {
            jobs: OnceLock::new(),
        }
    }

    fn jobs(&self) -> &SyncSender<Job> {
        self.jobs.get_or_init(|| {
            // The gate lets only a few attempts through: a short queue is enough.
            let (send, receive) = sync_channel::<Job>(CHECKS_AT_ONCE * 4);
            let receive = Arc::new(Mutex::new(receive));
            for i in 0..CHECKS_AT_ONCE {
                let receive = receive.clone();
                let spawned = std::thread::Builder::new()
                    .name(format!("tocsin-login-{i}"))
                    .spawn(move || work(&receive));
                if let Err(e) = spawned {
                    tracing::error!(error = %e, "could not start a password-checking thread");
                }
            }
            send
        })
    }

    /// Whether `password` matches `hash`; with no hash, a check as long that fails.
    pub async fn matches(&self, password: &str, hash: Option<String>) -> bool {
        let (answer, answered) = oneshot::channel();
        let job = Job {
            password: password.to_string(),
            hash,
            answer,
        };
        let jobs = self.jobs().clone();
        // `send` waits only when the queue is full, which the gate prevents; off the workers.
        let sent = tokio::task::spawn_blocking(move || jobs.send(job).is_ok()).await;
        sent.unwrap_or(false) && answered.await.unwrap_or(false)
    }
}

fn work(jobs: &Mutex<Receiver<Job>>) {
    static DUMMY: OnceLock<String> = OnceLock::new();
    // This thread's Argon2 memory, allocated once and reused by every check.
    let mut memory = Vec::new();
    loop {
        let job = match jobs.lock().unwrap_or_else(|e| e.into_inner()).recv() {
            Ok(job) => job,
            Err(_) => return,
        };
        let matches = match &job.hash {
            Some(hash) => accounts::password_matches_in(&mut memory, &job.password, hash),
            None => {
                let dummy = DUMMY
                    .get_or_init(|| accounts::hash_password("not a password of anyone").unwrap_or_default());
                // As long as a real check, and never a match.
                let _ =
                    std::hint::black_box(accounts::password_matches_in(&mut memory, &job.password, dummy));
                false
            }
        };
        let _ = job.answer.send(matches);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rss_kb() -> u64 {
        let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap_or(0)
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn checks_answer_right_and_reuse_their_memory() {
        let hash = accounts::hash_password("correct horse battery").unwrap();
        let checker = Checker::new();
        assert!(checker.matches("correct horse battery", Some(hash.clone())).await);
        assert!(
            !checker
                .matches("correct horse battery!", Some(hash.clone()))
                .await
        );
        assert!(!checker.matches("anything", None).await, "no account: never");
        assert!(!checker.matches("anything", Some("not a hash".into())).await);
        let warm = rss_kb();
        for _ in 0..10 {
            checker.matches("wrong", Some(hash.clone())).await;
        }
        // Ten checks of 19 MiB each: memory must not grow by anything like 190 MiB.
        let grown_mb = rss_kb().saturating_sub(warm) / 1024;
        assert!(grown_mb < 40, "grew {grown_mb} MB over 10 checks");
    }
}
