// The remote-LU path (architecture.md "Beyond one machine"): a port in
// another process reaches an LU through a byte stream. The test is that
// port: on one end of a socket pair it speaks frames (wire/frame.capnp);
// on the other a stream_bridge registers the nexus with the fixture's STMF
// and runs the commands on task actors against a RAM LU.
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <vector>

#include "actors/common/messages.hpp"
#include "actors/common/stream_bridge.hpp"
#include "tests/actors/fixture.hpp"
#include "wire/lu_event.capnp.h"
#include "wire/status.capnp.h"
#include "wire/stream/fd_stream.hpp"
#include "wire/transfer.capnp.h"

using namespace stmfd;
using namespace stmfd::test;
using kind = wire::MessageKind;

namespace {

// The remote port: writes frames, reads the LU side's answers (every read
// gives up after 10 s, failing the test rather than hanging it). It ends
// the bridge when it goes and waits until it is gone.
struct far_port {
  stmf_fixture& f;
  int fd = -1;
  caf::actor bridge;
  wire::fixed_message_slot<256> out;
  wire::fixed_message_slot<1024> in;
  std::unique_ptr<wire::frame_reader> reader;
  remote_grant grant;

  explicit far_port(stmf_fixture& fx) : f(fx) {
    int fds[2];
    REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) == 0);
    fd = fds[0];
    timeval tv{10, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    reader = std::make_unique<wire::frame_reader>(fd);
    bridge = f.sys.spawn<stream_bridge>(fds[1], f.stmf);  // the bridge owns its end
  }
  ~far_port() {
    f.self->send_exit(bridge, caf::exit_reason::user_shutdown);
    f.self->monitor(bridge);
    f.self->receive([](const caf::down_msg&) {},
                    caf::after(std::chrono::seconds(10)) >> [] { FAIL("the bridge did not end within 10 s"); });
    if (fd >= 0) ::close(fd);
  }

  void send(kind k, const std::vector<uint8_t>& payload = {}) {
    REQUIRE(wire::write_frame(fd, k, out, payload.data(), uint32_t(payload.size())) == wire::frame_error::none);
  }
  // One of the framework's in-process messages, written as it is.
  template <class T>
  void send(kind k, const wire::message_ref<T>& m) {
    REQUIRE(wire::write_frame(fd, k, m.slot()) == wire::frame_error::none);
  }
  // The next frame, which must be of kind k; returns its payload.
  std::vector<uint8_t> expect(kind k) {
    wire::frame_header h;
    auto e = reader->next(in, h);
    INFO("frame error: " << wire::to_string(e));
    REQUIRE(e == wire::frame_error::none);
    REQUIRE(uint16_t(h.kind) == uint16_t(k));
    std::vector<uint8_t> payload(reader->payload_left());
    REQUIRE(reader->read_payload(payload.data(), uint32_t(payload.size())) == wire::frame_error::none);
    return payload;
  }

  void login(const std::string& initiator, uint64_t isid) {
    send(kind::NEXUS_REQUEST, test_nexus(initiator, isid));  // what an in-process port sends STMF
    expect(kind::NEXUS_GRANT);
    auto g = from_wire(in.read<wire::NexusGrant>());
    REQUIRE(g);
    grant = std::move(*g);
  }

  // Sends a command with `immediate` bytes of Data-Out as payload.
  void command(uint32_t tag, std::vector<uint8_t> cdb, wire::Direction dir, uint32_t expected,
               const std::vector<uint8_t>& immediate = {}, uint64_t lun = 0) {
    auto t = out.build<wire::ScsiTask>();
    t.setNexus(grant.nexus);
    t.setLun(lun);
    t.setTaskTag(tag);
    t.setAttribute(wire::TaskAttribute::SIMPLE);
    t.setCdb(capnp::Data::Reader(cdb.data(), cdb.size()));
    t.setExpectedLength(expected);
    t.setDirection(dir);
    t.setDataOutLength(uint32_t(immediate.size()));
    send(kind::SCSI_TASK, immediate);
  }

  void transfer_done(uint32_t tag, uint64_t buffer_id, uint32_t moved, const std::vector<uint8_t>& payload = {}) {
    auto c = out.build<wire::DataTransferCompletion>();
    c.setNexus(grant.nexus);
    c.setTaskTag(tag);
    c.setBufferId(buffer_id);
    c.setBytesMoved(moved);
    c.setStatus(wire::TransferStatus::OK);
    send(kind::DATA_TRANSFER_COMPLETION, payload);
  }

  // Reads a TaskStatus for `tag`: (status, sense key, ASC, ASCQ).
  std::tuple<int, int, int, int> status(uint32_t tag) {
    expect(kind::TASK_STATUS);
    auto s = in.read<wire::TaskStatus>();
    REQUIRE(s.getTaskTag() == tag);
    REQUIRE(s.getNexus() == grant.nexus);
    auto sense = s.getSense();
    if (sense.size() < 14) return {s.getStatus(), -1, -1, -1};
    return {s.getStatus(), sense[2] & 0x0f, sense[12], sense[13]};
  }

  wire::TaskManagementResponse::Reader task_management(wire::TaskManagementFunction fn, uint32_t tag, uint64_t lun = 0,
                                                       uint32_t referenced = 0) {
    send(kind::TASK_MANAGEMENT_REQUEST, make_tmf_request(fn, grant.nexus, lun, tag, referenced));
    expect(kind::TASK_MANAGEMENT_RESPONSE);
    auto a = in.read<wire::TaskManagementResponse>();
    REQUIRE(a.getTag() == tag);
    return a;
  }
};

std::vector<uint8_t> pattern(size_t n) {
  std::vector<uint8_t> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = uint8_t(i * 31 + 7);
  return v;
}

}  // namespace

TEST_CASE("a_remote_port_registers_a_nexus_and_learns_the_lu_by_name", "[actors][remote]") {
  stmf_fixture f(lu_definition::backing_kind::ram);
  far_port r(f);
  r.login("iqn.test.remote", 0x400000000001);
  CHECK(r.grant.nexus != 0);
  CHECK(r.grant.nexus != f.grant.nexus);
  REQUIRE(r.grant.luns.size() == 1);
  CHECK(r.grant.luns[0].number == 0);
  CHECK(r.grant.luns[0].lu_name == "disk0");
  REQUIRE(r.grant.port);
  CHECK(r.grant.port->target_name == "iqn.2026-11.org.stmfd:test");
  CHECK(r.grant.port->relative_port_id == 1);
  CHECK(r.grant.port->target_port_group == 1);
}

TEST_CASE("a_write_and_read_through_the_stream_return_the_data_and_good_status", "[actors][remote]") {
  stmf_fixture f(lu_definition::backing_kind::ram);
  far_port r(f);
  r.login("iqn.test.remote", 0x400000000002);
  auto data = pattern(4096);

  // WRITE(10) of 8 blocks: 1 KiB rides with the command, the LU side
  // fetches the other 3 KiB with a DataTransferRequest (the stream's R2T).
  r.command(1, write10(16, 8), wire::Direction::WRITE, 4096, {data.begin(), data.begin() + 1024});
  CHECK(r.expect(kind::DATA_TRANSFER_REQUEST).empty());
  auto want = r.in.read<wire::DataTransferRequest>();
  CHECK(want.getNexus() == r.grant.nexus);
  CHECK(want.getTaskTag() == 1);
  CHECK(want.getDirection() == wire::Direction::WRITE);
  CHECK(want.getBufferOffset() == 1024);
  REQUIRE(want.getLength() == 3072);
  CHECK(want.getLast());
  r.transfer_done(1, want.getBufferId(), 3072, {data.begin() + 1024, data.end()});
  CHECK(r.status(1) == std::make_tuple(0, -1, -1, -1));

  // READ(10) of the same blocks: Data-In as payload, then (once confirmed) GOOD.
  r.command(2, read10(16, 8), wire::Direction::READ, 4096);
  auto got = r.expect(kind::DATA_TRANSFER_REQUEST);
  auto in = r.in.read<wire::DataTransferRequest>();
  CHECK(in.getDirection() == wire::Direction::READ);
  CHECK(in.getTaskTag() == 2);
  CHECK(in.getBufferOffset() == 0);
  CHECK(in.getLength() == 4096);
  CHECK(in.getLast());
  CHECK(got == data);
  r.transfer_done(2, in.getBufferId(), 4096);
  r.expect(kind::TASK_STATUS);
  auto st = r.in.read<wire::TaskStatus>();
  CHECK(st.getStatus() == 0);
  CHECK(st.getResidual() == wire::Residual::NONE);
  CHECK(st.getDataInLength() == 4096);

  // The data is on the LU itself, not only in the bridge: the fixture's own
  // (in-process) nexus reads it back too.
  auto local = f.run(f.make_task(read10(16, 8), wire::Direction::READ, 4096));
  REQUIRE(local->task.getStatus() == 0);
  CHECK(std::equal(data.begin(), data.end(), local->data.data));
}

TEST_CASE("a_logical_unit_reset_through_the_stream_completes_and_reaches_the_lu", "[actors][remote]") {
  stmf_fixture f(lu_definition::backing_kind::ram);
  far_port r(f);
  r.login("iqn.test.remote", 0x400000000003);
  auto a = r.task_management(wire::TaskManagementFunction::LOGICAL_UNIT_RESET, 77);
  CHECK(a.getResult() == wire::TaskManagementResult::COMPLETE);
  CHECK(a.getTasksStopped() == 0);
  // SAM-5 6.3.3: every nexus of the LU now has 29h/03h pending, the
  // requester's too.
  auto ua = f.run(f.make_task(test_unit_ready(), wire::Direction::NONE, 0));
  CHECK(ua->task.getStatus() == 2);
  CHECK(sense_of(ua) == std::make_tuple(0x6, 0x29, 0x03));
  r.command(3, test_unit_ready(), wire::Direction::NONE, 0);
  CHECK(r.status(3) == std::make_tuple(2, 0x6, 0x29, 0x03));
  r.command(4, test_unit_ready(), wire::Direction::NONE, 0);
  CHECK(r.status(4) == std::make_tuple(0, -1, -1, -1));
}

TEST_CASE("task_management_for_what_the_nexus_lacks_is_answered_without_effect", "[actors][remote]") {
  stmf_fixture f(lu_definition::backing_kind::ram);
  far_port r(f);
  r.login("iqn.test.remote", 0x400000000004);
  CHECK(r.task_management(wire::TaskManagementFunction::LOGICAL_UNIT_RESET, 5, 9).getResult() ==
        wire::TaskManagementResult::NO_SUCH_LUN);
  CHECK(r.task_management(wire::TaskManagementFunction::ABORT_TASK, 6, 0, 1234).getResult() ==
        wire::TaskManagementResult::NO_SUCH_TASK);
  auto unknown = r.task_management(wire::TaskManagementFunction(42), 7);
  CHECK(unknown.getResult() == wire::TaskManagementResult::NOT_SUPPORTED);
  // No reset happened: the fixture's nexus has no unit attention.
  CHECK(f.run(f.make_task(test_unit_ready(), wire::Direction::NONE, 0))->task.getStatus() == 0);
}

TEST_CASE("an_abort_while_data_out_is_fetched_stops_the_write_before_the_lu", "[actors][remote]") {
  stmf_fixture f(lu_definition::backing_kind::ram);
  far_port r(f);
  r.login("iqn.test.remote", 0x400000000005);
  r.command(4, write10(40, 8), wire::Direction::WRITE, 4096);
  r.expect(kind::DATA_TRANSFER_REQUEST);
  auto abort = r.task_management(wire::TaskManagementFunction::ABORT_TASK, 8, 0, 4);
  CHECK(abort.getResult() == wire::TaskManagementResult::COMPLETE);
  CHECK(abort.getTasksStopped() == 1);
  // Its data arriving late is dropped, and no status ever comes for it: the
  // next frame is the next command's.
  r.transfer_done(4, 1, 4096, pattern(4096));
  r.command(5, test_unit_ready(), wire::Direction::NONE, 0);
  CHECK(r.status(5) == std::make_tuple(0, -1, -1, -1));
  auto blocks = f.run(f.make_task(read10(40, 8), wire::Direction::READ, 4096));
  CHECK(std::all_of(blocks->data.data, blocks->data.data + 4096, [](uint8_t b) { return b == 0; }));
}

TEST_CASE("report_luns_through_the_stream_is_answered_by_the_session_layer", "[actors][remote]") {
  stmf_fixture f(lu_definition::backing_kind::ram);
  far_port r(f);
  r.login("iqn.test.remote", 0x400000000006);
  std::vector<uint8_t> cdb = {0xA0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0};  // allocation length 256
  r.command(6, cdb, wire::Direction::READ, 256);
  auto list = r.expect(kind::DATA_TRANSFER_REQUEST);
  REQUIRE(list.size() == 16);  // header + one LUN
  CHECK(list[3] == 8);         // LUN LIST LENGTH
  r.transfer_done(6, r.in.read<wire::DataTransferRequest>().getBufferId(), 16);
  r.expect(kind::TASK_STATUS);
  auto st = r.in.read<wire::TaskStatus>();
  CHECK(st.getStatus() == 0);
  CHECK(st.getResidual() == wire::Residual::UNDERFLOW);
  CHECK(st.getResidualCount() == 240);
}

TEST_CASE("an_lu_restart_reaches_the_remote_port_as_a_power_on_event", "[actors][remote]") {
  stmf_fixture f(lu_definition::backing_kind::ram);
  far_port r(f);
  r.login("iqn.test.remote", 0x400000000007);
  faults::arm(faults::point::lu_execute);
  r.command(7, test_unit_ready(), wire::Direction::NONE, 0);
  // Two frames in either order: the failed command's status (never
  // silence) and the event STMF's restart causes.
  bool saw_status = false, saw_event = false;
  for (int i = 0; i < 2; ++i) {
    wire::frame_header h;
    REQUIRE(r.reader->next(r.in, h) == wire::frame_error::none);
    if (h.kind == kind::TASK_STATUS) {
      auto s = r.in.read<wire::TaskStatus>();
      CHECK(s.getStatus() == 2);
      CHECK(s.getSense()[12] == 0x44);
      saw_status = true;
    } else {
      REQUIRE(h.kind == kind::LU_STATE_EVENT);
      auto e = r.in.read<wire::LuStateEvent>();
      CHECK(e.getLuName() == "disk0");
      CHECK(e.getState() == wire::LuState::ONLINE);
      CHECK(e.getPowerOn());
      saw_event = true;
    }
  }
  CHECK(saw_status);
  CHECK(saw_event);
  // The restarted LU serves this nexus, which first hears of the POWER ON.
  r.command(8, test_unit_ready(), wire::Direction::NONE, 0);
  CHECK(r.status(8) == std::make_tuple(2, 0x6, 0x29, 0x00));
  r.command(9, test_unit_ready(), wire::Direction::NONE, 0);
  CHECK(r.status(9) == std::make_tuple(0, -1, -1, -1));
}

TEST_CASE("a_protocol_violation_ends_the_stream_and_the_nexus", "[actors][remote]") {
  stmf_fixture f(lu_definition::backing_kind::ram);
  SECTION("a command before the grant") {
    far_port r(f);
    f.self->monitor(r.bridge);
    r.command(1, test_unit_ready(), wire::Direction::NONE, 0);
    wire::frame_header h;
    CHECK(r.reader->next(r.in, h) == wire::frame_error::end_of_stream);
    f.self->receive([](const caf::down_msg&) {}, caf::after(std::chrono::seconds(10)) >> [] { FAIL("still up"); });
  }
  SECTION("garbage instead of a frame") {
    far_port r(f);
    r.login("iqn.test.remote", 0x400000000008);
    f.self->monitor(r.bridge);
    uint8_t junk[32] = {'J', 'U', 'N', 'K'};
    REQUIRE(::write(r.fd, junk, sizeof junk) == ssize_t(sizeof junk));
    // Closed with the junk unread: a reset (io_error) or a plain end.
    wire::frame_header h;
    auto e = r.reader->next(r.in, h);
    CHECK((e == wire::frame_error::end_of_stream || e == wire::frame_error::io_error));
    f.self->receive([](const caf::down_msg&) {}, caf::after(std::chrono::seconds(10)) >> [] { FAIL("still up"); });
  }
}
