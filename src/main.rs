use anyhow::{anyhow, bail, Context};
use clap::Parser;
use serde_json::json;

use tocsin::app::{Core, Running};
use tocsin::cli::{AddVolunteer, Cli, Command, VolunteerCommand};
use tocsin::config::Settings;
use tocsin::domain::{Language, Phone, Reach, SignalId};
use tocsin::geo::Area;
use tocsin::roster::{self, Signup};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tocsin::telemetry::init();
    let cli = Cli::parse();
    let settings = Settings::load(cli.config.as_deref())?;
    match cli.command {
        Command::Serve => serve(settings).await,
        Command::Migrate => {
            Core::open(settings).await?;
            println!("migrations applied");
            Ok(())
        }
        Command::Volunteer(cmd) => volunteer(settings, cmd).await,
        Command::Bench(cmd) => tocsin::bench::run(cmd),
    }
}

async fn serve(settings: Settings) -> anyhow::Result<()> {
    let running = Running::start(settings).await?;
    shutdown_signal().await;
    tracing::info!("shutting down");
    running.stop().await;
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}

async fn volunteer(settings: Settings, cmd: VolunteerCommand) -> anyhow::Result<()> {
    let core = Core::open(settings).await?;
    match cmd {
        VolunteerCommand::Add(add) => {
            let signup = signup(add)?;
            let id = roster::add(&core, signup).await?;
            println!("added volunteer {id}");
        }
        VolunteerCommand::List => {
            for v in core.store.volunteers().await? {
                let phone = core.vault.decrypt(&v.phone_enc).unwrap_or_default();
                let last4 = roster::last4(&phone);
                println!(
                    "{}\t{}\t…{}\t{}\t{}\t{}{}",
                    v.id,
                    v.name,
                    last4,
                    v.language,
                    v.channel,
                    if v.trusted { "trusted" } else { "-" },
                    if v.opted_out { "\topted out" } else { "" }
                );
            }
        }
        VolunteerCommand::Remove { id } => {
            if !roster::remove(&core, id).await? {
                bail!("no volunteer {id}");
            }
            println!("removed volunteer {id}");
        }
    }
    core.store.close().await;
    Ok(())
}

fn signup(add: AddVolunteer) -> anyhow::Result<Signup> {
    let name = roster::parse_name(&add.name).map_err(|e| anyhow!("--name: {e}"))?;
    let phone = Phone::parse(&add.phone).map_err(|e| anyhow!("--phone: {e}"))?;
    let language = Language::parse(&add.language)
        .ok_or_else(|| anyhow!("--language: must be one of {}", Language::NAMES.join(", ")))?;
    let area_json = match (add.lat, add.lon, add.radius_m, &add.area_file) {
        (Some(lat), Some(lon), Some(radius_m), None) => {
            json!({"type": "circle", "lat": lat, "lon": lon, "radius_m": radius_m})
        }
        (None, None, None, Some(file)) => {
            let text =
                std::fs::read_to_string(file).with_context(|| format!("--area-file {}", file.display()))?;
            serde_json::from_str(&text)
                .with_context(|| format!("--area-file {}: not JSON", file.display()))?
        }
        _ => bail!("give a circle (--lat, --lon, --radius-m) or --area-file"),
    };
    let area = Area::from_json(&area_json).map_err(|e| anyhow!("{e}"))?;
    let reach = Reach::parse(&add.channel)
        .ok_or_else(|| anyhow!("--channel: must be one of {}", Reach::NAMES.join(", ")))?;
    let signal_id = match &add.signal_address {
        Some(a) => Some(SignalId::parse(a).map_err(|e| anyhow!("--signal-address: {e}"))?),
        None => None,
    };

    Ok(Signup {
        name,
        phone,
        language,
        trusted: add.trusted,
        area,
        reach,
        signal_id,
    })
}
