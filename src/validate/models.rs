//! What each documented Seedance model takes: its durations, resolutions and the optional
//! fields its page documents. Models anyfast does not document are sent as they are and checked
//! by nobody but the service.

use std::ops::RangeInclusive;

/// Seedance 2.0 (anyfast's guides): 480p, 720p and 1080p.
pub const SEEDANCE: &str = "seedance";
/// Seedance 2.0 Fast, the reference page's model: 480p and 720p.
pub const SEEDANCE_FAST: &str = "seedance-fast";
/// Seedance 1.0 Lite, text-to-video.
pub const SEEDANCE_1_0_LITE_T2V: &str = "doubao-seedance-1-0-lite-t2v-250428";
/// Seedance 1.0 Lite, image-to-video.
pub const SEEDANCE_1_0_LITE_I2V: &str = "doubao-seedance-1-0-lite-i2v-250428";
/// Seedance 1.0 Pro Fast (its page is text-to-video).
pub const SEEDANCE_1_0_PRO_FAST: &str = "doubao-seedance-1-0-pro-fast-251015";
/// Seedance 1.5 Pro.
pub const SEEDANCE_1_5_PRO: &str = "doubao-seedance-1-5-pro-251215";

/// What one documented Seedance model takes, from its anyfast page. `None` (or `false`) where
/// the page says nothing: nothing is refused for what a page does not state.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SeedanceLimits {
    /// The model id.
    pub model: &'static str,
    /// The durations, in seconds, its page allows; `None` when the page states no range.
    pub durations: Option<RangeInclusive<i32>>,
    /// Whether `duration: -1` (the model chooses) is allowed.
    pub automatic_duration: bool,
    /// The resolutions it makes; `None` when its page does not list them.
    pub resolutions: Option<&'static [&'static str]>,
    /// Whether it takes `draft: true` (a faster, lower-quality draft).
    pub draft: bool,
    /// Whether its page documents `generate_audio`.
    pub generate_audio: bool,
    /// Whether its page documents `camera_fixed`.
    pub camera_fixed: bool,
    /// Whether the ratio `adaptive` needs an image in `content` (image-to-video only).
    pub adaptive_needs_image: bool,
    /// Whether `content` must hold a text item ("必须包含 text 项").
    pub needs_text: bool,
    /// Whether `content` must hold an image (an image-to-video model).
    pub needs_image: bool,
}

const ALL_RESOLUTIONS: &[&str] = &["480p", "720p", "1080p"];

/// The documented Seedance models and what each takes.
static MODELS: [SeedanceLimits; 6] = [
    SeedanceLimits {
        model: SEEDANCE,
        durations: Some(4..=15),
        automatic_duration: true,
        resolutions: Some(ALL_RESOLUTIONS),
        draft: false,
        generate_audio: true,
        camera_fixed: false,
        adaptive_needs_image: false,
        needs_text: false,
        needs_image: false,
    },
    SeedanceLimits {
        model: SEEDANCE_FAST,
        durations: Some(4..=15),
        automatic_duration: true,
        resolutions: Some(&["480p", "720p"]),
        draft: false,
        generate_audio: true,
        camera_fixed: false,
        adaptive_needs_image: false,
        needs_text: false,
        needs_image: false,
    },
    SeedanceLimits {
        model: SEEDANCE_1_0_LITE_T2V,
        durations: Some(2..=12),
        automatic_duration: false,
        resolutions: Some(ALL_RESOLUTIONS),
        draft: false,
        generate_audio: false,
        camera_fixed: true,
        adaptive_needs_image: false,
        needs_text: true,
        needs_image: false,
    },
    SeedanceLimits {
        model: SEEDANCE_1_0_LITE_I2V,
        durations: Some(2..=12),
        automatic_duration: false,
        resolutions: Some(ALL_RESOLUTIONS),
        draft: false,
        generate_audio: false,
        camera_fixed: true,
        adaptive_needs_image: false,
        needs_text: true,
        needs_image: true,
    },
    SeedanceLimits {
        model: SEEDANCE_1_0_PRO_FAST,
        durations: None,
        automatic_duration: false,
        resolutions: None,
        draft: false,
        generate_audio: false,
        camera_fixed: false,
        adaptive_needs_image: false,
        needs_text: true,
        needs_image: false,
    },
    SeedanceLimits {
        model: SEEDANCE_1_5_PRO,
        durations: Some(4..=12),
        automatic_duration: false,
        resolutions: Some(ALL_RESOLUTIONS),
        draft: true,
        generate_audio: true,
        camera_fixed: true,
        adaptive_needs_image: true,
        needs_text: false,
        needs_image: false,
    },
];

/// Every documented Seedance model, in the spec's order.
///
/// ```
/// let ids: Vec<&str> = anyfast_video_api::validate::seedance_models().iter().map(|m| m.model).collect();
/// assert_eq!(ids[..2], ["seedance", "seedance-fast"]);
/// assert!(ids.contains(&"doubao-seedance-1-5-pro-251215"));
/// ```
pub fn seedance_models() -> &'static [SeedanceLimits] {
    &MODELS
}

/// What a documented Seedance model takes; `None` for any other id (not second-guessed).
///
/// ```
/// use anyfast_video_api::validate::seedance_limits;
///
/// let lite = seedance_limits("doubao-seedance-1-0-lite-t2v-250428").unwrap();
/// assert_eq!(lite.durations, Some(2..=12));
/// assert!(!lite.automatic_duration);
/// assert!(seedance_limits("doubao-seedance-1-5-pro-251215").unwrap().draft);
/// assert!(seedance_limits("seedance-2.0-mini").is_none());
/// ```
pub fn seedance_limits(model: &str) -> Option<&'static SeedanceLimits> {
    MODELS.iter().find(|limits| limits.model == model)
}

/// The resolutions `model` makes, when anyfast documents the model and its resolutions; `None`
/// for any other id, whose resolutions are not refused before sending.
///
/// ```
/// use anyfast_video_api::validate::resolutions_of;
///
/// assert_eq!(resolutions_of("seedance"), Some(&["480p", "720p", "1080p"][..]));
/// assert_eq!(resolutions_of("seedance-fast"), Some(&["480p", "720p"][..]));
/// assert_eq!(resolutions_of("doubao-seedance-1-0-lite-i2v-250428"), Some(&["480p", "720p", "1080p"][..]));
/// assert_eq!(resolutions_of("seedance-2.0-mini"), None);
/// ```
pub fn resolutions_of(model: &str) -> Option<&'static [&'static str]> {
    seedance_limits(model).and_then(|limits| limits.resolutions)
}
