#pragma once
// One iSCSI connection, and (MaxConnections=1) the session it carries: the
// I_T nexus. Reads PDUs from its socket through the io ring, runs the login
// phase, then the full feature phase (RFC 7143). It hosts the framework's
// session layer for its nexus (actors/session/nexus_session.hpp): SCSI
// commands are posted there with their raw LUN field; Data-Out/R2T collect
// write data before the task starts; Data-In/SCSI Response carry results
// back; Task Management goes through the framework and is answered when the
// LUs report the affected tasks stopped; NOP, Text and Logout are answered
// here. A malformed PDU gets a Reject or closes this connection only.
#include <sys/uio.h>

#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <unordered_map>
#include <vector>

#include <caf/event_based_actor.hpp>

#include "actors/common/fwd.hpp"
#include "actors/session/nexus_session.hpp"
#include "io/completion.hpp"
#include "io/ring.hpp"
#include "plugins/port/iscsi/port_config.hpp"
#include "wire/iscsi/pdu.hpp"

namespace stmfd::iscsi {

class connection : public caf::event_based_actor {
 public:
  connection(caf::actor_config& cfg, int fd, std::shared_ptr<io::ring> ring, caf::actor stmf,
             std::shared_ptr<const port_context> port, std::shared_ptr<const std::vector<local_port>> local_ports,
             std::string peer);
  ~connection() override;
  caf::behavior make_behavior() override;
  void on_exit() override;
  const char* name() const override { return "iscsi_connection"; }

 private:
  enum class phase { login, full_feature, closing };

  // A command in this session's task set (keyed by ITT). Aborting a task
  // removes its entry: a result that comes back later finds none and is
  // dropped (SAM-5 7.2, TAS=0).
  struct task_entry {
    task_ptr ctx;
    uint64_t lun_field = 0;
    uint32_t expected_length = 0;
    bool is_write = false, is_read = false;
    bool dispatched = false;  // handed to a task actor
    // Data-Out collection (RFC 7143 11.7, 11.8)
    uint32_t received = 0;         // bytes of write data in ctx->data
    uint32_t unsolicited_end = 0;  // FirstBurstLength window end for unsolicited data
    bool unsolicited_open = false;
    uint32_t r2t_sn = 0;           // next R2TSN
    uint32_t ttt = reserved_tag;   // current R2T's Target Transfer Tag
    uint32_t burst_offset = 0, burst_end = 0;  // current solicited burst
    uint32_t expected_data_sn = 0;
  };

  // --- receive path (connection.cpp) ---
  void post_recv();
  void on_io(const io::completion& c);
  void parse_input();
  bool handle_pdu(const uint8_t* hdr, const uint8_t* data, uint32_t dlen);
  void close(const char* why);

  // --- send path (conn_send.cpp) ---
  void send_pdu(const uint8_t* bhs, const uint8_t* data, uint32_t len, task_ptr keep = nullptr);
  void send_owned(const uint8_t* bhs, std::vector<uint8_t> data);
  void flush_sends();
  void on_sent(int32_t result);
  iscsi::sn_fields next_sn(bool advance_stat_sn);

  // --- login phase (conn_login.cpp) ---
  void on_login_request(bhs_view h, const uint8_t* data, uint32_t dlen);

  // --- SCSI commands and data (conn_scsi.cpp) ---
  void on_scsi_command(bhs_view h, const uint8_t* data, uint32_t dlen);
  void on_data_out(bhs_view h, const uint8_t* data, uint32_t dlen);
  void maybe_send_r2t(task_entry& e);
  void dispatch(uint32_t itt, task_entry& e);
  void on_task_done(task_ptr t);
  void on_down(const caf::down_msg& m);
  void respond(uint32_t itt, task_entry& e);
  void answer_by_framework(bhs_view h, uint32_t itt);  // REPORT LUNS, LUNs with no LU
  // Sends a command's outcome: Data-In (status folded into the last one when
  // GOOD) or a SCSI Response, with residuals against the EDTL (RFC 7143 11.4.5).
  struct result_view {
    uint32_t itt;
    uint64_t lun_field;
    uint32_t expected_length;
    bool read_bit;
    uint8_t status;
    const uint8_t* sense;
    uint32_t sense_len;
    const uint8_t* data;      // Data-In bytes
    uint32_t data_len;        // bytes the command produced (or, for writes, wanted)
    bool data_out;            // a write: data_len counts Data-Out bytes needed
  };
  void send_result(const result_view& r, task_ptr keep);

  // --- control PDUs (conn_control.cpp) ---
  void on_nop_out(bhs_view h, const uint8_t* data, uint32_t dlen);
  void on_text(bhs_view h, const uint8_t* data, uint32_t dlen);
  void on_logout(bhs_view h);
  void on_task_mgmt(bhs_view h);
  void send_tmf_response(uint32_t itt, uint8_t response, bool close_after);
  void send_reject(const uint8_t* hdr, uint8_t reason);
  void on_tick();
  // Aborts this session's tasks in scope (all, or those on one LUN field):
  // tasks still collecting Data-Out are dropped; tasks handed to the
  // framework are marked aborted and their results will be dropped.
  void abort_tasks(std::optional<uint64_t> lun_field);
  void on_login_granted(nexus_grant& g);

  // --- command numbering (RFC 7143 4.2.2.1) ---
  // Returns true if a non-immediate command with this CmdSN may run now.
  // Otherwise the PDU was queued (a gap in CmdSN) or dropped (outside the window).
  bool accept_cmd_sn(bhs_view h, const uint8_t* hdr, const uint8_t* data, uint32_t dlen);
  void run_queued_commands();

  int fd_;
  std::shared_ptr<io::ring> ring_;
  caf::actor stmf_;
  std::shared_ptr<const port_context> port_;
  std::shared_ptr<const std::vector<local_port>> local_ports_;
  std::string peer_;
  // Buffers the ring reads and writes. They live as long as this object: the
  // ring holds a strong reference to this actor until each request completes,
  // so the destructor (which closes fd_) never runs under an in-flight I/O.
  std::vector<uint8_t> rx_;       // receive buffer
  size_t rx_begin_ = 0, rx_end_ = 0;
  bool rx_posted_ = false;
  struct out_pdu {
    uint8_t hdr[bhs_len + 4];     // BHS + header digest
    uint32_t hdr_len = bhs_len;
    const uint8_t* data = nullptr;
    uint32_t len = 0;
    uint8_t trailer[8];           // padding + data digest
    uint32_t trailer_len = 0;
    std::vector<uint8_t> owned;   // data owned by the PDU (login/text/sense)
    task_ptr keep;                // keeps a task's data buffer alive
  };
  out_pdu& queue_pdu(const uint8_t* bhs, const uint8_t* data, uint32_t len);
  std::deque<out_pdu> tx_queue_;    // not yet handed to the ring
  std::vector<out_pdu> tx_inflight_;  // in the current sendv
  std::vector<iovec> tx_iov_;
  bool tx_posted_ = false;
  phase phase_ = phase::login;

  // login
  std::unique_ptr<login::negotiator> negotiator_;
  uint8_t isid_[6] = {};
  uint16_t tsih_ = 0;
  login::session_params params_;
  bool login_pending_stmf_ = false;
  bool login_started_ = false;
  bool draining_queue_ = false;

  // session
  nexus_session session_{this};
  uint32_t stat_sn_ = 0, exp_cmd_sn_ = 0;
  std::unordered_map<uint32_t, task_entry> tasks_;
  // CmdSN -> whole PDU held for a gap; an empty entry is a command an ABORT
  // TASK declared received before it arrived (RFC 7143 11.5.1): it is
  // skipped when its turn comes, and the late PDU falls outside the window.
  std::map<uint32_t, std::vector<uint8_t>> queued_cmds_;
  uint32_t next_ttt_ = 1;

  // liveness (target NOP-In pings)
  bool activity_ = false;
  uint32_t ping_ttt_ = reserved_tag;
  uint32_t ping_age_s_ = 0, idle_s_ = 0, login_age_s_ = 0;
  bool close_after_send_ = false;
};

}  // namespace stmfd::iscsi
