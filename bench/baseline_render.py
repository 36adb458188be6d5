#!/usr/bin/env python3
# Copied from shared/bench/baseline_render.py of the casebook steering repository
# (the baseline a team would write instead of casebook), so that bench/ runs without ../shared.
"""The script a team would write instead of casebook: Python tomllib + Jinja2.

Usage: baseline_render.py IN_DIR OUT_DIR    (needs: pip install jinja2)

Reads every record (*.toml) in IN_DIR, computes time to detect / mitigate /
resolve and the effort total, renders each through baseline_postmortem.md.j2,
and writes an mdBook source tree: OUT_DIR/book.toml, src/SUMMARY.md, one page
per incident, pages by service, severity and month, one page per runbook id
with the incidents that share it, and an action tracker. Single process.
"""
import collections
import datetime as dt
import os
import re
import sys
import tomllib

import jinja2

UNITS = {"w": 604800, "d": 86400, "h": 3600, "m": 60, "s": 1}


def seconds(text):
    return sum(int(n) * UNITS[u] for n, u in re.findall(r"(\d+)([wdhms])", text))


def human(secs):
    if secs is None:
        return "not recorded"
    sign, secs = ("-" if secs < 0 else ""), abs(int(secs))
    parts = []
    for u in "dhm":
        n, secs = divmod(secs, UNITS[u])
        if n:
            parts.append(f"{n}{u}")
    return sign + (" ".join(parts) or "0m")


def moments(inc):
    found = {k: inc[k] for k in ("introduced", "started", "detected", "acknowledged",
                                 "identified", "mitigated", "resolved") if k in inc}
    for entry in inc.get("timeline", []):
        for m in entry.get("marks", []):
            found[m] = entry["at"]
    return {k: v for k, v in found.items() if isinstance(v, dt.datetime)}


def figures(inc):
    m = moments(inc)
    base = m.get("started") or m.get("detected")
    since = lambda key, frm: human((m[key] - frm).total_seconds()) if key in m and frm else "not recorded"
    return {
        "time_to_detect": since("detected", m.get("started")),
        "time_to_mitigate": since("mitigated", base),
        "time_to_resolve": since("resolved", base),
        "effort_total": human(sum(seconds(e["duration"]) for e in inc.get("effort", []))),
    }


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def main():
    in_dir, out_dir = sys.argv[1], sys.argv[2]
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(os.path.dirname(os.path.abspath(__file__))),
                             trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    page = env.get_template("baseline_postmortem.md.j2")
    src = os.path.join(out_dir, "src")
    incidents, runbooks, actions = [], collections.defaultdict(list), []
    for name in sorted(n for n in os.listdir(in_dir) if n.endswith(".toml")):
        with open(os.path.join(in_dir, name), "rb") as f:
            inc = tomllib.load(f)
        slug = name[:-5]
        write(os.path.join(src, "incidents", slug + ".md"), page.render(inc=inc, fig=figures(inc), slug=slug))
        incidents.append((slug, inc))
        for rb in inc.get("runbook", []):
            runbooks[rb["id"]].append((slug, inc, rb))
        for a in inc.get("actions", []):
            if a.get("status", "open") in ("open", "in-progress"):
                actions.append((a.get("due"), a.get("owner", "unowned"), a["title"], slug))

    def index(title, key):
        groups = collections.defaultdict(list)
        for slug, inc in incidents:
            for k in key(inc):
                groups[k].append((slug, inc))
        lines = [f"# {title}\n"]
        for k in sorted(groups):
            lines.append(f"\n## {k}\n")
            lines += [f"- [{inc['title']}](incidents/{slug}.md)" for slug, inc in groups[k]]
        return "\n".join(lines) + "\n"

    write(os.path.join(src, "by-service.md"), index("By service", lambda i: i.get("services", ["unknown"])))
    write(os.path.join(src, "by-severity.md"), index("By severity", lambda i: [i.get("severity", "none")]))
    write(os.path.join(src, "by-month.md"), index("By month", lambda i: [str(i.get("date") or i["timeline"][0]["at"])[:7]]))
    for rid, uses in runbooks.items():
        rb = uses[0][2]
        lines = [f"# {rb['title']}\n", "Symptoms: " + ", ".join(f"`{s}`" for s in rb.get("symptoms", [])) + "\n"]
        for n, step in enumerate(rb.get("steps", []), 1):
            lines.append(f"{n}. {step['title']}\n\n   ```\n   {step.get('command', '')}\n   ```\n")
        lines.append("\n## Seen in\n")
        lines += [f"- [{inc['title']}](../incidents/{slug}.md)" for slug, inc, _ in uses]
        write(os.path.join(src, "runbooks", rid + ".md"), "\n".join(lines) + "\n")
    actions.sort(key=lambda a: (str(a[0]), a[1]))
    write(os.path.join(src, "actions.md"), "# Open actions\n\n| due | owner | action |\n|---|---|---|\n" +
          "".join(f"| {d} | {o} | [{t}](incidents/{s}.md) |\n" for d, o, t, s in actions))
    summary = ["# Summary\n", "- [By service](by-service.md)", "- [By severity](by-severity.md)",
               "- [By month](by-month.md)", "- [Open actions](actions.md)", "\n# Runbooks\n"]
    summary += [f"- [{u[0][2]['title']}](runbooks/{rid}.md)" for rid, u in sorted(runbooks.items())]
    summary += ["\n# Incidents\n"] + [f"- [{inc['title']}](incidents/{slug}.md)" for slug, inc in incidents]
    write(os.path.join(src, "SUMMARY.md"), "\n".join(summary) + "\n")
    write(os.path.join(out_dir, "book.toml"), '[book]\ntitle = "Postmortems"\nsrc = "src"\n')
    print(f"rendered {len(incidents)} incidents", file=sys.stderr)


if __name__ == "__main__":
    main()
