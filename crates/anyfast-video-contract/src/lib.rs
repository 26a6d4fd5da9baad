//! Contract checks of anyfast's video API against the real service (or any service that claims
//! to be it): free probes, each answer held to `openapi.yaml` and run through both clients, and
//! every difference reported with what it breaks. `anyfast-video doctor` and `cargo xtask
//! contract` are this crate with a table around it.
//!
//! ```no_run
//! # async fn run() {
//! use anyfast_video_contract::{FailOn, Options, Target, check};
//!
//! let target = Target::new("https://www.anyfast.ai", std::env::var("ANYFAST_API_KEY").ok());
//! let report = check(&target, &Options::default()).await;
//! println!("{}", report.text());
//! assert!(report.passes(FailOn::Breaking));
//! # }
//! ```
//!
//! # The probes
//!
//! Twelve requests that bill nothing (the [`probe`] module says why each cannot): the models
//! list; the query of a task id that does not exist (the 404 shape); a create the service must
//! refuse before anything is made (audio with text only, duration 99, an input URL that cannot
//! resolve: sent raw, since the library would refuse it before sending); the asset list; a get
//! of an asset that does not exist; then one refused create for each other family (Wan 2.2 and
//! HappyHorse 1.0 without their required images, on the same route) and for each of Kling's
//! four create routes (each without its required input), and the query of a Kling task that
//! does not exist. The models list goes first: a 401 or 403 there means the
//! key is refused, and the others are not sent. [`Options::billed`] adds one real generation,
//! the cheapest there is ([`BILLED_COST`] says what it costs, and the caller says it before
//! anything is sent): create, query until it ends, download the video without the key, check
//! that it starts with an MP4's `ftyp` box.
//!
//! # Each answer, checked two ways
//!
//! 1. **Against the spec**, embedded in this crate: the status must be declared for the
//!    operation (exactly, by its range `4XX`, or `default`); the media type declared for it; each
//!    header the spec declares present when required and of its schema; the body valid against
//!    the response's JSON Schema (a validator, `jsonschema`), and every field the schema does
//!    not name reported as undocumented (the schemas allow them, `additionalProperties: {}`,
//!    so a validator alone would say nothing). Each [`Difference`] names the operation, the
//!    JSON path (`$.data[0].created`), what the spec says and what came.
//! 2. **By running the code**: the exchange, kept exactly as it came (status, headers, body
//!    bytes), is served again from a server on 127.0.0.1 to the generated client
//!    (`anyfast-video-api`, strict: closed types, required fields, routing by status) and to the
//!    library's client (`anyfast-video` and its tolerant reader), each calling the operation
//!    the answer belongs to. What each made of it decides [`Breaks`]: the generated client
//!    breaks when it cannot give the spec's type (an undeclared status, a body its types do not
//!    decode), and the differences of the kinds it is strict about are blamed (it stops at the
//!    first, so all of them are); the reader breaks when it cannot read the answer at all. So
//!    "breaks" is never a guess from the schema: an undocumented field breaks neither (the
//!    generated types keep unknown fields), a string where the spec says integer breaks the
//!    generated client and not the reader, and an answer the spec allows but the reader cannot
//!    read is reported too.
//!
//! Each probe must also get the answer its case calls for (404 for what does not exist, a 4xx
//! refusal for the refused create): anything else is an `outcome` difference, breaking neither.
//! A refused create that is *accepted* is a failure whatever else ([`Report::failures`]), as is
//! a probe without an answer or a billed task that does not end with an MP4.
//!
//! # Recording
//!
//! [`Options::record`] saves every exchange, redacted, in the answer corpus's own format (the
//! [`record`] module), so that a real answer joins `crates/anyfast-video/tests/fixtures/answers/`
//! with one command. [`Redactor`] removes the key wherever it appears and the query of every
//! signed URL, and nothing else; reports go through it too, and a recording that would still
//! hold either is not written.
//!
//! # Where the spec comes from
//!
//! The one `openapi.yaml` of the repository, as the generated client embeds it
//! (`anyfast_video_api::spec::JSON_SCHEMA`: converted to JSON Schema terms by
//! `anyfast_video_codegen::json_schema::convert` in the client's build script, the one
//! conversion the mock and `cargo xtask check` use too). No copy is kept here: answers are held
//! to exactly the spec the client under test was generated from.
//!
//! # Inside
//!
//! Layers that point down (`cargo xtask check` fails on a cycle). `check` runs a check: the
//! probes of `probe` (checked first by `preflight`), each sent raw and kept exactly
//! (`exchange`), held to the embedded spec (`spec`, `schema`) and served again to the
//! generated client and the tolerant reader (`replay`); each `difference` says what it breaks.
//! `report` writes the table and the JSON, `record` the corpus files, and `redact` keeps the
//! key and signatures out of both. `operation` (the operations probed) and `json_path` are the
//! leaves.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod check;
pub mod difference;
pub mod exchange;
pub mod json_path;
pub mod operation;
mod preflight;
pub mod probe;
pub mod record;
pub mod redact;
pub mod replay;
pub mod report;
mod schema;
pub mod spec;

pub use check::{Options, Progress, Target, check};
pub use difference::{Breaks, Difference, Kind};
pub use operation::Operation;
pub use preflight::{check_base_url, check_key};
pub use probe::BILLED_COST;
pub use redact::Redactor;
pub use report::{FailOn, Report};
