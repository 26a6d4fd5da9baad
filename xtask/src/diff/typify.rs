//! The Rust type typify 0.8 generates for a schema, as far as the keywords that are not
//! types decide it: a constrained string becomes a checking newtype, `uniqueItems` a set,
//! equal `minItems` and `maxItems` a fixed array, bounds choose the integer width (a minimum of
//! 1 a `NonZero` type), `format` a chrono, uuid or address type, `enum` an enum, null an
//! `Option` (unless the field is optional anyway). Comparing the two tells whether code that
//! compiled against the old type still does.
//!
//! Only a description of the type is produced, enough to tell two apart; objects and
//! compositions are described elsewhere (by their names and fields).

use serde_json::{Map, Value};

use super::constraints::accepts_null;

/// A description of the Rust type typify generates for `schema`, or `None` for objects,
/// compositions and schemas without a single type. `optional` says the field is an `Option`
/// whatever the schema says.
pub fn rust_type(schema: &Map<String, Value>, optional: bool) -> Option<String> {
    let names: Vec<&str> = match schema.get("type")? {
        Value::String(name) => vec![name.as_str()],
        Value::Array(names) => names.iter().filter_map(Value::as_str).collect(),
        _ => return None,
    };
    let mut kinds = names.into_iter().filter(|name| *name != "null");
    let (Some(kind), None) = (kinds.next(), kinds.next()) else {
        return None;
    };
    let format = schema.get("format").and_then(Value::as_str);
    let inner = if schema.contains_key("enum") || schema.contains_key("const") {
        "an enum".to_string()
    } else {
        match kind {
            "string" => string(schema, format),
            "integer" => integer(schema, format),
            "number" if format == Some("float") => "f32".to_string(),
            "number" => "f64".to_string(),
            "boolean" => "bool".to_string(),
            "array" => array(schema),
            _ => return None,
        }
    };
    Some(if accepts_null(schema) && !optional {
        format!("Option<{inner}>")
    } else {
        inner
    })
}

/// Whether typify gives the schema a type of its own, which an inline schema's `title` names.
pub fn is_named(schema: &Value) -> bool {
    ["properties", "enum", "oneOf", "anyOf", "allOf", "const"]
        .iter()
        .any(|key| schema.get(key).is_some())
        || schema.get("type").and_then(Value::as_str) == Some("object")
}

fn string(schema: &Map<String, Value>, format: Option<&str>) -> String {
    let native = match format {
        Some("uuid") => Some("uuid::Uuid"),
        Some("date") => Some("chrono::NaiveDate"),
        Some("date-time") => Some("chrono::DateTime<Utc>"),
        Some("ip") => Some("std::net::IpAddr"),
        Some("ipv4") => Some("std::net::Ipv4Addr"),
        Some("ipv6") => Some("std::net::Ipv6Addr"),
        _ => None,
    };
    if let Some(native) = native {
        return native.to_string();
    }
    let constrained = ["minLength", "maxLength", "pattern"]
        .iter()
        .any(|key| schema.contains_key(*key));
    if constrained {
        "a String newtype that checks minLength, maxLength and pattern".to_string()
    } else {
        "String".to_string()
    }
}

fn array(schema: &Map<String, Value>) -> String {
    let count = |key: &str| schema.get(key).and_then(Value::as_u64);
    if schema.get("uniqueItems") == Some(&Value::Bool(true)) {
        return "a set".to_string();
    }
    match (count("minItems"), count("maxItems")) {
        (Some(min), Some(max)) if min == max && min > 0 => format!("an array of {min}"),
        _ => "a Vec".to_string(),
    }
}

/// typify's choice of integer type (`convert_integer`): the format's type when the bounds fit
/// it, `NonZero` for a minimum of 1, otherwise a type whose range the bounds match exactly,
/// otherwise `i64`.
fn integer(schema: &Map<String, Value>, format: Option<&str>) -> String {
    const TYPES: [(&str, &str, &str, f64, f64); 10] = [
        ("int8", "i8", "NonZeroU8", i8::MIN as f64, i8::MAX as f64),
        ("uint8", "u8", "NonZeroU8", u8::MIN as f64, u8::MAX as f64),
        (
            "int16",
            "i16",
            "NonZeroU16",
            i16::MIN as f64,
            i16::MAX as f64,
        ),
        (
            "uint16",
            "u16",
            "NonZeroU16",
            u16::MIN as f64,
            u16::MAX as f64,
        ),
        (
            "int32",
            "i32",
            "NonZeroU32",
            i32::MIN as f64,
            i32::MAX as f64,
        ),
        (
            "uint32",
            "u32",
            "NonZeroU32",
            u32::MIN as f64,
            u32::MAX as f64,
        ),
        ("int", "i32", "NonZeroU32", i32::MIN as f64, i32::MAX as f64),
        (
            "uint",
            "u32",
            "NonZeroU32",
            u32::MIN as f64,
            u32::MAX as f64,
        ),
        (
            "int64",
            "i64",
            "NonZeroU64",
            i64::MIN as f64,
            i64::MAX as f64,
        ),
        (
            "uint64",
            "u64",
            "NonZeroU64",
            u64::MIN as f64,
            u64::MAX as f64,
        ),
    ];
    let number = |key: &str| schema.get(key).and_then(Value::as_f64);
    let exclusive = |key: &str| schema.get(key).and_then(Value::as_f64);
    let mut min = match (number("minimum"), exclusive("exclusiveMinimum")) {
        (None, None) => None,
        (None, Some(value)) => Some(value + 1.0),
        (Some(value), None) => Some(value),
        (Some(min), Some(exclusive)) => Some(min.max(exclusive + 1.0)),
    };
    let mut max = match (number("maximum"), exclusive("exclusiveMaximum")) {
        (None, None) => None,
        (None, Some(value)) => Some(value - 1.0),
        (Some(value), None) => Some(value),
        (Some(max), Some(exclusive)) => Some(max.min(exclusive - 1.0)),
    };
    let multiple = schema.contains_key("multipleOf");
    if let Some((_, ty, non_zero, low, high)) =
        format.and_then(|format| TYPES.iter().find(|entry| entry.0 == format))
    {
        let fits = min.is_none_or(|min| min >= *low) && max.is_none_or(|max| max <= *high);
        if !multiple && fits {
            return if min == Some(1.0) { non_zero } else { ty }.to_string();
        }
        min = min.or(Some(*low));
        max = max.or(Some(*high));
    }
    let exact = |value: f64, bound: f64| (bound - value).abs() <= f64::EPSILON;
    let chosen = TYPES
        .iter()
        .rev()
        .find_map(|(_, ty, non_zero, low, high)| match (min, max) {
            (Some(1.0), _) => Some(*non_zero),
            (None, Some(max)) if exact(max, *high) => Some(*ty),
            (Some(min), None) if exact(min, *low) => Some(*ty),
            (Some(min), Some(max)) if exact(min, *low) && exact(max, *high) => Some(*ty),
            _ => None,
        });
    chosen.unwrap_or("i64").to_string()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    fn rust_type(schema: serde_json::Value) -> Option<String> {
        super::rust_type(schema.as_object().unwrap(), false)
    }

    #[test]
    fn integers_follow_typify() {
        assert_eq!(rust_type(json!({"type": "integer"})).unwrap(), "i64");
        let int32 = json!({"type": "integer", "format": "int32"});
        assert_eq!(rust_type(int32).unwrap(), "i32");
        let positive = json!({"type": "integer", "format": "int32", "minimum": 1});
        assert_eq!(rust_type(positive).unwrap(), "NonZeroU32");
        let byte = json!({"type": "integer", "minimum": 0, "maximum": 255});
        assert_eq!(rust_type(byte).unwrap(), "u8");
    }

    #[test]
    fn constrained_strings_sets_and_nulls() {
        let plain = json!({"type": "string", "maxLength": 0});
        assert!(rust_type(plain).unwrap().contains("newtype"));
        let set = json!({"type": "array", "uniqueItems": true});
        assert_eq!(rust_type(set).unwrap(), "a set");
        let nullable = json!({"type": ["string", "null"]});
        assert_eq!(rust_type(nullable).unwrap(), "Option<String>");
        let optional = json!({"type": "string", "nullable": true});
        assert_eq!(
            super::rust_type(optional.as_object().unwrap(), true).unwrap(),
            "String"
        );
        assert_eq!(rust_type(json!({"type": "object"})), None);
    }
}
