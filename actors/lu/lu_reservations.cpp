// The LU shell's half of reservations (SPC-4 5.13, SPC-2 RESERVE/RELEASE):
// the pure model (actors/model/reservations) decides; this file gives it
// the nexuses' identities, answers the commands it serves, posts the unit
// attentions and aborts it asks for, and keeps the APTPL state on disk.
#include <cerrno>
#include <cstring>
#include <vector>

#include <caf/all.hpp>

#include "actors/common/log.hpp"
#include "actors/lu/lu_actor.hpp"
#include "actors/lu/state_file.hpp"

namespace stmfd {

void lu_actor::attach(const nexus_attach& a) {
  auto id = make_nexus_identity(a.initiator, a.relative_port_id);
  pr_.attach(id);
  nexus_ids_[a.nexus] = std::move(id);
  ua_.attach(a.nexus);
}

// SAM-5 I_T nexus loss: its unit attentions go, its SPC-2 reservation is
// released; registrations stay with its identity for the next login.
void lu_actor::detach(uint64_t nexus) {
  ua_.detach(nexus);
  copies_.forget(nexus);  // SPC-4 5.17.3: held copy results end with the nexus
  core_->nexus_gone(nexus);
  if (saved_) *saved_ = core_->saved_state();
  auto it = nexus_ids_.find(nexus);
  if (it == nexus_ids_.end()) return;
  pr_.nexus_lost(it->second);
  nexus_ids_.erase(it);
}

const nexus_identity& lu_actor::identity_of(uint64_t nexus) {
  auto it = nexus_ids_.find(nexus);
  if (it != nexus_ids_.end()) return it->second;
  // Not announced by STMF (a test driving the LU directly): a name of its own.
  auto& id = nexus_ids_[nexus];
  id.initiator_port = "stmfd.nexus." + std::to_string(nexus) + ",i,0x000000000000";
  return id;
}

bool lu_actor::reservation_conflict(uint64_t nexus, const command_info& info) {
  return pr_.conflicts(identity_of(nexus), info);
}

void lu_actor::run_reservation(uint64_t handle, task_ptr t) {
  auto task = t->task;
  auto cdb = task.getCdb();
  uint64_t nexus = task.getNexus();
  auto r = pr_.execute(identity_of(nexus), cdb.begin(), cdb.size(), t->data.data, task.getDataOutLength(),
                       scratch_.data(), scratch_.size());
  // SPC-4 5.13.4: with APTPL the state is on stable storage before GOOD.
  if (r.persist && !save_reservations()) {
    r.status = scsi::status::check_condition;
    r.sense = scsi::plain(scsi::sense::internal_target_failure());
    r.data_in_len = 0;
  }
  apply(r);
  lu_outcome o;
  o.status = r.status;
  o.sense = r.sense;
  o.data_in_len = r.data_in_len;
  complete(t, o, scratch_.data());
  release(handle);
}

// The model's effects on other nexuses: unit attentions (RESERVATIONS
// PREEMPTED / RELEASED, REGISTRATIONS PREEMPTED) and, for PREEMPT AND ABORT,
// every task of the preempted nexuses but the command itself (SAM-5 as for
// ABORT TASK SET on each; their ports send nothing for them, TAS=0).
void lu_actor::apply(const reservations::result& r) {
  for (auto& ua : r.unit_attentions)
    for (auto& [n, id] : nexus_ids_)
      if (same_nexus(id, ua.nexus)) ua_.post(n, ua.code);
  for (auto& victim : r.abort_tasks) {
    for (auto& [n, id] : nexus_ids_) {
      if (!same_nexus(id, victim)) continue;
      abort_held([n = n](uint64_t nexus, uint64_t) { return nexus == n; });
      for (auto& [h, p] : inflight_)
        if (p.nexus == n && p.t) p.t->aborted.store(true, std::memory_order_release);
      for (auto& [h, f] : fetching_)
        if (f.t->task.getNexus() == n) f.t->aborted.store(true, std::memory_order_release);
    }
  }
  drain();
}

std::string lu_actor::reservations_path() const {
  if (def_.state_dir.empty()) return {};
  return def_.state_dir + "/" + def_.name + ".pr";
}

// REGISTER AND MOVE's target ports: the registered local ports, now.
void lu_actor::pr_target_ports() {
  std::vector<reservations::target_port> ports;
  if (ports_)
    for (auto& p : *ports_)
      ports.push_back(
          {p.relative_port_id, p.kind == transport::fc ? scsi::pr::protocol::fc : scsi::pr::protocol::iscsi});
  pr_.set_target_ports(std::move(ports));
}

void lu_actor::load_reservations() {
  pr_target_ports();
  auto path = reservations_path();
  if (path.empty()) return;
  auto bytes = state_file::read(path);
  if (!bytes) return;  // none saved: start empty (SPC-4 5.13.4, no APTPL)
  if (!pr_.load(*bytes))
    log::error("lu {}: {} is not a valid reservation state: ignored", def_.name, path);
  else
    log::info("lu {}: persistent reservations restored from {}", def_.name, path);
}

// Atomically (state_file::write): after a crash at any moment the file
// holds the old state or the new one.
bool lu_actor::save_reservations() {
  auto path = reservations_path();
  if (path.empty()) return false;
  if (!state_file::write(path, pr_.aptpl_image())) {
    log::error("lu {}: cannot save reservations to {}: {}", def_.name, path, std::strerror(errno));
    return false;
  }
  return true;
}

}  // namespace stmfd
