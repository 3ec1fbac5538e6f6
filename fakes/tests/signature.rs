//! `sign` against the verified vectors of PROTOCOLS §2.2.

use tocsin_fakes::sign;

const V1_URL: &str = "https://mycompany.com/myapp.php?foo=1&bar=2";
const V4_TOKEN: &str = "0123456789abcdef0123456789abcdef";

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
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

fn parse(raw: &str) -> Vec<(String, String)> {
    form_urlencoded::parse(raw.as_bytes()).into_owned().collect()
}

#[test]
fn v1_official_url_with_query() {
    assert_eq!(
        sign("12345", V1_URL, &v1_params()),
        "RSOYDt4T1cUTdK1PDd93/VVr8B8="
    );
}

#[test]
fn v1_url_variants_are_signed_as_given() {
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
    for (url, expected) in rows {
        assert_eq!(sign("12345", url, &v1_params()), expected, "{url}");
    }
    assert_eq!(
        sign("12345", V1_URL, &[]),
        "zYQTYrRWXE7LtzbG4PfP7/bkkGo=",
        "no params"
    );
}

#[test]
fn v2_repeated_keys_and_prefix_ordering() {
    let params = pairs(&[
        ("Sid", "CA123"),
        ("SidAccount", "AC123"),
        ("Digits", "5678"),
        ("Digits", "1234"),
        ("Digits", "1234"),
    ]);
    assert_eq!(sign("12345", V1_URL, &params), "IK+Dwps556ElfBT0I3Rgjkr1wJU=");
}

#[test]
fn v3_json_body_url_only() {
    let url = "https://mycompany.com/myapp.php?foo=1&bar=2&bodySHA256=0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620";
    assert_eq!(sign("12345", url, &[]), "a9nBmqA0ju/hNViExpshrM61xv4=");
}

#[test]
fn v4_realistic_inbound_sms() {
    let raw = "ToCountry=US&ToState=CA&SmsMessageSid=SM0123456789abcdef0123456789abcdef&NumMedia=0&ToCity=LOS+ANGELES&FromZip=90004&SmsSid=SM0123456789abcdef0123456789abcdef&FromState=CA&SmsStatus=received&FromCity=LOS+ANGELES&Body=ICE+en+3rd+%26+Vermont%2C+%C2%BFvienen%3F+2%2B+camionetas&FromCountry=US&To=%2B12135550100&MessagingServiceSid=MG0123456789abcdef0123456789abcdef&ToZip=90012&NumSegments=1&MessageSid=SM0123456789abcdef0123456789abcdef&AccountSid=AC0123456789abcdef0123456789abcdef&From=%2B13235550199&ApiVersion=2010-04-01";
    let url = "https://tocsin.example.org/webhooks/twilio/sms?tenant=east";
    let params = parse(raw);
    assert!(params.contains(&(
        "Body".into(),
        "ICE en 3rd & Vermont, ¿vienen? 2+ camionetas".into()
    )));
    assert_eq!(sign(V4_TOKEN, url, &params), "2U2Dja00r9t9ItTNZ3aSygVyZTk=");
    // The documented mistakes must not match.
    assert_eq!(
        sign(
            V4_TOKEN,
            "https://tocsin.example.org/webhooks/twilio/sms",
            &params
        ),
        "dNcJ82hZg9RNPRtw7dZLkjhTmCc="
    );
    let still_encoded: Vec<(String, String)> = raw
        .split('&')
        .filter_map(|kv| kv.split_once('='))
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
    assert_eq!(
        sign(V4_TOKEN, url, &still_encoded),
        "cXR0V2CTmjBz37kRIGF8AlACuRQ="
    );
}

#[test]
fn v5_status_callback() {
    let raw = "SmsSid=SM89abcdef0123456789abcdef01234567&SmsStatus=undelivered&MessageStatus=undelivered&To=%2B13235550123&MessagingServiceSid=MG0123456789abcdef0123456789abcdef&MessageSid=SM89abcdef0123456789abcdef01234567&AccountSid=AC0123456789abcdef0123456789abcdef&From=%2B12135550100&ApiVersion=2010-04-01&ErrorCode=30003";
    let url = "https://tocsin.example.org/webhooks/twilio/status";
    assert_eq!(sign(V4_TOKEN, url, &parse(raw)), "AhokG+WragYDx8nDCu5vjRBWyBc=");
}
