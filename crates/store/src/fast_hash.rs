//! The hash map of the bulk import's in-memory maps: rustc's Fx hash, a
//! few instructions a key, for keys that come from the file being
//! imported by an official, not from an attacker racing the server.
//! (rustc-hash 2 mixes the bytes of string keys well enough that codes
//! differing only in their last digits spread over the table; the
//! earlier hand copy of the first Fx hash did not, and spent a quarter of
//! the parser's time comparing codes that landed on the same slot.)

pub(crate) type FxMap<K, V> = rustc_hash::FxHashMap<K, V>;
