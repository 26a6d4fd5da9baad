//! The spec's operations as data: id, method and path template, one constant each
//! ([`CREATE_VIDEO_GENERATION`], [`GET_VIDEO_GENERATION`], ...), generated from `openapi.yaml`
//! beside the client. Code that sends requests itself, such as the `anyfast-video` crate's
//! tolerant transport, builds its URLs from these, so the paths live in the spec alone.
//!
//! ```
//! use anyfast_video_api::operations;
//!
//! let get = operations::GET_VIDEO_GENERATION;
//! assert_eq!(get.method, "GET");
//! assert_eq!(
//!     get.url("https://www.anyfast.ai", &["cgt-1/../x"]),
//!     "https://www.anyfast.ai/v1/video/generations/cgt-1%2F..%2Fx",
//! );
//! assert!(operations::ALL.iter().any(|op| op.id == "create_video_generation"));
//! ```

/// One operation of the spec.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Operation {
    /// The `operationId`, which is also the generated client's method name.
    pub id: &'static str,
    /// The HTTP method, upper case.
    pub method: &'static str,
    /// The path template, such as `/v1/video/generations/{id}`.
    pub path: &'static str,
}

impl Operation {
    /// The URL of this operation below `base_url` (without a trailing `/`), with the path's
    /// `{parameters}` replaced, in order, by `parameters`, each percent-encoded as one path
    /// segment exactly as the generated client encodes it. Missing parameters leave their
    /// placeholder; extra ones are ignored.
    pub fn url(&self, base_url: &str, parameters: &[&str]) -> String {
        let mut url = String::with_capacity(base_url.len() + self.path.len() + 32);
        url.push_str(base_url.trim_end_matches('/'));
        let mut values = parameters.iter();
        let mut rest = self.path;
        while let Some(open) = rest.find('{') {
            let Some(close) = rest[open..].find('}') else {
                break;
            };
            url.push_str(&rest[..open]);
            match values.next() {
                Some(value) => url.push_str(&progenitor_client::encode_path(value)),
                None => url.push_str(&rest[open..open + close + 1]),
            }
            rest = &rest[open + close + 1..];
        }
        url.push_str(rest);
        url
    }
}

include!(concat!(env!("OUT_DIR"), "/operations.rs"));

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_filled_in_order_and_encoded() {
        let op = Operation {
            id: "x",
            method: "GET",
            path: "/a/{first}/b/{second}",
        };
        assert_eq!(
            op.url("https://h/", &["1", "two words"]),
            "https://h/a/1/b/two%20words"
        );
        assert_eq!(op.url("https://h", &["1"]), "https://h/a/1/b/{second}");
        assert_eq!(
            CREATE_VIDEO_GENERATION.url("https://h", &[]),
            "https://h/v1/video/generations"
        );
    }
}
