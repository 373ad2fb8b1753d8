#include "actors/stmf/stmf_actor.hpp"

#include <caf/all.hpp>

#include "actors/common/log.hpp"
#include "io/io_actor.hpp"

namespace stmfd {

namespace {
constexpr size_t max_restarts = 5;
constexpr auto restart_window = std::chrono::seconds(30);
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
  if (!open_stores()) return {};
  ios_.resize(std::max<uint32_t>(defs_.rings, 1));
  rings_.resize(ios_.size());
  for (size_t i = 0; i < ios_.size(); ++i) start_io(i, [this] { start_children(); });
  return {
      [this](login_atom, session_identity& who) -> caf::result<session_grant> {
        auto sender = caf::actor_cast<caf::actor>(current_sender());
        if (started_) return admit(who, sender);
        // Not started yet: answer once the LUs run. (make_response_promise
        // takes the sender out of the message: read it first.)
        auto rp = make_response_promise<session_grant>();
        pending_logins_.push_back({rp, who, sender});
        return rp;
      },
      [this](logout_atom, uint64_t nexus) { sessions_.erase(nexus); },
      [this](shutdown_atom) { shutdown(); },
      [this](tick_atom) {
        for (size_t i = 0; i < ports_.size(); ++i)  // delayed restart after a failure
          if (!ports_[i].actor && !stopping_) spawn_port(i);
      },
      [this](stats_atom) -> std::vector<uint64_t> {
        uint64_t done = 0;
        for (auto& r : rings_) done += r ? r->completed() : 0;
        return {uint64_t(sessions_.size()), uint64_t(lus_.size()), done};
      },
      [this](get_atom, io_atom) -> caf::actor { return ios_.empty() ? caf::actor{} : ios_[0]; },
      [this](get_atom, port_atom) -> caf::actor { return ports_.empty() ? caf::actor{} : ports_[0].actor; },
      [this](get_atom, const std::string& lu_name) -> caf::actor {
        for (auto& s : lus_)
          if (s.def.name == lu_name) return s.actor;
        return caf::actor{};
      },
  };
}

bool stmf_actor::open_stores() {
  for (auto& d : defs_.lus) {
    auto r = backing_store::open(d);
    if (!r.store) {
      log::error("{}", r.error);
      quit(caf::make_error(caf::sec::runtime_error, r.error));
      return false;
    }
    log::info("lu {}: {} bytes, {}-byte blocks, write cache {}", d.name, r.store->size(), d.block_size,
              d.write_cache ? "on" : "off");
    lus_.push_back({d, r.store, caf::actor{}, {}});
  }
  return true;
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
  for (size_t i = 0; i < lus_.size(); ++i) spawn_lu(i, false);
  if (defs_.providers)
    for (auto& p : defs_.providers->ports()) ports_.push_back({&p, caf::actor{}, {}});
  for (size_t i = 0; i < ports_.size(); ++i) spawn_port(i);
  for (auto& p : pending_logins_) p.promise.deliver(admit(p.who, p.sender));
  pending_logins_.clear();
}

void stmf_actor::spawn_lu(size_t i, bool power_on) {
  auto& s = lus_[i];
  const lu_provider* provider = defs_.providers ? defs_.providers->lu(s.def.provider) : nullptr;
  if (provider == nullptr) {
    log::error("lu {}: no LU provider '{}' registered: left offline", s.def.name, s.def.provider);
    return;
  }
  // LUs spread over the rings; port providers use the first.
  s.actor = provider->spawn(*this, lu_start{s.def, s.store, rings_[(i + 1) % rings_.size()], power_on});
  monitor(s.actor);
  children_[s.actor.address()] = {child_kind::lu, i};
  // Sessions hold LU handles in their views: give them the new one.
  for (auto& [nexus, sess] : sessions_) send(sess.actor, lu_update_atom::value, s.def.name, s.actor);
}

void stmf_actor::spawn_port(size_t i) {
  auto& slot = ports_[i];
  slot.actor = slot.provider->spawn(*this, rings_[0], caf::actor_cast<caf::actor>(this));
  monitor(slot.actor);
  children_[slot.actor.address()] = {child_kind::port, i};
}

bool stmf_actor::too_many_restarts(std::deque<std::chrono::steady_clock::time_point>& log) {
  auto now = std::chrono::steady_clock::now();
  while (!log.empty() && now - log.front() > restart_window) log.pop_front();
  log.push_back(now);
  return log.size() > max_restarts;
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
    case child_kind::lu: {
      auto& s = lus_[c.index];
      log::error("lu {} failed: {}; restarting", s.def.name, to_string(m.reason));
      if (too_many_restarts(s.restarts)) {
        log::error("lu {} failed {} times in {}s: left offline", s.def.name, max_restarts,
                   restart_window.count());
        return;
      }
      spawn_lu(c.index, true);
      break;
    }
    case child_kind::port: {
      auto& slot = ports_[c.index];
      log::error("{} port provider failed: {}; restarting", slot.provider->name, to_string(m.reason));
      if (too_many_restarts(slot.restarts)) {
        log::error("{} port provider keeps failing: giving up", slot.provider->name);
        quit(m.reason);
        return;
      }
      slot.actor = nullptr;
      delayed_send(this, std::chrono::milliseconds(200), tick_atom::value);
      break;
    }
    case child_kind::session:
      log::debug("session {} down: {}", c.index, to_string(m.reason));
      sessions_.erase(c.index);
      break;
    case child_kind::io:
      log::error("io actor {} failed: {}; recreating its ring", c.index, to_string(m.reason));
      start_io(c.index, [this] {
        // LUs and the port may hold the old ring: restart them onto the new one.
        for (auto& s : lus_) send_exit(s.actor, caf::exit_reason::user_shutdown);
        for (auto& p : ports_)
          if (p.actor) send_exit(p.actor, caf::exit_reason::user_shutdown);
      });
      break;
  }
}

session_grant stmf_actor::admit(const session_identity& who, const caf::actor& sender) {
  // RFC 7143 6.3.5: a new session with the same initiator name, ISID and
  // target reinstates (ends) the old one.
  for (auto it = sessions_.begin(); it != sessions_.end();) {
    auto& w = it->second.who;
    if (w.initiator_name == who.initiator_name && w.isid == who.isid && w.target_name == who.target_name) {
      log::info("session reinstatement: {} (nexus {})", who.initiator_name, it->first);
      send_exit(it->second.actor, caf::exit_reason::user_shutdown);
      it = sessions_.erase(it);
    } else {
      ++it;
    }
  }
  session_grant g;
  g.tasks = std::make_shared<task_pool>(std::min<uint32_t>(who.cmd_window, 256));
  g.nexus = next_nexus_++;
  g.tsih = next_tsih_++;
  if (next_tsih_ == 0) next_tsih_ = 1;
  for (auto& v : defs_.views) {
    if (v.target_name != who.target_name) continue;
    for (auto& [lun, name] : v.luns)
      for (auto& s : lus_)
        if (s.def.name == name) g.luns.push_back({lun, name, s.actor});
  }
  log::debug("stmf: admitted {} to {} as nexus {}", who.initiator_name, who.target_name, g.nexus);
  if (sender) {
    monitor(sender);
    children_[sender.address()] = {child_kind::session, size_t(g.nexus)};
    sessions_[g.nexus] = {sender, who};
  }
  return g;
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
