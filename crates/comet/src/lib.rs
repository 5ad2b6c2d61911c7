//! Comet Server API client.
