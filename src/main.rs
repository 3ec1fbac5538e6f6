use clap::Parser;

use tocsin::app::Running;
use tocsin::cli::{Cli, Command};
use tocsin::config::Settings;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tocsin::telemetry::init();
    let cli = Cli::parse();
    if let Command::Check = cli.command {
        // Loads the configuration itself: a bad one is its first failed item, not an abort.
        std::process::exit(tocsin::cli::check::run(cli.config.as_deref(), cli.data_dir.as_deref()).await);
    }
    if let Command::Demo {
        port,
        speed,
        no_script,
    } = cli.command
    {
        // Before any configuration is read: a demo never touches a real database or provider.
        return tocsin::demo::run(tocsin::demo::Options {
            port,
            speed,
            no_script,
        })
        .await;
    }
    let mut settings = Settings::load(cli.config.as_deref())?;
    if let Some(dir) = &cli.data_dir {
        settings.in_data_dir(dir);
    }
    match cli.command {
        Command::Serve => serve(settings).await,
        Command::Migrate => {
            tocsin::cli::open::creating(settings).await?;
            println!("migrations applied");
            Ok(())
        }
        Command::Volunteer(cmd) => tocsin::cli::volunteers::run(settings, cmd).await,
        Command::Zones(cmd) => tocsin::cli::zones::run(settings, cmd).await,
        Command::Places(cmd) => tocsin::cli::places::run(settings, cmd).await,
        Command::Mobilisations(cmd) => tocsin::cli::mobilisations::run(settings, cmd).await,
        Command::User(cmd) => tocsin::cli::users::run(settings, cmd).await,
        Command::Token(cmd) => tocsin::cli::tokens::run(settings, cmd).await,
        Command::Backup { file } => tocsin::cli::backup::run(settings, &file).await,
        Command::MigrateData { to } => tocsin::cli::migrate_data::run(settings, &to).await,
        Command::RotateKey { new_key_file } => tocsin::cli::rotate_key::run(settings, &new_key_file).await,
        Command::Bench(cmd) => tocsin::bench::run(cmd),
        // Run above, before the configuration is loaded.
        Command::Check | Command::Demo { .. } => Ok(()),
    }
}

async fn serve(settings: Settings) -> anyhow::Result<()> {
    let running = Running::start(settings).await?;
    tocsin::app::shutdown_signal().await;
    tracing::info!("shutting down");
    running.stop().await;
    Ok(())
}
