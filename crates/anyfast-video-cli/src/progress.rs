//! What the user sees on stderr while a task runs and a video downloads: bars on a terminal,
//! a line per change otherwise.

use std::io::IsTerminal;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyfast_video::{DownloadProgress, Task};
use indicatif::{ProgressBar, ProgressStyle};

/// Progress of one task and its download.
#[derive(Clone)]
pub struct Progress {
    bar: Option<ProgressBar>,
    last_line: Arc<Mutex<String>>,
    downloading: Arc<std::sync::atomic::AtomicBool>,
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
            downloading: Arc::default(),
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
    fn downloading(&self) {
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

    /// More bytes arrived (the first time: the download is starting).
    pub fn download(&self, progress: DownloadProgress) {
        if !self
            .downloading
            .swap(true, std::sync::atomic::Ordering::Relaxed)
        {
            self.downloading();
        }
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
