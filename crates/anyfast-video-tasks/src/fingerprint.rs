//! A request's fingerprint: what a record holds to tell, when its idempotency key comes again,
//! whether it comes with the same request.

use anyfast_video::{Error, MediaSource, RequestInput, VideoRequest};
use serde_json::{Value, json};
use sha2::Digest;

/// What starts every fingerprint [`fingerprint`] makes. The fingerprints task stores hold from
/// before it are bare hex (a hash of the request's `Debug` output, which moved whenever the
/// spec was regenerated).
pub const FINGERPRINT_FORM: &str = "v2:";

/// A fingerprint of what the request asks for, the one a task store records for it and
/// compares when its idempotency key comes again: the SHA-256 (first 128 bits, `v2:` and hex)
/// of a canonical JSON form, keys sorted at every level, of
///
/// - the inputs in order: each text, and each image, video or audio by its URL as given, or,
///   for a local file (sent inline or uploaded as an asset), by the SHA-256 of its content
///   (never by the data URI or the asset id it becomes), with its role;
/// - the body's fields the caller set ([`VideoRequest::set_fields`]), as JSON, leaving out
///   `null`s;
/// - the [extra](VideoRequest::extra) fields.
///
/// Fields the caller did not set count for nothing, whatever the spec fills them with: so a
/// regenerated client whose body type has a new optional field, a new enum value or another
/// default keeps every fingerprint of a request that did not set them, and a job redelivered
/// after an upgrade finds its record. (A field set to its default value counts, since it was
/// asked for: a later default may differ.)
///
/// ```
/// use anyfast_video::VideoRequest;
/// use anyfast_video_tasks::fingerprint;
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), anyfast_video::Error> {
/// let by_method = VideoRequest::text("a cat").duration(8);
/// let by_json = VideoRequest::from_json(serde_json::json!({
///     "model": "seedance-fast", "content": [{"type": "text", "text": "a cat"}],
///     "duration": 8, "seed": null
/// }))?;
/// // The model is named in the JSON only: set there, left to the default by the method.
/// assert_ne!(fingerprint(&by_method).await?, fingerprint(&by_json).await?);
/// let by_method = by_method.model("seedance-fast");
/// assert_eq!(fingerprint(&by_method).await?, fingerprint(&by_json).await?);
/// assert_ne!(fingerprint(&by_method).await?, fingerprint(&VideoRequest::text("a cat")).await?);
/// # Ok(())
/// # }
/// ```
pub async fn fingerprint(request: &VideoRequest) -> Result<String, Error> {
    // Another family's body (Wan, HappyHorse, Kling) holds only what its caller set, with no
    // default filled in: the body itself is its canonical form.
    if let Some(fields) = request.family_fields() {
        let fields: serde_json::Map<String, Value> = fields
            .iter()
            .filter(|(_, value)| !value.is_null())
            .map(|(name, value)| (name.clone(), value.clone()))
            .collect();
        return Ok(digest_of(&json!({ "family_fields": fields })));
    }
    let mut content = Vec::with_capacity(request.inputs().len());
    for input in request.inputs() {
        content.push(match input {
            RequestInput::Text(text) => json!({ "text": text }),
            RequestInput::Image(source, role) => json!({
                "image": source_fingerprint(source).await?,
                "role": role.map(|role| serde_json::to_value(role).unwrap_or(Value::Null)),
            }),
            RequestInput::Video(source) => json!({ "video": source_fingerprint(source).await? }),
            RequestInput::Audio(source) => json!({ "audio": source_fingerprint(source).await? }),
        });
    }
    let body = match serde_json::to_value(request.body()) {
        Ok(Value::Object(fields)) => fields,
        _ => serde_json::Map::new(),
    };
    let fields: serde_json::Map<String, Value> = request
        .set_fields()
        .filter_map(|name| {
            let value = body.get(name)?;
            (!value.is_null()).then(|| (name.to_string(), value.clone()))
        })
        .collect();
    let form = json!({ "content": content, "fields": fields, "extra": request.body().extra });
    Ok(digest_of(&form))
}

/// The fingerprint of a canonical form.
fn digest_of(form: &Value) -> String {
    let mut text = String::new();
    canonical_json(form, &mut text);
    let digest = sha2::Sha256::digest(text.as_bytes());
    format!("{FINGERPRINT_FORM}{}", hex(&digest[..16]))
}

/// The request's first text, if it has one (a record keeps it, to list tasks by): another
/// family's `prompt`.
pub(crate) fn first_text(request: &VideoRequest) -> Option<&str> {
    if let Some(fields) = request.family_fields() {
        return fields.get("prompt").and_then(Value::as_str);
    }
    request.inputs().iter().find_map(|input| match input {
        RequestInput::Text(text) => Some(text.as_str()),
        _ => None,
    })
}

/// A short hash of a text: the form of the fingerprints written before [`fingerprint`]'s (of
/// the request's `Debug` output), still read to accept them.
pub(crate) fn legacy(text: &str) -> String {
    hex(&sha2::Sha256::digest(text.as_bytes())[..16])
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// An input's source as a fingerprint sees it: a URL as given; a local file by its content.
async fn source_fingerprint(source: &MediaSource) -> Result<Value, Error> {
    let path = match source {
        MediaSource::Url(url) => return Ok(json!({ "url": url })),
        MediaSource::File(path) | MediaSource::Upload(path) => path.clone(),
    };
    let hashed = tokio::task::spawn_blocking(move || {
        use std::io::Read;
        let mut file = std::fs::File::open(&path).map_err(|source| (path.clone(), source))?;
        let mut hasher = sha2::Sha256::new();
        let mut buffer = vec![0; 256 * 1024];
        loop {
            match file.read(&mut buffer) {
                Ok(0) => break,
                Ok(read) => hasher.update(&buffer[..read]),
                Err(source) => return Err((path.clone(), source)),
            }
        }
        Ok(hex(&hasher.finalize()))
    })
    .await
    .map_err(|error| Error::Config(format!("hashing a local file: {error}")))?;
    match hashed {
        Ok(hex) => Ok(json!({ "file_sha256": hex })),
        Err((path, source)) => Err(Error::Io {
            path,
            task_id: None,
            source,
        }),
    }
}

/// `value` as JSON with the keys of every object sorted (by their UTF-8 bytes) and no spaces:
/// one text for one value, whatever order its maps were built in.
fn canonical_json(value: &Value, out: &mut String) {
    match value {
        Value::Object(fields) => {
            let mut names: Vec<&String> = fields.keys().collect();
            names.sort();
            out.push('{');
            for (at, name) in names.into_iter().enumerate() {
                if at > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(name.clone()).to_string());
                out.push(':');
                canonical_json(&fields[name], out);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (at, item) in items.iter().enumerate() {
                if at > 0 {
                    out.push(',');
                }
                canonical_json(item, out);
            }
            out.push(']');
        }
        scalar => out.push_str(&scalar.to_string()),
    }
}
