//! The wiring: builds the providers, starts the background tasks (intake's resume, dispatch,
//! follow, the outbox, the pager, reporters' news, retention) and the HTTP server. `main` and the tests
//! start it the same way, so tests exercise what operators run. The shared state itself is
//! `state::Core`.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::channels::signal::SignalClient;
use crate::channels::twilio::calls::{CallClient, CallParams};
use crate::channels::twilio::client::{TwilioClient, TwilioParams};
use crate::channels::Channels;
use crate::config::Settings;
pub use crate::state::{wait, Core, Shared, Shutdown};

/// Building the providers is wiring: the state knows nothing of Twilio or Signal.
impl Core {
    /// The providers configured for this instance.
    pub fn channels(&self) -> anyhow::Result<Channels> {
        let t = &self.settings.twilio;
        let senders = t.senders();
        let sms = match (&t.account_sid, &t.auth_token) {
            (Some(sid), Some(token)) if !senders.is_empty() => Some(TwilioClient::new(TwilioParams {
                api_base: t.api_base.clone(),
                account_sid: sid.clone(),
                auth_token: token.clone(),
                senders,
                status_callback: format!("{}/webhooks/twilio/status", self.settings.public_base()),
                validity_s: t.validity_s,
                timeout: Duration::from_secs(t.timeout_s),
                mps: t.mps,
            })?),
            _ => None,
        };
        // Calls go from our numbers only (a messaging service cannot call).
        let voice = match (&t.account_sid, &t.auth_token) {
            (Some(sid), Some(token)) if !t.from.is_empty() => Some(CallClient::new(CallParams {
                api_base: t.api_base.clone(),
                account_sid: sid.clone(),
                auth_token: token.clone(),
                numbers: t.from.clone(),
                public_base: self.settings.public_base().to_string(),
                timeout: Duration::from_secs(t.timeout_s),
                cps: t.cps,
            })?),
            _ => None,
        };
        Ok(Channels {
            sms,
            signal: self.signal_client()?,
            voice,
        })
    }

    pub fn signal_client(&self) -> anyhow::Result<Option<SignalClient>> {
        let s = &self.settings.signal;
        match (&s.rpc_url, &s.account) {
            (Some(url), Some(account)) => Ok(Some(
                SignalClient::new(url, account, Duration::from_secs(s.timeout_s))?.paced(s.mps),
            )),
            _ => Ok(None),
        }
    }
}

/// A started server: its address, and how to stop it.
pub struct Running {
    pub addr: SocketAddr,
    pub core: Shared,
    stop: watch::Sender<bool>,
    tasks: Vec<JoinHandle<()>>,
}

impl Running {
    /// Opens storage, starts the background tasks and serves HTTP on `http.bind`.
    pub async fn start(settings: Settings) -> anyhow::Result<Running> {
        let listener = tokio::net::TcpListener::bind(&settings.http.bind)
            .await
            .with_context(|| format!("binding http.bind {}", settings.http.bind))?;
        Running::start_on(settings, listener).await
    }

    /// The same on a listener bound beforehand (tests bind port 0 to learn the public URL).
    pub async fn start_on(settings: Settings, listener: tokio::net::TcpListener) -> anyhow::Result<Running> {
        Running::start_on_with(settings, listener, |_| axum::Router::new()).await
    }

    /// The same with more routes beside tocsin's own (the demo's phones panel).
    pub async fn start_on_with(
        settings: Settings,
        listener: tokio::net::TcpListener,
        extra: impl FnOnce(Shared) -> axum::Router,
    ) -> anyhow::Result<Running> {
        let core = Core::open(settings).await?;
        let database = crate::store::existing::shown(&core.settings.database.url);
        tracing::info!(%database, "database opened");
        let addr = listener.local_addr()?;
        let (stop, shutdown) = watch::channel(false);
        let mut tasks = Vec::new();
        // Bound before anything starts, so that a taken address stops the start.
        let metrics = match &core.settings.metrics.bind {
            Some(bind) => Some(
                tokio::net::TcpListener::bind(bind)
                    .await
                    .with_context(|| format!("binding metrics.bind {bind}"))?,
            ),
            None => None,
        };

        let channels = core.channels()?;
        if channels.sms.is_none() {
            tracing::warn!(
                "SMS is not configured (twilio.account_sid, twilio.auth_token, twilio.from or twilio.messaging_service_sid): SMS alerts stay queued until it is"
            );
        }
        if let Some(client) = core.signal_client()? {
            tasks.push(tokio::spawn(crate::intake::signal::run(
                core.clone(),
                Arc::new(client),
                shutdown.clone(),
            )));
        }
        let registry = crate::channels::Registry::from(channels);
        if !registry.is_empty() {
            tasks.push(tokio::spawn(crate::outbox::run(
                core.clone(),
                registry,
                shutdown.clone(),
            )));
        }
        // Its own providers' clients: reporters' news is not paced with alerts.
        let tell = core.channels()?;
        if core.settings.intake.tell_reporter && (tell.sms.is_some() || tell.signal.is_some()) {
            tasks.push(tokio::spawn(crate::intake::tell::run(
                core.clone(),
                tell,
                shutdown.clone(),
            )));
        }
        // Its own providers' clients too: a page never waits behind a fan-out.
        tasks.push(tokio::spawn(crate::oncall::run(
            core.clone(),
            core.channels()?,
            shutdown.clone(),
        )));
        if let Some(twilio) = crate::intake::recordings::client(&core)? {
            tasks.push(tokio::spawn(crate::intake::recordings::run(
                core.clone(),
                twilio,
                shutdown.clone(),
            )));
        }
        tasks.push(tokio::spawn(crate::intake::resume::run(
            core.clone(),
            shutdown.clone(),
        )));
        tasks.push(tokio::spawn(crate::dispatch::run(core.clone(), shutdown.clone())));
        tasks.push(tokio::spawn(crate::dispatch::follow::run(
            core.clone(),
            shutdown.clone(),
        )));
        tasks.push(tokio::spawn(crate::intake::retention::run(
            core.clone(),
            shutdown.clone(),
        )));
        if core.settings.api.token.is_none() {
            tracing::info!(
                "api.token is not set: the JSON API takes only tokens made with `tocsin token add`"
            );
        }

        let app = crate::web::router(core.clone(), shutdown.clone()).merge(extra(core.clone()));
        let mut http_shutdown = shutdown.clone();
        tasks.push(tokio::spawn(async move {
            // The peer address counts failed dashboard logins per address.
            let app = app.into_make_service_with_connect_info::<SocketAddr>();
            let serve = axum::serve(listener, app).with_graceful_shutdown(async move {
                let _ = http_shutdown.wait_for(|stop| *stop).await;
            });
            if let Err(e) = serve.await {
                tracing::error!(error = %e, "HTTP server stopped");
            }
        }));
        if let Some(listener) = metrics {
            let metrics_addr = listener.local_addr()?;
            let app = crate::web::metrics_only(core.clone());
            let mut stopping = shutdown.clone();
            tasks.push(tokio::spawn(async move {
                let serve = axum::serve(listener, app).with_graceful_shutdown(async move {
                    let _ = stopping.wait_for(|stop| *stop).await;
                });
                if let Err(e) = serve.await {
                    tracing::error!(error = %e, "metrics listener stopped");
                }
            }));
            tracing::info!(%metrics_addr, "metrics served without a token on metrics.bind");
        }
        tracing::info!(%addr, public_url = %core.settings.http.public_url, "tocsin is listening");
        Ok(Running {
            addr,
            core,
            stop,
            tasks,
        })
    }

    /// Asks every task to stop and waits for them: the outbox finishes its in-flight sends and
    /// records them before the database is closed.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        let s = &self.core.settings;
        let grace = Duration::from_secs(s.twilio.timeout_s.max(s.signal.timeout_s) + 10);
        for task in self.tasks {
            let _ = tokio::time::timeout(grace, task).await;
        }
        self.core.store.close().await;
    }
}

/// Waits for Ctrl-C or SIGTERM: how `serve` and `demo` are told to stop.
pub async fn shutdown_signal() {
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
