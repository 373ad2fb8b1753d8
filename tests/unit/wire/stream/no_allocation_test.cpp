// The data path's promise (architecture.md): building a message in a slot,
// writing it as a frame, reading it into another slot and reading its
// fields costs no heap allocation. Proved by counting every malloc, calloc
// and realloc this binary makes while such rounds run (replacements that
// forward to glibc's allocator; under ASan its allocation hook): operator
// new goes through malloc, Cap'n Proto's segment allocation through calloc.
#include <catch2/catch.hpp>

#include <atomic>
#include <cstddef>

#include "tests/unit/wire/stream/socket_pair.hpp"
#include "wire/status.capnp.h"
#include "wire/stream/fd_stream.hpp"
#include "wire/stream/message_ref.hpp"
#include "wire/task.capnp.h"
#include "wire/tmf.capnp.h"

namespace {
std::atomic<bool> counting{false};
std::atomic<size_t> allocations{0};
void note() {
  if (counting.load(std::memory_order_relaxed)) allocations.fetch_add(1, std::memory_order_relaxed);
}
}  // namespace

#if defined(__SANITIZE_ADDRESS__)
// Under AddressSanitizer malloc is ASan's: count through its hook instead
// of replacing it (a replacement would hand ASan's free foreign blocks).
extern "C" int __sanitizer_install_malloc_and_free_hooks(void (*)(const volatile void*, size_t),
                                                         void (*)(const volatile void*));
namespace {
[[maybe_unused]] const int hooks_installed = __sanitizer_install_malloc_and_free_hooks(
    [](const volatile void*, size_t) { note(); }, [](const volatile void*) {});
}  // namespace
#else
extern "C" {
void* __libc_malloc(size_t);
void* __libc_calloc(size_t, size_t);
void* __libc_realloc(void*, size_t);

void* malloc(size_t n) {
  note();
  return __libc_malloc(n);
}
void* calloc(size_t n, size_t size) {
  note();
  return __libc_calloc(n, size);
}
void* realloc(void* p, size_t n) {
  note();
  return __libc_realloc(p, n);
}
}
#endif

using namespace stmfd;
using namespace stmfd::wire;
using stmfd::test::socket_pair;

namespace {

// One round: a command with immediate data out, its status back.
void round_trip(socket_pair& s, message_slot& out, message_slot& in, frame_reader& lu, frame_reader& port,
                uint8_t* data, uint8_t* payload) {
  auto t = out.build<ScsiTask>();
  uint8_t cdb[10] = {0x2a, 0, 0, 0, 0, 8, 0, 0, 8, 0};
  t.setNexus(1);
  t.setTaskTag(2);
  t.setCdb(capnp::Data::Reader(cdb, sizeof cdb));
  t.setExpectedLength(4096);
  t.setDirection(Direction::WRITE);
  t.setDataOutLength(4096);
  REQUIRE(write_frame(s.port, MessageKind::SCSI_TASK, out, data, 4096) == frame_error::none);
  frame_header h;
  REQUIRE(lu.next(in, h) == frame_error::none);
  REQUIRE(lu.read_payload(payload, 4096) == frame_error::none);
  auto got = in.read<ScsiTask>();
  REQUIRE(got.getCdb().size() == 10);
  REQUIRE(got.getTaskTag() == 2);

  auto st = out.build<TaskStatus>();
  st.setTaskTag(got.getTaskTag());
  st.setStatus(0);
  REQUIRE(write_frame(s.lu, MessageKind::TASK_STATUS, out) == frame_error::none);
  REQUIRE(port.next(in, h) == frame_error::none);
  REQUIRE(in.read<TaskStatus>().getTaskTag() == 2);
}

}  // namespace

TEST_CASE("a_frame_round_trip_through_slots_allocates_nothing", "[wire][stream][slot]") {
  socket_pair s;
  fixed_message_slot<128> out, in;
  frame_reader lu(s.lu), port(s.port);
  static uint8_t data[4096], payload[4096];
  round_trip(s, out, in, lu, port, data, payload);  // first use: lazy initialisation may allocate

  allocations = 0;
  counting = true;
  for (int i = 0; i < 10; ++i) round_trip(s, out, in, lu, port, data, payload);
  counting = false;
  CHECK(allocations == 0);

  // The counter works: a spilled message (heap segments) is seen.
  counting = true;
  auto g = out.build<TaskStatus>();
  uint8_t big[4096] = {};
  g.setSense(capnp::Data::Reader(big, sizeof big));  // beyond the slot's 1 KiB
  counting = false;
  CHECK(out.spilled());
  CHECK(allocations > 0);
}

TEST_CASE("a_pooled_message_built_shared_and_dropped_allocates_nothing", "[wire][stream][pool]") {
  slot_pool pool(4, 4);
  auto once = [&] {
    auto m = message_ref<TaskManagementRequest>::make(pool);
    m.edit().setTag(5);
    auto shared = m;  // a second holder (another LU of the same function)
    m = {};
    REQUIRE(shared.get().getTag() == 5);
    REQUIRE_FALSE(shared.slot().spilled());
  };
  once();  // first use: lazy initialisation may allocate
  allocations = 0;
  counting = true;
  for (int i = 0; i < 10; ++i) once();
  counting = false;
  CHECK(allocations == 0);
  CHECK(pool.grown() == 0);
}
