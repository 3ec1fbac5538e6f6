//! Issue 17 §1 through the real binary, on SQLite and on PostgreSQL: a call to the hotline with
//! nobody on duty leaves a voice message that becomes a report (unlocated, kind unknown, channel
//! `voice`) and pages the dispatchers; its audio is fetched from Twilio with the account's
//! credentials, stored sealed, deleted at Twilio, and played through the dashboard to a
//! signed-in dispatcher (audited). With someone on duty the call rings their phone, showing the
//! hotline's number and telling them the incident's number, never the caller's. Pressing 9 or
//! saying nothing gets a text with the hotline's instructions. Forged requests are refused and
//! change nothing; Twilio's retries make no second report; a blocked caller rings nobody.

use tocsin_fakes::{tone_wav, DialAnswer, Signing, Step};

use crate::binary_net::{serve, Net, WAIT};
use crate::binary_run::run_cli;
use crate::dashboard_http::{client, login_at, set_cookie};
use crate::helpers::{eventually, ACCOUNT_SID, AUTH_TOKEN, HOTLINE};

mod check;
mod support;

use support::{call, reports, stored_audio};

const ANA: &str = "+13235550701";
const BEN: &str = "+13235550702";
const CALLER: &str = "+13235550711";
const CALLER2: &str = "+13235550712";
const TEXTER: &str = "+13235550713";
const SILENT: &str = "+13235550714";
const PASSWORD: &str = "a long enough passphrase";

mod hotline {
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn on_sqlite() {
        crate::binary_run::on_backend(crate::helpers::Backend::Sqlite, super::scenario).await
    }
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn on_postgres() {
        crate::binary_run::on_backend(crate::helpers::Backend::Postgres, super::scenario).await
    }
}

async fn scenario(pg_url: Option<String>) {
    let dir = tempfile::tempdir().unwrap();
    let mut env = vec![
        ("TOCSIN_NETWORK__NAME", "Eastside Rapid Response"),
        ("TOCSIN_VOICE__MAX_RECORD_S", "60"),
    ];
    if let Some(url) = &pg_url {
        env.push(("TOCSIN_DATABASE__URL", url.as_str()));
    }
    crate::binary_run::migrated(dir.path(), &env);
    let cli = |args: &[&str], stdin: Option<&str>| run_cli(dir.path(), &env, args, stdin);
    assert!(cli(&["user", "add", "ana", "--phone", ANA], Some(PASSWORD)).ok);
    assert!(
        cli(
            &["user", "add", "ben", "--phone", BEN, "--lang", "es"],
            Some(PASSWORD)
        )
        .ok
    );

    let (twilio, server) = serve(dir.path(), &env).await;
    let net = Net::of(&twilio, &server);
    let voice_url = format!("{}/webhooks/twilio/voice", server.base);
    twilio.set_voice_url(HOTLINE, &voice_url);

    // A forged call changes nothing: 403, no report.
    let forged: Vec<(String, String)> = [
        ("AccountSid", ACCOUNT_SID),
        ("CallSid", "CA0123456789abcdef0123456789abcdef"),
        ("From", CALLER),
        ("To", HOTLINE),
        ("RecordingSid", "RE0123456789abcdef0123456789abcdef"),
        ("RecordingDuration", "9"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    let recorded_url = format!("{voice_url}/recorded?lang=en");
    for signing in [Signing::Missing, Signing::Wrong] {
        let reply = twilio
            .post_voice_webhook(&recorded_url, &forged, signing)
            .await
            .unwrap();
        assert_eq!(reply.status, 403, "{signing:?}: {}", reply.body);
    }
    assert!(reports(&net).await.is_empty(), "a forged call made a report");

    // Nobody on duty: the caller chooses Spanish and leaves a message.
    let audio = tone_wav(700);
    let record = call(
        &net,
        CALLER,
        vec![
            Step::Press("2".into()),
            Step::Leave {
                seconds: 7,
                audio: audio.clone(),
            },
        ],
    )
    .await;
    let heard = record.heard();
    for line in [
        "For English, press 1",
        "Para español, oprima 2",
        "한국어는 3번",
        "中文请按 4",
    ] {
        assert!(heard.contains(line), "{line}: {heard}");
    }
    let zh = record
        .said
        .iter()
        .find(|s| s.text.contains("中文"))
        .expect("Chinese offered");
    assert_eq!(
        (zh.voice.as_deref(), zh.language.as_deref()),
        (Some("Polly.Zhiyu"), Some("cmn-CN"))
    );
    assert!(
        heard.contains("Después del tono") && heard.contains("Un despachador escuchará"),
        "{heard}"
    );
    assert!(
        record.dials.is_empty(),
        "nobody on duty, nobody rung: {:?}",
        record.dials
    );
    let limit = "maxLength=\"60\""; // voice.max_record_s
    assert!(
        record.requests.iter().any(|r| r.body.contains(limit)),
        "{:?}",
        record.requests
    );
    assert_eq!(record.recordings.len(), 1);
    let sid = record.recordings[0].clone();

    let report = reports(&net).await[0].clone();
    assert_eq!(report["channel"], "voice", "{report}");
    assert_eq!(
        (report["kind"].as_str(), report["language"].as_str()),
        (Some("other"), Some("es"))
    );
    assert!(
        report["lat"].is_null() && report["text"].as_str().unwrap().contains("7 s"),
        "{report}"
    );
    let report_id = report["id"].as_i64().unwrap();
    let incident = report["incident_id"].as_i64().expect("an incident");
    assert_eq!(net.incident(incident).await["needs_person"], "unplaced");
    // Nobody on duty: every dispatcher is paged at once.
    net.sent_to(ANA, &[&format!("ACK{incident}")]).await;
    net.sent_to(BEN, &[&format!("ACK{incident}")]).await;

    // The audio is fetched with the account's credentials, then deleted at Twilio.
    let gone = eventually(2 * WAIT, || async {
        twilio
            .recordings()
            .iter()
            .any(|r| r.sid == sid && r.fetched >= 1 && r.deleted)
    })
    .await;
    let log = std::fs::read_to_string(dir.path().join("tocsin.log")).unwrap_or_default();
    let log: Vec<&str> = log.lines().filter(|l| l.contains("voice message")).collect();
    assert!(
        gone,
        "fetched and deleted: {:?}\n{}",
        twilio.recordings(),
        log.join("\n")
    );
    let media = format!(
        "{}/2010-04-01/Accounts/{ACCOUNT_SID}/Recordings/{sid}.wav",
        twilio.base_url()
    );
    let http = reqwest::Client::new();
    let after = http
        .get(&media)
        .basic_auth(ACCOUNT_SID, Some(AUTH_TOKEN))
        .send()
        .await
        .unwrap();
    assert_eq!(after.status(), 404, "Twilio's copy is gone");
    let sealed = stored_audio(pg_url.as_deref(), dir.path()).await;
    assert_eq!(sealed.len(), 1);
    assert!(
        !sealed[0].windows(4).any(|w| w == b"RIFF"),
        "stored sealed, not as WAV"
    );

    // Twilio retries the message's webhook: the same report, no second recording.
    let retry = record
        .requests
        .iter()
        .find(|r| r.url.contains("/recorded"))
        .expect("recorded");
    let again = twilio
        .post_voice_webhook(&retry.url, &retry.params, Signing::Valid)
        .await
        .unwrap();
    assert_eq!(again.status, 200, "{}", again.body);
    let tampered = twilio
        .post_voice_webhook(&retry.url, &retry.params, Signing::Tampered)
        .await
        .unwrap();
    assert_eq!(tampered.status, 403);
    assert_eq!(reports(&net).await.len(), 1, "one report per call");

    // A dispatcher plays it through tocsin; the listen is audited. Without a session: no audio.
    let web = client();
    let resp = login_at(&server.base, &web, "ana", PASSWORD).await;
    let (cookie, _) = set_cookie(&resp, "tocsin_session").expect("signed in");
    let page = web
        .get(format!("{}/reports", server.base))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    let page = page.text().await.unwrap();
    let path = format!("/reports/{report_id}/recording");
    assert!(
        page.contains(&format!("src=\"{path}\"")),
        "an audio player on the Reports page"
    );
    let page = web
        .get(format!("{}/incidents/{incident}", server.base))
        .header("cookie", &cookie);
    let page = page.send().await.unwrap().text().await.unwrap();
    assert!(
        page.contains(&format!("href=\"{path}\"")),
        "played from the incident too"
    );
    let anonymous = web.get(format!("{}{path}", server.base)).send().await.unwrap();
    assert_ne!(anonymous.status(), 200, "a voice message is never public");
    let played = web
        .get(format!("{}{path}", server.base))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(played.status(), 200);
    assert_eq!(played.headers()["content-type"], "audio/x-wav");
    assert_eq!(
        played.bytes().await.unwrap().to_vec(),
        audio,
        "the caller's own audio"
    );
    let audit = net.get("/audit").await.to_string();
    assert!(
        audit.contains("listen") && audit.contains(&format!("voice message of report {report_id}")),
        "{audit}"
    );

    // Ana and Ben on duty: the next call rings both at once, showing the hotline; Ana answers and
    // hears the incident's number.
    assert!(cli(&["user", "duty", "ana", "on"], None).ok);
    assert!(cli(&["user", "duty", "ben", "on"], None).ok);
    twilio.set_dial_answer(ANA, DialAnswer::Answer { talk_s: 40 });
    let record = call(&net, CALLER2, vec![Step::Press("1".into())]).await;
    assert!(
        record.heard().contains("Connecting you to a dispatcher"),
        "{}",
        record.heard()
    );
    let dial = &record.dials[0];
    assert_eq!(
        (dial.numbers.clone(), dial.answered_by.as_deref()),
        (vec![ANA.to_string(), BEN.to_string()], Some(ANA)),
        "every phone on duty rings at once; Ana answers"
    );
    assert_eq!(
        dial.shown_caller_id, HOTLINE,
        "the caller's number is never shown"
    );
    assert_eq!(dial.status, "completed");
    assert!(record.recordings.is_empty(), "answered: no message");
    let call_report = reports(&net).await[0].clone();
    let id = call_report["incident_id"]
        .as_i64()
        .expect("the call is an incident");
    assert_ne!(id, incident);
    let whisper = dial
        .whisper
        .iter()
        .map(|s| s.text.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        whisper.contains(&format!("incident {id}")) && whisper.contains("English"),
        "{whisper}"
    );
    assert!(!whisper.contains("0712") && !whisper.contains("555"), "{whisper}");
    let taken = net.incident(id).await;
    assert!(
        taken["acked_at"].is_i64() && taken["history"].to_string().contains("acknowledged by ana"),
        "{taken}"
    );

    // Nobody answers: the caller leaves a message on the same report instead.
    twilio.set_dial_answer(ANA, DialAnswer::NoAnswer);
    let record = call(
        &net,
        CALLER2,
        vec![
            Step::Press("1".into()),
            Step::Leave {
                seconds: 4,
                audio: tone_wav(300),
            },
        ],
    )
    .await;
    assert_eq!(record.dials[0].status, "no-answer");
    assert!(
        record.heard().contains("Nobody could answer"),
        "{}",
        record.heard()
    );
    assert_eq!(record.recordings.len(), 1);
    let latest = reports(&net).await[0].clone();
    assert_eq!(reports(&net).await.len(), 3, "one report per call");
    let gone = eventually(2 * WAIT, || async {
        twilio.recordings().iter().all(|r| r.deleted)
    })
    .await;
    assert!(gone, "{:?}", twilio.recordings());
    let latest_incident = latest["incident_id"].as_i64().unwrap();
    assert_eq!(net.incident(latest_incident).await["needs_person"], "unplaced");

    // A blocked caller rings nobody: their call's report is held, they may only leave a message.
    let (status, _) = net
        .api(
            reqwest::Method::POST,
            "/blocklist",
            Some(serde_json::json!({"report_id": latest["id"], "reason": "test"})),
        )
        .await;
    assert_eq!(status, 201);
    twilio.set_dial_answer(ANA, DialAnswer::Answer { talk_s: 5 });
    let record = call(&net, CALLER2, vec![Step::Press("1".into()), Step::Silence]).await;
    assert!(
        record.dials.is_empty(),
        "a blocked caller rang {:?}",
        record.dials
    );
    let held = reports(&net).await[0].clone();
    assert_eq!(
        (held["flagged"].as_str(), held["incident_id"].as_i64()),
        (Some("blocked"), None),
        "{held}"
    );
    assert!(
        twilio.messages_to(CALLER2).is_empty(),
        "a blocked caller is texted nothing"
    );

    // 9, or saying nothing: asked to text (in every language), and texted the instructions.
    for (who, steps) in [(TEXTER, vec![Step::Press("9".into())]), (SILENT, vec![])] {
        let record = call(&net, who, steps).await;
        let heard = record.heard();
        assert!(
            heard.contains("send a text message") && heard.contains("mensaje de texto"),
            "{heard}"
        );
        let sms = net.sent_to(who, &["Eastside Rapid Response", "JOIN"]).await;
        assert!(sms.contains("text what you see"), "{sms}");
        assert!(record.recordings.is_empty() && record.dials.is_empty());
    }
    let again = call(&net, TEXTER, vec![Step::Press("9".into())]).await;
    assert!(
        again.heard().contains("to this number: say"),
        "one text per number and hour"
    );
    let anonymous = call(&net, "anonymous", vec![Step::Press("9".into())]).await;
    assert!(anonymous
        .heard()
        .contains("Please send a text message to this number:"));
    assert_eq!(reports(&net).await.len(), 4, "asking to text makes no report");

    // The log never holds a caller's or a dispatcher's number.
    let log = std::fs::read_to_string(dir.path().join("tocsin.log")).unwrap_or_default();
    for number in [ANA, BEN, CALLER, CALLER2, TEXTER, SILENT] {
        assert!(!log.contains(&number[2..]), "a number in the log");
    }
    drop(server);
}
