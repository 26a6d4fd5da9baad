//! The mock's stand-in for the storage service's pre-signed URLs: a signature that is stable
//! per task id, so that a link works for as long as the mock runs and a forged one does not.

use crate::stable_hash::fnv1a;

/// The pre-signed URL of a task's video on the download listener at `download_base`.
pub(crate) fn video_url(download_base: &str, id: &str) -> String {
    format!(
        "{download_base}/videos/{id}.mp4?X-Tos-Signature={}",
        signature(id)
    )
}

/// The `X-Tos-Signature` of a task's video.
pub(crate) fn signature(id: &str) -> String {
    format!("{:016x}", fnv1a(id) ^ 0x5eed_5eed_5eed_5eed)
}
