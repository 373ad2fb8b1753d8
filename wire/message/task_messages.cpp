#include "wire/message/task_messages.hpp"

#include <algorithm>

namespace stmfd::wire {

const char* command_problem(ScsiTask::Reader command) {
  auto cdb = command.getCdb();
  if (cdb.size() == 0 || cdb.size() > max_cdb_bytes) return "CDB length out of range";
  switch (command.getDirection()) {
    case Direction::NONE:
    case Direction::READ:
    case Direction::WRITE: break;
    default: return "unknown data direction";
  }
  if (uint16_t(command.getAttribute()) > uint16_t(TaskAttribute::ACA)) return "unknown task attribute";
  if (command.getDirection() != Direction::WRITE && command.getDataOutLength() != 0)
    return "Data-Out on a command that does not write";
  if (command.getDataOutLength() > command.getExpectedLength()) return "more Data-Out than expected";
  return nullptr;
}

void copy_command(ScsiTask::Reader from, ScsiTask::Builder to) {
  to.setLun(from.getLun());
  to.setTaskTag(from.getTaskTag());
  to.setAttribute(from.getAttribute());
  to.setCdb(from.getCdb());
  to.setExpectedLength(from.getExpectedLength());
  to.setDirection(from.getDirection());
  to.setDataOutLength(from.getDataOutLength());
}

uint32_t data_in_bytes(ScsiTask::Reader task) {
  if (task.getDirection() == Direction::WRITE) return 0;
  return std::min(task.getDataInLength(), task.getExpectedLength());
}

void build_status(ScsiTask::Reader task, TaskStatus::Builder out) {
  bool write = task.getDirection() == Direction::WRITE;
  uint32_t expected = task.getExpectedLength();
  uint32_t moved = write ? task.getCommandLength() : task.getDataInLength();
  out.setNexus(task.getNexus());
  out.setTaskTag(task.getTaskTag());
  out.setStatus(task.getStatus());
  out.setSense(task.getSense());
  if (moved < expected) {
    out.setResidual(Residual::UNDERFLOW);
    out.setResidualCount(expected - moved);
  } else if (moved > expected) {
    out.setResidual(Residual::OVERFLOW);
    out.setResidualCount(moved - expected);
  }
  out.setDataInLength(data_in_bytes(task));
}

void build_lu_restarted(const std::string& lu_name, LuStateEvent::Builder out) {
  out.setLuName(capnp::Text::Reader(lu_name.c_str(), lu_name.size()));
  out.setState(LuState::ONLINE);
  out.setReason("restarted after a failure");
  out.setPowerOn(true);
}

}  // namespace stmfd::wire
