//! The rules a create request must follow beyond what its JSON Schema says: the reference
//! page's content combinations, duration and web-search rules, the upstream limits
//! (`docs/api-notes.md`), each documented model's own ranges, and the rules of every other
//! family's page (Wan 2.2, HappyHorse 1.0, Kling). They live here, once: the ergonomic client
//! checks a request with them before sending it, and anyfast-mock checks what it receives with
//! them.
//!
//! - [`check_create`]: any body of `POST /v1/video/generations`, by family ([`check_request`]
//!   for Seedance, [`check_wan`], [`check_happyhorse`], [`check_happyhorse_edit`]);
//! - [`check_kling`]: a body of one of Kling's create routes ([`KlingAction`]);
//! - [`family_of`]: which family a model id belongs to ([`Family`]).
//!
//! ```
//! use anyfast_video_api::{types, validate};
//!
//! let request: types::SeedanceVideoRequest = serde_json::from_value(serde_json::json!({
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

mod content;
mod family;
mod fields;
mod happyhorse;
mod kling;
mod media;
mod models;
mod wan;

pub use content::{check_body_size, check_request};
#[allow(deprecated)]
pub use family::is_happyhorse_edit;
pub use family::{CreateBody, Family, check_create, create_request_from_json, family_of};
pub use fields::{check_extra_field, is_typed_field};
pub use happyhorse::{
    HAPPYHORSE_DURATION_SECONDS, HAPPYHORSE_MAX_IMAGES, HAPPYHORSE_SEED, check_happyhorse,
    check_happyhorse_edit,
};
pub use kling::{KLING_MAX_PROMPT_CHARS, KlingAction, check_kling};
pub use media::{
    ALL_ASSET_MIME_TYPES, ASSET_AUDIO_MIME_TYPES, ASSET_IMAGE_MIME_TYPES, ASSET_VIDEO_MIME_TYPES,
    MediaKind, check_asset_file,
};
pub use models::{
    SEEDANCE, SEEDANCE_1_0_LITE_I2V, SEEDANCE_1_0_LITE_T2V, SEEDANCE_1_0_PRO_FAST,
    SEEDANCE_1_5_PRO, SEEDANCE_FAST, SeedanceLimits, resolutions_of, seedance_limits,
    seedance_models,
};
pub use wan::{WAN_DURATION_SECONDS, check_wan};

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
/// The durations, in seconds, that Seedance 2.0 and 2.0 Fast take (each other documented
/// model's are in [`seedance_limits`]).
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
pub const VIDEO_SOURCES: &str = "an https URL or an asset://<ID> reference (video cannot be sent as data or a local file; upload a local video to the asset library first)";
/// What a callback URL may be.
pub const CALLBACK_URL_SOURCES: &str = "an https URL";
/// What an image or video URL of the Wan and HappyHorse bodies may be (their pages: a public
/// URL).
pub const PUBLIC_URL_SOURCES: &str = "a public http or https URL";

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
    /// `duration` is neither -1 nor 4 to 15 (Seedance 2.0 and 2.0 Fast).
    Duration,
    /// `duration` outside the range a documented model takes.
    DurationForModel {
        /// The model.
        model: &'static str,
        /// The shortest, in seconds.
        min: i32,
        /// The longest, in seconds.
        max: i32,
    },
    /// A field that must be given.
    Required,
    /// A field that this model needs.
    RequiredFor {
        /// The model.
        model: &'static str,
    },
    /// None of several fields, one of which must be given.
    RequiredOneOf {
        /// The fields, one of which is needed.
        fields: &'static [&'static str],
    },
    /// A field this model does not take.
    NotFor {
        /// The model.
        model: &'static str,
    },
    /// Something the model needs in a part of the request.
    ModelNeeds {
        /// The model.
        model: &'static str,
        /// What it needs, in words.
        what: &'static str,
    },
    /// A word outside the field's list.
    OneOf {
        /// The words allowed.
        allowed: &'static [&'static str],
    },
    /// A text longer than the field takes.
    TooLong {
        /// The most characters (Unicode scalar values).
        max: usize,
    },
    /// A list with too few or too many items.
    Count {
        /// The fewest items.
        min: usize,
        /// The most items.
        max: usize,
    },
    /// A list that must hold an exact set of items.
    Exactly {
        /// What it must hold, in words.
        what: &'static str,
    },
    /// A number that must be greater than 0.
    Positive,
    /// The ratio `adaptive` without an image, for a model that makes it only from an image.
    AdaptiveNeedsImage {
        /// The model.
        model: &'static str,
    },
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
    /// A resolution the model does not make.
    ResolutionForModel {
        /// The model.
        model: &'static str,
        /// The resolutions it makes.
        allowed: &'static [&'static str],
    },
    /// An extra field that would overwrite a field the API types.
    ExtraFieldIsTyped,
    /// An extra field without a name.
    ExtraFieldUnnamed,
    /// JSON that does not match the API's schema for this part of the request.
    Schema {
        /// What the JSON decoder said.
        detail: String,
    },
    /// A value that is not of the form the field takes.
    Format {
        /// What it should look like.
        expected: &'static str,
    },
    /// A number outside the range the field takes.
    OutOfRange {
        /// The smallest value.
        min: i64,
        /// The largest value.
        max: i64,
    },
}

impl Rule {
    /// The rule a `duration` outside `range` breaks in a family's body: the documented
    /// `model`'s range, or, for another id of the family, the body's own range (the same
    /// numbers, without a model to name).
    pub(crate) fn duration_outside(
        model: Option<&'static str>,
        range: &std::ops::RangeInclusive<i32>,
    ) -> Rule {
        let (min, max) = (*range.start(), *range.end());
        match model {
            Some(model) => Rule::DurationForModel { model, min, max },
            None => Rule::OutOfRange {
                min: min.into(),
                max: max.into(),
            },
        }
    }
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
            Rule::DurationForModel { model, min, max } => {
                write!(f, "must be {min} to {max} seconds for {model}")
            }
            Rule::Required => f.write_str("is required"),
            Rule::RequiredFor { model } => write!(f, "is required for {model}"),
            Rule::RequiredOneOf { fields } => {
                write!(f, "one of {} is required", fields.join(", "))
            }
            Rule::NotFor { model } => write!(f, "is not taken by {model}"),
            Rule::ModelNeeds { model, what } => write!(f, "{model} needs {what}"),
            Rule::OneOf { allowed } => write!(f, "must be one of {}", allowed.join(", ")),
            Rule::TooLong { max } => write!(f, "must be at most {max} characters"),
            Rule::Count { min, max } => write!(f, "must hold {min} to {max} items"),
            Rule::Exactly { what } => write!(f, "must hold exactly {what}"),
            Rule::Positive => f.write_str("must be greater than 0"),
            Rule::AdaptiveNeedsImage { model } => write!(
                f,
                "adaptive is for image-to-video only with {model}: add an image or choose another \
                 ratio"
            ),
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
            Rule::ResolutionForModel { model, allowed } => {
                write!(f, "{model} makes {} only", allowed.join(", "))
            }
            Rule::ExtraFieldIsTyped => f.write_str(
                "is a field the API types: set it with its own method instead of as an extra field",
            ),
            Rule::ExtraFieldUnnamed => f.write_str("an extra field needs a name"),
            Rule::Schema { detail } => write!(f, "does not match the API's schema ({detail})"),
            Rule::Format { expected } => write!(f, "must be {expected}"),
            Rule::OutOfRange { min, max } => write!(f, "must be {min} to {max}"),
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
