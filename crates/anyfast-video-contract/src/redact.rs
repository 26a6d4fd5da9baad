//! What leaves the checks (reports, recordings) without the key and without signatures.
//!
//! Two things are removed, and nothing else is changed: every occurrence of the API key (a
//! service may echo it in an error), and the query of every URL whose query carries a
//! credential (a pre-signed storage URL's `X-Tos-Signature`, `X-Amz-Signature`, a `token`, a
//! `key`...), with its fragment. URLs are found anywhere in a text: in a JSON string, in a JSON
//! document inside a string, in an HTML page, in a header. The one exception to "nothing else":
//! the values of `Set-Cookie` headers, which are credentials of their own, become `<redacted>`
//! (the cookie's name and attributes stay). The `Authorization` header is never recorded.

use serde_json::Value;

/// What stands in for a removed key or cookie value.
pub const REDACTED: &str = "<redacted>";

/// The words that mark a query parameter as a credential, matched case-insensitively anywhere
/// in its name: `X-Tos-Signature`, `X-Amz-Signature`, `Signature`, `sig`, `X-Tos-Security-Token`,
/// `OSSAccessKeyId`, `X-Amz-Credential`, `Expires`, `Policy`, `auth`, `api_key`...
const CREDENTIAL_WORDS: [&str; 10] = [
    "sig",
    "token",
    "credential",
    "key",
    "expire",
    "policy",
    "auth",
    "security",
    "secret",
    "session",
];

/// Removes the key and the signatures from whatever is shown or saved.
#[derive(Clone)]
pub struct Redactor {
    key: Option<String>,
}

impl std::fmt::Debug for Redactor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Redactor(<key redacted>)")
    }
}

impl Redactor {
    /// A redactor of `key` (none: only signatures are removed). A key shorter than 4
    /// characters is still removed, but such a key is refused long before (see
    /// [`check_key`](crate::check_key)).
    pub fn new(key: Option<&str>) -> Redactor {
        Redactor {
            key: key
                .map(str::trim)
                .filter(|key| !key.is_empty())
                .map(str::to_string),
        }
    }

    /// A text with the key and every signed URL's query removed.
    ///
    /// ```
    /// use anyfast_video_contract::Redactor;
    ///
    /// let redactor = Redactor::new(Some("sk-secret-1234"));
    /// let text = "bad key sk-secret-1234; see https://h.example/v.mp4?X-Tos-Signature=abc&x=1 now";
    /// assert_eq!(redactor.text(text), "bad key <redacted>; see https://h.example/v.mp4 now");
    /// assert_eq!(redactor.text("https://h.example/list?page=2"), "https://h.example/list?page=2");
    /// ```
    pub fn text(&self, text: &str) -> String {
        let without_key = match &self.key {
            Some(key) if text.contains(key.as_str()) => text.replace(key.as_str(), REDACTED),
            _ => text.to_string(),
        };
        strip_signed_queries(&without_key)
    }

    /// A JSON value with every string (and every object key) passed through [`Redactor::text`].
    pub fn json(&self, value: &Value) -> Value {
        match value {
            Value::String(text) => Value::String(self.text(text)),
            Value::Array(items) => Value::Array(items.iter().map(|item| self.json(item)).collect()),
            Value::Object(object) => Value::Object(
                object
                    .iter()
                    .map(|(key, value)| (self.text(key), self.json(value)))
                    .collect(),
            ),
            other => other.clone(),
        }
    }

    /// A header's value as it may be shown: `Authorization` never, `Set-Cookie` without its
    /// value, any other through [`Redactor::text`].
    pub fn header(&self, name: &str, value: &str) -> String {
        if name.eq_ignore_ascii_case("authorization")
            || name.eq_ignore_ascii_case("proxy-authorization")
        {
            return REDACTED.to_string();
        }
        if name.eq_ignore_ascii_case("set-cookie") || name.eq_ignore_ascii_case("cookie") {
            return value
                .split(';')
                .enumerate()
                .map(|(index, part)| match part.split_once('=') {
                    // The first pair is the cookie itself; attributes (Path, Expires...) stay.
                    Some((name, _)) if index == 0 => format!("{name}={REDACTED}"),
                    _ => self.text(part),
                })
                .collect::<Vec<_>>()
                .join(";");
        }
        self.text(value)
    }

    /// Whether `text` still holds the key or a signed URL's credential: what the recordings
    /// and the reports must never do (the tests look for it; so does the recorder, which
    /// refuses to write such a file).
    pub fn leaks(&self, text: &str) -> bool {
        if let Some(key) = &self.key
            && text.contains(key.as_str())
        {
            return true;
        }
        urls(text).any(|(start, end)| {
            let url = &text[start..end];
            url.split_once('?')
                .is_some_and(|(_, query)| has_credential(query))
        })
    }
}

/// Each `http://` or `https://` URL in `text`, as the byte range it spans: up to white space, a
/// quote, a backslash (an escape inside a JSON string), `<`, `>` or a backtick.
fn urls(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let lower = text.to_ascii_lowercase();
    let mut starts: Vec<usize> = lower
        .match_indices("http://")
        .chain(lower.match_indices("https://"))
        .map(|(at, _)| at)
        .collect();
    starts.sort_unstable();
    starts.into_iter().map(move |start| {
        let end = text[start..]
            .char_indices()
            .find(|(_, c)| c.is_whitespace() || matches!(c, '"' | '\'' | '\\' | '<' | '>' | '`'))
            .map_or(text.len(), |(at, _)| start + at);
        (start, end)
    })
}

/// Whether a query (without its `?`) has a parameter named like a credential.
fn has_credential(query: &str) -> bool {
    let query = query.split('#').next().unwrap_or_default();
    query.split('&').any(|pair| {
        let name = pair
            .split('=')
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        CREDENTIAL_WORDS.iter().any(|word| name.contains(word))
    })
}

/// `text` with the query and fragment of every URL whose query has a credential removed.
fn strip_signed_queries(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    for (start, end) in urls(text) {
        if start < copied {
            continue; // inside a URL already handled (`http://` within `https://...`)
        }
        let url = &text[start..end];
        if let Some((before, query)) = url.split_once('?')
            && has_credential(query)
        {
            out.push_str(&text[copied..start]);
            out.push_str(before);
            copied = end;
        }
    }
    out.push_str(&text[copied..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signed_url_loses_its_query_wherever_it_is() {
        let redactor = Redactor::new(None);
        let signed = "https://ark.tos-cn-beijing.volces.com/v.mp4?X-Tos-Algorithm=TOS4-HMAC-SHA256&X-Tos-Signature=abc#t=1";
        assert_eq!(
            redactor.text(signed),
            "https://ark.tos-cn-beijing.volces.com/v.mp4"
        );
        let nested = format!(r#"{{"error":{{"message":"see {signed}"}}}}"#);
        assert_eq!(
            redactor.text(&nested),
            r#"{"error":{"message":"see https://ark.tos-cn-beijing.volces.com/v.mp4"}}"#
        );
        let html = format!("<a href=\"{signed}\">video</a>");
        assert!(!redactor.leaks(&redactor.text(&html)));
        assert!(redactor.leaks(&html));
        // Upper-case schemes and Amazon-style signatures too.
        assert_eq!(
            redactor.text("HTTPS://s3.example/x?X-Amz-Credential=a%2Fb&X-Amz-Signature=c"),
            "HTTPS://s3.example/x"
        );
    }

    #[test]
    fn a_url_without_a_credential_and_other_text_are_left_alone() {
        let redactor = Redactor::new(Some("sk-abcdef123456"));
        for text in [
            "https://www.anyfast.ai/v1/models?page=2&size=10",
            "plain text, no URL",
            "asset://asset-20260320120147-pqwhc",
            "",
        ] {
            assert_eq!(redactor.text(text), text);
        }
    }

    #[test]
    fn the_key_is_removed_from_texts_json_and_headers() {
        let redactor = Redactor::new(Some("sk-abcdef123456"));
        assert_eq!(
            redactor.text("Invalid token sk-abcdef123456 (key sk-abcdef123456)"),
            "Invalid token <redacted> (key <redacted>)"
        );
        let json = serde_json::json!({"sk-abcdef123456": ["x sk-abcdef123456 y", 1, null]});
        let redacted = redactor.json(&json);
        assert!(
            !redacted.to_string().contains("sk-abcdef123456"),
            "{redacted}"
        );
        assert_eq!(
            redactor.header("Authorization", "Bearer sk-abcdef123456"),
            REDACTED
        );
        assert_eq!(
            redactor.header("set-cookie", "session=s3cr3t; Path=/; HttpOnly"),
            "session=<redacted>; Path=/; HttpOnly"
        );
        assert_eq!(redactor.header("x-request-id", "abc"), "abc");
        assert!(redactor.leaks("… sk-abcdef123456 …"));
        assert!(!redactor.leaks("… <redacted> …"));
    }
}
