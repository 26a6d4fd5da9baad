//! The fault model: what can go wrong on a route, when, and the `--fault` syntax that says
//! so. Deciding which faults fire on a given request is the fault plan's job.

use std::str::FromStr;
use std::time::Duration;

use crate::route::Route;

/// What a fault does to a request.
#[derive(Clone, Debug, PartialEq)]
pub enum FaultKind {
    /// Answer as usual, but this much later.
    Latency(Duration),
    /// Answer 429 with `Retry-After` and the documented error body; the request is not
    /// processed.
    RateLimited {
        /// The `Retry-After` value, in seconds.
        retry_after_secs: u64,
    },
    /// Answer with a 5xx status; the request is not processed.
    ServerError {
        /// 500, 502 or 503.
        status: u16,
        /// Whether the body is the documented JSON error or an HTML page from a proxy.
        html: bool,
    },
    /// Close the connection without answering; the request is not processed.
    DropConnection,
    /// Process the request, then send only the first half of the body (the `Content-Length`
    /// still announces all of it) and close the connection.
    TruncateBody,
    /// Process the request, then answer 200 with a body that is not valid JSON.
    MalformedJson,
    /// Process the request (a create makes its task at once), then answer only after this
    /// long: the create that a client gave up on, although the task exists.
    SlowAnswer(Duration),
    /// Process the request, then answer with this status word in every place the answer's
    /// shape puts one: a word a client may not know (`PAUSED_FOR_REVIEW`), to check that it is
    /// kept and waited through rather than refused.
    StatusWord(String),
    /// Answer 403 `insufficient_user_quota`, as the gateway does when the account is out of
    /// credit; the request is not processed (quota is taken before a task is made).
    OutOfCredit,
}

/// When a fault fires.
#[derive(Clone, Debug, PartialEq)]
pub enum Trigger {
    /// On every matching request.
    Always,
    /// On the next this many matching requests, then never.
    Next(u32),
    /// On each matching request with this probability (0 to 1), drawn from the mock's seeded
    /// generator so that a run can be repeated.
    Rate(f64),
}

/// A fault: which route, what, and when.
///
/// Faults parse from the command line's `--fault ROUTE:KIND[@TRIGGER]`:
///
/// ```
/// use anyfast_mock::{Fault, FaultKind, Route, Trigger};
///
/// let fault: Fault = "get:503-html@next=2".parse()?;
/// assert_eq!(fault, Fault::new(Some(Route::Get), FaultKind::ServerError { status: 503, html: true })
///     .trigger(Trigger::Next(2)));
/// let fault: Fault = "any:latency=250ms@rate=0.5".parse()?;
/// assert_eq!(fault.kind, FaultKind::Latency(std::time::Duration::from_millis(250)));
/// # Ok::<(), String>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Fault {
    /// The route it targets; `None` for every route.
    pub route: Option<Route>,
    /// What it does.
    pub kind: FaultKind,
    /// When it fires.
    pub trigger: Trigger,
}

impl Fault {
    /// A fault that fires on every request to `route` (`None`: every route).
    pub fn new(route: Option<Route>, kind: FaultKind) -> Self {
        Fault {
            route,
            kind,
            trigger: Trigger::Always,
        }
    }

    /// The same fault with another trigger.
    pub fn trigger(mut self, trigger: Trigger) -> Self {
        self.trigger = trigger;
        self
    }

    /// A fault for the next `count` requests to `route`.
    ///
    /// ```
    /// use anyfast_mock::{Fault, FaultKind, Route, Trigger};
    ///
    /// let fault = Fault::next(Route::Create, 1, FaultKind::DropConnection);
    /// assert_eq!(fault.trigger, Trigger::Next(1));
    /// ```
    pub fn next(route: Route, count: u32, kind: FaultKind) -> Self {
        Fault::new(Some(route), kind).trigger(Trigger::Next(count))
    }
}

/// The syntax of `--fault`, for error messages and `--help`.
pub const FAULT_SYNTAX: &str = "ROUTE:KIND[@TRIGGER] where ROUTE is \
create|get|download|assets|models|any; \
KIND is latency=DURATION | 429[=SECONDS] | 500-json | 500-html | 502-json | 502-html | 503-json \
| 503-html | drop | truncate | malformed-json | slow=DURATION | status=WORD | quota; TRIGGER is next=N or \
rate=P \
(default: every request); DURATION is like 250ms, 3s or 2m";

impl FromStr for Fault {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let bad = |why: &str| format!("bad fault {text:?}: {why}; expected {FAULT_SYNTAX}");
        let (target, rest) = text.split_once(':').ok_or_else(|| bad("no ROUTE:"))?;
        let route = match (target, Route::named(target)) {
            ("any", _) => None,
            (_, Some(route)) if route != Route::Other => Some(route),
            _ => return Err(bad("unknown route")),
        };
        let (kind, trigger) = match rest.split_once('@') {
            Some((kind, trigger)) => (kind, Some(trigger)),
            None => (rest, None),
        };
        let kind = match kind.split_once('=') {
            Some(("latency", value)) => {
                FaultKind::Latency(parse_duration(value).map_err(|e| bad(&e))?)
            }
            Some(("slow", value)) => {
                FaultKind::SlowAnswer(parse_duration(value).map_err(|e| bad(&e))?)
            }
            Some(("status", word)) if !word.is_empty() => FaultKind::StatusWord(word.to_string()),
            Some(("429", value)) => FaultKind::RateLimited {
                retry_after_secs: value
                    .parse()
                    .map_err(|_| bad("Retry-After must be whole seconds"))?,
            },
            Some(_) => return Err(bad("unknown kind")),
            None => match kind {
                "429" => FaultKind::RateLimited {
                    retry_after_secs: 1,
                },
                "drop" => FaultKind::DropConnection,
                "quota" => FaultKind::OutOfCredit,
                "truncate" => FaultKind::TruncateBody,
                "malformed-json" => FaultKind::MalformedJson,
                other => {
                    let (status, body) =
                        other.split_once('-').ok_or_else(|| bad("unknown kind"))?;
                    let status = match status {
                        "500" | "502" | "503" => status.parse().expect("a listed status"),
                        _ => return Err(bad("the 5xx statuses are 500, 502 and 503")),
                    };
                    let html = match body {
                        "json" => false,
                        "html" => true,
                        _ => return Err(bad("a 5xx body is json or html")),
                    };
                    FaultKind::ServerError { status, html }
                }
            },
        };
        let trigger = match trigger.map(|t| t.split_once('=')) {
            None => Trigger::Always,
            Some(Some(("next", count))) => Trigger::Next(
                count
                    .parse()
                    .map_err(|_| bad("next=N needs a whole number"))?,
            ),
            Some(Some(("rate", rate))) => match rate.parse::<f64>() {
                Ok(rate) if (0.0..=1.0).contains(&rate) => Trigger::Rate(rate),
                _ => return Err(bad("rate=P needs a number from 0 to 1")),
            },
            Some(_) => return Err(bad("unknown trigger")),
        };
        Ok(Fault {
            route,
            kind,
            trigger,
        })
    }
}

/// Parses a duration the way `--fault` and `--timing` write them: `250ms`, `3s`, `2m`, and
/// anything else [`humantime`] reads, such as `1m 30s`.
///
/// ```
/// use std::time::Duration;
/// assert_eq!(anyfast_mock::parse_duration("250ms"), Ok(Duration::from_millis(250)));
/// assert_eq!(anyfast_mock::parse_duration("2m"), Ok(Duration::from_secs(120)));
/// assert!(anyfast_mock::parse_duration("soon").is_err());
/// ```
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    humantime::parse_duration(text)
        .map_err(|error| format!("{text:?} is not a duration like 250ms, 3s or 2m ({error})"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_and_trigger_parses() {
        let cases = [
            (
                "create:429",
                Some(Route::Create),
                FaultKind::RateLimited {
                    retry_after_secs: 1,
                },
                Trigger::Always,
            ),
            (
                "get:429=7@next=2",
                Some(Route::Get),
                FaultKind::RateLimited {
                    retry_after_secs: 7,
                },
                Trigger::Next(2),
            ),
            (
                "any:500-json",
                None,
                FaultKind::ServerError {
                    status: 500,
                    html: false,
                },
                Trigger::Always,
            ),
            (
                "download:502-html@rate=0.25",
                Some(Route::Download),
                FaultKind::ServerError {
                    status: 502,
                    html: true,
                },
                Trigger::Rate(0.25),
            ),
            (
                "get:drop",
                Some(Route::Get),
                FaultKind::DropConnection,
                Trigger::Always,
            ),
            (
                "download:truncate@next=1",
                Some(Route::Download),
                FaultKind::TruncateBody,
                Trigger::Next(1),
            ),
            (
                "get:malformed-json",
                Some(Route::Get),
                FaultKind::MalformedJson,
                Trigger::Always,
            ),
            (
                "get:status=PAUSED_FOR_REVIEW@next=2",
                Some(Route::Get),
                FaultKind::StatusWord("PAUSED_FOR_REVIEW".into()),
                Trigger::Next(2),
            ),
            (
                "create:slow=2s",
                Some(Route::Create),
                FaultKind::SlowAnswer(Duration::from_secs(2)),
                Trigger::Always,
            ),
            (
                "assets:503-json@next=1",
                Some(Route::Assets),
                FaultKind::ServerError {
                    status: 503,
                    html: false,
                },
                Trigger::Next(1),
            ),
            (
                "models:429=3",
                Some(Route::Models),
                FaultKind::RateLimited {
                    retry_after_secs: 3,
                },
                Trigger::Always,
            ),
        ];
        for (text, route, kind, trigger) in cases {
            assert_eq!(
                text.parse::<Fault>(),
                Ok(Fault {
                    route,
                    kind,
                    trigger
                }),
                "{text}"
            );
        }
    }

    #[test]
    fn bad_faults_say_what_is_wrong() {
        for (text, why) in [
            ("nowhere:drop", "unknown route"),
            ("get", "no ROUTE:"),
            ("get:404-json", "the 5xx statuses are 500, 502 and 503"),
            ("get:drop@rate=2", "rate=P needs a number from 0 to 1"),
            ("get:latency=fast", "is not a duration"),
        ] {
            let error = text.parse::<Fault>().unwrap_err();
            assert!(error.contains(why), "{text}: {error}");
        }
    }

    #[test]
    fn durations_keep_their_short_units() {
        for (text, expected) in [
            ("250ms", Duration::from_millis(250)),
            ("3s", Duration::from_secs(3)),
            ("2m", Duration::from_secs(120)),
            ("1m 30s", Duration::from_secs(90)),
        ] {
            assert_eq!(parse_duration(text), Ok(expected), "{text}");
        }
        assert!(parse_duration("3").is_err(), "a bare number has no unit");
    }
}
