//! Tests of `config.rs`: layering, environment overrides, and refusals naming the key.

use super::*;

fn load_with(vars: &[(&str, &str)]) -> anyhow::Result<Settings> {
    let vars = vars.iter().map(|(k, v)| (k.to_string(), v.to_string()));
    let settings: Settings = Figment::from(Toml::string(DEFAULTS))
        .merge(Serialized::defaults(env_layer(vars)))
        .extract_lossy()?;
    settings.validate()?;
    Ok(settings)
}

#[test]
fn environment_overrides_keep_numbers_as_text_and_read_numbers() {
    let s = load_with(&[
        ("TOCSIN_TWILIO__FROM", "+12135550100"),
        ("TOCSIN_TWILIO__VALIDITY_S", "300"),
        ("TOCSIN_DISPATCH__AUTO_VERIFY", "none"),
        ("TOCSIN_LOG", "debug"),
        ("PATH", "/bin"),
    ])
    .unwrap();
    assert_eq!(s.twilio.from, ["+12135550100"]);
    assert_eq!(s.twilio.validity_s, 300);
    assert_eq!(s.dispatch.auto_verify, AutoVerify::None);
    assert_eq!(s.twilio.api_base, "https://api.twilio.com");
}

#[test]
fn a_pool_of_senders_comes_from_a_list_or_comma_separated_text() {
    let s = load_with(&[
        ("TOCSIN_TWILIO__FROM", "+12135550100, +12135550101"),
        ("TOCSIN_TWILIO__MPS", "3"),
    ])
    .unwrap();
    assert_eq!(s.twilio.senders(), ["+12135550100", "+12135550101"]);
    assert_eq!(s.twilio.mps, 3.0);
    let list: Settings = Figment::from(Toml::string(DEFAULTS))
        .merge(Toml::string(
            "[twilio]\nfrom = [\"+12135550100\", \"+12135550102\"]",
        ))
        .extract()
        .unwrap();
    assert_eq!(list.twilio.from, ["+12135550100", "+12135550102"]);
    let service = load_with(&[(
        "TOCSIN_TWILIO__MESSAGING_SERVICE_SID",
        "MG0123456789abcdef0123456789abcdef",
    )])
    .unwrap();
    assert_eq!(service.twilio.senders(), ["MG0123456789abcdef0123456789abcdef"]);
    assert_eq!(Settings::defaults().twilio.mps, 1.0);
}

#[test]
fn escalation_radii_and_wanted_per_kind_come_from_the_environment() {
    let s = load_with(&[
        ("TOCSIN_DISPATCH__ESCALATION_RADII_M", "2000, 5000,12000.5"),
        ("TOCSIN_DISPATCH__WANTED_BY_KIND__RAID", "8"),
    ])
    .unwrap();
    assert_eq!(s.dispatch.escalation_radii_m, [2000.0, 5000.0, 12000.5]);
    assert_eq!(
        (s.dispatch.wanted_for("raid"), s.dispatch.wanted_for("eviction")),
        (8, 5)
    );
    let defaults = Settings::defaults();
    assert_eq!(defaults.dispatch.escalation_radii_m, [2000.0, 5000.0]);
    assert!(defaults.dispatch.progressive_disclosure);
    for (key, value, field) in [
        (
            "TOCSIN_DISPATCH__ESCALATION_RADII_M",
            "2000,far",
            "escalation_radii_m",
        ),
        (
            "TOCSIN_DISPATCH__ESCALATION_RADII_M",
            "-5",
            "dispatch.escalation_radii_m",
        ),
        (
            "TOCSIN_DISPATCH__WANTED_BY_KIND__PARADE",
            "3",
            "dispatch.wanted_by_kind",
        ),
        ("TOCSIN_DISPATCH__DRILL_ROLE", "verifier", "dispatch.drill_role"),
    ] {
        let err = format!("{:#}", load_with(&[(key, value)]).unwrap_err());
        assert!(err.contains(field), "{key}={value}: {err}");
    }
}

#[test]
fn bad_values_are_refused_naming_the_key() {
    let err = load_with(&[("TOCSIN_DISPATCH__AUTO_VERIFY", "sometimes")]).unwrap_err();
    assert!(format!("{err:#}").contains("auto_verify"), "{err:#}");
    let err = load_with(&[("TOCSIN_TWILIO__FROM", "12345")]).unwrap_err();
    assert!(format!("{err:#}").contains("twilio.from"), "{err:#}");
    let err = load_with(&[("TOCSIN_TWILIO__MPS", "0")]).unwrap_err();
    assert!(format!("{err:#}").contains("twilio.mps"), "{err:#}");
    let err = load_with(&[("TOCSIN_TWILIO__MESSAGING_SERVICE_SID", "MG12")]).unwrap_err();
    assert!(format!("{err:#}").contains("messaging_service_sid"), "{err:#}");
    let err = load_with(&[("TOCSIN_HTTP__PUBLIC_URL", "ftp://x")]).unwrap_err();
    assert!(format!("{err:#}").contains("http.public_url"), "{err:#}");
}

#[test]
fn the_signal_bridge_is_refused_over_plain_http_to_another_machine() {
    let with = |url: &str| {
        load_with(&[
            ("TOCSIN_SIGNAL__RPC_URL", url),
            ("TOCSIN_SIGNAL__ACCOUNT", "+12135550100"),
        ])
    };
    for ok in [
        "http://127.0.0.1:7583",
        "http://127.0.0.2:7583",
        "http://[::1]:7583",
        "http://localhost:7583",
        "https://signal.example.org",
    ] {
        assert!(with(ok).is_ok(), "{ok}");
    }
    for bad in [
        "http://10.0.0.5:7583",
        "http://signal.example.org",
        "http://[fe80::1]:7583",
    ] {
        let e = format!("{:#}", with(bad).unwrap_err());
        assert!(
            e.contains("signal.rpc_url") && e.contains("authentication"),
            "{bad}: {e}"
        );
    }
}

#[test]
fn trust_and_login_settings_are_read_and_checked() {
    let s = load_with(&[
        ("TOCSIN_JOIN__APPROVAL", "open"),
        ("TOCSIN_HTTP__TRUSTED_PROXY_HEADER", "X-Forwarded-For"),
        ("TOCSIN_DISPATCH__NOT_FOUND_AFTER", "3"),
    ])
    .unwrap();
    assert_eq!(s.join.approval, Approval::Open);
    assert_eq!(s.http.trusted_proxy_header.as_deref(), Some("X-Forwarded-For"));
    assert_eq!(s.dispatch.not_found_after, 3);
    let d = Settings::defaults();
    assert_eq!(d.join.approval, Approval::Dispatcher);
    assert_eq!((d.dashboard.lockout_after, d.dashboard.lockout_minutes), (10, 15));
    assert_eq!(d.dispatch.max_checks_per_verifier_per_hour, 6);
    assert!(d.http.trusted_proxy_header.is_none());
    let e = format!(
        "{:#}",
        load_with(&[("TOCSIN_HTTP__TRUSTED_PROXY_HEADER", "bad header")]).unwrap_err()
    );
    assert!(e.contains("http.trusted_proxy_header"), "{e}");
    let e = format!(
        "{:#}",
        load_with(&[("TOCSIN_DISPATCH__NOT_FOUND_AFTER", "0")]).unwrap_err()
    );
    assert!(e.contains("dispatch.not_found_after"), "{e}");
}

#[test]
fn only_a_self_hosted_nominatim_is_taken() {
    assert!(
        load_with(&[]).unwrap().geocode.nominatim_url.is_none(),
        "unset by default"
    );
    let s = load_with(&[("TOCSIN_GEOCODE__NOMINATIM_URL", "http://127.0.0.1:8088")]).unwrap();
    assert_eq!(s.geocode.nominatim_url.as_deref(), Some("http://127.0.0.1:8088"));
    for bad in [
        "https://nominatim.openstreetmap.org",
        "ftp://10.0.0.2",
        "not a url",
    ] {
        let e = load_with(&[("TOCSIN_GEOCODE__NOMINATIM_URL", bad)])
            .unwrap_err()
            .to_string();
        assert!(e.contains("geocode.nominatim_url"), "{bad}: {e}");
    }
}

#[test]
fn reporter_follow_up_settings_are_read_and_checked() {
    let d = Settings::defaults();
    assert_eq!((d.intake.followup_s, d.intake.tell_reporter), (600, true));
    let s = load_with(&[
        ("TOCSIN_INTAKE__FOLLOWUP_S", "120"),
        ("TOCSIN_INTAKE__TELL_REPORTER", "false"),
    ])
    .unwrap();
    assert_eq!((s.intake.followup_s, s.intake.tell_reporter), (120, false));
    for bad in ["0", "59", "3601"] {
        let e = format!(
            "{:#}",
            load_with(&[("TOCSIN_INTAKE__FOLLOWUP_S", bad)]).unwrap_err()
        );
        assert!(e.contains("intake.followup_s"), "{bad}: {e}");
    }
}

#[test]
fn metrics_bind_is_unset_by_default_and_must_be_an_address() {
    assert!(load_with(&[]).unwrap().metrics.bind.is_none());
    let s = load_with(&[("TOCSIN_METRICS__BIND", "10.0.0.5:9464")]).unwrap();
    assert_eq!(s.metrics.bind.as_deref(), Some("10.0.0.5:9464"));
    for bad in ["9464", "10.0.0.5", "10.0.0.5:port", ":9464"] {
        let e = load_with(&[("TOCSIN_METRICS__BIND", bad)])
            .unwrap_err()
            .to_string();
        assert!(e.contains("metrics.bind"), "{bad}: {e}");
    }
}

#[test]
fn mobilisation_kinds_and_reminders_come_from_the_environment() {
    let s = load_with(&[
        ("TOCSIN_MOBILISATIONS__KINDS", "march, picket"),
        ("TOCSIN_MOBILISATIONS__REMINDERS_S", "3600,600"),
        ("TOCSIN_MOBILISATIONS__WIDEN_BEFORE_S", "7200"),
    ])
    .unwrap();
    assert_eq!(s.mobilisations.kinds, ["march", "picket"]);
    assert_eq!(s.mobilisations.reminders_s, [3600, 600]);
    assert_eq!(s.mobilisations.widen_before_s, 7200);
    assert_eq!(Settings::defaults().mobilisations.reminders_s, [86400, 7200]);
    for (key, value) in [
        ("TOCSIN_MOBILISATIONS__KINDS", "Court Date"),
        ("TOCSIN_MOBILISATIONS__REMINDERS_S", "soon"),
        ("TOCSIN_MOBILISATIONS__REMINDERS_S", "0"),
    ] {
        let e = load_with(&[(key, value)]).unwrap_err().to_string();
        assert!(
            e.contains("mobilisations") || e.contains("reminders_s") || e.contains("kinds"),
            "{key}={value}: {e}"
        );
    }
}
