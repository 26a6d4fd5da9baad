//! [`Tasks`]: a client's tasks as a task store records them — a durable generate
//! ([`Tasks::generate`]), finishing what a stopped process left ([`Tasks::recover`]), one
//! record's task ([`Tasks::finish`]), and the records themselves.

use std::path::PathBuf;

use anyfast_video::{Client, Task, VideoRequest, WaitOptions};
use futures_util::StreamExt;

use crate::error::Error;
use crate::flow::{self, Run, Until};
use crate::options::{Finished, HeldCallback, IfHeld, Outputs, TaskOptions};
use crate::record::{Holder, TaskQuery, TaskRecord, TaskState};
use crate::store::TaskStore;

/// A client and the store that records its tasks. Cheap to clone (both are).
///
/// ```no_run
/// use anyfast_video::Client;
/// use anyfast_video_tasks::{TaskStore, Tasks};
///
/// # async fn run() -> Result<(), anyfast_video_tasks::Error> {
/// let tasks = Tasks::new(Client::from_env()?, TaskStore::open("tasks.sqlite").await?);
/// assert!(tasks.store().location().ends_with("tasks.sqlite"));
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Debug)]
pub struct Tasks {
    client: Client,
    store: TaskStore,
}

/// What [`Tasks::recover`] did with one record.
#[derive(Debug)]
#[non_exhaustive]
pub struct Recovered {
    /// The record's key.
    pub key: String,
    /// Its task's id, when known.
    pub task_id: Option<String>,
    /// How it ended.
    pub result: Result<Finished, Error>,
}

/// How [`Tasks::recover`] works.
///
/// ```
/// use anyfast_video_tasks::{IfHeld, RecoverOptions};
///
/// let options = RecoverOptions::default().concurrency(16).if_held(IfHeld::Wait);
/// # let _ = options;
/// ```
#[derive(Clone)]
pub struct RecoverOptions {
    concurrency: usize,
    if_held: IfHeld,
    check_done: bool,
    wait: WaitOptions,
    on_held: Option<HeldCallback>,
}

impl std::fmt::Debug for RecoverOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RecoverOptions")
            .field("concurrency", &self.concurrency)
            .field("if_held", &self.if_held)
            .field("check_done", &self.check_done)
            .field("wait", &self.wait)
            .field("on_held", &self.on_held.is_some())
            .finish()
    }
}

impl Default for RecoverOptions {
    fn default() -> Self {
        RecoverOptions {
            concurrency: 8,
            if_held: IfHeld::Skip,
            check_done: false,
            wait: WaitOptions::default().poll_at_once(true),
            on_held: None,
        }
    }
}

impl RecoverOptions {
    /// How many tasks at once (default 8).
    pub fn concurrency(mut self, tasks: usize) -> Self {
        self.concurrency = tasks.max(1);
        self
    }

    /// What to do with records other live processes hold (default [`IfHeld::Skip`]: they
    /// are being finished; with [`IfHeld::Wait`], each is waited for and reported).
    pub fn if_held(mut self, if_held: IfHeld) -> Self {
        self.if_held = if_held;
        self
    }

    /// Also look at the records that are done: a video missing from where the record says it
    /// was saved on this machine, or of the wrong length, is downloaded again (the task
    /// queried for a fresh link). Default off: a service may move its videos away.
    pub fn check_done(mut self, check: bool) -> Self {
        self.check_done = check;
        self
    }

    /// How to wait (default [`WaitOptions::default`] with a poll at once: these tasks were
    /// made earlier and may have ended).
    pub fn wait(mut self, options: WaitOptions) -> Self {
        self.wait = options;
        self
    }

    /// With [`IfHeld::Wait`]: called once for each record found held by another process (its
    /// holder, and the task's id), before waiting for it.
    pub fn on_held(
        mut self,
        callback: impl Fn(&Holder, Option<&str>) + Send + Sync + 'static,
    ) -> Self {
        self.on_held = Some(std::sync::Arc::new(callback));
        self
    }
}

impl Tasks {
    /// `client`'s tasks, recorded in `store`.
    pub fn new(client: Client, store: TaskStore) -> Tasks {
        Tasks { client, store }
    }

    /// The client.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// The store.
    pub fn store(&self) -> &TaskStore {
        &self.store
    }

    /// The record of `key` (an `Idempotency-Key`).
    pub async fn get(&self, key: &str) -> Result<Option<TaskRecord>, Error> {
        self.store.get(key).await
    }

    /// The newest record of task `task_id` on this client's service (its base URL), of its
    /// account first: task ids are only unique per service, so another service's record of
    /// the same id is never found.
    pub async fn find(&self, task_id: &str) -> Result<Option<TaskRecord>, Error> {
        self.store
            .find_task_of(task_id, self.client.base_url(), Some(self.client.account()))
            .await
    }

    /// The records `query` selects.
    pub async fn list(&self, query: &TaskQuery) -> Result<Vec<TaskRecord>, Error> {
        self.store.list(query).await
    }

    /// Creates, waits for and saves a task under a record, and says what it did: what
    /// [`Videos::generate_with`](anyfast_video::Videos::generate_with) does, durably. The
    /// record is written before the create is sent; with the same idempotency key again, the
    /// record is finished from where it stands (or found done) instead of creating again.
    ///
    /// ```no_run
    /// use anyfast_video::{Client, VideoRequest};
    /// use anyfast_video_tasks::{Action, TaskOptions, TaskStore, Tasks};
    ///
    /// # async fn run() -> Result<(), anyfast_video_tasks::Error> {
    /// let store = TaskStore::open("postgres://app@db.internal/videos").await?;
    /// let tasks = Tasks::new(Client::builder().api_key("sk-...").build()?, store);
    /// let options = TaskOptions::default().idempotency_key("order-1042");
    /// let finished = tasks
    ///     .generate(VideoRequest::text("a cat"), "/data/order-1042.mp4", options)
    ///     .await?;
    /// assert!(matches!(finished.action, Action::Created | Action::Resumed | Action::AlreadyDone));
    /// # Ok(())
    /// # }
    /// ```
    pub async fn generate(
        &self,
        request: VideoRequest,
        path: impl Into<PathBuf>,
        options: TaskOptions,
    ) -> Result<Finished, Error> {
        let mut outputs = Outputs::video(path);
        outputs.last_frame = options.generate.last_frame.clone();
        let run = Run::new(&self.client, &self.store, &options, Until::Saved)
            .request(request, outputs)
            .await?;
        flow::run(run).await
    }

    /// Creates a task under a record and returns once its id is recorded: the task is
    /// waited for and saved later ([`Tasks::finish`], [`Tasks::recover`]).
    pub async fn create(
        &self,
        request: VideoRequest,
        outputs: Outputs,
        options: TaskOptions,
    ) -> Result<Task, Error> {
        let run = Run::new(&self.client, &self.store, &options, Until::Created)
            .request(request, outputs)
            .await?;
        let finished = flow::run(run).await?;
        finished.task.ok_or_else(|| Error::Recorded {
            key: finished.key,
            task_id: Some(finished.task_id),
            state: TaskState::Done,
            detail: Some("the task was made and saved before".into()),
        })
    }

    /// Finishes the task of record `key` (or of task id `key`): waits for it and saves its
    /// files where `outputs` says, or where the record says when `outputs` is `None`. Never
    /// creates: a record whose create's outcome is unknown is reported as such.
    pub async fn finish(
        &self,
        key: &str,
        outputs: Option<Outputs>,
        options: TaskOptions,
    ) -> Result<Finished, Error> {
        let store = &self.store;
        let record = match store.get(key).await? {
            Some(record) => record,
            None => self.find(key).await?.ok_or_else(|| Error::Store {
                detail: format!("{} has no record of {key}", store.location()),
                task_id: None,
            })?,
        };
        let run =
            Run::new(&self.client, &self.store, &options, Until::Saved).existing(&record, outputs);
        flow::run(run).await
    }

    /// Finishes every unfinished task whose holder is gone or whose lease expired (and, with
    /// [`RecoverOptions::check_done`], saves again the videos of done tasks that went
    /// missing): suitable for a service's start-up, and for running every lease period so
    /// that the tasks of a replica that died are finished by the others. Records other live
    /// processes hold are left to them. A record left `sending` by a process that stopped
    /// before its create was answered is marked `unknown` and reported once, never created
    /// again.
    ///
    /// ```no_run
    /// use anyfast_video::Client;
    /// use anyfast_video_tasks::{RecoverOptions, TaskStore, Tasks};
    ///
    /// # async fn run() -> Result<(), anyfast_video_tasks::Error> {
    /// let client = Client::builder().api_key("sk-...").build()?;
    /// let tasks = Tasks::new(client, TaskStore::open("tasks.sqlite").await?);
    /// for recovered in tasks.recover(RecoverOptions::default()).await? {
    ///     match recovered.result {
    ///         Ok(finished) => println!("{} saved ({:?})", finished.task_id, finished.action),
    ///         Err(error) => eprintln!("{}: {error}", recovered.key),
    ///     }
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub async fn recover(&self, options: RecoverOptions) -> Result<Vec<Recovered>, Error> {
        let store = &self.store;
        let mut records = store.list(&TaskQuery::unfinished()).await?;
        if options.check_done {
            records.extend(
                store
                    .list(&TaskQuery::all().states([TaskState::Done]))
                    .await?,
            );
        }
        let mut generate = TaskOptions::default()
            .wait(options.wait.clone())
            .if_held(options.if_held);
        generate.on_held = options.on_held.clone();
        let runs = futures_util::stream::iter(records)
            .filter(|record| {
                let wanted = options.if_held == IfHeld::Wait || !flow::held_by_live(record);
                std::future::ready(
                    wanted && (record.state != TaskState::Done || record.video_needs_saving()),
                )
            })
            .map(|record| {
                let generate = &generate;
                async move {
                    let run = Run::new(&self.client, &self.store, generate, Until::Saved)
                        .existing(&record, None);
                    Recovered {
                        key: record.key.clone(),
                        task_id: record.task_id.clone(),
                        result: flow::run(run).await,
                    }
                }
            })
            .buffer_unordered(options.concurrency);
        let recovered: Vec<Recovered> = runs.collect().await;
        // Records taken by a live process meanwhile are not this call's to report.
        Ok(recovered
            .into_iter()
            .filter(|recovered| !matches!(recovered.result, Err(Error::HeldElsewhere { .. })))
            .collect())
    }
}
