//! The commands, one module per group: one task (generate, create, status, wait, download),
//! the journal's tasks (tasks, resume), batches, assets, models.

mod assets;
mod batch;
mod models;
mod task;
mod tasks;

use std::sync::Arc;

use anyfast_video::Client;

use crate::args::{Cli, Command, Global};
use crate::connect::connect;
use crate::exit::Failure;
use crate::interrupt::Resume;
use crate::journal::{Journal, Location, locate};
use crate::output::Report;

/// What every command may use.
pub struct Context<'a> {
    pub client: &'a Client,
    pub global: &'a Global,
    pub journal: Option<Arc<Journal>>,
    pub resume: Resume<'a>,
}

pub async fn run(cli: &Cli) -> Result<Report, Failure> {
    let global = &cli.global;
    let journal = open_journal(global)?;
    // Listing the journal needs no key and no network.
    if let Command::Tasks { limit } = &cli.command {
        return tasks::list(journal.as_deref(), *limit).await;
    }
    let connection = connect(global).await?;
    let context = Context {
        client: &connection.client,
        global,
        journal,
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
        Command::Download { id, output } => task::download(&context, id, output).await,
        Command::Resume {
            id,
            all: _,
            concurrency,
            wait,
        } => tasks::resume(&context, id.as_deref(), *concurrency, wait).await,
        Command::Batch(args) => batch::run(&context, args).await,
        Command::Assets { command } => assets::run(context.client, command).await,
        Command::Models { all } => models::run(context.client, *all).await,
        Command::Tasks { .. } => unreachable!("answered above"),
    }
}

/// The journal the flags and the environment ask for.
fn open_journal(global: &Global) -> Result<Option<Arc<Journal>>, Failure> {
    let (opened, place) = match locate(global.journal.as_ref(), global.no_journal, global.mock) {
        Location::Off => return Ok(None),
        Location::Memory => (Journal::in_memory(), "in memory".to_string()),
        Location::File(path) => (Journal::open(&path), path.display().to_string()),
    };
    let journal = opened.map_err(|error| {
        Failure::File(format!(
            "cannot open the task journal {place}: {error} (pass --no-journal to go without)"
        ))
    })?;
    Ok(Some(Arc::new(journal)))
}
