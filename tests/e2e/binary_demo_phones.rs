//! The demo's phones panel through the real binary (`tocsin demo --no-script`): only for a
//! signed-in session, its form only with that session's CSRF token; texting the hotline as a
//! new number or as a simulated volunteer shows the conversation, tocsin's answers included,
//! with every text escaped.

use std::time::Duration;

use reqwest::StatusCode;

use crate::binary_demo::start_demo;
use crate::dashboard_http::{client, hidden, login_at, set_cookie};

const STRANGER: &str = "+14155550142";
/// The first simulated volunteer (an SMS or Signal phone, English or not).
const VOLUNTEER: &str = "+12135550100";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_phones_panel_shows_conversations_and_texts_as_any_phone() {
    let demo = start_demo(&["--no-script"], Duration::from_secs(30));
    let http = client();
    let page_url = format!("{}/demo/phones", demo.base);

    let resp = http.get(&page_url).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::SEE_OTHER, "no session, no panel");
    assert_eq!(resp.headers()["location"], "/login");

    let resp = login_at(&demo.base, &http, &demo.user, &demo.password).await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let (cookie, _) = set_cookie(&resp, "tocsin_session").expect("session cookie");

    let resp = http
        .get(&page_url)
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let csp = resp.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(csp.contains("default-src 'none'"), "{csp}");
    let html = resp.text().await.unwrap();
    assert!(
        html.contains(&format!("<option value=\"{VOLUNTEER}\">")),
        "every volunteer can be texted as"
    );
    assert_eq!(
        html.matches("<option value=").count(),
        200,
        "the 200 simulated volunteers"
    );
    let csrf = hidden(&html, "csrf");

    let post = |fields: Vec<(&'static str, String)>| {
        let (http, url, cookie) = (http.clone(), page_url.clone(), cookie.clone());
        async move {
            http.post(url)
                .header("cookie", cookie)
                .form(&fields)
                .send()
                .await
                .unwrap()
        }
    };
    let raid = "<b>ICE</b> raid at 34.0617, -118.3005".to_string();
    let resp = post(vec![
        ("from", VOLUNTEER.into()),
        ("new_from", STRANGER.into()),
        ("body", raid.clone()),
    ])
    .await;
    assert_eq!(resp.status(), StatusCode::FORBIDDEN, "no CSRF token, no text");

    let resp = post(vec![
        ("csrf", csrf.clone()),
        ("from", VOLUNTEER.into()),
        ("new_from", "12".into()),
        ("body", "hello".into()),
    ])
    .await;
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        resp.text().await.unwrap().contains("from: "),
        "the field is named"
    );

    let resp = post(vec![
        ("csrf", csrf.clone()),
        ("from", VOLUNTEER.into()),
        ("new_from", STRANGER.into()),
        ("body", raid.clone()),
    ])
    .await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER, "texted as a new number");

    let resp = post(vec![
        ("csrf", csrf.clone()),
        ("from", VOLUNTEER.into()),
        ("new_from", String::new()),
        ("body", "STATUS".into()),
    ])
    .await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER, "texted as a volunteer");

    // The volunteer's answer comes at once by SMS, or through the Signal bridge a moment later.
    let mut html = String::new();
    let deadline = std::time::Instant::now() + Duration::from_secs(15);
    while std::time::Instant::now() < deadline {
        html = http
            .get(&page_url)
            .header("cookie", &cookie)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        if html.matches("from tocsin").count() >= 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    assert!(html.contains(&format!("{STRANGER} (not a volunteer)")), "{html}");
    assert!(
        html.contains("&#60;b&#62;ICE&#60;/b&#62; raid") || html.contains("&lt;b&gt;ICE&lt;/b&gt; raid"),
        "the text, escaped: {html}"
    );
    assert!(!html.contains("<b>ICE</b>"), "never raw");
    assert!(html.contains("STATUS"));
    assert!(
        html.matches("from tocsin").count() >= 2,
        "tocsin answered both phones: {html}"
    );
    assert!(
        html.contains(&format!("<option value=\"{STRANGER}\">")),
        "the new number can be texted as again"
    );
}
