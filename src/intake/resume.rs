//! Intake takes up its own interrupted work: a report stored whose incident was never opened
//! (the process stopped between intake's two steps) is opened, or joined to its incident, a few
//! seconds after it arrived. Reports held on purpose (flagged) are left to the dispatcher.

use std::time::Duration;

use crate::intake::report::{open_incident, Opening};
use crate::state::{Core, Shared, Shutdown};
use crate::store::reports::ReportRow;
use crate::store::{now_ms, StoreError};

/// How long a report may be without an incident before it counts as interrupted: intake's
/// second step normally follows within milliseconds.
const GRACE_MS: i64 = 5_000;
const POLL: Duration = Duration::from_secs(2);

pub async fn run(core: Shared, mut shutdown: Shutdown) {
    let never = tokio::sync::Notify::new();
    loop {
        if let Err(e) = pass(&core, now_ms() - GRACE_MS).await {
            tracing::error!(error = %e, "resuming interrupted reports failed");
        }
        if !crate::state::wait(&never, POLL, &mut shutdown).await {
            return;
        }
    }
}

/// Opens the incident of every report received before `received_before` that has none (and is
/// not held); how many it took up. One that fails is logged and tried again next pass.
pub async fn pass(core: &Core, received_before: i64) -> Result<usize, StoreError> {
    let reports = core.store.unprocessed_reports(received_before).await?;
    for report in &reports {
        match resume(core, report).await {
            Ok(incident_id) => {
                tracing::info!(report_id = report.id, incident_id, "interrupted report taken up")
            }
            Err(e) => tracing::error!(report_id = report.id, error = %e, "resuming a report failed"),
        }
    }
    Ok(reports.len())
}

/// Opens the incident of a stored report that has none yet.
async fn resume(core: &Core, report: &ReportRow) -> Result<i64, StoreError> {
    let trusted = match report.volunteer_id {
        Some(id) => core
            .store
            .volunteer(id)
            .await?
            .is_some_and(|v| v.trusted && v.standing.vetted()),
        None => false,
    };
    let opening = Opening {
        report_id: report.id,
        kind: &report.kind,
        location: &report.location,
        trusted,
        drill: report.drill,
    };
    open_incident(core, &opening).await
}
