#pragma once
// The LU side of a remote port (COMSTAR's proxy port provider, pppt): one
// actor per stream (a socket to a port in another process or host), which
// speaks the framework's messages as frames (wire/frame.capnp) and hosts
// the framework's session layer (nexus_session) for the remote nexus, the
// way an in-process port's connection actor does. For the port at the far
// end it is STMF and the LUs:
//  - NexusRequest (first frame): registered with STMF (login_atom); the
//    NexusGrant goes back. STMF refusing it closes the stream. The nexus
//    ends when the stream does.
//  - ScsiTask + immediate Data-Out payload: a task context from the grant's
//    pool carries it (the ScsiTask copied into its scratch segment); the
//    rest of the Data-Out is fetched with DataTransferRequest(write) and
//    arrives as DataTransferCompletion payload; then a task actor runs it
//    on its LU. Data-In goes out as DataTransferRequest(read) frames with
//    the bytes as payload; once the port confirms every piece
//    (DataTransferCompletion), the TaskStatus follows. An aborted task gets
//    nothing (SAM-5 5.6, TAS=0).
//  - TaskManagementRequest: the port's tasks in scope are marked aborted
//    here; the function goes to the LUs through the session layer and the
//    TaskManagementResponse follows when they report every task stopped.
//  - An LU's actor changed (lu_update_atom from STMF): its LuStateEvent,
//    as STMF built it.
// The framework's messages cross unchanged: the NexusRequest and the
// TaskManagementRequest go on to STMF and the LUs as they arrived (copied
// out of the reader's slot into a pooled one), STMF's NexusGrant and
// LuStateEvent go out as STMF built them.
// A frame that breaks this protocol (a command before the grant, a frame
// kind only the LU side sends, a reused tag, payload that does not match)
// ends the stream, as a malformed PDU ends an iSCSI connection at ERL 0.
//
// Writes: from the actor, each frame built in one reusable slot and written
// with one blocking sendmsg bounded by send_timeout (SO_SNDTIMEO); a peer
// that does not drain its socket that long is dropped. Reads: a thread of
// its own (stream_inbound.hpp). The bridge owns the fd and closes it.
#include <chrono>
#include <memory>
#include <unordered_map>

#include <caf/event_based_actor.hpp>

#include "actors/common/fwd.hpp"
#include "actors/common/stream_inbound.hpp"
#include "actors/session/nexus_session.hpp"
#include "wire/stream/message_slot.hpp"
#include "wire/tmf.capnp.h"

namespace stmfd {

struct stream_bridge_options {
  std::chrono::milliseconds send_timeout{5000};
  uint32_t max_transfer = 1u << 20;  // largest payload per frame, both ways
  size_t inbound_frames = 4;         // frames read ahead of the actor
};

class stream_bridge : public caf::event_based_actor {
 public:
  stream_bridge(caf::actor_config& cfg, int fd, caf::actor stmf, stream_bridge_options opts = {});
  // noexcept: its message slot (Cap'n Proto) has a destructor that may throw,
  // which clang will not let loosen caf::event_based_actor's (the fuzz build).
  ~stream_bridge() noexcept override;
  caf::behavior make_behavior() override;
  void on_exit() override;
  const char* name() const override { return "stream_bridge"; }

 private:
  // A command of the remote nexus, by its taskTag, from arrival until its
  // status went out (or it was aborted: then the entry is gone and a late
  // completion finds none).
  struct remote_task {
    enum class phase { data_out, at_lu, data_in };
    task_ptr t;
    phase now = phase::data_out;
    uint32_t received = 0;        // data_out: Data-Out bytes in t->data
    uint64_t out_buffer = 0;      // data_out: id of the piece being fetched, 0 when none
    uint32_t out_length = 0;      // ... and its length
    uint32_t data_in_pieces = 0;  // data_in: pieces the port has not confirmed
  };

  void on_frame(inbound_frame& f);
  void on_nexus_request(inbound_frame& f);
  void on_command(inbound_frame& f);
  void on_transfer_done(inbound_frame& f);
  void on_task_management(inbound_frame& f);
  void on_task_done(task_ptr t);
  void on_down(const caf::down_msg& m);

  void fetch_data_out(uint32_t tag, remote_task& rt);
  void dispatch(uint32_t tag, remote_task& rt);
  void respond(uint32_t tag, remote_task& rt);
  void send_status(task_context& t);
  uint32_t abort_tasks(wire::TaskManagementFunction fn, uint64_t lun);
  void send_tmf_response(uint32_t tag, wire::TaskManagementResult result, uint32_t stopped);
  // Writes the message built in out_ (then cleared), or `msg`.
  bool send_frame(wire::MessageKind kind, const void* payload = nullptr, uint32_t payload_bytes = 0);
  bool send_frame(wire::MessageKind kind, wire::message_slot& msg, const void* payload = nullptr,
                  uint32_t payload_bytes = 0);
  void protocol_error(const char* why);

  int fd_;
  caf::actor stmf_;
  stream_bridge_options opts_;
  std::unique_ptr<stream_inbound> inbound_;
  nexus_session session_{this};
  bool login_pending_ = false;
  bool closing_ = false;
  std::unordered_map<uint32_t, remote_task> tasks_;
  uint64_t next_buffer_id_ = 1;
  // Every outgoing frame is built here, written, and dropped: 8 KiB holds
  // a grant of about 200 LUNs; a larger one spills to the heap (once, at
  // login).
  wire::fixed_message_slot<1024> out_;
};

}  // namespace stmfd
