//! Recording that providers took deliveries, in groups: sends that finish together are written
//! in one transaction (a few statements for the group instead of several per send), which is
//! what bounds a fan-out's speed. Each send waits until its own outcome is committed, keeping
//! its permit meanwhile, so no more deliveries are "sent but not recorded" than sends in
//! flight: the duplicate bound after a crash is unchanged.

use tokio::sync::{mpsc, oneshot};

use crate::state::Shared;
use crate::store::outbox::Handed;

/// The most outcomes written in one transaction.
const MOST: usize = 64;

struct Job {
    handed: Handed,
    volunteer_id: i64,
    done: oneshot::Sender<Result<(), String>>,
}

#[derive(Clone)]
pub struct Recorder {
    jobs: mpsc::Sender<Job>,
}

impl Recorder {
    pub fn start(core: Shared) -> Recorder {
        let (jobs, rx) = mpsc::channel(1024);
        tokio::spawn(run(core, rx));
        Recorder { jobs }
    }

    /// Records that the provider took this delivery; returns once it is committed.
    pub async fn submitted(&self, handed: Handed, volunteer_id: i64) -> anyhow::Result<()> {
        let (done, wait) = oneshot::channel();
        let job = Job {
            handed,
            volunteer_id,
            done,
        };
        self.jobs
            .send(job)
            .await
            .map_err(|_| anyhow::anyhow!("the outcome recorder stopped"))?;
        wait.await
            .map_err(|_| anyhow::anyhow!("the outcome recorder stopped"))?
            .map_err(|e| anyhow::anyhow!(e))
    }
}

async fn run(core: Shared, mut rx: mpsc::Receiver<Job>) {
    while let Some(first) = rx.recv().await {
        // Whatever else is waiting now joins this transaction; nothing waits for more.
        let mut jobs = vec![first];
        while jobs.len() < MOST {
            match rx.try_recv() {
                Ok(job) => jobs.push(job),
                Err(_) => break,
            }
        }
        let handed: Vec<Handed> = jobs.iter().map(|j| j.handed.clone()).collect();
        match core
            .store
            .deliveries_submitted(&handed, crate::store::now_ms())
            .await
        {
            Ok(early) => {
                for (job, early) in jobs.into_iter().zip(early) {
                    let mut result = Ok(());
                    if let Some(receipt) = early {
                        result = crate::outbox::receipts::applied(
                            &core,
                            job.handed.channel,
                            job.volunteer_id,
                            &receipt,
                        )
                        .await
                        .map_err(|e| e.to_string());
                    }
                    let _ = job.done.send(result);
                }
            }
            Err(e) => {
                let why = e.to_string();
                for job in jobs {
                    let _ = job.done.send(Err(why.clone()));
                }
            }
        }
    }
}
