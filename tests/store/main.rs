//! The store's contract (issue 13 §5): what every caller relies on, stated once and run on a
//! fresh SQLite database and on a fresh PostgreSQL database, through `tocsin::store::Store`'s
//! public API. PostgreSQL unreachable (`TOCSIN_TEST_PG`): the PostgreSQL half fails.

mod support;

mod alerts;
mod answers;
mod changes;
mod inbound;
mod incidents;
mod outbox;
mod receipts;
mod reports;
mod tokens;
mod volunteers;
