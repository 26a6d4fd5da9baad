//! The bad-input table: one invalid request or more per rule of the reference page and per
//! upstream limit, each refused by the client naming its field and rule with nothing sent, and
//! the same body sent raw refused by the mock.

use std::path::Path;
use std::time::Duration;

use anyfast_mock::{MockConfig, Route, Timing};
use anyfast_video::{KnownResolution, MediaSource, Resolution, VideoRequest};
use serde_json::{Value, json};

use crate::support::{KEY, client, mock};

/// One row: what is asked, the field and the words of the rule the refusal must name, and
/// the raw body to send the mock (`None`: the client's own body without validation; `Skip`:
/// nothing raw is equivalent, as for an extra field that would overwrite a typed one).
struct Case {
    name: &'static str,
    request: Result<VideoRequest, anyfast_video::Error>,
    field: &'static str,
    rule: &'static str,
    raw: Raw,
}

enum Raw {
    FromRequest,
    Body(Value),
    Skip,
}

pub struct Table {
    rows: usize,
    refused_by_client: usize,
    requests_reaching_mock: usize,
    raw_sent: usize,
    raw_refused: usize,
    pub problems: Vec<String>,
}

impl Table {
    pub fn summary(&self) -> String {
        format!(
            "bad-input table: {} invalid requests; refused by the client with field and rule {}, \
             requests that reached the mock {}; sent raw {}, refused by the mock with 400 {}",
            self.rows,
            self.refused_by_client,
            self.requests_reaching_mock,
            self.raw_sent,
            self.raw_refused
        )
    }
}

fn text(prompt: &str) -> VideoRequest {
    VideoRequest::text(prompt)
}

const IMAGE: &str = "https://example.com/a.png";
const VIDEO: &str = "https://example.com/a.mp4";
const AUDIO: &str = "https://example.com/a.mp3";

fn data_uri(mime: &str, decoded_bytes: usize) -> String {
    format!(
        "data:{mime};base64,{}",
        "A".repeat(decoded_bytes / 3 * 4 + 4)
    )
}

fn cases(files: &Path) -> Vec<Case> {
    let ok = Ok::<_, anyfast_video::Error>;
    let svg = files.join("logo.svg");
    std::fs::write(&svg, b"<svg xmlns='http://www.w3.org/2000/svg'/>").unwrap();
    let loud = files.join("loud.mp3");
    let file = std::fs::File::create(&loud).unwrap();
    std::io::Write::write_all(&mut &file, b"ID3\x04\0\0\0\0\0\0").unwrap();
    file.set_len(16 * 1024 * 1024).unwrap();
    let clip = files.join("clip.mp4");
    std::fs::write(&clip, b"\0\0\0\x18ftypisom").unwrap();

    let many = |kind: &str, count: usize| {
        let mut request = text("t");
        for _ in 0..count {
            request = match kind {
                "image" => request.reference_image(IMAGE),
                "video" => request.video(VIDEO),
                _ => request.audio(AUDIO),
            };
        }
        request
    };
    let case = |name, request, field, rule, raw| Case {
        name,
        request,
        field,
        rule,
        raw,
    };
    use Raw::{Body, FromRequest, Skip};
    vec![
        case(
            "no content",
            ok(VideoRequest::new()),
            "content",
            "at least one item",
            FromRequest,
        ),
        case(
            "empty text",
            ok(text("   ")),
            "content[0].text",
            "must not be empty",
            Body(json!({"model": "seedance-fast", "content": [{"type": "text", "text": ""}]})),
        ),
        case(
            "audio alone",
            ok(VideoRequest::new().audio(AUDIO)),
            "content",
            "audio needs an image or a video",
            FromRequest,
        ),
        case(
            "audio with text only",
            ok(text("t").audio(AUDIO)),
            "content",
            "audio needs an image or a video",
            FromRequest,
        ),
        case(
            "10 images",
            ok(many("image", 10)),
            "content",
            "at most 9 images",
            FromRequest,
        ),
        case(
            "4 videos",
            ok(many("video", 4)),
            "content",
            "at most 3 videos",
            FromRequest,
        ),
        case(
            "4 audio clips",
            ok(many("audio", 4).video(VIDEO)),
            "content",
            "at most 3 audio clips",
            FromRequest,
        ),
        case(
            "duration 0",
            ok(text("t").duration(0)),
            "duration",
            "4 to 15 seconds",
            FromRequest,
        ),
        case(
            "duration 3",
            ok(text("t").duration(3)),
            "duration",
            "4 to 15 seconds",
            FromRequest,
        ),
        case(
            "duration 16",
            ok(text("t").duration(16)),
            "duration",
            "4 to 15 seconds",
            FromRequest,
        ),
        case(
            "duration -2",
            ok(text("t").duration(-2)),
            "duration",
            "4 to 15 seconds",
            FromRequest,
        ),
        case(
            "web search with an image",
            ok(text("t").reference_image(IMAGE).web_search(true)),
            "tools[0]",
            "text-to-video",
            FromRequest,
        ),
        case(
            "web search with a video",
            ok(text("t").video(VIDEO).web_search(true)),
            "tools[0]",
            "text-to-video",
            FromRequest,
        ),
        case(
            "first frame with a reference",
            ok(text("t").first_frame(IMAGE).reference_image(IMAGE)),
            "content",
            "cannot be mixed",
            FromRequest,
        ),
        case(
            "first frame with a video",
            ok(text("t").first_frame(IMAGE).video(VIDEO)),
            "content",
            "cannot be mixed",
            FromRequest,
        ),
        case(
            "two first frames",
            ok(text("t").first_frame(IMAGE).first_frame(IMAGE)),
            "content",
            "only one image may be the first_frame",
            FromRequest,
        ),
        case(
            "two last frames",
            ok(text("t")
                .first_frame(IMAGE)
                .last_frame(IMAGE)
                .last_frame(IMAGE)),
            "content",
            "only one image may be the last_frame",
            FromRequest,
        ),
        case(
            "a last frame alone",
            ok(text("t").last_frame(IMAGE)),
            "content",
            "needs a first_frame",
            FromRequest,
        ),
        case(
            "image over http",
            ok(text("t").reference_image("http://example.com/a.png")),
            "content[1].image_url.url",
            "https URL",
            FromRequest,
        ),
        case(
            "image over ftp",
            ok(text("t").reference_image("ftp://example.com/a.png")),
            "content[1].image_url.url",
            "https URL",
            FromRequest,
        ),
        case(
            "image at an empty https URL",
            ok(text("t").reference_image("https://")),
            "content[1].image_url.url",
            "https URL",
            FromRequest,
        ),
        case(
            "image at an empty asset",
            ok(text("t").reference_image("asset://")),
            "content[1].image_url.url",
            "https URL",
            FromRequest,
        ),
        case(
            "video as a data URI",
            ok(text("t").video("data:video/mp4;base64,AAAA")),
            "content[1].video_url.url",
            "cannot be sent as data",
            FromRequest,
        ),
        case(
            "video over http",
            ok(text("t").video("http://example.com/a.mp4")),
            "content[1].video_url.url",
            "https URL or an asset",
            FromRequest,
        ),
        case(
            "audio over http",
            ok(text("t").video(VIDEO).audio("http://example.com/a.mp3")),
            "content[2].audio_url.url",
            "https URL",
            FromRequest,
        ),
        case(
            "an SVG data URI",
            ok(text("t").reference_image("data:image/svg+xml;base64,PHN2Zz4=")),
            "content[1].image_url.url",
            "data:<type>;base64",
            FromRequest,
        ),
        case(
            "a data URI without base64",
            ok(text("t").reference_image("data:image/png,raw")),
            "content[1].image_url.url",
            "data:<type>;base64",
            FromRequest,
        ),
        case(
            "image data as audio",
            ok(text("t")
                .video(VIDEO)
                .audio("data:image/png;base64,iVBORw0KGgo=")),
            "content[2].audio_url.url",
            "audio/mpeg",
            FromRequest,
        ),
        case(
            "an image over 30 MB",
            ok(text("t").reference_image(data_uri("image/png", 31 << 20).as_str())),
            "content[1].image_url.url",
            "limit of 30 MiB",
            FromRequest,
        ),
        case(
            "audio over 15 MB",
            ok(text("t")
                .video(VIDEO)
                .audio(data_uri("audio/mpeg", 16 << 20).as_str())),
            "content[2].audio_url.url",
            "limit of 15 MiB",
            FromRequest,
        ),
        case(
            "a body over 64 MB",
            ok((0..5).fold(text("t"), |request, _| {
                request.reference_image(data_uri("image/png", 11 << 20).as_str())
            })),
            "body",
            "limit of 64 MiB",
            FromRequest,
        ),
        case(
            "a local SVG file",
            ok(text("t").reference_image(svg.as_path())),
            "content[1].image_url.url",
            "not a file of a supported type",
            Body(
                json!({"model": "seedance-fast", "content": [{"type": "text", "text": "t"}, {"type": "image_url", "image_url": {"url": "data:image/svg+xml;base64,PHN2Zz4="}}]}),
            ),
        ),
        case(
            "a local audio file over 15 MB",
            ok(text("t").video(VIDEO).audio(loud.as_path())),
            "content[2].audio_url.url",
            "limit of 15 MiB",
            Body(
                json!({"model": "seedance-fast", "content": [{"type": "video_url", "video_url": {"url": VIDEO}}, {"type": "audio_url", "audio_url": {"url": data_uri("audio/mpeg", 16 << 20)}}]}),
            ),
        ),
        case(
            "a local video not uploaded",
            ok(text("t").video(MediaSource::File(clip.clone()))),
            "content[1].video_url.url",
            "upload a local video",
            Body(
                json!({"model": "seedance-fast", "content": [{"type": "text", "text": "t"}, {"type": "video_url", "video_url": {"url": "clip.mp4"}}]}),
            ),
        ),
        case(
            "1080p on seedance-fast",
            ok(text("t").resolution(KnownResolution::X1080p)),
            "resolution",
            "seedance-fast makes 480p, 720p only",
            FromRequest,
        ),
        case(
            "1440p on seedance",
            ok(text("t")
                .model("seedance")
                .resolution("1440p".parse::<Resolution>().unwrap())),
            "resolution",
            "seedance makes 480p, 720p, 1080p only",
            FromRequest,
        ),
        case(
            "resolution 4k",
            text("t").field("resolution", json!("4k")),
            "resolution",
            "does not match the API's schema",
            Body(
                json!({"model": "seedance-fast", "content": [{"type": "text", "text": "t"}], "resolution": "4k"}),
            ),
        ),
        case(
            "seed -2",
            ok(text("t").seed(-2)),
            "seed",
            "-1 to 4294967295",
            FromRequest,
        ),
        case(
            "seed 2^32",
            ok(text("t").seed(1 << 32)),
            "seed",
            "-1 to 4294967295",
            FromRequest,
        ),
        case(
            "callback over http",
            ok(text("t").callback_url("http://example.com/done")),
            "callback_url",
            "an https URL",
            Body(
                json!({"model": "seedance-fast", "content": [{"type": "text", "text": "t"}], "callback_url": "http://example.com/done"}),
            ),
        ),
        case(
            "callback over ftp",
            ok(text("t").callback_url("ftp://example.com/done")),
            "callback_url",
            "an https URL",
            Body(
                json!({"model": "seedance-fast", "content": [{"type": "text", "text": "t"}], "callback_url": "ftp://example.com/done"}),
            ),
        ),
        case(
            "expiry of 0 s",
            ok(text("t").execution_expires_after(Duration::ZERO)),
            "execution_expires_after",
            "must be 1 to",
            Body(
                json!({"model": "seedance-fast", "content": [{"type": "text", "text": "t"}], "execution_expires_after": 0}),
            ),
        ),
        case(
            "an empty model id",
            ok(text("t").model("")),
            "model",
            "must not be empty",
            Body(json!({"model": "", "content": [{"type": "text", "text": "t"}]})),
        ),
        case(
            "an extra field over duration",
            text("t").extra("duration", json!(8)),
            "duration",
            "field the API types",
            Skip,
        ),
        case(
            "an extra field over model",
            text("t").extra("model", json!("x")),
            "model",
            "field the API types",
            Skip,
        ),
        case(
            "an extra field over content",
            text("t").extra("content", json!([])),
            "content",
            "field the API types",
            Skip,
        ),
        case(
            "an extra field without a name",
            text("t").extra("", json!(1)),
            "",
            "needs a name",
            Skip,
        ),
    ]
}

pub async fn run() -> Table {
    let mock = mock(MockConfig::default().timing(Timing::Instant)).await;
    let client = client(&mock);
    let files = tempfile::tempdir().unwrap();
    let raw_client = reqwest::Client::new();
    let mut table = Table {
        rows: 0,
        refused_by_client: 0,
        requests_reaching_mock: 0,
        raw_sent: 0,
        raw_refused: 0,
        problems: Vec::new(),
    };
    for case in cases(files.path()) {
        table.rows += 1;
        let before = mock.count(Route::Create);
        let (error, raw_body) = match case.request {
            Err(error) => (error, None),
            Ok(request) => {
                let raw_body = match &case.raw {
                    Raw::FromRequest => request.body_without_validation().ok(),
                    Raw::Body(body) => Some(body.clone()),
                    Raw::Skip => None,
                };
                match client.videos().create(request).await {
                    Err(error) => (error, raw_body),
                    Ok(task) => {
                        table
                            .problems
                            .push(format!("{}: accepted as task {}", case.name, task.id));
                        continue;
                    }
                }
            }
        };
        table.requests_reaching_mock += mock.count(Route::Create) - before;
        let text = error.to_string();
        if error.field() == Some(case.field) && text.contains(case.rule) {
            table.refused_by_client += 1;
        } else {
            table.problems.push(format!(
                "{}: expected {}: …{}…, got {:?}: {text}",
                case.name,
                case.field,
                case.rule,
                error.field()
            ));
        }
        let Some(body) = raw_body.or(match case.raw {
            Raw::Body(body) => Some(body),
            _ => None,
        }) else {
            continue;
        };
        table.raw_sent += 1;
        let status = raw_client
            .post(format!("{}/v1/video/generations", mock.base_url()))
            .bearer_auth(KEY)
            .json(&body)
            .send()
            .await
            .map(|response| response.status().as_u16());
        match status {
            Ok(400) => table.raw_refused += 1,
            other => table.problems.push(format!(
                "{}: sent raw, the mock answered {other:?}",
                case.name
            )),
        }
    }
    if table.rows < 40 {
        table
            .problems
            .push(format!("the table has {} rows, fewer than 40", table.rows));
    }
    mock.stop().await;
    table
}
