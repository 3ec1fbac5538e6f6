//! Intake: inbound messages become reports, answers or subscription changes.
//! A report is stored before anything else is done with it, and is never lost after a 2xx.

pub mod answers;
pub mod calls;
pub mod commands;
pub mod decision;
pub mod dispatchers;
pub mod followup;
pub mod guard;
pub mod inbound;
pub mod join;
pub mod merging;
pub mod message;
pub mod phrases;
pub mod placing;
pub mod recordings;
pub mod report;
pub mod resume;
pub mod retention;
pub mod signal;
pub mod tell;
pub mod verification;
pub mod voice;
pub mod words;
