// Input a frame reader must refuse cleanly: truncated streams, frames
// larger than its limits (refused before their bytes are read), garbage
// headers, segment tables that do not add up, and messages that are not
// valid instances of their kind's struct. And a writer that refuses what
// no reader could take.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

#include "tests/unit/wire/stream/socket_pair.hpp"
#include "wire/nexus.capnp.h"
#include "wire/status.capnp.h"
#include "wire/stream/fd_stream.hpp"
#include "wire/task.capnp.h"

using namespace stmfd;
using namespace stmfd::wire;
using stmfd::test::socket_pair;

namespace {

// The bytes write_frame puts on the stream for this slot's message.
std::vector<uint8_t> frame_bytes(MessageKind kind, message_slot& slot, uint32_t payload = 0) {
  socket_pair s;
  std::vector<uint8_t> filler(payload, 0xab);
  REQUIRE(write_frame(s.port, kind, slot, filler.data(), payload) == frame_error::none);
  s.close_port();
  std::vector<uint8_t> out(64 * 1024);
  size_t n = 0;
  for (ssize_t r; (r = ::read(s.lu, out.data() + n, out.size() - n)) > 0;) n += size_t(r);
  out.resize(n);
  return out;
}

std::vector<uint8_t> small_status_frame() {
  fixed_message_slot<64> out;
  auto st = out.build<TaskStatus>();
  st.setTaskTag(7);
  st.setStatus(2);
  return frame_bytes(MessageKind::TASK_STATUS, out);
}

void put_le32(uint8_t* p, uint32_t v) {
  for (int i = 0; i < 4; ++i) p[i] = uint8_t(v >> (8 * i));
}

// One frame read into a slot of `Words` words (the reader's message limit).
template <size_t Words = 1024>
frame_error read_one(int fd, uint32_t max_payload = 1u << 20) {
  frame_reader r(fd, max_payload);
  fixed_message_slot<Words> slot;
  frame_header h;
  return r.next(slot, h);
}

}  // namespace

TEST_CASE("truncated_frames_are_refused_at_every_cut", "[wire][stream]") {
  auto frame = small_status_frame();
  REQUIRE(frame.size() > frame_header_bytes);
  // Cut inside the header, inside the segment table, inside the segment.
  for (size_t cut : {size_t(3), frame_header_bytes, frame_header_bytes + 4, frame.size() - 1}) {
    CAPTURE(cut);
    socket_pair s;
    s.raw(s.port, frame.data(), cut);
    s.close_port();
    CHECK(read_one(s.lu) == frame_error::truncated);
  }
}

TEST_CASE("a_stream_ending_inside_the_payload_is_truncated", "[wire][stream]") {
  fixed_message_slot<64> out;
  out.build<TaskStatus>();
  auto frame = frame_bytes(MessageKind::TASK_STATUS, out, 100);
  socket_pair s;
  s.raw(s.port, frame.data(), frame.size() - 10);
  s.close_port();
  frame_reader r(s.lu);
  fixed_message_slot<64> slot;
  frame_header h;
  REQUIRE(r.next(slot, h) == frame_error::none);
  std::vector<uint8_t> payload(100);
  CHECK(r.read_payload(payload.data(), 100) == frame_error::truncated);
  CHECK(r.next(slot, h) == frame_error::truncated);  // the reader stays failed
}

TEST_CASE("a_message_larger_than_the_slot_is_refused_before_its_bytes_are_read", "[wire][stream]") {
  fixed_message_slot<1024> big;
  auto g = big.build<NexusGrant>();
  auto luns = g.initLuns(40);
  for (unsigned i = 0; i < luns.size(); ++i) luns[i].setLuName("a-rather-long-logical-unit-name-to-fill-words");
  auto frame = frame_bytes(MessageKind::NEXUS_GRANT, big);
  REQUIRE(frame.size() > frame_header_bytes + 64 * 8);
  socket_pair s;
  // Only the header: a reader that tried to read the body would time out
  // (io_error) instead of refusing the frame from its header.
  s.raw(s.port, frame.data(), frame_header_bytes);
  CHECK(read_one<64>(s.lu) == frame_error::oversized_message);
}

TEST_CASE("a_payload_beyond_the_limit_is_refused_before_it_is_read", "[wire][stream]") {
  auto frame = small_status_frame();
  put_le32(frame.data() + 12, 4097);  // payloadBytes
  socket_pair s;
  s.raw(s.port, frame.data(), frame.size());
  CHECK(read_one(s.lu, 4096) == frame_error::oversized_payload);
}

TEST_CASE("garbage_headers_are_refused", "[wire][stream]") {
  auto good = small_status_frame();
  struct mangle {
    const char* what;
    size_t offset;
    uint8_t value;
    frame_error want;
  };
  for (auto m :
       {mangle{"magic", 0, 'X', frame_error::bad_magic}, mangle{"version", 4, 2, frame_error::bad_version},
        mangle{"reserved", 5, 1, frame_error::bad_version}, mangle{"kind 0", 6, 0, frame_error::unknown_kind},
        mangle{"kind 99", 6, 99, frame_error::unknown_kind}, mangle{"kind high byte", 7, 1, frame_error::unknown_kind},
        mangle{"length not a word multiple", 8, uint8_t(good[8] + 3), frame_error::bad_segment_table}}) {
    CAPTURE(m.what);
    auto frame = good;
    frame[m.offset] = m.value;
    socket_pair s;
    s.raw(s.port, frame.data(), frame.size());
    CHECK(read_one(s.lu) == m.want);
  }
}

TEST_CASE("random_bytes_are_refused_not_trusted", "[wire][stream]") {
  uint32_t x = 2463534242u;
  for (int round = 0; round < 200; ++round) {
    std::vector<uint8_t> junk(64);
    for (auto& b : junk) {
      x ^= x << 13, x ^= x >> 17, x ^= x << 5;  // xorshift32
      b = uint8_t(x);
    }
    if (round % 2 == 1) std::memcpy(junk.data(), "STMF\x01\x00\x06\x00", 8);  // a plausible header, junk after
    socket_pair s;
    s.raw(s.port, junk.data(), junk.size());
    s.close_port();
    CAPTURE(round);
    CHECK(read_one(s.lu) != frame_error::none);
  }
}

TEST_CASE("segment_tables_that_do_not_add_up_are_refused", "[wire][stream]") {
  auto good = small_status_frame();
  SECTION("a segment size beyond the message") {
    auto frame = good;
    put_le32(frame.data() + frame_header_bytes + 4, 1000);
    socket_pair s;
    s.raw(s.port, frame.data(), frame.size());
    CHECK(read_one(s.lu) == frame_error::bad_segment_table);
  }
  SECTION("more segments than any writer makes") {
    auto frame = good;
    put_le32(frame.data() + frame_header_bytes, 5000);
    socket_pair s;
    s.raw(s.port, frame.data(), frame.size());
    CHECK(read_one(s.lu) == frame_error::bad_segment_table);
  }
}

TEST_CASE("a_message_of_the_wrong_shape_is_malformed", "[wire][stream]") {
  SECTION("a struct where the kind has data") {
    // NexusRequest's first pointer is a struct; ScsiTask's is the CDB (Data).
    fixed_message_slot<64> out;
    out.build<NexusRequest>().initInitiator().setInitiatorName("iqn.x");
    auto frame = frame_bytes(MessageKind::NEXUS_REQUEST, out);
    frame[6] = uint8_t(MessageKind::SCSI_TASK);
    socket_pair s;
    s.raw(s.port, frame.data(), frame.size());
    CHECK(read_one(s.lu) == frame_error::malformed_message);
  }
  SECTION("a root pointer out of its segment") {
    uint8_t frame[frame_header_bytes + 16] = {'S', 'T', 'M', 'F', 1, 0, uint8_t(MessageKind::TASK_STATUS), 0};
    put_le32(frame + 8, 16);
    put_le32(frame + frame_header_bytes, 0);                 // one segment
    put_le32(frame + frame_header_bytes + 4, 1);             // of one word: the root pointer
    uint64_t root = uint64_t(100) << 2 | uint64_t(2) << 32;  // struct at +100 words, 2 data words
    std::memcpy(frame + frame_header_bytes + 8, &root, 8);
    socket_pair s;
    s.raw(s.port, frame, sizeof frame);
    CHECK(read_one(s.lu) == frame_error::malformed_message);
  }
  SECTION("text without its NUL") {
    fixed_message_slot<64> out;
    out.build<NexusRequest>().initInitiator().setInitiatorName("iqn.abcdefg");  // 11 chars + NUL = 12 bytes
    auto frame = frame_bytes(MessageKind::NEXUS_REQUEST, out);
    auto at = std::search(frame.begin(), frame.end(), std::begin("iqn.abcdefg"), std::end("iqn.abcdefg"));
    REQUIRE(at != frame.end());
    at[11] = 'h';  // the terminator becomes a letter
    socket_pair s;
    s.raw(s.port, frame.data(), frame.size());
    CHECK(read_one(s.lu) == frame_error::malformed_message);
  }
}

TEST_CASE("a_valid_frame_of_another_kind_leaves_the_reader_usable", "[wire][stream]") {
  socket_pair s;
  fixed_message_slot<64> out;
  out.build<TaskStatus>().setTaskTag(1);
  REQUIRE(write_frame(s.port, MessageKind::TASK_STATUS, out) == frame_error::none);
  out.build<TaskStatus>().setTaskTag(2);
  REQUIRE(write_frame(s.port, MessageKind::TASK_STATUS, out) == frame_error::none);
  frame_reader r(s.lu);
  fixed_message_slot<64> in;
  frame_header h;
  CHECK(r.expect(in, MessageKind::SCSI_TASK, h) == frame_error::wrong_kind);
  REQUIRE(r.expect(in, MessageKind::TASK_STATUS, h) == frame_error::none);
  CHECK(in.read<TaskStatus>().getTaskTag() == 2);
}

TEST_CASE("a_failed_reader_stays_failed", "[wire][stream]") {
  auto frame = small_status_frame();
  frame[0] = 'X';
  socket_pair s;
  s.raw(s.port, frame.data(), frame.size());
  auto good = small_status_frame();
  s.raw(s.port, good.data(), good.size());
  frame_reader r(s.lu);
  fixed_message_slot<64> in;
  frame_header h;
  CHECK(r.next(in, h) == frame_error::bad_magic);
  CHECK(r.next(in, h) == frame_error::bad_magic);  // no attempt to resynchronise
}

TEST_CASE("the_writer_refuses_a_message_of_too_many_segments", "[wire][stream]") {
  // One-word segments, fixed size: each name lands in a segment of its own.
  capnp::MallocMessageBuilder m(1, capnp::AllocationStrategy::FIXED_SIZE);
  auto luns = m.initRoot<NexusGrant>().initLuns(frame_max_segments + 2);
  for (unsigned i = 0; i < luns.size(); ++i) luns[i].setLuName("lu");
  REQUIRE(m.getSegmentsForOutput().size() > frame_max_segments);
  socket_pair s;
  CHECK(write_frame(s.port, MessageKind::NEXUS_GRANT, m) == frame_error::oversized_message);
  s.close_port();
  CHECK(read_one(s.lu) == frame_error::end_of_stream);  // nothing was written
}

TEST_CASE("writing_to_a_closed_peer_is_an_error_not_a_signal", "[wire][stream]") {
  socket_pair s;
  s.close_lu();
  fixed_message_slot<64> out;
  out.build<TaskStatus>();
  // SIGPIPE would end this process; the writer must get EPIPE instead.
  auto e = write_frame(s.port, MessageKind::TASK_STATUS, out);
  int err = errno;
  CHECK(e == frame_error::io_error);
  CHECK(err == EPIPE);
}
