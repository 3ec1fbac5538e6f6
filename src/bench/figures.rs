//! The figures the benchmarks print: milliseconds, percentiles, this process's memory.

use std::time::Duration;

use anyhow::Context;

/// Milliseconds with one decimal.
pub fn ms(d: Duration) -> f64 {
    (d.as_secs_f64() * 1e4).round() / 10.0
}

/// Percentile `p` (0..=1) of sorted durations, in ms; 0 when empty.
pub fn percentile_ms(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len()) - 1;
    ms(sorted[i])
}

/// `key` (VmRSS, VmHWM) of this process, in MB (10^6 bytes), to one decimal.
pub fn proc_status_mb(key: &str) -> anyhow::Result<f64> {
    let status = std::fs::read_to_string("/proc/self/status").context("/proc/self/status")?;
    let kb = status
        .lines()
        .find_map(|l| l.strip_prefix(key)?.strip_prefix(':'))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .with_context(|| format!("/proc/self/status: no {key} line"))?;
    Ok((kb * 1024.0 / 1e5).round() / 10.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles() {
        let d: Vec<Duration> = (1..=100).map(Duration::from_millis).collect();
        assert_eq!(percentile_ms(&d, 0.5), 50.0);
        assert_eq!(percentile_ms(&d, 0.99), 99.0);
        assert_eq!(percentile_ms(&d, 1.0), 100.0);
    }

    #[test]
    fn memory_is_read() {
        let rss = proc_status_mb("VmRSS").unwrap();
        assert!(rss > 0.0 && rss < 100_000.0, "{rss}");
        assert!(proc_status_mb("NoSuchLine").is_err());
    }
}
