#!/usr/bin/env python3
# Copied from shared/bench/gen_records.py of the casebook steering repository (the
# benchmark's record generator), so that bench/ runs without ../shared.
"""Write N realistic synthetic incident records in the format of ../FORMAT.md.

Usage: gen_records.py --n N --out DIR [--seed S] [--shas FILE]

Deterministic for a given seed. Each record is 5-15 KB: ~20 timeline entries
with the key moments marked, 3 causes, 5 commits, changes, lessons, 10
actions, verification, effort, impact with metrics and a window, a runbook
(ids drawn from a pool, so incidents share runbooks), links and a section.
With --shas FILE (one full sha a line), commits come from that file, half of
them abbreviated to 7 characters; otherwise they are random hex.
"""
import argparse
import datetime as dt
import os
import random

WORDS = ("latency spike database primary replica failover connection pool exhausted request "
         "queue backlog deploy rollback canary config flag cache eviction memory pressure pause "
         "kernel upgrade certificate expiry dns timeout retry storm load balancer health check "
         "circuit breaker rate limiter shard rebalance index migration lock contention disk full "
         "log rotation alert threshold escalation checkout payment webhook broker consumer lag "
         "partition leader election quorum clock skew token session autoscaler quota").split()
SERVICES = ["payments-api", "checkout-web", "search-indexer", "auth-service", "notifications",
            "ledger-db", "edge-proxy", "inventory-sync", "billing-batch", "media-transcoder",
            "feature-flags", "user-profile"]
TEAMS = ["platform", "payments", "search", "identity", "growth", "infra", "data"]
CAUSE_KINDS = ["config", "code bug", "capacity", "dependency", "process", "monitoring gap",
               "infrastructure", "database state"]
KINDS = ["detection", "investigation", "action", "mitigation", "communication", "other"]
SEVERITIES = ["SEV1", "SEV2", "SEV3", "SEV4", "SEV5"]
MOMENTS = ["started", "detected", "acknowledged", "identified", "mitigated", "resolved"]


def q(s):
    return '"' + s.replace('\\', '\\\\').replace('"', '\\"') + '"'


def ml(s):
    return '"""\n' + s.replace('\\', '\\\\').replace('"""', '\\"""') + '\n"""'


def phrase(r, lo, hi):
    return " ".join(r.choice(WORDS) for _ in range(r.randint(lo, hi)))


def sentence(r, lo=8, hi=18):
    s = phrase(r, lo, hi)
    return s[0].upper() + s[1:] + "."


def para(r, n):
    return " ".join(sentence(r) for _ in range(n))


def iso(t):
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def dur(minutes):
    h, m = divmod(minutes, 60)
    return (f"{h}h" if h else "") + (f"{m}m" if m or not h else "")


def record(r, i, shas):
    day = dt.datetime(2019, 1, 1, tzinfo=dt.timezone.utc) + dt.timedelta(days=r.randint(0, 2500))
    start = day + dt.timedelta(minutes=r.randint(0, 20 * 60))
    title = sentence(r, 4, 8).rstrip(".")
    slug = f"{start:%Y-%m-%d}-{i:05d}-" + "-".join(title.lower().split()[:4])
    services = r.sample(SERVICES, r.randint(1, 3))
    commits = []
    for _ in range(5):
        full = r.choice(shas) if shas else "%040x" % r.getrandbits(160)
        commits.append(full[:7] if r.random() < 0.5 else full)
    out = [f"format = 1", f'id = "INC-{start:%Y}-{i:05d}"', f"title = {q(title)}",
           f"date = {start:%Y-%m-%d}", 'timezone = "UTC"', f"severity = {q(r.choice(SEVERITIES))}",
           f'status = {q(r.choice(["resolved", "closed", "monitoring"]))}',
           "services = [" + ", ".join(q(s) for s in services) + "]",
           "tags = [" + ", ".join(q(w) for w in r.sample(WORDS, 3)) + "]",
           f"authors = [{q(r.choice(TEAMS) + ' team')}]",
           f"summary = {ml(para(r, 3))}", f"created = {iso(start + dt.timedelta(days=2))}",
           f"conclusion = {ml(para(r, 2))}"]
    runbook_id = f"runbook-{r.randint(1, 50):02d}"
    out.append(f"runbooks = [{q(runbook_id)}]")
    n = r.randint(16, 24)
    times = sorted(start + dt.timedelta(minutes=r.randint(0, 300)) for _ in range(n))
    times[0] = start
    marks = {0: "started", 1: "detected", 2: "acknowledged", n // 2: "identified",
             n - 3: "mitigated", n - 1: "resolved"}
    out += ["", "[impact]", f"summary = {q(sentence(r))}", f"users_affected = {r.randint(0, 50000)}",
            'data_loss = "none"', f'revenue = "{r.randint(0, 90000)} USD"',
            "", "[[impact.metrics]]", 'name = "requests failed"', f"value = {r.randint(100, 10**7)}",
            'unit = "requests"', 'bound = "about"',
            "", "[[impact.windows]]", f"scope = {q(services[0])}", f"from = {iso(times[0])}",
            f"to = {iso(times[n - 3])}", 'level = "degraded"']
    for k, t in enumerate(times):
        out += ["", "[[timeline]]", f"at = {iso(t)}", f"title = {q(phrase(r, 2, 5))}",
                f"kind = {q(r.choice(KINDS))}", f"body = {q(sentence(r))}"]
        if k in marks:
            out.append(f'marks = ["{marks[k]}"]')
        if k % 7 == 3:
            out.append(f"commits = [{q(commits[k % 5])}]")
    roles = ["root", "contributing", "trigger"]
    for k in range(3):
        out += ["", "[[causes]]", f'id = "c{k + 1}"', f"title = {q(phrase(r, 3, 6))}",
                f"role = {q(roles[k])}", f"kind = {q(r.choice(CAUSE_KINDS))}",
                f"description = {q(para(r, 2))}", f"impact = {q(sentence(r))}",
                f"fix = {q(sentence(r))}", f"commits = [{q(commits[k])}]"]
        if k == 0:
            out.append("primary = true")
        if k == 2:
            out.append('because_of = ["c2"]')
    out += ["", "[[commits]]", f"sha = {q(commits[4])}", f"note = {q(phrase(r, 3, 6))}"]
    out += ["", "[[changes]]", f'path = "src/{r.choice(WORDS)}/{r.choice(WORDS)}.rs"',
            f"summary = {q(sentence(r))}", f"commits = [{q(commits[1])}]",
            "", "[[changes]]", f'setting = "{r.choice(services)} {r.choice(WORDS)}_limit"',
            f'from = "{r.randint(1, 64)}"', f'to = "{r.randint(65, 512)}"', f"at = {iso(times[-3])}"]
    for _ in range(3):
        out += ["", "[[lessons]]", f"title = {q(phrase(r, 3, 6))}", f"problem = {q(sentence(r))}",
                "takeaways = [" + ", ".join(q(sentence(r)) for _ in range(2)) + "]"]
    for k in range(10):
        due = (start + dt.timedelta(days=r.randint(7, 120))).date()
        out += ["", "[[actions]]", f"title = {q(phrase(r, 4, 8))}",
                f'kind = {q(r.choice(["prevent", "detect", "mitigate", "process", "document"]))}',
                f'horizon = {q(r.choice(["immediate", "short", "long"]))}',
                f"owner = {q(r.choice(TEAMS))}", f"due = {due}",
                f'status = {q(r.choice(["open", "in-progress", "done", "done", "dropped"]))}',
                f'ticket = "OPS-{r.randint(100, 9999)}"']
    for k in range(3):
        out += ["", "[[verification]]", f"item = {q(phrase(r, 3, 6))}",
                f"done = {'true' if k else 'false'}"]
    for a in ["Investigation", "Mitigation", "Fix", "Review", "Documentation"]:
        out += ["", "[[effort]]", f"activity = {q(a)}", f'duration = "{dur(r.randint(5, 240))}"']
    out += ["", "[[runbook]]", f"id = {q(runbook_id)}", f"title = {q('When ' + phrase(r, 3, 5))}",
            "symptoms = [" + ", ".join(q(f"E{r.randint(1000, 9999)} {phrase(r, 2, 4)}") for _ in range(2)) + "]",
            f"services = [{q(services[0])}]", f"owner = {q(r.choice(TEAMS))}",
            f"reviewed = {(start + dt.timedelta(days=3)).date()}",
            "verify = [" + q(sentence(r)) + "]"]
    for k in range(3):
        out += ["", "[[runbook.steps]]", f"title = {q(phrase(r, 2, 5))}", f"body = {q(sentence(r))}",
                f'command = "kubectl -n {services[0]} rollout restart deploy/{r.choice(WORDS)}"']
    out += ["", "[[links]]", 'title = "Incident channel"', f'url = "https://chat.example.com/c/{i}"',
            'kind = "chat"', "", "[[sections]]", f"title = {q(phrase(r, 2, 4).title())}",
            'after = "causes"', f"body = {ml(para(r, 4))}"]
    return slug, "\n".join(out) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--shas")
    a = ap.parse_args()
    r = random.Random(a.seed)
    shas = [l.strip() for l in open(a.shas)] if a.shas else None
    os.makedirs(a.out, exist_ok=True)
    for i in range(a.n):
        slug, text = record(r, i, shas)
        with open(os.path.join(a.out, slug + ".toml"), "w") as f:
            f.write(text)


if __name__ == "__main__":
    main()
