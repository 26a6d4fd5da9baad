//! The commands, one module per group: one task (generate, create, status, wait, download),
//! the journal's tasks (tasks, resume), batches, assets, models, doctor.

mod assets;
mod batch;
mod doctor;
mod models;
mod task;
mod tasks;

use anyfast_video::Client;
use anyfast_video_tasks::{TaskStore, Tasks};

use crate::args::{Cli, Command, Global};
use crate::connect::connect;
use crate::exit::Failure;
use crate::interrupt::Resume;
use crate::output::Report;

/// What every command may use.
pub struct Context<'a> {
    /// The client.
    pub client: &'a Client,
    /// The client's tasks on the journal, unless `--no-journal`.
    pub tasks: Option<&'a Tasks>,
    pub global: &'a Global,
    pub resume: Resume<'a>,
}

impl Context<'_> {
    /// The journal, if there is one.
    pub fn journal(&self) -> Option<&TaskStore> {
        self.tasks.map(Tasks::store)
    }
}

pub async fn run(cli: &Cli) -> Result<Report, Failure> {
    let global = &cli.global;
    // The doctor opens the journal itself: one that does not open is a finding, not an end.
    if let Command::Doctor = &cli.command {
        return doctor::run(global).await;
    }
    let journal = crate::journal::open(global).await?;
    // Every command stops on Ctrl-C, SIGTERM or SIGHUP; those with a task say how to resume it
    // (their own interruption comes first).
    let interrupted = || Failure::interrupted("interrupted", None);
    let outcome = crate::interrupt::interruptible(run_with(cli, journal.clone()), interrupted)
        .await
        .and_then(|outcome| outcome);
    // Whatever was queued (the release of a lease whose work was interrupted, a last status)
    // is written before the process exits.
    if let Some(journal) = &journal
        && let Err(error) = journal.flush().await
    {
        eprintln!("warning: the task journal could not be updated: {error}");
    }
    outcome
}

async fn run_with(cli: &Cli, journal: Option<TaskStore>) -> Result<Report, Failure> {
    let global = &cli.global;
    // Listing the journal needs no key and no network.
    if let Command::Tasks { limit } = &cli.command {
        return tasks::list(journal.as_ref(), *limit).await;
    }
    let connection = connect(global, journal).await?;
    let context = Context {
        client: &connection.client,
        tasks: connection.tasks.as_ref(),
        global,
        resume: Resume {
            global,
            mocked: connection.is_mock(),
        },
    };
    match &cli.command {
        Command::Generate {
            request,
            output,
            wait,
        } => task::generate(&context, request, output, wait).await,
        Command::Create { request } => task::create(&context, request).await,
        Command::Status { id } => task::status(&context, id).await,
        Command::Wait { id, output, wait } => task::wait(&context, id, output, wait).await,
        Command::Download { id, output, wait } => task::download(&context, id, output, wait).await,
        Command::Resume {
            id,
            all: _,
            concurrency,
            wait,
        } => tasks::resume(&context, id.as_deref(), *concurrency, wait).await,
        Command::Batch(args) => batch::run(&context, args).await,
        Command::Assets { command } => assets::run(context.client, command).await,
        Command::Models { all } => models::run(context.client, *all).await,
        Command::Tasks { .. } | Command::Doctor => unreachable!("answered above"),
    }
}
