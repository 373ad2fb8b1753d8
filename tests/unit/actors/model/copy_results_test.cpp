// RECEIVE COPY RESULTS bookkeeping per I_T nexus and list identifier
// (actors/model/copy_results.hpp, SPC-4 5.17.3, 6.3.1, 6.18).
#include <catch2/catch.hpp>

#include "actors/model/copy_results.hpp"

using namespace stmfd;
using usage = scsi::xcopy::list_id_usage;
using state = scsi::xcopy::copy_status::state;

TEST_CASE("copy_results_status_while_running_and_after", "[model][xcopy]") {
  copy_results r;
  REQUIRE(r.begin(7, 1, usage::hold, 100) == copy_results::admit::ok);
  r.progress(100, 1, 4096);
  auto s = r.status(7, 1);
  REQUIRE(s);
  CHECK(s->status == state::in_progress);
  CHECK(s->segments_processed == 1);
  CHECK(s->bytes == 4096);
  r.finish(100, 2, 8192, {});
  s = r.status(7, 1);
  REQUIRE(s);
  CHECK(s->status == state::completed);
  CHECK(s->bytes == 8192);
  CHECK_FALSE(r.status(7, 1));  // a successful operation's results were retrieved
  CHECK(r.running() == 0);
}

TEST_CASE("copy_results_list_id_in_use_per_nexus", "[model][xcopy]") {
  copy_results r;
  REQUIRE(r.begin(7, 1, usage::hold, 100) == copy_results::admit::ok);
  CHECK(r.begin(7, 1, usage::no_hold, 101) == copy_results::admit::in_use);  // SPC-4 6.3.1
  CHECK(r.begin(8, 1, usage::hold, 102) == copy_results::admit::ok);         // another nexus's own ids
  CHECK(r.begin(7, 0, usage::none, 103) == copy_results::admit::ok);         // no identifier: never in use
  CHECK(r.begin(7, 0, usage::none, 104) == copy_results::admit::ok);
  r.finish(100, 0, 0, {1, 2, 3});
  CHECK(r.begin(7, 1, usage::hold, 105) == copy_results::admit::ok);  // a finished one gives way
  CHECK_FALSE(r.failed_segment(7, 1));                                // ... and its results went with it
}

TEST_CASE("copy_results_failed_segment_details_then_gone", "[model][xcopy]") {
  copy_results r;
  REQUIRE(r.begin(7, 4, usage::hold, 1) == copy_results::admit::ok);
  CHECK_FALSE(r.failed_segment(7, 4));  // still running
  r.finish(1, 0, 512, {0x70, 0, 0x0A});
  auto s = r.status(7, 4);
  REQUIRE(s);
  CHECK(s->status == state::failed);
  REQUIRE(r.status(7, 4));  // a failed one stays for FAILED SEGMENT DETAILS
  auto d = r.failed_segment(7, 4);
  REQUIRE(d);
  CHECK(d->failed);
  CHECK(d->sense.size() == 3);
  CHECK_FALSE(r.failed_segment(7, 4));
  CHECK_FALSE(r.status(7, 4));
}

TEST_CASE("copy_results_no_hold_and_no_id_are_not_kept", "[model][xcopy]") {
  copy_results r;
  REQUIRE(r.begin(7, 2, usage::no_hold, 1) == copy_results::admit::ok);
  CHECK(r.status(7, 2));  // reported while it runs
  r.finish(1, 1, 512, {});
  CHECK_FALSE(r.status(7, 2));
  REQUIRE(r.begin(7, 0, usage::none, 2) == copy_results::admit::ok);
  CHECK_FALSE(r.status(7, 0));  // it has no identifier to be asked by
  r.finish(2, 1, 512, {});
  CHECK(r.running() == 0);
}

TEST_CASE("copy_results_limits", "[model][xcopy]") {
  copy_results r;
  uint64_t token = 1;
  for (int i = 0; i < scsi::xcopy::total_concurrent_copies; ++i)
    REQUIRE(r.begin(uint64_t(i % 3), uint8_t(i), usage::hold, token++) == copy_results::admit::ok);
  CHECK(r.begin(9, 0, usage::hold, token++) == copy_results::admit::too_many);
  r.finish(1, 0, 0, {});
  CHECK(r.begin(9, 0, usage::hold, token++) == copy_results::admit::ok);
}

TEST_CASE("copy_results_held_results_are_bounded_and_end_with_the_nexus", "[model][xcopy]") {
  copy_results r;
  for (uint64_t i = 0; i < copy_results::max_held + 5; ++i) {
    REQUIRE(r.begin(7, uint8_t(i), usage::hold, i + 1) == copy_results::admit::ok);
    r.finish(i + 1, 0, 0, {1});
  }
  CHECK_FALSE(r.status(7, 0));  // the oldest were dropped
  CHECK(r.status(7, uint8_t(copy_results::max_held + 4)));
  REQUIRE(r.begin(8, 1, usage::hold, 1000) == copy_results::admit::ok);
  r.forget(8);
  CHECK_FALSE(r.status(8, 1));
  r.finish(1000, 0, 0, {});  // ends after its nexus: only the count changes
  CHECK(r.running() == 0);
}

TEST_CASE("copy_results_lid4_status_carries_the_end_and_releases_it", "[model][xcopy][lid4]") {
  copy_results r;
  const uint32_t id = 0x01020304;  // four bytes: an EXTENDED COPY(LID4) list identifier
  REQUIRE(r.begin(7, id, usage::hold, 100) == copy_results::admit::ok);
  CHECK(r.begin(7, id, usage::hold, 101) == copy_results::admit::in_use);
  CHECK_FALSE(r.status_lid4(7, 0x04));  // not the low byte of another identifier
  r.progress(100, 1, 512);
  auto s = r.status_lid4(7, id);
  REQUIRE(s);
  CHECK(s->s.status == state::in_progress);
  CHECK(s->s.bytes == 512);
  std::vector<uint8_t> sense(18, 0);
  sense[0] = 0x70;
  sense[2] = 0x0A;
  r.finish(100, 1, 512, sense);
  s = r.status_lid4(7, id);
  REQUIRE(s);
  CHECK(s->s.status == state::failed);
  CHECK(s->completion_status == scsi::status::check_condition);
  CHECK(s->sense == sense);
  CHECK_FALSE(r.status_lid4(7, id));  // reported once, with its sense: released

  // An operation that ended without sense reports the status it ended with.
  REQUIRE(r.begin(7, 9, usage::hold, 102) == copy_results::admit::ok);
  r.finish(102, 0, 0, {scsi::status::task_aborted});
  s = r.status_lid4(7, 9);
  REQUIRE(s);
  CHECK(s->s.status == state::failed);
  CHECK(s->completion_status == scsi::status::task_aborted);
  CHECK(s->sense.empty());

  // A successful one: GOOD, no sense.
  REQUIRE(r.begin(7, 10, usage::hold, 103) == copy_results::admit::ok);
  r.finish(103, 1, 4096, {});
  s = r.status_lid4(7, 10);
  REQUIRE(s);
  CHECK(s->s.status == state::completed);
  CHECK(s->completion_status == scsi::status::good);
  CHECK(r.running() == 0);
}
