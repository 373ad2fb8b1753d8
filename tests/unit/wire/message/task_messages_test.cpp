// The pure task conversions: which commands a remote port may send, what a
// copy of one carries, and the TaskStatus (residuals) a completed task
// reports, matching what the in-process iSCSI port sends.
#include <catch2/catch.hpp>

#include <vector>

#include "wire/message/task_messages.hpp"
#include "wire/stream/message_slot.hpp"

using namespace stmfd;
using namespace stmfd::wire;

namespace {

struct task_in_slot {
  fixed_message_slot<128> slot;
  ScsiTask::Builder t = slot.build<ScsiTask>();

  explicit task_in_slot(Direction d, uint32_t expected) {
    uint8_t cdb[10] = {0x28};
    t.setCdb(capnp::Data::Reader(cdb, sizeof cdb));
    t.setDirection(d);
    t.setExpectedLength(expected);
    t.setNexus(3);
    t.setTaskTag(4);
  }
};

struct status_in_slot {
  fixed_message_slot<64> slot;
  TaskStatus::Builder s = slot.build<TaskStatus>();
};

}  // namespace

TEST_CASE("command_problem_accepts_a_plain_read_and_write", "[wire][message]") {
  task_in_slot r(Direction::READ, 4096);
  CHECK(command_problem(r.t.asReader()) == nullptr);
  task_in_slot w(Direction::WRITE, 4096);
  w.t.setDataOutLength(4096);
  CHECK(command_problem(w.t.asReader()) == nullptr);
}

TEST_CASE("command_problem_refuses_what_no_port_sends", "[wire][message]") {
  SECTION("no CDB") {
    task_in_slot x(Direction::NONE, 0);
    x.t.setCdb(capnp::Data::Reader());
    CHECK(command_problem(x.t.asReader()) != nullptr);
  }
  SECTION("a CDB beyond 260 bytes") {
    task_in_slot x(Direction::NONE, 0);
    std::vector<uint8_t> cdb(max_cdb_bytes + 1, 0x7f);
    x.t.setCdb(capnp::Data::Reader(cdb.data(), cdb.size()));
    CHECK(command_problem(x.t.asReader()) != nullptr);
  }
  SECTION("an unknown direction") {
    task_in_slot x(Direction(7), 0);
    CHECK(command_problem(x.t.asReader()) != nullptr);
  }
  SECTION("an unknown task attribute") {
    task_in_slot x(Direction::NONE, 0);
    x.t.setAttribute(TaskAttribute(9));
    CHECK(command_problem(x.t.asReader()) != nullptr);
  }
  SECTION("more Data-Out than expected") {
    task_in_slot x(Direction::WRITE, 512);
    x.t.setDataOutLength(1024);
    CHECK(command_problem(x.t.asReader()) != nullptr);
  }
  SECTION("Data-Out on a read") {
    task_in_slot x(Direction::READ, 512);
    x.t.setDataOutLength(512);
    CHECK(command_problem(x.t.asReader()) != nullptr);
  }
}

TEST_CASE("copy_command_takes_the_port_fields_and_nothing_else", "[wire][message]") {
  task_in_slot from(Direction::WRITE, 8192);
  from.t.setLun(5);
  from.t.setTaskTag(0x1234);
  from.t.setAttribute(TaskAttribute::ORDERED);
  from.t.setDataOutLength(512);
  from.t.setNexus(99);          // the framework's, not the port's
  from.t.setRelativePortId(8);  // likewise
  from.t.setStatus(2);          // the LU's
  from.t.setCompleted(true);
  task_in_slot to(Direction::NONE, 0);
  to.t.setNexus(17);
  to.t.setRelativePortId(1);
  copy_command(from.t.asReader(), to.t);
  CHECK(to.t.getLun() == 5);
  CHECK(to.t.getTaskTag() == 0x1234);
  CHECK(to.t.getAttribute() == TaskAttribute::ORDERED);
  CHECK(to.t.getCdb() == from.t.getCdb());
  CHECK(to.t.getExpectedLength() == 8192);
  CHECK(to.t.getDirection() == Direction::WRITE);
  CHECK(to.t.getDataOutLength() == 512);
  CHECK(to.t.getNexus() == 17);
  CHECK(to.t.getRelativePortId() == 1);
  CHECK(to.t.getStatus() == 0);
  CHECK_FALSE(to.t.getCompleted());
}

TEST_CASE("status_of_a_read_that_moved_exactly_what_was_expected", "[wire][message]") {
  task_in_slot x(Direction::READ, 4096);
  x.t.setDataInLength(4096);
  x.t.setCompleted(true);
  status_in_slot s;
  build_status(x.t.asReader(), s.s);
  CHECK(s.s.getNexus() == 3);
  CHECK(s.s.getTaskTag() == 4);
  CHECK(s.s.getStatus() == 0);
  CHECK(s.s.getSense().size() == 0);
  CHECK(s.s.getResidual() == Residual::NONE);
  CHECK(s.s.getResidualCount() == 0);
  CHECK(s.s.getDataInLength() == 4096);
}

TEST_CASE("status_of_a_short_read_is_an_underflow", "[wire][message]") {
  task_in_slot x(Direction::READ, 4096);
  x.t.setDataInLength(96);  // INQUIRY-like: less than the allocation
  status_in_slot s;
  build_status(x.t.asReader(), s.s);
  CHECK(s.s.getResidual() == Residual::UNDERFLOW);
  CHECK(s.s.getResidualCount() == 4000);
  CHECK(s.s.getDataInLength() == 96);
}

TEST_CASE("status_of_a_read_wanting_more_than_expected_is_an_overflow_capped", "[wire][message]") {
  task_in_slot x(Direction::READ, 512);
  x.t.setDataInLength(4096);
  status_in_slot s;
  build_status(x.t.asReader(), s.s);
  CHECK(s.s.getResidual() == Residual::OVERFLOW);
  CHECK(s.s.getResidualCount() == 3584);
  CHECK(s.s.getDataInLength() == 512);  // never more Data-In than expected
}

TEST_CASE("status_of_a_write_compares_the_command_length", "[wire][message]") {
  task_in_slot x(Direction::WRITE, 4096);
  x.t.setDataOutLength(4096);
  x.t.setCommandLength(2048);  // the CDB wanted half of what the initiator sent
  status_in_slot s;
  build_status(x.t.asReader(), s.s);
  CHECK(s.s.getResidual() == Residual::UNDERFLOW);
  CHECK(s.s.getResidualCount() == 2048);
  CHECK(s.s.getDataInLength() == 0);
}

TEST_CASE("status_carries_check_condition_sense", "[wire][message]") {
  task_in_slot x(Direction::NONE, 0);
  uint8_t sense[18] = {0x70, 0, 0x06, 0, 0, 0, 0, 10, 0, 0, 0, 0, 0x29, 0x00};
  x.t.setStatus(2);
  x.t.setSense(capnp::Data::Reader(sense, sizeof sense));
  status_in_slot s;
  build_status(x.t.asReader(), s.s);
  CHECK(s.s.getStatus() == 2);
  REQUIRE(s.s.getSense().size() == sizeof sense);
  CHECK(s.s.getSense()[12] == 0x29);
  CHECK(s.s.getResidual() == Residual::NONE);
}

TEST_CASE("lu_restarted_event_is_online_with_power_on", "[wire][message]") {
  fixed_message_slot<64> slot;
  auto e = slot.build<LuStateEvent>();
  build_lu_restarted("disk3", e);
  CHECK(e.getLuName() == "disk3");
  CHECK(e.getState() == LuState::ONLINE);
  CHECK(e.getPowerOn());
  CHECK_FALSE(e.getCapacityChanged());
  CHECK_FALSE(e.getReportedLunsDataChanged());
  CHECK(e.getReason().size() > 0);
}
