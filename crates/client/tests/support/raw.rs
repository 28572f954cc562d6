//! A TCP server on 127.0.0.1 below HTTP: it reads each whole request (headers and
//! Content-Length body), then does what its script says: answer, close without answering,
//! reset the connection (SO_LINGER 0), or send a truncated answer. One request per
//! connection; the last step repeats.
#![allow(dead_code)]

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// What the server does once it has read a whole request.
#[derive(Clone, Debug)]
pub enum Step {
    /// A complete `200 text/xml` answer with this body.
    Answer(Vec<u8>),
    /// Close the connection without a byte of answer.
    Close,
    /// Reset the connection (RST, SO_LINGER 0) without answering.
    Reset,
    /// Announce this body's length, send half of it, close.
    Truncate(Vec<u8>),
}

/// The running server; stops when dropped.
pub struct RawServer {
    pub addr: SocketAddr,
    requests: Arc<Mutex<Vec<Vec<u8>>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for RawServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl RawServer {
    /// Serves `script` on an ephemeral port of 127.0.0.1.
    pub async fn start(script: Vec<Step>) -> RawServer {
        assert!(!script.is_empty(), "a script needs at least one step");
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        let requests = Arc::new(Mutex::new(Vec::new()));
        let log = requests.clone();
        let task = tokio::spawn(async move {
            while let Ok((mut stream, _)) = listener.accept().await {
                let Some(body) = read_request(&mut stream).await else {
                    continue;
                };
                let step = {
                    let mut log = log.lock().unwrap();
                    log.push(body);
                    script[(log.len() - 1).min(script.len() - 1)].clone()
                };
                act(stream, step).await;
            }
        });
        RawServer {
            addr,
            requests,
            task,
        }
    }

    /// `http://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The bodies of the requests read so far.
    pub fn requests(&self) -> Vec<Vec<u8>> {
        self.requests.lock().unwrap().clone()
    }
}

/// Reads one request; returns its body.
async fn read_request(stream: &mut TcpStream) -> Option<Vec<u8>> {
    let mut data = Vec::new();
    let mut buf = [0u8; 8192];
    let head_end = loop {
        if let Some(end) = data.windows(4).position(|w| w == b"\r\n\r\n") {
            break end + 4;
        }
        let n = stream.read(&mut buf).await.ok()?;
        if n == 0 {
            return None;
        }
        data.extend_from_slice(&buf[..n]);
    };
    let head = String::from_utf8_lossy(&data[..head_end]).to_ascii_lowercase();
    let length: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0);
    while data.len() < head_end + length {
        let n = stream.read(&mut buf).await.ok()?;
        if n == 0 {
            return None;
        }
        data.extend_from_slice(&buf[..n]);
    }
    Some(data[head_end..].to_vec())
}

async fn act(mut stream: TcpStream, step: Step) {
    let head = |len: usize| {
        format!(
            "HTTP/1.1 200 OK\r\ncontent-type: text/xml\r\ncontent-length: {len}\r\nconnection: close\r\n\r\n"
        )
    };
    match step {
        Step::Answer(body) => {
            let _ = stream.write_all(head(body.len()).as_bytes()).await;
            let _ = stream.write_all(&body).await;
            let _ = stream.shutdown().await;
        }
        Step::Close => {
            let _ = stream.shutdown().await;
        }
        Step::Reset => {
            socket2::SockRef::from(&stream)
                .set_linger(Some(std::time::Duration::ZERO))
                .expect("SO_LINGER");
            drop(stream);
        }
        Step::Truncate(body) => {
            let _ = stream.write_all(head(body.len()).as_bytes()).await;
            let _ = stream.write_all(&body[..body.len() / 2]).await;
            let _ = stream.shutdown().await;
        }
    }
}
