//! What the user sees on stderr while a task runs and a video downloads: bars on a terminal,
//! a line per change otherwise.

use std::io::IsTerminal;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyfast_video::{DownloadProgress, Task};
use indicatif::{ProgressBar, ProgressStyle};

use crate::lifecycle::Reporter;

/// Progress of one task and its download.
#[derive(Clone)]
pub struct Progress {
    bar: Option<ProgressBar>,
    last_line: Arc<Mutex<String>>,
}

impl Progress {
    /// Bars when stderr is a terminal, plain lines otherwise.
    pub fn new() -> Self {
        let bar = std::io::stderr().is_terminal().then(|| {
            let bar = ProgressBar::new_spinner();
            bar.set_style(
                ProgressStyle::with_template("{spinner} {msg} [{elapsed_precise}]")
                    .expect("a valid template"),
            );
            bar.enable_steady_tick(Duration::from_millis(120));
            bar
        });
        Progress {
            bar,
            last_line: Arc::default(),
        }
    }

    /// A new state of the task.
    pub fn task(&self, task: &Task) {
        let line = format!("task {}: {} {}%", task.id, task.status, task.progress);
        match &self.bar {
            Some(bar) => bar.set_message(line),
            None => self.line(line),
        }
    }

    /// The download is starting.
    pub fn downloading(&self) {
        if let Some(bar) = &self.bar {
            bar.set_style(
                ProgressStyle::with_template(
                    "{bar:30} {bytes}/{total_bytes} {bytes_per_sec} [{elapsed_precise}]",
                )
                .expect("a valid template"),
            );
            bar.set_position(0);
        }
    }

    /// More bytes arrived.
    pub fn download(&self, progress: DownloadProgress) {
        match &self.bar {
            Some(bar) => {
                if let Some(total) = progress.total {
                    bar.set_length(total);
                }
                bar.set_position(progress.downloaded);
            }
            None => {
                if progress.total == Some(progress.downloaded) {
                    self.line(format!("downloaded {} bytes", progress.downloaded));
                }
            }
        }
    }

    /// Clears the bar.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }

    fn line(&self, line: String) {
        let mut last = self.last_line.lock().expect("progress lines");
        if *last != line {
            eprintln!("{line}");
            *last = line;
        }
    }
}

impl Reporter for Progress {
    fn task(&self, task: &Task) {
        Progress::task(self, task);
    }

    fn downloading(&self) {
        Progress::downloading(self);
    }

    fn downloaded(&self, progress: DownloadProgress) {
        self.download(progress);
    }

    fn finished(&self) {
        self.finish();
    }
}
