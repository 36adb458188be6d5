//! A record written from FORMAT.md alone loads without change, every key included.

use crate::project::*;

#[test]
fn maximal_record_from_the_spec_loads_and_checks() {
    let p = Project::maximal();
    let (code, err) = p.check();
    assert_eq!(code, 0, "{err}");
    // The first configured repository is the default for bare shas; it has no path,
    // so its commits are unverified: one warning, no errors.
    assert!(err.contains("2 records checked, 0 errors, 1 warning"), "{err}");
    assert!(err.contains("warning[W0108]: commits cannot be verified: repository `infra` has no `path`"), "{err}");
}

#[test]
fn maximal_record_lowers_every_value() {
    use casebook::model::*;
    let (_, inc, diags) = casebook::load::parse_record(
        "maximal",
        MAXIMAL.as_bytes().to_vec(),
        std::path::Path::new("maximal.toml"),
        None,
    )
    .unwrap();
    assert!(diags.is_empty(), "{diags:?}");
    let inc = inc.unwrap();
    assert_eq!(inc.id, "INC-2025-011");
    assert_eq!(inc.zone.name(), "Europe/Berlin");
    // 23:40 local on 29 March is CET (+01:00); 00:05 on the 30th is still before the 02:00 switch.
    assert_eq!(inc.moment(MomentKind::Started).unwrap().at.to_rfc3339(), "2025-03-29T23:40:00+01:00");
    assert_eq!(inc.moment(MomentKind::Detected).unwrap().at.to_rfc3339(), "2025-03-29T23:47:00+01:00");
    assert_eq!(inc.moment(MomentKind::Resolved).unwrap().at.to_rfc3339(), "2025-03-30T01:30:00+01:00");
    assert_eq!(inc.timeline[0].at.precision, Precision::Day);
    assert_eq!(inc.timeline[1].at.precision, Precision::Approximate);
    assert_eq!(inc.timeline[2].until.unwrap().at.to_rfc3339(), "2025-03-29T23:52:00+01:00");
    let impact = inc.impact.as_ref().unwrap();
    assert_eq!(impact.windows[1].to.unwrap().at.to_rfc3339(), "2025-03-30T01:30:00+01:00");
    assert_eq!(impact.windows[2].to, None);
    assert_eq!(impact.metrics[0].bound, Bound::About);
    assert_eq!(inc.actions[0].id, "pool-alert");
    assert_eq!(inc.actions[1].id, "A2");
    assert_eq!(inc.actions[1].due.unwrap().last_day().to_string(), "2025-05-31");
    assert_eq!(inc.actions[2].due.unwrap().last_day().to_string(), "2025-09-30");
    assert_eq!(inc.commits[1].commit.repository.as_deref(), Some("infra"));
    assert!(matches!(inc.changes[1].target, ChangeTarget::Setting { .. }));
    assert!(!inc.changes[2].committed);
    assert_eq!(inc.sections[0].after, SectionAnchor::Timeline);
    assert_eq!(inc.sections[2].after, SectionAnchor::Conclusion);
    assert_eq!(casebook::figures::effort_total(&inc).to_string(), "5h");
    assert_eq!(inc.runbooks[0].steps.len(), 2);
    assert_eq!(inc.links[2].kind, LinkKind::Pr);
}
