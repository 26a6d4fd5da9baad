//! What can be checked before anything is sent: that a key is well-formed, that a base URL
//! is one the key may travel to.

/// Checks that `key` can be sent at all: not empty, no control character (as
/// `anyfast_video::ApiKey` requires), no space inside (a pasted `Bearer sk-…`), nothing but
/// visible ASCII (a header carries nothing else). Says what is wrong without showing the key.
///
/// ```
/// use anyfast_video_contract::check_key;
///
/// assert!(check_key("sk-0123456789abcdef").is_ok());
/// assert!(check_key("Bearer sk-0123456789abcdef").unwrap_err().contains("Bearer"));
/// assert!(check_key("").is_err());
/// ```
pub fn check_key(key: &str) -> Result<(), String> {
    anyfast_video::ApiKey::new(key).map_err(|error| error.to_string())?;
    let key = key.trim();
    if key
        .get(..7)
        .is_some_and(|start| start.eq_ignore_ascii_case("bearer "))
    {
        return Err("starts with \"Bearer \": give the key alone".into());
    }
    if key.chars().any(char::is_whitespace) {
        return Err("contains a space: a key is one word".into());
    }
    if !key.chars().all(|c| c.is_ascii_graphic()) {
        return Err("contains characters other than visible ASCII, which no key has".into());
    }
    Ok(())
}

/// Checks that `base_url` is an https URL (or http on a loopback address: a local mock),
/// without credentials, query or fragment; what it is, in words.
///
/// ```
/// use anyfast_video_contract::check_base_url;
///
/// assert_eq!(check_base_url("https://www.anyfast.ai").unwrap(), "https");
/// assert!(check_base_url("http://127.0.0.1:12111").unwrap().contains("loopback"));
/// assert!(check_base_url("http://www.anyfast.ai").is_err());
/// ```
pub fn check_base_url(base_url: &str) -> Result<String, String> {
    let url = url::Url::parse(base_url).map_err(|error| format!("is not a URL ({error})"))?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err("holds credentials; the key goes in ANYFAST_API_KEY".into());
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err("has a query or a fragment; a base URL has neither".into());
    }
    let loopback = match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
        None => false,
    };
    match url.scheme() {
        "https" => Ok("https".into()),
        "http" if loopback => Ok("http on a loopback address (a local mock)".into()),
        "http" => Err("is plain http: the key would travel unencrypted; use https".into()),
        other => Err(format!("has the scheme {other}; use https")),
    }
}
