//! `tocsin user add|list|remove|unlock`: dashboard accounts.

use anyhow::{anyhow, bail, Context};

use super::UserCommand;
use crate::audit::Actor;
use crate::config::Settings;
use crate::oncall::duty::{parse_switch, set_duty, set_paging, Paging};

pub async fn run(settings: Settings, cmd: UserCommand) -> anyhow::Result<()> {
    let core = crate::cli::open::existing(settings).await?;
    match cmd {
        UserCommand::Add {
            name,
            role,
            phone,
            channel,
            lang,
        } => {
            let role = crate::domain::Role::parse(&role)
                .ok_or_else(|| anyhow!("--role: must be one of {}", crate::domain::Role::NAMES.join(", ")))?;
            let name = crate::accounts::parse_user_name(&name).map_err(|e| anyhow!("NAME: {e}"))?;
            let password = read_password(&name)?;
            let id = crate::accounts::add_user(&core, &name, role, &password).await?;
            if let Some(phone) = phone.as_deref() {
                let paging = Paging {
                    phone: Some(phone),
                    channel: &channel,
                    language: &lang,
                };
                if let Err(e) = set_paging(&core, &name, paging).await {
                    core.store.remove_user(&name).await?;
                    return Err(e);
                }
            }
            crate::audit::record(
                &core,
                &Actor::Cli,
                &format!("user_add {role}"),
                crate::audit::Subject::None,
                &name,
            )
            .await;
            println!("added {role} {name} (account {id})");
        }
        UserCommand::Phone {
            name,
            phone,
            channel,
            lang,
        } => {
            let phone = (!phone.eq_ignore_ascii_case("none")).then_some(phone.as_str());
            let paging = Paging {
                phone,
                channel: &channel,
                language: &lang,
            };
            set_paging(&core, &name, paging).await?;
            let action = if phone.is_some() {
                "user_phone"
            } else {
                "user_phone_removed"
            };
            crate::audit::record(&core, &Actor::Cli, action, crate::audit::Subject::None, &name).await;
            match phone {
                Some(_) => println!("{name} is paged on {channel}"),
                None => println!("{name} is no longer paged"),
            }
        }
        UserCommand::Duty { name, state } => {
            let on = parse_switch(&state)?;
            set_duty(&core, &name, on).await?;
            let action = if on { "duty_on" } else { "duty_off" };
            crate::audit::record(&core, &Actor::Cli, action, crate::audit::Subject::None, &name).await;
            println!("{name} is {} duty", if on { "on" } else { "off" });
        }
        UserCommand::List => {
            let now = crate::store::now_ms();
            let paged: std::collections::HashMap<i64, _> = core
                .store
                .dispatchers()
                .await?
                .into_iter()
                .map(|d| (d.id, d))
                .collect();
            for u in core.store.users().await? {
                // The number's last two digits only: enough to tell phones apart.
                let paging = match paged.get(&u.id) {
                    Some(d) => {
                        let phone = d.phone.as_deref().unwrap_or_default();
                        let tail: String = phone
                            .chars()
                            .skip(phone.chars().count().saturating_sub(2))
                            .collect();
                        let on = crate::oncall::duty::is_on_duty(&core, &d.name, d.on_duty, d.duty_set_at);
                        let duty = if on { "on duty" } else { "off duty" };
                        format!("\tpaged by {} on ...{tail}, {duty}", d.channel)
                    }
                    None => "\tno phone".to_string(),
                };
                let locked = match u.locked_until.filter(|_| u.locked_at(now)) {
                    Some(until) => format!(
                        "\tlocked for {} more minutes",
                        ((until - now).max(0) as u64).div_ceil(60_000)
                    ),
                    None => String::new(),
                };
                println!("{}\t{}\t{}{locked}{paging}", u.id, u.name, u.role);
            }
        }
        UserCommand::Unlock { name } => {
            if !core.store.unlock_user(&name).await? {
                bail!("NAME: no account named {name}");
            }
            crate::audit::record(
                &core,
                &Actor::Cli,
                "user_unlock",
                crate::audit::Subject::None,
                &name,
            )
            .await;
            println!("unlocked {name}");
        }
        UserCommand::Remove { name } => {
            if !core.store.remove_user(&name).await? {
                bail!("no account named {name}");
            }
            crate::audit::record(
                &core,
                &Actor::Cli,
                "user_remove",
                crate::audit::Subject::None,
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
    crate::accounts::check_password(&password).map_err(|e| anyhow!("password: {e}"))?;
    Ok(password)
}
