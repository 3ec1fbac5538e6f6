use super::*;

const HERE: (f64, f64) = (34.0633, -118.2846);

fn near(got: Result<(f64, f64), CoordsError>, want: (f64, f64), text: &str) {
    let (lat, lon) = got.unwrap_or_else(|e| panic!("{text:?}: {e:?}"));
    assert!(
        (lat - want.0).abs() < 1e-4 && (lon - want.1).abs() < 1e-4,
        "{text:?} gave {lat}, {lon}"
    );
}

fn reason(text: &str) -> String {
    match parse_coordinates(text) {
        Err(CoordsError::Invalid(why)) => why,
        other => panic!("{text:?} should be refused with a reason, gave {other:?}"),
    }
}

#[test]
fn decimal_degrees_comma_or_space_separated() {
    for text in [
        "34.0633, -118.2846",
        "34.0633,-118.2846",
        "34.0633 -118.2846",
        "  34.0633   -118.2846 ",
        "34.0633; -118.2846",
        "(34.0633, -118.2846)",
        "+34.0633, −118.2846",
        "34.0633° N, 118.2846° W",
        "34.0633N 118.2846W",
        "N34.0633 W118.2846",
        "lat: 34.0633, lon: -118.2846",
        "34.0633, -118.2846",
    ] {
        near(parse_coordinates(text), HERE, text);
    }
    near(
        parse_coordinates("-33.8688, 151.2093"),
        (-33.8688, 151.2093),
        "sydney",
    );
    near(
        parse_coordinates("33.8688 S, 151.2093 E"),
        (-33.8688, 151.2093),
        "S E",
    );
    near(parse_coordinates("34, -118"), (34.0, -118.0), "whole degrees");
}

#[test]
fn degrees_minutes_seconds_and_decimal_minutes() {
    let dms = (
        34.0 + 3.0 / 60.0 + 48.0 / 3600.0,
        -(118.0 + 17.0 / 60.0 + 5.0 / 3600.0),
    );
    for text in [
        "34°03'48\"N 118°17'05\"W",
        "34°03'48\"N, 118°17'05\"W",
        "34° 03' 48\" N 118° 17' 05\" W",
        "34°03′48″N 118°17′05″W",
        "34º03’48”N 118º17’05”W",
        "34°03'48''N 118°17'05''W",
        "N 34°03'48\" W 118°17'05\"",
        "34°03'48\" -118°17'05\"",
    ] {
        near(parse_coordinates(text), dms, text);
    }
    let dm = (34.0 + 3.8 / 60.0, -(118.0 + 17.08 / 60.0));
    for text in [
        "34° 3.8' N, 118° 17.08' W",
        "34°3.8'N 118°17.08'W",
        "N 34 03.800 W 118 17.080",
        "N 34° 03.800 W 118° 17.080",
        "34° 3.8', -118° 17.08'",
        "34° 3.8' -118° 17.08'",
    ] {
        near(parse_coordinates(text), dm, text);
    }
}

#[test]
fn hemisphere_letters_set_the_order() {
    near(
        parse_coordinates("118°17'05\"W 34°03'48\"N"),
        (34.0633, -118.2847),
        "lon first",
    );
    near(
        parse_coordinates("118.2846 W, 34.0633 N"),
        HERE,
        "lon first, decimal",
    );
    near(
        parse_coordinates("W 118.2846 N 34.0633"),
        HERE,
        "prefix, lon first",
    );
}

#[test]
fn out_of_range_and_contradictions_are_refused_with_a_reason() {
    assert!(reason("95.0, 10.0").contains("latitude 95 is outside -90..90"));
    assert!(reason("45.0, 181.0").contains("longitude 181 is outside -180..180"));
    let swapped = reason("-118.2846, 34.0633");
    assert!(swapped.contains("longitude first"), "{swapped}");
    assert!(reason("91°N 10°E").contains("latitude"));
    assert!(reason("34.0633 N, 18.2 S").contains("both numbers are latitudes"));
    assert!(reason("118 W 34 E").contains("longitudes"));
    assert!(reason("-34.0633 N, 118.2846 E").contains("minus sign"));
    assert!(reason("34°75'N 118°17'W").contains("below 60"));
    assert!(reason("34°03'61\"N 118°17'05\"W").contains("below 60"));
    assert!(reason("34.5° 30' N, 118° W").contains("whole"));
    assert!(reason("34.0633").contains("two numbers"));
    assert!(reason("34.06, -118.28, 12.0").contains("two numbers"));
    assert!(reason("34\" 10' N, 118 W").contains("degrees, then minutes"));
}

#[test]
fn other_words_are_not_coordinates() {
    for text in [
        "",
        "   ",
        "Vermont and 3rd",
        "3300 S Vermont Ave",
        "Zion Market",
        "7-11",
        "NaN, NaN",
        "inf, -inf",
        "1e5, 2e5",
        "34.0633, -118.2846 by the church",
        "https://maps.google.com/?q=34.0633,-118.2846",
        "geo:34.0633,-118.2846",
        "1234.5, 12.0",
        "34..06, -118.28",
        "34., -118.",
        "° ' \"",
        "N S",
    ] {
        assert!(parse_coordinates(text).is_err(), "{text:?} is not coordinates");
    }
    assert_eq!(
        parse_coordinates("Vermont and 3rd"),
        Err(CoordsError::NotCoordinates)
    );
}

#[test]
fn attackers_texts_never_panic() {
    let long_digits = "9".repeat(100_000);
    let long_frac = format!("34.{}, -118.1", "1".repeat(5_000));
    let samples = [
        long_digits.as_str(),
        long_frac.as_str(),
        "-",
        "+-",
        "--34, 118",
        ".",
        "'''''''''",
        "°°°°",
        "N N N N",
        "0.0000000000000001, 0",
        "34.0633\u{0}, -118.2846",
        "34.0633,\u{202e}-118.2846",
        "٣٤.٠٦, -١١٨.٢٨",
        "🙂, 🙂",
        "34°03'48\"N 118°17'05\"W 12°N",
        ",,,,,,",
        "999.999, 999.999",
    ];
    for text in samples {
        let _ = parse_coordinates(text);
    }
    // Every prefix of a good text, cut anywhere (char boundaries), gives an answer.
    let good = "N 34°03'48\" W 118°17'05.5\"";
    for (i, _) in good.char_indices() {
        let _ = parse_coordinates(&good[..i]);
    }
    assert_eq!(parse_coordinates(&long_digits), Err(CoordsError::NotCoordinates));
}
