// message_slot: messages built in its fixed array without heap segments,
// reused after holding a received message, and spilling (not failing)
// when a message outgrows it.
#include <catch2/catch.hpp>

#include <cstring>

#include "tests/unit/wire/stream/socket_pair.hpp"
#include "wire/nexus.capnp.h"
#include "wire/status.capnp.h"
#include "wire/stream/fd_stream.hpp"
#include "wire/task.capnp.h"

using namespace stmfd;
using namespace stmfd::wire;
using stmfd::test::socket_pair;

TEST_CASE("a_small_message_is_built_inside_the_slot", "[wire][slot]") {
  fixed_message_slot<64> slot;
  auto t = slot.build<ScsiTask>();
  uint8_t cdb[16] = {0x28};
  t.setCdb(capnp::Data::Reader(cdb, sizeof cdb));
  t.setTaskTag(5);
  CHECK_FALSE(slot.spilled());
  auto segments = slot.builder().getSegmentsForOutput();
  REQUIRE(segments.size() == 1);
  // The one segment is the slot's own array: no heap segment was needed.
  auto* array = reinterpret_cast<const uint8_t*>(&slot);
  auto* seg = reinterpret_cast<const uint8_t*>(segments[0].begin());
  CHECK(seg >= array);
  CHECK(seg < array + sizeof slot);
}

TEST_CASE("a_message_larger_than_the_slot_spills_and_still_round_trips", "[wire][slot]") {
  fixed_message_slot<16> slot;
  auto g = slot.build<NexusGrant>();
  auto luns = g.initLuns(20);
  for (unsigned i = 0; i < luns.size(); ++i) luns[i].setLuName("disk-with-a-long-name");
  CHECK(slot.spilled());
  socket_pair s;
  REQUIRE(write_frame(s.port, MessageKind::NEXUS_GRANT, slot) == frame_error::none);
  frame_reader r(s.lu);
  fixed_message_slot<1024> in;
  frame_header h;
  REQUIRE(r.next(in, h) == frame_error::none);
  auto got = in.read<NexusGrant>().getLuns();
  REQUIRE(got.size() == 20);
  CHECK(got[19].getLuName() == "disk-with-a-long-name");
}

TEST_CASE("a_slot_that_held_received_bytes_builds_a_clean_message", "[wire][slot]") {
  // A builder assumes a zeroed first segment: leftovers of a received
  // message would show up as values nobody set.
  socket_pair s;
  fixed_message_slot<64> src;
  auto full = src.build<ScsiTask>();
  full.setNexus(~0ull);
  full.setLun(~0ull);
  full.setExpectedLength(~0u);
  full.setStatus(0xff);
  full.setCompleted(true);
  REQUIRE(write_frame(s.port, MessageKind::SCSI_TASK, src) == frame_error::none);

  fixed_message_slot<64> slot;
  frame_reader r(s.lu);
  frame_header h;
  REQUIRE(r.next(slot, h) == frame_error::none);
  REQUIRE(slot.read<ScsiTask>().getNexus() == ~0ull);

  slot.build<ScsiTask>().setTaskTag(9);  // reuse the same words
  REQUIRE(write_frame(s.port, MessageKind::SCSI_TASK, slot) == frame_error::none);
  fixed_message_slot<64> in;
  REQUIRE(r.next(in, h) == frame_error::none);
  auto t = in.read<ScsiTask>();
  CHECK(t.getTaskTag() == 9);
  CHECK(t.getNexus() == 0);
  CHECK(t.getLun() == 0);
  CHECK(t.getExpectedLength() == 0);
  CHECK(t.getStatus() == 0);
  CHECK_FALSE(t.getCompleted());
}

TEST_CASE("building_again_starts_a_fresh_message", "[wire][slot]") {
  fixed_message_slot<64> slot;
  slot.build<TaskStatus>().setStatus(2);
  auto again = slot.build<TaskStatus>();
  CHECK(again.getStatus() == 0);
  CHECK_FALSE(slot.holds_received());
}
