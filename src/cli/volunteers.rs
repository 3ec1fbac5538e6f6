//! `tocsin volunteer add|list|remove|roles|call`: the roster, straight in the database.

use anyhow::{anyhow, bail, Context};
use serde_json::json;

use super::{AddVolunteer, VolunteerCommand};
use crate::audit::Actor;
use crate::config::Settings;
use crate::domain::{CallWhen, Language, Phone, Reach, SignalId};
use crate::roster::{self, HomeArea, Signup};
use crate::state::Core;

pub async fn run(settings: Settings, cmd: VolunteerCommand) -> anyhow::Result<()> {
    let core = crate::cli::open::existing(settings).await?;
    match cmd {
        VolunteerCommand::Add(add) => {
            let call = call_when(&add.call, "--call")?;
            let signup = signup(&core, *add)?;
            let id = roster::add(&core, &Actor::Cli, signup).await?;
            if call != CallWhen::Never {
                roster::set_call(&core, &Actor::Cli, id, call).await?;
            }
            println!("added volunteer {id}");
        }
        VolunteerCommand::Call { id, when } => {
            let call = call_when(&when, "WHEN")?;
            if !roster::set_call(&core, &Actor::Cli, id, call).await? {
                bail!("no volunteer {id}");
            }
            println!("volunteer {id}: calls {call}");
        }
        VolunteerCommand::List => {
            for v in core.store.volunteers().await? {
                let last4 = roster::last4(&v.phone);
                let roles = if v.roles.is_empty() { "-" } else { v.roles.as_str() };
                // Joiners not yet approved say so (pending or unvetted).
                let standing = match v.standing.vetted() {
                    true => String::new(),
                    false => format!("\t{}", v.standing),
                };
                // Calls shown only when chosen: `calls:night`.
                let calls = match v.call {
                    CallWhen::Never => String::new(),
                    call => format!("+calls:{call}"),
                };
                println!(
                    "{}\t{}\t…{}\t{}\t{}{calls}\t{}\t{}{}{standing}",
                    v.id,
                    v.name,
                    last4,
                    v.language,
                    v.channel,
                    if v.trusted { "trusted" } else { "-" },
                    roles,
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
        VolunteerCommand::Roles { id, verifier, drill } => {
            let roles = roster::roles_of(&core, verifier, drill);
            if !roster::set_roles(&core, &Actor::Cli, id, &roles).await? {
                bail!("no volunteer {id}");
            }
            println!(
                "volunteer {id}: roles {}",
                if roles.is_empty() {
                    "none".into()
                } else {
                    roles.join(",")
                }
            );
        }
    }
    core.store.close().await;
    Ok(())
}

fn signup(core: &Core, add: AddVolunteer) -> anyhow::Result<Signup> {
    let name = roster::parse_name(&add.name).map_err(|e| anyhow!("--name: {e}"))?;
    let phone = Phone::parse(&add.phone).map_err(|e| anyhow!("--phone: {e}"))?;
    let language = Language::parse(&add.language)
        .ok_or_else(|| anyhow!("--language: must be one of {}", Language::codes().join(", ")))?;
    let area_json = match (add.lat, add.lon, add.radius_m, &add.area_file, &add.zone) {
        (Some(lat), Some(lon), Some(radius_m), None, None) => {
            json!({"type": "circle", "lat": lat, "lon": lon, "radius_m": radius_m})
        }
        (None, None, None, None, Some(zone)) => json!({"type": "zone", "zone": zone}),
        (None, None, None, Some(file), None) => {
            let text =
                std::fs::read_to_string(file).with_context(|| format!("--area-file {}", file.display()))?;
            serde_json::from_str(&text)
                .with_context(|| format!("--area-file {}: not JSON", file.display()))?
        }
        _ => bail!("give one home area: a circle (--lat, --lon, --radius-m), --zone or --area-file"),
    };
    let area = HomeArea::from_json(core, &area_json).map_err(|e| anyhow!("{e}"))?;
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
        roles: roster::roles_of(core, add.verifier, add.drill),
        signal_id,
    })
}

/// `never`, `night` or `always`; the error names the argument.
fn call_when(text: &str, arg: &str) -> anyhow::Result<CallWhen> {
    CallWhen::parse(text.trim())
        .ok_or_else(|| anyhow!("{arg}: must be one of {}", CallWhen::NAMES.join(", ")))
}
