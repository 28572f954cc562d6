//! Progress reporting: an indicatif bar on a terminal, one plain line per event otherwise
//! (CI logs, pipes, tests).

use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Reports the dump's progress on stderr.
#[derive(Debug)]
pub struct Progress {
    bar: Option<ProgressBar>,
    total: AtomicUsize,
    done: AtomicUsize,
}

impl Progress {
    /// A bar when stderr is a terminal, plain lines otherwise.
    pub fn new() -> Self {
        let bar = std::io::stderr().is_terminal().then(|| {
            let bar = ProgressBar::new(0);
            bar.set_style(
                ProgressStyle::with_template(
                    "{spinner} [{elapsed_precise}] {bar:40} {pos}/{len} models {wide_msg}",
                )
                .expect("a valid progress template"),
            );
            bar
        });
        Progress {
            bar,
            total: AtomicUsize::new(0),
            done: AtomicUsize::new(0),
        }
    }

    /// A step outside the per-model loop.
    pub fn step(&self, message: &str) {
        match &self.bar {
            Some(bar) => bar.set_message(message.to_owned()),
            None => eprintln!("dump: {message}"),
        }
    }

    /// The per-model loop is about to handle `total` models.
    pub fn start_models(&self, total: usize) {
        self.total.store(total, Ordering::Relaxed);
        if let Some(bar) = &self.bar {
            bar.set_length(total as u64);
        }
    }

    /// One model is done; `outcome` says how it went.
    pub fn model_done(&self, model: &str, outcome: &str) {
        let done = self.done.fetch_add(1, Ordering::Relaxed) + 1;
        let total = self.total.load(Ordering::Relaxed);
        match &self.bar {
            Some(bar) => {
                bar.inc(1);
                bar.set_message(format!("{model}: {outcome}"));
            }
            None => eprintln!("dump: [{done}/{total}] {model}: {outcome}"),
        }
    }

    /// Something the user must see even with a bar (a skipped model).
    pub fn warn(&self, message: &str) {
        match &self.bar {
            Some(bar) => bar.println(format!("warning: {message}")),
            None => eprintln!("warning: {message}"),
        }
    }

    /// Removes the bar.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
