//! The running application: shared state, the background tasks, and the HTTP server.
//! `main` and the tests start it the same way, so tests exercise what operators run.

use std::net::SocketAddr;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use anyhow::Context;
use tokio::sync::{watch, Notify};
use tokio::task::JoinHandle;

use crate::channels::twilio::client::{TwilioClient, TwilioParams};
use crate::config::Settings;
use crate::crypto::Vault;
use crate::geo::{Area, AreaIndex};
use crate::store::Store;

/// What every step of the flow shares. Cheap to clone (`Arc`).
pub struct Core {
    pub settings: Settings,
    pub store: Store,
    pub vault: Vault,
    /// Every alertable volunteer's home area; updated after each change is committed.
    pub index: RwLock<AreaIndex>,
    /// Wakes the dispatcher (new verified incident, closed incident).
    pub dispatch_wake: Notify,
    /// Wakes the outbox worker (new deliveries).
    pub outbox_wake: Notify,
    /// What changed, for live views.
    pub events: crate::events::Bus,
    /// The volunteer table's version the index was built from (see `refresh_index`).
    index_version: std::sync::Mutex<(i64, i64)>,
}

pub type Shared = Arc<Core>;

/// Flips to true once to ask every task to stop.
pub type Shutdown = watch::Receiver<bool>;

impl Core {
    pub async fn open(settings: Settings) -> anyhow::Result<Shared> {
        let vault = Vault::load(&settings.crypto)?;
        let store = Store::connect(&settings.database.url, settings.database.max_connections).await?;
        store.migrate().await?;
        let core = Arc::new(Core {
            settings,
            store,
            vault,
            index: RwLock::new(AreaIndex::new()),
            dispatch_wake: Notify::new(),
            outbox_wake: Notify::new(),
            events: crate::events::Bus::new(),
            index_version: std::sync::Mutex::new((-1, -1)),
        });
        core.refresh_index().await?;
        Ok(core)
    }

    /// Rebuilds the geofence index when the volunteer table changed since it was built, so
    /// that changes made elsewhere (the CLI, another instance) are seen within a dispatcher pass.
    pub async fn refresh_index(&self) -> anyhow::Result<()> {
        let version = self.store.volunteers_version().await?;
        if *self.index_version.lock().unwrap_or_else(|e| e.into_inner()) == version {
            return Ok(());
        }
        let rows = self.store.alertable_areas().await?;
        let mut items = Vec::with_capacity(rows.len());
        for (id, json) in rows {
            match serde_json::from_str(&json)
                .ok()
                .and_then(|v| Area::from_json(&v).ok())
            {
                Some(area) => items.push((id, area)),
                None => tracing::error!(
                    volunteer_id = id,
                    "stored home area is unreadable; volunteer not alertable"
                ),
            }
        }
        let index = AreaIndex::build(items);
        tracing::info!(volunteers = index.len(), "geofence index built");
        *self.index.write().unwrap_or_else(|e| e.into_inner()) = index;
        *self.index_version.lock().unwrap_or_else(|e| e.into_inner()) = version;
        Ok(())
    }

    pub fn index_set(&self, id: i64, area: Option<Area>) {
        let mut index = self.index.write().unwrap_or_else(|e| e.into_inner());
        match area {
            Some(area) => index.replace(id, vec![area]),
            None => {
                index.remove(id);
            }
        }
    }

    pub fn targets(&self, lat: f64, lon: f64) -> Vec<i64> {
        self.index
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .matching(lat, lon)
    }

    /// The Twilio client, when SMS is configured.
    pub fn twilio(&self) -> anyhow::Result<Option<TwilioClient>> {
        let t = &self.settings.twilio;
        let (Some(sid), Some(token), Some(from)) = (&t.account_sid, &t.auth_token, &t.from) else {
            return Ok(None);
        };
        TwilioClient::new(TwilioParams {
            api_base: t.api_base.clone(),
            account_sid: sid.clone(),
            auth_token: token.clone(),
            from: from.clone(),
            status_callback: format!("{}/webhooks/twilio/status", self.settings.public_base()),
            validity_s: t.validity_s,
            timeout: Duration::from_secs(t.timeout_s),
        })
        .map(Some)
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
        let core = Core::open(settings).await?;
        let addr = listener.local_addr()?;
        let (stop, shutdown) = watch::channel(false);
        let mut tasks = Vec::new();

        tasks.push(tokio::spawn(crate::dispatch::run(core.clone(), shutdown.clone())));
        tasks.push(tokio::spawn(crate::intake::retention::run(
            core.clone(),
            shutdown.clone(),
        )));
        match core.twilio()? {
            Some(client) => {
                tasks.push(tokio::spawn(crate::outbox::run(core.clone(), Arc::new(client), shutdown.clone())));
            }
            None => tracing::warn!(
                "SMS is not configured (twilio.account_sid, twilio.auth_token, twilio.from): alerts stay queued until it is"
            ),
        }
        if core.settings.api.token.is_none() {
            tracing::warn!("api.token is not set: the JSON API refuses every request");
        }

        let app = crate::web::router(core.clone(), shutdown.clone());
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
        tracing::info!(%addr, public_url = %core.settings.http.public_url, "tocsin is listening");
        Ok(Running {
            addr,
            core,
            stop,
            tasks,
        })
    }

    /// Asks every task to stop and waits for them.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        for task in self.tasks {
            let _ = tokio::time::timeout(Duration::from_secs(10), task).await;
        }
        self.core.store.close().await;
    }
}

/// Sleeps until woken, `poll` passes, or shutdown; returns false on shutdown.
pub async fn wait(wake: &Notify, poll: Duration, shutdown: &mut Shutdown) -> bool {
    if *shutdown.borrow() {
        return false;
    }
    tokio::select! {
        _ = wake.notified() => true,
        _ = tokio::time::sleep(poll) => true,
        _ = shutdown.changed() => false,
    }
}
