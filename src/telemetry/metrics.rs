//! Prometheus metrics, as OpenMetrics text (`prometheus-client`). Counters and histograms are
//! recorded where the flow does the thing (intake, the outbox, receipts, webhooks, the pager);
//! the gauges (incidents by status, the outbox's backlog) are read from the store at each
//! scrape and handed in as `Gauges`. Labels are low-cardinality names only (channel, status,
//! flag, provider error code, route): never a number, a name or message text.

use std::sync::atomic::AtomicU64;
use std::sync::Mutex;
use std::time::Duration;

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::{Registry, Unit};

/// The content type of `Metrics::render`'s text.
pub const CONTENT_TYPE: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ReportLabels {
    channel: &'static str,
    flag: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ChannelStatus {
    channel: &'static str,
    status: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ChannelCode {
    channel: &'static str,
    code: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ChannelOnly {
    channel: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct Route {
    route: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct IncidentLabels {
    status: String,
    drill: bool,
}

type Timings<L> = Family<L, Histogram, fn() -> Histogram>;

/// Provider calls: from a few milliseconds to the send timeout.
fn send_buckets() -> Histogram {
    Histogram::new([0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0])
}

/// Webhooks answer at once: tens of milliseconds, or something is wrong.
fn webhook_buckets() -> Histogram {
    Histogram::new([0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 5.0])
}

/// What the store says at scrape time.
#[derive(Debug, Clone, Default)]
pub struct Gauges {
    /// (status, drill, count), as `Store::incident_tally` gives them.
    pub incidents: Vec<(String, bool, i64)>,
    /// Deliveries due and still queued.
    pub outbox_depth: i64,
    /// Milliseconds since the oldest of them became due.
    pub outbox_oldest_ms: i64,
}

pub struct Metrics {
    /// Held while the gauges are set and the text written, so that two scrapes do not mix.
    registry: Mutex<Registry>,
    reports: Family<ReportLabels, Counter>,
    deliveries: Family<ChannelStatus, Counter>,
    provider_errors: Family<ChannelCode, Counter>,
    pages: Family<ChannelOnly, Counter>,
    send_latency: Timings<ChannelOnly>,
    webhook_latency: Timings<Route>,
    incidents: Family<IncidentLabels, Gauge>,
    outbox_depth: Gauge,
    outbox_oldest: Gauge<f64, AtomicU64>,
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics::new()
    }
}

impl Metrics {
    pub fn new() -> Metrics {
        let m = Metrics {
            registry: Mutex::new(Registry::with_prefix("tocsin")),
            reports: Family::default(),
            deliveries: Family::default(),
            provider_errors: Family::default(),
            pages: Family::default(),
            send_latency: Family::new_with_constructor(send_buckets),
            webhook_latency: Family::new_with_constructor(webhook_buckets),
            incidents: Family::default(),
            outbox_depth: Gauge::default(),
            outbox_oldest: Gauge::default(),
        };
        {
            let mut r = m.registry.lock().unwrap_or_else(|e| e.into_inner());
            r.register(
                "reports_received",
                "Reports stored, by channel (sms, signal, api) and intake flag (none: not held)",
                m.reports.clone(),
            );
            r.register(
                "deliveries",
                "Delivery outcomes (outbox) and provider receipts, by channel and status",
                m.deliveries.clone(),
            );
            r.register(
                "provider_errors",
                "Errors providers answered to sends or reported in receipts, by channel and code",
                m.provider_errors.clone(),
            );
            r.register(
                "pages_sent",
                "Pages sent to dispatchers, by channel",
                m.pages.clone(),
            );
            r.register_with_unit(
                "send_latency",
                "Time of one provider call sending an alert, by channel",
                Unit::Seconds,
                m.send_latency.clone(),
            );
            r.register_with_unit(
                "webhook_latency",
                "Time to answer a provider webhook, by route",
                Unit::Seconds,
                m.webhook_latency.clone(),
            );
            r.register(
                "incidents",
                "Incidents by status and whether they are drills",
                m.incidents.clone(),
            );
            r.register(
                "outbox_depth",
                "Deliveries due and not yet handed to a provider",
                m.outbox_depth.clone(),
            );
            r.register_with_unit(
                "outbox_oldest_age",
                "How long the oldest due delivery has waited (0 when none waits)",
                Unit::Seconds,
                m.outbox_oldest.clone(),
            );
        }
        m
    }

    /// A report was stored: `flag` is the intake's flag (`blocked`, `repeat` ...) or None.
    pub fn report_received(&self, channel: &'static str, flag: Option<&'static str>) {
        let flag = flag.unwrap_or("none");
        self.reports.get_or_create(&ReportLabels { channel, flag }).inc();
    }

    /// A delivery moved to `status` (an outbox outcome or a provider's receipt).
    pub fn delivery(&self, channel: &'static str, status: &'static str) {
        self.deliveries
            .get_or_create(&ChannelStatus { channel, status })
            .inc();
    }

    /// A provider answered an error; `error` is its classified reason (`Twilio 30003 (HTTP
    /// 400)`), of which only a code or a fixed class becomes the label (`error_code`).
    pub fn provider_error(&self, channel: &'static str, error: &str) {
        let code = error_code(error);
        self.provider_errors
            .get_or_create(&ChannelCode { channel, code })
            .inc();
    }

    pub fn page_sent(&self, channel: &'static str) {
        self.pages.get_or_create(&ChannelOnly { channel }).inc();
    }

    pub fn send_took(&self, channel: &'static str, took: Duration) {
        self.send_latency
            .get_or_create(&ChannelOnly { channel })
            .observe(took.as_secs_f64());
    }

    /// `route` is the route's pattern (`/webhooks/twilio/sms`), never the request's own path.
    pub fn webhook_took(&self, route: &str, took: Duration) {
        let route = Route {
            route: route.to_string(),
        };
        self.webhook_latency
            .get_or_create(&route)
            .observe(took.as_secs_f64());
    }

    /// The OpenMetrics text, with the gauges as the store gave them now.
    pub fn render(&self, gauges: &Gauges) -> String {
        let registry = self.registry.lock().unwrap_or_else(|e| e.into_inner());
        // A status no incident has any more reads 0 rather than its last count.
        self.incidents.clear();
        for (status, drill, n) in &gauges.incidents {
            let labels = IncidentLabels {
                status: status.clone(),
                drill: *drill,
            };
            self.incidents.get_or_create(&labels).set(*n);
        }
        self.outbox_depth.set(gauges.outbox_depth);
        self.outbox_oldest
            .set(gauges.outbox_oldest_ms.max(0) as f64 / 1000.0);
        let mut text = String::new();
        // Writing to a String cannot fail.
        let _ = prometheus_client::encoding::text::encode(&mut text, &registry);
        text
    }
}

/// The label for a provider's error: its numeric code where it has one (`twilio_30003`,
/// `http_503`, `signal_-3`), else a fixed class. Never the reason's own text, which a provider
/// may fill with the recipient's number.
pub fn error_code(error: &str) -> String {
    let number_after = |prefix: &str| -> Option<String> {
        let rest = &error[error.find(prefix)? + prefix.len()..];
        let digits: String = rest
            .char_indices()
            .take_while(|(i, c)| c.is_ascii_digit() || (*i == 0 && *c == '-'))
            .map(|(_, c)| c)
            .take(8)
            .collect();
        digits.chars().any(|c| c.is_ascii_digit()).then_some(digits)
    };
    if let Some(code) = number_after("Twilio ") {
        return format!("twilio_{code}");
    }
    if let Some(code) = number_after("Signal error ") {
        return format!("signal_{code}");
    }
    if let Some(code) = number_after("HTTP ") {
        return format!("http_{code}");
    }
    let lower = error.to_lowercase();
    let classes = [
        ("unregistered", "signal_unregistered"),
        ("safety number", "signal_untrusted"),
        ("rate limit", "rate_limited"),
        ("timed out", "timeout"),
        ("timeout", "timeout"),
        ("unreachable", "unreachable"),
        ("transport", "transport"),
    ];
    classes
        .iter()
        .find(|(word, _)| lower.contains(word))
        .map_or("other", |(_, class)| class)
        .to_string()
}

#[cfg(test)]
mod tests;
