#pragma once
// One remote FC port logged in to a local port (PLOGI): its FCP image pair
// (PRLI) is the I_T nexus, registered with STMF by the initiator's WWPN
// ("wwn.<16 hex>", so host groups and views match it) and served by the
// framework's session layer hosted here (actors/session/nexus_session).
//
// Exchanges (FC-FS-4 9.12) are keyed by the initiator's OX_ID; this port
// assigns the RX_ID. The OX_ID is the task's transport tag (ABTS and ABORT
// TASK name it). FCP_CMND becomes a task (FCP-4 9.2); a write's data is
// solicited only when the LU asks for it (xfer_atom): FCP_XFER_RDY bursts of
// at most settings.max_burst, FCP_DATA accepted only in order at the offset
// and within the burst XFER_RDY named (else the exchange ends with FCP_RSP
// RSP_CODE 03h and the task aborts). Reads go out as FCP_DATA frames no
// larger than the initiator's receive data field size, then FCP_RSP with
// status, sense and residuals (FCP-4 9.5). ABTS aborts the exchange through
// the framework and is answered BA_ACC once the LU says the task stopped
// (BA_RJT for an unknown exchange); task management flags become the
// framework's functions. Malformed frames and frames for unknown exchanges
// are dropped without touching other exchanges.
#include <array>
#include <deque>
#include <memory>
#include <optional>
#include <unordered_map>

#include <caf/event_based_actor.hpp>

#include "actors/common/fwd.hpp"
#include "actors/contracts/session_detail.hpp"
#include "actors/session/nexus_session.hpp"
#include "plugins/port/fc/atoms.hpp"
#include "plugins/port/fc/hba/hba.hpp"
#include "plugins/port/fc/link_services.hpp"
#include "plugins/port/fc/port_config.hpp"
#include "wire/fc/fcp.hpp"

namespace stmfd::fc {

struct rport_args {
  caf::actor stmf;
  caf::actor_addr lport;  // told of the nexus (rport_nexus_atom); weak: the local port owns this actor
  std::shared_ptr<hba::hba> hba;
  local_port identity;  // the local port, its relative port id set
  port_settings settings;
  local_identity me;
  uint32_t remote_id = 0;
  els::login_params remote;
};

class rport_actor : public caf::event_based_actor {
 public:
  rport_actor(caf::actor_config& cfg, rport_args args);
  caf::behavior make_behavior() override;
  void on_exit() override;
  const char* name() const override { return "fc_rport"; }

 private:
  struct exchange {
    uint16_t ox_id = 0, rx_id = 0;
    task_ptr ctx;
    std::array<uint8_t, 8> lun{};
    uint32_t dl = 0;
    bool read = false, write = false;
    uint8_t seq_id = 0;  // the next sequence this port starts in the exchange
    // Data-Out solicited for the LU (xfer_atom): [next, end) still to come,
    // the current FCP_XFER_RDY covering [next, burst_end).
    std::optional<caf::response_promise> xfer;
    uint32_t next = 0, end = 0, burst_end = 0, xfer_length = 0;
  };

  // --- process login and dispatch (rport_actor.cpp) ---
  void on_frame(frame& f);
  void on_prli(frame& f);
  void on_prlo(frame& f);
  void close_nexus();
  void tell_lport(uint64_t nexus);  // rport_nexus_atom to the local port
  session_detail detail() const;    // actors/contracts/session_detail.hpp
  void send_els_reply(const frame_header& req, const els_reply& r);
  uint16_t next_rx_id();

  // --- sending (rport_send.cpp) ---
  // What waits for the link, in order: a frame, or a read's FCP_DATA cut
  // from the task's buffer (kept alive by `keep`) followed by its FCP_RSP.
  // Frames are never copied out of the task's buffer before the link takes
  // them, so what waits is bounded by the tasks (and the buffer pool).
  struct outbound {
    frame f;  // sent last (the FCP_RSP of a read)
    task_ptr keep;
    frame_header data_hdr;
    uint32_t off = 0, to_send = 0;
    uint16_t cnt = 0;
  };
  frame_header fcp_header(const exchange& x, uint8_t r_ctl, uint32_t f_ctl, uint8_t seq_id, uint16_t seq_cnt,
                          uint32_t parameter) const;
  // Sends one frame of exchange `x` (this port is its responder).
  void send_fcp(const exchange& x, uint8_t r_ctl, uint32_t f_ctl, uint8_t seq_id, uint16_t seq_cnt, uint32_t parameter,
                std::vector<uint8_t> payload);
  void transmit(frame&& f);
  void queue(outbound&& o);
  // Sends what waits while the HBA takes it; when it is busy, tries again
  // in a millisecond (flush_atom). A link that is down drops it all: the
  // local port ends this remote port.
  void pump();

  // --- FCP commands and data (rport_fcp.cpp) ---
  void on_cmnd(frame& f);
  void start_command(exchange& x, const fcp::cmnd& c);
  // (xfer_atom, task): the DataTransferRequest in the task's transfer slot;
  // answered (xfer_atom, task) with the DataTransferCompletion in its place.
  caf::result<xfer_atom, task_ptr> on_xfer(task_ptr& t);
  // Answers an open xfer_atom request of exchange x (moved out of it).
  static void answer_xfer(caf::response_promise& rp, const task_ptr& t, bool ok, uint32_t length);
  void send_xfer_rdy(exchange& x);
  void on_data(frame& f);
  void on_task_done(task_ptr t);
  void on_task_down(const caf::down_msg& m);
  // Data-In (reads) then FCP_RSP, and the exchange ends.
  void respond(exchange& x, uint8_t status, const uint8_t* sense, uint32_t sense_len, task_ptr keep, uint32_t moved,
               bool data_in);
  void respond_code(exchange& x, uint8_t code);  // FCP_RSP with FCP_RSP_INFO only
  void fail_exchange(uint16_t ox_id, uint8_t rsp_code);

  // --- ABTS and task management (rport_abort.cpp) ---
  void on_abts(frame& f);
  void on_tmf(exchange& x, const fcp::cmnd& c);
  void abort_exchanges(const std::array<uint8_t, 8>* lun);
  void forget(uint16_t ox_id);  // ends the exchange; a pending xfer is answered false

  rport_args a_;
  nexus_session session_;
  bool registering_ = false;
  uint64_t login_time_ns_ = 0;  // CLOCK_REALTIME of the PRLI that made the nexus
  bool confirmed_ = false;      // PRLI: confirmed completion allowed (never requested by this target)
  uint16_t rx_size_ = 2112;
  uint16_t next_rx_ = 0;
  std::deque<outbound> out_;
  bool flush_pending_ = false;
  std::unordered_map<uint16_t, exchange> exchanges_;  // by OX_ID
};

}  // namespace stmfd::fc
