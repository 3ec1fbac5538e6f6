//! `tocsin bench ...`: measurements an operator can repeat on their own machine.
//! docs/benchmarks.md has the commands, the data and the figures measured so far.

pub mod calls;
pub mod churn;
pub mod fanout;
mod figures;
pub mod geofence;
mod harness;
pub mod intake;
pub mod login;
mod pg;
pub mod throttle;

use clap::Subcommand;

#[derive(Debug, Subcommand)]
pub enum BenchCommand {
    /// Which areas contain each point: build the geofence index from a GeoJSON-lines file of areas
    /// and query it with every point of a CSV file. The last line printed is one JSON object.
    Geofence(geofence::GeofenceArgs),
    /// The geofence index kept current while it answers: lookups alone, then while volunteer
    /// changes are applied at --rate per second. The last line printed is one JSON object.
    Churn(churn::ChurnArgs),
    /// One sighting alerted to N volunteers through an unthrottled fake Twilio: time from the
    /// webhook to the first and the last send. The last line printed is one JSON object.
    Fanout(fanout::FanoutArgs),
    /// A fan-out through a sender limited to --mps messages per second: the rate achieved and
    /// the provider's refusals (429). The last line printed is one JSON object.
    Throttle(throttle::ThrottleArgs),
    /// Wake-up calls to --cps × --seconds volunteers at --cps calls per second (twilio.cps):
    /// the rate achieved. The last line printed is one JSON object.
    Calls(calls::CallsArgs),
    /// Signed inbound SMS webhooks at --rate per second, open-loop: response times and errors.
    /// The last line printed is one JSON object.
    Intake(intake::IntakeArgs),
    /// A burst of wrong dashboard logins at once while another account logs in: resident
    /// memory and the other login's time. The last line printed is one JSON object.
    Login(login::LoginArgs),
}

pub fn run(cmd: BenchCommand) -> anyhow::Result<()> {
    match cmd {
        BenchCommand::Geofence(args) => geofence::run(args),
        BenchCommand::Churn(args) => churn::run(args),
        BenchCommand::Fanout(args) => fanout::run(args),
        BenchCommand::Throttle(args) => throttle::run(args),
        BenchCommand::Calls(args) => calls::run(args),
        BenchCommand::Intake(args) => intake::run(args),
        BenchCommand::Login(args) => login::run(args),
    }
}
