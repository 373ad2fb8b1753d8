#include "actors/stmf/stmf_actor.hpp"

#include <caf/all.hpp>

#include "actors/common/log.hpp"
#include "actors/common/messages.hpp"
#include "actors/lu/lu_actor.hpp"
#include "io/io_actor.hpp"

namespace stmfd {

namespace {
// A port provider that died is started again after this pause (its old
// endpoints must be gone) unless it says it may restart at once
// (port_provider::restart_at_once); also the wait for its io ring while
// the ring is being recreated.
constexpr auto port_restart_pause = std::chrono::milliseconds(200);
}  // namespace

io::ring::options stmf_actor::ring_options() const {
  io::ring::options o;
  o.spin_us = defs_.ring_spin_us;
  return o;
}

stmf_actor::stmf_actor(caf::actor_config& cfg, stmf_definitions defs)
    : caf::event_based_actor(cfg), defs_(std::move(defs)) {}

caf::behavior stmf_actor::make_behavior() {
  set_down_handler([this](caf::down_msg& m) { on_down(m); });
  // An exit request (from the daemon, a test, an admin) is an orderly
  // shutdown: children first, then STMF itself.
  set_exit_handler([this](caf::exit_msg&) { shutdown(); });
  // An LU whose store cannot be opened is reported and tried again later;
  // it never keeps the others from starting.
  lus_.reserve(defs_.lus.size());
  for (auto& d : defs_.lus) lus_.push_back({d, lu_status(defs_.retry), nullptr, nullptr, false});
  for (size_t i = 0; i < lus_.size(); ++i) open_store(i);
  ios_.resize(std::max<uint32_t>(defs_.rings, 1));
  rings_.resize(ios_.size());
  for (size_t i = 0; i < ios_.size(); ++i) start_io(i, [this] { start_children(); });
  return {
      [this](login_atom, const nexus_request& who) -> caf::result<nexus_grant> {
        auto sender = caf::actor_cast<caf::actor>(current_sender());
        if (started_) return admit(who, sender);
        // Not started yet: answer once the LUs run. (make_response_promise
        // takes the sender out of the message: read it first.)
        auto rp = make_response_promise<nexus_grant>();
        pending_logins_.push_back({rp, who, sender});
        return rp;
      },
      [this](logout_atom, const nexus_detach& d) { end_nexus(d.get().getNexus()); },
      [this](logout_atom, const nexus_detach& d, done_atom) -> caf::result<done_atom> {
        auto rp = make_response_promise<done_atom>();
        end_nexus(d.get().getNexus(), [rp]() mutable { rp.deliver(done_atom::value); });
        return rp;
      },
      [this](shutdown_atom) { shutdown(); },
      [this](retry_atom, lu_atom, uint64_t i) {
        if (i < lus_.size()) retry_lu(size_t(i));
      },
      [this](retry_atom, port_atom, uint64_t i) {
        if (i < ports_.size() && !ports_[i].actor && !stopping_) spawn_port(size_t(i));
      },
      [this](get_atom, lu_state_atom) -> lu_state_list { return lu_states(); },
      [this](get_atom, stats_atom) -> stats_list { return statistics(); },
      [this](stats_atom) -> std::vector<uint64_t> {
        uint64_t done = 0;
        for (auto& r : rings_) done += r ? r->completed() : 0;
        return {uint64_t(sessions_.size()), uint64_t(lus_.size()), done};
      },
      [this](get_atom, io_atom) -> caf::actor { return ios_.empty() ? caf::actor{} : ios_[0]; },
      [this](get_atom, port_atom) -> caf::actor { return ports_.empty() ? caf::actor{} : ports_[0].actor; },
      [this](views_atom, mapping& m) { return apply_views(std::move(m)); },
      [this](lu_online_atom, const std::string& name, bool on) { return set_lu_online(name, on); },
      [this](create_lu_atom, lu_definition& d) { return create_lu(std::move(d)); },
      [this](delete_lu_atom, const std::string& name) { return delete_lu(name); },
      [this](modify_lu_atom, lu_definition& d) { return modify_lu(std::move(d)); },
      [this](get_atom, ports_atom) { return port_summaries(); },
      [this](get_atom, port_detail_atom) -> caf::result<port_detail_list> { return port_details(); },
      [this](get_atom, session_detail_atom, const std::string& target) { return list_sessions(target); },
      [this](session_logout_atom, uint64_t nexus) { return logout_session(nexus); },
      [this](ports_atom, const config_snapshot& cfg) { return reconfigure_ports(cfg); },
      [this](target_online_atom, const std::string& name, bool on) { return set_target_online(name, on); },
      [this](port_link_atom, uint16_t relative_port_id, bool up) { on_port_link(relative_port_id, up); },
      [this](alua_atom, const tpg_change& c) { return set_alua_state(c); },
      [this](get_atom, alua_atom) { return alua_listing(); },
      [this](alua_atom, const std::string& lu, uint16_t group, uint8_t state) { on_stpg(lu, group, state); },
      [this](copy_atom, const copy_request& req, task_ptr& ec) { return start_copy(req, std::move(ec)); },
      [this](drive_op_atom, const std::string& drive, uint8_t op, const std::string& path, const std::string& barcode,
             uint64_t capacity) { return forward_drive_op(drive, op, path, barcode, capacity); },
      [this](library_atom, const std::string& changer, const library_change& c) { return change_library(changer, c); },
      [this](get_atom, library_atom, const std::string& changer) { return library_elements(changer); },
      [this](get_atom, medium_atom, const std::string& drive) { return medium_of(drive); },
      [this](get_atom, const std::string& lu_name) -> caf::actor {
        for (auto& s : lus_)
          if (s.def.name == lu_name) return s.actor;
        return caf::actor{};
      },
  };
}

// Spawns io actor i and fetches its ring; `then` runs once every ring is up.
void stmf_actor::start_io(size_t i, std::function<void()> then) {
  rings_[i] = nullptr;
  ios_[i] = spawn<caf::monitored>(io::io_actor, ring_options());
  children_[ios_[i].address()] = {child_kind::io, i};
  request(ios_[i], std::chrono::seconds(10), io::get_ring_atom::value)
      .then([this, i, then](std::shared_ptr<io::ring>& r) {
        rings_[i] = std::move(r);
        for (auto& x : rings_)
          if (!x) return;
        then();
      });
}

void stmf_actor::start_children() {
  started_ = true;
  local_ports_ = std::make_shared<const std::vector<local_port>>(defs_.providers ? defs_.providers->local_ports()
                                                                                 : std::vector<local_port>{});
  for (size_t i = 0; i < lus_.size(); ++i)
    if (lus_[i].ready()) spawn_lu(i, false);  // the others wait for their retry
  if (defs_.providers)
    for (auto& p : defs_.providers->ports()) ports_.push_back({&p, caf::actor{}, restart_policy(defs_.retry)});
  for (size_t i = 0; i < ports_.size(); ++i) spawn_port(i);
  for (auto& p : pending_logins_) p.promise.deliver(admit(p.who, p.sender));
  pending_logins_.clear();
}

void stmf_actor::spawn_port(size_t i) {
  auto& slot = ports_[i];
  if (!rings_[0]) {  // its ring is being recreated: try again once it is there
    delayed_send(this, port_restart_pause, retry_atom::value, port_atom::value, uint64_t(i));
    return;
  }
  slot.actor =
      slot.provider->spawn(*this, port_start{rings_[0], caf::actor_cast<caf::actor>(this), slot.provider->ports});
  monitor(slot.actor);
  children_[slot.actor.address()] = {child_kind::port, i};
}

// A port provider that died is started again: at once when its endpoints
// were gone before its down message (port_provider::restart_at_once: the
// iSCSI listeners), so logins are refused only while no provider runs;
// else after port_restart_pause. One that keeps dying waits its back-off
// delay.
void stmf_actor::port_down(size_t i, const caf::error& reason) {
  auto& slot = ports_[i];
  slot.actor = nullptr;
  auto delay = slot.restarts.crashed(std::chrono::steady_clock::now());
  publish_recovery(std::string(slot.provider->name) + " port provider failed (" + to_string(reason) +
                   "); restarting it");
  if (delay) {
    log::error("{} port provider keeps failing ({}): trying again in {} ms", slot.provider->name, to_string(reason),
               delay->count());
    delayed_send(this, *delay, retry_atom::value, port_atom::value, uint64_t(i));
    return;
  }
  log::error("{} port provider failed: {}; restarting", slot.provider->name, to_string(reason));
  if (slot.provider->restart_at_once)
    spawn_port(i);
  else
    delayed_send(this, port_restart_pause, retry_atom::value, port_atom::value, uint64_t(i));
}

void stmf_actor::on_down(const caf::down_msg& m) {
  auto it = children_.find(m.source);
  if (it == children_.end()) return;
  child c = it->second;
  children_.erase(it);
  if (stopping_) {
    if (children_.empty()) quit();
    return;
  }
  switch (c.kind) {
    case child_kind::lu: lu_down(c.index, m.reason); break;
    case child_kind::port: port_down(c.index, m.reason); break;
    case child_kind::session:
      log::debug("nexus {} down: {}", c.index, to_string(m.reason));
      end_nexus(c.index);
      break;
    case child_kind::copy: copy_ended(c.index); break;
    case child_kind::io:
      log::error("io actor {} failed: {}; recreating its ring", c.index, to_string(m.reason));
      publish_recovery("io ring " + std::to_string(c.index) + " recreated after: " + to_string(m.reason));
      start_io(c.index, [this] {
        // LUs and the port may hold the old ring: restart them onto the new one.
        for (auto& s : lus_)
          if (s.actor) send_exit(s.actor, caf::exit_reason::user_shutdown);
        for (auto& p : ports_)
          if (p.actor) send_exit(p.actor, caf::exit_reason::user_shutdown);
      });
      break;
  }
}

// SAM-5 4.6.5: one I_T nexus per (initiator port, target port) pair. A new
// registration between the same two ports ends the old nexus (iSCSI session
// reinstatement, RFC 7143 6.3.5; an FC re-login).
nexus_grant stmf_actor::admit(const nexus_request& msg, const caf::actor& sender) {
  auto req = msg.get();
  auto initiator = from_wire(req.getInitiator());
  uint16_t rel = req.getRelativePortId();
  if (!initiator) {  // a transport this side does not know (a newer remote port): no LUNs
    log::warn("stmf: a nexus request with an unknown transport is admitted with no LUNs");
    return make_grant(next_nexus_++, {}, std::make_shared<task_pool>(1), nullptr);
  }
  const remote_port& who = *initiator;
  for (auto it = sessions_.begin(); it != sessions_.end();) {
    auto& w = it->second;
    if (w.initiator.port_name == who.port_name && w.relative_port_id == rel) {
      log::info("nexus reinstatement: {} (nexus {})", who.port_name, it->first);
      send_exit(w.actor, caf::exit_reason::user_shutdown);
      uint64_t old = it->first;
      ++it;
      end_nexus(old);
    } else {
      ++it;
    }
  }
  uint64_t nexus = next_nexus_++;
  std::string target;
  const local_port* port = nullptr;
  for (auto& p : *local_ports_)
    if (p.relative_port_id == rel) {
      target = p.target_name;
      port = &p;
    }
  session_slot slot{sender, who, rel, {}, {}, std::make_shared<io_counters>()};
  lun_map luns;
  nexus_attach_msg attach;  // one message, shared by handle by every LU of the nexus
  if (!target.empty()) {
    for (auto& a : defs_.views.luns_for(who.initiator_name, target))
      for (auto& s : lus_)
        if (s.def.name == a.lu) {
          luns.push_back({a.lun, a.lu, s.actor, s.status.state()});
          slot.lus.push_back(a.lu);
          slot.mapped.push_back(a);
          if (!s.actor) continue;
          if (!attach) attach = make_attach(nexus_attach{nexus, who, rel});
          // its unit attentions and reservations reach this nexus now
          send(s.actor, login_atom::value, attach);
        }
  }
  log::debug("stmf: nexus {} = {} via {} ({} LUN(s))", nexus, who.port_name, target, luns.size());
  auto grant =
      make_grant(nexus, luns, std::make_shared<task_pool>(std::min<uint32_t>(req.getCommandWindow(), 256)), port);
  grant.stats = slot.stats;
  if (sender) {
    monitor(sender);
    children_[sender.address()] = {child_kind::session, size_t(nexus)};
    publish_session(true, nexus, slot);
    sessions_[nexus] = std::move(slot);
  }
  return grant;
}

// The nexus is gone (logout, its actor ended, reinstated): its LUs drop its
// unit attentions (architecture: UA state freed at logout). With `detached`,
// each LU is asked rather than told, and `detached` runs once every one has
// answered, died or not answered within detach_timeout (an LU that does not
// answer is being restarted, and a restarted LU knows no nexus).
void stmf_actor::end_nexus(uint64_t nexus, std::function<void()> detached) {
  auto it = sessions_.find(nexus);
  if (it == sessions_.end()) {
    if (detached) detached();
    return;
  }
  nexus_detach detach;  // one message, shared by handle by every LU of the nexus
  std::vector<caf::actor> lus;
  for (auto& name : it->second.lus)
    for (auto& s : lus_)
      if (s.def.name == name && s.actor) lus.push_back(s.actor);
  if (!lus.empty()) detach = make_detach(nexus);
  if (!detached) {
    for (auto& lu : lus) send(lu, logout_atom::value, detach);
  } else if (lus.empty()) {
    detached();
  } else {
    auto left = std::make_shared<size_t>(lus.size());
    auto one = [left, detached] {
      if (--*left == 0) detached();
    };
    for (auto& lu : lus)
      request(lu, detach_timeout, logout_atom::value, detach, done_atom::value)
          .then([one](done_atom) { one(); }, [one](caf::error&) { one(); });
  }
  if (it->second.actor) {
    demonitor(it->second.actor);
    children_.erase(it->second.actor.address());
  }
  retire_session_stats(it->second);
  publish_session(false, nexus, it->second);
  sessions_.erase(it);
}

std::vector<nexus_attach> stmf_actor::nexuses_reaching(const std::string& lu_name) const {
  std::vector<nexus_attach> out;
  for (auto& [nexus, s] : sessions_)
    for (auto& n : s.lus)
      if (n == lu_name) out.push_back(nexus_attach{nexus, s.initiator, s.relative_port_id});
  return out;
}

void stmf_actor::on_exit() {
  // However STMF ends, nothing it started outlives it.
  for (auto& [addr, c] : children_)
    if (auto a = caf::actor_cast<caf::actor>(addr)) send_exit(a, caf::exit_reason::user_shutdown);
  children_.clear();
  // Children hold STMF's handle; dropping theirs here breaks the cycles so
  // every actor object is freed once it has terminated.
  for (auto& p : ports_) p.actor = nullptr;
  ios_.clear();
  for (auto& s : lus_) s.actor = nullptr;
  sessions_.clear();
  pending_logins_.clear();
}

void stmf_actor::shutdown() {
  if (stopping_) return;
  stopping_ = true;
  log::info("stmf: shutting down ({} sessions)", sessions_.size());
  for (auto& p : ports_)
    if (p.actor) send_exit(p.actor, caf::exit_reason::user_shutdown);
  for (auto& [nexus, s] : sessions_) send_exit(s.actor, caf::exit_reason::user_shutdown);
  for (auto& s : lus_) {
    if (s.actor) send_exit(s.actor, caf::exit_reason::user_shutdown);
    if (s.store) s.store->sync();
  }
  for (auto& io : ios_)
    if (io) send_exit(io, caf::exit_reason::user_shutdown);
  if (children_.empty()) quit();
}

}  // namespace stmfd
