//! One task under a lease, from wherever its record stands to its end: claimed (written first
//! when new), created, waited for, downloaded into a partial file of the lease's own, renamed,
//! checked, and recorded done; or reported, when its record says it must not be worked on.
//! The one flow behind every method of [`Tasks`](crate::Tasks).

use std::path::PathBuf;
use std::time::Duration;

use anyfast_video::{
    Client, CreateOptions, DownloadOptions, Downloaded, Task, VideoRequest, Videos, partial_path,
};

use crate::error::Error;
use crate::fingerprint::{FINGERPRINT_FORM, first_text, legacy};
use crate::options::{Action, Finished, IfHeld, Outputs, TaskOptions};
use crate::record::{Holder, TaskRecord, TaskState};
use crate::store::{Change, Claim, Lease, Lost, NewTask, StoreError, TaskStore};

/// The client's error, as this crate's.
type VideoError = anyfast_video::Error;

/// How far a run goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Until {
    /// Until the task's id is recorded.
    Created,
    /// Until its files are saved (or, without outputs, until it succeeded).
    Saved,
}

/// One run: the record's key, what to write when it is new, and what to do.
pub(crate) struct Run<'a> {
    client: &'a Client,
    videos: Videos<'a>,
    store: &'a TaskStore,
    options: &'a TaskOptions,
    until: Until,
    key: String,
    new: Option<NewTask>,
    request: Option<VideoRequest>,
    /// Where the files go; `None`: where the record says.
    outputs: Option<Outputs>,
}

impl<'a> Run<'a> {
    /// A run of `client`'s task on `store`.
    pub fn new(
        client: &'a Client,
        store: &'a TaskStore,
        options: &'a TaskOptions,
        until: Until,
    ) -> Run<'a> {
        Run {
            client,
            videos: client.videos(),
            store,
            options,
            until,
            key: String::new(),
            new: None,
            request: None,
            outputs: None,
        }
    }

    /// A run that may create: the record to write first (keyed by the options' idempotency
    /// key, or a new one), with the request's fingerprint (the options', or
    /// [`fingerprint`](crate::fingerprint())).
    pub async fn request(
        mut self,
        request: VideoRequest,
        outputs: Outputs,
    ) -> Result<Run<'a>, Error> {
        let key = self
            .options
            .generate
            .idempotency_key
            .clone()
            .unwrap_or_else(anyfast_video::new_idempotency_key);
        let absolute = |path: &PathBuf| std::path::absolute(path).unwrap_or_else(|_| path.clone());
        let outputs = Outputs {
            video: outputs.video.as_ref().map(absolute),
            last_frame: outputs.last_frame.as_ref().map(absolute),
        };
        let (batch, line) = match &self.options.batch_line {
            Some((batch, line)) => (Some(batch.clone()), Some(*line)),
            None => (None, None),
        };
        self.new = Some(NewTask {
            key: key.clone(),
            request_hash: match &self.options.request_hash {
                Some(fingerprint) => fingerprint.clone(),
                None => crate::fingerprint(&request).await?,
            },
            prompt: first_text(&request).map(str::to_string),
            output: outputs.video.clone(),
            last_frame: outputs.last_frame.clone(),
            base_url: self.client.base_url().to_string(),
            account: Some(self.client.account().to_string()),
            batch,
            line,
        });
        self.key = key;
        self.request = Some(request);
        self.outputs = Some(outputs);
        Ok(self)
    }

    /// A run on a record that exists; never creates.
    pub fn existing(mut self, record: &TaskRecord, outputs: Option<Outputs>) -> Run<'a> {
        self.key = record.key.clone();
        self.outputs = outputs;
        self
    }
}

/// Whether a record is held by a process that is still alive, as far as can be told: its
/// lease has not expired, and it is not seen gone.
pub(crate) fn held_by_live(record: &TaskRecord) -> bool {
    record.current_holder().is_some_and(|holder| {
        holder.lease_left().is_some() && !crate::owner::is_gone(holder.scope.as_deref(), holder.pid)
    })
}

/// Claims the record (waiting for a live holder, or giving up, as the options say), then
/// goes on from where it stands; the lease is ended here, once, durably.
pub(crate) async fn run(run: Run<'_>) -> Result<Finished, Error> {
    let (record, lease) = claim(&run).await?;
    let task_id = record.task_id.clone();
    let me = crate::owner::me();
    let ended_by = record
        .ended_by
        .clone()
        .filter(|holder| holder.pid != me.pid || holder.host != me.host);
    // Boxed: the create, wait and download futures nested in it are large in debug builds, and
    // a test thread's 2 MiB stack overflowed.
    match Box::pin(go_on(&run, record, &lease)).await {
        Ok((mut finished, end)) => {
            finished.ended_by = ended_by;
            let ended = match end {
                End::Release => lease.release().await,
                End::Done(bytes) => lease.finish(TaskState::Done, None, bytes).await,
            };
            if let Err(why) = ended {
                // The work is done (the files saved and checked); a later run finds the task
                // resumable and sees that.
                tracing::warn!(key = %run.key, task_id = %finished.task_id, %why, "the end of a finished task could not be recorded");
            }
            Ok(finished)
        }
        Err(Ended { state, error }) => {
            // What the record keeps: an unknown outcome's own cause only (the next reader
            // words it again, whole: storing the whole message made it repeat its clauses).
            // A create whose sender stopped (or was cut off) before it was answered keeps no
            // cause: that is what a record without one says, and how a reader tells that the
            // sender may still record the task's id late.
            let detail = match &error {
                Error::Video(VideoError::CreateOutcomeUnknown { what, .. })
                    if what == STOPPED_BEFORE_ANSWERED =>
                {
                    None
                }
                Error::Video(VideoError::CreateOutcomeUnknown { what, .. }) => Some(what.clone()),
                other => Some(other.to_string()),
            };
            let error = match &task_id {
                Some(id) => error.for_task(id),
                None => error,
            };
            let ended = match state {
                Some(state) => lease.finish(state, detail, None).await,
                None => lease.release().await,
            };
            if let Err(why) = ended {
                tracing::warn!(key = %run.key, %why, "the end of a task could not be recorded");
            }
            Err(error)
        }
    }
}

/// How a successful run ends its lease.
enum End {
    /// Released, the state kept (created; or found done).
    Release,
    /// Done, with the saved video's length.
    Done(Option<u64>),
}

/// A run that stopped: the state to record (none: the record stays as it is), and why.
struct Ended {
    state: Option<TaskState>,
    error: Error,
}

impl From<Error> for Ended {
    fn from(error: Error) -> Self {
        Ended { state: None, error }
    }
}

async fn claim(run: &Run<'_>) -> Result<(TaskRecord, Lease), Error> {
    let mut told = false;
    loop {
        match run.store.claim(&run.key, run.new.clone()).await? {
            Claim::Held(record, lease) => return Ok((record, lease)),
            Claim::Missing => {
                return Err(Error::Store {
                    detail: format!("{} has no record of {}", run.store.location(), run.key),
                    task_id: None,
                });
            }
            Claim::Busy(record) => {
                let holder = record
                    .as_ref()
                    .and_then(|record| record.holder.clone())
                    .unwrap_or_else(unknown_holder);
                let task_id = record.and_then(|record| record.task_id);
                if run.options.if_held == IfHeld::Skip {
                    return Err(Error::HeldElsewhere {
                        key: run.key.clone(),
                        task_id,
                        holder: Box::new(holder),
                    });
                }
                if !told {
                    told = true;
                    tracing::info!(key = %run.key, ?task_id, %holder, "the task is being finished elsewhere; waiting for it");
                    if let Some(on_held) = &run.options.on_held {
                        on_held(&holder, task_id.as_deref());
                    }
                }
                tokio::time::sleep(held_poll(run.store.lease_ttl())).await;
            }
        }
    }
}

fn unknown_holder() -> Holder {
    Holder {
        host: "another process".into(),
        pid: 0,
        holding: true,
        lease_left_ms: None,
        lease: None,
        scope: None,
    }
}

/// Everything after the claim: the checks, then a create when the record asks for one, then
/// the wait and the download, under the lease.
async fn go_on(run: &Run<'_>, record: TaskRecord, lease: &Lease) -> Result<(Finished, End), Ended> {
    if let Some(account) = record
        .account
        .as_deref()
        .filter(|account| *account != run.client.account())
    {
        return Err(Error::OtherAccount {
            key: record.key.clone(),
            task_id: record.task_id.clone(),
            account: account.to_string(),
        }
        .into());
    }
    let outputs = run.outputs.clone().unwrap_or_else(|| Outputs {
        video: record.output.clone(),
        last_frame: record.last_frame.clone(),
    });
    // A task done already, saved again at a path of the caller's own (not the record's):
    // the record keeps where its video was saved and by whom; this run only releases it.
    let own_copy = record.state == TaskState::Done && outputs.video != record.output;
    if let Some(previous) = &record.previous_lease {
        // What its last holder was writing when it stopped: nobody else writes it now.
        for path in outputs.video.iter().chain(&outputs.last_frame) {
            let _ = std::fs::remove_file(partial_path(path, previous));
        }
    }
    let fresh = record.claims == 1 && record.state == TaskState::Sending;
    if let Some(new) = &run.new
        && !fresh
        && new.request_hash != record.request_hash
        && !same_before_an_upgrade(run, &record)
    {
        return Err(Error::KeyReused {
            key: record.key.clone(),
            task_id: record.task_id.clone(),
        }
        .into());
    }
    let may_create = run.request.is_some();
    let retry_unknown = run.options.retry_unknown_create && may_create;
    let (task_id, created) = match (record.state, record.task_id.clone()) {
        (TaskState::Sending, _) if fresh => create(run, lease).await?,
        // Its id was recorded after all (by a sender cut off from the store, once it could
        // write again, past an outcome another run had already called unknown): the task
        // exists, and is finished from its id, never created again.
        (TaskState::Sending | TaskState::Unknown, Some(task_id)) => (task_id, None),
        (TaskState::Sending | TaskState::Unknown, _) if retry_unknown => create(run, lease).await?,
        (TaskState::NotSent, _) if may_create => create(run, lease).await?,
        (TaskState::Sending | TaskState::Unknown, task_id) => {
            return Err(Ended {
                state: Some(TaskState::Unknown),
                error: VideoError::CreateOutcomeUnknown {
                    what: record
                        .error
                        .as_deref()
                        .map(unknown_cause)
                        .unwrap_or_else(|| STOPPED_BEFORE_ANSWERED.into()),
                    idempotency_key: record.key.clone(),
                    task_id,
                    body: None,
                }
                .into(),
            });
        }
        (TaskState::Failed, Some(task_id)) => {
            return Err(Error::from(VideoError::TaskFailed {
                task_id,
                reason: record.error.clone().unwrap_or_else(|| "failed".into()),
                code: None,
            })
            .into());
        }
        (TaskState::Done, Some(task_id)) if whole(&record, &outputs) => {
            let video = outputs.video.map(|path| Downloaded {
                bytes: record.output_bytes.unwrap_or_default(),
                path,
            });
            let finished = Finished {
                key: record.key,
                task_id,
                task: None,
                action: Action::AlreadyDone,
                video,
                ended_by: None,
            };
            return Ok((finished, End::Release));
        }
        (state, Some(task_id)) if state.is_resumable() || state == TaskState::Done => {
            (task_id, None)
        }
        (state, task_id) => {
            return Err(Error::Recorded {
                key: record.key.clone(),
                task_id,
                state,
                detail: record.error.clone(),
            }
            .into());
        }
    };
    let action = if created.is_some() {
        Action::Created
    } else {
        Action::Resumed
    };
    if run.until == Until::Created {
        let finished = Finished {
            key: record.key,
            task_id,
            task: created,
            action,
            video: None,
            ended_by: None,
        };
        return Ok((finished, End::Release));
    }
    // An own copy of a done task leaves the record as it is, whatever happens to the copy: a
    // record moved to `waiting` (or to an error) would be finished again by another process,
    // into the folder of the machine that saved it (the pairs table caught `resume --all`
    // doing so right after a `wait -o`).
    let work = finish(run, lease, &task_id, &outputs, created.is_none(), own_copy);
    let (task, video) = tokio::select! {
        finished = work => finished.map_err(|ended| match own_copy {
            true => Ended { state: None, ..ended },
            false => ended,
        })?,
        lost = lease.lost() => return Err(lost_lease(&record.key, &task_id, lost).into()),
    };
    let bytes = video.as_ref().map(|video| video.bytes);
    let finished = Finished {
        key: record.key,
        task_id,
        task: Some(task),
        action,
        video,
        ended_by: None,
    };
    if own_copy {
        return Ok((finished, End::Release));
    }
    Ok((finished, End::Done(bytes)))
}

/// Whether a record written before [`fingerprint`](crate::fingerprint())'s form (its fingerprint the
/// hash of the request's `Debug` output, which moves whenever the spec is regenerated: a new
/// optional field adds `field: None`) is of this run's request. Such a fingerprint cannot be
/// migrated (the request is not stored, only its hash) and cannot be recomputed after an
/// upgrade; so it is accepted when it is still this request's old-form hash (no upgrade in
/// between), or else when the record's prompt is this request's: a job redelivered with its
/// key after a deploy finds its task instead of `KeyReused`. Only the crate's own fingerprints
/// are read so: one the caller gave ([`GenerateOptions::request_fingerprint`]) is compared as
/// it is.
fn same_before_an_upgrade(run: &Run<'_>, record: &TaskRecord) -> bool {
    let Some(request) = &run.request else {
        return false;
    };
    let old_form = !record.request_hash.starts_with(FINGERPRINT_FORM);
    run.options.request_hash.is_none()
        && old_form
        && (record.request_hash == legacy(&format!("{request:?}"))
            || record.prompt.as_deref() == first_text(request))
}

/// Whether a done record's video is where `outputs` says, whole (or, when that is where the
/// record saved it, saved on another machine, which this one cannot see: a caller who asks for
/// another path gets its own file).
fn whole(record: &TaskRecord, outputs: &Outputs) -> bool {
    let Some(path) = &outputs.video else {
        return true;
    };
    let elsewhere = record.output.as_ref() == Some(path)
        && record
            .ended_by
            .as_ref()
            .is_some_and(|holder| holder.host != crate::owner::me().host);
    match std::fs::metadata(path) {
        Ok(metadata) => record
            .output_bytes
            .is_none_or(|bytes| bytes == metadata.len()),
        Err(_) => elsewhere,
    }
}

/// Sends the create (never cancelled midway: a create cut off has an unknown outcome), and
/// records its task's id before going on.
async fn create(run: &Run<'_>, lease: &Lease) -> Result<(String, Option<Task>), Ended> {
    let request = run.request.clone().expect("a create has a request");
    let options = CreateOptions::default().idempotency_key(lease.key());
    match Box::pin(run.videos.create_with(request, options)).await {
        Ok(task) => {
            let assets = task
                .uploaded_assets
                .iter()
                .map(|upload| upload.asset_id.clone())
                .collect();
            // A task that is waited for next is recorded waiting at once: one write less.
            let state = match run.until {
                Until::Saved => TaskState::Waiting,
                Until::Created => TaskState::Created,
            };
            let change = Change::Created {
                task_id: task.id.clone(),
                assets,
                state,
            };
            match record_id(run, lease, change).await {
                Ok(()) => {}
                // NotHeld: recorded, as a fact; whoever holds the record now (or claims it
                // next) finishes the task, and this process no longer may. LeaseLost: another
                // process recorded the record's task (sent again, asked to): this one's id is
                // in the error.
                Err(StoreError::NotHeld | StoreError::LeaseLost) => {
                    return Err(lost_lease(lease.key(), &task.id, Lost::TakenOver).into());
                }
                Err(why) => return Err(store_failed(run, &task.id, why).into()),
            }
            if let Some(on_created) = &run.options.generate.on_created {
                on_created(&task);
            }
            Ok((task.id.clone(), Some(task)))
        }
        Err(error) => {
            let state = match &error {
                VideoError::CreateOutcomeUnknown { .. } => TaskState::Unknown,
                VideoError::Api { .. } => TaskState::Refused,
                // Refused before sending (validation, a local file), or provably not
                // processed (429 and refused connections, after their retries).
                _ => TaskState::NotSent,
            };
            Err(Ended {
                state: Some(state),
                error: error.into(),
            })
        }
    }
}

/// Records the id a create answered with. The id is a fact, not a claim: a task that exists and
/// is billed must not be known only to this process. So a store that does not answer (a
/// partition, a restart) is tried again, for as long as [`TaskStore::patience`] says, and
/// the write goes through even when this process's lease was lost meanwhile, as long as the
/// record has no id yet ([`StoreError::NotHeld`] then).
async fn record_id(run: &Run<'_>, lease: &Lease, change: Change) -> Result<(), StoreError> {
    let patience = run.store.patience();
    let started = std::time::Instant::now();
    let mut pause = Duration::from_millis(100);
    loop {
        match lease.write(change.clone()).await {
            Err(StoreError::Unavailable(why)) if started.elapsed() + pause < patience => {
                tracing::warn!(key = %lease.key(), %why, "the task's id could not be recorded yet; trying again");
                tokio::time::sleep(pause).await;
                pause = (pause * 2).min(Duration::from_secs(2));
            }
            written => return written,
        }
    }
}

/// Waits for the task, then saves its files under the lease (an own copy of a done task
/// without moving its record to `waiting`).
async fn finish(
    run: &Run<'_>,
    lease: &Lease,
    task_id: &str,
    outputs: &Outputs,
    resumed: bool,
    own_copy: bool,
) -> Result<(Task, Option<Downloaded>), Ended> {
    let videos = run.videos;
    if resumed && !own_copy {
        drop(lease.write(Change::State {
            state: TaskState::Waiting,
            error: None,
            task_id: None,
        }));
    }
    let wait = {
        let writer = lease.status_writer();
        let theirs = run.options.generate.wait.progress_callback();
        let wait = &run.options.generate.wait;
        wait.clone()
            .poll_at_once(resumed || wait.polls_at_once())
            .on_progress(move |task: &Task| {
                writer.status(&task.status.to_string(), task.progress);
                if let Some(theirs) = &theirs {
                    theirs(task);
                }
            })
    };
    let task = Box::pin(videos.wait(task_id, wait))
        .await
        .map_err(|error| {
            let state = match &error {
                VideoError::TaskFailed { .. } => TaskState::Failed,
                VideoError::WaitTimeout { .. } => TaskState::TimedOut,
                _ => TaskState::Error,
            };
            Ended {
                state: Some(state),
                error: error.into(),
            }
        })?;
    // Saving is recorded by its end (done, with the length); until then the record says
    // waiting, and its status says the task succeeded.
    let Some(video) = &outputs.video else {
        return Ok((task, None));
    };
    let saving = async {
        let options = run.options.generate.download.clone().part_tag(lease.id());
        let saved = videos.download_with(&task, video, options).await?;
        if let Some(frame) = &outputs.last_frame {
            let options = DownloadOptions::default().part_tag(lease.id());
            videos
                .download_last_frame_with(&task, frame, options)
                .await?;
        }
        Ok::<_, VideoError>(saved)
    };
    let saved = saving.await.map_err(|error| Ended {
        state: Some(TaskState::Error),
        error: error.into(),
    })?;
    Ok((task, Some(saved)))
}

fn lost_lease(key: &str, task_id: &str, lost: Lost) -> Error {
    Error::LeaseLost {
        key: key.to_string(),
        task_id: Some(task_id.to_string()),
        why: lost.to_string(),
    }
}

fn store_failed(run: &Run<'_>, task_id: &str, why: impl std::fmt::Display) -> Error {
    Error::Store {
        detail: format!("{}: {why}", run.store.location()),
        task_id: Some(task_id.to_string()),
    }
}

/// What a record says of a create whose holder stopped (or lost its lease) before it was
/// answered.
const STOPPED_BEFORE_ANSWERED: &str = "was sent by a process that stopped before it was answered";

/// The cause of an unknown outcome as a record keeps it. Records written before the cause was
/// kept alone hold the whole message ("the create request CAUSE, so the task may have been
/// created anyway (…); check …"): its cause is taken out, so that it is not worded twice.
fn unknown_cause(stored: &str) -> String {
    let mut cause = stored;
    while let Some(inner) = cause.strip_prefix("the create request ") {
        cause = inner
            .split_once(", so the task may have been created anyway")
            .map_or(inner, |(first, _)| first);
    }
    cause.to_string()
}

/// How often a record held by someone else is looked at again while waiting for it.
fn held_poll(ttl: Duration) -> Duration {
    (ttl / 4).clamp(Duration::from_millis(50), Duration::from_secs(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_outcomes_cause_is_worded_once_whatever_the_record_kept() {
        let error = |what: String| VideoError::CreateOutcomeUnknown {
            what,
            idempotency_key: "k-1".into(),
            task_id: None,
            body: None,
        };
        // What a record of this version keeps, and what earlier ones kept: the whole message,
        // nested once more by every reader that stored it again.
        let once = error(STOPPED_BEFORE_ANSWERED.into()).to_string();
        let twice = error(once.clone()).to_string();
        for stored in [STOPPED_BEFORE_ANSWERED.to_string(), once.clone(), twice] {
            let worded = error(unknown_cause(&stored)).to_string();
            assert_eq!(worded, once);
            assert_eq!(worded.matches("the create request").count(), 1, "{worded}");
        }
        assert_eq!(unknown_cause("was answered 502"), "was answered 502");
    }
}
