//! The schema as the two migration folders leave it (issue 13 §5): a fresh SQLite and a fresh
//! PostgreSQL database, migrated by tocsin itself, must have the same tables, columns, keys,
//! indexes and allowed values; and the allowed values are refused otherwise (issue 13 §1).

mod backends;
mod model;
mod parity;
mod read_postgres;
mod read_sqlite;
mod vocabulary;
