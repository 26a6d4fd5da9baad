//! `anyfast-mock`: run the mock of anyfast's video API from the command line.
#![forbid(unsafe_code)]

use std::ffi::OsStr;
use std::io::Write;
use std::net::IpAddr;
use std::process::ExitCode;
use std::time::Duration;

use anyfast_mock::{FAIL_MARKER, Fault, MockConfig, MockServer, Shape, Timing, Video};
use bytesize::ByteSize;
use clap::builder::{PossibleValue, TypedValueParser};
use clap::{Arg, Command, Parser, ValueEnum};

/// A stateful mock of anyfast's video generation API (create, query, download, the asset
/// library and the models list), for tests and offline use. Point a client at the printed API
/// URL (ANYFAST_BASE_URL) with any bearer token.
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
    /// How fast tasks finish: instant (done at creation), fast (about 1.5 s), realistic (1–5
    /// minutes), or a duration such as 20s or 2m (every task takes that long, each state
    /// visible).
    #[arg(long, value_name = "SPEED|DURATION", value_parser = TimingParser, default_value = "fast")]
    timing: Timing,
    /// The shape of query answers: the documented wrapper, or one of the two older flat shapes.
    #[arg(long, value_enum, default_value_t = Shape::Wrapper)]
    shape: Shape,
    /// Serve a synthetic video of this size (e.g. 1GiB, 300MiB, 64KiB, 5000) instead of the
    /// sample MP4, generated on the fly.
    #[arg(long, value_name = "SIZE", value_parser = parse_size)]
    video_size: Option<u64>,
    /// Inject a fault (repeatable): ROUTE:KIND[@TRIGGER], e.g. get:429=5@next=2,
    /// create:502-html@rate=0.3, download:truncate@next=1, any:latency=200ms, create:slow=30s.
    #[arg(long = "fault", value_name = "FAULT")]
    faults: Vec<Fault>,
    /// How long a new asset stays Inactive before it turns Active, such as 2s (default: as long
    /// as a task of --timing takes to start: 0 for instant, 300ms for fast, 5 to 20 s for
    /// realistic).
    #[arg(long, value_name = "DURATION", value_parser = anyfast_mock::parse_duration)]
    asset_activation: Option<Duration>,
    /// At most this many API requests processed at once, like the gateway's per-key
    /// concurrency gate: one more is answered 429 token_concurrency_limit_reached.
    #[arg(long, value_name = "N")]
    concurrency_limit: Option<usize>,
    /// Seed of the generator behind rate= faults.
    #[arg(long, default_value_t = 0x5eed)]
    seed: u64,
    /// Let answers drift, per task, across every form anyfast's docs allow (status codes and
    /// shapes of creates, query shapes, time and progress formats, status word case, nulls,
    /// unknown fields), repeatably for this seed. Without it, answers are exactly as documented.
    #[arg(long, value_name = "SEED")]
    drift: Option<u64>,
}

const AFTER_HELP: &str = "Routes: create (POST /v1/video/generations, and Kling's POST \
/kling/v1/videos/text2video, image2video, multi-image2video, omni-video), get (GET \
/v1/video/generations/{id}, GET /kling/v1/videos/{action}/{task_id} and /kling/v1/videos/{task_id}), assets (POST /volc/asset/CreateAssetGroup, CreateAsset as JSON or \
multipart/form-data, GetAsset, ListAssets), models (GET /v1/models), and download (the second \
listener: videos, last frames, uploaded asset files, each behind a pre-signed URL).

Families: Seedance (seedance, seedance-fast, the doubao-seedance-1.x ids, each held to its own \
durations and resolutions), Wan 2.2 and HappyHorse 1.0 (their own bodies on the same create), \
Kling (its own routes). Each answers a query in its own documented shape.

Models: seedance makes 480p, 720p and 1080p; seedance-fast 480p and 720p. A task whose request \
has \"return_last_frame\": true finishes with a last_frame_url (data.data.content in the wrapper, \
content in the ark shape, beside video_url in the flat shape): a PNG on the download listener.

Asset library: each token sees only its own groups and assets. A new asset is Inactive for a \
moment (--asset-activation), and a create that uses it as asset://ID before it is Active gets \
400; an asset:// id the mock does not know is accepted. Uploads are typed by their bytes and \
held to the library's limits. ListAssets lists the newest first.

Faults: ROUTE is create|get|download|assets|models|any; KIND is latency=DURATION, \
429[=SECONDS], 500-json, 500-html, 502-json, 502-html, 503-json, 503-html, drop, truncate, \
malformed-json or slow=DURATION; TRIGGER is next=N or rate=P (default: every request).

Drift (--drift SEED): each task answers in its own way, the same at every poll: creates with 200, \
201 or 202 and one of five bodies (the documented one, the query's wrapper, {\"data\":{\"id\"}}, \
{\"task_id\"}, {\"id\",\"status\":\"submitted\",\"created_at\":ISO-8601}); queries in the wrapper, \
flat or ark shape, with times as unix numbers, numeric strings, ISO-8601 (Z or +08:00), floats \
or null, progress as \"NN%\", a number or a string, status words in any case or the upstream \
word, null for missing fields, unknown extra fields and ancillary fields as strings. The id, the \
status's meaning, the video URL and the failure reason are always there.

A prompt containing [mock:fail] (or [mock:fail=CODE]) makes its task fail.";

/// `--timing`: a named speed (clap's `ValueEnum` of [`Timing`], listed in `--help`), or a
/// duration for [`Timing::Lasting`].
#[derive(Clone, Copy, Debug)]
struct TimingParser;

impl TypedValueParser for TimingParser {
    type Value = Timing;

    fn parse_ref(
        &self,
        command: &Command,
        argument: Option<&Arg>,
        value: &OsStr,
    ) -> Result<Timing, clap::Error> {
        // Through clap's own parser of functions, for its usual "invalid value" message.
        parse_timing.parse_ref(command, argument, value)
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(
            Timing::value_variants()
                .iter()
                .filter_map(ValueEnum::to_possible_value),
        ))
    }
}

/// `instant`, `fast`, `realistic`, or a duration such as `20s`.
fn parse_timing(text: &str) -> Result<Timing, String> {
    if let Ok(named) = Timing::from_str(text, false) {
        return Ok(named);
    }
    anyfast_mock::parse_duration(text)
        .map(Timing::Lasting)
        .map_err(|why| format!("neither instant, fast nor realistic, and {why}"))
}

/// `1GiB`, `300MiB`, `64KiB`, `5000`, `1GB`, with `bytesize`'s units.
fn parse_size(text: &str) -> Result<u64, String> {
    text.parse::<ByteSize>()
        .map(|size| size.as_u64())
        .map_err(|why| format!("{text:?} is not a size like 1GiB, 300MiB or 5000 ({why})"))
}

#[tokio::main]
async fn main() -> ExitCode {
    let options = Options::parse();
    let mut config = MockConfig::default()
        .host(options.host)
        .api_port(options.port)
        .download_port(options.download_port)
        .seed(options.seed)
        .timing(options.timing)
        .shape(options.shape);
    if let Some(key) = options.api_key {
        config = config.api_key(key);
    }
    if let Some(size) = options.video_size {
        config = config.video(Video::Synthetic(size));
    }
    if let Some(seed) = options.drift {
        config = config.drift(seed);
    }
    if let Some(after) = options.asset_activation {
        config = config.asset_activation(after);
    }
    if let Some(limit) = options.concurrency_limit {
        config = config.concurrency_limit(limit);
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
    let mut banner = format!(
        "anyfast-mock is running (Ctrl-C stops it)\n  API:       {}   (use as ANYFAST_BASE_URL, with any bearer token)\n  downloads: {}\n  a prompt containing {FAIL_MARKER}] makes its task fail\n",
        mock.base_url(),
        mock.download_base_url()
    );
    if let Some(seed) = options.drift {
        banner.push_str(&format!("  answers drift per task (seed {seed})\n"));
    }
    // A server outlives whoever read its banner (a script that took the URLs and closed the
    // pipe): a closed stdout is no reason to stop.
    let mut stdout = std::io::stdout();
    let _ = stdout
        .write_all(banner.as_bytes())
        .and_then(|()| stdout.flush());
    let _ = tokio::signal::ctrl_c().await;
    mock.stop().await;
    ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_parse_with_binary_and_decimal_units() {
        assert_eq!(parse_size("5000"), Ok(5000));
        assert_eq!(parse_size("64KiB"), Ok(65536));
        assert_eq!(parse_size("300MiB"), Ok(300 << 20));
        assert_eq!(parse_size("1GiB"), Ok(1 << 30));
        assert_eq!(parse_size("1GB"), Ok(1_000_000_000));
        assert!(parse_size("big").is_err());
        assert!(parse_size("1 furlong").is_err());
    }

    #[test]
    fn timing_is_a_named_speed_or_a_duration() {
        let timing = |value: &str| Options::try_parse_from(["anyfast-mock", "--timing", value]);
        assert_eq!(timing("instant").unwrap().timing, Timing::Instant);
        assert_eq!(timing("realistic").unwrap().timing, Timing::Realistic);
        assert_eq!(
            timing("20s").unwrap().timing,
            Timing::Lasting(Duration::from_secs(20))
        );
        assert_eq!(
            timing("250ms").unwrap().timing,
            Timing::Lasting(Duration::from_millis(250))
        );
        let refused = timing("soonish").unwrap_err().to_string();
        assert!(
            refused.contains("neither instant, fast nor realistic"),
            "{refused}"
        );
        assert_eq!(
            Options::try_parse_from(["anyfast-mock"]).unwrap().timing,
            Timing::Fast
        );
    }

    #[test]
    fn asset_activation_takes_a_duration() {
        let options =
            Options::try_parse_from(["anyfast-mock", "--asset-activation", "2s"]).unwrap();
        assert_eq!(options.asset_activation, Some(Duration::from_secs(2)));
        assert!(Options::try_parse_from(["anyfast-mock", "--asset-activation", "soon"]).is_err());
        let default = Options::try_parse_from(["anyfast-mock"]).unwrap();
        assert_eq!(default.asset_activation, None);
    }

    #[test]
    fn drift_takes_a_seed() {
        let options = Options::try_parse_from(["anyfast-mock", "--drift", "42"]).unwrap();
        assert_eq!(options.drift, Some(42));
        assert_eq!(
            Options::try_parse_from(["anyfast-mock"]).unwrap().drift,
            None
        );
    }
}
