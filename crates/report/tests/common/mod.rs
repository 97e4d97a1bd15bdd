//! Test databases on both engines: held once, in `danvan-testkit`.
#![allow(unused_imports)]

pub use danvan_testkit::*;
