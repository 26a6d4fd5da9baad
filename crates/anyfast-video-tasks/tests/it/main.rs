//! The durable tasks' integration tests, one binary: tasks on a real store (SQLite and a
//! throwaway PostgreSQL) against anyfast-mock, and a service killed mid-wait.

mod common;
mod store;
