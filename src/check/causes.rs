//! Causes: one primary, unique ids, `because_of` that names causes, and no cycles.

use crate::diag::{Code, Diagnostic, suggest};
use crate::model::*;
use std::collections::{HashMap, HashSet};
use std::path::Path;

pub(super) fn causes(inc: &Incident, path: &Path, d: &mut Vec<Diagnostic>) {
    let primaries: Vec<&Cause> = inc.causes.iter().filter(|c| c.primary).collect();
    if primaries.len() > 1 {
        let mut diag = Diagnostic::new(
            Code::TwoPrimaryCauses,
            format!("{} causes are marked primary; at most one may be", primaries.len()),
        )
        .at(path, primaries[1].span)
        .label("second primary cause")
        .hint("keep `primary = true` on the main cause only; give the others role = \"contributing\" or \"trigger\"");
        diag = diag.also(path, primaries[0].span, "first primary cause");
        d.push(diag);
    }
    let mut ids: HashMap<&str, Span> = HashMap::new();
    for c in &inc.causes {
        if let Some(id) = &c.id
            && let Some(first) = ids.insert(id, c.span)
        {
            d.push(
                Diagnostic::new(Code::DuplicateId, format!("cause id \"{id}\" is used twice"))
                    .at(path, c.span)
                    .also(path, first, "first used here")
                    .hint("give each cause its own id"),
            );
        }
    }
    for c in &inc.causes {
        for b in &c.because_of {
            if !ids.contains_key(b.value.as_str()) {
                let hint = suggest(
                    &b.value,
                    ids.keys().copied(),
                    "`because_of` names the `id` of another cause in this record".to_string(),
                );
                d.push(
                    Diagnostic::new(Code::UnknownReference, format!("no cause has id \"{}\"", b.value))
                        .at(path, b.span)
                        .hint(hint),
                );
            }
        }
    }
    cause_cycles(inc, path, d);
}

/// Every cycle of `because_of`, reported once, at its first cause in record order.
/// Strongly connected components (Tarjan's algorithm, iterative), so that thousands
/// of causes take linear time.
fn cause_cycles(inc: &Incident, path: &Path, d: &mut Vec<Diagnostic>) {
    let index: HashMap<&str, usize> =
        inc.causes.iter().enumerate().filter_map(|(i, c)| Some((c.id.as_deref()?, i))).collect();
    let edges: Vec<Vec<usize>> = inc
        .causes
        .iter()
        .map(|c| {
            let mut e: Vec<usize> = c.because_of.iter().filter_map(|b| index.get(b.value.as_str()).copied()).collect();
            e.dedup();
            e
        })
        .collect();
    for component in strongly_connected(&edges) {
        let Some(&first) = component.iter().min() else { continue };
        let looped = component.len() > 1 || edges[first].contains(&first);
        if !looped {
            continue;
        }
        let cycle = cycle_through(first, &component, &edges);
        let names: Vec<&str> = cycle.iter().map(|&i| inc.causes[i].id.as_deref().unwrap_or("?")).collect();
        d.push(
            Diagnostic::new(Code::CauseCycle, format!("causes form a cycle: {}", names.join(" → ")))
                .at(path, inc.causes[first].span)
                .hint("a causal chain must end; remove one `because_of` link"),
        );
    }
}

/// The strongly connected components of a graph given as adjacency lists.
fn strongly_connected(edges: &[Vec<usize>]) -> Vec<Vec<usize>> {
    let n = edges.len();
    let mut index = vec![usize::MAX; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut next = 0;
    let mut out = Vec::new();
    for root in 0..n {
        if index[root] != usize::MAX {
            continue;
        }
        // (node, next edge to look at)
        let mut work = vec![(root, 0usize)];
        index[root] = next;
        low[root] = next;
        next += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some(&mut (v, ref mut e)) = work.last_mut() {
            if let Some(&w) = edges[v].get(*e) {
                *e += 1;
                if index[w] == usize::MAX {
                    index[w] = next;
                    low[w] = next;
                    next += 1;
                    stack.push(w);
                    on_stack[w] = true;
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                let mut component = Vec::new();
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    component.push(w);
                    if w == v {
                        break;
                    }
                }
                out.push(component);
            }
        }
    }
    out
}

/// A shortest cycle from `start` back to itself inside `component` (breadth first).
fn cycle_through(start: usize, component: &[usize], edges: &[Vec<usize>]) -> Vec<usize> {
    let inside: HashSet<usize> = component.iter().copied().collect();
    let mut came_from: HashMap<usize, usize> = HashMap::new();
    let mut queue = std::collections::VecDeque::from([start]);
    while let Some(v) = queue.pop_front() {
        for &w in &edges[v] {
            if w == start {
                let mut path = vec![start];
                let mut at = v;
                while at != start {
                    path.push(at);
                    at = came_from[&at];
                }
                path.push(start);
                let last = path.len() - 1;
                path[1..last].reverse();
                return path;
            }
            if inside.contains(&w) && !came_from.contains_key(&w) {
                came_from.insert(w, v);
                queue.push_back(w);
            }
        }
    }
    vec![start, start]
}
