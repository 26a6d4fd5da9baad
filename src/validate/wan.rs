//! The rules of a Wan 2.2 body (pages alibaba/wan2.2-t2v-a14b and wan2.2-i2v-a14b): which
//! input each model needs, the duration and the size.

use std::ops::RangeInclusive;

use super::{PUBLIC_URL_SOURCES, Rule, Violation, Violations};
use crate::types;

/// The durations, in seconds, the Wan 2.2 pages allow ("视频时长(秒),3–5").
pub const WAN_DURATION_SECONDS: RangeInclusive<i32> = 3..=5;

/// The documented model and its id (for messages); `None` for another id of the family, which
/// is held only to the rules every Wan page shares (not to Wan 2.2's inputs or durations).
fn documented(model: &types::WanModelId) -> Option<(types::WanModel, &'static str)> {
    match model {
        types::WanModelId::WanModel(model) => Some((
            *model,
            match model {
                types::WanModel::Wan22T2vA14b => "wan2.2-t2v-a14b",
                types::WanModel::Wan22I2vA14b => "wan2.2-i2v-a14b",
            },
        )),
        types::WanModelId::OtherWanModel(_) => None,
    }
}

/// Whether `url` is a public http(s) URL with something after the scheme.
pub(super) fn is_public_url(url: &str) -> bool {
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    (lower.starts_with("https://") && url.len() > "https://".len())
        || (lower.starts_with("http://") && url.len() > "http://".len())
}

/// Checks a Wan 2.2 body: text-to-video (`wan2.2-t2v-a14b`) needs a non-empty `prompt`,
/// image-to-video (`wan2.2-i2v-a14b`) needs `image` (a public http(s) URL); `duration` is 3 to
/// 5 seconds; `width` and `height`, when given, are greater than 0. The pages state no range for
/// `seed`. Another Wan id (`wan2.5-…`) is held only to the body's own rules (a non-empty prompt,
/// a public image URL, the duration's range, a positive size), not to a documented model's
/// inputs.
///
/// ```
/// use anyfast_video_api::{types, validate};
///
/// let body: types::WanVideoRequest = serde_json::from_value(serde_json::json!({
///     "model": "wan2.2-i2v-a14b",
///     "prompt": "相机缓慢推进",
///     "width": 0
/// }))?;
/// assert_eq!(
///     validate::check_wan(&body).unwrap_err().to_string(),
///     "image: is required for wan2.2-i2v-a14b; width: must be greater than 0",
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn check_wan(body: &types::WanVideoRequest) -> Result<(), Violations> {
    let documented = documented(&body.model);
    let mut found = Vec::new();
    let mut report = |field: &str, rule: Rule| {
        found.push(Violation {
            field: field.to_string(),
            rule,
        })
    };

    match (&body.prompt, documented) {
        (Some(prompt), _) if prompt.trim().is_empty() => report("prompt", Rule::EmptyText),
        (None, Some((types::WanModel::Wan22T2vA14b, model))) => {
            report("prompt", Rule::RequiredFor { model })
        }
        _ => {}
    }
    match (&body.image, documented) {
        (Some(image), _) if !is_public_url(image) => report(
            "image",
            Rule::UrlScheme {
                allowed: PUBLIC_URL_SOURCES,
            },
        ),
        (None, Some((types::WanModel::Wan22I2vA14b, model))) => {
            report("image", Rule::RequiredFor { model })
        }
        _ => {}
    }
    if let Some(duration) = body.duration
        && !WAN_DURATION_SECONDS.contains(&duration)
    {
        let model = documented.map(|(_, id)| id);
        report(
            "duration",
            Rule::duration_outside(model, &WAN_DURATION_SECONDS),
        );
    }
    for (field, value) in [("width", body.width), ("height", body.height)] {
        if value.is_some_and(|value| value <= 0) {
            report(field, Rule::Positive);
        }
    }

    if found.is_empty() {
        Ok(())
    } else {
        Err(Violations(found))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    fn fields(body: Value) -> Vec<(String, Rule)> {
        let body: types::WanVideoRequest = serde_json::from_value(body).unwrap();
        match check_wan(&body) {
            Ok(()) => Vec::new(),
            Err(Violations(found)) => found.into_iter().map(|v| (v.field, v.rule)).collect(),
        }
    }

    #[test]
    fn the_pages_examples_pass() {
        let t2v = json!({"model": "wan2.2-t2v-a14b", "prompt": "a cat playing piano",
            "duration": 5, "width": 1280, "height": 720, "seed": 123, "metadata": {}});
        assert_eq!(fields(t2v), []);
        let i2v = json!({"model": "wan2.2-i2v-a14b", "image": "https://example.com/reference.jpg",
            "prompt": "相机缓慢推进", "duration": 5});
        assert_eq!(fields(i2v), []);
        let i2v_without_prompt =
            json!({"model": "wan2.2-i2v-a14b", "image": "http://example.com/reference.jpg"});
        assert_eq!(fields(i2v_without_prompt), []);
    }

    #[test]
    fn another_wan_id_is_not_second_guessed() {
        // Neither a prompt nor an image is required of an id whose inputs no page states.
        let body = json!({"model": "wan2.5-i2v-preview", "duration": 5});
        let typed: types::WanVideoRequest = serde_json::from_value(body.clone()).unwrap();
        assert!(matches!(typed.model, types::WanModelId::OtherWanModel(_)));
        assert_eq!(fields(body), []);
        assert_eq!(
            fields(
                json!({"model": "wan2.5-i2v-preview", "image": "/tmp/a.png", "width": 0,
                "duration": 10})
            ),
            [
                (
                    "image".to_string(),
                    Rule::UrlScheme {
                        allowed: PUBLIC_URL_SOURCES
                    }
                ),
                ("duration".to_string(), Rule::OutOfRange { min: 3, max: 5 }),
                ("width".to_string(), Rule::Positive)
            ]
        );
    }

    #[test]
    fn each_model_needs_its_input() {
        let model = "wan2.2-t2v-a14b";
        assert_eq!(
            fields(json!({"model": model})),
            [("prompt".to_string(), Rule::RequiredFor { model })]
        );
        assert_eq!(
            fields(json!({"model": model, "prompt": "  "})),
            [("prompt".to_string(), Rule::EmptyText)]
        );
        let model = "wan2.2-i2v-a14b";
        assert_eq!(
            fields(json!({"model": model, "prompt": "p"})),
            [("image".to_string(), Rule::RequiredFor { model })]
        );
        assert_eq!(
            fields(json!({"model": model, "image": "/tmp/a.png"})),
            [(
                "image".to_string(),
                Rule::UrlScheme {
                    allowed: PUBLIC_URL_SOURCES
                }
            )]
        );
    }

    #[test]
    fn duration_is_three_to_five_and_sizes_are_positive() {
        for ok in 3..=5 {
            assert_eq!(
                fields(json!({"model": "wan2.2-t2v-a14b", "prompt": "p", "duration": ok})),
                []
            );
        }
        for bad in [-1, 2, 6] {
            let found = fields(json!({"model": "wan2.2-t2v-a14b", "prompt": "p", "duration": bad}));
            assert_eq!(
                found,
                [(
                    "duration".to_string(),
                    Rule::DurationForModel {
                        model: "wan2.2-t2v-a14b",
                        min: 3,
                        max: 5
                    }
                )]
            );
        }
        let found =
            fields(json!({"model": "wan2.2-t2v-a14b", "prompt": "p", "width": -1, "height": 0}));
        assert_eq!(
            found,
            [
                ("width".to_string(), Rule::Positive),
                ("height".to_string(), Rule::Positive)
            ]
        );
    }
}
