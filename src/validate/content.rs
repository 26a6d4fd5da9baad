//! The rules of one Seedance create request: its content combinations, roles, counts, media
//! URLs and data URIs, duration, tools, the model's own ranges and fields (`models`) and the
//! upstream fields' ranges.

use super::{
    CALLBACK_URL_SOURCES, DURATION_AUTOMATIC, DURATION_SECONDS, MAX_AUDIO_CLIPS, MAX_BODY_BYTES,
    MAX_IMAGES, MAX_VIDEOS, MediaKind, Rule, Violation, Violations, models,
};
use crate::types::{self, ContentItem, ImageRole};

/// Checks a Seedance create request against every rule of this module. The duration,
/// resolution, ratio, `draft` and text rules follow the model: each documented model's own
/// page (see [`seedance_limits`](super::seedance_limits)); an id anyfast does not document
/// gets no model-specific refusal, only the schema's range for `duration` (-1 to 15).
///
/// ```
/// use anyfast_video_api::{types, validate};
///
/// let lite: types::SeedanceVideoRequest = serde_json::from_value(serde_json::json!({
///     "model": "doubao-seedance-1-0-lite-t2v-250428",
///     "content": [{"type": "text", "text": "a cat"}],
///     "duration": 2
/// }))?;
/// assert!(validate::check_request(&lite).is_ok()); // 2 s: only Seedance 1.0 Lite allows it
///
/// let mut too_long = lite.clone();
/// too_long.duration = Some(13);
/// assert_eq!(
///     validate::check_request(&too_long).unwrap_err().to_string(),
///     "duration: must be 2 to 12 seconds for doubao-seedance-1-0-lite-t2v-250428",
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn check_request(request: &types::SeedanceVideoRequest) -> Result<(), Violations> {
    let mut found = Vec::new();
    let mut report = |field: String, rule: Rule| found.push(Violation { field, rule });

    let (mut texts, mut images, mut videos, mut audio_clips) = (0, 0, 0, 0);
    let (mut first_frames, mut last_frames, mut references) = (0, 0, 0);
    for (index, item) in request.content.iter().enumerate() {
        let at = |field: &str| format!("content[{index}].{field}");
        match item {
            ContentItem::Text { text } => {
                texts += 1;
                if text.trim().is_empty() {
                    report(at("text"), Rule::EmptyText);
                }
            }
            ContentItem::ImageUrl { image_url, role } => {
                images += 1;
                match role {
                    Some(ImageRole::FirstFrame) => first_frames += 1,
                    Some(ImageRole::LastFrame) => last_frames += 1,
                    Some(ImageRole::ReferenceImage) => references += 1,
                    None => {}
                }
                check_media_url(
                    &image_url.url,
                    MediaKind::Image,
                    at("image_url.url"),
                    &mut report,
                );
            }
            ContentItem::VideoUrl { video_url, .. } => {
                videos += 1;
                references += 1;
                check_media_url(
                    &video_url.url,
                    MediaKind::Video,
                    at("video_url.url"),
                    &mut report,
                );
            }
            ContentItem::AudioUrl { audio_url, .. } => {
                audio_clips += 1;
                references += 1;
                check_media_url(
                    &audio_url.url,
                    MediaKind::Audio,
                    at("audio_url.url"),
                    &mut report,
                );
            }
        }
    }

    let content = || "content".to_string();
    if request.content.is_empty() {
        report(content(), Rule::EmptyContent);
    } else if images == 0 && videos == 0 {
        if audio_clips > 0 {
            report(content(), Rule::AudioWithoutImageOrVideo);
        } else if texts == 0 {
            report(content(), Rule::NothingToGenerateFrom);
        }
    }
    for (count, max, kind) in [
        (images, MAX_IMAGES, "images"),
        (videos, MAX_VIDEOS, "videos"),
        (audio_clips, MAX_AUDIO_CLIPS, "audio clips"),
    ] {
        if count > max {
            report(content(), Rule::TooMany { kind, max });
        }
    }
    if first_frames + last_frames > 0 && references > 0 {
        report(content(), Rule::FramesMixedWithReferences);
    }
    for (count, role) in [(first_frames, "first_frame"), (last_frames, "last_frame")] {
        if count > 1 {
            report(content(), Rule::DuplicateFrame { role });
        }
    }
    if last_frames > 0 && first_frames == 0 {
        report(content(), Rule::LastFrameWithoutFirstFrame);
    }

    let model = request.model.to_string();
    let limits = models::seedance_limits(&model);
    if let Some(duration) = request.duration {
        check_duration(duration, limits, &mut report);
    }
    if let Some(limits) = limits {
        if limits.needs_text && texts == 0 && !request.content.is_empty() {
            report(
                content(),
                Rule::ModelNeeds {
                    model: limits.model,
                    what: "a text item",
                },
            );
        }
        if limits.needs_image && images == 0 {
            report(
                content(),
                Rule::ModelNeeds {
                    model: limits.model,
                    what: "an image_url item",
                },
            );
        }
        if request.draft == Some(true) && !limits.draft {
            report(
                "draft".into(),
                Rule::NotFor {
                    model: limits.model,
                },
            );
        }
        if limits.adaptive_needs_image
            && images == 0
            && request.ratio == Some(types::Ratio::Adaptive)
        {
            report(
                "ratio".into(),
                Rule::AdaptiveNeedsImage {
                    model: limits.model,
                },
            );
        }
    }

    check_model_resolution(request, limits, &mut report);
    if let Some(seed) = request.seed
        && !(-1..=u32::MAX as i64).contains(&seed)
    {
        report(
            "seed".into(),
            Rule::OutOfRange {
                min: -1,
                max: u32::MAX as i64,
            },
        );
    }
    if let Some(url) = &request.callback_url
        && !is_https(url)
    {
        report(
            "callback_url".into(),
            Rule::UrlScheme {
                allowed: CALLBACK_URL_SOURCES,
            },
        );
    }

    let text_only = texts > 0 && images + videos + audio_clips == 0;
    for (index, tool) in request.tools.iter().enumerate() {
        if tool.type_ == types::ToolType::WebSearch && !text_only {
            report(format!("tools[{index}]"), Rule::WebSearchNeedsTextOnly);
        }
    }

    if found.is_empty() {
        Ok(())
    } else {
        Err(Violations(found))
    }
}

/// The model's own durations: Seedance 2.0's 4–15 or -1 ([`Rule::Duration`]), each other
/// documented model's range ([`Rule::DurationForModel`]), and for an id anyfast does not
/// document only the schema's range, -1 to 15.
fn check_duration(
    duration: i32,
    limits: Option<&models::SeedanceLimits>,
    report: &mut impl FnMut(String, Rule),
) {
    let automatic = duration == DURATION_AUTOMATIC;
    match limits {
        Some(limits) if limits.automatic_duration && limits.durations == Some(DURATION_SECONDS) => {
            if !automatic && !DURATION_SECONDS.contains(&duration) {
                report("duration".into(), Rule::Duration);
            }
        }
        Some(models::SeedanceLimits {
            model,
            durations: Some(range),
            automatic_duration,
            ..
        }) => {
            if !(range.contains(&duration) || automatic && *automatic_duration) {
                report(
                    "duration".into(),
                    Rule::DurationForModel {
                        model,
                        min: *range.start(),
                        max: *range.end(),
                    },
                );
            }
        }
        _ => {
            let max = *DURATION_SECONDS.end();
            if !(DURATION_AUTOMATIC..=max).contains(&duration) {
                report(
                    "duration".into(),
                    Rule::OutOfRange {
                        min: DURATION_AUTOMATIC.into(),
                        max: max.into(),
                    },
                );
            }
        }
    }
}

/// 1080p (and any other resolution) only for the models that make it; nothing is refused for
/// a model anyfast does not document.
fn check_model_resolution(
    request: &types::SeedanceVideoRequest,
    limits: Option<&models::SeedanceLimits>,
    report: &mut impl FnMut(String, Rule),
) {
    let (Some(resolution), Some(limits)) = (&request.resolution, limits) else {
        return;
    };
    let (Some(allowed), model) = (limits.resolutions, limits.model) else {
        return;
    };
    let resolution = resolution_text(resolution);
    if !allowed.contains(&resolution.as_str()) {
        report(
            "resolution".into(),
            Rule::ResolutionForModel { model, allowed },
        );
    }
}

fn resolution_text(resolution: &types::Resolution) -> String {
    match resolution {
        types::Resolution::KnownResolution(known) => known.to_string(),
        types::Resolution::OtherResolution(other) => other.to_string(),
    }
}

fn is_https(url: &str) -> bool {
    url.get(..8)
        .is_some_and(|scheme| scheme.eq_ignore_ascii_case("https://"))
        && url.len() > "https://".len()
}

/// Checks the size of a serialised request body.
///
/// ```
/// use anyfast_video_api::validate;
///
/// assert!(validate::check_body_size(1024).is_ok());
/// let too_large = validate::check_body_size(validate::MAX_BODY_BYTES + 1).unwrap_err();
/// assert_eq!(too_large.to_string(), "body: is larger than the limit of 64 MiB");
/// ```
pub fn check_body_size(bytes: usize) -> Result<(), Violation> {
    if bytes > MAX_BODY_BYTES {
        return Err(Violation {
            field: "body".into(),
            rule: Rule::TooLarge {
                max_bytes: MAX_BODY_BYTES,
            },
        });
    }
    Ok(())
}

fn check_media_url(
    url: &str,
    media: MediaKind,
    field: String,
    report: &mut impl FnMut(String, Rule),
) {
    let lowercase = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    if lowercase.starts_with("https://") && url.len() > "https://".len() {
        return;
    }
    if lowercase.starts_with("asset://") && url.len() > "asset://".len() {
        return;
    }
    let Some(data) = url.strip_prefix("data:") else {
        report(field, media.url_rule());
        return;
    };
    let Some((allowed, max_bytes)) = media.data_uri_limits() else {
        report(field, media.url_rule());
        return;
    };
    let well_formed = data.split_once(";base64,").filter(|(mime, payload)| {
        allowed.contains(&mime.to_ascii_lowercase().as_str()) && !payload.is_empty()
    });
    match well_formed {
        None => report(field, Rule::DataUri { allowed }),
        Some((_, payload)) if payload.len() / 4 * 3 > max_bytes => {
            report(field, Rule::TooLarge { max_bytes })
        }
        Some(_) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::*;
    use serde_json::{Value, json};

    fn request(content: Value, extra: Value) -> types::SeedanceVideoRequest {
        let mut body = json!({"model": "seedance-fast", "content": content});
        body.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        serde_json::from_value(body).unwrap()
    }

    fn text(text: &str) -> Value {
        json!({"type": "text", "text": text})
    }

    fn media(kind: &str, url: &str, role: Option<&str>) -> Value {
        let mut item = json!({"type": format!("{kind}_url"), format!("{kind}_url"): {"url": url}});
        if let Some(role) = role {
            item["role"] = json!(role);
        }
        item
    }

    fn image(role: &str) -> Value {
        media("image", "https://example.com/a.png", Some(role))
    }

    fn video() -> Value {
        media("video", "https://example.com/a.mp4", None)
    }

    fn audio() -> Value {
        media("audio", "https://example.com/a.mp3", None)
    }

    fn violations(content: Value, extra: Value) -> Vec<(String, Rule)> {
        match check_request(&request(content, extra)) {
            Ok(()) => Vec::new(),
            Err(Violations(found)) => found.into_iter().map(|v| (v.field, v.rule)).collect(),
        }
    }

    fn content_rule(rule: Rule) -> Vec<(String, Rule)> {
        vec![("content".to_string(), rule)]
    }

    #[test]
    fn the_seven_allowed_combinations_pass_with_and_without_text() {
        let image = image("reference_image");
        let allowed = [
            vec![text("t")],
            vec![image.clone()],
            vec![video()],
            vec![image.clone(), audio()],
            vec![image.clone(), video()],
            vec![video(), audio()],
            vec![image.clone(), video(), audio()],
        ];
        for items in allowed {
            let with_text: Vec<Value> = std::iter::once(text("t")).chain(items.clone()).collect();
            for content in [items, with_text] {
                assert_eq!(violations(json!(content), json!({})), [], "{content:?}");
            }
        }
    }

    #[test]
    fn audio_alone_or_with_text_only_is_refused() {
        let rule = || content_rule(Rule::AudioWithoutImageOrVideo);
        assert_eq!(violations(json!([audio()]), json!({})), rule());
        assert_eq!(violations(json!([text("t"), audio()]), json!({})), rule());
    }

    #[test]
    fn empty_content_and_empty_text_are_refused() {
        assert_eq!(
            violations(json!([]), json!({})),
            content_rule(Rule::EmptyContent)
        );
        assert_eq!(
            violations(json!([text("  ")]), json!({})),
            [("content[0].text".to_string(), Rule::EmptyText)]
        );
    }

    #[test]
    fn duration_is_minus_one_or_four_to_fifteen() {
        for ok in [-1, 4, 5, 15] {
            assert_eq!(violations(json!([text("t")]), json!({"duration": ok})), []);
        }
        for bad in [-2, 0, 3, 16] {
            assert_eq!(
                violations(json!([text("t")]), json!({"duration": bad})),
                [("duration".to_string(), Rule::Duration)],
                "{bad}"
            );
        }
    }

    #[test]
    fn web_search_is_for_text_only() {
        let tools = json!({"tools": [{"type": "web_search"}]});
        assert_eq!(violations(json!([text("t")]), tools.clone()), []);
        assert_eq!(
            violations(json!([text("t"), image("reference_image")]), tools),
            [("tools[0]".to_string(), Rule::WebSearchNeedsTextOnly)]
        );
    }

    #[test]
    fn frames_are_not_mixed_with_references_and_come_one_each() {
        let frames = json!([image("first_frame"), image("last_frame")]);
        assert_eq!(violations(frames, json!({})), []);
        assert_eq!(
            violations(
                json!([image("first_frame"), image("reference_image")]),
                json!({})
            ),
            content_rule(Rule::FramesMixedWithReferences)
        );
        assert_eq!(
            violations(json!([image("first_frame"), video()]), json!({})),
            content_rule(Rule::FramesMixedWithReferences)
        );
        assert_eq!(
            violations(
                json!([image("first_frame"), image("first_frame")]),
                json!({})
            ),
            content_rule(Rule::DuplicateFrame {
                role: "first_frame"
            })
        );
        assert_eq!(
            violations(json!([image("last_frame")]), json!({})),
            content_rule(Rule::LastFrameWithoutFirstFrame)
        );
    }

    #[test]
    fn counts_are_limited_per_kind() {
        let images: Vec<Value> = (0..10).map(|_| image("reference_image")).collect();
        assert_eq!(
            violations(json!(images), json!({})),
            content_rule(Rule::TooMany {
                kind: "images",
                max: 9
            })
        );
        let videos: Vec<Value> = (0..4).map(|_| video()).collect();
        assert_eq!(
            violations(json!(videos), json!({})),
            content_rule(Rule::TooMany {
                kind: "videos",
                max: 3
            })
        );
        let mut with_audio = vec![video()];
        with_audio.extend((0..4).map(|_| audio()));
        assert_eq!(
            violations(json!(with_audio), json!({})),
            content_rule(Rule::TooMany {
                kind: "audio clips",
                max: 3
            })
        );
    }

    #[test]
    fn media_urls_use_the_schemes_their_kind_allows() {
        let png = "data:image/png;base64,iVBORw0KGgo=";
        let mp3 = "data:audio/mpeg;base64,SUQz";
        for url in [
            "https://e.com/a.png",
            "HTTPS://E.COM/A.PNG",
            "asset://asset-1",
            png,
        ] {
            assert_eq!(
                violations(json!([media("image", url, None)]), json!({})),
                [],
                "{url}"
            );
        }
        let field = |kind: &str| format!("content[1].{kind}_url.url");
        let with_video = |item: Value| json!([video(), item]);
        assert_eq!(
            violations(with_video(media("audio", mp3, None)), json!({})),
            []
        );

        for url in [
            "http://e.com/a.png",
            "ftp://e.com/a.png",
            "/tmp/a.png",
            "https://",
        ] {
            let found = violations(json!([text("t"), media("image", url, None)]), json!({}));
            assert_eq!(
                found,
                [(field("image"), MediaKind::Image.url_rule())],
                "{url}"
            );
        }
        let as_data = violations(
            json!([
                text("t"),
                media("video", "data:video/mp4;base64,AAAA", None)
            ]),
            json!({}),
        );
        assert_eq!(as_data, [(field("video"), MediaKind::Video.url_rule())]);

        for url in [
            "data:image/svg+xml;base64,PHN2Zz4=",
            "data:image/png,raw",
            "data:image/png;base64,",
        ] {
            let found = violations(json!([text("t"), media("image", url, None)]), json!({}));
            assert_eq!(
                found,
                [(
                    field("image"),
                    Rule::DataUri {
                        allowed: &IMAGE_MIME_TYPES
                    }
                )],
                "{url}"
            );
        }
        let wrong_kind = violations(with_video(media("audio", png, None)), json!({}));
        assert_eq!(
            wrong_kind,
            [(
                field("audio"),
                Rule::DataUri {
                    allowed: &AUDIO_MIME_TYPES
                }
            )]
        );
    }

    #[test]
    fn data_uris_over_the_size_limit_are_refused() {
        let payload = "A".repeat(MAX_AUDIO_BYTES / 3 * 4 + 8);
        let url = format!("data:audio/wav;base64,{payload}");
        assert_eq!(
            violations(json!([video(), media("audio", &url, None)]), json!({})),
            [(
                "content[1].audio_url.url".to_string(),
                Rule::TooLarge {
                    max_bytes: MAX_AUDIO_BYTES
                }
            )]
        );
    }

    #[test]
    fn every_violation_is_reported_with_its_field() {
        let found = violations(
            json!([audio(), text(" ")]),
            json!({"duration": 0, "tools": [{"type": "web_search"}]}),
        );
        let fields: Vec<&str> = found.iter().map(|(field, _)| field.as_str()).collect();
        assert_eq!(
            fields,
            ["content[1].text", "content", "duration", "tools[0]"]
        );
    }

    #[test]
    fn resolutions_are_checked_per_documented_model_only() {
        let fast_1080 = json!({"resolution": "1080p"});
        assert_eq!(
            violations(json!([text("t")]), fast_1080.clone()),
            [(
                "resolution".to_string(),
                Rule::ResolutionForModel {
                    model: "seedance-fast",
                    allowed: &["480p", "720p"]
                }
            )]
        );
        let seedance = |resolution: &str| {
            let body =
                json!({"model": "seedance", "content": [text("t")], "resolution": resolution});
            let request: types::SeedanceVideoRequest = serde_json::from_value(body).unwrap();
            check_request(&request).err().map(|found| found.0)
        };
        assert_eq!(seedance("1080p"), None);
        assert!(seedance("1440p").is_some());
        let other =
            json!({"model": "seedance-2.0-mini", "content": [text("t")], "resolution": "1440p"});
        let request: types::SeedanceVideoRequest = serde_json::from_value(other).unwrap();
        assert!(
            check_request(&request).is_ok(),
            "unknown models are not second-guessed"
        );
    }

    fn for_model(model: &str, content: Value, extra: Value) -> Vec<(String, Rule)> {
        let mut body = json!({"model": model, "content": content});
        body.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        let request: types::SeedanceVideoRequest = serde_json::from_value(body).unwrap();
        match check_request(&request) {
            Ok(()) => Vec::new(),
            Err(Violations(found)) => found.into_iter().map(|v| (v.field, v.rule)).collect(),
        }
    }

    #[test]
    fn each_documented_model_has_its_own_durations() {
        let with_image = json!([text("t"), image("first_frame")]);
        let text = json!([text("t")]);
        for (model, ok, bad, min, max) in [
            (SEEDANCE_1_0_LITE_T2V, [2, 12], [1, 13], 2, 12),
            (SEEDANCE_1_0_LITE_I2V, [2, 5], [-1, 13], 2, 12),
            (SEEDANCE_1_5_PRO, [4, 12], [3, -1], 4, 12),
        ] {
            // The image-to-video model needs its image beside the text.
            let content = if model == SEEDANCE_1_0_LITE_I2V {
                with_image.clone()
            } else {
                text.clone()
            };
            for duration in ok {
                let found = for_model(model, content.clone(), json!({"duration": duration}));
                assert_eq!(found, [], "{model} {duration}");
            }
            for duration in bad {
                let found = for_model(model, content.clone(), json!({"duration": duration}));
                let model = seedance_limits(model).unwrap().model;
                assert_eq!(
                    found,
                    [(
                        "duration".to_string(),
                        Rule::DurationForModel { model, min, max }
                    )],
                    "{model} {duration}"
                );
            }
        }
        assert_eq!(
            Rule::DurationForModel {
                model: SEEDANCE_1_0_LITE_T2V,
                min: 2,
                max: 12
            }
            .to_string(),
            "must be 2 to 12 seconds for doubao-seedance-1-0-lite-t2v-250428"
        );
        // Seedance 2.0 keeps its rule and message; Pro Fast's page states no range.
        assert_eq!(
            for_model(SEEDANCE, text.clone(), json!({"duration": 3})),
            [("duration".to_string(), Rule::Duration)]
        );
        assert_eq!(
            for_model(SEEDANCE_1_0_PRO_FAST, text.clone(), json!({"duration": 2})),
            []
        );
        // An id anyfast does not document: only the schema's range.
        assert_eq!(
            for_model("seedance-2.0-mini", text.clone(), json!({"duration": 2})),
            []
        );
        assert_eq!(
            for_model("seedance-2.0-mini", text, json!({"duration": 16})),
            [(
                "duration".to_string(),
                Rule::OutOfRange { min: -1, max: 15 }
            )]
        );
    }

    #[test]
    fn draft_text_and_adaptive_follow_the_model() {
        let image = image("first_frame");
        assert_eq!(
            for_model(SEEDANCE_1_5_PRO, json!([text("t")]), json!({"draft": true})),
            []
        );
        assert_eq!(
            for_model(SEEDANCE_FAST, json!([text("t")]), json!({"draft": true})),
            [(
                "draft".to_string(),
                Rule::NotFor {
                    model: SEEDANCE_FAST
                }
            )]
        );
        assert_eq!(
            for_model(SEEDANCE_FAST, json!([text("t")]), json!({"draft": false})),
            []
        );
        assert_eq!(
            for_model(SEEDANCE_1_0_LITE_I2V, json!([image.clone()]), json!({})),
            [(
                "content".to_string(),
                Rule::ModelNeeds {
                    model: SEEDANCE_1_0_LITE_I2V,
                    what: "a text item"
                }
            )]
        );
        assert_eq!(
            for_model(SEEDANCE_1_0_LITE_I2V, json!([text("t")]), json!({})),
            [(
                "content".to_string(),
                Rule::ModelNeeds {
                    model: SEEDANCE_1_0_LITE_I2V,
                    what: "an image_url item"
                }
            )]
        );
        assert_eq!(
            for_model(
                SEEDANCE_1_5_PRO,
                json!([text("t")]),
                json!({"ratio": "adaptive"})
            ),
            [(
                "ratio".to_string(),
                Rule::AdaptiveNeedsImage {
                    model: SEEDANCE_1_5_PRO
                }
            )]
        );
        assert_eq!(
            for_model(
                SEEDANCE_1_5_PRO,
                json!([text("t"), image]),
                json!({"ratio": "adaptive", "camera_fixed": true, "resolution": "1080p"})
            ),
            []
        );
    }

    #[test]
    fn the_seed_is_minus_one_or_a_32_bit_number() {
        assert_eq!(violations(json!([text("t")]), json!({"seed": -1})), []);
        assert_eq!(
            violations(json!([text("t")]), json!({"seed": 4294967295u64})),
            []
        );
        assert_eq!(
            violations(json!([text("t")]), json!({"seed": -2})),
            [(
                "seed".to_string(),
                Rule::OutOfRange {
                    min: -1,
                    max: 4294967295
                }
            )]
        );
    }
}
