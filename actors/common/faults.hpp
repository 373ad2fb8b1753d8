#pragma once
// Fault injection points (architecture.md "Supervision"): tests and the
// STMFD_FAULTS environment variable arm a point to fire a number of times;
// the actor that passes an armed point fails the way a real bug would (it
// quits with an error), so supervision and recovery are tested for real.
// Disarmed points cost one relaxed atomic load.
#include <atomic>
#include <cstdint>
#include <string_view>

namespace stmfd::faults {

enum class point : uint8_t {
  task_start,   // a task actor fails before it reaches the LU
  lu_execute,   // an LU actor fails when a command arrives
  lu_io_done,   // an LU actor fails while an I/O is in flight (at its completion)
  session_pdu,  // a session actor fails on its next SCSI command PDU
  lu_io_stall,  // an LU holds its next medium I/O step for stall_ms before submitting it
                // (a slow backing store: the command stays in flight at the LU)
  count_
};

// How long lu_io_stall holds a step.
constexpr uint32_t stall_ms = 500;

// Arms `p` to fire on its next `times` passes.
void arm(point p, uint32_t times = 1);
void disarm_all();
// True if `p` is armed; consumes one firing.
bool hit(point p);
// Parses "lu_io_done=1,task_start=2"; returns false on an unknown name.
bool arm_from_string(std::string_view spec);

}  // namespace stmfd::faults
