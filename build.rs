//! Links the `newsdex` binary as a position-dependent executable on Linux.
//!
//! Why: a PIE binary of this size carries ~38,000 relative relocations that the loader applies
//! at every start, touching ~200 pages of `.data.rel.ro` — about a millisecond of a 5 ms
//! one-shot `search`. Linked without PIE they are resolved once, at link time. The shared
//! libraries, heap, stack and memory maps are still placed at random addresses; only the
//! executable's own image is at a fixed one. Set `NEWSDEX_PIE=1` when building to keep PIE.
fn main() {
    println!("cargo:rerun-if-env-changed=NEWSDEX_PIE");
    let linux_gnu = std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux")
        && std::env::var("CARGO_CFG_TARGET_ENV").as_deref() == Ok("gnu");
    if linux_gnu && std::env::var_os("NEWSDEX_PIE").is_none() {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
}
