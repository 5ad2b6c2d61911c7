//! `eazybackup serve`: the customer HTTP API and SSE stream (being written).
