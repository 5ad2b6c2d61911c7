//! The Comet → table mapping: how the Comet wire types (`comet` crate models) become the rows our
//! tables hold. The worker writes through it, and so will the daily reconcile sync; the database
//! layer takes only the row types it produces and never names a Comet type.
//!
//! The conversions are constructors of the `db` row types (`DeviceInfo::from_config`,
//! `ItemRow::from_source`, …) written here, beside each other, so one file per table says what
//! of Comet's data reaches it. Nothing here touches the network, the database or the worker's
//! state. Secrets never reach a row: a protected item's stored content is the allow-list
//! projection of `db::item_content`, a vault's is [`VaultContent`](crate::db::vaults::VaultContent),
//! an account keeps counts, not its profile.

mod account;
mod devices;
mod items;
mod jobs;
mod users;
mod vaults;

pub use account::AccountRows;
pub use devices::connected_registration;
