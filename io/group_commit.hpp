#pragma once
// Group commit of write-through writes (issue 10 section 3, docs/durability.md).
//
// A write that must be durable before its status (FUA, the write cache off:
// SBC-4 4.12) and SYNCHRONIZE CACHE (SBC-4 5.24) both need "an fdatasync of
// the file that started after my data reached the page cache". One
// fdatasync can serve every such request that was waiting when it was
// submitted, so at queue depth a file sees a few syncs instead of one per
// write.
//
// Contract (per file descriptor, all calls from one thread: the owning
// actor; nothing here is thread-safe):
// - join(fd, waiter): the caller's write to fd has completed (its
//   completion was seen) or a SYNCHRONIZE CACHE arrived. The waiter is
//   answered by the first fdatasync of fd submitted after this call, never
//   by one submitted before it (that one may have written the file back
//   before the waiter's data was there).
// - At most one fdatasync per fd is in flight. With none in flight, join
//   submits one at once; otherwise the waiter is queued, and the queue is
//   submitted as one fdatasync when the one in flight completes.
// - synced(fd, result): the fdatasync in flight on fd completed (0 or
//   -errno). Success answers every waiter it covered with 0. An error
//   answers every waiter it covered with the error, and the queued waiters
//   too: their data completed before the error was seen, so it may have been
//   in the writeback that failed, and Linux reports a writeback error to one
//   fdatasync only (a later one could succeed with their data lost). A
//   waiter answered with an error must not be reported GOOD.
// - Every waiter is answered exactly once, through `answer`, after the
//   state of fd is settled: `answer` may call join (the waiter's next step)
//   and even submit the next fdatasync from inside synced().
// - The fd must stay open while it has waiters (the caller's tasks that
//   wait hold it, as they hold their own I/O).
#include <cstddef>
#include <cstdint>
#include <functional>
#include <unordered_map>
#include <vector>

namespace stmfd::io {

class group_commit {
 public:
  // Submits one fdatasync of fd; its result must come back as synced(fd, r).
  using submit_fn = std::function<void(int fd)>;
  // Answers one waiter: 0 (its data is durable) or -errno.
  using answer_fn = std::function<void(uint64_t waiter, int result)>;

  group_commit(submit_fn submit, answer_fn answer);

  void join(int fd, uint64_t waiter);
  void synced(int fd, int result);

  // fdatasyncs submitted so far (all files), and waiters joined so far.
  uint64_t syncs_submitted() const { return syncs_; }
  uint64_t joined() const { return joined_; }
  // Whether fd has an fdatasync in flight; waiters queued for the next one.
  bool in_flight(int fd) const;
  size_t queued(int fd) const;

 private:
  struct file_state {
    bool in_flight = false;
    std::vector<uint64_t> covered;  // answered by the fdatasync in flight
    std::vector<uint64_t> next;     // joined after it was submitted
  };
  void submit(int fd, file_state& f);

  submit_fn submit_;
  answer_fn answer_;
  std::unordered_map<int, file_state> files_;
  uint64_t syncs_ = 0, joined_ = 0;
};

}  // namespace stmfd::io
