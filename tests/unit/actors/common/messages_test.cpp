// The framework's messages (actors/common/messages.hpp): each kind as its
// sender builds it in a pooled slot, read in place, and the same slot
// written to a real stream (a socket pair, wire/stream/fd_stream.hpp) and
// read on the far side unchanged. Unknown enum values from a newer peer
// read as nullopt / notSupported, never as something else.
#include <catch2/catch.hpp>

#include <caf/actor.hpp>

#include "actors/common/messages.hpp"
#include "tests/unit/wire/stream/socket_pair.hpp"
#include "wire/stream/fd_stream.hpp"

using namespace stmfd;
using kind = wire::MessageKind;
using stmfd::test::socket_pair;

namespace {

remote_port initiator() {
  return remote_port{transport::iscsi, "iqn.example:init", "iqn.example:init,i,0x23d000000001"};
}

// Writes m's slot on one end of a socket pair and reads it on the other
// into `in`: the frame checks (schema walk included) pass and the reader
// gets the same struct.
template <class T>
typename T::Reader across(socket_pair& s, wire::message_slot& in, kind k, const wire::message_ref<T>& m) {
  REQUIRE(wire::write_frame(s.port, k, m.slot()) == wire::frame_error::none);
  wire::frame_reader reader(s.lu);
  wire::frame_header h;
  REQUIRE(reader.expect(in, k, h) == wire::frame_error::none);
  CHECK(h.payload_bytes == 0);
  return in.read<T>();
}

}  // namespace

TEST_CASE("nexus_request_is_read_in_place_and_crosses_a_stream", "[messages]") {
  auto m = make_nexus_request(remote_port{transport::fc, "wwn.5000000000000001", "wwn.5000000000000001"}, 3, 64);
  auto check = [](wire::NexusRequest::Reader r) {
    auto who = from_wire(r.getInitiator());
    REQUIRE(who);
    CHECK(who->kind == transport::fc);
    CHECK(who->initiator_name == "wwn.5000000000000001");
    CHECK(who->port_name == "wwn.5000000000000001");
    CHECK(r.getRelativePortId() == 3);
    CHECK(r.getCommandWindow() == 64);
  };
  check(m.get());
  socket_pair s;
  wire::fixed_message_slot<256> in;
  check(across(s, in, kind::NEXUS_REQUEST, m));
}

TEST_CASE("a_grant_carries_names_in_the_message_and_handles_beside_it", "[messages]") {
  local_port port{transport::iscsi, "iqn.t", 2, 7, {1, 2, 3}};
  auto pool = std::make_shared<task_pool>(2);
  auto g = make_grant(55, {{3, "disk3", caf::actor{}, lu_state::restarting}, {300, "disk300", caf::actor{}}}, pool,
                      &port);
  CHECK(g.tasks == pool);
  REQUIRE(g.lus.size() == 2);  // one handle per LUN, in the message's order
  auto luns = lun_map_of(g);
  REQUIRE(luns.size() == 2);
  CHECK(luns[1].lun == 300);
  CHECK(luns[1].lu_name == "disk300");
  CHECK(luns[0].state == lu_state::restarting);  // each LU's state when the grant was made
  CHECK(luns[1].state == lu_state::online);

  socket_pair s;
  wire::fixed_message_slot<256> in;
  auto far = across(s, in, kind::NEXUS_GRANT, g.msg);
  CHECK(far.getLuns()[0].getLuState() == wire::LuState::RESTARTING);
  CHECK(far.getLuns()[1].getLuState() == wire::LuState::ONLINE);
  auto back = from_wire(far);
  REQUIRE(back);
  CHECK(back->nexus == 55);
  REQUIRE(back->luns.size() == 2);
  CHECK(back->luns[0].number == 3);
  CHECK(back->luns[0].lu_name == "disk3");
  REQUIRE(back->port);
  CHECK(back->port->target_name == "iqn.t");
  CHECK(back->port->relative_port_id == 2);
  CHECK(back->port->target_port_group == 7);
  CHECK(back->port->designators == std::vector<uint8_t>{1, 2, 3});

  auto no_port = make_grant(56, {}, pool, nullptr);
  CHECK_FALSE(no_port.msg.get().hasPort());
  CHECK_FALSE(from_wire(no_port.msg.get())->port);
}

TEST_CASE("nexus_attach_and_detach_cross_a_stream", "[messages]") {
  socket_pair s;
  wire::fixed_message_slot<256> in;
  auto a = from_wire(across(s, in, kind::NEXUS_ATTACH, make_attach(nexus_attach{9, initiator(), 4})));
  REQUIRE(a);
  CHECK(a->nexus == 9);
  CHECK(a->initiator.port_name == initiator().port_name);
  CHECK(a->relative_port_id == 4);
  CHECK(across(s, in, kind::NEXUS_DETACH, make_detach(9)).getNexus() == 9);

  auto odd = make_attach(nexus_attach{9, initiator(), 4});
  odd.edit().getInitiator().setTransport(wire::Transport(9));  // a newer peer's transport
  CHECK_FALSE(from_wire(odd.get()));
}

TEST_CASE("task_management_request_and_response_cross_a_stream", "[messages]") {
  using fn = wire::TaskManagementFunction;
  socket_pair s;
  wire::fixed_message_slot<64> in;
  auto r = across(s, in, kind::TASK_MANAGEMENT_REQUEST, make_tmf_request(fn::ABORT_TASK, 12, 4, 99, 0xabcd));
  CHECK(r.getFunction() == fn::ABORT_TASK);
  CHECK(r.getNexus() == 12);
  CHECK(r.getLun() == 4);
  CHECK(r.getTag() == 99);
  CHECK(r.getReferencedTag() == 0xabcd);
  // referencedTag names a task for abortTask only.
  CHECK(make_tmf_request(fn::LOGICAL_UNIT_RESET, 12, 4, 99, 0xabcd).get().getReferencedTag() == 0);

  auto a =
      across(s, in, kind::TASK_MANAGEMENT_RESPONSE, make_tmf_response(99, wire::TaskManagementResult::NO_SUCH_TASK, 0));
  CHECK(a.getTag() == 99);
  CHECK(a.getResult() == wire::TaskManagementResult::NO_SUCH_TASK);

  CHECK(known_function(fn::IT_NEXUS_RESET));
  CHECK_FALSE(known_function(fn(40)));
  CHECK(whole_target(fn::TARGET_COLD_RESET));
  CHECK(whole_target(fn::IT_NEXUS_RESET));
  CHECK_FALSE(whole_target(fn::LOGICAL_UNIT_RESET));
}

TEST_CASE("lu_state_event_and_list_cross_a_stream", "[messages]") {
  socket_pair s;
  wire::fixed_message_slot<256> in;
  auto e = across(s, in, kind::LU_STATE_EVENT, make_lu_event("disk3", lu_state::restarting, "crashed", true));
  CHECK(e.getLuName() == "disk3");
  CHECK(e.getState() == wire::LuState::RESTARTING);
  CHECK(e.getReason() == "crashed");
  CHECK(e.getPowerOn());
  CHECK_FALSE(e.getCapacityChanged());

  auto list = lu_state_list::make();
  auto lus = list.edit().initLus(2);
  lus[0].setLuName("a");
  lus[0].setState(to_wire(lu_state::online));
  lus[1].setLuName("b");
  lus[1].setState(to_wire(lu_state::failed));
  lus[1].setReason("cannot open");
  auto back = across(s, in, kind::LU_STATE_LIST, list).getLus();
  REQUIRE(back.size() == 2);
  CHECK(from_wire(back[1].getState()) == lu_state::failed);
  CHECK(back[1].getReason() == "cannot open");

  for (auto st : {lu_state::online, lu_state::restarting, lu_state::failed, lu_state::offline})
    CHECK(from_wire(to_wire(st)) == st);
  CHECK_FALSE(from_wire(wire::LuState(9)));
}

TEST_CASE("a_task_transfer_request_and_its_completion_share_the_task_slot", "[messages][xfer]") {
  auto pool = std::make_shared<task_pool>(1);
  task_ptr t = pool->acquire();
  auto task = t->reset_message();
  task.setNexus(5);
  task.setTaskTag(0x42);
  CHECK(transfer_request(*t).getLength() == 0);  // nothing asked yet: zeros, never a crash

  request_data_out(*t, 512, 3584, true);
  auto r = transfer_request(*t);
  CHECK(r.getNexus() == 5);
  CHECK(r.getTaskTag() == 0x42);
  CHECK(r.getDirection() == wire::Direction::WRITE);
  CHECK(r.getBufferOffset() == 512);
  CHECK(r.getLength() == 3584);
  CHECK(r.getLast());
  CHECK_FALSE(t->transfer.spilled());
  const uint64_t id = r.getBufferId();  // r reads the slot, which the completion replaces

  // The request crosses a stream as the port of another process gets it.
  socket_pair s;
  REQUIRE(wire::write_frame(s.port, kind::DATA_TRANSFER_REQUEST, t->transfer) == wire::frame_error::none);
  wire::fixed_message_slot<64> in;
  wire::frame_reader reader(s.lu);
  wire::frame_header h;
  REQUIRE(reader.expect(in, kind::DATA_TRANSFER_REQUEST, h) == wire::frame_error::none);
  CHECK(in.read<wire::DataTransferRequest>().getLength() == 3584);

  complete_transfer(*t, wire::TransferStatus::OK, 3584);
  auto c = transfer_completion(*t);
  CHECK(c.getNexus() == 5);
  CHECK(c.getTaskTag() == 0x42);
  CHECK(c.getBufferId() == id);
  CHECK(c.getBytesMoved() == 3584);
  CHECK(c.getStatus() == wire::TransferStatus::OK);
  REQUIRE(wire::write_frame(s.port, kind::DATA_TRANSFER_COMPLETION, t->transfer) == wire::frame_error::none);
  REQUIRE(reader.expect(in, kind::DATA_TRANSFER_COMPLETION, h) == wire::frame_error::none);
  CHECK(in.read<wire::DataTransferCompletion>().getBytesMoved() == 3584);
}
