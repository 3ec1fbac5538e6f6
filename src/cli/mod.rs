//! The command line: `tocsin [--config FILE] [--data-dir DIR] serve | migrate | check | demo |
//! backup | migrate-data | rotate-key | mobilisations import|list|cancel | volunteer add|list|remove | user add|list|remove | token add|list|revoke |
//! zones import|list|remove | places import|search | bench geofence|churn|...`.

pub mod backup;
pub mod check;
pub mod migrate_data;
pub mod mobilisations;
pub mod open;
pub mod osm;
pub mod places;
pub mod rotate_key;
pub mod tokens;
pub mod users;
pub mod volunteers;
pub mod zones;

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "tocsin",
    version,
    about = "Rapid-response alert dispatcher for community defence networks"
)]
pub struct Cli {
    /// Configuration file (TOML), layered over the built-in defaults; TOCSIN_* env vars override it.
    #[arg(long, global = true, env = "TOCSIN_CONFIG")]
    pub config: Option<PathBuf>,
    /// Folder of the SQLite database and key file when they are given as relative paths (as
    /// by default), instead of the current folder.
    #[arg(long, global = true, env = "TOCSIN_DATA_DIR")]
    pub data_dir: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the server: webhooks, API, dispatcher and outbox.
    Serve,
    /// Apply database migrations and exit.
    Migrate,
    /// Manage volunteers directly in the database.
    #[command(subcommand)]
    Volunteer(VolunteerCommand),
    /// Named zones (neighbourhoods, ZIP codes) used to place reports and as home areas.
    #[command(subcommand)]
    Zones(ZonesCommand),
    /// Streets, addresses and named places from an OpenStreetMap extract, to place reports.
    #[command(subcommand)]
    Places(PlacesCommand),
    /// Planned mobilisations: eviction defences, hearings, lockouts, actions.
    #[command(subcommand)]
    Mobilisations(MobilisationsCommand),
    /// Manage dashboard accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Manage API tokens (read, dispatch or admin).
    #[command(subcommand)]
    Token(TokenCommand),
    /// A consistent copy of the SQLite database while tocsin runs (on PostgreSQL: how to
    /// pg_dump it). The key is not in it: back it up apart (docs/operations.md).
    Backup { file: PathBuf },
    /// Move this SQLite database into an empty PostgreSQL database (stop tocsin first).
    MigrateData {
        /// The PostgreSQL database to fill: postgres://user:password@host/db
        #[arg(long)]
        to: String,
    },
    /// Seal everything again under a new data key, and hash every lookup again (stop tocsin
    /// first; back up first). The new key is read from the file, or made there when missing.
    RotateKey {
        /// The new key: a file holding 32 random bytes in base64; made (private) when missing.
        #[arg(long)]
        new_key_file: PathBuf,
    },
    /// Check the configuration and what it points at (database, key, Twilio, Signal): one
    /// line per item, exit status 1 when any failed. Changes and creates nothing.
    Check,
    /// Try tocsin with nothing installed: a throwaway database, fake Twilio and Signal in this
    /// process, 200 simulated volunteers and a scripted night on a loop (until Ctrl-C).
    Demo {
        /// The dashboard's port on 127.0.0.1 (0: any free port).
        #[arg(long, default_value_t = 8080)]
        port: u16,
        /// Plays the script this many times faster (2: twice as fast).
        #[arg(long, default_value_t = 1.0)]
        speed: f64,
        /// Only set up; play no script (text the hotline yourself at /demo/phones).
        #[arg(long)]
        no_script: bool,
    },
    /// Measure parts of tocsin on this machine (see docs/benchmarks.md).
    #[command(subcommand)]
    Bench(crate::bench::BenchCommand),
}

#[derive(Debug, Subcommand)]
pub enum ZonesCommand {
    /// Import a GeoJSON FeatureCollection; each feature has `name` and optional `aliases`.
    /// A zone whose name exists already is replaced. Nothing is imported if any feature is bad.
    Import { file: PathBuf },
    /// List zones with their aliases.
    List,
    /// Remove a zone by name.
    Remove { name: String },
}

#[derive(Debug, Subcommand)]
pub enum MobilisationsCommand {
    /// Import a hearing list (CSV with a header: date, time, place, kind, text; optionally
    /// case, wanted, radius_m), dates and times on the network's clock. Every row is checked
    /// first: nothing is imported if any is wrong. A case's hearing at the same time is added
    /// once, however often the list is imported.
    Import {
        file: PathBuf,
        /// People wanted, for rows without `wanted`.
        #[arg(long, default_value_t = 10)]
        wanted: i64,
        /// Invite volunteers whose home areas meet this circle around the place, for rows
        /// without `radius_m`.
        #[arg(long, default_value_t = 1500)]
        radius_m: u32,
    },
    /// List mobilisations from yesterday on, soonest first.
    List,
    /// Cancel one.
    Cancel { id: i64 },
}

#[derive(Debug, Subcommand)]
pub enum PlacesCommand {
    /// Import an OpenStreetMap extract (.osm.pbf): named streets, address points and named
    /// places. Replaces every place imported before.
    Import {
        file: PathBuf,
        /// Also import neighbourhood boundaries (place=neighbourhood|suburb|quarter, admin
        /// level 9 and up) as zones; a zone of the same name is replaced.
        #[arg(long)]
        zones: bool,
    },
    /// Show what the imported places make of a text (offline).
    Search { text: String },
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Add an account. The password is asked on the terminal (not echoed), or read from the
    /// first line of standard input when that is not a terminal.
    Add {
        name: String,
        /// dispatcher, or admin (also sees whole phone numbers and the audit log).
        #[arg(long, default_value = "dispatcher")]
        role: String,
        /// A phone to page this account on when a report needs a dispatcher (E.164, +1...).
        #[arg(long)]
        phone: Option<String>,
        /// sms or signal: how pages reach this phone.
        #[arg(long, default_value = "sms")]
        channel: String,
        /// The language of pages: en, es, ko or zh.
        #[arg(long, default_value = "en")]
        lang: String,
    },
    /// Set the phone an account is paged on (or `none` to stop paging it).
    Phone {
        name: String,
        phone: String,
        /// sms or signal.
        #[arg(long, default_value = "sms")]
        channel: String,
        /// en, es, ko or zh.
        #[arg(long, default_value = "en")]
        lang: String,
    },
    /// Put an account on duty (paged when a report needs a dispatcher) or off: `on` or `off`.
    Duty { name: String, state: String },
    /// List accounts.
    List,
    /// Remove an account and end its sessions.
    Remove { name: String },
    /// Unlock an account locked after too many failed logins (dashboard.lockout_after).
    Unlock { name: String },
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Make a token and print it once: its last line is the token (`| tail -1`). Only its hash
    /// is kept; a lost token cannot be shown again, only revoked and replaced.
    Add {
        /// 1 to 64 letters, digits, '.', '_' or '-'; never used by another token.
        name: String,
        /// read (incidents and counts), dispatch (also incident actions, reports, volunteers
        /// with masked numbers) or admin (everything, whole numbers audited).
        #[arg(long)]
        scope: String,
    },
    /// List tokens: name, scope, created, last used, live or revoked (never the token).
    List,
    /// Revoke a token: refused at once by every running instance.
    Revoke { name: String },
}

#[derive(Debug, Subcommand)]
pub enum VolunteerCommand {
    /// Add a volunteer with a circular home area or a GeoJSON one.
    Add(Box<AddVolunteer>),
    /// List volunteers (numbers shown by their last 4 digits).
    List,
    /// Remove a volunteer: their name, number and area are erased.
    Remove { id: i64 },
    /// Set a volunteer's roles (those not given are taken away).
    Roles {
        id: i64,
        /// Asked first to check unverified reports near their home area.
        #[arg(long)]
        verifier: bool,
        /// In the drill group (dispatch.drill_role).
        #[arg(long)]
        drill: bool,
    },
    /// Set when a volunteer is called after a confirmed alert's text: never, night
    /// (network.night_hours) or always.
    Call { id: i64, when: String },
}

#[derive(Debug, Args)]
pub struct AddVolunteer {
    #[arg(long)]
    pub name: String,
    /// E.164, like +12135550100.
    #[arg(long)]
    pub phone: String,
    /// en, es, ko or zh.
    #[arg(long, default_value = "en")]
    pub language: String,
    /// How they get alerts: sms, signal or both.
    #[arg(long, default_value = "sms")]
    pub channel: String,
    /// A wake-up call after a confirmed alert's text: never, night or always.
    #[arg(long, default_value = "never")]
    pub call: String,
    /// Their Signal account id (UUID), when Signal should not reach them by phone number.
    #[arg(long)]
    pub signal_address: Option<String>,
    /// Asked first to check unverified reports near their home area.
    #[arg(long)]
    pub verifier: bool,
    /// In the drill group (dispatch.drill_role): drills alert them, and only them.
    #[arg(long)]
    pub drill: bool,
    /// Their reports are verified without a dispatcher (dispatch.auto_verify = "trusted").

    #[arg(long)]
    pub trusted: bool,
    /// Centre of a circular home area.
    #[arg(long, allow_negative_numbers = true, requires_all = ["lon", "radius_m"], conflicts_with = "area_file")]
    pub lat: Option<f64>,
    #[arg(long, allow_negative_numbers = true, requires = "lat")]
    pub lon: Option<f64>,
    #[arg(long, allow_negative_numbers = true, requires = "lat")]
    pub radius_m: Option<f64>,
    /// A GeoJSON Polygon or MultiPolygon (or a Feature holding one).
    #[arg(long)]
    pub area_file: Option<PathBuf>,
    /// A named zone (or one of its aliases) as home area.
    #[arg(long)]
    pub zone: Option<String>,
}
