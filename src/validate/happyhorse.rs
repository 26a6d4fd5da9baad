//! The rules of a HappyHorse 1.0 body (pages alibaba/happyhorse-1.0-t2v, -i2v, -r2v and
//! -video-edit): which images each model takes, the duration, the seed, and the video edit's
//! media.

use std::ops::RangeInclusive;

use super::wan::is_public_url;
use super::{PUBLIC_URL_SOURCES, Rule, Violation, Violations};
use crate::types;

/// The durations, in seconds, the HappyHorse pages allow ("3–15").
pub const HAPPYHORSE_DURATION_SECONDS: RangeInclusive<i32> = 3..=15;
/// The most reference images `happyhorse-1.0-r2v` takes ("1–3").
pub const HAPPYHORSE_MAX_IMAGES: usize = 3;
/// The seeds the HappyHorse pages allow ("[0, 2147483647]").
pub const HAPPYHORSE_SEED: RangeInclusive<i64> = 0..=2_147_483_647;

/// The documented model and its id (for messages); `None` for another id of the family, which
/// is held only to the rules every HappyHorse page shares (not to 1.0's inputs, images or
/// durations).
fn documented(model: &types::HappyHorseModelId) -> Option<(types::HappyHorseModel, &'static str)> {
    match model {
        types::HappyHorseModelId::HappyHorseModel(model) => Some((
            *model,
            match model {
                types::HappyHorseModel::Happyhorse10T2v => "happyhorse-1.0-t2v",
                types::HappyHorseModel::Happyhorse10I2v => "happyhorse-1.0-i2v",
                types::HappyHorseModel::Happyhorse10R2v => "happyhorse-1.0-r2v",
            },
        )),
        types::HappyHorseModelId::OtherHappyHorseModel(_) => None,
    }
}

/// Checks a HappyHorse 1.0 body: a non-empty `prompt`; `happyhorse-1.0-t2v` takes no image;
/// `happyhorse-1.0-i2v` needs `image` (or `images`, whose first item is used);
/// `happyhorse-1.0-r2v` needs `images`, 1 to 3; every image is a public http(s) URL;
/// `duration` is 3 to 15 seconds and `seed` 0 to 2147483647, whether at the top level or inside
/// `parameters` (the pages call both forms equivalent). Another HappyHorse id
/// (`happyhorse-2.0-…`) is held only to the body's own rules (a non-empty prompt, public image
/// URLs, at most 3 images, the duration's and the seed's ranges), not to a documented model's
/// inputs.
///
/// ```
/// use anyfast_video_api::{types, validate};
///
/// let body: types::HappyHorseVideoRequest = serde_json::from_value(serde_json::json!({
///     "model": "happyhorse-1.0-r2v",
///     "prompt": "A woman in a red qipao gracefully unfolds a folding fan",
///     "parameters": {"duration": 20}
/// }))?;
/// assert_eq!(
///     validate::check_happyhorse(&body).unwrap_err().to_string(),
///     "images: is required for happyhorse-1.0-r2v; \
///      parameters.duration: must be 3 to 15 seconds for happyhorse-1.0-r2v",
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn check_happyhorse(body: &types::HappyHorseVideoRequest) -> Result<(), Violations> {
    let documented = documented(&body.model);
    let mut found = Vec::new();
    let mut report = |field: String, rule: Rule| found.push(Violation { field, rule });

    if body.prompt.trim().is_empty() {
        report("prompt".into(), Rule::EmptyText);
    }
    match documented {
        Some((types::HappyHorseModel::Happyhorse10T2v, model)) => {
            if body.image.is_some() {
                report("image".into(), Rule::NotFor { model });
            }
            if !body.images.is_empty() {
                report("images".into(), Rule::NotFor { model });
            }
        }
        Some((types::HappyHorseModel::Happyhorse10I2v, model))
            if body.image.is_none() && body.images.is_empty() =>
        {
            report("image".into(), Rule::RequiredFor { model });
        }
        Some((types::HappyHorseModel::Happyhorse10R2v, model)) if body.images.is_empty() => {
            report("images".into(), Rule::RequiredFor { model });
        }
        _ => {}
    }
    if body.images.len() > HAPPYHORSE_MAX_IMAGES {
        report(
            "images".into(),
            Rule::TooMany {
                kind: "images",
                max: HAPPYHORSE_MAX_IMAGES,
            },
        );
    }
    let urls = body
        .image
        .iter()
        .map(|url| ("image".to_string(), url))
        .chain(
            body.images
                .iter()
                .enumerate()
                .map(|(index, url)| (format!("images[{index}]"), url)),
        );
    for (field, url) in urls {
        if !is_public_url(url) {
            report(
                field,
                Rule::UrlScheme {
                    allowed: PUBLIC_URL_SOURCES,
                },
            );
        }
    }

    let top = ("", body.duration, body.seed);
    let inside = body
        .parameters
        .as_ref()
        .map(|parameters| ("parameters.", parameters.duration, parameters.seed));
    for (prefix, duration, seed) in std::iter::once(top).chain(inside) {
        if let Some(duration) = duration
            && !HAPPYHORSE_DURATION_SECONDS.contains(&duration)
        {
            let model = documented.map(|(_, id)| id);
            report(
                format!("{prefix}duration"),
                Rule::duration_outside(model, &HAPPYHORSE_DURATION_SECONDS),
            );
        }
        if let Some(seed) = seed
            && !HAPPYHORSE_SEED.contains(&seed)
        {
            report(
                format!("{prefix}seed"),
                Rule::OutOfRange {
                    min: *HAPPYHORSE_SEED.start(),
                    max: *HAPPYHORSE_SEED.end(),
                },
            );
        }
    }

    if found.is_empty() {
        Ok(())
    } else {
        Err(Violations(found))
    }
}

/// Checks a HappyHorse 1.0 video-edit body (the native `input`/`parameters` form): a non-empty
/// `input.prompt`, and `input.media` holding exactly one `video` and one `reference_image`,
/// each a public http(s) URL.
///
/// ```
/// use anyfast_video_api::{types, validate};
///
/// let body: types::HappyHorseVideoEditRequest = serde_json::from_value(serde_json::json!({
///     "model": "happyhorse-1.0-video-edit",
///     "input": {
///         "prompt": "Make the character wear the striped sweater from the image",
///         "media": [
///             {"type": "video", "url": "https://example.com/source.mp4"},
///             {"type": "video", "url": "https://example.com/other.mp4"}
///         ]
///     }
/// }))?;
/// assert_eq!(
///     validate::check_happyhorse_edit(&body).unwrap_err().to_string(),
///     "input.media: must hold exactly one video and one reference_image",
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn check_happyhorse_edit(body: &types::HappyHorseVideoEditRequest) -> Result<(), Violations> {
    let mut found = Vec::new();
    let mut report = |field: String, rule: Rule| found.push(Violation { field, rule });

    if body.input.prompt.trim().is_empty() {
        report("input.prompt".into(), Rule::EmptyText);
    }
    let count = |kind: types::HappyHorseEditMediaType| {
        body.input
            .media
            .iter()
            .filter(|item| item.type_ == kind)
            .count()
    };
    if count(types::HappyHorseEditMediaType::Video) != 1
        || count(types::HappyHorseEditMediaType::ReferenceImage) != 1
    {
        report(
            "input.media".into(),
            Rule::Exactly {
                what: "one video and one reference_image",
            },
        );
    }
    for (index, item) in body.input.media.iter().enumerate() {
        if !is_public_url(&item.url) {
            report(
                format!("input.media[{index}].url"),
                Rule::UrlScheme {
                    allowed: PUBLIC_URL_SOURCES,
                },
            );
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
        let body: types::HappyHorseVideoRequest = serde_json::from_value(body).unwrap();
        match check_happyhorse(&body) {
            Ok(()) => Vec::new(),
            Err(Violations(found)) => found.into_iter().map(|v| (v.field, v.rule)).collect(),
        }
    }

    fn edit_fields(body: Value) -> Vec<(String, Rule)> {
        let body: types::HappyHorseVideoEditRequest = serde_json::from_value(body).unwrap();
        match check_happyhorse_edit(&body) {
            Ok(()) => Vec::new(),
            Err(Violations(found)) => found.into_iter().map(|v| (v.field, v.rule)).collect(),
        }
    }

    #[test]
    fn the_pages_examples_pass() {
        let parameters =
            json!({"resolution": "720P", "ratio": "16:9", "duration": 5, "watermark": false});
        assert_eq!(
            fields(
                json!({"model": "happyhorse-1.0-t2v", "prompt": "A cat running on grass",
                "parameters": parameters})
            ),
            []
        );
        assert_eq!(
            fields(json!({"model": "happyhorse-1.0-i2v", "prompt": "zoom in",
                "image": "https://example.com/first-frame.png", "parameters": parameters})),
            []
        );
        assert_eq!(
            fields(json!({"model": "happyhorse-1.0-i2v", "prompt": "zoom in",
                "images": ["https://example.com/first-frame.png"]})),
            []
        );
        assert_eq!(
            fields(json!({"model": "happyhorse-1.0-r2v", "prompt": "fan",
                "images": ["https://e.com/1.jpg", "https://e.com/2.jpg", "https://e.com/3.jpg"],
                "duration": 15, "seed": 2147483647})),
            []
        );
        assert_eq!(
            edit_fields(json!({"model": "happyhorse-1.0-video-edit", "input": {
                "prompt": "sweater", "media": [
                    {"type": "video", "url": "https://example.com/source.mp4"},
                    {"type": "reference_image", "url": "https://example.com/cloth.webp"}]},
                "parameters": {"resolution": "720P", "watermark": false}})),
            []
        );
    }

    #[test]
    fn another_happyhorse_id_is_not_second_guessed() {
        // 1.0's r2v needs images; an id whose inputs no page states needs none.
        let body = json!({"model": "happyhorse-2.0-r2v", "prompt": "p", "duration": 15});
        let typed: types::HappyHorseVideoRequest = serde_json::from_value(body.clone()).unwrap();
        assert!(matches!(
            typed.model,
            types::HappyHorseModelId::OtherHappyHorseModel(_)
        ));
        assert_eq!(fields(body), []);
        assert_eq!(
            fields(
                json!({"model": "happyhorse-2.0-t2v", "prompt": " ", "seed": -1,
                "duration": 20})
            ),
            [
                ("prompt".to_string(), Rule::EmptyText),
                ("duration".to_string(), Rule::OutOfRange { min: 3, max: 15 }),
                (
                    "seed".to_string(),
                    Rule::OutOfRange {
                        min: 0,
                        max: 2_147_483_647
                    }
                )
            ]
        );
    }

    #[test]
    fn each_model_takes_its_images() {
        let t2v = "happyhorse-1.0-t2v";
        assert_eq!(
            fields(json!({"model": t2v, "prompt": "p", "image": "https://e.com/a.png"})),
            [("image".to_string(), Rule::NotFor { model: t2v })]
        );
        let i2v = "happyhorse-1.0-i2v";
        assert_eq!(
            fields(json!({"model": i2v, "prompt": "p"})),
            [("image".to_string(), Rule::RequiredFor { model: i2v })]
        );
        let r2v = "happyhorse-1.0-r2v";
        let four: Vec<String> = (0..4).map(|i| format!("https://e.com/{i}.jpg")).collect();
        assert_eq!(
            fields(json!({"model": r2v, "prompt": "p", "images": four})),
            [(
                "images".to_string(),
                Rule::TooMany {
                    kind: "images",
                    max: 3
                }
            )]
        );
        assert_eq!(
            fields(json!({"model": r2v, "prompt": " ", "images": ["ftp://e.com/a.jpg"]})),
            [
                ("prompt".to_string(), Rule::EmptyText),
                (
                    "images[0]".to_string(),
                    Rule::UrlScheme {
                        allowed: PUBLIC_URL_SOURCES
                    }
                )
            ]
        );
    }

    #[test]
    fn duration_and_seed_are_checked_at_the_top_and_in_parameters() {
        let model = "happyhorse-1.0-t2v";
        let duration = |field: &str| {
            (
                field.to_string(),
                Rule::DurationForModel {
                    model,
                    min: 3,
                    max: 15,
                },
            )
        };
        let seed = |field: &str| {
            (
                field.to_string(),
                Rule::OutOfRange {
                    min: 0,
                    max: 2147483647,
                },
            )
        };
        assert_eq!(
            fields(
                json!({"model": model, "prompt": "p", "duration": 2, "seed": -1,
                "parameters": {"duration": 16, "seed": 2147483648u64}})
            ),
            [
                duration("duration"),
                seed("seed"),
                duration("parameters.duration"),
                seed("parameters.seed")
            ]
        );
    }

    #[test]
    fn the_edit_needs_one_video_and_one_reference_image() {
        let media = |a: &str, b: &str| {
            json!({"model": "happyhorse-1.0-video-edit", "input": {"prompt": "p", "media": [
                {"type": a, "url": "https://e.com/a"}, {"type": b, "url": "https://e.com/b"}]}})
        };
        assert_eq!(edit_fields(media("reference_image", "video")), []);
        let exactly = [(
            "input.media".to_string(),
            Rule::Exactly {
                what: "one video and one reference_image",
            },
        )];
        assert_eq!(edit_fields(media("video", "video")), exactly);
        assert_eq!(
            edit_fields(media("reference_image", "reference_image")),
            exactly
        );
    }
}
