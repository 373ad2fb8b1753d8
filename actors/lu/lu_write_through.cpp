// Write-through for the LU shell (issue 10 section 3, docs/durability.md):
// FUA writes, writes with the write cache off (SBC-4 4.12) and SYNCHRONIZE
// CACHE (SBC-4 5.24) wait for an fdatasync of their file submitted after
// their data completed. io::group_commit shares one fdatasync among every
// task waiting on the same fd, with at most one in flight per fd; a failed
// fdatasync fails every task it answers (finish() turns the -errno into
// the core's sense, MEDIUM ERROR for a write), so none is reported GOOD.
#include <caf/all.hpp>

#include "actors/lu/lu_actor.hpp"

namespace stmfd {

io::group_commit lu_actor::make_group_commit() {
  auto submit = [this](int fd) {
    ring_->fsync(fd, true, caf::actor_cast<caf::actor>(this), sync_cookie_bit | uint32_t(fd));
  };
  auto answer = [this](uint64_t cookie, int result) {
    auto it = inflight_.find(cookie);
    if (it != inflight_.end()) step_done(cookie, it->second, result);
  };
  return io::group_commit(submit, answer);
}

void lu_actor::sync_after(int fd, uint64_t cookie) { syncs_.join(fd, cookie); }

}  // namespace stmfd
