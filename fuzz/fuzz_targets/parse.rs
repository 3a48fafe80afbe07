//! See `newsdex::fuzzing::fuzz_parse`: the input layout and the invariants live in the library,
//! so that `tests/fuzz_regressions.rs` replays found inputs through the same code.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| newsdex::fuzzing::fuzz_parse(data));
