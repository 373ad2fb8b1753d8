// Every kind of framework message crosses a real Cap'n Proto stream (a
// socket pair, wire/stream/fd_stream.hpp) between its sender and a real
// receiver, which serves what arrived: the message as the sender built it
// in its pooled slot is written as a frame, read into the far side's slot,
// taken into a pooled slot there (message_ref::copy_of) and delivered; the
// receiver's answer crosses back the same way. This is the remote path the
// HA work needs (STMF or an LU in another process), one kind at a time;
// tests/actors/remote_lu_test.cpp runs whole commands through the
// stream_bridge.
#include <algorithm>
#include <cstring>

#include "tests/actors/fixture.hpp"
#include "tests/unit/wire/stream/socket_pair.hpp"
#include "wire/stream/fd_stream.hpp"

using namespace stmfd;
using namespace stmfd::test;
using kind = wire::MessageKind;
using tmf = wire::TaskManagementFunction;

namespace {

// One direction of a stream: frames written on one end, read on the other.
struct wire_link {
  socket_pair s;
  wire::frame_reader reader{s.lu};
  wire::fixed_message_slot<1024> in;

  // Sends `m` across and returns the far side's own message, as a receiver
  // in another process would hold it.
  template <class T>
  wire::message_ref<T> cross(kind k, const wire::message_ref<T>& m) {
    REQUIRE(wire::write_frame(s.port, k, m.slot()) == wire::frame_error::none);
    return arrived<T>(k);
  }
  // The same for a message in any slot (a task's transfer slot).
  template <class T>
  typename T::Reader cross_slot(kind k, wire::message_slot& slot) {
    REQUIRE(wire::write_frame(s.port, k, slot) == wire::frame_error::none);
    wire::frame_header h;
    REQUIRE(reader.expect(in, k, h) == wire::frame_error::none);
    return in.read<T>();
  }

 private:
  template <class T>
  wire::message_ref<T> arrived(kind k) {
    wire::frame_header h;
    REQUIRE(reader.expect(in, k, h) == wire::frame_error::none);
    return wire::message_ref<T>::copy_of(in.read<T>());
  }
};

// The LU's answer to a task management request that crossed the link, back
// across it (the far side's own copy).
tmf_response tmf_across(stmf_fixture& f, wire_link& there, wire_link& back, const tmf_request& req) {
  tmf_response answer;
  f.self
      ->request(f.grant.luns[0].lu, std::chrono::seconds(10), tmf_atom::value,
                there.cross(kind::TASK_MANAGEMENT_REQUEST, req))
      .receive([&](const tmf_response& r) { answer = r; },
               [&](caf::error& e) { FAIL("task management failed: " << to_string(e)); });
  REQUIRE(answer);
  return back.cross(kind::TASK_MANAGEMENT_RESPONSE, answer);
}

task_ptr tur_on(stmf_fixture& f, uint64_t nexus) {
  auto t = f.make_task(test_unit_ready(), wire::Direction::NONE, 0);
  t->task.setNexus(nexus);
  return f.run(t);
}

}  // namespace

TEST_CASE("a_nexus_request_from_a_stream_is_granted_and_the_grant_crosses_back", "[actors][messages]") {
  stmf_fixture f(lu_definition::backing_kind::ram);
  wire_link to_stmf, to_port;
  nexus_grant g;
  f.self
      ->request(f.stmf, std::chrono::seconds(5), login_atom::value,
                to_stmf.cross(kind::NEXUS_REQUEST, test_nexus("iqn.test.far", 0x400000000021)))
      .receive([&](const nexus_grant& x) { g = x; }, [](caf::error& e) { FAIL("refused: " << to_string(e)); });
  REQUIRE(g.msg);
  REQUIRE(g.lus.size() == 1);
  CHECK(g.lus[0]);  // the handle stays in this process, beside the message
  auto far = from_wire(to_port.cross(kind::NEXUS_GRANT, g.msg).get());
  REQUIRE(far);
  CHECK(far->nexus == g.msg.get().getNexus());
  CHECK(far->nexus != f.grant.nexus);
  REQUIRE(far->luns.size() == 1);
  CHECK(far->luns[0].lu_name == "disk0");
  REQUIRE(far->port);
  CHECK(far->port->target_name == "iqn.2026-11.org.stmfd:test");
  // The nexus ends by a NexusDetach that crossed too: STMF forgets it.
  auto sessions = [&] {
    uint64_t n = 0;
    f.self->request(f.stmf, std::chrono::seconds(5), stats_atom::value)
        .receive([&](std::vector<uint64_t>& v) { n = v.at(0); }, [](caf::error& e) { FAIL(to_string(e)); });
    return n;
  };
  uint64_t before = sessions();
  f.self->send(f.stmf, logout_atom::value, to_stmf.cross(kind::NEXUS_DETACH, make_detach(far->nexus)));
  CHECK(sessions() == before - 1);
}

TEST_CASE("attach_detach_and_task_management_from_a_stream_are_served_by_the_lu", "[actors][messages][tmf]") {
  stmf_fixture f(lu_definition::backing_kind::ram);
  wire_link to_lu, to_port;
  auto lu = f.grant.luns[0].lu;
  const uint64_t far_nexus = 777;  // a nexus STMF registered in another process
  f.self->send(
      lu, login_atom::value,
      to_lu.cross(kind::NEXUS_ATTACH,
                  make_attach(nexus_attach{
                      far_nexus, remote_port{transport::iscsi, "iqn.test.far", "iqn.test.far,i,0x400000000022"}, 1})));
  // A LUN reset that crossed the stream reaches the attached nexus (SAM-5
  // 6.3.3: every nexus of the LU gets 29h/03h).
  auto r = tmf_across(f, to_lu, to_port, make_tmf_request(tmf::LOGICAL_UNIT_RESET, f.grant.nexus, 0, 0x31, 0));
  CHECK(r.get().getTag() == 0x31);
  CHECK(r.get().getResult() == wire::TaskManagementResult::COMPLETE);
  CHECK(r.get().getTasksStopped() == 0);
  CHECK(sense_of(tur_on(f, far_nexus)) == std::make_tuple(0x6, 0x29, 0x03));

  // Detached the same way, it hears of the next reset no more.
  f.self->send(lu, logout_atom::value, to_lu.cross(kind::NEXUS_DETACH, make_detach(far_nexus)));
  r = tmf_across(f, to_lu, to_port, make_tmf_request(tmf::LOGICAL_UNIT_RESET, f.grant.nexus, 0, 0x32, 0));
  CHECK(r.get().getTag() == 0x32);
  CHECK(r.get().getResult() == wire::TaskManagementResult::COMPLETE);
  CHECK(tur_on(f, far_nexus)->task.getStatus() == 0);

  // A function this side does not know (a newer peer) is answered, not obeyed.
  auto odd = make_tmf_request(tmf::ABORT_TASK_SET, f.grant.nexus, 0, 0x33, 0);
  odd.edit().setFunction(tmf(40));
  r = tmf_across(f, to_lu, to_port, odd);
  CHECK(r.get().getTag() == 0x33);
  CHECK(r.get().getResult() == wire::TaskManagementResult::NOT_SUPPORTED);
}

TEST_CASE("the_lu_state_list_crosses_a_stream", "[actors][messages]") {
  stmf_fixture f(lu_definition::backing_kind::ram);
  wire_link to_asker;
  lu_state_list list;
  f.self->request(f.stmf, std::chrono::seconds(5), get_atom::value, lu_state_atom::value)
      .receive([&](const lu_state_list& l) { list = l; }, [](caf::error& e) { FAIL(to_string(e)); });
  REQUIRE(list);
  auto far_msg = to_asker.cross(kind::LU_STATE_LIST, list);  // keeps the far side's slot
  auto far = far_msg.get().getLus();
  REQUIRE(far.size() == 1);
  CHECK(far[0].getLuName() == "disk0");
  CHECK(far[0].getState() == wire::LuState::ONLINE);
  CHECK(far[0].getReason() == "");
}

TEST_CASE("a_data_transfer_request_and_completion_cross_a_stream_and_the_lu_writes_the_data",
          "[actors][messages][xfer]") {
  stmf_fixture f(lu_definition::backing_kind::ram);
  wire_link to_port, to_lu;
  std::vector<uint8_t> first(512, 0x61);  // immediate data; the LU asks for the rest
  auto t = f.make_task(write10(16, 4), wire::Direction::WRITE, 2048, first);
  t->task.setTaskTag(0x51);
  f.self->send(f.grant.luns[0].lu, execute_atom::value, t);
  f.self->receive(
      [&](xfer_atom, task_ptr& x) {
        // The LU's DataTransferRequest, as the port in another process reads it.
        auto req = to_port.cross_slot<wire::DataTransferRequest>(kind::DATA_TRANSFER_REQUEST, x->transfer);
        CHECK(req.getNexus() == f.grant.nexus);
        CHECK(req.getTaskTag() == 0x51);
        CHECK(req.getDirection() == wire::Direction::WRITE);
        REQUIRE(req.getBufferOffset() == 512);
        REQUIRE(req.getLength() == 1536);
        // That port fetches the bytes and answers with a completion, which
        // crosses back into the task's slot here.
        std::memset(x->data.data + 512, 0x62, 1536);
        wire::fixed_message_slot<16> far;
        auto c = far.build<wire::DataTransferCompletion>();
        c.setNexus(req.getNexus());
        c.setTaskTag(req.getTaskTag());
        c.setBufferId(req.getBufferId());
        c.setBytesMoved(req.getLength());
        c.setStatus(wire::TransferStatus::OK);
        auto back = to_lu.cross_slot<wire::DataTransferCompletion>(kind::DATA_TRANSFER_COMPLETION, far);
        x->transfer.build_copy<wire::DataTransferCompletion>(back);
        return std::make_tuple(xfer_atom::value, x);
      },
      caf::after(std::chrono::seconds(5)) >> [] { FAIL("the LU did not ask for the Data-Out"); });
  f.self->receive([&](done_atom, task_ptr& d) { CHECK(d->task.getStatus() == 0); },
                  caf::after(std::chrono::seconds(5)) >> [] { FAIL("the write did not complete"); });
  auto r = f.run(f.make_task(read10(16, 4), wire::Direction::READ, 2048));
  REQUIRE(r->task.getStatus() == 0);
  CHECK(std::all_of(r->data.data, r->data.data + 512, [](uint8_t b) { return b == 0x61; }));
  CHECK(std::all_of(r->data.data + 512, r->data.data + 2048, [](uint8_t b) { return b == 0x62; }));
}
