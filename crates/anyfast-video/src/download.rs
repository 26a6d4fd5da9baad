//! Downloading a finished video: streamed to a temporary file in constant memory, resumed with
//! `Range` after a lost connection, checked against the announced length, then renamed.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use reqwest::StatusCode;
use reqwest::header::{CONTENT_RANGE, RANGE};
use tokio::io::AsyncWriteExt;

use crate::api_error::retry_after;
use crate::retry::RetryPolicy;
use crate::{Error, Task};

/// Progress of a download.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DownloadProgress {
    /// Bytes written so far.
    pub downloaded: u64,
    /// The whole size, once the server has said it.
    pub total: Option<u64>,
}

/// How [`Videos::download_with`](crate::Videos::download_with) reports progress.
///
/// ```
/// use anyfast_video::DownloadOptions;
///
/// let options = DownloadOptions::default().on_progress(|progress| {
///     eprintln!("{} of {:?} bytes", progress.downloaded, progress.total);
/// });
/// # let _ = options;
/// ```
#[derive(Clone, Default)]
pub struct DownloadOptions {
    on_progress: Option<Arc<dyn Fn(DownloadProgress) + Send + Sync>>,
}

impl fmt::Debug for DownloadOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DownloadOptions")
            .field("on_progress", &self.on_progress.is_some())
            .finish()
    }
}

impl DownloadOptions {
    /// Called after every chunk written.
    pub fn on_progress(
        mut self,
        callback: impl Fn(DownloadProgress) + Send + Sync + 'static,
    ) -> Self {
        self.on_progress = Some(Arc::new(callback));
        self
    }
}

/// A finished download.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Downloaded {
    /// Where the video is.
    pub path: PathBuf,
    /// Its size in bytes.
    pub bytes: u64,
}

/// The file a download writes into before it is complete: `cat.mp4` → `cat.mp4.part`.
pub fn partial_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".part");
    path.with_file_name(name)
}

pub(crate) async fn download(
    http: &reqwest::Client,
    retry: &RetryPolicy,
    task: &Task,
    path: &Path,
    options: &DownloadOptions,
) -> Result<Downloaded, Error> {
    let Some(url) = task.video_url.as_deref() else {
        if let Some(failure) = &task.failure {
            return Err(Error::TaskFailed {
                task_id: task.id.clone(),
                reason: failure.reason.clone(),
                code: failure.code.clone(),
            });
        }
        return Err(Error::Download {
            task_id: task.id.clone(),
            detail: format!("the task has no video URL (it is {})", task.status),
        });
    };
    let part = PartFile(partial_path(path));
    let bytes = fetch(http, retry, &task.id, url, &part.0, options).await?;
    tokio::fs::rename(&part.0, path)
        .await
        .map_err(|source| Error::Io {
            path: path.to_path_buf(),
            task_id: Some(task.id.clone()),
            source,
        })?;
    Ok(Downloaded {
        path: path.to_path_buf(),
        bytes,
    })
}

/// The partial file, removed when the download ends without renaming it: after an error, and
/// when the download's future is dropped (Ctrl-C, a timeout around it). After the rename there
/// is nothing left to remove.
struct PartFile(PathBuf);

impl Drop for PartFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// Fetches `url` into `part`, returning its length.
async fn fetch(
    http: &reqwest::Client,
    retry: &RetryPolicy,
    task_id: &str,
    url: &str,
    part: &Path,
    options: &DownloadOptions,
) -> Result<u64, Error> {
    let io_error = |source| Error::Io {
        path: part.to_path_buf(),
        task_id: Some(task_id.to_string()),
        source,
    };
    let failed = |detail: String| Error::Download {
        task_id: task_id.to_string(),
        detail,
    };
    let mut file = tokio::fs::File::create(part).await.map_err(io_error)?;
    let mut written: u64 = 0;
    let mut total: Option<u64> = None;
    // Failures in a row count only until the download gets further than it ever got: a server
    // that ignores Range and always breaks at the same byte must not be retried for ever.
    let mut failures = 0;
    let mut furthest: u64 = 0;
    loop {
        let mut request = http.get(url);
        if written > 0 {
            request = request.header(RANGE, format!("bytes={written}-"));
        }
        // Why the attempt ended early, and the server's Retry-After, when it did.
        let mut interruption: Option<(String, Option<std::time::Duration>)> = None;
        match request.send().await {
            Err(error) => interruption = Some((error.to_string(), None)),
            Ok(mut response) => {
                let status = response.status();
                match status {
                    StatusCode::OK => {
                        if written > 0 {
                            // The server ignored the range: start again from the beginning.
                            file.set_len(0).await.map_err(io_error)?;
                            file = tokio::fs::File::create(part).await.map_err(io_error)?;
                            written = 0;
                        }
                        total = response.content_length();
                    }
                    StatusCode::PARTIAL_CONTENT => {
                        let (start, whole) = content_range(&response).ok_or_else(|| {
                            failed("a 206 answer without a valid Content-Range".into())
                        })?;
                        if start != written {
                            return Err(failed(format!(
                                "asked for bytes from {written}, got them from {start}"
                            )));
                        }
                        total = whole.or(total);
                    }
                    // Everything had arrived before the connection broke (a body of unknown
                    // length): the server says so with `Content-Range: bytes */LENGTH`.
                    StatusCode::RANGE_NOT_SATISFIABLE
                        if unsatisfied_length(&response).or(total) == Some(written) =>
                    {
                        break;
                    }
                    status
                        if status == StatusCode::TOO_MANY_REQUESTS || status.is_server_error() =>
                    {
                        interruption = Some((
                            format!("the storage host answered {status}"),
                            retry_after(response.headers()),
                        ));
                    }
                    StatusCode::FORBIDDEN => {
                        return Err(failed(
                            "the storage host answered 403: the link is valid for 24 hours; query the task again for a fresh one".into(),
                        ));
                    }
                    status => return Err(failed(format!("the storage host answered {status}"))),
                }
                if interruption.is_none() {
                    loop {
                        match response.chunk().await {
                            Ok(Some(chunk)) => {
                                file.write_all(&chunk).await.map_err(io_error)?;
                                written += chunk.len() as u64;
                                if written > furthest {
                                    furthest = written;
                                    failures = 0;
                                }
                                if let Some(callback) = &options.on_progress {
                                    callback(DownloadProgress {
                                        downloaded: written,
                                        total,
                                    });
                                }
                            }
                            Ok(None) => break,
                            Err(error) => {
                                interruption = Some((
                                    format!("the connection broke after {written} bytes ({error})"),
                                    None,
                                ));
                                break;
                            }
                        }
                    }
                    if interruption.is_none() {
                        match total {
                            Some(total) if written < total => {
                                interruption = Some((
                                    format!("the body ended after {written} of {total} bytes"),
                                    None,
                                ));
                            }
                            Some(total) if written > total => {
                                return Err(failed(format!(
                                    "received {written} bytes, more than the announced {total}"
                                )));
                            }
                            _ => break,
                        }
                    }
                }
            }
        }
        if let Some((why, retry_after)) = interruption {
            if retry_after.is_some_and(|asked| asked > retry.max_retry_after) {
                return Err(failed(format!(
                    "{why}, with a Retry-After longer than the policy's limit of {} s",
                    retry.max_retry_after.as_secs()
                )));
            }
            if failures >= retry.max_retries {
                return Err(failed(format!(
                    "{why}; gave up after {} retries",
                    retry.max_retries
                )));
            }
            let wait = retry.backoff(failures, retry_after);
            tracing::debug!(task_id, written, wait_ms = wait.as_millis() as u64, %why, "resuming the download");
            tokio::time::sleep(wait).await;
            failures += 1;
        }
    }
    file.flush().await.map_err(io_error)?;
    file.sync_all().await.map_err(io_error)?;
    Ok(written)
}

/// The length in a 416's `Content-Range: bytes */LENGTH`.
fn unsatisfied_length(response: &reqwest::Response) -> Option<u64> {
    let value = response.headers().get(CONTENT_RANGE)?.to_str().ok()?;
    value.strip_prefix("bytes */")?.trim().parse().ok()
}

/// The start and the whole length of `Content-Range: bytes START-END/WHOLE`.
fn content_range(response: &reqwest::Response) -> Option<(u64, Option<u64>)> {
    let value = response.headers().get(CONTENT_RANGE)?.to_str().ok()?;
    let (range, whole) = value.strip_prefix("bytes ")?.split_once('/')?;
    let start = range.split_once('-')?.0.parse().ok()?;
    Some((start, whole.parse().ok()))
}

#[cfg(test)]
mod tests {
    use super::partial_path;
    use std::path::Path;

    #[test]
    fn the_partial_file_sits_beside_the_target() {
        assert_eq!(
            partial_path(Path::new("out/cat.mp4")),
            Path::new("out/cat.mp4.part")
        );
        assert_eq!(partial_path(Path::new("cat")), Path::new("cat.part"));
    }
}
