//! Logs on demand: `-v` (each call: debug of the library and this program), `-vv` (trace of
//! them), `-vvv` (trace of everything: hyper, reqwest, rustls, tokio-postgres too), or
//! `RUST_LOG` (tracing-subscriber's `EnvFilter` syntax) when no `-v` is given; errors only
//! otherwise (a retried failure is the library's business until it gives up, and the command
//! reports what it gives up with). On stderr, never on stdout (which carries the result). The key never appears:
//! the library never logs it, at any level.

use tracing_subscriber::EnvFilter;

/// Installs the subscriber for `verbosity` (the number of `-v`).
pub fn init(verbosity: u8) {
    let filter = match verbosity {
        0 => EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("error")),
        // The program's crate is named like the library (`anyfast_video`): one target for both.
        1 => EnvFilter::new("warn,anyfast_video=debug"),
        2 => EnvFilter::new("warn,anyfast_video=trace"),
        _ => EnvFilter::new("trace"),
    };
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .try_init();
}
