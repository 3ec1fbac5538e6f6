//! `tocsin-fake-twilio`: the fake Twilio for local demos.
//! - `serve` runs the fake REST API on 127.0.0.1 until killed, logging each request to stderr.
//! - `sms` posts one signed inbound SMS webhook (as Twilio would) and prints status and body.

use std::io::IsTerminal;
use std::time::Duration;

use clap::{Parser, Subcommand, ValueEnum};
use tocsin_fakes::{FakeTwilio, FakeTwilioConfig, InboundSender, Signing};

#[derive(Parser)]
#[command(
    name = "tocsin-fake-twilio",
    about = "Local fake of Twilio for tocsin demos and tests"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the fake Twilio REST API on 127.0.0.1.
    Serve {
        #[arg(long, default_value_t = 0)]
        port: u16,
        #[arg(long)]
        account_sid: String,
        #[arg(long)]
        auth_token: String,
        /// One of our Twilio numbers (repeatable).
        #[arg(long = "number", required = true)]
        numbers: Vec<String>,
        #[arg(long)]
        messaging_service_sid: Option<String>,
        #[arg(long, default_value_t = 20)]
        callback_delay_ms: u64,
        #[arg(long, default_value_t = 4)]
        max_concurrent: usize,
        #[arg(long)]
        max_mps: Option<u32>,
        /// The SMS webhook the numbers (and the messaging service) point at, as `tocsin check`
        /// reads it: tocsin's `http.public_url` + `/webhooks/twilio/sms`.
        #[arg(long, default_value = "")]
        sms_url: String,
    },
    /// Post one inbound SMS webhook, signed like Twilio, and print the answer.
    Sms {
        /// The webhook URL exactly as configured in Twilio (it is what gets signed).
        #[arg(long)]
        url: String,
        #[arg(long)]
        auth_token: String,
        #[arg(long)]
        account_sid: String,
        #[arg(long)]
        from: String,
        #[arg(long)]
        to: String,
        #[arg(long)]
        body: String,
        /// Reuse a MessageSid to simulate a redelivery.
        #[arg(long)]
        message_sid: Option<String>,
        #[arg(long, value_enum, default_value_t = SigningArg::Valid)]
        signing: SigningArg,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum SigningArg {
    Valid,
    Missing,
    Wrong,
    Tampered,
}

impl From<SigningArg> for Signing {
    fn from(arg: SigningArg) -> Self {
        match arg {
            SigningArg::Valid => Signing::Valid,
            SigningArg::Missing => Signing::Missing,
            SigningArg::Wrong => Signing::Wrong,
            SigningArg::Tampered => Signing::Tampered,
        }
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                // The per-request lines (SIDs and codes, never numbers or texts) are debug.
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,tocsin_fakes=debug")),
        )
        .init();

    match Cli::parse().command {
        Command::Serve {
            port,
            account_sid,
            auth_token,
            numbers,
            messaging_service_sid,
            callback_delay_ms,
            max_concurrent,
            max_mps,
            sms_url,
        } => {
            let numbers: Vec<&str> = numbers.iter().map(String::as_str).collect();
            let mut config = FakeTwilioConfig::new(&account_sid, &auth_token, &numbers);
            config.messaging_service_sid = messaging_service_sid;
            config.callback_delay = Duration::from_millis(callback_delay_ms);
            config.max_concurrent = max_concurrent;
            config.max_mps = max_mps;
            config.sms_url = sms_url;
            let fake = FakeTwilio::start_on(config, port).await?;
            // stdout, so scripts can read the port; logs go to stderr.
            println!("listening on {}", fake.base_url());
            tokio::signal::ctrl_c().await?;
            Ok(())
        }
        Command::Sms {
            url,
            auth_token,
            account_sid,
            from,
            to,
            body,
            message_sid,
            signing,
        } => {
            let sender = InboundSender::new(&account_sid, &auth_token, None)?;
            let reply = sender
                .send(&url, &from, &to, &body, message_sid.as_deref(), signing.into())
                .await?;
            println!(
                "HTTP {} ({})",
                reply.status,
                reply.content_type.as_deref().unwrap_or("no content type")
            );
            println!("{}", reply.body);
            Ok(())
        }
    }
}
