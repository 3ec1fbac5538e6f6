//! Sending at each sender's rate: every send first takes the next free slot of the least busy
//! sender of its channel's pool (Twilio numbers or messaging service; the Signal account),
//! `1 / mps` after that sender's previous slot, and waits for it. So a pool of n senders sends
//! n × mps messages per second and never more, and a burst is spread rather than refused.
//! When the store shares slots between instances (PostgreSQL, `Store::share_senders`) they live
//! in the database and every instance sharing a sender shares its rate; otherwise (SQLite, one
//! process) they are kept in memory here.
//! Slots are spaced 2 % wider than `1 / mps`: the provider measures arrival times, which
//! network and scheduling jitter move by a few milliseconds (the first sends of a burst also
//! open connections), and a refused send costs far more than 2 % (PROTOCOLS §3.4).

use std::sync::Mutex;
use std::time::Duration;

use crate::domain::Channel;
use crate::store::Store;

const SPACING: f64 = 1.02;

/// A fast shared sender reserves its slots in blocks covering about this long (at most
/// `MOST_PER_BLOCK`), one database round trip per block rather than per send. A sender under
/// about 100 per second still reserves one slot at a time.
const BLOCK_US: f64 = 20_000.0;
const MOST_PER_BLOCK: i64 = 64;

/// A reserved slot may still be used this late. The 2 % spacing leaves about 20 ms of room in
/// any one-second window whatever the rate, so sends up to 10 ms late never exceed it.
const LATE_US: i64 = 10_000;

/// Slots reserved ahead in the database, handed out here in turn.
struct Block {
    index: usize,
    /// The next slot, microseconds since the epoch (local clock).
    next_us: i64,
    left: i64,
}

pub struct Pacer {
    /// `channel:sender`, as stored.
    keys: Vec<String>,
    senders: Vec<String>,
    interval_us: i64,
    store: Option<Store>,
    /// Next free slot per sender, microseconds since the epoch (when not shared).
    local: Mutex<Vec<i64>>,
    /// Slots per database reservation (shared senders).
    per_block: i64,
    block: tokio::sync::Mutex<Option<Block>>,
}

impl Pacer {
    pub async fn new(
        store: &Store,
        channel: Channel,
        senders: Vec<String>,
        mps: f64,
    ) -> anyhow::Result<Pacer> {
        let keys: Vec<String> = senders.iter().map(|s| format!("{channel}:{s}")).collect();
        let shared = store.share_senders(&keys).await?;
        Ok(Pacer {
            local: Mutex::new(vec![0; keys.len()]),
            keys,
            senders,
            interval_us: interval_us(mps),
            per_block: ((BLOCK_US / interval_us(mps) as f64) as i64).clamp(1, MOST_PER_BLOCK),
            block: tokio::sync::Mutex::new(None),
            store: shared.then(|| store.clone()),
        })
    }

    /// Messages per second the whole pool may send (a little under senders × mps).
    pub fn rate(&self) -> f64 {
        self.senders.len() as f64 * 1_000_000.0 / self.interval_us as f64
    }

    /// Takes the next free slot: the sender to send from and how long to wait first.
    pub async fn reserve(&self) -> anyhow::Result<(&str, Duration)> {
        let (index, wait_us) = match &self.store {
            Some(store) => self.next_in_block(store).await?,
            None => {
                let now = now_us();
                let mut next = self.local.lock().unwrap_or_else(|e| e.into_inner());
                let (index, at) = next
                    .iter()
                    .copied()
                    .enumerate()
                    .min_by_key(|(_, at)| *at)
                    .unwrap_or((0, now));
                let slot = at.max(now);
                if let Some(n) = next.get_mut(index) {
                    *n = slot + self.interval_us;
                }
                (index, slot - now)
            }
        };
        let sender = self.senders.get(index).map(String::as_str).unwrap_or_default();
        Ok((sender, Duration::from_micros(wait_us.max(0) as u64)))
    }
}

impl Pacer {
    /// The next slot of the current block, reserving a new block when it is used up or has
    /// fallen more than `LATE_US` behind (sending on such a slot could exceed the rate).
    async fn next_in_block(&self, store: &Store) -> anyhow::Result<(usize, i64)> {
        let mut block = self.block.lock().await;
        let now = now_us();
        if let Some(b) = block
            .as_mut()
            .filter(|b| b.left > 0 && b.next_us >= now - LATE_US)
        {
            let slot = b.next_us;
            b.next_us += self.interval_us;
            b.left -= 1;
            return Ok((b.index, slot - now));
        }
        let (key, wait) = store
            .reserve_slot(&self.keys, self.interval_us, self.per_block)
            .await?
            .ok_or_else(|| anyhow::anyhow!("no sending slot row for {:?}", self.keys))?;
        let index = self.keys.iter().position(|k| *k == key).unwrap_or(0);
        let now = now_us();
        *block = Some(Block {
            index,
            next_us: now + wait + self.interval_us,
            left: self.per_block - 1,
        });
        Ok((index, wait))
    }
}

fn interval_us(mps: f64) -> i64 {
    (1_000_000.0 * SPACING / mps.max(1e-3)).ceil() as i64
}

fn now_us() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_micros() as i64)
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn memory_pacer(senders: &[&str], mps: f64) -> Pacer {
        let store = Store::memory().await;
        Pacer::new(
            &store,
            Channel::Sms,
            senders.iter().map(|s| s.to_string()).collect(),
            mps,
        )
        .await
        .unwrap()
    }

    #[tokio::test]
    async fn one_sender_is_spaced_a_little_over_one_over_mps() {
        let pacer = memory_pacer(&["+12135550100"], 10.0).await;
        let waits: Vec<Duration> = {
            let mut w = Vec::new();
            for _ in 0..5 {
                w.push(pacer.reserve().await.unwrap().1);
            }
            w
        };
        assert!(waits[0] < Duration::from_millis(5), "the first goes at once");
        // Reserved back to back: each is one interval (102 ms) after the previous.
        for pair in waits.windows(2) {
            let gap = pair[1].saturating_sub(pair[0]);
            assert!(
                gap > Duration::from_millis(95) && gap <= Duration::from_millis(102),
                "{gap:?}"
            );
        }
    }

    #[tokio::test]
    async fn a_pool_takes_turns_so_it_sends_n_times_as_fast() {
        let pacer = memory_pacer(&["+12135550100", "+12135550101"], 1.0).await;
        let mut used = Vec::new();
        let mut last_wait = Duration::ZERO;
        for _ in 0..4 {
            let (sender, wait) = pacer.reserve().await.unwrap();
            used.push(sender.to_string());
            last_wait = wait;
        }
        used.sort();
        assert_eq!(
            used,
            ["+12135550100", "+12135550100", "+12135550101", "+12135550101"]
        );
        assert!(
            last_wait <= Duration::from_millis(1_020),
            "4 sends over 2 senders at 1/s: ~1 s"
        );
    }

    #[test]
    fn intervals() {
        assert_eq!(interval_us(1.0), 1_020_000);
        assert_eq!(interval_us(100.0), 10_200);
    }
}
