use super::*;

const LA: Option<(f64, f64)> = Some((34.0617, -118.3005));

fn at(text: &str) -> Option<(f64, f64)> {
    locate_text(text)
}

#[test]
fn patterns_compile() {
    assert!(link_re().is_some());
    assert!(plain_re().is_some());
    // The Google ones compile lazily inside google(); exercise them.
    assert_eq!(
        at("https://www.google.com/maps/place/X/@1.5,2.5,3z/data=!3d34.0617!4d-118.3005"),
        LA
    );
}

#[test]
fn plain_decimals() {
    for text in [
        "34.0617, -118.3005",
        "34.0617,-118.3005",
        "34.0617 -118.3005",
        "+34.0617, -118.3005",
        "help at 34.0617,-118.3005 now!",
        "ICE van (34.0617, -118.3005).",
        "at 34.0617,   -118.3005\nhurry",
        "34.0617° N, 118.3005° W",
        "34.0617N 118.3005W",
        "34.0617 -118.3005 West LA corner",
        "lat/lon: 34.06170,-118.30050",
    ] {
        assert_eq!(at(text), LA, "{text:?}");
    }
    assert_eq!(at("-33.8688, 151.2093 Sydney"), Some((-33.8688, 151.2093)));
    assert_eq!(at("33.8688 S, 151.2093 E"), Some((-33.8688, 151.2093)));
    assert_eq!(at("0.000,0.000"), Some((0.0, 0.0)));
}

#[test]
fn plain_negatives() {
    for text in [
        "",
        "meet at 3.50 at 10, 20",
        "call 555-0199",
        "costs 12.50, 3.99",
        "34.06, -118.30",                  // too few decimals
        "95.0000,10.0000",                 // latitude out of range
        "45.0000, 181.0000",               // longitude out of range
        "server 192.168.100.200 10.0.0.1", // IP addresses
        "v1.2345 6.7890",                  // glued to a word
        "1234.5678, 1.2345",               // first number too long
        "34.0617, -118.3005.25",           // second runs on
        "-34.0617 N, 118.3005 E",          // sign and hemisphere disagree
        "NaN, inf",
    ] {
        assert_eq!(at(text), None, "{text:?}");
    }
    // A rejected match hides a good one later in the text.
    assert_eq!(at("95.0000,10.0000 or rather 34.0617,-118.3005"), LA);
    assert_eq!(at("1234.5678, 34.0617, -118.3005"), Some((34.0617, -118.3005)));
}

#[test]
fn geo_uris() {
    for text in [
        "geo:34.0617,-118.3005",
        "geo:34.0617,-118.3005;u=35",
        "geo:34.0617,-118.3005,120;crs=wgs84;u=35",
        "GEO:34.0617,-118.3005",
        "geo:0,0?q=34.0617,-118.3005",
        "geo:0,0?q=34.0617,-118.3005(Corner+store)",
        "geo:0,0?q=34.0617%2C-118.3005&z=17",
        "look: geo:34.0617,-118.3005.",
    ] {
        assert_eq!(at(text), LA, "{text:?}");
    }
    assert_eq!(at("geo:34,-118"), Some((34.0, -118.0)));
    assert_eq!(at("geo:0,0?q=1600+Amphitheatre+Parkway"), None);
    assert_eq!(at("geo:34.0617,-118.3005;crs=nad27"), None);
    assert_eq!(at("geo:95,10"), None);
    assert_eq!(at("geo:abc"), None);
}

#[test]
fn google_links() {
    for text in [
        "https://www.google.com/maps/place/Some+Place/@34.0617,-118.3005,17z",
        "https://www.google.com/maps?q=34.0617,-118.3005",
        "https://maps.google.com/?q=34.0617,-118.3005",
        "https://www.google.com/maps/search/?api=1&query=34.0617%2C-118.3005",
        "https://www.google.com/maps/search/?api=1&query=34.0617,+-118.3005",
        "https://maps.google.com/maps?ll=34.0617,-118.3005&z=16",
        "https://www.google.com/maps?q=loc:34.0617,-118.3005",
        "https://www.google.com/maps/@?api=1&map_action=map&center=34.0617,-118.3005",
        "https://www.google.com/maps/dir/?api=1&destination=34.0617,-118.3005",
        "https://www.google.com/maps/place/34.0617,-118.3005",
        "https://www.google.co.uk/maps/place/34%C2%B0/@34.0617,-118.3005,15z",
        "google.com/maps?q=34.0617,-118.3005",
        "www.google.com/maps/@34.0617,-118.3005,17z",
        "see https://www.google.com/maps?q=34.0617,-118.3005.",
        "(https://maps.google.com/?q=34.0617,-118.3005)",
        "<https://maps.google.com/?q=34.0617,-118.3005>",
        "pin:https://maps.google.com/?q=34.0617,-118.3005!!",
    ] {
        assert_eq!(at(text), LA, "{text:?}");
    }
    // The place (!3d/!4d) wins over the viewport centre (@), wherever they sit.
    let data = "https://www.google.com/maps/place/Cafe/@34.0500,-118.2500,15z/data=!4m6!3m5!1s0x0:0x0!8m2!3d34.0617!4d-118.3005!16s";
    assert_eq!(at(data), LA);
    // A query for a name falls back to the viewport.
    assert_eq!(
        at("https://www.google.com/maps/search/pizza/@34.0617,-118.3005,14z?q=pizza"),
        LA
    );
    // Not a map, or nothing to find.
    assert_eq!(at("https://www.google.com/maps/place/Los+Angeles"), None);
    assert_eq!(at("https://www.google.com/maps?q=95.0,10.0"), None);
}

#[test]
fn apple_and_osm_links() {
    for text in [
        "https://maps.apple.com/?ll=34.0617,-118.3005&q=Dropped%20Pin",
        "https://maps.apple.com/?q=34.0617,-118.3005",
        "https://maps.apple.com/?sll=34.0617,-118.3005&z=10&t=s",
        "https://maps.apple.com/place?coordinate=34.0617,-118.3005&name=Marked",
        "maps.apple.com/?ll=34.0617,-118.3005",
        "https://www.openstreetmap.org/?mlat=34.0617&mlon=-118.3005#map=17/34.0500/-118.2500",
        "https://www.openstreetmap.org/#map=17/34.0617/-118.3005",
        "https://www.openstreetmap.org/#map=17/34.0617/-118.3005&layers=H",
        "https://osm.org/?mlat=34.0617&mlon=-118.3005",
        "osm.org/#map=19/34.0617/-118.3005",
        "openstreetmap.org/#map=17/34.0617/-118.3005.",
    ] {
        assert_eq!(at(text), LA, "{text:?}");
    }
    assert_eq!(at("https://maps.apple.com/?q=Pizza"), None);
    assert_eq!(at("https://www.openstreetmap.org/node/123456"), None);
    assert_eq!(at("https://www.openstreetmap.org/#map=17/95.0/10.0"), None);
}

#[test]
fn short_links_and_order() {
    for text in [
        "https://goo.gl/maps/AbCdEf123",
        "https://maps.app.goo.gl/AbCdEf123",
        "maps.app.goo.gl/xyz",
        "https://osm.org/go/TZNSqks--",
        "https://maps.apple/p/AbCdEf",
        "https://www.google.com/search?q=34.0617,-118.3005",
    ] {
        assert_eq!(at(text), None, "{text:?}");
    }
    // A short link doesn't hide plain coordinates next to it.
    assert_eq!(at("https://maps.app.goo.gl/xyz or 34.0617,-118.3005"), LA);
    // The first location in the text wins, link or plain.
    assert_eq!(
        at("10.1234, 20.5678 then geo:34.0617,-118.3005"),
        Some((10.1234, 20.5678))
    );
    assert_eq!(at("geo:34.0617,-118.3005 then 10.1234, 20.5678"), LA);
    // Numbers inside a link are the link's business, not plain text.
    assert_eq!(
        at("https://www.google.com/maps/place/Foo/@95.1234,10.1234,17z"),
        None
    );
}

#[test]
fn hostile_text() {
    let long = "9".repeat(100_000);
    assert_eq!(at(&long), None);
    let many = "99.999 99.999 ".repeat(5_000);
    assert_eq!(at(&many), None);
    assert_eq!(at("geo:%ZZ,%4"), None);
    assert_eq!(at("https://www.google.com/maps?q=%E2%82%AC%FF"), None);
    assert_eq!(at("ü34.0617,-118.3005 ☎ 34.0617,-118.3005"), LA);
    assert_eq!(at("https://maps.google.com/?q=1e5,1e5"), None);
    assert_eq!(at(&format!("geo:{},{}", "1".repeat(400), "2")), None);
}

#[test]
fn random_text_never_panics_and_stays_in_range() {
    // Fragments of every form, glued at random: any answer must be in range.
    let parts = [
        "34.0617",
        "-118.3005",
        "95.0000",
        ",",
        " ",
        "geo:",
        "?q=",
        ";u=3",
        "@",
        "!3d",
        "!4d",
        "/",
        "#map=17",
        "https://",
        "www.google.com/maps",
        "maps.apple.com/?ll=",
        "osm.org/?mlat=",
        "&mlon=",
        "%2C",
        "(",
        ")",
        "°",
        "N",
        "W",
        "ü",
        ".",
        "0",
        "180.00001",
        "-90.000",
    ];
    let mut s: u64 = 99;
    for _ in 0..20_000 {
        let mut text = String::new();
        for _ in 0..12 {
            s = s
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            text.push_str(parts[(s >> 33) as usize % parts.len()]);
        }
        if let Some((lat, lon)) = at(&text) {
            assert!(
                (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon),
                "{text:?}"
            );
        }
    }
}
