//! The record format's duration: `"2h"`, `"1h30m"`, `"3d 4h"`, `"90s"`, `"2w"`.
//!
//! No published crate parses this exact grammar (units `w d h m s` in that
//! order, each at most once, optionally separated by spaces), and accepting a
//! looser one would let records drift from FORMAT.md; hence this small parser.

use std::fmt;

/// A span of time in whole seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Duration {
    secs: i64,
}

/// Why a duration string was rejected; `at` is the byte offset in the string.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct DurationError {
    pub message: String,
    pub at: usize,
}

/// The longest duration a record may state: 100 years. Sums of durations stay far
/// from overflowing.
pub const MAX_SECS: i64 = 100 * 366 * 86_400;

const UNITS: [(char, i64); 5] = [('w', 604_800), ('d', 86_400), ('h', 3_600), ('m', 60), ('s', 1)];

impl Duration {
    pub const ZERO: Duration = Duration { secs: 0 };

    pub fn from_secs(secs: i64) -> Self {
        Duration { secs }
    }

    pub fn from_minutes(minutes: i64) -> Self {
        Duration { secs: minutes * 60 }
    }

    pub fn secs(self) -> i64 {
        self.secs
    }

    pub fn is_negative(self) -> bool {
        self.secs < 0
    }

    pub fn abs(self) -> Self {
        Duration { secs: self.secs.abs() }
    }

    /// Parses the strict grammar of FORMAT.md.
    pub fn parse(text: &str) -> Result<Self, DurationError> {
        let err = |at: usize, message: String| DurationError { message, at };
        let bytes = text.as_bytes();
        let mut i = 0;
        let mut total: i64 = 0;
        let mut last_unit: Option<usize> = None;
        let mut parts = 0;
        while i < bytes.len() {
            if bytes[i] == b' ' {
                i += 1;
                continue;
            }
            let start = i;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            if start == i {
                let c = text[i..].chars().next().unwrap_or(' ');
                return Err(err(i, format!("expected a number at `{c}`; a duration is parts like `1h30m` or `3d 4h`")));
            }
            let number: i64 = text[start..i].parse().map_err(|_| err(start, "number is too large".to_string()))?;
            let Some(c) = text[i..].chars().next() else {
                return Err(err(
                    i,
                    format!(
                        "`{}` has no unit; add one of w, d, h, m, s (e.g. `{}m`)",
                        &text[start..i],
                        &text[start..i]
                    ),
                ));
            };
            if c.is_whitespace() {
                let n = &text[start..i];
                return Err(err(
                    i,
                    format!(
                        "`{n}` has no unit right after it; write the unit immediately after the number (`{n}h`, `{n}m`)"
                    ),
                ));
            }
            let Some(unit_index) = UNITS.iter().position(|(u, _)| *u == c) else {
                return Err(err(i, format!("unknown unit `{c}`; units are w, d, h, m and s")));
            };
            if let Some(prev) = last_unit {
                if unit_index == prev {
                    return Err(err(i, format!("unit `{c}` appears twice")));
                }
                if unit_index < prev {
                    return Err(err(
                        i,
                        format!("unit `{c}` comes after `{}`; write units largest first (w d h m s)", UNITS[prev].0),
                    ));
                }
            }
            last_unit = Some(unit_index);
            total = number
                .checked_mul(UNITS[unit_index].1)
                .and_then(|v| total.checked_add(v))
                .filter(|t| *t <= MAX_SECS)
                .ok_or_else(|| err(start, "duration is too large (at most 100 years)".to_string()))?;
            i += c.len_utf8();
            parts += 1;
        }
        if parts == 0 {
            return Err(err(0, "empty duration; write e.g. `30m` or `1h30m`".to_string()));
        }
        Ok(Duration { secs: total })
    }
}

/// Saturating: a sum never wraps around to a negative figure.
impl std::ops::Add for Duration {
    type Output = Duration;
    fn add(self, rhs: Duration) -> Duration {
        Duration { secs: self.secs.saturating_add(rhs.secs) }
    }
}

impl std::iter::Sum for Duration {
    fn sum<I: Iterator<Item = Duration>>(iter: I) -> Duration {
        iter.fold(Duration::ZERO, |a, b| a + b)
    }
}

/// Human form: `3h 42m`, `2d 1h`, `45s`, `0m`; negative values get a `-`.
impl fmt::Display for Duration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.secs < 0 {
            f.write_str("-")?;
        }
        let mut rest = self.secs.unsigned_abs();
        let mut parts = Vec::new();
        for (unit, size) in [('d', 86_400u64), ('h', 3_600), ('m', 60), ('s', 1)] {
            let n = rest / size;
            rest %= size;
            if n > 0 {
                parts.push(format!("{n}{unit}"));
            }
        }
        if parts.is_empty() {
            return f.write_str("0m");
        }
        f.write_str(&parts.join(" "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_form_of_the_spec() {
        for (text, secs) in [
            ("2h", 7200),
            ("30m", 1800),
            ("1h30m", 5400),
            ("3d 4h", 273_600),
            ("90s", 90),
            ("2w", 1_209_600),
            ("1w 2d 3h 4m 5s", 604_800 + 172_800 + 10_800 + 240 + 5),
            ("0m", 0),
        ] {
            assert_eq!(Duration::parse(text).unwrap().secs(), secs, "{text}");
        }
    }

    #[test]
    fn rejects_what_the_spec_forbids() {
        for (text, needle) in [
            ("", "empty"),
            ("   ", "empty"),
            ("2", "no unit"),
            ("2x", "unknown unit `x`"),
            ("2 hours", "no unit right after it"),
            ("30m2h", "comes after `m`"),
            ("1h1h", "twice"),
            ("h", "expected a number"),
            ("1.5h", "unknown unit `.`"),
            ("-1h", "expected a number"),
            ("99999999999999999999h", "too large"),
            ("9223372036854775807s", "too large"),
            ("5300w", "too large"),
        ] {
            let err = Duration::parse(text).unwrap_err();
            assert!(err.message.contains(needle), "{text}: {}", err.message);
        }
    }

    #[test]
    fn sums_saturate() {
        let big = Duration::from_secs(i64::MAX);
        assert_eq!((big + big).secs(), i64::MAX);
        assert_eq!(Duration::parse("5200w").unwrap().secs(), 5200 * 604_800);
    }

    #[test]
    fn displays_for_humans() {
        assert_eq!(Duration::from_secs(13_320).to_string(), "3h 42m");
        assert_eq!(Duration::from_secs(90).to_string(), "1m 30s");
        assert_eq!(Duration::from_secs(0).to_string(), "0m");
        assert_eq!(Duration::from_secs(273_600).to_string(), "3d 4h");
        assert_eq!(Duration::from_secs(-600).to_string(), "-10m");
    }
}
