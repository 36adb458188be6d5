//! The `casebook` command line: parses the arguments and calls the library.

use clap::Parser;
use std::process::ExitCode;

// A build makes millions of small strings on every core; mimalloc's per-thread heaps
// take about a fifth off a cold build of 10,000 records against glibc's malloc.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `purge_delay` option (`mi_option_purge_delay` in mimalloc.h; the
/// sys crate names no constant for it).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Keeps freed memory for reuse instead of handing it back to the OS a second
/// later. A command runs for seconds and exits; memory handed back and faulted in
/// again costs the kernel a page clear each time, which measured a tenth of a cold
/// build of 10,000 records (bench/run.sh). `serve` stays up, so it keeps purging.
fn keep_freed_memory() {
    // SAFETY: mi_option_set only stores an option value; any value is valid for it.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1) }
}

fn main() -> ExitCode {
    let cli = match casebook::cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    if !matches!(cli.command, casebook::cli::Command::Serve(_)) {
        keep_freed_memory();
    }
    ExitCode::from(casebook::cli::run(cli))
}

#[cfg(test)]
mod tests {
    /// Index 15 must be the purge delay: its default is 1000 ms in mimalloc 3, the
    /// only option with that default.
    #[test]
    fn the_purge_delay_option_is_the_one_set() {
        // SAFETY: reads an option value.
        assert_eq!(unsafe { libmimalloc_sys::mi_option_get(super::MI_OPTION_PURGE_DELAY) }, 1000);
    }
}
