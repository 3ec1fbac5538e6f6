use anyhow::{anyhow, bail, Context};
use clap::Parser;
use serde_json::json;

use tocsin::app::{Core, Running};
use tocsin::audit::Actor;
use tocsin::cli::{AddVolunteer, Cli, Command, UserCommand, VolunteerCommand};
use tocsin::config::Settings;
use tocsin::domain::{Language, Phone};
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
        Command::User(cmd) => user(settings, cmd).await,
    }
}

async fn user(settings: Settings, cmd: UserCommand) -> anyhow::Result<()> {
    let core = Core::open(settings).await?;
    match cmd {
        UserCommand::Add { name, role } => {
            let role = tocsin::domain::Role::parse(&role).ok_or_else(|| {
                anyhow!(
                    "--role: must be one of {}",
                    tocsin::domain::Role::NAMES.join(", ")
                )
            })?;
            let name = tocsin::accounts::parse_user_name(&name).map_err(|e| anyhow!("NAME: {e}"))?;
            let password = read_password(&name)?;
            let id = tocsin::accounts::add_user(&core, &name, role, &password).await?;
            tocsin::audit::record(
                &core,
                &Actor::Cli,
                &format!("user_add {role}"),
                tocsin::audit::Subject::None,
                &name,
            )
            .await;
            println!("added {role} {name} (account {id})");
        }
        UserCommand::List => {
            for u in core.store.users().await? {
                println!("{}\t{}\t{}", u.id, u.name, u.role);
            }
        }
        UserCommand::Remove { name } => {
            if !core.store.remove_user(&name).await? {
                bail!("no account named {name}");
            }
            tocsin::audit::record(
                &core,
                &Actor::Cli,
                "user_remove",
                tocsin::audit::Subject::None,
                &name,
            )
            .await;
            println!("removed {name}");
        }
    }
    core.store.close().await;
    Ok(())
}

/// The password from the terminal without echo (asked twice), or the first line of stdin.
fn read_password(name: &str) -> anyhow::Result<String> {
    use std::io::IsTerminal;
    let password = if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password(format!("Password for {name}: "))?;
        let again = rpassword::prompt_password("Again: ")?;
        if first != again {
            bail!("the two passwords differ");
        }
        first
    } else {
        let mut line = String::new();
        std::io::stdin()
            .read_line(&mut line)
            .context("reading the password from stdin")?;
        line.trim_end_matches(['\r', '\n']).to_string()
    };
    tocsin::accounts::check_password(&password).map_err(|e| anyhow!("password: {e}"))?;
    Ok(password)
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
            let id = roster::add(&core, &Actor::Cli, signup).await?;
            println!("added volunteer {id}");
        }
        VolunteerCommand::List => {
            for v in core.store.volunteers().await? {
                let phone = core.vault.decrypt(&v.phone_enc).unwrap_or_default();
                let last4: String = phone.chars().skip(phone.len().saturating_sub(4)).collect();
                println!(
                    "{}\t{}\t…{}\t{}\t{}{}",
                    v.id,
                    v.name,
                    last4,
                    v.language,
                    if v.trusted { "trusted" } else { "-" },
                    if v.opted_out { "\topted out" } else { "" }
                );
            }
        }
        VolunteerCommand::Remove { id } => {
            if !roster::remove(&core, &Actor::Cli, id).await? {
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
    Ok(Signup {
        name,
        phone,
        language,
        trusted: add.trusted,
        area,
    })
}
