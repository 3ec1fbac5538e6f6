//! Tests of `signature.rs` against the verified vectors V1–V5 of PROTOCOLS §2.2.

use super::*;

const V1_URL: &str = "https://mycompany.com/myapp.php?foo=1&bar=2";
const V1_SIG: &str = "RSOYDt4T1cUTdK1PDd93/VVr8B8=";
const V4_TOKEN: &str = "0123456789abcdef0123456789abcdef";
const V4_URL: &str = "https://tocsin.example.org/webhooks/twilio/sms?tenant=east";
const V4_BODY: &str = "ToCountry=US&ToState=CA&SmsMessageSid=SM0123456789abcdef0123456789abcdef&NumMedia=0&ToCity=LOS+ANGELES&FromZip=90004&SmsSid=SM0123456789abcdef0123456789abcdef&FromState=CA&SmsStatus=received&FromCity=LOS+ANGELES&Body=ICE+en+3rd+%26+Vermont%2C+%C2%BFvienen%3F+2%2B+camionetas&FromCountry=US&To=%2B12135550100&MessagingServiceSid=MG0123456789abcdef0123456789abcdef&ToZip=90012&NumSegments=1&MessageSid=SM0123456789abcdef0123456789abcdef&AccountSid=AC0123456789abcdef0123456789abcdef&From=%2B13235550199&ApiVersion=2010-04-01";
const V4_SIG: &str = "2U2Dja00r9t9ItTNZ3aSygVyZTk=";

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

fn v1_params() -> Vec<(String, String)> {
    pairs(&[
        ("CallSid", "CA1234567890ABCDE"),
        ("Caller", "+14158675309"),
        ("Digits", "1234"),
        ("From", "+14158675309"),
        ("To", "+18005551212"),
    ])
}

fn valid(url: &str, params: &[(String, String)], sig: &str) -> bool {
    is_valid(&["12345"], url, params, Some(sig))
}

#[test]
fn v1_official() {
    assert_eq!(sign("12345", V1_URL, &v1_params()), V1_SIG);
    assert!(valid(V1_URL, &v1_params(), V1_SIG));
}

#[test]
fn v1_url_variant_table() {
    let p = v1_params();
    let rows = [
        (
            "https://mycompany.com:443/myapp.php?foo=1&bar=2",
            "kvajT1Ptam85bY51eRf/AJRuM3w=",
        ),
        (
            "http://mycompany.com/myapp.php?foo=1&bar=2",
            "OyGYPqTF6ztdbRNCvuQO/oPvqQ4=",
        ),
        (
            "http://mycompany.com:80/myapp.php?foo=1&bar=2",
            "0ZXoZLH/DfblKGATFgpif+LLRf4=",
        ),
        (
            "http://mycompany.com:1234/myapp.php?foo=1&bar=2",
            "Zmvh+3yNM1Phv2jhDCwEM3q5ebU=",
        ),
        (
            "https://mycompany.com:1234/myapp.php?foo=1&bar=2",
            "CYn1h0gLBdNxDGkKJg6hYohgeD8=",
        ),
    ];
    for (url, sig) in rows {
        assert_eq!(sign("12345", url, &p), sig, "{url}");
        assert!(valid(url, &p, sig), "{url}");
    }
    assert_eq!(sign("12345", V1_URL, &[]), "zYQTYrRWXE7LtzbG4PfP7/bkkGo=");
    assert!(valid(V1_URL, &[], "zYQTYrRWXE7LtzbG4PfP7/bkkGo="));
}

#[test]
fn v1_port_add_and_strip() {
    let p = v1_params();
    let https_443 = "https://mycompany.com:443/myapp.php?foo=1&bar=2";
    let http = "http://mycompany.com/myapp.php?foo=1&bar=2";
    let http_80 = "http://mycompany.com:80/myapp.php?foo=1&bar=2";
    // The https signature validates for the :443 URL (port stripped) and vice versa (port added).
    assert!(valid(https_443, &p, V1_SIG));
    assert!(valid(V1_URL, &p, "kvajT1Ptam85bY51eRf/AJRuM3w="));
    assert!(valid(http, &p, "0ZXoZLH/DfblKGATFgpif+LLRf4="));
    assert!(valid(http_80, &p, "OyGYPqTF6ztdbRNCvuQO/oPvqQ4="));
    // Like twilio-python, any port is stripped: the bare http signature validates on :1234.
    assert!(valid(
        "http://mycompany.com:1234/myapp.php?foo=1&bar=2",
        &p,
        "OyGYPqTF6ztdbRNCvuQO/oPvqQ4="
    ));
    // The http signatures never validate for an https URL, nor the https ones for http.
    for sig in [
        "OyGYPqTF6ztdbRNCvuQO/oPvqQ4=",
        "0ZXoZLH/DfblKGATFgpif+LLRf4=",
        "Zmvh+3yNM1Phv2jhDCwEM3q5ebU=",
    ] {
        assert!(!valid(V1_URL, &p, sig), "{sig}");
        assert!(!valid(https_443, &p, sig), "{sig}");
    }
    for sig in [
        V1_SIG,
        "kvajT1Ptam85bY51eRf/AJRuM3w=",
        "CYn1h0gLBdNxDGkKJg6hYohgeD8=",
    ] {
        assert!(!valid(http, &p, sig), "{sig}");
        assert!(!valid(http_80, &p, sig), "{sig}");
    }
    // A signature for one non-default port does not validate on the bare URL.
    assert!(!valid(V1_URL, &p, "CYn1h0gLBdNxDGkKJg6hYohgeD8="));
}

#[test]
fn v2_repeated_keys_and_prefix_ordering() {
    let p = pairs(&[
        ("Sid", "CA123"),
        ("SidAccount", "AC123"),
        ("Digits", "5678"),
        ("Digits", "1234"),
        ("Digits", "1234"),
    ]);
    assert_eq!(sign("12345", V1_URL, &p), "IK+Dwps556ElfBT0I3Rgjkr1wJU=");
    assert!(valid(V1_URL, &p, "IK+Dwps556ElfBT0I3Rgjkr1wJU="));
    // The trap: sorting the concatenated `name+value` strings puts `SidAccountAC123` before
    // `SidCA123` ('A' < 'C'); that signature must differ and must not validate.
    let mut joined: Vec<String> = p.iter().map(|(k, v)| format!("{k}{v}")).collect();
    joined.sort();
    joined.dedup();
    assert_eq!(
        joined,
        ["Digits1234", "Digits5678", "SidAccountAC123", "SidCA123"]
    );
    let wrong = sign("12345", &format!("{V1_URL}{}", joined.concat()), &[]);
    assert_ne!(wrong, "IK+Dwps556ElfBT0I3Rgjkr1wJU=");
    assert!(!valid(V1_URL, &p, &wrong));
    // Dropping a duplicate value is right; dropping a distinct one is not.
    assert!(valid(V1_URL, &p[..4], "IK+Dwps556ElfBT0I3Rgjkr1wJU="));
    assert!(!valid(V1_URL, &p[..3], "IK+Dwps556ElfBT0I3Rgjkr1wJU="));
}

#[test]
fn v3_json_body() {
    let body = br#"{"property": "value", "boolean": true}"#;
    let hash = body_sha256_hex(body);
    assert_eq!(
        hash,
        "0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620"
    );
    let url = format!("{V1_URL}&bodySHA256={hash}");
    assert_eq!(sign("12345", &url, &[]), "a9nBmqA0ju/hNViExpshrM61xv4=");
    assert!(valid(&url, &[], "a9nBmqA0ju/hNViExpshrM61xv4="));
    let tampered = body_sha256_hex(br#"{"property": "value", "boolean": false}"#);
    assert!(!valid(
        &format!("{V1_URL}&bodySHA256={tampered}"),
        &[],
        "a9nBmqA0ju/hNViExpshrM61xv4="
    ));
    assert_eq!(
        body_sha256_hex(b""),
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    );
}

#[test]
fn v4_realistic_inbound_sms() {
    let p = form_pairs(V4_BODY.as_bytes());
    assert_eq!(p.len(), 20);
    let body = p.iter().find(|(k, _)| k == "Body").map(|(_, v)| v.as_str());
    assert_eq!(body, Some("ICE en 3rd & Vermont, ¿vienen? 2+ camionetas"));
    assert!(p.contains(&("To".into(), "+12135550100".into())));
    assert!(p.contains(&("ToCity".into(), "LOS ANGELES".into())));
    assert_eq!(sign(V4_TOKEN, V4_URL, &p), V4_SIG);
    assert!(is_valid(&[V4_TOKEN], V4_URL, &p, Some(V4_SIG)));
}

#[test]
fn v4_common_mistakes_do_not_validate() {
    let p = form_pairs(V4_BODY.as_bytes());
    // Mistake 1: signing the still-encoded values.
    let raw: Vec<(String, String)> = V4_BODY
        .split('&')
        .filter_map(|kv| kv.split_once('='))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let encoded = sign(V4_TOKEN, V4_URL, &raw);
    assert_eq!(encoded, "cXR0V2CTmjBz37kRIGF8AlACuRQ=");
    // Mistake 2: dropping the query string.
    let no_query = sign(V4_TOKEN, "https://tocsin.example.org/webhooks/twilio/sms", &p);
    assert_eq!(no_query, "dNcJ82hZg9RNPRtw7dZLkjhTmCc=");
    for sig in [encoded.as_str(), no_query.as_str()] {
        assert!(!is_valid(&[V4_TOKEN], V4_URL, &p, Some(sig)), "{sig}");
    }
    // Mistake 3: validating against the http:// URL (what the app sees behind a TLS proxy).
    let http = "http://tocsin.example.org/webhooks/twilio/sms?tenant=east";
    assert!(!is_valid(&[V4_TOKEN], http, &p, Some(V4_SIG)));
    assert!(!is_valid(
        &[V4_TOKEN],
        "http://127.0.0.1:3000/webhooks/twilio/sms?tenant=east",
        &p,
        Some(V4_SIG)
    ));
}

#[test]
fn v5_status_callback() {
    let body = "SmsSid=SM89abcdef0123456789abcdef01234567&SmsStatus=undelivered&MessageStatus=undelivered&To=%2B13235550123&MessagingServiceSid=MG0123456789abcdef0123456789abcdef&MessageSid=SM89abcdef0123456789abcdef01234567&AccountSid=AC0123456789abcdef0123456789abcdef&From=%2B12135550100&ApiVersion=2010-04-01&ErrorCode=30003";
    let url = "https://tocsin.example.org/webhooks/twilio/status";
    let p = form_pairs(body.as_bytes());
    assert_eq!(sign(V4_TOKEN, url, &p), "AhokG+WragYDx8nDCu5vjRBWyBc=");
    assert!(is_valid(
        &[V4_TOKEN],
        url,
        &p,
        Some("AhokG+WragYDx8nDCu5vjRBWyBc=")
    ));
}

#[test]
fn token_rotation_and_wrong_tokens() {
    let p = form_pairs(V4_BODY.as_bytes());
    let new = "fedcba9876543210fedcba9876543210";
    assert!(is_valid(&[new, V4_TOKEN], V4_URL, &p, Some(V4_SIG)));
    assert!(is_valid(&[V4_TOKEN, new], V4_URL, &p, Some(V4_SIG)));
    assert!(!is_valid(&[new], V4_URL, &p, Some(V4_SIG)));
    assert!(!is_valid(&[], V4_URL, &p, Some(V4_SIG)));
    // An empty token is refused even when the signature was made with it.
    let forged = sign("", V4_URL, &p);
    assert!(!is_valid(&[""], V4_URL, &p, Some(&forged)));
    assert!(!is_valid(&["", new], V4_URL, &p, Some(&forged)));
}

#[test]
fn tampered_requests_do_not_validate() {
    let tampered = V4_BODY.replace("vienen", "vengan");
    let p = form_pairs(tampered.as_bytes());
    assert!(!is_valid(&[V4_TOKEN], V4_URL, &p, Some(V4_SIG)));
    let mut extra = form_pairs(V4_BODY.as_bytes());
    extra.push(("Injected".into(), String::new()));
    assert!(!is_valid(&[V4_TOKEN], V4_URL, &extra, Some(V4_SIG)));
    let other_tenant = "https://tocsin.example.org/webhooks/twilio/sms?tenant=west";
    assert!(!is_valid(
        &[V4_TOKEN],
        other_tenant,
        &form_pairs(V4_BODY.as_bytes()),
        Some(V4_SIG)
    ));
}

#[test]
fn missing_and_garbage_headers() {
    let p = form_pairs(V4_BODY.as_bytes());
    let check = |h: Option<&str>| is_valid(&[V4_TOKEN], V4_URL, &p, h);
    assert!(!check(None));
    assert!(!check(Some("")));
    assert!(!check(Some("   ")));
    assert!(!check(Some("not base64 at all !!!!!!!!!!")));
    assert!(!check(Some("AAAA")));
    assert!(!check(Some("AAAAAAAAAAAAAAAAAAAAAAAAAAA=")));
    assert!(!check(Some("2U2Dja00r9t9ItTNZ3aSygVyZTk")));
    assert!(!check(Some("2U2Dja00r9t9ItTNZ3aSygVyZTk==")));
    assert!(!check(Some("2U2Dja00r9t9ItTNZ3aSygVyZTl=")));
    assert!(!check(Some(&"A".repeat(100_000))));
    assert!(!check(Some("2U2Dja00r9t9ItTNZ3aSygVyZTké")));
    // Surrounding whitespace (optional whitespace in HTTP) is tolerated.
    assert!(check(Some(" 2U2Dja00r9t9ItTNZ3aSygVyZTk= ")));
}

#[test]
fn form_pairs_keeps_everything() {
    let p = form_pairs(b"a=1&a=1&a=2&empty=&bare&&x=%ZZ&y=%FF&sp=a+b%20c&=v");
    assert_eq!(
        p,
        pairs(&[
            ("a", "1"),
            ("a", "1"),
            ("a", "2"),
            ("empty", ""),
            ("bare", ""),
            ("x", "%ZZ"),
            ("y", "\u{FFFD}"),
            ("sp", "a b c"),
            ("", "v"),
        ])
    );
    assert!(form_pairs(b"").is_empty());
    // An empty value still counts in the signature (`ToCity=` contributes `ToCity`).
    assert_ne!(sign("k", "u", &pairs(&[("ToCity", "")])), sign("k", "u", &[]));
}

#[test]
fn candidate_urls_touch_only_the_port() {
    // Path and query are kept byte for byte: no re-encoding of %2F, ', spaces or case.
    let url = "https://Host.example:8443/a%2Fb/'x'?q=%27it's%27&t=A B#frag";
    assert_eq!(
        candidate_urls(url),
        [url, "https://Host.example/a%2Fb/'x'?q=%27it's%27&t=A B#frag"]
    );
    assert_eq!(
        candidate_urls("https://h/p?u=a@b:1"),
        ["https://h/p?u=a@b:1", "https://h:443/p?u=a@b:1"]
    );
    assert_eq!(candidate_urls("HTTP://h?x"), ["HTTP://h?x", "HTTP://h:80?x"]);
    assert_eq!(
        candidate_urls("https://[::1]:3000/x"),
        ["https://[::1]:3000/x", "https://[::1]/x"]
    );
    assert_eq!(
        candidate_urls("https://[::1]/x"),
        ["https://[::1]/x", "https://[::1]:443/x"]
    );
    assert_eq!(
        candidate_urls("https://u:p@h:8443/x"),
        [
            "https://u:p@h:8443/x",
            "https://u:p@h/x",
            "https://h:8443/x",
            "https://h/x"
        ]
    );
    assert_eq!(candidate_urls("ftp://h/x"), ["ftp://h/x"]);
    // Malformed authorities: only the URL as given.
    for odd in [
        "",
        "://",
        "https://",
        "nohost",
        "1x://h/",
        "https://h:/x",
        "https://h:80a/x",
        "https://[::1/x",
        "https://[::1]x/",
    ] {
        let c = candidate_urls(odd);
        assert_eq!(c.first().map(String::as_str), Some(odd), "{odd:?}");
        assert!(c.len() <= 2, "{odd:?}");
    }
    assert_eq!(
        candidate_urls("https://例え.jp:99999999999999999999/ü?ä").len(),
        2
    );
}

#[test]
fn credentials_in_the_url_are_not_signed() {
    let p = v1_params();
    assert!(valid(
        "https://user:pass@mycompany.com/myapp.php?foo=1&bar=2",
        &p,
        V1_SIG
    ));
    assert!(valid(
        "https://user:pass@mycompany.com:443/myapp.php?foo=1&bar=2",
        &p,
        V1_SIG
    ));
}
