//! The least any tool built on the `toml` crate does with a folder of records:
//! read each file and parse it into a plain `toml::Table`, on every core. No
//! spans, no checks, no output. `bench/run.sh` times it beside `casebook build`
//! and the I/O floor, to show how much of a build the parser alone takes.
//!
//! Usage: cargo run --release --example toml_floor -- DIR

use rayon::prelude::*;

fn main() {
    let Some(dir) = std::env::args_os().nth(1) else {
        eprintln!("usage: toml_floor DIR");
        std::process::exit(2);
    };
    let files: Vec<std::path::PathBuf> = match std::fs::read_dir(&dir) {
        Ok(entries) => entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .collect(),
        Err(e) => {
            eprintln!("cannot read {}: {e}", std::path::Path::new(&dir).display());
            std::process::exit(2);
        }
    };
    let keys: usize = files
        .par_iter()
        .map(|p| {
            let text = std::fs::read_to_string(p).unwrap_or_default();
            text.parse::<toml::Table>().map(|t| t.len()).unwrap_or(0)
        })
        .sum();
    println!("{} files, {keys} top-level keys", files.len());
}
