// Data digest errors on Data-Out (RFC 7143 7.8), at the ErrorRecoveryLevel
// this port negotiates: 0 (login/operational.cpp offers 0, the minimum wins).
//
// parse_input (connection.cpp) answers every PDU whose data digest is
// wrong with a Reject, reason 02h "Data (payload) digest error", and
// discards it. For a non-data PDU that is all (7.8): a SCSI Command with
// immediate data is thereby not received, its CmdSN stays a gap (7.3), and
// the initiator's retry of it (7.2.1) is taken as a new command. For a
// Data-Out the target must also either ask for the data again with a
// recovery R2T or end the task; a recovery R2T is within-command recovery,
// which needs ERL 1 (7.1.5), so the task ends: CHECK CONDITION, ABORTED
// COMMAND, 47h/05h PROTOCOL SERVICE CRC ERROR (the iSCSI condition "Protocol
// Service CRC error", 11.4.7.2). 7.8 makes the target wait for all the data
// first: the status goes out once each outstanding R2T's Data-Out with F=1
// has come (and, for unsolicited data, the first burst's), none of which is
// kept. The framework's open request for the data is answered false at
// once, so the LU ends the task without touching the medium and no further
// R2T goes out. An ABORT TASK meanwhile concludes the task (conn_control.cpp),
// and if the owed Data-Out stops coming, limits.dataOutTimeout ends the wait
// (conn_xfer.cpp check_data_out_timeouts).
//
// The header of the damaged PDU (ITT, TTT, F) is used as it is: it passed
// its header digest, or the session runs without one (then a damaged
// header can only misdirect which task ends, never what is written).
#include <caf/all.hpp>

#include "actors/common/log.hpp"
#include "plugins/port/iscsi/connection.hpp"

namespace stmfd::iscsi {

void connection::on_data_out_digest_error(bhs_view h) {
  auto it = tasks_.find(h.itt());
  if (it == tasks_.end() || !it->second.is_write) return;  // data for no task: the Reject is all
  task_entry& e = it->second;
  if (!e.ended_with) {
    // Only data the task waits for ends it: unsolicited data of its open
    // first burst, or a burst an outstanding R2T asked for. A PDU nobody
    // asked for would have been refused anyway (conn_xfer.cpp).
    bool waited_for = h.ttt() == reserved_tag
                          ? !e.dispatched && e.unsolicited_open
                          : std::any_of(e.r2ts.begin(), e.r2ts.end(),
                                        [&](const task_entry::burst& b) { return b.ttt == h.ttt(); });
    if (!waited_for) return;
    log::warn("{}: data digest error in Data-Out of ITT {:#x} (offset {}, {} bytes): the command ends", peer_,
              h.itt(), h.buffer_offset(), h.data_segment_length());
    e.ended_with = scsi::sense::command_aborted_protocol_crc_error();
    answer_xfer(e, false);  // the LU ends it untouched; R2Ts already out stay owed
  }
  drain_data_out(it, h);
}

void connection::drain_data_out(task_iter it, bhs_view h) {
  task_entry& e = it->second;
  e.progress = clock::now();
  if (h.final_bit()) {
    if (h.ttt() == reserved_tag) {
      if (!e.dispatched) e.unsolicited_open = false;
    } else {
      auto b = std::find_if(e.r2ts.begin(), e.r2ts.end(), [&](const task_entry::burst& x) { return x.ttt == h.ttt(); });
      if (b != e.r2ts.end()) e.r2ts.erase(b);
    }
  }
  finish_if_drained(it);
}

bool connection::finish_if_drained(task_iter it) {
  task_entry& e = it->second;
  if (!e.ended_with || data_owed(e) || (e.dispatched && !e.lu_released)) return false;
  uint32_t itt = it->first;
  task_entry done = take_task(it);
  send_check_condition(itt, done.lun_field, done.expected_length, done.is_read, *done.ended_with);
  return true;
}

}  // namespace stmfd::iscsi
