//! A scripted HTTP server on 127.0.0.1 (hyper 1): answers each request with the next
//! [`Reply`] of its script (the last one repeats), or of the route its body names (for
//! requests sent side by side, whose order is not known), and records every request it
//! receives.
#![allow(dead_code)]

use std::convert::Infallible;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bytes::Bytes;
use futures_util::StreamExt;
use http_body_util::{BodyExt, Full, StreamBody, combinators::BoxBody};
use hyper::body::Frame;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;

/// The captures folder, found from this crate's manifest (never a hard-coded path).
pub fn wire_dir() -> PathBuf {
    test_captures::path("odoo17/wire")
}

/// The bytes of `wire/<name>.<part>.xml`.
pub fn capture(name: &str, part: &str) -> Vec<u8> {
    let path = wire_dir().join(format!("{name}.{part}.xml"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// One scripted answer.
#[derive(Clone, Debug)]
pub enum Reply {
    /// 200, `text/xml`, this body (as Odoo answers, faults included).
    Xml(Vec<u8>),
    /// Any status, content type and body.
    Raw {
        status: u16,
        content_type: &'static str,
        body: Vec<u8>,
    },
    /// Any status with these headers (Location, Retry-After, Content-Encoding, …) and body.
    Headed {
        status: u16,
        headers: Vec<(&'static str, String)>,
        body: Vec<u8>,
    },
    /// The reply for the request's path (e.g. `/xmlrpc/2/common`); 404 for any other path.
    ByPath(Vec<(&'static str, Reply)>),
    /// Wait before answering.
    Delayed(Duration, Box<Reply>),
    /// 200 `text/xml`, the body sent in `chunks` pieces with `pause` between them (no
    /// Content-Length: chunked transfer).
    Slow {
        body: Vec<u8>,
        chunks: usize,
        pause: Duration,
    },
}

impl Reply {
    /// The captured response `wire/<name>.response.xml`.
    pub fn capture(name: &str) -> Self {
        Reply::Xml(capture(name, "response"))
    }
    /// A successful response carrying `value`.
    pub fn value<T: serde::Serialize>(value: &T) -> Self {
        Reply::Xml(openspp_xmlrpc::to_response(value).expect("encodable"))
    }
    /// A JSON answer (JSON-2: 200 with the result, or an error status with the error object).
    pub fn json(status: u16, body: &serde_json::Value) -> Self {
        Reply::Raw {
            status,
            content_type: "application/json; charset=utf-8",
            body: serde_json::to_vec(body).expect("encodable"),
        }
    }
}

/// A received request.
#[derive(Clone, Debug)]
pub struct Received {
    /// When it arrived.
    pub at: Instant,
    pub path: String,
    pub headers: hyper::HeaderMap,
    pub body: Vec<u8>,
}

impl Received {
    /// A header's value, if present and text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
    /// The body parsed as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).expect("a JSON body")
    }
}

/// The running server; stops when dropped.
pub struct Replay {
    pub addr: SocketAddr,
    received: Arc<Mutex<Vec<Received>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Replay {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Replay {
    /// Starts serving `script` on an ephemeral port of 127.0.0.1.
    pub async fn start(script: Vec<Reply>) -> Replay {
        Self::start_on([127, 0, 0, 1], script).await
    }

    /// Starts serving `script` on an ephemeral port of the loopback address `ip`
    /// (127.0.0.2 is another host for the client).
    pub async fn start_on(ip: [u8; 4], script: Vec<Reply>) -> Replay {
        assert!(!script.is_empty(), "a script needs at least one reply");
        Self::serve(ip, Script::Sequence(script)).await
    }

    /// Starts serving on 127.0.0.1: each request is answered by the first route whose text
    /// its body contains (e.g. `<string>load</string>`), with that route's next reply (its
    /// last one repeats); 404 when none matches.
    pub async fn start_routed(routes: Vec<(&'static str, Vec<Reply>)>) -> Replay {
        assert!(
            routes.iter().all(|(_, replies)| !replies.is_empty()),
            "a route needs at least one reply"
        );
        let taken = Mutex::new(vec![0; routes.len()]);
        Self::serve([127, 0, 0, 1], Script::Routed { routes, taken }).await
    }

    async fn serve(ip: [u8; 4], script: Script) -> Replay {
        let listener = TcpListener::bind((std::net::Ipv4Addr::from(ip), 0))
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        let received = Arc::new(Mutex::new(Vec::new()));
        let script = Arc::new(script);
        let log = received.clone();
        let task = tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    return;
                };
                let log = log.clone();
                let script = script.clone();
                tokio::spawn(async move {
                    let service = service_fn(move |req| {
                        let log = log.clone();
                        let script = script.clone();
                        async move { Ok::<_, Infallible>(answer(req, &log, &script).await) }
                    });
                    // Connection errors (client gave up) are expected in failure tests.
                    let _ = http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        });
        Replay {
            addr,
            received,
            task,
        }
    }

    /// `http://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The requests received so far.
    pub fn received(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }
}

/// What a server answers.
enum Script {
    /// The next reply, whatever the request.
    Sequence(Vec<Reply>),
    /// The next reply of the first route whose text the body contains.
    Routed {
        routes: Vec<(&'static str, Vec<Reply>)>,
        /// Replies given per route.
        taken: Mutex<Vec<usize>>,
    },
}

impl Script {
    fn reply(&self, nth: usize, body: &[u8]) -> Reply {
        match self {
            Script::Sequence(script) => script[nth.min(script.len() - 1)].clone(),
            Script::Routed { routes, taken } => {
                let text = String::from_utf8_lossy(body);
                let Some(route) = routes.iter().position(|(needle, _)| text.contains(needle))
                else {
                    return Reply::Raw {
                        status: 404,
                        content_type: "text/plain",
                        body: b"no route".to_vec(),
                    };
                };
                let mut taken = taken.lock().unwrap();
                let replies = &routes[route].1;
                let reply = replies[taken[route].min(replies.len() - 1)].clone();
                taken[route] += 1;
                reply
            }
        }
    }
}

async fn answer(
    req: Request<hyper::body::Incoming>,
    log: &Mutex<Vec<Received>>,
    script: &Script,
) -> Response<BoxBody<Bytes, Infallible>> {
    let at = Instant::now();
    let path = req.uri().path().to_owned();
    let headers = req.headers().clone();
    let body = req
        .into_body()
        .collect()
        .await
        .map(|b| b.to_bytes().to_vec())
        .unwrap_or_default();
    let mut reply = {
        let mut log = log.lock().unwrap();
        let reply = script.reply(log.len(), &body);
        log.push(Received {
            at,
            path: path.clone(),
            headers,
            body,
        });
        reply
    };
    if let Reply::ByPath(routes) = reply {
        reply = routes
            .into_iter()
            .find(|(route, _)| *route == path)
            .map_or_else(
                || Reply::Raw {
                    status: 404,
                    content_type: "text/plain",
                    body: b"not found".to_vec(),
                },
                |(_, reply)| reply,
            );
    }
    render(reply).await
}

async fn render(reply: Reply) -> Response<BoxBody<Bytes, Infallible>> {
    let mut reply = reply;
    loop {
        match reply {
            Reply::Delayed(pause, inner) => {
                tokio::time::sleep(pause).await;
                reply = *inner;
            }
            Reply::ByPath(_) => {
                let body = b"a ByPath reply must be at the top of the script".to_vec();
                return respond(500, "text/plain", full(body));
            }
            Reply::Xml(body) => {
                return respond(200, "text/xml; charset=utf-8", full(body));
            }
            Reply::Raw {
                status,
                content_type,
                body,
            } => return respond(status, content_type, full(body)),
            Reply::Headed {
                status,
                headers,
                body,
            } => {
                let mut response = Response::builder().status(status);
                for (name, value) in headers {
                    response = response.header(name, value);
                }
                return response.body(full(body)).expect("valid response");
            }
            Reply::Slow {
                body,
                chunks,
                pause,
            } => {
                let size = body.len().div_ceil(chunks.max(1)).max(1);
                let pieces: Vec<Bytes> = body.chunks(size).map(Bytes::copy_from_slice).collect();
                let stream = futures_util::stream::iter(pieces).then(move |piece| async move {
                    tokio::time::sleep(pause).await;
                    Ok::<_, Infallible>(Frame::data(piece))
                });
                return respond(200, "text/xml", BoxBody::new(StreamBody::new(stream)));
            }
        }
    }
}

fn full(body: Vec<u8>) -> BoxBody<Bytes, Infallible> {
    BoxBody::new(Full::new(Bytes::from(body)))
}

fn respond(
    status: u16,
    content_type: &str,
    body: BoxBody<Bytes, Infallible>,
) -> Response<BoxBody<Bytes, Infallible>> {
    Response::builder()
        .status(status)
        .header("content-type", content_type)
        .body(body)
        .expect("valid response")
}
