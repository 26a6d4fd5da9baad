//! Logs on demand: `-v` (info), `-vv` (debug), `-vvv` (trace) of the library and this program,
//! or `RUST_LOG` (tracing-subscriber's `EnvFilter` syntax) when no `-v` is given; warnings
//! otherwise. On stderr, never on stdout (which carries the result). The key never appears:
//! the library never logs it, at any level.

use tracing_subscriber::EnvFilter;

/// Installs the subscriber for `verbosity` (the number of `-v`).
pub fn init(verbosity: u8) {
    let filter = match verbosity {
        0 => EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("warn")),
        // The program's crate is named like the library (`anyfast_video`): one target for both.
        1 => EnvFilter::new("warn,anyfast_video=info"),
        2 => EnvFilter::new("warn,anyfast_video=debug"),
        _ => EnvFilter::new("info,anyfast_video=trace"),
    };
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .try_init();
}
