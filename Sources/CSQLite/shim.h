#include <sqlite3.h>
#include <malloc.h>

// SQLITE_TRANSIENT is a cast macro Swift cannot import: SQLite copies the bound
// bytes before the bind call returns.
static inline sqlite3_destructor_type mediate_sqlite_transient(void) {
    return SQLITE_TRANSIENT;
}

// mallopt's constants are macros of <malloc.h>, which Swift's Glibc module leaves out.
// Freed memory stays with the process (up to 64 MiB above the heap's top, grown a
// mebibyte at a time) instead of going back to the system after every free.
static inline void mediate_keep_freed_memory(void) {
    mallopt(M_TRIM_THRESHOLD, 64 << 20);
    mallopt(M_TOP_PAD, 1 << 20);
}
