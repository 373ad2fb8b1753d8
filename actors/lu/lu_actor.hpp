#pragma once
// The LU shell actor (COMSTAR's stmf_lu plus the generic half of
// stmf_sbd's task entry): one per logical unit, whatever its provider. It
// owns what every LU kind shares (LU provider contract,
// actors/contracts/lu_provider.hpp): the unit-attention queues per I_T
// nexus, the generic precheck driven by the core's command_info, the I/O
// plan's steps on the backing store through the io ring, task management
// (a function completes only once every affected task stopped touching the
// medium), and reporting the final status to the task actor. The provider's
// core decides what each CDB means. A crash here is seen by every task actor
// waiting on it (they monitor it) and by STMF, which restarts the LU.
#include <array>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/atom.hpp>
#include <caf/event_based_actor.hpp>

#include "actors/common/fwd.hpp"
#include "actors/contracts/lu_provider.hpp"
#include "actors/lu/backing_store.hpp"
#include "actors/model/alua.hpp"
#include "actors/model/copy_results.hpp"
#include "actors/model/reservations.hpp"
#include "actors/model/task_set.hpp"
#include "actors/model/unit_attentions.hpp"
#include "io/completion.hpp"
#include "io/ring.hpp"
#include "wire/scsi/sense.hpp"

namespace stmfd {

// What STMF starts (or restarts) an LU shell with.
struct lu_shell_start {
  lu_definition def;
  std::shared_ptr<backing_store> store;                  // owned by STMF: survives restarts
  std::shared_ptr<io::ring> ring;                        // the ring this LU submits to
  std::unique_ptr<lu_core> core;                         // from the LU's provider
  std::shared_ptr<const std::vector<local_port>> ports;  // every registered target port
  // The core's saved_state(), kept by STMF across restarts; the shell
  // refreshes it whenever the core reports a mode change.
  std::shared_ptr<std::vector<uint8_t>> saved;
  std::vector<nexus_attach> nexuses;  // I_T nexuses that reach this LU now
  bool power_on_ua = false;           // a restart: POWER ON 29/00 to every nexus
  // Unit attentions established for every nexus at start (an admin change
  // the LU restarted for: CAPACITY DATA HAS CHANGED 2Ah/09h after a grow,
  // MODE PARAMETERS CHANGED 2Ah/01h, INQUIRY DATA HAS CHANGED 3Fh/03h).
  std::vector<scsi::sense_code> start_uas;
  // v3: the provider's LUs hold removable media: store is null and the
  // shell loads def.path as the medium (actors/lu/lu_medium.cpp).
  bool removable_media = false;
  // ALUA: the LU's access state in every target port group (STMF's model),
  // and where the shell reports SET TARGET PORT GROUPS (none: nowhere). A
  // weak handle: STMF holds its LUs, never the other way round.
  lu_access alua;
  // STMF: runs the copy manager for EXTENDED COPY (lu_copy.cpp) and takes
  // SET TARGET PORT GROUPS (lu_alua.cpp); issue 8: a changer's drive
  // operations go through it (drive_op_atom).
  caf::actor stmf;
  // The LU's statistics block (actors/common/io_counters.hpp): owned by
  // STMF, kept across restarts, written only by this shell (null: none).
  std::shared_ptr<io_counters> stats;
  // Issue 10 (a lost acknowledged write): set by STMF (start_lu). io_guard
  // is this shell's own token: the shell holds it as a member, so it lives
  // exactly as long as the shell's actor object, which the io ring keeps
  // alive (a strong reference per request) until the last completion
  // addressed to the shell was sent, i.e. until every I/O the shell
  // submitted has left the kernel, even after the shell died.
  // predecessors: weak handles of the guards of this LU's earlier shells
  // (not yet expired when STMF made this one). While any is alive, the
  // shell holds every medium step (read, write, flush, range and medium
  // steps) so that a write a dead shell left in the kernel cannot land
  // after one the new shell acknowledged; see lu_actor::wait_for_predecessors.
  // A removable medium's load at start waits for them too (and every
  // command that is not allowed with a unit attention waits for that
  // load): lu_actor::retry_held_load.
  // Both empty (tests that spawn a shell directly): nothing is waited for.
  std::shared_ptr<const void> io_guard;
  std::vector<std::weak_ptr<const void>> predecessors;
};

class lu_actor : public caf::event_based_actor {
 public:
  lu_actor(caf::actor_config& cfg, std::shared_ptr<lu_shell_start> start);
  ~lu_actor() override;
  caf::behavior make_behavior() override;
  const char* name() const override { return "lu"; }

 private:
  // Task management waiting for its tasks to stop (SAM-5 7.1).
  struct tmf_wait {
    caf::response_promise rp;
    size_t remaining = 0;
    tmf_response answer;  // built when the function was taken, delivered when remaining reaches 0
  };
  struct pending {
    task_ptr t;
    uint64_t nexus = 0, tag = 0;
    lu_command cmd;
    lu_outcome plan;
    uint8_t step = 0;
    bool fua_done = false;      // the current write step is written and being synced
    bool dsync = false;         // the current write step went to the store's direct_fd() with RWF_DSYNC
    bool direct_range = false;  // it went to direct_fd(), to be synced by its byte range (the default)
    bool stalled = false;       // the current step was held by the lu_io_stall fault point
    io::buffer scratch;         // read target when the data is not Data-In (VERIFY)
    // Range steps (deallocate, write_same; actors/lu/lu_range_steps.cpp):
    // the range in progress, the bytes of it done, the piece in the ring.
    size_t range_i = 0;
    uint64_t range_done = 0, range_piece = 0;
    bool zero_fill = false;                          // deallocate fell back to writing zeros (no hole punching here)
    io::buffer pattern;                              // write_same / zero fill: the block repeated
    std::vector<std::shared_ptr<tmf_wait>> waiters;  // functions waiting for this task to stop
    size_t drive_op = 0;                             // issue 8: the next of plan.drive_ops
    // A long operation (lu_outcome::long_op; actors/lu/lu_long_op.cpp): t is
    // null once the task completed (IMMED, or aborted); the CDB is kept here.
    bool long_op = false;
    bool piece_started = false;              // a RAM range step of it is under way (range_i/range_done valid)
    uint64_t long_done = 0, long_total = 0;  // bytes of its range steps done / in all
    std::array<uint8_t, 16> cdb_copy{};
  };

  // A task admitted by the task set but held behind older ones.
  struct held_task {
    task_ptr t;
    command_info info;
  };

  void on_execute(task_ptr t);  // passes the lu_execute fault point, then execute()
  void execute(task_ptr t);
  void run_task(uint64_t handle, task_ptr t, const command_info& info);
  // The task runs but its Data-Out is not all here: ask the port for the
  // rest (xfer_atom; the port makes the task's buffer hold it), then run.
  void fetch_data_out(uint64_t handle, task_ptr t, const command_info& info);
  void on_data_out(uint64_t handle, bool ok);
  // The task `handle` left the task set: start what it held, in order.
  void release(uint64_t handle);
  void drain();  // starts the tasks in runnable_
  // Task management (actors/lu/lu_task_management.cpp, SAM-5 7).
  caf::result<tmf_response> on_tmf(const tmf_request& msg);
  void start_step(uint64_t cookie, pending& p);
  void on_io_done(const io::completion& c);
  void finish(pending& p, int io_result);
  void end(uint64_t cookie, pending& p);
  void complete(task_ptr& t, const lu_outcome& o, const uint8_t* small_data);
  void complete_aborted(task_ptr& t);
  // Removes the held tasks in scope from the task set as aborted (they
  // never started) and returns their nexuses; the caller drains runnable_
  // (lu_task_management.cpp).
  std::vector<uint64_t> abort_held(const std::function<bool(uint64_t nexus, uint64_t tag)>& in_scope);
  uint8_t* step_buffer(pending& p, const io_step& s);
  // Issue 7 step kinds (actors/lu/lu_range_steps.cpp). run_inline_step runs
  // a step without the ring (compare, merge_or, map_extents; any step on RAM)
  // and returns 0 or -errno; start_range_io puts the next piece of a
  // deallocate / write_same step in the ring (false: no piece left);
  // on_range_io takes a piece's completion.
  static bool is_range_step(io_step::op k) {
    return k == io_step::op::deallocate || k == io_step::op::write_same || k == io_step::op::map_extents ||
           k == io_step::op::compare || k == io_step::op::merge_or;
  }
  int run_inline_step(pending& p, const io_step& s);
  bool start_range_io(uint64_t cookie, pending& p, const io_step& s);
  void on_range_io(uint64_t cookie, pending& p, int res);
  bool fill_pattern(pending& p, const io_step& s);
  int step_fd(const io_step& s) const;
  // Submits write step s: a durable one (FUA, write cache off) on the
  // store's direct descriptor where it can (sets p.direct_range, or p.dsync
  // with RWF_DSYNC under STMFD_WT_DIRECT=dsync), else buffered; the
  // completion comes back under cookie.
  void write_step(uint64_t cookie, pending& p, const io_step& s);
  // Syncs (fdatasync) step s's file, or the range of it s names
  // (actors/lu/sync_span.hpp); the completion comes back under cookie.
  void sync_step(uint64_t cookie, const io_step& s);
  // The block a write_same step repeats: provider memory (io_step::mem) or
  // the Data-Out; null when neither holds it.
  static const uint8_t* same_block(const pending& p, const io_step& s);
  // Whether the task's steps must stop (an aborted task; never a long operation).
  static bool stopped(const pending& p) { return !p.long_op && p.t->aborted.load(std::memory_order_acquire); }
  // Issue 10: true when step s of the task `cookie` must wait for the I/O
  // of this LU's earlier shells to leave the kernel (a resume is scheduled);
  // false once they all ended, after predecessor_limit (logged), or for a
  // step on a RAM store (no kernel I/O).
  bool wait_for_predecessors(uint64_t cookie, const io_step& s);
  // Issue 10: whether I/O of an earlier shell may still be in the kernel
  // (expired guards are dropped; false once none is left, or after
  // predecessor_limit, logged).
  bool predecessors_pending();

  // Long operations (actors/lu/lu_long_op.cpp, lu_outcome::long_op).
  void start_long_op(uint64_t handle, task_ptr t, pending p);
  // One bounded piece of a long operation's deallocate / write_same on a
  // RAM store: 0 or -errno; `more` when the step has pieces left.
  int run_ram_piece(pending& p, const io_step& s, bool& more);
  void long_op_progress(pending& p, uint64_t bytes);
  // The provider's durable record (lu_outcome::durable) under state_dir.
  void store_durable(const std::vector<uint8_t>& record);
  void load_durable();
  std::string durable_path() const;

  // Removable media, contract v3 (actors/lu/lu_medium.cpp): the shell
  // opens the medium file and runs the core's load conversation, or closes
  // it. Both return 0 or -errno; a load posts MEDIUM MAY HAVE CHANGED to
  // every nexus but `requester` (0: the load at start, which posts none).
  int load_medium(uint64_t requester);
  void unload_medium();
  int medium_action(lu_outcome::medium_action a, uint64_t requester);
  // Issue 10 (lu_medium.cpp): the load at start held behind the I/O of this
  // LU's earlier shells (load_held_). Meanwhile every command but those
  // allowed with a unit attention (INQUIRY, REPORT LUNS, REQUEST SENSE) is
  // parked in task-set order, and a library's drive operations wait; both
  // go on once the load ran. abort_parked ends the parked tasks in scope of
  // a task management function (they never started) and returns their
  // nexuses; the caller drains runnable_.
  void retry_held_load();
  void park_for_load(uint64_t handle, task_ptr t, const command_info& info);
  std::vector<uint64_t> abort_parked(const std::function<bool(uint64_t nexus, uint64_t tag)>& in_scope);
  const local_port* port_of(uint16_t relative_port_id) const;

  // ALUA (actors/lu/lu_alua.cpp): the access state of the task's port's
  // group checked for every LU kind (SPC-4 5.15.2.4), REPORT / SET TARGET
  // PORT GROUPS answered, state changes from STMF applied.
  std::optional<scsi::sense_code> alua_check(uint16_t relative_port_id, const command_info& info) const;
  void run_alua(uint64_t handle, task_ptr t);
  lu_outcome report_target_port_groups(const lu_command& cmd);
  lu_outcome set_target_port_groups(const lu_command& cmd);
  void set_alua(const lu_access& next);
  // STMF's new list of local ports (lu_ports_atom; lu_alua.cpp).
  void set_ports(port_list next);

  // Third-party copy (actors/lu/lu_copy.cpp): EXTENDED COPY is checked
  // here and run by STMF's copy manager while the task waits in copying_;
  // RECEIVE COPY RESULTS is answered from copies_.
  struct copying {
    task_ptr t;
    uint64_t nexus = 0;
    std::vector<std::shared_ptr<tmf_wait>> waiters;  // functions waiting for it to stop
  };
  void run_copy(uint64_t handle, task_ptr t, const lu_command& cmd);
  void start_extended_copy(uint64_t handle, task_ptr t, const lu_command& cmd);
  void answer_copy_results(task_ptr& t, const lu_command& cmd);
  void on_copy_result(const copy_result& r);
  void copy_failed(uint64_t handle);

  // Media changer, issue 8 (actors/lu/lu_library.cpp). A changer's
  // outcome with drive operations: each goes through STMF to its drive LU
  // in turn (they are not abortable once started, so the core's map
  // always follows what the drives did), then the core finishes the
  // command. A drive LU's side: on_drive_op loads or unloads its medium.
  // save_persistent writes the core's persistent_state() to the LU's
  // state file (persistent_path()).
  void next_drive_op(uint64_t cookie);
  void finish_drive_ops(uint64_t cookie, pending& p, int result);
  caf::result<int32_t> on_drive_op(uint8_t op, const std::string& path, const std::string& barcode, uint64_t capacity);
  int32_t run_drive_op(uint8_t op, const std::string& path, const std::string& barcode, uint64_t capacity);
  void save_persistent();
  // Admin verbs: a changer applies an administrator's change (persisted,
  // its unit attention posted to every nexus); a drive reports its medium.
  library_change_result on_library_change(const library_change& c);
  medium_state on_medium_query() const;

  // Reservations (actors/lu/lu_reservations.cpp): the framework answers
  // PERSISTENT RESERVE IN/OUT and RESERVE/RELEASE for every LU kind and
  // checks every other command against them.
  void attach(const nexus_attach& a);
  void detach(uint64_t nexus);
  const nexus_identity& identity_of(uint64_t nexus);
  bool reservation_conflict(uint64_t nexus, const command_info& info);
  void run_reservation(uint64_t handle, task_ptr t);
  void apply(const reservations::result& r);
  void load_reservations();
  void pr_target_ports();
  bool save_reservations();
  std::string reservations_path() const;

  lu_definition def_;
  std::shared_ptr<backing_store> store_;
  std::shared_ptr<io::ring> ring_;
  std::unique_ptr<lu_core> core_;
  std::shared_ptr<const std::vector<local_port>> ports_;
  std::shared_ptr<std::vector<uint8_t>> saved_;
  unit_attentions ua_;
  reservations pr_;
  std::unordered_map<uint64_t, nexus_identity> nexus_ids_;  // attached I_T nexuses
  // SAM-5 8: the LU's task set orders every admitted task (attributes and
  // the provider's serialization classes); handles are the cookies below.
  task_set set_{task_set_capacity};
  std::unordered_map<uint64_t, held_task> held_;      // by handle: waiting in the task set
  std::unordered_map<uint64_t, held_task> fetching_;  // by handle: running, its Data-Out on the way
  // Functions waiting for a task in fetching_ to stop (by handle).
  std::unordered_map<uint64_t, std::vector<std::shared_ptr<tmf_wait>>> fetch_waiters_;
  std::unordered_map<uint64_t, pending> inflight_;  // by handle: tasks with I/O outstanding
  std::vector<uint64_t> runnable_;                  // released by the task set, started in this order
  bool draining_ = false;
  uint64_t next_cookie_ = 1;
  static constexpr size_t task_set_capacity = 1024;                   // beyond: TASK SET FULL
  static constexpr auto data_out_timeout = std::chrono::seconds(60);  // an initiator that never sends
  std::vector<uint8_t> scratch_;                                      // small Data-In replies (INQUIRY, MODE SENSE ...)
  bool removable_media_ = false;
  int medium_fd_ = -1;  // the loaded medium file, -1 when none
  // The medium file loads open: def_.path, or (issue 8) the cartridge a
  // library lent the drive; empty: none (a library drive before a load).
  std::string medium_path_;
  lu_access alua_;
  // SPC-4 6.27 STATUS CODE per group: what last changed its state.
  std::unordered_map<uint16_t, scsi::alua::status_code> alua_status_;
  weak_actor stmf_;                     // runs the copy manager; drive operations (issue 8) go through it
  std::shared_ptr<io_counters> stats_;  // after stmf_: the constructor's initializer order
  copy_results copies_;
  std::unordered_map<uint64_t, copying> copying_;  // by handle: EXTENDED COPY at the copy manager
  // Issue 10 (lu_shell_start::io_guard, predecessors): held for the
  // object's lifetime; the earlier shells' guards still to outlive; after
  // predecessors_deadline_ the shell stops waiting (a stuck device).
  std::shared_ptr<const void> io_guard_;
  std::vector<std::weak_ptr<const void>> predecessors_;
  std::chrono::steady_clock::time_point predecessors_deadline_;
  static constexpr auto predecessor_limit = std::chrono::seconds(30);
  static constexpr auto predecessor_poll = std::chrono::milliseconds(5);
  // Issue 10: the start's load of medium_path_ waits for predecessors_
  // (retry_held_load); the commands and drive operations parked meanwhile.
  using held_load_atom = caf::atom_constant<caf::atom("heldload")>;  // look again whether it may run
  struct parked_drive_op {
    caf::response_promise rp;
    uint8_t op = 0;
    std::string path, barcode;
    uint64_t capacity = 0;
  };
  bool load_held_ = false;
  std::vector<std::pair<uint64_t, held_task>> parked_;  // (handle, task), in arrival order
  std::vector<parked_drive_op> parked_ops_;
};

// Issue 8: the file an LU's lu_core::persistent_state() lives in (empty:
// the LU keeps none, no state_dir). STMF reads it for make(), the shell
// writes it.
std::string persistent_path(const lu_definition& def);

}  // namespace stmfd

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(stmfd::lu_access)
