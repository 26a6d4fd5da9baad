//! What each documented model makes. Models anyfast does not document are sent as they are
//! and checked by nobody but the service.

/// Seedance 2.0 (anyfast's guides): 480p, 720p and 1080p.
pub const SEEDANCE: &str = "seedance";
/// Seedance 2.0 Fast, the reference page's model: 480p and 720p.
pub const SEEDANCE_FAST: &str = "seedance-fast";

/// The documented models and their resolutions.
const MODELS: [(&str, &[&str]); 2] = [
    (SEEDANCE, &["480p", "720p", "1080p"]),
    (SEEDANCE_FAST, &["480p", "720p"]),
];

/// The resolutions `model` makes, when anyfast documents the model; `None` for any other id,
/// whose resolutions are not refused before sending.
///
/// ```
/// use anyfast_video_api::validate::resolutions_of;
///
/// assert_eq!(resolutions_of("seedance"), Some(&["480p", "720p", "1080p"][..]));
/// assert_eq!(resolutions_of("seedance-fast"), Some(&["480p", "720p"][..]));
/// assert_eq!(resolutions_of("seedance-2.0-mini"), None);
/// ```
pub fn resolutions_of(model: &str) -> Option<&'static [&'static str]> {
    MODELS
        .iter()
        .find(|(id, _)| *id == model)
        .map(|(_, resolutions)| *resolutions)
}

/// The documented model of this id, as a `'static` name for messages.
pub(super) fn documented(model: &str) -> Option<&'static str> {
    MODELS.iter().map(|(id, _)| *id).find(|id| *id == model)
}
