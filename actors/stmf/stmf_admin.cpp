// STMF's side of the admin plane (stmf_admin.hpp): live LUN mapping
// changes, LU online/offline, LU creation and deletion.
#include <caf/all.hpp>

#include "actors/common/ask_all.hpp"
#include "actors/common/log.hpp"
#include "actors/common/messages.hpp"
#include "actors/lu/lu_actor.hpp"
#include "actors/stmf/stmf_actor.hpp"

namespace stmfd {

namespace {

bool same_inventory(const std::vector<lun_assignment>& a, const std::vector<lun_assignment>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (a[i].lun != b[i].lun || a[i].lu != b[i].lu) return false;
  return true;
}

bool contains(const std::vector<std::string>& names, const std::string& n) {
  return std::find(names.begin(), names.end(), n) != names.end();
}

}  // namespace

// SPC-4 5.14 / 6.33: a nexus whose inventory changes is told by REPORTED
// LUNS DATA HAS CHANGED on the LUs it reaches afterwards.
bool stmf_actor::apply_views(mapping next) {
  defs_.views = std::move(next);
  for (auto& [nexus, sess] : sessions_) {
    std::string target;
    for (auto& p : *local_ports_)
      if (p.relative_port_id == sess.relative_port_id) target = p.target_name;
    std::vector<lun_assignment> now;
    if (!target.empty()) now = defs_.views.luns_for(sess.initiator.initiator_name, target);
    if (same_inventory(now, sess.mapped)) continue;
    lun_map luns;
    std::vector<std::string> names;
    std::vector<lun_assignment> mapped;
    for (auto& a : now)
      for (auto& s : lus_)
        if (!s.def.name.empty() && s.def.name == a.lu) {
          luns.push_back({a.lun, a.lu, s.actor, s.status.state()});
          names.push_back(a.lu);
          mapped.push_back(a);
        }
    nexus_attach_msg attach;  // built once, shared by handle by the LUs the nexus now reaches
    nexus_detach detach;      // likewise for the LUs it no longer reaches
    for (auto& s : lus_) {
      if (!s.actor) continue;
      bool before = contains(sess.lus, s.def.name), after = contains(names, s.def.name);
      if (before && !after) {
        if (!detach) detach = make_detach(nexus);
        send(s.actor, logout_atom::value, detach);
      }
      if (!before && after) {
        if (!attach) attach = make_attach(nexus_attach{nexus, sess.initiator, sess.relative_port_id});
        send(s.actor, login_atom::value, attach);
      }
      if (after) send(s.actor, luns_atom::value, nexus);
    }
    log::info("stmf: nexus {} ({}): LUN inventory changed ({} LUN(s))", nexus, sess.initiator.port_name, luns.size());
    // The new inventory as a NexusGrant (no task pool: the nexus keeps its own).
    send(sess.actor, luns_atom::value, make_grant(nexus, luns, nullptr, nullptr));
    sess.lus = std::move(names);
    sess.mapped = std::move(mapped);
  }
  return true;
}

// Stops LU i's actor without STMF treating it as a failure (no restart).
void stmf_actor::stop_lu_actor(size_t i) {
  auto& s = lus_[i];
  ++s.spawn_gen;  // a changer waiting for its drives' answers does not start
  if (!s.actor) return;
  auto a = s.actor;
  s.actor = nullptr;
  demonitor(a);
  children_.erase(a.address());
  send_exit(a, caf::exit_reason::user_shutdown);
}

std::string stmf_actor::set_lu_online(const std::string& name, bool online) {
  for (size_t i = 0; i < lus_.size(); ++i) {
    auto& s = lus_[i];
    if (s.def.name.empty() || s.def.name != name) continue;
    if (!online) {
      if (s.status.state() == lu_state::offline && !s.actor) return {};
      stop_lu_actor(i);
      s.status.offline("taken offline by the administrator");
      publish_lu(i);
      log::info("lu {}: offline (administrator)", name);
      announce(i, false);  // sessions keep it; its commands answer NOT READY
      return {};
    }
    if (s.actor) return {};
    if (!started_) return "the daemon is still starting; try again";
    if (!s.store && !open_store(i)) return "lu '" + name + "': " + s.status.reason() + " (retrying)";
    spawn_lu(i, true);
    return {};
  }
  return "there is no LU '" + name + "'";
}

std::string stmf_actor::create_lu(lu_definition def) {
  for (auto& s : lus_)
    if (s.def.name == def.name) return "LU '" + def.name + "' already exists";
  // Issue 8: tape drives and changers have no backing store (their shell
  // loads a medium itself, or there is none).
  const lu_provider* provider = defs_.providers ? defs_.providers->lu(def.provider) : nullptr;
  if (provider && (provider->removable_media || provider->no_store)) {
    lus_.push_back({std::move(def), lu_status(defs_.retry), nullptr, nullptr});
    lus_.back().medium_only = true;
    log::info("lu {}: created ({})", lus_.back().def.name, lus_.back().def.provider);
    if (started_) spawn_lu(lus_.size() - 1, false);
    return {};
  }
  auto r = backing_store::open(def);
  if (!r.store) return r.error;
  lus_.push_back({std::move(def), lu_status(defs_.retry), std::move(r.store), nullptr});
  size_t i = lus_.size() - 1;
  log::info("lu {}: created ({} bytes)", lus_[i].def.name, lus_[i].store->size());
  if (started_) spawn_lu(i, false);
  return {};
}

// The slot stays (indices name children and retry timers) with an empty
// name: nothing finds it any more and lu_states() leaves it out.
std::string stmf_actor::delete_lu(const std::string& name) {
  for (size_t i = 0; i < lus_.size(); ++i) {
    auto& s = lus_[i];
    if (s.def.name.empty() || s.def.name != name) continue;
    stop_lu_actor(i);
    s.status.offline("deleted");
    publish_lu(i);
    if (s.store) s.store->sync();
    s.store = nullptr;
    s.def.name.clear();
    defs_.alua.forget_lu(name);
    log::info("lu {}: deleted", name);
    return {};
  }
  return "there is no LU '" + name + "'";
}

caf::result<port_detail_list> stmf_actor::port_details() {
  std::vector<caf::actor> to;
  for (auto& p : ports_)
    if (p.actor && p.provider && p.provider->answers_port_details) to.push_back(p.actor);
  auto rp = make_response_promise();
  ask_all<port_detail_list>(
      this, to, std::chrono::seconds(5),
      [rp](std::vector<port_detail_list>&& got) mutable {
        port_detail_list out;
        for (auto& l : got)
          for (auto& d : l) out.push_back(std::move(d));
        rp.deliver(std::move(out));
      },
      get_atom::value, port_detail_atom::value);
  return caf::delegated<port_detail_list>{};
}

port_summary_list stmf_actor::port_summaries() const {
  port_summary_list out;
  if (!local_ports_) return out;
  for (auto& p : *local_ports_) {
    port_summary ps{p, 0, {}};
    for (auto& [nexus, s] : sessions_)
      if (s.relative_port_id == p.relative_port_id) {
        ++ps.sessions;
        ps.initiators.push_back(s.initiator.port_name);
      }
    out.push_back(std::move(ps));
  }
  return out;
}

}  // namespace stmfd
