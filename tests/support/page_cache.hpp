#pragma once
// Page-cache state of a byte range of a file, through cachestat(2) (Linux
// 6.5; Debian 12's headers predate it, so the call is made by number). The
// tests of ranged syncs use it to see which pages a sync wrote back: a page
// a sync covered is neither dirty nor under writeback afterwards.
#include <cerrno>
#include <cstdint>
#include <optional>

#include <sys/syscall.h>
#include <unistd.h>

#ifndef __NR_cachestat
#define __NR_cachestat 451  // the same number on every architecture (generic table)
#endif

namespace stmfd::test {

struct page_cache_state {
  uint64_t cached = 0;     // pages of the range in the page cache
  uint64_t dirty = 0;      // of them, dirty
  uint64_t writeback = 0;  // of them, being written back
  uint64_t unsynced() const { return dirty + writeback; }
};

// nullopt when the kernel has no cachestat (ENOSYS) or refuses the fd.
inline std::optional<page_cache_state> page_cache_of(int fd, uint64_t offset, uint64_t len) {
  struct {
    uint64_t off, len;
  } range{offset, len};
  struct {
    uint64_t nr_cache, nr_dirty, nr_writeback, nr_evicted, nr_recently_evicted;
  } st{};
  if (::syscall(__NR_cachestat, fd, &range, &st, 0u) != 0) return std::nullopt;
  return page_cache_state{st.nr_cache, st.nr_dirty, st.nr_writeback};
}

}  // namespace stmfd::test
