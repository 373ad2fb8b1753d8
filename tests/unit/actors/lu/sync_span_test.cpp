// sync_span_of: the bytes the fdatasync after a step covers (issue 10
// section 3): SYNCHRONIZE CACHE its range; durable writes and the tape
// medium the whole file.
#include <catch2/catch.hpp>

#include "actors/lu/sync_span.hpp"

using namespace stmfd;

namespace {
io_step step(io_step::op k, uint64_t offset, uint32_t length) {
  io_step s;
  s.kind = k;
  s.offset = offset;
  s.length = length;
  s.fua = k != io_step::op::flush;
  return s;
}
}  // namespace

TEST_CASE("sync_span_flush_keeps_synchronize_cache_range", "[lu][sync_span]") {
  auto r = sync_span_of(step(io_step::op::flush, 4096, 512 * 16));
  CHECK(r.offset == 4096u);
  CHECK(r.len == 512u * 16);
  r = sync_span_of(step(io_step::op::flush, 4096, 0));  // NUMBER OF LOGICAL BLOCKS 0: whole file
  CHECK(r.offset == 0u);
  CHECK(r.len == 0u);
}

TEST_CASE("sync_span_durable_writes_sync_the_whole_file", "[lu][sync_span]") {
  for (auto k : {io_step::op::write, io_step::op::write_same, io_step::op::deallocate}) {
    auto r = sync_span_of(step(k, 1 << 20, 8192));
    CHECK(r.offset == 0u);
    CHECK(r.len == 0u);
  }
}

TEST_CASE("sync_span_tape_medium_is_the_whole_file", "[lu][sync_span]") {
  auto s = step(io_step::op::flush, 1 << 20, 4096);
  s.store = io_step::store_kind::medium;  // earlier buffered records must be synced too
  auto r = sync_span_of(s);
  CHECK(r.offset == 0u);
  CHECK(r.len == 0u);
}
