//! Emulator time: the wall clock plus a test-controlled offset, and the two date formats the
//! server writes (ISO-8601 in JSON, RFC 1123 in `Set-Cookie`).

use std::time::{SystemTime, UNIX_EPOCH};

/// Ticks (100 ns, the .NET `DateTime` resolution) per second.
const TICKS_PER_SEC: i64 = 10_000_000;
const TICKS_PER_MS: i64 = 10_000;

/// `DateTime` default value as System.Text.Json writes it (no `Z`: its Kind is Unspecified).
pub(crate) const DOTNET_DEFAULT_DATE: &str = "0001-01-01T00:00:00";

/// A point in emulator time: Unix time in 100 ns ticks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Time(i64);

impl Time {
    /// The wall clock shifted by `offset_secs`.
    pub(crate) fn now_with_offset(offset_secs: i64) -> Time {
        let since_epoch = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default();
        let ticks = since_epoch.as_secs() as i64 * TICKS_PER_SEC + i64::from(since_epoch.subsec_nanos()) / 100;
        Time(ticks + offset_secs.saturating_mul(TICKS_PER_SEC))
    }

    #[cfg(test)]
    pub(crate) fn from_unix_ms(ms: i64) -> Time {
        Time(ms.saturating_mul(TICKS_PER_MS))
    }

    pub(crate) fn unix_secs(self) -> i64 {
        self.0.div_euclid(TICKS_PER_SEC)
    }

    pub(crate) fn unix_ms(self) -> i64 {
        self.0.div_euclid(TICKS_PER_MS)
    }

    pub(crate) fn plus_secs(self, secs: i64) -> Time {
        Time(self.0.saturating_add(secs.saturating_mul(TICKS_PER_SEC)))
    }

    /// Same calendar date one year later (Feb 29 becomes Feb 28), like `DateTime.AddYears(1)`.
    pub(crate) fn plus_one_year(self) -> Time {
        let days = self.0.div_euclid(TICKS_PER_SEC * 86_400);
        let time_of_day = self.0.rem_euclid(TICKS_PER_SEC * 86_400);
        let (y, m, d) = civil_from_days(days);
        let d = if m == 2 && d == 29 && !is_leap(y + 1) { 28 } else { d };
        Time(days_from_civil(y + 1, m, d) * TICKS_PER_SEC * 86_400 + time_of_day)
    }

    /// ISO-8601 UTC with up to 7 fractional digits, trailing zeros trimmed, as System.Text.Json
    /// writes a `DateTime` of Kind Utc: `2027-11-23T00:05:12.3456789Z`.
    pub(crate) fn iso8601(self) -> String {
        let (date, secs_of_day) = self.split();
        let fraction = self.0.rem_euclid(TICKS_PER_SEC);
        let mut out = format!("{date}T{:02}:{:02}:{:02}", secs_of_day / 3600, secs_of_day / 60 % 60, secs_of_day % 60);
        if fraction != 0 {
            let digits = format!("{fraction:07}");
            out.push('.');
            out.push_str(digits.trim_end_matches('0'));
        }
        out.push('Z');
        out
    }

    /// RFC 1123 date as used in cookie `expires=` and HTTP dates: `Tue, 23 Nov 2027 00:05:12 GMT`.
    pub(crate) fn rfc1123(self) -> String {
        const WEEKDAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
        const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
        let days = self.unix_secs().div_euclid(86_400);
        let secs_of_day = self.unix_secs().rem_euclid(86_400);
        let (y, m, d) = civil_from_days(days);
        // 1970-01-01 was a Thursday.
        let weekday = WEEKDAYS[(days + 4).rem_euclid(7) as usize];
        format!(
            "{weekday}, {d:02} {} {y:04} {:02}:{:02}:{:02} GMT",
            MONTHS[(m - 1) as usize],
            secs_of_day / 3600,
            secs_of_day / 60 % 60,
            secs_of_day % 60
        )
    }

    fn split(self) -> (String, i64) {
        let days = self.unix_secs().div_euclid(86_400);
        let (y, m, d) = civil_from_days(days);
        (format!("{y:04}-{m:02}-{d:02}"), self.unix_secs().rem_euclid(86_400))
    }
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

// Howard Hinnant's days <-> civil date algorithms (proleptic Gregorian calendar).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = i64::from((m + 9) % 12);
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_dates_like_dotnet() {
        // 2027-11-23T00:05:12.3456789Z
        let t = Time(1_826_928_312 * TICKS_PER_SEC + 3_456_789);
        assert_eq!(t.iso8601(), "2027-11-23T00:05:12.3456789Z");
        assert_eq!(t.rfc1123(), "Tue, 23 Nov 2027 00:05:12 GMT");
        assert_eq!(Time(0).iso8601(), "1970-01-01T00:00:00Z");
        assert_eq!(Time(5_000_000).iso8601(), "1970-01-01T00:00:00.5Z");
        assert_eq!(Time(0).rfc1123(), "Thu, 01 Jan 1970 00:00:00 GMT");
    }

    #[test]
    fn adds_a_calendar_year() {
        let leap_day = Time::from_unix_ms(1_709_164_800_000); // 2024-02-29T00:00:00Z
        assert_eq!(leap_day.plus_one_year().iso8601(), "2025-02-28T00:00:00Z");
        let t = Time::from_unix_ms(1_767_225_600_123); // 2026-01-01T00:00:00.123Z
        assert_eq!(t.plus_one_year().iso8601(), "2027-01-01T00:00:00.123Z");
    }

    #[test]
    fn civil_round_trip() {
        for days in [-800_000, -1, 0, 1, 59, 60, 11_016, 20_454, 2_932_896] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
    }
}
