#pragma once
// One iSCSI connection, and (MaxConnections=1) the session it carries: the
// I_T nexus. Reads PDUs from its socket through the io ring, runs the login
// phase, then the full feature phase (RFC 7143). It hosts the framework's
// session layer for its nexus (actors/session/nexus_session.hpp): SCSI
// commands are posted there with their raw LUN field; a write is posted
// once its first burst (immediate and unsolicited data) is in, and the rest
// is solicited with R2Ts when the framework asks for it (xfer_atom,
// conn_xfer.cpp, under a Data-Out time limit); Data-In/SCSI Response carry
// results back; Task Management goes through the framework and is
// answered when the LUs report the affected tasks stopped; NOP, Text and
// Logout are answered here. A malformed PDU gets a Reject or closes this
// connection only.
//
// Bounds (architecture.md "Resources", config `limits`): the receive buffer
// is 16 KiB until a PDU needs more (rx_buffer); data buffers come from the
// daemon-wide pool when data arrives (a write's first burst, at most
// FirstBurstLength), when the framework asks for a write's data (the rest
// of its buffer, taken as it is solicited) or when a read is dispatched,
// never for the whole queue up front, and at most
// limits.sessionBufferMemory per session; when the pool or the session is
// short, R2Ts and read dispatch wait in order (one R2T at a time is
// outstanding), the command window stops opening, and new commands whose
// data is already on its way get TASK SET FULL / BUSY; commands in
// progress (immediate ones included) never exceed iscsi.cmdWindow (+1
// immediate); unsent responses beyond limits.maxSendBacklog pause
// receiving.
#include <sys/uio.h>

#include <chrono>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <unordered_map>
#include <vector>

#include <caf/event_based_actor.hpp>

#include "actors/common/fwd.hpp"
#include "actors/contracts/session_detail.hpp"
#include "actors/session/nexus_session.hpp"
#include "io/buffer_pool.hpp"
#include "io/completion.hpp"
#include "io/ring.hpp"
#include "plugins/port/iscsi/atoms.hpp"
#include "plugins/port/iscsi/port_config.hpp"
#include "plugins/port/iscsi/rx_buffer.hpp"
#include "wire/iscsi/pdu.hpp"
#include "wire/iscsi/text_assembly.hpp"
#include "wire/scsi/sense.hpp"

namespace stmfd::iscsi {

// "address:port" ("[v6]:port") of a socket's local (local true) or peer
// end; "?" when the socket has none.
std::string socket_address(int fd, bool local);
// RFC 7143 4.2.7: the ISID part of an iSCSI initiator port name (12
// lowercase hex digits).
std::string isid_hex(const uint8_t* isid);

class connection : public caf::event_based_actor {
 public:
  connection(caf::actor_config& cfg, int fd, std::shared_ptr<io::ring> ring, caf::actor stmf,
             std::shared_ptr<const port_context> port, std::shared_ptr<const std::vector<local_port>> local_ports,
             std::string peer, caf::actor_addr port_actor = {}, std::string portal = {});
  ~connection() override;
  caf::behavior make_behavior() override;
  void on_exit() override;
  const char* name() const override { return "iscsi_connection"; }

 private:
  enum class phase { login, full_feature, closing };
  // What became of a PDU handed to handle_pdu: handled; not handled yet
  // because a buffer it needs is not available (it stays where it is and
  // receiving pauses until retry_memory); or the connection is closing.
  enum class pdu_result { done, hold, closed };
  using clock = std::chrono::steady_clock;

  // A command in this session's task set (keyed by ITT). Aborting a task
  // removes its entry: a result that comes back later finds none and is
  // dropped (SAM-5 7.2, TAS=0).
  struct task_entry {
    task_ptr ctx;
    uint64_t lun_field = 0;
    uint32_t expected_length = 0;
    bool is_write = false, is_read = false;
    bool dispatched = false;  // handed to a task actor
    // The first burst (RFC 7143 11.7, 13.13, 13.14): immediate data and
    // unsolicited Data-Out, collected here before the task is posted.
    uint32_t received = 0;         // first-burst bytes in ctx->data
    uint32_t unsolicited_end = 0;  // FirstBurstLength window end for unsolicited data
    bool unsolicited_open = false;
    uint32_t expected_data_sn = 0;  // of the unsolicited sequence
    // The rest, solicited when the framework asks (xfer_atom, conn_xfer.cpp).
    struct burst {  // one outstanding R2T (RFC 7143 11.8)
      uint32_t ttt, end, next, data_sn;
    };
    std::vector<burst> r2ts;  // outstanding, at most MaxOutstandingR2T
    uint32_t r2t_sn = 0;      // next R2TSN
    bool xfer_open = false;   // a request is being served: xfer_rp answers it
    caf::response_promise xfer_rp;
    uint32_t xfer_length = 0;              // the bytes the open request asked for
    uint32_t xfer_next = 0, xfer_end = 0;  // next byte to solicit; end of the asked range
    uint32_t xfer_missing = 0;             // bytes of the range not received yet
    clock::time_point progress{};          // last R2T or Data-Out of this task (the Data-Out time limit)
    // The port ended its Data-Out (the Data-Out time limit, or Data-Out that
    // broke the sequence it was asked for): CHECK CONDITION with this sense
    // when the LU lets go of it; later Data-Out for it is discarded.
    std::optional<scsi::sense_code> ended_with;
    // A data digest error ended it (RFC 7143 7.8, ERL 0: ended_with is
    // PROTOCOL SERVICE CRC ERROR): its status waits until the Data-Out still
    // owed has come, i.e. the PDU with F=1 of each R2T in r2ts and of the
    // unsolicited sequence while unsolicited_open, none of it kept, and,
    // once posted, until the LU let go of it (lu_released).
    bool lu_released = false;
    bool busy = false;  // no buffer for its data within busy_after: BUSY when the LU lets go
    // Resources
    bool immediate = false;       // arrived with the I bit (counts in immediate_tasks_)
    uint32_t buffer_bytes = 0;    // charged to session_buffers_: its data buffer's capacity
    bool waiting_memory = false;  // in mem_waiting_: a read not dispatched yet, or a write's request (xfer_open)
    clock::time_point wait_since{};
  };

  using task_iter = std::unordered_map<uint32_t, task_entry>::iterator;

  // --- receive path (connection.cpp) ---
  void post_recv();
  void on_io(const io::completion& c);
  void parse_input();
  pdu_result handle_pdu(const uint8_t* hdr, const uint8_t* data, uint32_t dlen);
  // Receiving pauses while unsent bytes exceed limits.maxSendBacklog, a PDU
  // waits for a buffer, or STMF has not answered the login yet.
  bool receive_paused() const {
    return backlog_full() || rx_waiting_memory_ || pdu_held_ || login_pending_stmf_ || logout_pending_;
  }
  void close(const char* why);
  // Another session of this target answered a TARGET COLD RESET: a
  // full-feature session to `target` ends (RFC 7143 11.5.1).
  void on_cold_reset(const std::string& target);
  // The target was deleted or taken offline (atoms.hpp reconfigure_atom):
  // a full-feature session to it gets an Asynchronous Message asking for
  // a logout (RFC 7143 11.9.1, AsyncEvent 1) and is dropped after
  // logout_grace_s if it has not logged out.
  void on_target_gone(const std::string& target);
  // Asks a full-feature normal session's initiator to log out (Async
  // Message, AsyncEvent 1, Parameter3 logout_grace_s) and drops the
  // connection if it has not after that time. `why` is logged.
  void request_logout(const std::string& why);

  // --- the framework's session details (conn_detail.cpp;
  // actors/contracts/session_detail.hpp) ---
  session_detail detail() const;
  void release_buffers();

  // --- send path (conn_send.cpp) ---
  void send_pdu(const uint8_t* bhs, const uint8_t* data, uint32_t len, task_ptr keep = nullptr);
  void send_owned(const uint8_t* bhs, std::vector<uint8_t> data);
  void send_pooled(const uint8_t* bhs, io::buffer data, uint32_t len);  // the PDU releases it once sent
  void flush_sends();
  bool backlog_full() const { return tx_bytes_ > port_->settings.max_send_backlog; }
  void on_sent(int32_t result);
  iscsi::sn_fields next_sn(bool advance_stat_sn);

  // --- login phase (conn_login.cpp) ---
  void on_login_request(bhs_view h, const uint8_t* data, uint32_t dlen);

  // --- SCSI commands and data (conn_scsi.cpp) ---
  void on_scsi_command(bhs_view h, const uint8_t* data, uint32_t dlen);
  // The next step of a command: a write is posted once its first burst is
  // in; a read (or any command returning data) first takes its Data-In
  // buffer, or waits for memory.
  void advance(uint32_t itt, task_entry& e);
  void dispatch(uint32_t itt, task_entry& e);

  // --- Data-Out (conn_xfer.cpp) ---
  // The port contract's "move data" verb for Data-Out (fwd.hpp xfer_atom):
  // solicits [offset, offset + length) of the task's data with R2Ts and
  // answers once it is all in the task's buffer.
  // (xfer_atom, task): the DataTransferRequest in the task's transfer slot;
  // answered (xfer_atom, task) with the DataTransferCompletion in its place.
  caf::result<xfer_atom, task_ptr> on_xfer(task_ptr& t);
  void on_data_out(bhs_view h, const uint8_t* data, uint32_t dlen);
  void on_unsolicited_data(task_iter it, bhs_view h, const uint8_t* data, uint32_t dlen);
  // Sends R2Ts for the asked range while fewer than MaxOutstandingR2T (one
  // while memory is short) are outstanding, MaxBurstLength each.
  void send_r2ts(uint32_t itt, task_entry& e);
  // Answers the framework's open request for e, if any, and drops its R2Ts.
  void end_xfer(task_entry& e, bool ok);
  // Answers the open request, if any, but keeps the R2Ts outstanding.
  void answer_xfer(task_entry& e, bool ok);
  void end_all_xfers();
  // On each tick: a task whose Data-Out made no progress within
  // limits.dataOutTimeout ends (CHECK CONDITION, see conn_xfer.cpp).
  void check_data_out_timeouts();
  // Ends a write's Data-Out with CHECK CONDITION and `code` (ABORTED
  // COMMAND: nothing reached the medium, the command may be retried): a
  // posted task's open request is answered false and the status goes out
  // when the LU lets go of it; a first burst never posted is answered now.
  void end_data_out(task_iter it, scsi::sense_code code);
  // --- data digest errors (conn_digest.cpp; RFC 7143 7.8 at ERL 0) ---
  // A Data-Out whose data digest is wrong (the caller sent the Reject and
  // discards its data): if it is data the task waits for, the task ends in
  // CHECK CONDITION 0Bh/47h/05h once the Data-Out still owed has come.
  void on_data_out_digest_error(bhs_view h);
  // Data-Out for a task that was ended while data was still owed to it:
  // discarded, its F bit counted (drain_data_out).
  void drain_data_out(task_iter it, bhs_view h);
  // Sends the status of a task ended by a digest error once nothing is owed
  // and the LU let go of it (or it was never posted); false if it waits.
  bool finish_if_drained(task_iter it);
  static bool data_owed(const task_entry& e) { return e.unsolicited_open || !e.r2ts.empty(); }
  void send_check_condition(uint32_t itt, uint64_t lun_field, uint32_t edtl, bool is_read, scsi::sense_code code);
  uint32_t new_ttt();
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
    const uint8_t* data;  // Data-In bytes
    uint32_t data_len;    // bytes the command produced (or, for writes, wanted)
    bool data_out;        // a write: data_len counts Data-Out bytes needed
  };
  void send_result(const result_view& r, task_ptr keep);

  // --- control PDUs (conn_control.cpp) ---
  void on_nop_out(bhs_view h, const uint8_t* data, uint32_t dlen);
  void on_text(bhs_view h, const uint8_t* data, uint32_t dlen);
  // Answers a whole Text Request text (SendTargets; other keys Reject).
  void answer_text(bhs_view h, const uint8_t* data, size_t len);
  void send_text_piece(uint32_t itt);
  void on_logout(bhs_view h);
  void send_logout_response(uint32_t itt, uint8_t response);
  void on_task_mgmt(bhs_view h);
  void send_tmf_response(uint32_t itt, uint8_t response, bool close_after);
  void send_reject(const uint8_t* hdr, uint8_t reason);
  void on_tick();
  // Aborts this session's tasks in scope (all, or those on one LUN field):
  // tasks still collecting Data-Out are dropped; tasks handed to the
  // framework are marked aborted and their results will be dropped.
  void abort_tasks(std::optional<uint64_t> lun_field);
  void on_login_granted(nexus_grant& g);

  // --- buffer memory and the command window (conn_memory.cpp) ---
  // Takes e's data buffer of `len` bytes if the session limit and the pool
  // allow; charges it to session_buffers_.
  bool take_buffer(task_entry& e, uint32_t len);
  // Makes a posted write's buffer hold its whole expected length (keeping
  // the first burst) if the session limit and the pool allow.
  bool grow_buffer(task_entry& e);
  // Removes a task from the task set, uncharging its buffer; the next entry.
  task_iter forget_task(task_iter it);
  // Moves a finished task out of the task set before its response is
  // built, so the response's MaxCmdSN already counts the freed slot.
  task_entry take_task(task_iter it);
  void wait_for_memory(uint32_t itt, task_entry& e);
  // On retry_atom: waiting commands in arrival order take their buffers
  // (R2T pacing) or end in BUSY after busy_after; a held PDU or a receive
  // buffer that could not grow tries again; a closed window reopens.
  void retry_memory();
  void schedule_retry();
  bool memory_short() const;
  // RFC 7143 4.2.2.1: MaxCmdSN = ExpCmdSN - 1 + the commands that may still
  // be admitted (none while memory is short), never below what was granted.
  void open_window();
  uint32_t granted_unused() const;
  // An immediate SCSI command may start (it takes no CmdSN, so it must fit
  // beside the slots already granted).
  bool admit_immediate() const;
  // SAM-5 5.3: TASK SET FULL when the session has other commands in
  // progress, else BUSY; used for a command whose data is on its way when
  // no buffer can take it.
  uint8_t no_memory_status() const;
  static constexpr auto busy_after = std::chrono::seconds(5);
  static constexpr auto retry_period = std::chrono::milliseconds(10);
  connection_stats stats() const;

  // --- command numbering (RFC 7143 4.2.2.1) ---
  // Returns true if a non-immediate command with this CmdSN may run now.
  // Otherwise the PDU was queued (a gap in CmdSN) or dropped (outside the window).
  bool accept_cmd_sn(bhs_view h, const uint8_t* hdr, const uint8_t* data, uint32_t dlen);
  void run_queued_commands();
  // A buffer this PDU needs before it can be numbered (the NOP-In echo);
  // false: not available now (the PDU is held).
  bool prepare(bhs_view h, uint32_t dlen);

  int fd_;
  std::shared_ptr<io::ring> ring_;
  caf::actor stmf_;
  std::shared_ptr<const port_context> port_;
  std::shared_ptr<const std::vector<local_port>> local_ports_;
  std::string peer_;
  caf::actor_addr port_actor_;  // told when the login completes (may be null)
  std::string portal_;          // the listening portal it came through (empty in tests)
  // Buffers the ring reads and writes. They live until the actor ends with
  // no request in flight (release_buffers), or with the object: the ring
  // holds a strong reference to this actor until each request completes,
  // so the destructor (which closes fd_) never runs under an in-flight I/O.
  rx_buffer rx_;
  bool rx_posted_ = false;
  uint32_t rx_posted_room_ = 0;
  bool parsing_ = false;          // parse_input is running (it does not nest)
  bool rx_filled_ = false;        // the last recv filled all the room it had
  bool rx_needed_large_ = false;  // a PDU parsed since the last recv did not fit 16 KiB
  uint32_t rx_quiet_ = 0;         // receives in a row that needed no large buffer
  // The large buffer goes back once this many receives in a row did not
  // need it (back-to-back large PDUs keep it instead of regrowing each time).
  static constexpr uint32_t rx_quiet_to_shrink = 8;
  bool rx_waiting_memory_ = false;  // a PDU does not fit and the pool refused to grow the buffer
  bool pdu_held_ = false;           // a PDU waits for a buffer (pdu_result::hold)
  struct out_pdu {
    uint8_t hdr[bhs_len + 4];  // BHS + header digest
    uint32_t hdr_len = bhs_len;
    const uint8_t* data = nullptr;
    uint32_t len = 0;
    uint8_t trailer[8];  // padding + data digest
    uint32_t trailer_len = 0;
    std::vector<uint8_t> owned;  // data owned by the PDU (login/text/sense)
    task_ptr keep;               // keeps a task's data buffer alive
    struct pooled_data {         // a pool buffer owned by the PDU (NOP-In echo)
      io::buffer b;
      pooled_data() = default;
      pooled_data(pooled_data&& o) noexcept : b(o.b) { o.b = {}; }
      pooled_data& operator=(pooled_data&& o) noexcept {
        std::swap(b, o.b);
        return *this;
      }
      ~pooled_data() { io::buffer_pool::global().release(b); }
    } pooled;
    uint32_t bytes() const { return hdr_len + len + trailer_len; }
  };
  out_pdu& queue_pdu(const uint8_t* bhs, const uint8_t* data, uint32_t len);
  std::deque<out_pdu> tx_queue_;      // not yet handed to the ring
  std::vector<out_pdu> tx_inflight_;  // in the current sendv
  std::vector<iovec> tx_iov_;
  bool tx_posted_ = false;
  uint64_t tx_bytes_ = 0;  // queued + in flight: the send backlog
  phase phase_ = phase::login;

  // login
  std::unique_ptr<login::negotiator> negotiator_;
  uint8_t isid_[6] = {};
  uint16_t tsih_ = 0;
  uint16_t cid_ = 0;            // the CID of the first Login Request
  uint64_t login_time_ns_ = 0;  // CLOCK_REALTIME when the login completed
  login::session_params params_;
  bool login_pending_stmf_ = false;
  bool logout_pending_ = false;  // a logout waits for STMF's detach confirmation (on_logout)
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
  size_t queued_bytes_ = 0;  // held for gaps: at most limits.maxSendBacklog, else the connection closes
  uint32_t next_ttt_ = 1;
  uint32_t max_cmd_sn_ = 0;  // the highest MaxCmdSN granted (never decreases)
  // A Text Response longer than the initiator's MaxRecvDataSegmentLength
  // goes in pieces (RFC 7143 6.1, 11.11): what is left to send, and the
  // ITT/TTT of the exchange (an empty Text Request with that TTT asks for
  // the next piece; any other Text Request ends it).
  std::vector<uint8_t> text_rest_;
  uint32_t text_itt_ = reserved_tag, text_ttt_ = reserved_tag;
  // A Text Request text arriving in pieces (C=1, RFC 7143 11.10.2): each
  // piece is answered with an empty Text Response carrying text_in_ttt_,
  // which the next piece echoes (11.11).
  text_assembly text_in_;
  uint32_t text_in_ttt_ = reserved_tag;

  // resources
  uint64_t session_buffers_ = 0;      // bytes of data buffers held by tasks_
  uint32_t immediate_tasks_ = 0;      // tasks_ that arrived with the I bit
  std::deque<uint32_t> mem_waiting_;  // ITTs waiting for a buffer, in arrival order
  io::buffer echo_;                   // the NOP-In echo buffer prepare() took
  bool retry_scheduled_ = false;
  bool window_closed_ = false;  // the last MaxCmdSN sent was ExpCmdSN - 1

  // liveness (target NOP-In pings)
  bool activity_ = false;
  uint32_t ping_ttt_ = reserved_tag;
  uint32_t ping_age_s_ = 0, idle_s_ = 0, login_age_s_ = 0;
  bool close_after_send_ = false;
  uint32_t logout_deadline_s_ = 0;  // set: seconds until request_logout drops the session
};

}  // namespace stmfd::iscsi
