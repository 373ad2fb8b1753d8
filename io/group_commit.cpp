#include "io/group_commit.hpp"

#include <utility>

namespace stmfd::io {

group_commit::group_commit(submit_fn submit, answer_fn answer)
    : submit_(std::move(submit)), answer_(std::move(answer)) {}

void group_commit::join(int fd, uint64_t waiter) {
  ++joined_;
  file_state& f = files_[fd];
  if (f.in_flight) {
    f.next.push_back(waiter);  // the sync in flight may predate this data
    return;
  }
  f.covered.push_back(waiter);
  submit(fd, f);
}

void group_commit::submit(int fd, file_state& f) {
  f.in_flight = true;
  ++syncs_;
  submit_(fd);  // may complete at once (a stopped ring): synced() copes, the state is set
}

void group_commit::synced(int fd, int result) {
  auto it = files_.find(fd);
  if (it == files_.end() || !it->second.in_flight) return;  // not ours: nothing waits for it
  file_state& f = it->second;
  std::vector<uint64_t> done = std::move(f.covered);
  f.covered.clear();
  f.in_flight = false;
  if (result < 0) {  // the queued data may have been in the failed writeback
    done.insert(done.end(), f.next.begin(), f.next.end());
    f.next.clear();
  }
  if (!f.next.empty()) {
    f.covered = std::move(f.next);
    f.next.clear();
    submit(fd, f);
  } else {
    files_.erase(it);
  }
  // The state is settled: answers may join again (and submit) from here.
  for (uint64_t w : done) answer_(w, result);
}

bool group_commit::in_flight(int fd) const {
  auto it = files_.find(fd);
  return it != files_.end() && it->second.in_flight;
}

size_t group_commit::queued(int fd) const {
  auto it = files_.find(fd);
  return it == files_.end() ? 0 : it->second.next.size();
}

}  // namespace stmfd::io
