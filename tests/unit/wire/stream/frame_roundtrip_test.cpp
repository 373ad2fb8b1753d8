// Every message kind of wire/frame.capnp through a real stream socket: each
// field set to a value unlike its default comes out as it went in, and so
// does the payload.
#include <catch2/catch.hpp>

#include <numeric>
#include <thread>
#include <vector>

#include "tests/unit/wire/stream/socket_pair.hpp"
#include "wire/lu_event.capnp.h"
#include "wire/nexus.capnp.h"
#include "wire/status.capnp.h"
#include "wire/stream/fd_stream.hpp"
#include "wire/task.capnp.h"
#include "wire/tmf.capnp.h"
#include "wire/transfer.capnp.h"

using namespace stmfd;
using namespace stmfd::wire;
using stmfd::test::socket_pair;

namespace {

std::vector<uint8_t> pattern(size_t n, uint8_t seed) {
  std::vector<uint8_t> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = uint8_t(seed + i * 13);
  return v;
}

capnp::Data::Reader bytes(const std::vector<uint8_t>& v) { return capnp::Data::Reader(v.data(), v.size()); }

std::vector<uint8_t> bytes(capnp::Data::Reader d) { return std::vector<uint8_t>(d.begin(), d.end()); }

// Reads the next frame, requires it to be `want`, and returns its payload.
std::vector<uint8_t> receive(frame_reader& r, message_slot& slot, MessageKind want) {
  frame_header h;
  REQUIRE(r.expect(slot, want, h) == frame_error::none);
  REQUIRE(h.kind == want);
  std::vector<uint8_t> payload(r.payload_left());
  REQUIRE(r.read_payload(payload.data(), uint32_t(payload.size())) == frame_error::none);
  REQUIRE(r.payload_left() == 0);
  return payload;
}

}  // namespace

TEST_CASE("nexus_request_and_grant_round_trip", "[wire][stream]") {
  socket_pair s;
  fixed_message_slot<256> out;
  auto req = out.build<NexusRequest>();
  auto ini = req.initInitiator();
  ini.setTransport(Transport::FC);
  ini.setInitiatorName("wwn.5001405abcdef012");
  ini.setPortName("wwn.5001405abcdef013");
  req.setRelativePortId(7);
  req.setCommandWindow(96);
  REQUIRE(write_frame(s.port, MessageKind::NEXUS_REQUEST, out) == frame_error::none);

  auto designators = pattern(40, 3);
  auto grant = out.build<NexusGrant>();
  grant.setNexus(0x123456789abcull);
  auto luns = grant.initLuns(3);
  for (unsigned i = 0; i < 3; ++i) {
    luns[i].setLun(i * 100 + 1);
    luns[i].setLuName(i == 0 ? "disk0" : i == 1 ? "tape-a" : "changer");
  }
  auto port = grant.initPort();
  port.setTransport(Transport::ISCSI);
  port.setTargetName("iqn.2026-11.org.stmfd:t1");
  port.setRelativePortId(9);
  port.setTargetPortGroup(4);
  port.setDesignators(bytes(designators));
  REQUIRE(write_frame(s.port, MessageKind::NEXUS_GRANT, out) == frame_error::none);

  frame_reader r(s.lu);
  fixed_message_slot<256> in;
  CHECK(receive(r, in, MessageKind::NEXUS_REQUEST).empty());
  auto rq = in.read<NexusRequest>();
  CHECK(rq.getInitiator().getTransport() == Transport::FC);
  CHECK(rq.getInitiator().getInitiatorName() == "wwn.5001405abcdef012");
  CHECK(rq.getInitiator().getPortName() == "wwn.5001405abcdef013");
  CHECK(rq.getRelativePortId() == 7);
  CHECK(rq.getCommandWindow() == 96);

  CHECK(receive(r, in, MessageKind::NEXUS_GRANT).empty());
  auto g = in.read<NexusGrant>();
  CHECK(g.getNexus() == 0x123456789abcull);
  REQUIRE(g.getLuns().size() == 3);
  CHECK(g.getLuns()[0].getLun() == 1);
  CHECK(g.getLuns()[0].getLuName() == "disk0");
  CHECK(g.getLuns()[1].getLun() == 101);
  CHECK(g.getLuns()[1].getLuName() == "tape-a");
  CHECK(g.getLuns()[2].getLun() == 201);
  CHECK(g.getLuns()[2].getLuName() == "changer");
  CHECK(g.getPort().getTransport() == Transport::ISCSI);
  CHECK(g.getPort().getTargetName() == "iqn.2026-11.org.stmfd:t1");
  CHECK(g.getPort().getRelativePortId() == 9);
  CHECK(g.getPort().getTargetPortGroup() == 4);
  CHECK(bytes(g.getPort().getDesignators()) == designators);
}

TEST_CASE("scsi_task_round_trips_with_its_immediate_data", "[wire][stream]") {
  socket_pair s;
  fixed_message_slot<128> out;
  auto cdb = pattern(16, 0x2a);
  auto sense = pattern(18, 0x70);
  auto data = pattern(1024, 9);
  auto t = out.build<ScsiTask>();
  t.setNexus(42);
  t.setLun(3);
  t.setTaskTag(0xdeadbeef);
  t.setAttribute(TaskAttribute::HEAD_OF_QUEUE);
  t.setCdb(bytes(cdb));
  t.setExpectedLength(4096);
  t.setDirection(Direction::WRITE);
  t.setDataOutLength(1024);
  t.setRelativePortId(5);
  t.setTargetPortGroup(6);
  t.setStatus(2);
  t.setSense(bytes(sense));
  t.setDataInLength(77);
  t.setCompleted(true);
  t.setCommandLength(4095);
  REQUIRE(write_frame(s.port, MessageKind::SCSI_TASK, out, data.data(), uint32_t(data.size())) == frame_error::none);

  frame_reader r(s.lu);
  fixed_message_slot<128> in;
  CHECK(receive(r, in, MessageKind::SCSI_TASK) == data);
  auto g = in.read<ScsiTask>();
  CHECK(g.getNexus() == 42);
  CHECK(g.getLun() == 3);
  CHECK(g.getTaskTag() == 0xdeadbeef);
  CHECK(g.getAttribute() == TaskAttribute::HEAD_OF_QUEUE);
  CHECK(bytes(g.getCdb()) == cdb);
  CHECK(g.getExpectedLength() == 4096);
  CHECK(g.getDirection() == Direction::WRITE);
  CHECK(g.getDataOutLength() == 1024);
  CHECK(g.getRelativePortId() == 5);
  CHECK(g.getTargetPortGroup() == 6);
  CHECK(g.getStatus() == 2);
  CHECK(bytes(g.getSense()) == sense);
  CHECK(g.getDataInLength() == 77);
  CHECK(g.getCompleted());
  CHECK(g.getCommandLength() == 4095);
}

TEST_CASE("data_transfer_request_and_completion_round_trip_with_payload", "[wire][stream]") {
  socket_pair s;
  fixed_message_slot<64> out;
  auto data_in = pattern(8192, 1);
  auto req = out.build<DataTransferRequest>();
  req.setNexus(11);
  req.setTaskTag(12);
  req.setDirection(Direction::READ);
  req.setBufferOffset(4096);
  req.setLength(8192);
  req.setBufferId(0xfeedface12ull);
  req.setLast(true);
  REQUIRE(write_frame(s.port, MessageKind::DATA_TRANSFER_REQUEST, out, data_in.data(), 8192) == frame_error::none);

  auto data_out = pattern(3072, 200);
  auto done = out.build<DataTransferCompletion>();
  done.setNexus(21);
  done.setTaskTag(22);
  done.setBufferId(23);
  done.setBytesMoved(3072);
  done.setStatus(TransferStatus::TRANSPORT_FAILED);
  REQUIRE(write_frame(s.port, MessageKind::DATA_TRANSFER_COMPLETION, out, data_out.data(), 3072) == frame_error::none);

  frame_reader r(s.lu);
  fixed_message_slot<64> in;
  CHECK(receive(r, in, MessageKind::DATA_TRANSFER_REQUEST) == data_in);
  auto q = in.read<DataTransferRequest>();
  CHECK(q.getNexus() == 11);
  CHECK(q.getTaskTag() == 12);
  CHECK(q.getDirection() == Direction::READ);
  CHECK(q.getBufferOffset() == 4096);
  CHECK(q.getLength() == 8192);
  CHECK(q.getBufferId() == 0xfeedface12ull);
  CHECK(q.getLast());

  CHECK(receive(r, in, MessageKind::DATA_TRANSFER_COMPLETION) == data_out);
  auto c = in.read<DataTransferCompletion>();
  CHECK(c.getNexus() == 21);
  CHECK(c.getTaskTag() == 22);
  CHECK(c.getBufferId() == 23);
  CHECK(c.getBytesMoved() == 3072);
  CHECK(c.getStatus() == TransferStatus::TRANSPORT_FAILED);
}

TEST_CASE("task_status_round_trips", "[wire][stream]") {
  socket_pair s;
  fixed_message_slot<64> out;
  auto sense = pattern(18, 0x70);
  auto st = out.build<TaskStatus>();
  st.setNexus(31);
  st.setTaskTag(32);
  st.setStatus(2);
  st.setSense(bytes(sense));
  st.setResidual(Residual::OVERFLOW);
  st.setResidualCount(512);
  st.setDataInLength(3584);
  REQUIRE(write_frame(s.port, MessageKind::TASK_STATUS, out) == frame_error::none);

  frame_reader r(s.lu);
  fixed_message_slot<64> in;
  CHECK(receive(r, in, MessageKind::TASK_STATUS).empty());
  auto g = in.read<TaskStatus>();
  CHECK(g.getNexus() == 31);
  CHECK(g.getTaskTag() == 32);
  CHECK(g.getStatus() == 2);
  CHECK(bytes(g.getSense()) == sense);
  CHECK(g.getResidual() == Residual::OVERFLOW);
  CHECK(g.getResidualCount() == 512);
  CHECK(g.getDataInLength() == 3584);
}

TEST_CASE("task_management_request_and_response_round_trip", "[wire][stream]") {
  socket_pair s;
  fixed_message_slot<64> out;
  auto q = out.build<TaskManagementRequest>();
  q.setFunction(TaskManagementFunction::CLEAR_TASK_SET);
  q.setNexus(41);
  q.setLun(258);
  q.setTag(43);
  q.setReferencedTag(44);
  REQUIRE(write_frame(s.port, MessageKind::TASK_MANAGEMENT_REQUEST, out) == frame_error::none);
  auto a = out.build<TaskManagementResponse>();
  a.setTag(43);
  a.setResult(TaskManagementResult::NO_SUCH_TASK);
  a.setTasksStopped(5);
  REQUIRE(write_frame(s.port, MessageKind::TASK_MANAGEMENT_RESPONSE, out) == frame_error::none);

  frame_reader r(s.lu);
  fixed_message_slot<64> in;
  CHECK(receive(r, in, MessageKind::TASK_MANAGEMENT_REQUEST).empty());
  auto gq = in.read<TaskManagementRequest>();
  CHECK(gq.getFunction() == TaskManagementFunction::CLEAR_TASK_SET);
  CHECK(gq.getNexus() == 41);
  CHECK(gq.getLun() == 258);
  CHECK(gq.getTag() == 43);
  CHECK(gq.getReferencedTag() == 44);
  CHECK(receive(r, in, MessageKind::TASK_MANAGEMENT_RESPONSE).empty());
  auto ga = in.read<TaskManagementResponse>();
  CHECK(ga.getTag() == 43);
  CHECK(ga.getResult() == TaskManagementResult::NO_SUCH_TASK);
  CHECK(ga.getTasksStopped() == 5);
}

TEST_CASE("lu_state_event_round_trips", "[wire][stream]") {
  socket_pair s;
  fixed_message_slot<64> out;
  auto e = out.build<LuStateEvent>();
  e.setLuName("disk7");
  e.setState(LuState::RESTARTING);
  e.setReason("io actor failed");
  e.setPowerOn(true);
  e.setReportedLunsDataChanged(true);
  e.setCapacityChanged(true);
  e.setCapacityBytes(1ull << 33);
  REQUIRE(write_frame(s.port, MessageKind::LU_STATE_EVENT, out) == frame_error::none);

  frame_reader r(s.lu);
  fixed_message_slot<64> in;
  CHECK(receive(r, in, MessageKind::LU_STATE_EVENT).empty());
  auto g = in.read<LuStateEvent>();
  CHECK(g.getLuName() == "disk7");
  CHECK(g.getState() == LuState::RESTARTING);
  CHECK(g.getReason() == "io actor failed");
  CHECK(g.getPowerOn());
  CHECK(g.getReportedLunsDataChanged());
  CHECK(g.getCapacityChanged());
  CHECK(g.getCapacityBytes() == (1ull << 33));
}

TEST_CASE("a_payload_larger_than_the_socket_buffer_arrives_whole", "[wire][stream]") {
  // The writer blocks on a full socket and finishes partial writes; the
  // reader takes partial reads until the frame is whole.
  socket_pair s;
  auto data = pattern(1u << 20, 77);
  std::thread writer([&] {
    fixed_message_slot<64> out;
    auto req = out.build<DataTransferRequest>();
    req.setLength(uint32_t(data.size()));
    CHECK(write_frame(s.port, MessageKind::DATA_TRANSFER_REQUEST, out, data.data(), uint32_t(data.size())) ==
          frame_error::none);
  });
  frame_reader r(s.lu, 1u << 20);
  fixed_message_slot<64> in;
  auto got = receive(r, in, MessageKind::DATA_TRANSFER_REQUEST);
  writer.join();
  CHECK(in.read<DataTransferRequest>().getLength() == data.size());
  CHECK(got == data);
}

TEST_CASE("unread_payload_is_skipped_by_the_next_read", "[wire][stream]") {
  socket_pair s;
  fixed_message_slot<64> out;
  auto data = pattern(5000, 1);
  out.build<DataTransferCompletion>().setBytesMoved(5000);
  REQUIRE(write_frame(s.port, MessageKind::DATA_TRANSFER_COMPLETION, out, data.data(), 5000) == frame_error::none);
  out.build<TaskStatus>().setTaskTag(99);
  REQUIRE(write_frame(s.port, MessageKind::TASK_STATUS, out) == frame_error::none);

  frame_reader r(s.lu);
  fixed_message_slot<64> in;
  frame_header h;
  REQUIRE(r.next(in, h) == frame_error::none);
  CHECK(r.payload_left() == 5000);
  REQUIRE(r.next(in, h) == frame_error::none);
  CHECK(h.kind == MessageKind::TASK_STATUS);
  CHECK(in.read<TaskStatus>().getTaskTag() == 99);
}

TEST_CASE("a_clean_close_between_frames_is_end_of_stream", "[wire][stream]") {
  socket_pair s;
  fixed_message_slot<64> out;
  out.build<TaskStatus>().setTaskTag(1);
  REQUIRE(write_frame(s.port, MessageKind::TASK_STATUS, out) == frame_error::none);
  s.close_port();
  frame_reader r(s.lu);
  fixed_message_slot<64> in;
  frame_header h;
  REQUIRE(r.next(in, h) == frame_error::none);
  CHECK(r.next(in, h) == frame_error::end_of_stream);
}
