//! The JSON Schemas of the record format and of casebook.toml, derived from the
//! loader's own types so that they cannot drift.

use crate::load::RawIncident;

/// Where `init` writes the schema; records point at it with `#:schema ../casebook.schema.json`.
pub const SCHEMA_FILE: &str = "casebook.schema.json";

/// The JSON Schema of the record format, from the loader's own types.
pub fn record_schema() -> String {
    let schema = schemars::schema_for!(RawIncident);
    let mut s = serde_json::to_string_pretty(&schema).unwrap_or_default();
    s.push('\n');
    s
}

/// The JSON Schema of casebook.toml.
pub fn config_schema() -> String {
    let schema = schemars::schema_for!(crate::config::RawConfig);
    let mut s = serde_json::to_string_pretty(&schema).unwrap_or_default();
    s.push('\n');
    s
}
