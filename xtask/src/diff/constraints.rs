//! Narrowing and widening: for each constraint keyword of OpenAPI 3.0 and 3.1, whether the new
//! schema accepts fewer values than the old one, more, or neither. The side then decides: a
//! request that accepts less, or a response that may carry more, breaks the old client.
//!
//! Equivalent rewrites are no change: `minimum: 5, exclusiveMinimum: true` (3.0) is
//! `exclusiveMinimum: 5` (3.1), `minLength: 0` is no `minLength`, `const: a` is `enum: [a]`.

use std::collections::BTreeSet;

use serde_json::{Map, Value};

use super::document::show;
use super::model::{Change, Side};
use super::rules;

/// How the new set of accepted values relates to the old one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    /// Fewer values.
    Narrowed,
    /// More values.
    Widened,
    /// Some values fewer and some more: breaking on both sides.
    Both,
}

/// How the new `type` relates to the old one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TypeRelation {
    /// The same types (null aside).
    Same,
    /// One contains the other: the other keywords still describe the same kind of value.
    Related,
    /// Neither contains the other.
    Unrelated,
}

/// A narrowed or widened set of accepted values.
pub fn restriction(
    side: Side,
    location: &str,
    narrowed: bool,
    detail: impl Into<String>,
) -> Change {
    let direction = if narrowed {
        Direction::Narrowed
    } else {
        Direction::Widened
    };
    directed(side, location, direction, detail)
}

/// A change of the accepted values in `direction`. `Both` breaks on either side, so it takes the
/// rule that breaks there.
pub fn directed(
    side: Side,
    location: &str,
    direction: Direction,
    detail: impl Into<String>,
) -> Change {
    let narrowed = match direction {
        Direction::Narrowed => true,
        Direction::Widened => false,
        Direction::Both => side == Side::Request,
    };
    let rule = match (side, narrowed) {
        (Side::Request, true) => &rules::REQUEST_CONSTRAINT_NARROWED,
        (Side::Request, false) => &rules::REQUEST_CONSTRAINT_WIDENED,
        (Side::Response, true) => &rules::RESPONSE_CONSTRAINT_NARROWED,
        (Side::Response, false) => &rules::RESPONSE_CONSTRAINT_WIDENED,
    };
    Change::new(rule, location, detail)
}

/// `type` (a name, or a 3.1 array of names) and null (`nullable: true` in 3.0, `"null"` among
/// the types in 3.1). `integer` is a kind of `number`.
pub fn types(
    side: Side,
    location: &str,
    old: &Map<String, Value>,
    new: &Map<String, Value>,
) -> (Vec<Change>, TypeRelation) {
    let (was, is) = (non_null_types(old), non_null_types(new));
    let describe = |types: &Option<BTreeSet<String>>| match types {
        None => "any".to_string(),
        Some(types) => types.iter().cloned().collect::<Vec<_>>().join(" or "),
    };
    let detail = format!("type changed from {} to {}", describe(&was), describe(&is));
    let (relation, rule) = match (&was, &is) {
        (was, is) if was == is => (TypeRelation::Same, None),
        (None, Some(_)) => (TypeRelation::Related, Some(Direction::Narrowed)),
        (Some(_), None) => (TypeRelation::Related, Some(Direction::Widened)),
        (Some(was), Some(is)) if covers(is, was) => {
            (TypeRelation::Related, Some(Direction::Widened))
        }
        (Some(was), Some(is)) if covers(was, is) => {
            (TypeRelation::Related, Some(Direction::Narrowed))
        }
        _ => (TypeRelation::Unrelated, None),
    };
    let mut changes = Vec::new();
    match (relation, rule) {
        (TypeRelation::Unrelated, _) => {
            changes.push(Change::new(&rules::TYPE_CHANGED, location, detail));
            return (changes, relation);
        }
        (_, Some(direction)) => {
            let rule = match (side, direction) {
                (Side::Request, Direction::Widened) => &rules::REQUEST_TYPE_WIDENED,
                (Side::Request, _) => &rules::REQUEST_TYPE_NARROWED,
                (Side::Response, Direction::Widened) => &rules::RESPONSE_TYPE_WIDENED,
                (Side::Response, _) => &rules::RESPONSE_TYPE_NARROWED,
            };
            changes.push(Change::new(rule, location, detail));
        }
        _ => {}
    }
    let (was_null, is_null) = (accepts_null(old), accepts_null(new));
    let nullable = match (side, was_null, is_null) {
        (Side::Request, false, true) => Some((&rules::REQUEST_NULLABLE_ADDED, "became nullable")),
        (Side::Request, true, false) => {
            Some((&rules::REQUEST_NULLABLE_REMOVED, "no longer nullable"))
        }
        (Side::Response, false, true) => Some((&rules::RESPONSE_NULLABLE_ADDED, "became nullable")),
        (Side::Response, true, false) => {
            Some((&rules::RESPONSE_NULLABLE_REMOVED, "no longer nullable"))
        }
        _ => None,
    };
    if let Some((rule, detail)) = nullable {
        changes.push(Change::new(rule, location, detail));
    }
    (changes, relation)
}

/// The types a schema names, without `null`; `None` when it names none (any type).
fn non_null_types(schema: &Map<String, Value>) -> Option<BTreeSet<String>> {
    let names: BTreeSet<String> = match schema.get("type")? {
        Value::String(name) => [name.clone()].into(),
        Value::Array(names) => names
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect(),
        _ => return None,
    };
    let names: BTreeSet<String> = names.into_iter().filter(|name| name != "null").collect();
    (!names.is_empty()).then_some(names)
}

/// Whether `wide` accepts every value of every type in `narrow`.
fn covers(wide: &BTreeSet<String>, narrow: &BTreeSet<String>) -> bool {
    narrow
        .iter()
        .all(|name| wide.contains(name) || (name == "integer" && wide.contains("number")))
}

/// Whether null is accepted: `nullable: true` (3.0) or `"null"` among the types (3.1).
pub fn accepts_null(schema: &Map<String, Value>) -> bool {
    let nullable = schema.get("nullable") == Some(&Value::Bool(true));
    let listed = match schema.get("type") {
        Some(Value::String(name)) => name == "null",
        Some(Value::Array(names)) => names.iter().any(|name| name == "null"),
        _ => false,
    };
    nullable || listed
}

/// `enum` and `const` (a `const` is an `enum` of one value): one change per value removed or
/// added, or one for the restriction appearing or going.
pub fn values(
    side: Side,
    location: &str,
    old: &Map<String, Value>,
    new: &Map<String, Value>,
) -> Vec<Change> {
    match (allowed(old), allowed(new)) {
        (None, None) => Vec::new(),
        (Some(old), Some(new)) => {
            let (removed_rule, added_rule) = match side {
                Side::Request => (
                    &rules::REQUEST_ENUM_VALUE_REMOVED,
                    &rules::REQUEST_ENUM_VALUE_ADDED,
                ),
                Side::Response => (
                    &rules::RESPONSE_ENUM_VALUE_REMOVED,
                    &rules::RESPONSE_ENUM_VALUE_ADDED,
                ),
            };
            let removed = old
                .iter()
                .filter(|value| !new.contains(value))
                .map(|value| {
                    let detail = format!("enum value {} removed", show(Some(value)));
                    Change::new(removed_rule, location, detail)
                });
            let added = new
                .iter()
                .filter(|value| !old.contains(value))
                .map(|value| {
                    let detail = format!("enum value {} added", show(Some(value)));
                    Change::new(added_rule, location, detail)
                });
            removed.chain(added).collect()
        }
        (old, _) => {
            let detail = if old.is_some() {
                "enum (or const) removed: any value accepted"
            } else {
                "enum (or const) added: only its values accepted"
            };
            vec![restriction(side, location, old.is_none(), detail)]
        }
    }
}

/// The values `enum` and `const` allow together, or `None` when neither is there.
fn allowed(schema: &Map<String, Value>) -> Option<Vec<Value>> {
    let listed = schema.get("enum").and_then(Value::as_array);
    match (listed, schema.get("const")) {
        (None, None) => None,
        (Some(listed), None) => Some(listed.clone()),
        (None, Some(constant)) => Some(vec![constant.clone()]),
        (Some(listed), Some(constant)) => Some(
            listed
                .iter()
                .filter(|value| *value == constant)
                .cloned()
                .collect(),
        ),
    }
}

/// A numeric bound and whether it excludes its value.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Bound {
    value: f64,
    exclusive: bool,
}

/// The lower bound of `minimum` and `exclusiveMinimum` (a flag in 3.0, a number in 3.1), and
/// the upper one of `maximum` and `exclusiveMaximum`, each compared as one bound.
pub fn numeric_bounds(
    side: Side,
    location: &str,
    old: &Map<String, Value>,
    new: &Map<String, Value>,
) -> Vec<Change> {
    let mut changes = Vec::new();
    for (inclusive, exclusive, lower) in [
        ("minimum", "exclusiveMinimum", true),
        ("maximum", "exclusiveMaximum", false),
    ] {
        let (was, is) = (
            bound(old, inclusive, exclusive, lower),
            bound(new, inclusive, exclusive, lower),
        );
        let direction = match (was, is) {
            (None, None) => continue,
            (None, Some(_)) => Direction::Narrowed,
            (Some(_), None) => Direction::Widened,
            (Some(was), Some(is)) => {
                // Compared as lower bounds; an upper bound is a lower bound of the negation.
                let sign = if lower { 1.0 } else { -1.0 };
                let (was_value, is_value) = (was.value * sign, is.value * sign);
                if is_value > was_value || (is_value == was_value && is.exclusive && !was.exclusive)
                {
                    Direction::Narrowed
                } else if is_value < was_value
                    || (is_value == was_value && !is.exclusive && was.exclusive)
                {
                    Direction::Widened
                } else {
                    continue;
                }
            }
        };
        let render = |bound: Option<Bound>| match (bound, lower) {
            (None, _) => "none".to_string(),
            (Some(bound), true) => format!(
                "{}{}",
                if bound.exclusive { "> " } else { ">= " },
                bound.value
            ),
            (Some(bound), false) => format!(
                "{}{}",
                if bound.exclusive { "< " } else { "<= " },
                bound.value
            ),
        };
        let which = if lower { "lower" } else { "upper" };
        let detail = format!(
            "{which} bound ({inclusive}/{exclusive}) changed from {} to {}",
            render(was),
            render(is)
        );
        changes.push(directed(side, location, direction, detail));
    }
    changes
}

fn bound(
    schema: &Map<String, Value>,
    inclusive: &str,
    exclusive: &str,
    lower: bool,
) -> Option<Bound> {
    let mut bound = schema
        .get(inclusive)
        .and_then(Value::as_f64)
        .map(|value| Bound {
            value,
            exclusive: false,
        });
    match schema.get(exclusive) {
        Some(Value::Bool(true)) => {
            if let Some(bound) = &mut bound {
                bound.exclusive = true;
            }
        }
        Some(Value::Number(number)) => {
            let candidate = Bound {
                value: number.as_f64().unwrap_or_default(),
                exclusive: true,
            };
            let stricter = match bound {
                None => true,
                Some(bound) if lower => candidate.value >= bound.value,
                Some(bound) => candidate.value <= bound.value,
            };
            if stricter {
                bound = Some(candidate);
            }
        }
        _ => {}
    }
    bound
}

/// The keywords that count: lengths, items, properties, matches of `contains`. A missing lower
/// count is 0 (`minContains` 1), a missing upper one is no limit.
pub fn counts(
    side: Side,
    location: &str,
    old: &Map<String, Value>,
    new: &Map<String, Value>,
) -> Vec<Change> {
    const COUNTS: [(&str, f64); 8] = [
        ("minLength", 0.0),
        ("minItems", 0.0),
        ("minProperties", 0.0),
        ("minContains", 1.0),
        ("maxLength", f64::INFINITY),
        ("maxItems", f64::INFINITY),
        ("maxProperties", f64::INFINITY),
        ("maxContains", f64::INFINITY),
    ];
    let mut changes = Vec::new();
    for (keyword, missing) in COUNTS {
        let value = |schema: &Map<String, Value>| {
            schema
                .get(keyword)
                .and_then(Value::as_f64)
                .unwrap_or(missing)
        };
        let (was, is) = (value(old), value(new));
        if was == is {
            continue;
        }
        let lower = keyword.starts_with("min");
        let narrowed = if lower { is > was } else { is < was };
        let verb = match (old.get(keyword), new.get(keyword)) {
            (None, _) => "added",
            (_, None) => "removed",
            _ if is > was => "raised",
            _ => "lowered",
        };
        let detail = format!(
            "{keyword} {verb} from {} to {}",
            show(old.get(keyword)),
            show(new.get(keyword))
        );
        changes.push(restriction(side, location, narrowed, detail));
    }
    changes
}

/// `format`: added narrows, removed widens; `int32` to `int64` and `float` to `double` widen
/// (and back narrow); any other change breaks on both sides.
pub fn format(
    side: Side,
    location: &str,
    old: Option<&Value>,
    new: Option<&Value>,
) -> Option<Change> {
    const WIDER: [(&str, &str); 2] = [("int32", "int64"), ("float", "double")];
    let (was, is) = (old.and_then(Value::as_str), new.and_then(Value::as_str));
    let direction = match (was, is) {
        (None, None) => return None,
        (None, Some(_)) => Direction::Narrowed,
        (Some(_), None) => Direction::Widened,
        (Some(was), Some(is)) if WIDER.contains(&(was, is)) => Direction::Widened,
        (Some(was), Some(is)) if WIDER.contains(&(is, was)) => Direction::Narrowed,
        _ => Direction::Both,
    };
    let detail = format!("format changed from {} to {}", show(old), show(new));
    Some(directed(side, location, direction, detail))
}

/// Patterns that every string matches: JSON Schema's `pattern` is not anchored, so these find
/// a (possibly empty) match in any string.
const MATCHES_ANYTHING: [&str; 7] = ["", ".*", "^.*", ".*$", "(.*)", "[\\s\\S]*", "^[\\s\\S]*$"];

/// `pattern`, where it can be decided: a pattern added or removed, or one that matches
/// anything put in or taken out. Whether one regular expression accepts everything another
/// does is not decided, so any other change is left for review.
pub fn pattern(
    side: Side,
    location: &str,
    old: Option<&Value>,
    new: Option<&Value>,
) -> Option<Change> {
    let anything = |pattern: Option<&Value>| {
        pattern
            .and_then(Value::as_str)
            .is_none_or(|pattern| MATCHES_ANYTHING.contains(&pattern))
    };
    let detail = match (old, new) {
        (None, _) => format!("pattern {} added", show(new)),
        (_, None) => format!("pattern {} removed", show(old)),
        _ => format!("pattern changed from {} to {}", show(old), show(new)),
    };
    match (anything(old), anything(new)) {
        (true, true) => None,
        (true, false) => Some(restriction(side, location, true, detail)),
        (false, true) => Some(restriction(side, location, false, detail)),
        (false, false) => Some(Change::new(
            &rules::UNCLASSIFIED,
            location,
            format!(
                "{detail}: whether one regular expression accepts everything the other does is \
                 not decided"
            ),
        )),
    }
}

/// `multipleOf`: widened when every old multiple is still one (the new divisor divides the
/// old), narrowed when the reverse holds, both otherwise.
pub fn multiple_of(
    side: Side,
    location: &str,
    old: Option<&Value>,
    new: Option<&Value>,
) -> Option<Change> {
    let divides = |small: f64, large: f64| {
        let ratio = large / small;
        (ratio - ratio.round()).abs() < 1e-9
    };
    let direction = match (old.and_then(Value::as_f64), new.and_then(Value::as_f64)) {
        (None, None) => return None,
        (_, None) => Direction::Widened,
        (None, Some(_)) => Direction::Narrowed,
        (Some(was), Some(is)) if divides(is, was) => Direction::Widened,
        (Some(was), Some(is)) if divides(was, is) => Direction::Narrowed,
        _ => Direction::Both,
    };
    let detail = format!("multipleOf changed from {} to {}", show(old), show(new));
    Some(directed(side, location, direction, detail))
}

/// A yes/no restriction such as `uniqueItems`: turning it on narrows, off widens.
pub fn flag(side: Side, location: &str, what: &str, was: bool, is: bool) -> Option<Change> {
    (was != is).then(|| {
        let detail = if is {
            format!("{what} now applies")
        } else {
            format!("{what} no longer applies")
        };
        restriction(side, location, is, detail)
    })
}

/// `dependentRequired` (3.1): each (property, dependent) pair is a constraint.
pub fn dependent_required(
    side: Side,
    location: &str,
    old: Option<&Value>,
    new: Option<&Value>,
) -> Option<Change> {
    let pairs = |value: Option<&Value>| -> BTreeSet<(String, String)> {
        value
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .flat_map(|(name, dependents)| {
                dependents
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                    .map(move |dependent| (name.clone(), dependent.to_string()))
            })
            .collect()
    };
    let (was, is) = (pairs(old), pairs(new));
    let added: Vec<String> = is
        .difference(&was)
        .map(|(a, b)| format!("{a} needs {b}"))
        .collect();
    let removed: Vec<String> = was
        .difference(&is)
        .map(|(a, b)| format!("{a} needs {b}"))
        .collect();
    let direction = match (added.is_empty(), removed.is_empty()) {
        (true, true) => return None,
        (false, true) => Direction::Narrowed,
        (true, false) => Direction::Widened,
        (false, false) => Direction::Both,
    };
    let mut parts = Vec::new();
    if !added.is_empty() {
        parts.push(format!("added: {}", added.join(", ")));
    }
    if !removed.is_empty() {
        parts.push(format!("removed: {}", removed.join(", ")));
    }
    let detail = format!("dependentRequired {}", parts.join("; "));
    Some(directed(side, location, direction, detail))
}
