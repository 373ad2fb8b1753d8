// io::group_commit (io/group_commit.hpp): the ordering rule (a waiter is
// answered only by an fdatasync submitted after it joined), one fdatasync
// in flight per fd, errors reaching every waiter they may concern, and
// fewer fdatasyncs than writes at depth. The model is driven by hand
// (submissions counted by the injected submit function); the last cases
// run it on a real ring and file.
#include <cerrno>
#include <map>

#include "io/faults.hpp"
#include "io/group_commit.hpp"
#include "io/ring.hpp"
#include "io_test_support.hpp"

using namespace stmfd;
using namespace stmfd::io;
using namespace stmfd::io::test;

namespace {

// Records every submission and answer; `rejoin` makes each answered waiter
// come back as a new one (the next write of a queue that stays full).
struct harness {
  std::vector<int> submitted;                    // fd of each fdatasync, in order
  std::map<uint64_t, std::vector<int>> answers;  // waiter -> every result it got
  uint64_t rejoin_left = 0, next_waiter = 1000;
  group_commit gc{[this](int fd) { submitted.push_back(fd); },
                  [this](uint64_t w, int r) {
                    answers[w].push_back(r);
                    if (rejoin_left > 0) {
                      --rejoin_left;
                      gc.join(7, next_waiter++);
                    }
                  }};
  bool answered(uint64_t w) const { return answers.count(w) != 0; }
  int result(uint64_t w) const { return answers.at(w).at(0); }
};

}  // namespace

TEST_CASE("a_waiter_that_joins_after_the_sync_was_submitted_waits_for_the_next_one", "[io][group_commit]") {
  harness h;
  h.gc.join(7, 1);
  REQUIRE(h.submitted == std::vector<int>{7});  // none in flight: submitted at once
  CHECK(h.gc.in_flight(7));
  h.gc.join(7, 2);                 // its data completed after that sync started
  CHECK(h.submitted.size() == 1);  // at most one in flight per fd
  CHECK(h.gc.queued(7) == 1);
  h.gc.synced(7, 0);
  CHECK(h.result(1) == 0);
  CHECK_FALSE(h.answered(2));                      // not covered by the sync that completed
  REQUIRE(h.submitted == std::vector<int>{7, 7});  // the queue goes out as the next one
  CHECK(h.gc.queued(7) == 0);
  h.gc.synced(7, 0);
  CHECK(h.result(2) == 0);
  CHECK_FALSE(h.gc.in_flight(7));
  CHECK(h.answers.at(1).size() == 1);  // each answered exactly once
  CHECK(h.answers.at(2).size() == 1);
}

TEST_CASE("a_failed_sync_fails_every_write_it_covered_and_the_queued_ones", "[io][group_commit]") {
  harness h;
  h.gc.join(7, 1);
  h.gc.synced(7, 0);  // nothing queued: idle again
  CHECK_FALSE(h.gc.in_flight(7));
  h.gc.join(7, 2);
  h.gc.join(7, 3);
  h.gc.join(7, 4);
  h.gc.synced(7, 0);  // answers 2; 3 and 4 go out together
  REQUIRE(h.submitted.size() == 3);
  h.gc.join(7, 5);  // queued behind the sync covering 3 and 4
  h.gc.synced(7, -EIO);
  CHECK(h.result(1) == 0);
  CHECK(h.result(2) == 0);
  CHECK(h.result(3) == -EIO);
  CHECK(h.result(4) == -EIO);
  // 5's data may have been in the writeback that failed, and the kernel
  // reports that error once: a later sync could succeed without it.
  CHECK(h.result(5) == -EIO);
  CHECK(h.submitted.size() == 3);  // nothing left to sync for
  CHECK_FALSE(h.gc.in_flight(7));
  h.gc.join(7, 6);  // after the error: a fresh sync, and a fresh answer
  h.gc.synced(7, 0);
  CHECK(h.result(6) == 0);
  for (auto& [w, rs] : h.answers) CHECK(rs.size() == 1);
}

TEST_CASE("files_commit_independently_and_stray_results_are_ignored", "[io][group_commit]") {
  harness h;
  h.gc.join(7, 1);
  h.gc.join(9, 2);
  CHECK(h.submitted == std::vector<int>{7, 9});  // one in flight per fd, not per object
  h.gc.synced(9, -EIO);
  CHECK(h.result(2) == -EIO);
  CHECK_FALSE(h.answered(1));
  h.gc.synced(9, 0);  // nothing in flight on 9: not an answer to anyone
  h.gc.synced(5, 0);
  CHECK_FALSE(h.answered(1));
  h.gc.synced(7, 0);
  CHECK(h.result(1) == 0);
  CHECK(h.answers.size() == 2);
}

TEST_CASE("at_queue_depth_16_one_sync_serves_many_writes", "[io][group_commit]") {
  harness h;
  // 16 writes complete while the first one's sync is in flight, and every
  // answered write is followed by the next write of the queue (rejoin) until
  // 1000 writes were made durable.
  const uint64_t writes = 1000;
  h.rejoin_left = writes - 16;
  for (uint64_t w = 1; w <= 16; ++w) h.gc.join(7, w);
  while (h.gc.in_flight(7)) h.gc.synced(7, 0);
  CHECK(h.gc.joined() == writes);
  CHECK(h.answers.size() == writes);
  for (auto& [w, rs] : h.answers) CHECK(rs == std::vector<int>{0});
  CHECK(h.gc.syncs_submitted() == h.submitted.size());
  // The queue splits into two cohorts that take turns: the first write
  // (answered by the first sync) and the 15 queued behind it; each answered
  // write comes back while the other cohort's sync is in flight. Every two
  // syncs serve 16 writes: 1000 writes take 126 syncs, not 1000.
  CHECK(h.gc.syncs_submitted() == 126);
  CHECK(h.gc.syncs_submitted() * 7 < writes);
}

namespace {

// Drives a group_commit on a real ring: writes at depth 16 to a temp file;
// each write completion joins; each waiter's answer is recorded.
struct ring_run {
  static constexpr uint64_t sync_tag = 1ull << 40;
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  caf::scoped_actor self{sys};
  temp_file f;
  ring r{ring::options{}};
  std::map<uint64_t, int> answers;
  std::vector<uint64_t> joins;     // waiters in the order they joined
  size_t joined_before_error = 0;  // joins made before the first failed sync came back
  group_commit gc{[this](int fd) { r.fsync(fd, true, self, sync_tag | uint64_t(fd)); },
                  [this](uint64_t w, int res) { answers[w] = res; }};

  void run(unsigned n) {
    auto data = pattern(4096 * n, 5);
    for (unsigned i = 0; i < n; ++i) r.write(f.fd, data.data() + 4096 * i, 4096, 4096 * i, self, i + 1);
    while (answers.size() < n) {
      auto c = next_completion(self);
      REQUIRE(c.result != INT32_MIN);  // no hang
      if (c.cookie & sync_tag) {
        if (c.result < 0 && joined_before_error == 0) joined_before_error = joins.size();
        gc.synced(int(c.cookie & 0xffffffff), c.result);
      } else {
        REQUIRE(c.result == 4096);
        joins.push_back(c.cookie);
        gc.join(f.fd, c.cookie);
      }
    }
  }
};

}  // namespace

TEST_CASE("on_a_ring_every_write_at_depth_is_answered_once_by_a_shared_fdatasync", "[io][group_commit][ring]") {
  ring_run t;
  t.run(16);
  REQUIRE(t.answers.size() == 16);
  for (auto& [w, res] : t.answers) CHECK(res == 0);
  CHECK(t.gc.syncs_submitted() >= 1);
  CHECK(t.gc.syncs_submitted() <= 16);
  CHECK_FALSE(t.gc.in_flight(t.f.fd));
  CHECK(t.r.submitted() == 16 + t.gc.syncs_submitted());  // every sync went through the ring
  require_no_completion(t.self);
}

TEST_CASE("on_a_ring_an_fdatasync_eio_fails_the_writes_it_covered", "[io][group_commit][ring][faults]") {
  ring_run t;
  faults::spec s;
  s.act = faults::action::eio;
  s.after = 17;  // the 16 writes pass; the first fdatasync fails
  REQUIRE(faults::arm(faults::point::io_file, s).empty());
  t.run(16);
  faults::disarm(faults::point::io_file);
  REQUIRE(t.answers.size() == 16);
  // The failed sync covered the first write to join, and every write that
  // joined before its error came back was covered or queued: all fail. A
  // write that joined later got a sync of its own, which succeeded.
  REQUIRE(t.joined_before_error >= 1);
  for (size_t i = 0; i < t.joins.size(); ++i) {
    INFO("join " << i << " of " << t.joins.size() << ", " << t.joined_before_error << " before the error");
    CHECK(t.answers.at(t.joins[i]) == (i < t.joined_before_error ? -EIO : 0));
  }
}
