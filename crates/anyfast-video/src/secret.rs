//! The API key, kept out of every Debug, Display, log and error.

use std::fmt;

use crate::error::Error;

/// An anyfast API key. Its `Debug` prints a redaction; it has no `Display`; it is only ever
/// written into the `Authorization` header of requests to the API's own host.
///
/// ```
/// use anyfast_video::ApiKey;
///
/// let key = ApiKey::new("sk-0123456789")?;
/// assert_eq!(format!("{key:?}"), "ApiKey(<redacted>)");
/// assert!(ApiKey::new("sk-1\r\nX-Injected: yes").is_err());
/// # Ok::<(), anyfast_video::Error>(())
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey(String);

impl ApiKey {
    /// Checks and wraps a key: not empty, and no control characters (a CR or LF would let a
    /// key inject headers). Surrounding white space (a newline at the end of a key file) is
    /// removed.
    pub fn new(key: impl Into<String>) -> Result<ApiKey, Error> {
        let key = key.into();
        let trimmed = key.trim();
        if trimmed.is_empty() {
            return Err(Error::Config("the API key is empty".into()));
        }
        if trimmed.chars().any(char::is_control) {
            return Err(Error::Config(
                "the API key contains a line break or another control character".into(),
            ));
        }
        Ok(ApiKey(trimmed.to_string()))
    }

    /// A fingerprint of the key, to tell accounts apart in a task store: the first 48 bits of
    /// a SHA-256 of it, never the key (nor enough to find it).
    pub(crate) fn fingerprint(&self) -> String {
        use sha2::Digest;
        let digest = sha2::Sha256::digest(format!("anyfast-video account:{}", self.0));
        digest
            .iter()
            .take(6)
            .map(|byte| format!("{byte:02x}"))
            .collect()
    }

    /// The `Authorization` header value, marked sensitive so that reqwest and hyper never
    /// print it.
    pub(crate) fn header_value(&self) -> reqwest::header::HeaderValue {
        let mut value = reqwest::header::HeaderValue::from_str(&format!("Bearer {}", self.0))
            .expect("ApiKey::new refuses control characters");
        value.set_sensitive(true);
        value
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiKey(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_with_control_characters_or_nothing_are_refused() {
        for bad in ["", "   ", "sk-1\nx", "sk-1\rx", "sk\u{0}1", "sk\t1"] {
            assert!(ApiKey::new(bad).is_err(), "{bad:?}");
        }
        assert_eq!(
            ApiKey::new("  sk-1\n").unwrap(),
            ApiKey::new("sk-1").unwrap()
        );
    }

    #[test]
    fn the_header_value_is_sensitive_and_debug_hides_the_key() {
        let key = ApiKey::new("sk-secret").unwrap();
        let value = key.header_value();
        assert!(value.is_sensitive());
        assert!(!format!("{value:?}").contains("sk-secret"));
        assert!(!format!("{key:?}").contains("sk-secret"));
    }
}
