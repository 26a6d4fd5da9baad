//! `anyfast-mock`: run the mock of anyfast's video API from the command line.
#![forbid(unsafe_code)]

use std::net::IpAddr;
use std::process::ExitCode;

use anyfast_mock::{FAIL_MARKER, Fault, MockConfig, MockServer, Shape, Timing, Video};
use clap::{Parser, ValueEnum};

/// A stateful mock of anyfast's video generation API (create, query, download), for tests and
/// offline use. Point a client at the printed API URL (ANYFAST_BASE_URL) with any bearer token.
#[derive(Parser, Debug)]
#[command(name = "anyfast-mock", version, after_help = AFTER_HELP)]
struct Options {
    /// The address both listeners bind.
    #[arg(long, default_value = "127.0.0.1")]
    host: IpAddr,
    /// The API listener's port (0: any free port).
    #[arg(long, default_value_t = 12111)]
    port: u16,
    /// The download listener's port (0: any free port).
    #[arg(long, default_value_t = 0)]
    download_port: u16,
    /// Accept only this bearer token (default: any non-empty token).
    #[arg(long, value_name = "KEY")]
    api_key: Option<String>,
    /// How fast tasks finish: instant (done at creation), fast (about 1.5 s), realistic (1–5 minutes).
    #[arg(long, value_enum, default_value_t = TimingOption::Fast)]
    timing: TimingOption,
    /// The shape of query answers: the documented wrapper, or one of the two older flat shapes.
    #[arg(long, value_enum, default_value_t = ShapeOption::Wrapper)]
    shape: ShapeOption,
    /// Serve a synthetic video of this size (e.g. 1GiB, 300MiB, 5000) instead of the sample MP4,
    /// generated on the fly.
    #[arg(long, value_name = "SIZE", value_parser = parse_size)]
    video_size: Option<u64>,
    /// Inject a fault (repeatable): ROUTE:KIND[@TRIGGER], e.g. get:429=5@next=2,
    /// create:502-html@rate=0.3, download:truncate@next=1, any:latency=200ms, create:slow=30s.
    #[arg(long = "fault", value_name = "FAULT")]
    faults: Vec<Fault>,
    /// Seed of the generator behind rate= faults.
    #[arg(long, default_value_t = 0x5eed)]
    seed: u64,
}

const AFTER_HELP: &str = "Faults: ROUTE is create|get|download|any; KIND is latency=DURATION, \
429[=SECONDS], 500-json, 500-html, 502-json, 502-html, 503-json, 503-html, drop, truncate, \
malformed-json or slow=DURATION; TRIGGER is next=N or rate=P (default: every request).

A prompt containing [mock:fail] (or [mock:fail=CODE]) makes its task fail.";

#[derive(Clone, Copy, Debug, ValueEnum)]
enum TimingOption {
    Instant,
    Fast,
    Realistic,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum ShapeOption {
    Wrapper,
    Flat,
    Ark,
}

/// `1GiB`, `300MiB`, `64KiB`, `5000`.
fn parse_size(text: &str) -> Result<u64, String> {
    let split = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let number: u64 = number
        .parse()
        .map_err(|_| format!("{text:?} is not a size like 1GiB"))?;
    let unit = match unit {
        "" | "B" => 1,
        "KiB" => 1 << 10,
        "MiB" => 1 << 20,
        "GiB" => 1 << 30,
        _ => return Err(format!("{text:?}: the units are B, KiB, MiB and GiB")),
    };
    number
        .checked_mul(unit)
        .ok_or_else(|| format!("{text:?} is too large"))
}

#[tokio::main]
async fn main() -> ExitCode {
    let options = Options::parse();
    let mut config = MockConfig::default()
        .host(options.host)
        .api_port(options.port)
        .download_port(options.download_port)
        .seed(options.seed)
        .timing(match options.timing {
            TimingOption::Instant => Timing::Instant,
            TimingOption::Fast => Timing::Fast,
            TimingOption::Realistic => Timing::Realistic,
        })
        .shape(match options.shape {
            ShapeOption::Wrapper => Shape::Wrapper,
            ShapeOption::Flat => Shape::Flat,
            ShapeOption::Ark => Shape::Ark,
        });
    if let Some(key) = options.api_key {
        config = config.api_key(key);
    }
    if let Some(size) = options.video_size {
        config = config.video(Video::Synthetic(size));
    }
    for fault in options.faults {
        config = config.fault(fault);
    }
    let mock = match MockServer::start(config).await {
        Ok(mock) => mock,
        Err(error) => {
            eprintln!("anyfast-mock: cannot listen on {}: {error}", options.host);
            return ExitCode::FAILURE;
        }
    };
    println!("anyfast-mock is running (Ctrl-C stops it)");
    println!(
        "  API:       {}   (use as ANYFAST_BASE_URL, with any bearer token)",
        mock.base_url()
    );
    println!("  downloads: {}", mock.download_base_url());
    println!("  a prompt containing {FAIL_MARKER}] makes its task fail");
    let _ = tokio::signal::ctrl_c().await;
    mock.stop().await;
    ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::parse_size;

    #[test]
    fn sizes_parse_with_binary_units() {
        assert_eq!(parse_size("5000"), Ok(5000));
        assert_eq!(parse_size("64KiB"), Ok(65536));
        assert_eq!(parse_size("1GiB"), Ok(1 << 30));
        assert!(parse_size("1GB").is_err());
    }
}
