//! Plain HTTP calls to a spawned `serve` (any method, optional token and JSON body), and reading
//! the operations of its OpenAPI document.

use std::time::Duration;

use reqwest::Method;
use reqwest::header::HeaderMap;
use serde_json::Value;

/// One answer: status, JSON body (`Null` when it is not JSON) and headers.
pub struct Answer {
    pub status: u16,
    pub body: Value,
    pub headers: HeaderMap,
}

impl Answer {
    pub fn code(&self) -> &str {
        self.body["error"]["code"].as_str().unwrap_or("<none>")
    }
}

/// `method url` with `Authorization: Bearer token` and `body` as JSON when given. Streaming
/// answers (the event stream) are not read past their headers.
pub async fn call(method: &Method, url: &str, token: Option<&str>, body: Option<&Value>) -> Answer {
    let client = reqwest::Client::builder().timeout(Duration::from_secs(10)).build().unwrap();
    let mut req = client.request(method.clone(), url);
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    if let Some(b) = body {
        req = req.json(b);
    }
    let resp = req.send().await.unwrap_or_else(|e| panic!("{method} {url}: {e}"));
    let status = resp.status().as_u16();
    let headers = resp.headers().clone();
    let is_stream = headers.get("content-type").is_some_and(|v| v.as_bytes().starts_with(b"text/event-stream"));
    let body = if is_stream { Value::Null } else { resp.json().await.unwrap_or(Value::Null) };
    Answer { status, body, headers }
}

/// One operation of the document.
#[derive(Debug, Clone)]
pub struct Operation {
    pub method: Method,
    /// As documented, e.g. `/api/v1/services/{id}/activity`.
    pub path: String,
    pub operation_id: String,
    /// Needs a token (has a `security` requirement).
    pub secured: bool,
    /// The statuses it documents.
    pub statuses: Vec<u16>,
}

impl Operation {
    pub fn is_write(&self) -> bool {
        self.method != Method::GET
    }

    pub fn key(&self) -> String {
        format!("{} {}", self.method, self.path)
    }
}

/// Every operation of an OpenAPI document, in document order.
pub fn operations(doc: &Value) -> Vec<Operation> {
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("the document has paths") {
        for (name, op) in item.as_object().expect("a path item is an object") {
            let Ok(method) = Method::from_bytes(name.to_ascii_uppercase().as_bytes()) else { continue };
            if !matches!(method, Method::GET | Method::POST | Method::PUT | Method::PATCH | Method::DELETE) {
                continue;
            }
            let secured = op["security"].as_array().is_some_and(|s| !s.is_empty());
            let statuses =
                op["responses"].as_object().map(|r| r.keys().filter_map(|k| k.parse().ok()).collect()).unwrap_or_default();
            out.push(Operation {
                method,
                path: path.clone(),
                operation_id: op["operationId"].as_str().unwrap_or_default().to_string(),
                secured,
                statuses,
            });
        }
    }
    out
}
