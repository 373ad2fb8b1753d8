// wire/stream/message_ref.hpp: the pooled slots the framework's in-process
// messages live in, and the handles that carry them.
#include <catch2/catch.hpp>

#include <thread>
#include <vector>

#include "wire/nexus.capnp.h"
#include "wire/stream/message_ref.hpp"
#include "wire/tmf.capnp.h"

using namespace stmfd::wire;

TEST_CASE("a_message_is_shared_by_handle_and_its_slot_returns_with_the_last_one", "[wire][stream][pool]") {
  slot_pool pool(2, 4);
  CHECK(pool.free_slots() == 2);
  {
    auto m = message_ref<NexusDetach>::make(pool);
    m.edit().setNexus(7);
    CHECK(pool.live() == 1);
    CHECK(pool.free_slots() == 1);
    auto copy = m;  // a second holder: the same struct, not a copy of it
    CHECK(&copy.slot() == &m.slot());
    CHECK(copy.get().getNexus() == 7);
    m = {};
    CHECK(pool.live() == 1);  // still held by `copy`
    CHECK(copy.get().getNexus() == 7);
  }
  CHECK(pool.live() == 0);
  CHECK(pool.free_slots() == 2);
  // A recycled slot starts clean.
  auto again = message_ref<NexusDetach>::make(pool);
  CHECK(again.get().getNexus() == 0);
}

TEST_CASE("the_pool_grows_under_load_and_keeps_at_most_max_free", "[wire][stream][pool]") {
  slot_pool pool(1, 2);
  std::vector<message_ref<TaskManagementResponse>> held;
  for (int i = 0; i < 5; ++i) held.push_back(message_ref<TaskManagementResponse>::make(pool));
  CHECK(pool.live() == 5);
  CHECK(pool.grown() == 4);  // one was there; four were made
  held.clear();
  CHECK(pool.live() == 0);
  CHECK(pool.free_slots() == 2);  // the other three were deleted: size follows load, not history
}

TEST_CASE("copy_of_takes_a_message_out_of_another_slot", "[wire][stream][pool]") {
  slot_pool pool(1, 1);
  fixed_message_slot<64> reader_slot;
  auto r = reader_slot.build<TaskManagementRequest>();
  r.setTag(11);
  r.setReferencedTag(22);
  auto m = message_ref<TaskManagementRequest>::copy_of(r.asReader(), pool);
  reader_slot.build<TaskManagementRequest>();  // the reader's slot is reused for the next frame
  CHECK(m.get().getTag() == 11);
  CHECK(m.get().getReferencedTag() == 22);
}

TEST_CASE("handles_dropped_on_many_threads_return_every_slot", "[wire][stream][pool]") {
  slot_pool pool(8, 64);
  std::vector<message_ref<NexusDetach>> msgs;
  for (int i = 0; i < 32; ++i) {
    msgs.push_back(message_ref<NexusDetach>::make(pool));
    msgs.back().edit().setNexus(uint64_t(i));
  }
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([copies = msgs] {  // each thread reads and drops its own handles
      uint64_t sum = 0;
      for (auto& m : copies) sum += m.get().getNexus();
      (void)sum;
    });
  msgs.clear();
  for (auto& t : threads) t.join();
  CHECK(pool.live() == 0);
  CHECK(pool.free_slots() == 32);
}

TEST_CASE("a_large_message_spills_but_still_builds", "[wire][stream][pool]") {
  slot_pool pool(1, 1);
  auto g = message_ref<NexusGrant>::make(pool);
  auto luns = g.edit().initLuns(300);  // far beyond 1 KiB
  for (unsigned i = 0; i < luns.size(); ++i) luns[i].setLun(i);
  CHECK(g.slot().spilled());
  CHECK(g.get().getLuns()[299].getLun() == 299);
}
