//! Wall-clock times as the API writes them: unix seconds, ISO-8601, and the digits of an id.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Now, in unix seconds.
pub(crate) fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|elapsed| elapsed.as_secs() as i64)
        .unwrap_or_default()
}

/// `unix` seconds as ISO-8601 in the time zone `hours` east of UTC.
pub(crate) fn iso_8601(unix: i64, hours: u8) -> String {
    let shifted = unix.max(0) as u64 + u64::from(hours) * 3600;
    let utc = humantime::format_rfc3339_seconds(UNIX_EPOCH + Duration::from_secs(shifted));
    let text = utc.to_string();
    if hours == 0 {
        return text;
    }
    // humantime writes UTC only; the wall time was shifted, so the zone is swapped.
    format!("{}+{hours:02}:00", text.trim_end_matches('Z'))
}

/// `unix` seconds as ISO-8601 in UTC: `2026-03-20T12:01:47Z`.
pub(crate) fn iso_8601_utc(unix: i64) -> String {
    iso_8601(unix, 0)
}

/// `unix` seconds as the digits the asset library puts in its ids: `20260320120147` (UTC).
pub(crate) fn id_digits(unix: i64) -> String {
    iso_8601_utc(unix)
        .chars()
        .filter(char::is_ascii_digit)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_times_are_rfc_3339_in_utc_or_beijing() {
        assert_eq!(iso_8601(1_704_067_200, 0), "2024-01-01T00:00:00Z");
        assert_eq!(iso_8601(1_704_067_200, 8), "2024-01-01T08:00:00+08:00");
        assert_eq!(iso_8601_utc(1_777_288_506), "2026-04-27T11:15:06Z");
    }

    #[test]
    fn id_digits_are_the_utc_time_without_separators() {
        assert_eq!(id_digits(1_774_008_107), "20260320120147");
        assert!(unix_now() > 1_704_067_200);
    }
}
