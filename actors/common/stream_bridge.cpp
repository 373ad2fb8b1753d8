#include "actors/common/stream_bridge.hpp"

#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <utility>

#include <caf/all.hpp>

#include "actors/common/log.hpp"
#include "actors/common/messages.hpp"
#include "wire/message/task_messages.hpp"
#include "wire/scsi/report_luns.hpp"
#include "wire/scsi/sense.hpp"
#include "wire/stream/fd_stream.hpp"
#include "wire/transfer.capnp.h"

namespace stmfd {

namespace {

using kind = wire::MessageKind;
using tmf = wire::TaskManagementFunction;

// The 8-byte LUN field the session layer routes by. A number beyond the
// single-level range gets a field that names no LU (answered LOGICAL UNIT
// NOT SUPPORTED), never a masked one that names another.
std::array<uint8_t, 8> lun_field(uint64_t lun) {
  if (lun > scsi::max_lun) return {0xFF, 0xFF, 0, 0, 0, 0, 0, 0};
  return scsi::encode_lun(uint16_t(lun));
}

}  // namespace

stream_bridge::stream_bridge(caf::actor_config& cfg, int fd, caf::actor stmf, stream_bridge_options opts)
    : caf::event_based_actor(cfg), fd_(fd), stmf_(std::move(stmf)), opts_(opts) {
  auto us = std::chrono::duration_cast<std::chrono::microseconds>(opts_.send_timeout).count();
  timeval tv{time_t(us / 1000000), suseconds_t(us % 1000000)};
  ::setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);  // fails harmlessly on a pipe
}

stream_bridge::~stream_bridge() noexcept {
  if (fd_ >= 0) ::close(fd_);
}

caf::behavior stream_bridge::make_behavior() {
  set_down_handler([this](caf::down_msg& m) { on_down(m); });
  inbound_ = std::make_unique<stream_inbound>(fd_, address(), opts_.inbound_frames, opts_.max_transfer);
  return {
      [this](frame_atom, const inbound_ptr& f) { on_frame(*f); },
      [this](closed_atom, uint8_t e) {
        auto err = wire::frame_error(e);
        if (err == wire::frame_error::end_of_stream)
          log::info("stream: the port closed the stream");
        else
          log::warn("stream: {}: closing", wire::to_string(err));
        closing_ = true;
        quit();
      },
      [this](done_atom, task_ptr& t) { on_task_done(std::move(t)); },
      [this](lu_update_atom, const lu_event& e, const caf::actor& lu) {
        session_.on_lu_update(e, lu);
        if (!session_.is_open()) return;
        // The event goes on unchanged. Other sessions hold the same message,
        // so it is copied into this bridge's own slot to be written.
        out_.build_copy<wire::LuStateEvent>(e.get());
        send_frame(kind::LU_STATE_EVENT);
      },
  };
}

void stream_bridge::on_exit() {
  closing_ = true;
  ::shutdown(fd_, SHUT_RDWR);  // a blocked read in the reader thread returns
  if (inbound_) inbound_->stop_and_join();
  inbound_.reset();
  ::close(fd_);
  fd_ = -1;
  session_.close(stmf_);  // STMF forgets the nexus; tasks still at an LU finish there
  tasks_.clear();
}

void stream_bridge::on_frame(inbound_frame& f) {
  if (closing_) return;
  switch (f.header.kind) {
    case kind::NEXUS_REQUEST: on_nexus_request(f); return;
    case kind::SCSI_TASK: on_command(f); return;
    case kind::DATA_TRANSFER_COMPLETION: on_transfer_done(f); return;
    case kind::TASK_MANAGEMENT_REQUEST: on_task_management(f); return;
    default: protocol_error("a frame kind only the LU side sends"); return;
  }
}

void stream_bridge::on_nexus_request(inbound_frame& f) {
  if (session_.is_open() || login_pending_) return protocol_error("a second NexusRequest");
  auto received = f.slot.read<wire::NexusRequest>();
  if (!from_wire(received.getInitiator())) return protocol_error("a NexusRequest with an unknown transport");
  login_pending_ = true;
  // The request goes to STMF as it came (copied out of the reader's slot,
  // which the next frame reuses), and STMF's grant goes back as it is: the
  // LU actors and the pool beside it stay here.
  request(stmf_, std::chrono::seconds(10), login_atom::value, nexus_request::copy_of(received))
      .then(
          [this](const nexus_grant& g) {
            login_pending_ = false;
            session_.open(g);
            send_frame(kind::NEXUS_GRANT, g.msg.slot());
          },
          [this](caf::error& e) {
            log::warn("stream: STMF refused the nexus: {}", to_string(e));
            closing_ = true;
            quit();
          });
}

void stream_bridge::on_command(inbound_frame& f) {
  if (!session_.is_open()) return protocol_error("a command before the nexus was granted");
  auto cmd = f.slot.read<wire::ScsiTask>();
  if (auto why = wire::command_problem(cmd)) return protocol_error(why);
  if (cmd.getNexus() != session_.id()) return protocol_error("a command for another nexus");
  uint32_t tag = cmd.getTaskTag();
  if (tasks_.count(tag) != 0) return protocol_error("a task tag already in use");
  if (f.header.payload_bytes != cmd.getDataOutLength()) return protocol_error("payload length is not dataOutLength");

  remote_task rt;
  rt.t = session_.new_task();
  wire::copy_command(cmd, rt.t->task);
  uint32_t expected = cmd.getExpectedLength();
  bool write = cmd.getDirection() == wire::Direction::WRITE && expected > 0;
  if (write) {
    if (f.payload && f.payload.capacity >= expected) {
      rt.t->data = std::exchange(f.payload, io::buffer{});  // the immediate data's buffer holds it all
    } else {
      rt.t->data = io::buffer_pool::global().acquire(expected);
      if (!rt.t->data) {  // out of buffer memory: SAM-5 BUSY, the initiator retries
        rt.t->task.setStatus(scsi::status::busy);
        rt.t->task.setCompleted(true);
        send_status(*rt.t);
        return;
      }
      if (f.payload) std::memcpy(rt.t->data.data, f.payload.data, f.header.payload_bytes);
    }
    rt.received = cmd.getDataOutLength();
  }
  auto [it, inserted] = tasks_.emplace(tag, std::move(rt));
  if (write && it->second.received < expected)
    fetch_data_out(tag, it->second);
  else
    dispatch(tag, it->second);
}

// Asks the port for the next piece of Data-Out (the stream's R2T).
void stream_bridge::fetch_data_out(uint32_t tag, remote_task& rt) {
  uint32_t expected = rt.t->task.getExpectedLength();
  rt.out_length = std::min(opts_.max_transfer, expected - rt.received);
  rt.out_buffer = next_buffer_id_++;
  auto m = out_.build<wire::DataTransferRequest>();
  m.setNexus(session_.id());
  m.setTaskTag(tag);
  m.setDirection(wire::Direction::WRITE);
  m.setBufferOffset(rt.received);
  m.setLength(rt.out_length);
  m.setBufferId(rt.out_buffer);
  m.setLast(rt.received + rt.out_length == expected);
  send_frame(kind::DATA_TRANSFER_REQUEST);
}

void stream_bridge::on_transfer_done(inbound_frame& f) {
  auto c = f.slot.read<wire::DataTransferCompletion>();
  if (!session_.is_open() || c.getNexus() != session_.id()) return protocol_error("a completion for another nexus");
  auto it = tasks_.find(c.getTaskTag());
  if (it == tasks_.end()) return;  // aborted meanwhile: its bytes are dropped
  uint32_t tag = it->first;
  remote_task& rt = it->second;
  bool ok = c.getStatus() == wire::TransferStatus::OK;
  if (rt.now == remote_task::phase::data_out) {
    if (rt.out_buffer == 0 || c.getBufferId() != rt.out_buffer)
      return protocol_error("a completion for no outstanding transfer");
    if (!ok) {  // the port dropped the task: it expects nothing more
      tasks_.erase(it);
      return;
    }
    if (c.getBytesMoved() != rt.out_length || f.header.payload_bytes != rt.out_length)
      return protocol_error("a Data-Out piece of the wrong length");
    std::memcpy(rt.t->data.data + rt.received, f.payload.data, rt.out_length);
    rt.received += rt.out_length;
    rt.out_buffer = 0;
    if (rt.received < rt.t->task.getExpectedLength())
      fetch_data_out(tag, rt);
    else
      dispatch(tag, rt);
    return;
  }
  if (rt.now != remote_task::phase::data_in || f.header.payload_bytes != 0)
    return protocol_error("a completion for no outstanding transfer");
  if (!ok) {
    tasks_.erase(it);
    return;
  }
  if (--rt.data_in_pieces == 0) {  // every piece of Data-In delivered: status follows
    send_status(*rt.t);
    tasks_.erase(it);
  }
}

void stream_bridge::dispatch(uint32_t tag, remote_task& rt) {
  rt.t->task.setDataOutLength(rt.received);
  auto field = lun_field(rt.t->task.getLun());
  const lun_entry* lu = session_.route(field.data(), rt.t->task.getCdb().begin());
  if (lu == nullptr) {  // REPORT LUNS, or a LUN with no LU: the session layer answers
    session_.answer(*rt.t, field.data());
    respond(tag, rt);
    return;
  }
  rt.now = remote_task::phase::at_lu;
  session_.start(rt.t, *lu);
}

void stream_bridge::on_task_done(task_ptr t) {
  session_.finished(t);
  uint32_t tag = t->task.getTaskTag();
  auto it = tasks_.find(tag);
  if (it == tasks_.end() || it->second.t != t) return;  // aborted meanwhile
  if (t->aborted.load(std::memory_order_acquire)) {     // SAM-5 5.6, TAS=0: no status
    tasks_.erase(it);
    return;
  }
  respond(tag, it->second);
}

void stream_bridge::on_down(const caf::down_msg& m) {
  task_ptr t = session_.on_down(m);  // a task actor died with a task: CHECK CONDITION now
  if (!t) return;
  auto it = tasks_.find(t->task.getTaskTag());
  if (it != tasks_.end() && it->second.t == t) respond(it->first, it->second);
}

// The task completed: its Data-In in pieces, then (once the port confirmed
// them) its status. May erase the task's entry.
void stream_bridge::respond(uint32_t tag, remote_task& rt) {
  uint32_t n = wire::data_in_bytes(rt.t->task.asReader());
  if (n == 0 || !rt.t->data) {
    send_status(*rt.t);
    tasks_.erase(tag);
    return;
  }
  rt.now = remote_task::phase::data_in;
  for (uint32_t offset = 0; offset < n;) {
    uint32_t piece = std::min(opts_.max_transfer, n - offset);
    auto m = out_.build<wire::DataTransferRequest>();
    m.setNexus(session_.id());
    m.setTaskTag(tag);
    m.setDirection(wire::Direction::READ);
    m.setBufferOffset(offset);
    m.setLength(piece);
    m.setBufferId(next_buffer_id_++);
    m.setLast(offset + piece == n);
    if (!send_frame(kind::DATA_TRANSFER_REQUEST, rt.t->data.data + offset, piece)) return;
    ++rt.data_in_pieces;
    offset += piece;
  }
}

void stream_bridge::send_status(task_context& t) {
  wire::build_status(t.task.asReader(), out_.build<wire::TaskStatus>());
  send_frame(kind::TASK_STATUS);
}

void stream_bridge::on_task_management(inbound_frame& f) {
  auto r = f.slot.read<wire::TaskManagementRequest>();
  if (!session_.is_open() || r.getNexus() != session_.id()) return protocol_error("task management for another nexus");
  uint32_t tag = r.getTag();
  auto fn = r.getFunction();
  if (!known_function(fn)) return send_tmf_response(tag, wire::TaskManagementResult::NOT_SUPPORTED, 0);
  uint64_t lun = r.getLun();
  if (!whole_target(fn)) {
    auto& luns = session_.luns();
    if (std::none_of(luns.begin(), luns.end(), [&](const lun_entry& e) { return e.lun == lun; }))
      return send_tmf_response(tag, wire::TaskManagementResult::NO_SUCH_LUN, 0);
  }
  uint32_t stopped = 0;
  if (fn == tmf::ABORT_TASK) {
    auto it = tasks_.find(r.getReferencedTag());
    if (it == tasks_.end() || it->second.t->task.getLun() != lun)
      return send_tmf_response(tag, wire::TaskManagementResult::NO_SUCH_TASK, 0);
    bool at_lu = it->second.now == remote_task::phase::at_lu;
    it->second.t->aborted.store(true, std::memory_order_release);
    tasks_.erase(it);
    if (!at_lu)  // fetching Data-Out or sending Data-In here: no LU holds it
      return send_tmf_response(tag, wire::TaskManagementResult::COMPLETE, 1);
    stopped = 1;
  } else {
    stopped = abort_tasks(fn, lun);
  }
  bool cold = fn == tmf::TARGET_COLD_RESET;
  auto field = lun_field(lun);
  // The request goes on to the LUs as it came (copied out of the reader's
  // slot, which the next frame reuses). The count answered is this side's:
  // every task of the nexus in scope, at an LU or not.
  session_.task_management(tmf_request::copy_of(r), field.data(), [this, stopped, cold](const tmf_response& resp) {
    auto m = resp.get();
    send_tmf_response(m.getTag(), m.getResult(), stopped);
    if (cold) {  // SAM-5 7.9: the transport drops its connections
      closing_ = true;
      quit();
    }
  });
}

// Marks the nexus's tasks in the function's scope aborted and forgets them:
// one at an LU stops before its next medium step, and its late completion
// finds no entry; one fetching Data-Out or sending Data-In sends nothing
// more. Returns how many.
uint32_t stream_bridge::abort_tasks(wire::TaskManagementFunction fn, uint64_t lun) {
  uint32_t n = 0;
  for (auto it = tasks_.begin(); it != tasks_.end();) {
    if (whole_target(fn) || it->second.t->task.getLun() == lun) {
      it->second.t->aborted.store(true, std::memory_order_release);
      it = tasks_.erase(it);
      ++n;
    } else {
      ++it;
    }
  }
  return n;
}

void stream_bridge::send_tmf_response(uint32_t tag, wire::TaskManagementResult result, uint32_t stopped) {
  auto m = out_.build<wire::TaskManagementResponse>();
  m.setTag(tag);
  m.setResult(result);
  m.setTasksStopped(stopped);
  send_frame(kind::TASK_MANAGEMENT_RESPONSE);
}

bool stream_bridge::send_frame(wire::MessageKind k, const void* payload, uint32_t payload_bytes) {
  bool ok = send_frame(k, out_, payload, payload_bytes);
  out_.clear();
  return ok;
}

bool stream_bridge::send_frame(wire::MessageKind k, wire::message_slot& msg, const void* payload,
                               uint32_t payload_bytes) {
  if (closing_) return false;
  auto e = wire::write_frame(fd_, k, msg, payload, payload_bytes);
  int err = errno;
  if (e == wire::frame_error::none) return true;
  log::warn("stream: cannot send: {} ({}): closing", wire::to_string(e), std::strerror(err));
  closing_ = true;
  quit();
  return false;
}

void stream_bridge::protocol_error(const char* why) {
  log::warn("stream: protocol error, {}: closing", why);
  closing_ = true;
  quit();
}

}  // namespace stmfd
