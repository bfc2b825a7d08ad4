//! The process allocator: mimalloc (a maintained, fast, thread-caching
//! allocator). Imports hand each chunk of rows from the sheet reader to the
//! checker to the store writer, so memory is freed on other threads than
//! the one that allocated it; glibc's arenas serialise that on a lock, and
//! about a fifth of an import's CPU went to malloc and free.
//!
//! Every binary declares it with [`crate::global_allocator!`], which also
//! sets its options before the program's first allocation (an ELF
//! constructor: the first arena is reserved on the first allocation, and
//! options set later would not apply to it).

pub use mimalloc::MiMalloc;

/// `mi_option_arena_eager_commit` in mimalloc.h (v2 and v3): arenas commit
/// their memory only as it is used, so purged memory leaves the resident
/// set instead of lingering in it.
const ARENA_EAGER_COMMIT: std::os::raw::c_int = 4;

/// `mi_option_purge_delay` in mimalloc.h (v2 and v3): how long freed
/// memory stays resident before it is returned, in ms.
const PURGE_DELAY: std::os::raw::c_int = 15;

/// The purge delay we run with. mimalloc v3 (the one built) waits 1,000 ms
/// (v2 waited 10): an import frees and reallocates each 10,000-row chunk
/// well within that. Measured on the release benches (two runs each, runs
/// differ by some 10 %): at 1,000 ms the 50,000-row registration import
/// took 1.53-1.62 s at 318-345 MB, at 50 ms 1.71-1.88 s at 254-268 MB
/// (purged pages fault back in when reused), at 200 ms 1.56-1.58 s at
/// 287-294 MB; the roster import moved less. 200 ms keeps most of the time
/// and some of the memory.
const PURGE_DELAY_MS: std::os::raw::c_long = 200;

/// Sets the allocator's options (run by the constructor the macro declares).
pub fn configure() {
    // SAFETY: mi_option_set only stores the value of a valid option index.
    unsafe {
        libmimalloc_sys::mi_option_set(ARENA_EAGER_COMMIT, 0);
        libmimalloc_sys::mi_option_set(PURGE_DELAY, PURGE_DELAY_MS);
    }
}

/// Declares mimalloc the global allocator of the binary it is used in.
#[macro_export]
macro_rules! global_allocator {
    () => {
        #[global_allocator]
        static GLOBAL: $crate::alloc::MiMalloc = $crate::alloc::MiMalloc;

        #[cfg(target_os = "linux")]
        #[used]
        #[unsafe(link_section = ".init_array")]
        static CONFIGURE_ALLOCATOR: extern "C" fn() = {
            extern "C" fn configure() {
                $crate::alloc::configure();
            }
            configure
        };
    };
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_option_is_the_one_mimalloc_names() {
        // SAFETY: reading an option by its valid index.
        let default = unsafe { libmimalloc_sys::mi_option_get(super::ARENA_EAGER_COMMIT) };
        // 2 is arena_eager_commit's documented default ("enable just on
        // overcommit systems"); its neighbours default to 1.
        assert_eq!(default, 2);
        super::configure();
        // SAFETY: reading an option by its valid index.
        let v = unsafe { libmimalloc_sys::mi_option_get(super::ARENA_EAGER_COMMIT) };
        assert_eq!(v, 0);
    }
}
