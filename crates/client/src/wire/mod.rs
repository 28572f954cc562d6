//! The wire: HTTP requests and answers ([`transport`], with its retries of broken
//! connections in [`retry`]), and the four protocols a model method call can take
//! ([`protocol`]: XML-RPC, JSON-RPC, the web session, JSON-2), each encoding the call and
//! mapping the answer or the server's error to the crate's typed errors.

pub(crate) mod protocol;
pub(crate) mod retry;
pub(crate) mod transport;
