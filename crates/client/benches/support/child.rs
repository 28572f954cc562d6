//! A server in a child process of the bench (the bench binary itself, started again with an
//! environment variable set), so that the CPU the bench counts ([`cpu`](super::cpu)) is the
//! client's alone.

use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Command, Stdio};

/// The child; it stops when dropped (its stdin closes).
pub struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        drop(self.0.stdin.take());
        let _ = self.0.wait();
    }
}

/// Starts this binary again with `serve_var` set; the child's first line is its URL.
pub fn start(serve_var: &str) -> (Server, String) {
    let mut child = Command::new(std::env::current_exe().unwrap())
        .env(serve_var, "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut url = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut url)
        .unwrap();
    (Server(child), url.trim().to_owned())
}

/// The child's side: prints `url` for [`start`], then waits until the parent closes stdin.
pub async fn announce_and_wait(url: &str) {
    println!("{url}");
    tokio::task::spawn_blocking(|| std::io::stdin().read_to_end(&mut Vec::new()))
        .await
        .unwrap()
        .unwrap();
}
