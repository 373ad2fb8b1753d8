// STMF's side of an LU's life (stmf_actor.hpp): opening its backing store,
// starting its shell through its provider, restarting it, trying again with
// back-off, and telling the sessions that reach it which actor serves it.
#include <caf/all.hpp>

#include "actors/common/faults.hpp"
#include "actors/common/log.hpp"
#include "actors/common/messages.hpp"
#include "actors/lu/lu_actor.hpp"
#include "actors/lu/state_file.hpp"
#include "actors/stmf/stmf_actor.hpp"

namespace stmfd {

namespace {
// An LU whose ring is being recreated (io actor restart) waits this long.
constexpr auto ring_wait = std::chrono::milliseconds(100);
}  // namespace

// Opens LU i's store; on failure reports it (log, lu_state failed with the
// reason) and schedules the next attempt.
bool stmf_actor::open_store(size_t i) {
  auto& s = lus_[i];
  const lu_provider* provider = defs_.providers ? defs_.providers->lu(s.def.provider) : nullptr;
  if (provider && (provider->removable_media || provider->no_store)) {  // v3: the shell loads the medium itself
    s.medium_only = true;
    return true;
  }
  auto r = backing_store::open(s.def);
  if (!r.store) {
    std::string why = r.error;
    if (why.rfind(s.def.name + ": ", 0) == 0) why.erase(0, s.def.name.size() + 2);  // the state is the LU's already
    auto delay = s.status.attempt_failed(why);
    publish_lu(i);
    log::error("lu {}: {}; trying again in {} ms", s.def.name, why, delay.count());
    retry_later(i, delay);
    return false;
  }
  s.store = std::move(r.store);
  log::info("lu {}: {} bytes, {}-byte blocks, write cache {}", s.def.name, s.store->size(), s.def.block_size,
            s.def.write_cache ? "on" : "off");
  return true;
}

// Starts LU i's shell from its definition and open store. power_on: every
// nexus (also those that log in later) first gets POWER ON 29h/00h.
void stmf_actor::spawn_lu(size_t i, bool power_on, std::vector<scsi::sense_code> start_uas) {
  auto& s = lus_[i];
  s.actor = nullptr;
  ++s.spawn_gen;
  if (s.def.library) {
    spawn_changer(i, power_on, std::move(start_uas));
    return;
  }
  start_lu(i, power_on, std::move(start_uas), nullptr);
}

void stmf_actor::start_lu(size_t i, bool power_on, std::vector<scsi::sense_code> start_uas,
                          const std::vector<std::string>* drive_media) {
  auto& s = lus_[i];
  const lu_provider* provider = defs_.providers ? defs_.providers->lu(s.def.provider) : nullptr;
  if (provider == nullptr) {
    s.status.offline("no LU provider '" + s.def.provider + "' registered");
    publish_lu(i);
    log::error("lu {}: {}: left offline", s.def.name, s.status.reason());
    return;
  }
  auto& ring = rings_[(i + 1) % rings_.size()];  // LUs spread over the rings; ports use the first
  if (!ring) {
    retry_later(i, ring_wait);
    return;
  }
  // Issue 8: the state the LU's last incarnation persisted (a library's map).
  std::vector<uint8_t> persisted;
  if (auto path = persistent_path(s.def); !path.empty())
    if (auto bytes = state_file::read(path)) persisted = std::move(*bytes);
  auto core = provider->make(lu_make_args{s.def, s.store ? s.store->size() : 0, *s.saved, &persisted, drive_media});
  if (!core) {
    s.status.offline("provider '" + s.def.provider + "' cannot serve this definition");
    publish_lu(i);
    log::error("lu {}: {}: left offline", s.def.name, s.status.reason());
    return;
  }
  auto start = std::make_shared<lu_shell_start>();
  start->def = s.def;
  start->store = s.store;
  start->ring = ring;
  start->core = std::move(core);
  start->ports = local_ports_;
  start->saved = s.saved;
  start->nexuses = nexuses_reaching(s.def.name);
  start->power_on_ua = power_on;
  start->start_uas = std::move(start_uas);
  start->removable_media = provider->removable_media;
  start->alua = alua_view(s.def.name);
  start->stmf = caf::actor_cast<caf::actor>(this);  // the shell keeps only a weak handle (weak_actor)
  start->stats = s.stats;
  // Issue 10: the new shell starts at once (its unit attentions, INQUIRY
  // ...), but its medium I/O waits for every earlier shell's I/O to leave
  // the kernel. Guards of shells that are gone are dropped here.
  std::erase_if(s.shell_guards, [](const std::weak_ptr<const void>& g) { return g.expired(); });
  start->predecessors = s.shell_guards;
  auto guard = std::make_shared<const char>('\0');
  s.shell_guards.push_back(guard);
  start->io_guard = std::move(guard);
  s.actor = spawn<lu_actor>(std::move(start));
  monitor(s.actor);
  children_[s.actor.address()] = {child_kind::lu, i};
  log::info("lu {}: online", s.def.name);
  s.status.started();
  publish_lu(i);
  announce(i, power_on);
}

// The retry timer of LU i fired: open its store if that failed, and start
// it once the rings run (before, start_children starts it).
void stmf_actor::retry_lu(size_t i) {
  auto& s = lus_[i];
  if (stopping_ || s.actor || s.status.state() == lu_state::offline) return;
  if (!s.ready() && !open_store(i)) return;
  if (started_) spawn_lu(i, true);
}

// LU i's actor ended: restart it at once, or (a crash loop) tell its
// sessions it is gone and try again after the back-off delay.
void stmf_actor::lu_down(size_t i, const caf::error& reason) {
  auto& s = lus_[i];
  s.actor = nullptr;
  auto delay = s.status.crashed(to_string(reason), std::chrono::steady_clock::now());
  if (!delay) {
    log::error("lu {} failed: {}; restarting", s.def.name, to_string(reason));
    publish_recovery("lu " + s.def.name + " restarted after a failure: " + to_string(reason));
    // The lu_restart fault point: a restart that takes a while, as one whose
    // ring is being recreated does. Its sessions, and those that log in
    // meanwhile, hear restarting with no actor; retry_lu starts it later.
    if (auto f = faults::fire(faults::point::lu_restart, s.def.name); f.act == faults::action::delay) {
      publish_lu(i);
      announce(i, false);
      retry_later(i, std::chrono::milliseconds(f.ms));
      return;
    }
    spawn_lu(i, true);
    // The new actor waits (its ring is being recreated, a changer asks its
    // drives first): until then its sessions answer NOT READY, BECOMING
    // READY (state restarting), not by a dead actor.
    if (!s.actor && s.status.state() == lu_state::restarting) announce(i, false);
    return;
  }
  log::error("lu {}: {}; trying again in {} ms", s.def.name, s.status.reason(), delay->count());
  publish_lu(i);
  announce(i, false);  // until then its commands get NOT READY, not a dead actor
  retry_later(i, *delay);
}

void stmf_actor::retry_later(size_t i, std::chrono::milliseconds delay) {
  delayed_send(this, delay, retry_atom::value, lu_atom::value, uint64_t(i));
}

// Sessions hold LU handles in their inventories: give every session that
// reaches LU i its current actor (null while it does not serve).
void stmf_actor::announce(size_t i, bool power_on) {
  auto& s = lus_[i];
  lu_event event;  // one message, shared by handle by every session that reaches the LU
  for (auto& [nexus, sess] : sessions_)
    for (auto& name : sess.lus)
      if (name == s.def.name) {
        if (!event) event = make_lu_event(s.def.name, s.status.state(), s.status.reason(), power_on);
        send(sess.actor, lu_update_atom::value, event, s.actor);
      }
}

// A changer's drive operation (issue 8): forwarded to the drive LU; once
// it succeeded, the drive's definition follows (the cartridge it holds is
// what it loads if it restarts; none after an unload). An operation whose
// answer is lost (timeout, the drive failed) leaves the drive unsettled:
// a changer that starts later asks it (spawn_changer).
caf::result<int32_t> stmf_actor::forward_drive_op(const std::string& drive, uint8_t op, const std::string& path,
                                                  const std::string& barcode, uint64_t capacity) {
  size_t i = 0;
  while (i < lus_.size() && lus_[i].def.name != drive) ++i;
  if (i == lus_.size() || !lus_[i].actor) return int32_t(-ENODEV);
  auto rp = make_response_promise<int32_t>();
  ++lus_[i].drive_ops_unsettled;
  request(lus_[i].actor, std::chrono::seconds(30), drive_op_atom::value, op, path, barcode, capacity)
      .then(
          [this, rp, i, op, path, barcode, capacity](int32_t r) mutable {
            --lus_[i].drive_ops_unsettled;
            if (r == 0) {
              auto& def = lus_[i].def;
              def.path = op == drive_op_load ? path : std::string();
              if (op == drive_op_load) {
                def.barcode = barcode;
                def.size_bytes = capacity;
              }
            }
            rp.deliver(r);
          },
          [rp](caf::error&) mutable { rp.deliver(int32_t(-ENODEV)); });
  return rp;
}

lu_state_list stmf_actor::lu_states() const {
  auto out = lu_state_list::make();
  unsigned live = 0;
  for (auto& s : lus_)
    if (!s.def.name.empty()) ++live;  // empty: deleted through the admin plane
  auto list = out.edit().initLus(live);
  unsigned i = 0;
  for (auto& s : lus_) {
    if (s.def.name.empty()) continue;
    list[i].setLuName(s.def.name);
    list[i].setState(to_wire(s.status.state()));
    list[i].setReason(s.status.reason());
    ++i;
  }
  return out;
}

}  // namespace stmfd
