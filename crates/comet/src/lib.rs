#![warn(missing_docs)]
//! Comet Backup Server API client: constants with labels, serde models that round-trip unknown
//! fields, the form-encoded Admin API client ([`AdminClient`]), conditional profile updates
//! ([`AdminClient::update_profile`]) and the live event stream client ([`events::EventStream`]).
//!
//! The status mapping in [`status`] is the one source of truth for the whole project.

mod admin_api;
pub mod classification;
pub mod client;
mod decode;
pub mod download;
pub mod engine;
pub mod error;
pub mod event_type;
pub mod events;
mod form;
pub mod models;
pub mod status;
mod tls;
pub mod totp;
mod update;
mod user_web;
pub mod vault_type;

pub use admin_api::AddUserOptions;
pub use classification::JobClassification;
pub use client::{AdminClient, Credentials, Timeouts};
pub use download::Download;
pub use engine::engine_label;
pub use error::CometError;
pub use event_type::EventType;
pub use models::*;
pub use status::{JobStatus, StatusClass, status_label};
pub use user_web::UserWebClient;
pub use vault_type::{DestinationType, vault_type_label};
