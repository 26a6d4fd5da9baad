//! The rules a create request must follow beyond what its JSON Schema says: the reference
//! page's content combinations, duration and web-search rules, and the upstream limits
//! (`docs/api-notes.md`). They live here, once: the ergonomic client checks a request with them before
//! sending it, and anyfast-mock checks what it receives with them.
//!
//! ```
//! use anyfast_video_api::{types, validate};
//!
//! let request: types::CreateVideoGenerationRequest = serde_json::from_value(serde_json::json!({
//!     "model": "seedance-fast",
//!     "content": [
//!         {"type": "text", "text": "a cat plays the piano"},
//!         {"type": "audio_url", "audio_url": {"url": "https://example.com/song.mp3"}}
//!     ],
//!     "duration": 3
//! }))?;
//! let violations = validate::check_request(&request).unwrap_err();
//! assert_eq!(
//!     violations.to_string(),
//!     "content: audio needs an image or a video beside it (audio alone, or with text only, \
//!      is not allowed); duration: must be 4 to 15 seconds, or -1 to let the model choose",
//! );
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fmt;

use crate::types::{self, ContentItem, ImageRole};

/// The most images one request may carry (upstream limit).
pub const MAX_IMAGES: usize = 9;
/// The most videos one request may carry (upstream limit).
pub const MAX_VIDEOS: usize = 3;
/// The most audio clips one request may carry (upstream limit).
pub const MAX_AUDIO_CLIPS: usize = 3;
/// The largest image, in bytes (upstream: 30 MB).
pub const MAX_IMAGE_BYTES: usize = 30 * 1024 * 1024;
/// The largest audio clip, in bytes (upstream: 15 MB).
pub const MAX_AUDIO_BYTES: usize = 15 * 1024 * 1024;
/// The largest request body, in bytes (upstream: 64 MB).
pub const MAX_BODY_BYTES: usize = 64 * 1024 * 1024;
/// The `duration` that lets the model choose.
pub const DURATION_AUTOMATIC: i32 = -1;
/// The durations, in seconds, that may be asked for.
pub const DURATION_SECONDS: std::ops::RangeInclusive<i32> = 4..=15;
/// The image types a `data:` URI may carry (upstream: jpeg, png, webp, bmp, tiff, gif).
pub const IMAGE_MIME_TYPES: [&str; 7] = [
    "image/jpeg",
    "image/jpg",
    "image/png",
    "image/webp",
    "image/bmp",
    "image/tiff",
    "image/gif",
];
/// The audio types a `data:` URI may carry (upstream: mp3, wav).
pub const AUDIO_MIME_TYPES: [&str; 5] = [
    "audio/mpeg",
    "audio/mp3",
    "audio/wav",
    "audio/x-wav",
    "audio/wave",
];

/// What an image or audio clip may be.
pub const IMAGE_AND_AUDIO_SOURCES: &str =
    "an https URL, an asset://<ID> reference or a base64 data: URI";
/// What a video may be.
pub const VIDEO_SOURCES: &str =
    "an https URL or an asset://<ID> reference (video cannot be sent as data or a local file)";

/// One broken rule: where, and which.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// The field, as a path into the request body: `duration`, `content[2].role`.
    pub field: String,
    /// The rule it breaks.
    pub rule: Rule,
}

/// A rule of the API that a request can break.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Rule {
    /// `content` has no item.
    EmptyContent,
    /// A text item is empty or only white space.
    EmptyText,
    /// `content` has no text, image or video to generate from.
    NothingToGenerateFrom,
    /// Audio without an image or a video.
    AudioWithoutImageOrVideo,
    /// More items of one kind than the service takes.
    TooMany {
        /// `images`, `videos` or `audio clips`.
        kind: &'static str,
        /// The limit.
        max: usize,
    },
    /// `duration` is neither -1 nor 4 to 15.
    Duration,
    /// `web_search` with anything but text.
    WebSearchNeedsTextOnly,
    /// First/last-frame images together with references.
    FramesMixedWithReferences,
    /// Two images claim the same frame.
    DuplicateFrame {
        /// `first_frame` or `last_frame`.
        role: &'static str,
    },
    /// A `last_frame` image without a `first_frame` image.
    LastFrameWithoutFirstFrame,
    /// A media URL with a scheme the service does not take for that kind of media.
    UrlScheme {
        /// The schemes that kind of media may use.
        allowed: &'static str,
    },
    /// A `data:` URI that is not `data:<allowed type>;base64,<data>`.
    DataUri {
        /// The types allowed for that kind of media.
        allowed: &'static [&'static str],
    },
    /// A local file whose content is not of a type the service takes for that kind of media.
    FileType {
        /// The types allowed for that kind of media.
        allowed: &'static [&'static str],
    },
    /// A payload over the service's size limit.
    TooLarge {
        /// The limit in bytes.
        max_bytes: usize,
    },
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Rule::EmptyContent => f.write_str("must have at least one item"),
            Rule::EmptyText => f.write_str("must not be empty"),
            Rule::NothingToGenerateFrom => {
                f.write_str("needs text, an image or a video to generate from")
            }
            Rule::AudioWithoutImageOrVideo => f.write_str(
                "audio needs an image or a video beside it (audio alone, or with text only, is \
                 not allowed)",
            ),
            Rule::TooMany { kind, max } => write!(f, "at most {max} {kind} are allowed"),
            Rule::Duration => f.write_str("must be 4 to 15 seconds, or -1 to let the model choose"),
            Rule::WebSearchNeedsTextOnly => {
                f.write_str("web_search is only for text-to-video: the content must be text alone")
            }
            Rule::FramesMixedWithReferences => f.write_str(
                "first_frame/last_frame images cannot be mixed with reference images, videos or \
                 audio",
            ),
            Rule::DuplicateFrame { role } => write!(f, "only one image may be the {role}"),
            Rule::LastFrameWithoutFirstFrame => f.write_str("a last_frame needs a first_frame"),
            Rule::UrlScheme { allowed } => write!(f, "must be {allowed}"),
            Rule::DataUri { allowed } => write!(
                f,
                "a data: URI must look like data:<type>;base64,<data> with a type among {}",
                allowed.join(", ")
            ),
            Rule::FileType { allowed } => write!(
                f,
                "is not a file of a supported type (allowed: {})",
                allowed.join(", ")
            ),
            Rule::TooLarge { max_bytes } => {
                write!(
                    f,
                    "is larger than the limit of {} MiB",
                    max_bytes / (1024 * 1024)
                )
            }
        }
    }
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.rule)
    }
}

impl std::error::Error for Violation {}

/// Every rule a request breaks, in the order of the fields. Never empty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violations(pub Vec<Violation>);

impl fmt::Display for Violations {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, violation) in self.0.iter().enumerate() {
            if index > 0 {
                f.write_str("; ")?;
            }
            violation.fmt(f)?;
        }
        Ok(())
    }
}

impl std::error::Error for Violations {}

/// The kinds of media, with what each may be.
#[derive(Clone, Copy)]
enum Media {
    Image,
    Video,
    Audio,
}

impl Media {
    fn url_rule(self) -> Rule {
        let allowed = match self {
            Media::Image | Media::Audio => IMAGE_AND_AUDIO_SOURCES,
            Media::Video => VIDEO_SOURCES,
        };
        Rule::UrlScheme { allowed }
    }

    fn data_uri_types(self) -> Option<(&'static [&'static str], usize)> {
        match self {
            Media::Image => Some((&IMAGE_MIME_TYPES, MAX_IMAGE_BYTES)),
            Media::Audio => Some((&AUDIO_MIME_TYPES, MAX_AUDIO_BYTES)),
            Media::Video => None,
        }
    }
}

/// Checks a create request against every rule of this module.
pub fn check_request(request: &types::CreateVideoGenerationRequest) -> Result<(), Violations> {
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
                    Media::Image,
                    at("image_url.url"),
                    &mut report,
                );
            }
            ContentItem::VideoUrl { video_url, .. } => {
                videos += 1;
                references += 1;
                check_media_url(
                    &video_url.url,
                    Media::Video,
                    at("video_url.url"),
                    &mut report,
                );
            }
            ContentItem::AudioUrl { audio_url, .. } => {
                audio_clips += 1;
                references += 1;
                check_media_url(
                    &audio_url.url,
                    Media::Audio,
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

    let duration = request.duration;
    if duration != DURATION_AUTOMATIC && !DURATION_SECONDS.contains(&duration) {
        report("duration".into(), Rule::Duration);
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

fn check_media_url(url: &str, media: Media, field: String, report: &mut impl FnMut(String, Rule)) {
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
    let Some((allowed, max_bytes)) = media.data_uri_types() else {
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
    use serde_json::{Value, json};

    fn request(content: Value, extra: Value) -> types::CreateVideoGenerationRequest {
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
            assert_eq!(found, [(field("image"), Media::Image.url_rule())], "{url}");
        }
        let as_data = violations(
            json!([
                text("t"),
                media("video", "data:video/mp4;base64,AAAA", None)
            ]),
            json!({}),
        );
        assert_eq!(as_data, [(field("video"), Media::Video.url_rule())]);

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
}
