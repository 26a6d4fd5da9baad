//! Downloading a finished video: streamed to a temporary file in constant memory, resumed with
//! `Range` after a lost connection, checked against the announced length, then renamed.
//!
//! One [`attempt`] fetches what is missing and reports whether the file is complete or why
//! it was interrupted; the retry engine decides whether to try again.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::{CONTENT_RANGE, RANGE};
use tokio::io::AsyncWriteExt;

use crate::error::{Error, io};
use crate::retry::{Backoff, Decision, RetryPolicy, retry_after};

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
    part_tag: Option<String>,
}

impl fmt::Debug for DownloadOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DownloadOptions")
            .field("on_progress", &self.on_progress.is_some())
            .field("part_tag", &self.part_tag)
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

    /// The tag of the partial file (`NAME.TAG.part`): by default a new random one per
    /// download, so that two downloads of one file never write into the same partial file.
    /// The task store's flows use their lease's id, so that whoever takes a task over can
    /// remove what its last holder left.
    pub fn part_tag(mut self, tag: impl Into<String>) -> Self {
        self.part_tag = Some(tag.into());
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

/// The file a download tagged `tag` writes into before it is complete: `cat.mp4` →
/// `cat.mp4.TAG.part` (see [`DownloadOptions::part_tag`]).
///
/// ```
/// use std::path::Path;
/// assert_eq!(
///     anyfast_video::partial_path(Path::new("out/cat.mp4"), "1f2e"),
///     Path::new("out/cat.mp4.1f2e.part"),
/// );
/// ```
pub fn partial_path(path: &Path, tag: &str) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".{tag}.part"));
    path.with_file_name(name)
}

/// The URL without its query string: a pre-signed URL's signature is a credential for 24
/// hours and must not reach errors or logs.
pub(crate) fn without_query(url: &str) -> &str {
    url.split(['?', '#']).next().unwrap_or(url)
}

/// Downloads `url` (a file of task `task_id`) to `path` with the storage host's client (never
/// the API's: the key must not go there).
pub(crate) async fn download(
    storage: &reqwest::Client,
    policy: &RetryPolicy,
    task_id: &str,
    url: &str,
    path: &Path,
    options: &DownloadOptions,
) -> Result<Downloaded, Error> {
    tracing::debug!(task_id, url = without_query(url), "downloading");
    let tag = options
        .part_tag
        .clone()
        .unwrap_or_else(|| format!("{:08x}", fastrand::u32(..)));
    let mut part = PartFile::create(partial_path(path, &tag), task_id).await?;
    let mut backoff = Backoff::new(policy);
    // Failures in a row count only until the download gets further than it ever got: a server
    // that ignores Range and always breaks at the same byte must not be retried for ever.
    let mut furthest = 0;
    loop {
        let (why, retry_after) = match attempt(storage, url, &mut part, options).await? {
            Attempt::Complete => break,
            Attempt::Interrupted { why, retry_after } => (why, retry_after),
        };
        if part.written > furthest {
            furthest = part.written;
            backoff.reset();
        }
        match backoff.after_failure(retry_after) {
            Decision::RetryAfter(wait) => {
                tracing::debug!(
                    task_id,
                    written = part.written,
                    wait_ms = wait.as_millis() as u64,
                    %why,
                    "resuming the download"
                );
                tokio::time::sleep(wait).await;
            }
            Decision::GiveUp(reason) => {
                return Err(Error::Download {
                    task_id: task_id.to_string(),
                    detail: format!("{why}; {reason}"),
                });
            }
        }
    }
    let bytes = part.finish(path).await?;
    Ok(Downloaded {
        path: path.to_path_buf(),
        bytes,
    })
}

/// How one attempt ended, when it did not fail for good.
enum Attempt {
    /// Every byte is in the partial file.
    Complete,
    /// The transfer stopped early; what arrived is kept.
    Interrupted {
        why: String,
        retry_after: Option<Duration>,
    },
}

/// Fetches what the partial file still lacks.
async fn attempt(
    storage: &reqwest::Client,
    url: &str,
    part: &mut PartFile,
    options: &DownloadOptions,
) -> Result<Attempt, Error> {
    let interrupted = |why: String| Attempt::Interrupted {
        why,
        retry_after: None,
    };
    let mut request = storage.get(url);
    if part.written > 0 {
        request = request.header(RANGE, format!("bytes={}-", part.written));
    }
    let mut response = match request.send().await {
        Ok(response) => response,
        Err(error) => {
            return Ok(interrupted(crate::error::with_causes(&error.without_url())));
        }
    };
    match response.status() {
        StatusCode::OK => {
            if part.written > 0 {
                // The server ignored the range: start again from the beginning.
                part.restart().await?;
            }
            part.total = response.content_length();
        }
        StatusCode::PARTIAL_CONTENT => {
            let (start, whole) = content_range(&response)
                .ok_or_else(|| part.failed("a 206 answer without a valid Content-Range"))?;
            if start != part.written {
                let detail = format!(
                    "asked for bytes from {}, got them from {start}",
                    part.written
                );
                return Err(part.failed(&detail));
            }
            part.total = whole.or(part.total);
        }
        // Everything had arrived before the connection broke (a body of unknown length): the
        // server says so with `Content-Range: bytes */LENGTH`.
        StatusCode::RANGE_NOT_SATISFIABLE
            if unsatisfied_length(&response).or(part.total) == Some(part.written) =>
        {
            return Ok(Attempt::Complete);
        }
        status if status == StatusCode::TOO_MANY_REQUESTS || status.is_server_error() => {
            return Ok(Attempt::Interrupted {
                why: format!("the storage host answered {status}"),
                retry_after: retry_after(response.headers()),
            });
        }
        // Links last 24 hours: the caller queries the task for a fresh one.
        StatusCode::FORBIDDEN => {
            return Err(Error::LinkExpired {
                task_id: part.task_id.clone(),
                age: None,
            });
        }
        status => return Err(part.failed(&format!("the storage host answered {status}"))),
    }
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) => part.write(&chunk, options).await?,
            Ok(None) => break,
            Err(error) => {
                return Ok(interrupted(format!(
                    "the connection broke after {} bytes ({})",
                    part.written,
                    crate::error::with_causes(&error.without_url())
                )));
            }
        }
    }
    match part.total {
        Some(total) if part.written < total => Ok(interrupted(format!(
            "the body ended after {} of {total} bytes",
            part.written
        ))),
        Some(total) if part.written > total => Err(part.failed(&format!(
            "received {} bytes, more than the announced {total}",
            part.written
        ))),
        _ => Ok(Attempt::Complete),
    }
}

/// The partial file of a download and what is known of it. Removed when the download ends
/// without renaming it: after an error, and when the download's future is dropped (Ctrl-C, a
/// timeout around it).
struct PartFile {
    path: PathBuf,
    file: tokio::fs::File,
    task_id: String,
    written: u64,
    total: Option<u64>,
    finished: bool,
}

impl PartFile {
    async fn create(path: PathBuf, task_id: &str) -> Result<PartFile, Error> {
        let file = tokio::fs::File::create(&path)
            .await
            .map_err(|source| io(&path, Some(task_id), source))?;
        Ok(PartFile {
            path,
            file,
            task_id: task_id.to_string(),
            written: 0,
            total: None,
            finished: false,
        })
    }

    async fn write(&mut self, chunk: &[u8], options: &DownloadOptions) -> Result<(), Error> {
        self.file
            .write_all(chunk)
            .await
            .map_err(|source| io(&self.path, Some(&self.task_id), source))?;
        self.written += chunk.len() as u64;
        if let Some(callback) = &options.on_progress {
            callback(DownloadProgress {
                downloaded: self.written,
                total: self.total,
            });
        }
        Ok(())
    }

    async fn restart(&mut self) -> Result<(), Error> {
        self.file = tokio::fs::File::create(&self.path)
            .await
            .map_err(|source| io(&self.path, Some(&self.task_id), source))?;
        self.written = 0;
        Ok(())
    }

    /// Flushes, syncs and renames the file to `path` (the last step), then checks that the
    /// renamed file has the length written; returns it.
    async fn finish(mut self, path: &Path) -> Result<u64, Error> {
        let task_id = self.task_id.clone();
        let synced = async {
            self.file.flush().await?;
            self.file.sync_all().await
        };
        synced
            .await
            .map_err(|source| io(&self.path, Some(&task_id), source))?;
        tokio::fs::rename(&self.path, path)
            .await
            .map_err(|source| io(path, Some(&task_id), source))?;
        self.finished = true;
        let saved = tokio::fs::metadata(path)
            .await
            .map_err(|source| io(path, Some(&task_id), source))?
            .len();
        if saved != self.written {
            return Err(self.failed(&format!(
                "{} holds {saved} bytes after the rename, not the {} written",
                path.display(),
                self.written
            )));
        }
        Ok(self.written)
    }

    fn failed(&self, detail: &str) -> Error {
        Error::Download {
            task_id: self.task_id.clone(),
            detail: detail.to_string(),
        }
    }
}

impl Drop for PartFile {
    fn drop(&mut self) {
        if !self.finished {
            let _ = std::fs::remove_file(&self.path);
        }
    }
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
    use super::*;

    #[test]
    fn the_partial_file_sits_beside_the_target_with_its_tag() {
        assert_eq!(
            partial_path(Path::new("out/cat.mp4"), "a1"),
            Path::new("out/cat.mp4.a1.part")
        );
        assert_eq!(
            partial_path(Path::new("cat"), "b2"),
            Path::new("cat.b2.part")
        );
    }

    #[test]
    fn a_signed_url_loses_its_signature_in_messages() {
        assert_eq!(
            without_query("https://s.example.com/v/1.mp4?X-Tos-Signature=secret#x"),
            "https://s.example.com/v/1.mp4"
        );
        assert_eq!(without_query("https://s/v.mp4"), "https://s/v.mp4");
    }
}
