//! Memory: how the process asks the kernel for pages.
//!
//! The binary allocates with mimalloc, which asks for 2 MB ("huge") pages. They are most of what
//! it gains the indexer, whose hash tables span hundreds of megabytes (Reuters ×30 indexed 14–16%
//! faster than with glibc's malloc; without huge pages most of that gain was gone). A search
//! touches a few megabytes, and zeroing whole 2 MB pages added 0.6–0.7 ms to its start, so
//! everything but indexing turns them off.

/// Turns huge pages off for the rest of this process (Linux; elsewhere nothing happens).
pub fn without_huge_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_THP_DISABLE takes plain integers, no pointers, and only sets a flag of this
    // process; a kernel without it returns an error, which changes nothing.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    #[test]
    fn huge_pages_are_off_afterwards() {
        super::without_huge_pages();
        // SAFETY: as above; PR_GET_THP_DISABLE only reads the flag.
        let disabled = unsafe { libc::prctl(libc::PR_GET_THP_DISABLE, 0, 0, 0, 0) };
        assert_eq!(disabled, 1);
    }
}
