#pragma once
// STMF: the supervising actor (COMSTAR's SCSI Target Mode Framework). It
// starts and monitors the io actors, every LU shell and the port providers
// (only through the provider registry); registers I_T nexuses (nexus id,
// reinstatement of an older nexus between the same ports, the LUN inventory
// the views give the pair, the nexus announced to its LUs so their unit
// attentions reach it); and recovers failed children as architecture.md's
// table says:
//  - LU actor down: restarted from its definition with a POWER ON unit
//    attention for every nexus; sessions get the new actor (lu_update).
//    One that keeps dying is tried again after a back-off delay
//    (restart_policy), its sessions told it is gone (lu_update with a null
//    actor: the task actor answers NOT READY meanwhile).
//  - LU whose backing store cannot be opened: reported (log, lu_state
//    failed with the reason) and opened again with back-off until it
//    opens; then it starts like a restarted LU (POWER ON to every nexus
//    that logged in meanwhile, lu_update). The rest of the daemon serves.
//  - port provider down (also one that cannot bind its portal): its
//    connections dropped with it (linked); restarted, after a back-off
//    delay when it keeps failing; the daemon never stops for it.
//  - session down: forgotten; its in-flight tasks finish at their LUs and
//    their contexts return to the pool.
//  - io actor down: a new ring is made; LUs and ports restart onto it.
// Queries: (get_atom, lu_state_atom) -> lu_state_list, every LU's state;
// (get_atom, stats_atom) -> stats_list, the statistics (stmf_stats.hpp).
// Admin changes (live views, LU online/offline, create/delete LU):
// actors/stmf/stmf_admin.hpp, handled in stmf_admin.cpp.
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <unordered_map>

#include <caf/event_based_actor.hpp>

#include "actors/common/fwd.hpp"
#include "actors/lu/backing_store.hpp"
#include "actors/model/lu_state.hpp"
#include "actors/model/restart_policy.hpp"
#include "actors/stmf/definitions.hpp"
#include "actors/stmf/stmf_admin.hpp"
#include "actors/stmf/stmf_stats.hpp"
#include "io/ring.hpp"

namespace stmfd {

class stmf_actor : public caf::event_based_actor {
 public:
  stmf_actor(caf::actor_config& cfg, stmf_definitions defs);
  caf::behavior make_behavior() override;
  void on_exit() override;
  const char* name() const override { return "stmf"; }

 private:
  struct lu_slot {
    lu_definition def;
    lu_status status;
    std::shared_ptr<backing_store> store;  // null until it opened
    caf::actor actor;                      // null unless online
    // Its provider holds removable media (lu_provider::removable_media): no
    // backing store; the LU shell loads the medium file itself.
    bool medium_only = false;
    bool ready() const { return store || medium_only; }
    // The core's saved_state() across restarts (mode pages the initiator set).
    std::shared_ptr<std::vector<uint8_t>> saved = std::make_shared<std::vector<uint8_t>>();
    // Its statistics, written by its shell, kept across restarts (stmf_stats.hpp).
    std::shared_ptr<io_counters> stats = std::make_shared<io_counters>();
    // The state last published as an event (stmf_events.cpp): repeats are not sent.
    std::optional<std::pair<lu_state, std::string>> published{};
    // Counts its spawns and stops: a changer's start waiting for its drives'
    // answers (spawn_changer) goes on only if nothing happened meanwhile.
    uint64_t spawn_gen = 0;
    // A drive LU (issue 8): drive operations forwarded to it whose answer
    // has not come back (one that failed in transit stays counted). While
    // zero, def.path is exactly the cartridge its shell holds.
    uint32_t drive_ops_unsettled = 0;
    // Issue 10: the io guards (lu_shell_start::io_guard) of the shells this
    // LU has had; a guard expires once its shell's actor object is gone, so
    // no I/O of that shell is left in the kernel. A new shell gets the live
    // ones as its predecessors and holds its medium I/O until they expire.
    std::vector<std::weak_ptr<const void>> shell_guards{};
  };
  struct session_slot {
    caf::actor actor;
    remote_port initiator;
    uint16_t relative_port_id = 0;
    std::vector<std::string> lus;        // names of the LUs in its inventory
    std::vector<lun_assignment> mapped;  // its inventory as the views gave it (admin remap compares it)
    std::shared_ptr<io_counters> stats;  // written by its session layer (stmf_stats.hpp)
  };
  enum class child_kind { io, lu, port, session, copy };
  struct child {
    child_kind kind;
    size_t index;  // LU index, or nexus for sessions and copy managers
  };

  io::ring::options ring_options() const;
  void start_io(size_t i, std::function<void()> then);
  void start_children();
  // LU lifecycle (stmf_lus.cpp).
  bool open_store(size_t i);
  // Starts LU i's shell; a library's changer first learns what its drives
  // hold (spawn_changer), then start_lu makes its core.
  void spawn_lu(size_t i, bool power_on, std::vector<scsi::sense_code> start_uas = {});
  void start_lu(size_t i, bool power_on, std::vector<scsi::sense_code> start_uas,
                const std::vector<std::string>* drive_media);
  void retry_lu(size_t i);
  void lu_down(size_t i, const caf::error& reason);
  void retry_later(size_t i, std::chrono::milliseconds delay);
  // Tells every session that reaches LU i its current actor (a LuStateEvent
  // beside the actor; power_on: it was restarted).
  void announce(size_t i, bool power_on);
  lu_state_list lu_states() const;
  // Issue 8: a changer's drive operation (stmf_lus.cpp); a changer's start
  // after asking its drives what they hold (stmf_library.cpp).
  caf::result<int32_t> forward_drive_op(const std::string& drive, uint8_t op, const std::string& path,
                                        const std::string& barcode, uint64_t capacity);
  void spawn_changer(size_t i, bool power_on, std::vector<scsi::sense_code> start_uas);
  // Issue 8 admin verbs (stmf_library.cpp): an administrator's change of a
  // library, forwarded to its changer LU (the changer's definition follows
  // on success); the changer's element map; a drive LU's medium state.
  caf::result<library_change_result> change_library(const std::string& changer, const library_change& c);
  caf::result<std::vector<library_element>> library_elements(const std::string& changer);
  caf::result<medium_state> medium_of(const std::string& drive);
  size_t lu_index(const std::string& name) const;  // lus_.size() when none
  void spawn_port(size_t i);
  void port_down(size_t i, const caf::error& reason);
  void on_down(const caf::down_msg& m);
  nexus_grant admit(const nexus_request& who, const caf::actor& sender);
  // Forgets the nexus and tells its LUs; with `detached`, asks them and
  // runs it once all have processed the loss (stmf_actor.cpp).
  void end_nexus(uint64_t nexus, std::function<void()> detached = {});
  // How long a logout waits for one LU to confirm a detach.
  static constexpr std::chrono::seconds detach_timeout{5};
  std::vector<nexus_attach> nexuses_reaching(const std::string& lu_name) const;
  void shutdown();
  // Third-party copy (stmf_copy.cpp): resolves an EXTENDED COPY's CSCD
  // descriptors among the LUs of the requesting nexus's views, attaches a
  // copy nexus carrying the requester's identity to them, and hands the
  // request to a copy-manager actor of its own; its end detaches the nexus.
  caf::delegated<caf::message> start_copy(const copy_request& req, task_ptr ec);
  void copy_ended(uint64_t copy_nexus);
  // Admin plane (stmf_admin.cpp).
  bool apply_views(mapping next);
  std::string set_lu_online(const std::string& name, bool online);
  std::string create_lu(lu_definition def);
  std::string delete_lu(const std::string& name);
  port_summary_list port_summaries() const;
  // The providers' port details (port_detail_atom; stmf_admin.cpp).
  caf::result<port_detail_list> port_details();
  // Sessions (stmf_sessions.cpp): listed with their nexus actors' details;
  // a forced logout (false: no such nexus).
  caf::result<session_listing> list_sessions(const std::string& target);
  bool logout_session(uint64_t nexus);
  // Live targets and portals (stmf_targets.cpp).
  std::string reconfigure_ports(const config_snapshot& cfg);
  std::string set_target_online(const std::string& name, bool online);
  void push_ports();
  void refresh_ports();
  void on_port_link(uint16_t relative_port_id, bool up);
  void stop_lu_actor(size_t i);
  // ALUA (stmf_alua.cpp): the model is defs_.alua.
  std::vector<uint16_t> alua_port_groups() const;
  lu_access alua_view(const std::string& lu) const;
  void push_alua(size_t i);
  // Every LU's view again (a port went down or came back).
  void push_alua_all();
  std::string set_alua_state(const tpg_change& c);
  void on_stpg(const std::string& lu, uint16_t group, uint8_t state);
  tpg_listing alua_listing() const;
  // sbdadm modify-lu (stmf_modify.cpp).
  std::string modify_lu(lu_definition def);
  // Statistics (stmf_stats.cpp).
  stats_list statistics() const;
  void retire_session_stats(const session_slot& s);
  // Events (stmf_events.cpp): LU i's state when it changed; a nexus that
  // registered or ended; a recovery STMF made.
  void publish_lu(size_t i);
  void publish_session(bool login, uint64_t nexus, const session_slot& s);
  void publish_recovery(const std::string& what);

  stmf_definitions defs_;
  std::vector<caf::actor> ios_;  // one io actor per ring
  std::vector<std::shared_ptr<io::ring>> rings_;
  bool started_ = false;
  std::vector<lu_slot> lus_;
  std::shared_ptr<const std::vector<local_port>> local_ports_;
  struct port_slot {
    const port_provider* provider;
    caf::actor actor;
    restart_policy restarts;
  };
  std::vector<port_slot> ports_;
  std::map<uint64_t, session_slot> sessions_;
  std::map<uint16_t, io_snapshot> retired_port_stats_;  // by relative port id: sessions that ended
  std::unordered_map<caf::actor_addr, child> children_;
  uint64_t next_nexus_ = 1;
  bool stopping_ = false;
  struct pending_login {
    caf::response_promise promise;
    nexus_request who;
    caf::actor sender;
  };
  std::vector<pending_login> pending_logins_;
  // Copy managers running, by their copy nexus: the LU actors it was attached to.
  std::map<uint64_t, std::vector<caf::actor>> copies_;
};

}  // namespace stmfd
