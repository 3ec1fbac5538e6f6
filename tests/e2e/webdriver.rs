//! A headless Chromium driven over the W3C WebDriver protocol (Debian's `chromium` and
//! `chromium-driver`). The protocol is a handful of JSON calls, so this speaks it with reqwest
//! rather than pulling in a WebDriver crate. Missing browser or driver: the test fails, with
//! the command that installs them.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine;
use serde_json::{json, Value};

const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const CHROMIUM: &str = "/usr/bin/chromium";
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";
/// Longest wait for anything to show up on a page.
pub const WAIT: Duration = Duration::from_secs(20);

pub struct Browser {
    driver: Child,
    base: String,
    http: reqwest::Client,
    _profile: tempfile::TempDir,
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

impl Browser {
    pub async fn start() -> Browser {
        for path in [CHROMEDRIVER, CHROMIUM] {
            assert!(
                std::path::Path::new(path).exists(),
                "{path} is missing: the browser tests need `apt-get install -y chromium chromium-driver` (.ci/run does it)"
            );
        }
        let port = free_port();
        let driver = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let base = format!("http://127.0.0.1:{port}");
        let http = reqwest::Client::new();
        let start = Instant::now();
        loop {
            let ready = http.get(format!("{base}/status")).send().await.ok();
            if let Some(r) = ready {
                let v: Value = r.json().await.unwrap_or(Value::Null);
                if v["value"]["ready"] == true {
                    break;
                }
            }
            assert!(start.elapsed() < WAIT, "chromedriver did not become ready");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let profile = tempfile::tempdir().expect("profile dir");
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": CHROMIUM,
                "args": [
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--no-first-run", "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--window-size=1280,900",
                    format!("--user-data-dir={}", profile.path().display()),
                ]
            }
        }}});
        let mut browser = Browser {
            driver,
            base,
            http,
            _profile: profile,
        };
        let v = browser.call(reqwest::Method::POST, "/session", Some(caps)).await;
        let id = v["sessionId"].as_str().expect("a WebDriver session").to_string();
        browser.base = format!("{}/session/{id}", browser.base);
        browser
    }

    async fn call(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        self.try_call(method, path, body)
            .await
            .unwrap_or_else(|e| panic!("WebDriver {path}: {e}"))
    }

    async fn try_call(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> Result<Value, String> {
        let mut req = self.http.request(method, format!("{}{path}", self.base));
        if let Some(body) = body {
            req = req.json(&body);
        }
        let resp = req.send().await.map_err(|e| e.to_string())?;
        let ok = resp.status().is_success();
        let v: Value = resp.json().await.map_err(|e| e.to_string())?;
        if ok {
            Ok(v["value"].clone())
        } else {
            Err(v["value"].to_string())
        }
    }

    pub async fn goto(&self, url: &str) {
        self.call(reqwest::Method::POST, "/url", Some(json!({ "url": url })))
            .await;
    }

    /// Logs in on the dashboard at `base` and waits for the queue.
    pub async fn log_in(&self, base: &str, name: &str, password: &str) {
        self.goto(&format!("{base}/login")).await;
        self.type_in("#username", name).await;
        self.type_in("#password", password).await;
        self.click("button[type=submit]").await;
        self.find("#queue").await;
    }

    pub async fn url(&self) -> String {
        self.call(reqwest::Method::GET, "/url", None)
            .await
            .as_str()
            .unwrap_or("")
            .to_string()
    }

    async fn find_now(&self, css: &str) -> Option<String> {
        let v = self
            .try_call(
                reqwest::Method::POST,
                "/element",
                Some(json!({"using": "css selector", "value": css})),
            )
            .await
            .ok()?;
        v[ELEMENT].as_str().map(str::to_string)
    }

    /// Waits until an element matches `css`.
    pub async fn find(&self, css: &str) -> String {
        let start = Instant::now();
        loop {
            if let Some(id) = self.find_now(css).await {
                return id;
            }
            assert!(start.elapsed() < WAIT, "no element {css} on {}", self.url().await);
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    pub async fn click(&self, css: &str) {
        let id = self.find(css).await;
        self.call(
            reqwest::Method::POST,
            &format!("/element/{id}/click"),
            Some(json!({})),
        )
        .await;
    }

    pub async fn type_in(&self, css: &str, text: &str) {
        let id = self.find(css).await;
        self.call(
            reqwest::Method::POST,
            &format!("/element/{id}/clear"),
            Some(json!({})),
        )
        .await;
        self.call(
            reqwest::Method::POST,
            &format!("/element/{id}/value"),
            Some(json!({ "text": text })),
        )
        .await;
    }

    /// Sends keys to an element without clearing it first (`\u{E015}` arrow down,
    /// `\u{E007}` Enter).
    pub async fn press(&self, css: &str, keys: &str) {
        let id = self.find(css).await;
        self.call(
            reqwest::Method::POST,
            &format!("/element/{id}/value"),
            Some(json!({ "text": keys })),
        )
        .await;
    }

    /// Runs a script in the page (the test's own, not the page's: CSP binds the page only).
    pub async fn js(&self, script: &str) -> Value {
        self.call(
            reqwest::Method::POST,
            "/execute/sync",
            Some(json!({"script": script, "args": []})),
        )
        .await
    }

    /// The text of the first element matching `css` ("" when there is none).
    pub async fn text(&self, css: &str) -> String {
        let script = format!(
            "var e = document.querySelector({}); return e ? e.textContent : '';",
            json!(css)
        );
        self.js(&script).await.as_str().unwrap_or("").to_string()
    }

    /// Waits until the text of `css` satisfies `pred`, without reloading the page.
    pub async fn wait_text(&self, css: &str, what: &str, pred: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let text = self.text(css).await;
            if pred(&text) {
                return text;
            }
            assert!(
                start.elapsed() < WAIT,
                "{css} never showed {what}; last: {text:?} on {}",
                self.url().await
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// True when a JavaScript dialog (alert) is open: what an XSS would do first.
    pub async fn alert_open(&self) -> bool {
        self.try_call(reqwest::Method::GET, "/alert/text", None)
            .await
            .is_ok()
    }

    /// How long `goto` waits for a page to load before failing (WebDriver's default: 300 s).
    pub async fn page_load_timeout(&self, limit: Duration) {
        let ms = u64::try_from(limit.as_millis()).unwrap_or(u64::MAX);
        self.call(
            reqwest::Method::POST,
            "/timeouts",
            Some(json!({ "pageLoad": ms })),
        )
        .await;
    }

    /// Sets the page's viewport to this size (a phone is 390 x 844): the window is made larger
    /// by whatever its own frame takes, so that pages are laid out (and shot) at that size.
    pub async fn resize(&self, width: u32, height: u32) {
        let set = |w: i64, h: i64| {
            self.call(
                reqwest::Method::POST,
                "/window/rect",
                Some(json!({"width": w, "height": h})),
            )
        };
        let (w, h) = (i64::from(width), i64::from(height));
        set(w, h).await;
        let inner = self.js("return [window.innerWidth, window.innerHeight]").await;
        let (iw, ih) = (inner[0].as_i64().unwrap_or(w), inner[1].as_i64().unwrap_or(h));
        if (iw, ih) != (w, h) {
            set(2 * w - iw, 2 * h - ih).await;
        }
    }

    /// Saves a PNG of the page at this viewport size when `TOCSIN_SCREENSHOTS` names a folder
    /// (the README's screenshots are taken this way, by `screenshots.rs`).
    pub async fn screenshot_at(&self, name: &str, width: u32, height: u32) {
        let Ok(dir) = std::env::var("TOCSIN_SCREENSHOTS") else {
            return;
        };
        self.resize(width, height).await;
        let v = self.call(reqwest::Method::GET, "/screenshot", None).await;
        let png = base64::engine::general_purpose::STANDARD
            .decode(v.as_str().unwrap_or(""))
            .expect("a PNG");
        std::fs::create_dir_all(&dir).expect("screenshot folder");
        std::fs::write(format!("{dir}/{name}.png"), png).expect("screenshot written");
    }

    pub async fn quit(mut self) {
        let _ = self.try_call(reqwest::Method::DELETE, "", None).await;
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.driver.kill();
    }
}
