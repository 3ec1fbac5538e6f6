//! Reading JSON request bodies field by field, so that every refusal names its field.

use axum::body::Bytes;
use serde_json::{Map, Value};

use crate::web::ApiError;

pub struct Body(Map<String, Value>);

impl Body {
    pub fn parse(bytes: &Bytes) -> Result<Body, ApiError> {
        match serde_json::from_slice::<Value>(bytes) {
            Ok(Value::Object(map)) => Ok(Body(map)),
            Ok(_) => Err(ApiError::bad_request("the body must be a JSON object")),
            Err(e) => Err(ApiError::bad_request(format!("the body is not valid JSON: {e}"))),
        }
    }

    pub fn get(&self, field: &str) -> Option<&Value> {
        self.0.get(field).filter(|v| !v.is_null())
    }

    pub fn required(&self, field: &str) -> Result<&Value, ApiError> {
        self.get(field)
            .ok_or_else(|| ApiError::invalid(field, format!("{field} is required")))
    }

    pub fn str(&self, field: &str) -> Result<Option<&str>, ApiError> {
        match self.get(field) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(_) => Err(ApiError::invalid(field, format!("{field} must be a string"))),
        }
    }

    pub fn required_str(&self, field: &str) -> Result<&str, ApiError> {
        self.str(field)?
            .ok_or_else(|| ApiError::invalid(field, format!("{field} is required")))
    }

    pub fn bool(&self, field: &str) -> Result<Option<bool>, ApiError> {
        match self.get(field) {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(_) => Err(ApiError::invalid(field, format!("{field} must be true or false"))),
        }
    }

    /// A required id (a whole number from 1) of `what`, e.g. "an incident".
    pub fn id(&self, field: &str, what: &str) -> Result<i64, ApiError> {
        self.get(field)
            .and_then(Value::as_i64)
            .filter(|n| *n >= 1)
            .ok_or_else(|| ApiError::invalid(field, format!("{field} must be the id of {what}")))
    }

    pub fn f64(&self, field: &str) -> Result<Option<f64>, ApiError> {
        match self.get(field) {
            None => Ok(None),
            Some(v) => v
                .as_f64()
                .filter(|x| x.is_finite())
                .map(Some)
                .ok_or_else(|| ApiError::invalid(field, format!("{field} must be a number"))),
        }
    }
}

/// A point from `lat`/`lon` fields: both or neither, in range.
pub fn point(body: &Body, required: bool) -> Result<Option<(f64, f64)>, ApiError> {
    match (body.f64("lat")?, body.f64("lon")?) {
        (None, None) if !required => Ok(None),
        (None, _) => Err(ApiError::invalid("lat", "lat is required with lon")),
        (_, None) => Err(ApiError::invalid("lon", "lon is required with lat")),
        (Some(lat), _) if !(-90.0..=90.0).contains(&lat) => {
            Err(ApiError::invalid("lat", format!("lat {lat} is outside -90..90")))
        }
        (_, Some(lon)) if !(-180.0..=180.0).contains(&lon) => Err(ApiError::invalid(
            "lon",
            format!("lon {lon} is outside -180..180"),
        )),
        (Some(lat), Some(lon)) => Ok(Some((lat, lon))),
    }
}

/// A path id: positive integer, else 404 (the thing cannot exist).
pub fn id(raw: &str, what: &str) -> Result<i64, ApiError> {
    raw.parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .ok_or_else(|| ApiError::not_found(what))
}
