//! Dashboard roles match the risk (issue 11): dispatchers see who waits for approval, but only
//! admins approve, reject, trust, set roles and remove (403 when a dispatcher posts it anyway);
//! a dispatcher adding a number already on the roster is answered as for a new one, and the
//! admins find it in the audit log. Plus the pending list in a real browser, phone and desktop.

use reqwest::StatusCode;
use serde_json::{json, Value};
use tocsin::domain::Role;

use crate::dashboard_http::{client, hidden, login, set_cookie};
use crate::helpers::{spawn_app_with, Backend, TestApp};
use crate::lifecycle::{neighbour, phone};
use crate::on_both_backends;
use crate::vetting::{audited, join, listed, JOINER};
use crate::webdriver::Browser;

const PASSWORD: &str = "correct horse battery";

/// A signed-in user: their session cookie and CSRF token.
struct Session {
    cookie: String,
    csrf: String,
}

async fn sign_in(app: &TestApp, http: &reqwest::Client, name: &str, role: Role) -> Session {
    tocsin::accounts::add_user(app.core(), name, role, PASSWORD)
        .await
        .expect("account added");
    let resp = login(app, http, name, PASSWORD).await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER, "{name} logs in");
    let (cookie, _) = set_cookie(&resp, "tocsin_session").expect("session cookie");
    let page = http
        .get(format!("{}/volunteers", app.base))
        .header("cookie", &cookie)
        .send()
        .await
        .expect("page");
    let csrf = hidden(&page.text().await.expect("html"), "csrf");
    Session { cookie, csrf }
}

/// Posts a form as `who`: (status, Location header, body).
async fn post(
    app: &TestApp,
    http: &reqwest::Client,
    who: &Session,
    path: &str,
    fields: &[(&str, &str)],
) -> (StatusCode, String, String) {
    let mut form: Vec<(&str, &str)> = vec![("csrf", who.csrf.as_str())];
    form.extend_from_slice(fields);
    let resp = http
        .post(format!("{}{path}", app.base))
        .header("cookie", &who.cookie)
        .form(&form)
        .send()
        .await
        .expect("answered");
    let status = resp.status();
    let location = resp
        .headers()
        .get("location")
        .and_then(|l| l.to_str().ok())
        .unwrap_or("")
        .to_string();
    (status, location, resp.text().await.unwrap_or_default())
}

async fn page(app: &TestApp, http: &reqwest::Client, who: &Session, path: &str) -> String {
    let resp = http
        .get(format!("{}{path}", app.base))
        .header("cookie", &who.cookie)
        .send()
        .await
        .expect("page");
    assert_eq!(resp.status(), StatusCode::OK, "{path}");
    resp.text().await.expect("html")
}

async fn volunteer(app: &TestApp, id: i64) -> Value {
    let (status, body) = app.get(&format!("/volunteers/{id}")).await;
    assert_eq!(status, 200, "{body}");
    body
}

/// The save form as a browser sends it: disabled checkboxes (trust, roles for a dispatcher)
/// are not sent at all.
fn save<'a>(name: &'a str, extra: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut form = vec![
        ("action", "save"),
        ("name", name),
        ("language", "en"),
        ("channel", "sms"),
    ];
    form.extend_from_slice(extra);
    form
}

async fn only_admins_approve_reject_trust_set_roles_and_remove(backend: Backend) {
    let app = spawn_app_with(backend, |_| {}).await;
    let http = client();
    let maria = sign_in(&app, &http, "maria", Role::Dispatcher).await;
    let ada = sign_in(&app, &http, "ada", Role::Admin).await;
    let ann = neighbour(&app, 1, 0.0, &["verifier"]).await;
    join(&app, JOINER).await;
    let joiner = listed(&app, JOINER).await.expect("joined")["id"]
        .as_i64()
        .expect("id");

    // Dispatchers see who waits, without the buttons.
    let list = page(&app, &http, &maria, "/volunteers").await;
    assert!(
        list.contains(&format!("id=\"waiting-{joiner}\""))
            && list.contains("Only an admin can approve or reject"),
        "{list}"
    );
    assert!(
        !list.contains(&format!("id=\"approve-{joiner}\"")),
        "no approve button for dispatchers"
    );
    let form = page(&app, &http, &maria, &format!("/volunteers/{ann}")).await;
    assert!(
        form.contains("Trust and roles are set by an admin.") && form.contains("Only an admin can remove")
    );
    assert!(
        !form.contains("id=\"remove\""),
        "no remove button for dispatchers"
    );
    assert!(form.contains("id=\"trusted\" disabled"), "trust shown disabled");

    // ...and are refused if they post them anyway; nothing changes.
    let path = |id: i64| format!("/volunteers/{id}");
    for (id, fields) in [
        (joiner, vec![("action", "approve")]),
        (joiner, vec![("action", "reject"), ("confirm", "yes")]),
        (ann, vec![("action", "remove"), ("confirm", "yes")]),
        (ann, save("N1", &[("trusted", "on"), ("verifier", "on")])),
        (ann, save("N1", &[("verifier", "off")])),
        (ann, save("N1", &[("drill", "on"), ("verifier", "on")])),
    ] {
        let (status, _, body) = post(&app, &http, &maria, &path(id), &fields).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{fields:?}: {body}");
        assert!(body.contains("Only an admin can"), "{body}");
    }
    assert_eq!(volunteer(&app, joiner).await["status"], "pending");
    let kept = volunteer(&app, ann).await;
    assert_eq!(
        (&kept["trusted"], &kept["roles"]),
        (&json!(false), &json!(["verifier"])),
        "{kept}"
    );

    // What dispatchers may change they change, and trust and roles stay as they were.
    let fields = save("Ann Renamed", &[]);
    let (status, location, _) = post(&app, &http, &maria, &path(ann), &fields).await;
    assert_eq!(
        (status, location.as_str()),
        (
            StatusCode::SEE_OTHER,
            format!("/volunteers/{ann}?done=saved").as_str()
        )
    );
    let kept = volunteer(&app, ann).await;
    assert_eq!(
        (&kept["name"], &kept["roles"]),
        (&json!("Ann Renamed"), &json!(["verifier"])),
        "{kept}"
    );

    // Admins do all of it, audited.
    let fields = save("Jo", &[("trusted", "on")]);
    let (status, _, body) = post(&app, &http, &ada, &path(joiner), &fields).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    assert_eq!(
        volunteer(&app, joiner).await["trusted"],
        false,
        "no trust before approval"
    );
    let (status, location, _) = post(&app, &http, &ada, &path(joiner), &[("action", "approve")]).await;
    assert_eq!(
        (status, location.as_str()),
        (StatusCode::SEE_OTHER, "/volunteers?done=approved")
    );
    assert_eq!(volunteer(&app, joiner).await["status"], "approved");
    let (status, _, _) = post(&app, &http, &ada, &path(ann), &save("Ann", &[("trusted", "on")])).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let trusted = volunteer(&app, ann).await;
    assert_eq!(
        (&trusted["trusted"], &trusted["roles"]),
        (&json!(true), &json!([])),
        "{trusted}"
    );
    let (status, location, _) = post(
        &app,
        &http,
        &ada,
        &path(ann),
        &[("action", "remove"), ("confirm", "yes")],
    )
    .await;
    assert_eq!(
        (status, location.as_str()),
        (StatusCode::SEE_OTHER, "/volunteers?done=removed")
    );
    assert_eq!(app.get(&path(ann)).await.0, 404);
    let ada_did = |(actor, id, _): &(String, Option<i64>, String)| actor == "ada" && *id == Some(ann);
    assert!(audited(&app, "volunteer_trust")
        .await
        .iter()
        .any(|e| ada_did(e) && e.2 == "on"));
    assert!(audited(&app, "volunteer_roles").await.iter().any(ada_did));
    assert!(audited(&app, "volunteer_approve")
        .await
        .iter()
        .any(|e| e.0 == "ada" && e.1 == Some(joiner)));
    assert!(audited(&app, "volunteer_remove").await.iter().any(ada_did));
    app.stop().await;
}
on_both_backends!(only_admins_approve_reject_trust_set_roles_and_remove);

/// The add form as a dispatcher's browser sends it.
fn add_form<'a>(name: &'a str, number: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("name", name),
        ("phone", number),
        ("language", "en"),
        ("channel", "sms"),
        ("lat", "34.06"),
        ("lon", "-118.30"),
        ("radius_m", "800"),
    ]
}

async fn a_dispatcher_adding_a_known_number_sees_what_a_new_one_shows_and_admins_see_it_audited(
    backend: Backend,
) {
    let app = spawn_app_with(backend, |_| {}).await;
    let http = client();
    let maria = sign_in(&app, &http, "maria", Role::Dispatcher).await;
    let ada = sign_in(&app, &http, "ada", Role::Admin).await;
    let known = neighbour(&app, 1, 0.0, &[]).await;
    let (known_number, new_number) = (phone(1), phone(2));
    let new = post(
        &app,
        &http,
        &maria,
        "/volunteers",
        &add_form("Newcomer", &new_number),
    )
    .await;
    let again = post(
        &app,
        &http,
        &maria,
        "/volunteers",
        &add_form("Probe", &known_number),
    )
    .await;
    assert_eq!(
        (new.0, new.1.as_str()),
        (StatusCode::SEE_OTHER, "/volunteers?done=added")
    );
    assert_eq!(
        (again.0, again.1.as_str(), again.2.as_str()),
        (new.0, new.1.as_str(), new.2.as_str())
    );
    assert_eq!(
        volunteer(&app, known).await["name"],
        "N1",
        "the known volunteer is unchanged"
    );
    assert_eq!(
        audited(&app, "volunteer_add_existing").await,
        vec![("maria".to_string(), Some(known), String::new())]
    );
    // An admin, who sees every number anyway, is told.
    let (status, _, body) = post(
        &app,
        &http,
        &ada,
        "/volunteers",
        &add_form("Probe", &known_number),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(body.contains("already exists"), "{body}");
    app.stop().await;
}
on_both_backends!(a_dispatcher_adding_a_known_number_sees_what_a_new_one_shows_and_admins_see_it_audited);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_approves_a_joiner_from_the_pending_list_and_a_dispatcher_sees_admin_controls_disabled() {
    let app = spawn_app_with(Backend::Sqlite, |s| {
        s.dashboard.tile_url = "http://127.0.0.1:9/{z}/{x}/{y}.png".into();
    })
    .await;
    tocsin::accounts::add_user(app.core(), "ada", Role::Admin, PASSWORD)
        .await
        .expect("account added");
    neighbour(&app, 1, 0.0, &["verifier"]).await;
    join(&app, JOINER).await;
    let joiner = listed(&app, JOINER).await.expect("joined")["id"]
        .as_i64()
        .expect("id");
    let browser = Browser::start().await;
    browser.log_in(&app.base, "ada", PASSWORD).await;

    browser.goto(&format!("{}/volunteers", app.base)).await;
    let waiting = browser.text(&format!("#waiting-{joiner}")).await;
    assert!(
        waiting.contains("pending") && waiting.contains("joined"),
        "{waiting}"
    );
    browser.resize(390, 844).await;
    let fits = browser
        .js("var w = document.getElementById('waiting'); return w.scrollWidth <= w.clientWidth")
        .await;
    assert_eq!(
        fits.as_bool(),
        Some(true),
        "the pending list fits a phone's width"
    );
    browser.goto(&format!("{}/volunteers/{joiner}", app.base)).await;
    assert_eq!(browser.text("#standing").await, "pending");
    browser.goto(&format!("{}/volunteers", app.base)).await;
    browser.click(&format!("#approve-{joiner}")).await;
    browser
        .wait_text("#notice", "approved", |t| t.starts_with("Approved"))
        .await;
    assert_eq!(volunteer(&app, joiner).await["status"], "approved");
    let left = browser
        .js("return document.querySelectorAll('#waiting').length")
        .await;
    assert_eq!(left.as_i64(), Some(0), "nobody waits any more");

    // A dispatcher sees trust, roles and removal as an admin's, disabled.
    tocsin::accounts::add_user(app.core(), "maria", Role::Dispatcher, PASSWORD)
        .await
        .expect("account added");
    // The window is a phone's: logging out is in the header's menu.
    browser.click("details.menu summary").await;
    browser.click(".menu-items button").await;
    browser.find("#password").await;
    browser.type_in("#username", "maria").await;
    browser.type_in("#password", PASSWORD).await;
    browser.click("button[type=submit]").await;
    browser.find("#queue").await;
    browser.goto(&format!("{}/volunteers/{joiner}", app.base)).await;
    let disabled = browser
        .js("return ['trusted', 'verifier', 'drill'].every(function (id) { return document.getElementById(id).disabled; })")
        .await;
    assert_eq!(disabled.as_bool(), Some(true));
    assert!(browser.text("#remove-note").await.contains("Only an admin"));
    browser.quit().await;
    app.stop().await;
}
