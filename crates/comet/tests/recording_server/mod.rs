//! A fake Comet server that records every request (path and form fields) and answers with
//! canned bodies; shared by the endpoint tests and the debug-log test.

use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use comet::{AdminClient, Credentials};
use serde_json::json;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

pub type Fields = HashMap<String, String>;

#[derive(Default)]
pub struct Recorder {
    pub log: Mutex<Vec<(String, Fields)>>,
}

/// Canned answers by path; everything else is `{"Status":200,"Message":"OK"}`.
fn answer(path: &str) -> (StatusCode, HeaderMap, Vec<u8>) {
    let mut headers = HeaderMap::new();
    headers.insert("content-type", HeaderValue::from_static("application/json"));
    let body = match path {
        "/api/v1/admin/account/session-start"
        | "/api/v1/user/web/session/start"
        | "/api/v1/admin/account/session-start-as-user"
        | "/api/v1/hybrid/session/start" => {
            json!({"Status": 200, "Message": "OK", "SessionKey": "sk-test", "SessionType": "admin"})
        }
        "/api/v1/admin/branding/generate-client/by-platform" => {
            headers.insert("content-type", HeaderValue::from_static("application/octet-stream"));
            headers.insert(
                "content-disposition",
                HeaderValue::from_static("attachment; filename=\"Comet Backup 25.9.6 (x64).zip\""),
            );
            return (StatusCode::OK, headers, b"PK\x03\x04installer".to_vec());
        }
        "/api/v1/admin/get-job-log" => {
            return (StatusCode::OK, HeaderMap::new(), b"{\"Status\":500,\"Message\":\"no such job\"}".to_vec());
        }
        "/api/v1/admin/branding/available-platforms" => {
            json!({"7": {"Category": "Linux", "Description": "Linux (generic)", "Recommended": false},
                   "21": {"Category": "Linux", "Description": "Debian package", "Recommended": true}})
        }
        "/api/v1/admin/count-jobs-for-custom-search" => json!({"Count": 42}),
        "/api/v1/admin/get-jobs-for-custom-search" | "/api/v1/user/web/get-jobs" => json!([]),
        "/gen/branding.props" => json!({"BrandName": "eazyBackup", "ProductName": "eazyBackup", "ExpiredInSeconds": 1800}),
        "/api/v1/admin/policies/list" => json!({"pol-1": "Standard"}),
        "/api/v1/admin/news/get-all" | "/api/v1/user/web/news/get-all" => {
            json!({"n1": {"OrganizationID": "", "DateTime": 1795000000, "TextContent": "Maintenance"}})
        }
        "/api/v1/admin/dispatcher/request-filesystem-objects" | "/api/v1/admin/dispatcher/request-stored-objects" => {
            json!({"Status": 200, "Message": "OK", "StoredObjects": [{"name": "C:", "mtime": 0, "type": "dir", "subtree": "t1", "size": 0}]})
        }
        "/api/v1/admin/dispatcher/run-restore-custom" | "/api/v1/admin/dispatcher/run-restore" => {
            json!({"Status": 200, "Message": "OK", "JobID": "job-r1"})
        }
        _ => json!({"Status": 200, "Message": "OK"}),
    };
    (StatusCode::OK, headers, body.to_string().into_bytes())
}

async fn handle(State(rec): State<Arc<Recorder>>, uri: Uri, body: axum::body::Bytes) -> Response {
    let path = uri.path().to_owned();
    let fields: Fields = url::form_urlencoded::parse(&body).into_owned().collect();
    rec.log.lock().unwrap().push((path.clone(), fields));
    answer(&path).into_response()
}

pub async fn serve() -> (String, Arc<Recorder>) {
    let rec = Arc::new(Recorder::default());
    let app = axum::Router::new().fallback(handle).with_state(rec.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{addr}"), rec)
}

pub fn admin(origin: &str) -> AdminClient {
    let creds = Credentials { username: "admin".into(), password: "admin-pw".into(), ..Credentials::default() };
    AdminClient::new(origin, creds).unwrap()
}

/// The last request made to `path`.
#[allow(dead_code)] // each test binary uses part of this module
pub fn last(rec: &Recorder, path: &str) -> Fields {
    rec.log
        .lock()
        .unwrap()
        .iter()
        .rev()
        .find(|(p, _)| p == path)
        .map(|(_, f)| f.clone())
        .unwrap_or_else(|| panic!("no request to {path}"))
}
