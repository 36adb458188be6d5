//! A new record: its id, its file name, and a skeleton with every section.

use chrono::{Datelike, NaiveDate, NaiveDateTime};

/// The next id for `format`, one past the highest sequence number already used this year.
pub fn next_id(format: &crate::config::IdFormat, existing: &[&str], today: NaiveDate) -> String {
    format.next(existing, today.year())
}

/// A slug from a date and a title: `2025-11-16-checkout-returned-500`.
pub fn slug(date: NaiveDate, title: &str) -> String {
    let words: Vec<String> = title
        .to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(6)
        .map(str::to_string)
        .collect();
    let mut s = format!("{date}-{}", words.join("-"));
    if words.is_empty() {
        s.push_str("incident");
    }
    s.chars().take(72).collect::<String>().trim_end_matches('-').to_string()
}

fn toml_string(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// A new record with every section present, the optional ones commented out.
pub fn skeleton(
    id: &str,
    title: &str,
    date: NaiveDate,
    now: Option<NaiveDateTime>,
    severity: &Option<String>,
    services: &[String],
    example: bool,
) -> String {
    let services = services.iter().map(|s| toml_string(s)).collect::<Vec<_>>().join(", ");
    let at = now.map_or("00:00:00".to_string(), |n| n.format("%H:%M:00").to_string());
    let mut s = String::new();
    s.push_str("#:schema ../casebook.schema.json\n");
    s.push_str("# An incident record (casebook's record format, version 1). `casebook check` validates it;\n");
    s.push_str("# `casebook render ");
    s.push_str(&slug(date, title));
    s.push_str("` shows the postmortem. Uncomment what you know.\n");
    s.push_str(&format!(
        "format = 1\nid = {}\ntitle = {}\ndate = {date}\ntimezone = \"UTC\"\n",
        toml_string(id),
        toml_string(title)
    ));
    match severity {
        Some(sev) => s.push_str(&format!("severity = {}\n", toml_string(sev))),
        None => s.push_str("# severity = \"SEV3\"\n"),
    }
    s.push_str("status = \"investigating\"\n");
    s.push_str(&format!("services = [{services}]\n"));
    s.push_str("tags = []\nauthors = []\n");
    s.push_str(
        "summary = \"\"\"\nWhat happened, in a paragraph: who was affected, what they saw, what fixed it.\n\"\"\"\n",
    );
    s.push_str("# started = 2025-11-16T20:50:00Z      # impact began (or mark it on a timeline entry)\n");
    s.push_str("# conclusion = \"\"\"Closing paragraph.\"\"\"\n# related = []\n# runbooks = []\n\n");
    s.push_str("# [impact]\n# summary = \"Who and what was affected.\"\n# downtime = \"45m\"\n# users_affected = 0\n# data_loss = \"none\"\n# revenue = \"none\"\n\n");
    s.push_str(&format!(
        "[[timeline]]\nat = {at}\ntitle = \"Incident declared\"\nkind = \"detection\"\nmarks = [\"detected\"]\n{}\n",
        if example { "body = \"How it was noticed: an alert, a customer report...\"\n" } else { "" }
    ));
    s.push_str("# [[timeline]]\n# at = 21:10:00\n# title = \"What was done\"\n# kind = \"investigation\"   # detection, investigation, action, mitigation, resolution, communication, other\n# marks = [\"identified\"]    # introduced, started, detected, acknowledged, identified, mitigated, resolved\n# commits = [\"abc1234\"]\n\n");
    s.push_str("# [[causes]]\n# title = \"The cause\"\n# role = \"root\"           # root, contributing, trigger\n# kind = \"config\"\n# description = \"\"\n# fix = \"\"\n# commits = []\n\n");
    s.push_str("# [[changes]]\n# path = \"src/file.rs\"      # or: setting = \"service max_connections\", from = \"\", to = \"\"\n# summary = \"\"\n\n");
    s.push_str("# [[lessons]]\n# title = \"\"\n# problem = \"\"\n# takeaways = []\n\n");
    s.push_str("# [[actions]]\n# title = \"\"\n# kind = \"prevent\"        # prevent, detect, mitigate, process, document, other\n# horizon = \"short\"       # immediate, short, long\n# owner = \"\"\n# due = \"2026-01\"         # a date, \"YYYY-MM\" or \"YYYY-Qn\"\n\n");
    s.push_str("# [[verification]]\n# item = \"\"\n# done = false\n\n");
    s.push_str("# [[effort]]\n# activity = \"Investigation\"\n# duration = \"1h30m\"\n\n");
    s.push_str("# [[runbook]]\n# id = \"what-to-do-next-time\"\n# title = \"\"\n# symptoms = []\n# steps = [{ title = \"\", command = \"\" }]\n\n");
    s.push_str("# [[links]]\n# title = \"\"\n# url = \"https://\"\n# kind = \"pr\"\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_count_within_the_year() {
        let d = NaiveDate::from_ymd_opt(2025, 11, 16).unwrap();
        let f = crate::config::IdFormat::default();
        assert_eq!(next_id(&f, &[], d), "INC-2025-001");
        assert_eq!(next_id(&f, &["INC-2025-007", "INC-2024-099", "X"], d), "INC-2025-008");
    }

    #[test]
    fn slugs_are_readable() {
        let d = NaiveDate::from_ymd_opt(2025, 11, 16).unwrap();
        assert_eq!(slug(d, "Checkout returned 500 for EU users!"), "2025-11-16-checkout-returned-500-for-eu-users");
        assert_eq!(slug(d, "???"), "2025-11-16-incident");
    }
}
