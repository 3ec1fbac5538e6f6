//! Who can be paged, as the CLI and the dashboard set it: an account's phone, channel and
//! language, and its on-duty switch. Checked here once for every edge.

use anyhow::{anyhow, bail};

use crate::domain::{Channel, Language, Phone};
use crate::state::Core;
use crate::store::StoreError;

/// How an account is paged.
pub struct Paging<'a> {
    /// A number in any common form (E.164 once stored); None takes the phone away.
    pub phone: Option<&'a str>,
    pub channel: &'a str,
    pub language: &'a str,
}

/// Gives the account its phone, channel and language; errors name the field and the reason.
pub async fn set_paging(core: &Core, name: &str, paging: Paging<'_>) -> anyhow::Result<()> {
    let channel = Channel::parse(paging.channel)
        .filter(|c| Channel::ALL.contains(c))
        .ok_or_else(|| anyhow!("--channel: must be one of {}", Channel::TEXT_NAMES.join(", ")))?;
    let language = Language::parse(paging.language).ok_or_else(|| {
        let codes: Vec<&str> = Language::all().into_iter().map(|l| l.as_str()).collect();
        anyhow!("--lang: must be one of {}", codes.join(", "))
    })?;
    let phone = match paging.phone {
        Some(text) => Some(
            Phone::parse(text)
                .map_err(|e| anyhow!("PHONE: {e}"))?
                .e164()
                .to_string(),
        ),
        None => None,
    };
    if channel == Channel::Signal && !core.settings.signal_ready() {
        tracing::warn!("--channel signal: signal.rpc_url is not set, pages to this account wait until it is");
    }
    match core
        .store
        .set_user_phone(name, phone.as_deref(), channel, language)
        .await
    {
        Ok(true) => Ok(()),
        Ok(false) => bail!("NAME: no account named {name}"),
        Err(StoreError::Conflict(_)) => bail!("PHONE: another account has this number"),
        Err(e) => Err(e.into()),
    }
}

/// Turns the account's on-duty switch on or off.
pub async fn set_duty(core: &Core, name: &str, on: bool) -> anyhow::Result<()> {
    let Some(d) = core.store.dispatcher_named(name).await? else {
        bail!("NAME: no account named {name}");
    };
    if on && d.phone.is_none() {
        bail!("NAME: {name} has no phone to be paged on (tocsin user phone {name} +1...)");
    }
    core.store.set_user_duty(d.id, on).await?;
    Ok(())
}

/// `on` or `off`, as typed.
pub fn parse_switch(text: &str) -> anyhow::Result<bool> {
    match text.trim().to_ascii_lowercase().as_str() {
        "on" => Ok(true),
        "off" => Ok(false),
        _ => bail!("STATE: must be on or off"),
    }
}

/// Whether the account is on duty now: its switch, or a shift of `oncall.schedule`.
pub fn is_on_duty(core: &Core, name: &str, switch: bool, set_at: Option<i64>) -> bool {
    let schedule = core.settings.oncall.schedule_of(name);
    super::schedule::on_duty(
        switch,
        set_at,
        schedule.as_ref(),
        &core.settings.network.tz(),
        crate::store::now_ms(),
    )
}
