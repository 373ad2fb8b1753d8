#pragma once
// The task set of one logical unit (SAM-5 8.6 task attributes, 8.7 task set
// management; SPC-4 7.5.8 QUEUE ALGORITHM MODIFIER) as a pure model: which
// live task may be processed now and which must be held. It owns no command
// and runs nothing; the LU shell actor adapts it to messages:
//   add       a command arrives: run it now, hold it, or refuse it;
//   finish    a command ended (completed, or aborted once it stopped
//             touching the medium): start what it returns, in that order;
//   find / for_each / remove_waiting(_if)
//             task management: held tasks are removed here, running ones are
//             aborted by the shell and then finished.
//
// Ordering rules (a newer task N against each older live task O):
//   - N HEAD OF QUEUE: waits for nothing (enters enabled at once).
//   - N ORDERED: waits for every older task. O ORDERED: every newer task but
//     HEAD OF QUEUE waits for it.
//   - Otherwise (SIMPLE, and ACA treated as SIMPLE) the pair of ser_class
//     values decides, like FreeBSD CTL's serialization table:
//       none        never waits (touches no medium or mode state);
//       mode_write, exclusive
//                   wait for every older task and hold every newer task
//                   whose class is not none;
//       mode_read   waits for an older mode_write (and exclusive) only;
//       read, write, flush
//                   with the restricted algorithm a write conflicts with an
//                   overlapping read, write or flush in either direction
//                   (reads and flushes never conflict with each other);
//                   with the unrestricted algorithm they never conflict.
//   An older HEAD OF QUEUE task is ordered against newer ones by these same
//   rules. Held tasks wait for older held tasks too, so conflicting tasks
//   start in arrival order; a held task is released as soon as every task it
//   waits for has ended, and releases are reported oldest first.
//
// Cost: the set preallocates `capacity` slots; add, finish and
// remove_waiting are O(size()) and never allocate (finish and remove_waiting
// append to the caller's vector, which allocates only if it is out of
// capacity). Not thread-safe: one LU shell owns one set.
#include "actors/model/command_class.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

namespace stmfd {

class task_set {
 public:
  // Chosen by the caller, unique among live tasks (a precondition of add).
  using handle = uint64_t;

  // Control mode page QUEUE ALGORITHM MODIFIER (SPC-4 7.5.8): 0h restricted
  // (the default), 1h unrestricted.
  enum class algorithm : uint8_t { restricted, unrestricted };

  enum class admit : uint8_t {
    run,         // entered the set enabled: process it now
    wait,        // entered the set held: a later finish or remove_waiting
                 // returns it in `ready` once nothing it waits for is live
    full,        // not entered: TASK SET FULL (SAM-5 5.3.1)
    overlapped,  // not entered: a live task of the same nexus has this tag
                 // (SAM-5 overlapped commands: the shell aborts that nexus's
                 // tasks and answers CHECK CONDITION)
  };

  // Admits at most `capacity` live tasks; every slot is allocated here.
  explicit task_set(size_t capacity);

  // A command entered the LU. The set is checked for room first, then for an
  // overlapped tag; on run or wait the task is live until finish or
  // remove_waiting. Its conflicts with older tasks are judged under the
  // algorithm in effect now, for as long as it lives (see set_algorithm).
  admit add(handle h, uint64_t nexus, uint64_t tag, task_attr a, ser_class c, extent e);

  // h ended: it leaves the set and the held tasks that may now run are
  // marked running and appended to `ready`, oldest first. A held h (aborted
  // before it started) is removed like remove_waiting. False, and nothing
  // changes, if h is not live.
  bool finish(handle h, std::vector<handle>& ready);

  // Removes a held task (aborted before it started) and appends the tasks
  // that may run now, like finish. False, and nothing changes, if h is
  // unknown or running: the shell must abort it and then finish it.
  [[nodiscard]] bool remove_waiting(handle h, std::vector<handle>& ready);

  // Removes every held task for which pred(handle, nexus, tag) is true as one
  // step, then appends the tasks that may run now, oldest first: no task the
  // predicate selects is released on the way (ABORT TASK SET, CLEAR TASK SET,
  // I_T NEXUS RESET, LOGICAL UNIT RESET). Returns how many it removed.
  template <class P>
  size_t remove_waiting_if(P&& pred, std::vector<handle>& ready);

  bool running(handle h) const;
  bool contains(handle h) const;

  // The live task of this nexus with this tag (ABORT TASK).
  std::optional<handle> find(uint64_t nexus, uint64_t tag) const;

  // f(handle, nexus, tag, bool running) for every live task, oldest first.
  template <class F>
  void for_each(F&& f) const;

  size_t size() const { return size_; }
  size_t waiting() const { return waiting_; }
  size_t capacity() const { return slots_.size(); }

  // Applies to tasks added from now on: a live task keeps the algorithm it
  // was added under (restricted is always a valid order for unrestricted,
  // and MODE SELECT, a mode_write, holds every newer task until it ends).
  void set_algorithm(algorithm a) { algorithm_ = a; }
  algorithm get_algorithm() const { return algorithm_; }

 private:
  using index = size_t;
  static constexpr index npos = static_cast<index>(-1);

  struct slot {
    handle h = 0;
    uint64_t nexus = 0;
    uint64_t tag = 0;
    extent e;
    task_attr attr = task_attr::simple;
    ser_class cls = ser_class::none;
    algorithm alg = algorithm::restricted;  // judged under, for its whole life
    bool running = false;
    size_t blockers = 0;  // older live tasks it waits for; 0 iff running
    index older = npos;   // live list, oldest to newest; free list uses newer
    index newer = npos;
  };

  // Whether the newer task waits for the older one (the rules above).
  static bool waits(const slot& older, const slot& newer);
  index locate(handle h) const;
  // Unlinks i without releasing anything; newer held tasks that waited for
  // it count one blocker less.
  void retire(index i);
  // retire(i), then release_from what followed i.
  void drop(index i, std::vector<handle>& ready);
  // Marks running, and appends to ready, every held task from i to the
  // newest whose blockers have all ended.
  void release_from(index i, std::vector<handle>& ready);

  std::vector<slot> slots_;
  index oldest_ = npos;
  index newest_ = npos;
  index free_ = npos;
  size_t size_ = 0;
  size_t waiting_ = 0;
  algorithm algorithm_ = algorithm::restricted;
};

template <class P>
size_t task_set::remove_waiting_if(P&& pred, std::vector<handle>& ready) {
  // Nothing is released until every selected task is retired, so none of
  // them can start; newest first spares counting down blockers of tasks
  // about to go anyway.
  size_t removed = 0;
  for (index i = newest_; i != npos;) {
    const slot& s = slots_[i];
    const index next = s.older;
    if (!s.running && pred(s.h, s.nexus, s.tag)) {
      retire(i);
      ++removed;
    }
    i = next;
  }
  if (removed != 0) release_from(oldest_, ready);
  return removed;
}

template <class F>
void task_set::for_each(F&& f) const {
  for (index i = oldest_; i != npos; i = slots_[i].newer) {
    const slot& s = slots_[i];
    f(s.h, s.nexus, s.tag, s.running);
  }
}

}  // namespace stmfd
