//! Regular expressions written in the source: compiled once each (in a `LazyLock`),
//! and shown to compile by the tests that run every one of them.

/// Compiles a pattern that is a constant of the source.
pub fn compile(pattern: &'static str) -> regex::Regex {
    // A constant of the source, not input: a typo in it is a bug the tests catch.
    #[allow(clippy::expect_used)]
    regex::Regex::new(pattern).expect("a constant pattern compiles")
}
