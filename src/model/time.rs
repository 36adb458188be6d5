//! Points in time as records state them: exact, approximate or known only to the day,
//! read in the record's timezone.

use chrono::{DateTime, FixedOffset, LocalResult, NaiveDate, NaiveDateTime, Offset, TimeZone, Utc};
use std::fmt;

/// A record's `timezone`: an IANA name or a fixed offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Zone {
    Iana(chrono_tz::Tz),
    Fixed(FixedOffset),
}

impl Default for Zone {
    fn default() -> Self {
        Zone::Iana(chrono_tz::UTC)
    }
}

impl Zone {
    /// Parses `"Europe/Berlin"`, `"UTC"`, `"+02:00"`, `"-0530"`.
    pub fn parse(text: &str) -> Option<Zone> {
        let t = text.trim();
        if t.starts_with('+') || t.starts_with('-') {
            let sign = if t.starts_with('-') { -1 } else { 1 };
            let digits: String = t[1..].chars().filter(|c| *c != ':').collect();
            if digits.len() != 4 || !digits.chars().all(|c| c.is_ascii_digit()) {
                return None;
            }
            let h: i32 = digits[..2].parse().ok()?;
            let m: i32 = digits[2..].parse().ok()?;
            if h > 23 || m > 59 {
                return None;
            }
            return FixedOffset::east_opt(sign * (h * 3600 + m * 60)).map(Zone::Fixed);
        }
        if t.eq_ignore_ascii_case("utc") || t == "Z" {
            return Some(Zone::Iana(chrono_tz::UTC));
        }
        t.parse::<chrono_tz::Tz>().ok().map(Zone::Iana)
    }

    /// The IANA names, for suggestions.
    pub fn known_names() -> impl Iterator<Item = &'static str> {
        chrono_tz::TZ_VARIANTS.iter().map(|tz| tz.name())
    }

    pub fn name(&self) -> String {
        match self {
            Zone::Iana(tz) => tz.name().to_string(),
            Zone::Fixed(off) => off.to_string(),
        }
    }

    /// Reads a wall-clock time in this zone. `Err` when the time does not exist
    /// (skipped by a daylight-saving change); an ambiguous time takes the earlier instant.
    pub fn localize(&self, naive: NaiveDateTime) -> Result<DateTime<FixedOffset>, String> {
        let pick = |r: LocalResult<DateTime<FixedOffset>>| match r {
            LocalResult::Single(t) => Ok(t),
            LocalResult::Ambiguous(a, _) => Ok(a),
            LocalResult::None => {
                Err(format!("{naive} does not exist in {} (skipped by a daylight-saving change)", self.name()))
            }
        };
        match self {
            Zone::Iana(tz) => pick(tz.from_local_datetime(&naive).map(|t| t.fixed_offset())),
            Zone::Fixed(off) => pick(off.from_local_datetime(&naive)),
        }
    }

    /// The same instant, shown in this zone.
    pub fn show(&self, t: DateTime<FixedOffset>) -> DateTime<FixedOffset> {
        match self {
            Zone::Iana(tz) => t.with_timezone(tz).fixed_offset(),
            Zone::Fixed(off) => t.with_timezone(off),
        }
    }

    /// The UTC offset in force at `t`, as `+02:00` (`UTC` for zero).
    pub fn offset_label(&self, t: DateTime<FixedOffset>) -> String {
        let off = self.show(t).offset().fix();
        offset_label(off)
    }
}

pub fn offset_label(off: FixedOffset) -> String {
    let secs = off.local_minus_utc();
    if secs == 0 {
        return "UTC".to_string();
    }
    let sign = if secs < 0 { '-' } else { '+' };
    let secs = secs.abs();
    format!("UTC{sign}{:02}:{:02}", secs / 3600, (secs % 3600) / 60)
}

/// How precisely a moment is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Precision {
    Exact,
    /// An estimate (`approximate = true`).
    Approximate,
    /// Only the day is known; the instant is the start of that day.
    Day,
}

/// A point in time from a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct When {
    /// The instant (start of the day for `Precision::Day`), with the offset it was read in.
    pub at: DateTime<FixedOffset>,
    pub precision: Precision,
}

impl When {
    pub fn exact(at: DateTime<FixedOffset>) -> Self {
        When { at, precision: Precision::Exact }
    }

    pub fn is_approximate(&self) -> bool {
        self.precision != Precision::Exact
    }

    pub fn utc(&self) -> DateTime<Utc> {
        self.at.with_timezone(&Utc)
    }

    /// The day of this moment in the record's zone.
    pub fn day(&self, zone: &Zone) -> NaiveDate {
        zone.show(self.at).date_naive()
    }
}

impl fmt::Display for When {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.precision {
            Precision::Day => write!(f, "{}", self.at.date_naive()),
            Precision::Approximate => write!(f, "~{}", self.at.to_rfc3339()),
            Precision::Exact => write!(f, "{}", self.at.to_rfc3339()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zones_parse() {
        assert_eq!(Zone::parse("UTC"), Some(Zone::Iana(chrono_tz::UTC)));
        assert!(matches!(Zone::parse("Europe/Berlin"), Some(Zone::Iana(_))));
        assert_eq!(Zone::parse("+02:00"), Some(Zone::Fixed(FixedOffset::east_opt(7200).unwrap())));
        assert_eq!(Zone::parse("-0530"), Some(Zone::Fixed(FixedOffset::west_opt(5 * 3600 + 1800).unwrap())));
        assert_eq!(Zone::parse("Mars/Olympus"), None);
        assert_eq!(Zone::parse("+25:00"), None);
    }

    #[test]
    fn daylight_saving_gap_is_an_error() {
        let berlin = Zone::parse("Europe/Berlin").unwrap();
        let gap = NaiveDate::from_ymd_opt(2025, 3, 30).unwrap().and_hms_opt(2, 30, 0).unwrap();
        assert!(berlin.localize(gap).unwrap_err().contains("does not exist"));
        let summer = NaiveDate::from_ymd_opt(2025, 7, 1).unwrap().and_hms_opt(12, 0, 0).unwrap();
        let t = berlin.localize(summer).unwrap();
        assert_eq!(berlin.offset_label(t), "UTC+02:00");
    }
}
