//! The mock's stand-in for the storage service's pre-signed URLs: a signature that is stable
//! per stored object, so that a link works for as long as the mock runs and a forged one (or
//! one object's signature on another) does not.

use crate::stable_hash::fnv1a;

/// The pre-signed URL of a task's video on the download listener at `download_base`.
pub(crate) fn video_url(download_base: &str, id: &str) -> String {
    format!(
        "{download_base}/videos/{id}.mp4?X-Tos-Signature={}",
        signature(id)
    )
}

/// The file name of a task's last frame, beside its video (as the real storage names it).
pub(crate) fn last_frame_file(id: &str) -> String {
    format!("{id}-last.png")
}

/// The pre-signed URL of a task's last frame.
pub(crate) fn last_frame_url(download_base: &str, id: &str) -> String {
    let file = last_frame_file(id);
    format!(
        "{download_base}/videos/{file}?X-Tos-Signature={}",
        signature(&file)
    )
}

/// The pre-signed URL of an uploaded asset's file, `file` being its id and extension.
pub(crate) fn asset_url(download_base: &str, file: &str) -> String {
    format!(
        "{download_base}/assets/{file}?X-Tos-Signature={}",
        signature(&asset_key(file))
    )
}

/// What an asset file's signature signs: its folder too, so that no video or frame signature
/// opens it.
pub(crate) fn asset_key(file: &str) -> String {
    format!("assets/{file}")
}

/// The `X-Tos-Signature` of an object: a task id for its video, a file name otherwise.
pub(crate) fn signature(key: &str) -> String {
    format!("{:016x}", fnv1a(key) ^ 0x5eed_5eed_5eed_5eed)
}
