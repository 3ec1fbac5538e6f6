//! The demo's phones panel in headless Chromium at a phone's size and a laptop's: signed in
//! with the printed login, a text sent from the form shows in its phone's conversation with
//! tocsin's answer, and nothing is wider than the window.

use std::time::Duration;

use crate::binary_demo::start_demo;
use crate::browser_sizes::SIZES;
use crate::webdriver::Browser;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_phones_panel_works_at_both_sizes() {
    let demo = start_demo(&["--no-script"], Duration::from_secs(30));
    let browser = Browser::start().await;
    browser.goto(&format!("{}/login", demo.base)).await;
    browser.type_in("#username", &demo.user).await;
    browser.type_in("#password", &demo.password).await;
    browser.click("button[type=submit]").await;
    browser.find("#queue").await;

    for (n, (size, width, height)) in SIZES.into_iter().enumerate() {
        browser.resize(width, height).await;
        browser.goto(&format!("{}/demo/phones", demo.base)).await;
        browser.find("#text").await;
        let word = ["STATUS", "HELP"][n];
        browser.type_in("#body", word).await;
        browser.click("#text button[type=submit]").await;
        // Redirected back: the first conversation is the newest, the text and the answer in it.
        let shown = browser
            .wait_text("details", "the text and its answer", |t| {
                t.contains(word) && t.matches("from tocsin").count() > n
            })
            .await;
        assert!(shown.contains("+12135550100"), "{size}: the first phone: {shown}");
        let fits = browser
            .js("return document.documentElement.scrollWidth <= window.innerWidth")
            .await;
        assert_eq!(
            fits,
            serde_json::Value::Bool(true),
            "{size}: nothing wider than the window"
        );
        browser
            .screenshot_at(&format!("demo-phones-{size}"), width, height)
            .await;
    }
    browser.quit().await;
}
