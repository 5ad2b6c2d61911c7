//! The live-event envelope (`StreamableEvent`) and typed access to its payload.

use super::device::DeviceConfig;
use super::job::BackupJobDetail;
use super::meta::ServerMetaVersionInfo;
use super::profile::UserProfileConfig;
use super::wire::{Extra, is_default};
use crate::EventType;
use serde::{Deserialize, Serialize};

/// One event from the stream (also what webhooks POST).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct StreamableEvent {
    /// Who caused it (may be an admin acting on someone else's account).
    #[serde(rename = "Actor")]
    pub actor: String,
    /// Tenant of the affected resource.
    #[serde(rename = "OwnerOrganizationID")]
    pub owner_organization_id: String,
    /// Job GUID, device ID, username, or request path, depending on the type.
    #[serde(rename = "ResourceID", skip_serializing_if = "is_default")]
    pub resource_id: String,
    /// `SEVT_*` code.
    #[serde(rename = "Type")]
    pub r#type: EventType,
    /// Unix seconds.
    #[serde(rename = "Timestamp", skip_serializing_if = "is_default")]
    pub timestamp: i64,
    /// Constant name of `Type`.
    #[serde(rename = "TypeString", skip_serializing_if = "is_default")]
    pub type_string: String,
    /// Payload; its type depends on `Type`.
    #[serde(rename = "Data", skip_serializing_if = "Option::is_none")]
    pub data: Option<serde_json::Value>,
    /// Keys this crate does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

/// The payload of an event, decoded by its type.
#[derive(Debug, Clone, PartialEq)]
pub enum EventData {
    /// `SEVT_JOB_NEW` / `SEVT_JOB_COMPLETED`.
    Job(Box<BackupJobDetail>),
    /// `SEVT_ACCOUNT_NEW` / `SEVT_ACCOUNT_UPDATED`.
    Profile(Box<UserProfileConfig>),
    /// `SEVT_META_HELLO`.
    Hello(Box<ServerMetaVersionInfo>),
    /// `SEVT_DEVICE_NEW`.
    Device(Box<DeviceConfig>),
    /// Any other type with a payload.
    Other(serde_json::Value),
    /// No payload.
    None,
}

impl StreamableEvent {
    /// Decode `Data` according to `Type`. A payload of the wrong shape is an error; unknown
    /// types give [`EventData::Other`].
    pub fn decode_data(&self) -> Result<EventData, serde_json::Error> {
        let Some(data) = self.data.clone().filter(|d| !d.is_null()) else {
            return Ok(EventData::None);
        };
        Ok(match self.r#type {
            t if t.is_job() => EventData::Job(Box::new(serde_json::from_value(data)?)),
            t if t.carries_profile() => EventData::Profile(Box::new(serde_json::from_value(data)?)),
            EventType::META_HELLO => EventData::Hello(Box::new(serde_json::from_value(data)?)),
            EventType::DEVICE_NEW => EventData::Device(Box::new(serde_json::from_value(data)?)),
            _ => EventData::Other(data),
        })
    }

    /// The account the event is about: `Data.Username` when present, else `Actor` (which may be
    /// an administrator acting on someone else's account).
    pub fn owner_username(&self) -> &str {
        self.data
            .as_ref()
            .and_then(|d| d.get("Username"))
            .and_then(|u| u.as_str())
            .filter(|u| !u.is_empty())
            .unwrap_or(&self.actor)
    }
}
