// STMF's side of third-party copy (SPC-4 5.17; docs/framework.md
// "Third-party copy"): an LU shell hands over an EXTENDED COPY whose
// parameter list it checked; STMF knows every LU's identity and the views,
// so it resolves the CSCD descriptors, lends the copy an I_T nexus of its
// own with the requester's identity, and runs the copy on a copy-manager
// actor (copy_manager.hpp) that moves the data through the LUs' shells.
#include <algorithm>
#include <cstring>

#include <caf/all.hpp>

#include "actors/common/log.hpp"
#include "actors/common/messages.hpp"
#include "actors/stmf/copy_manager.hpp"
#include "actors/stmf/stmf_actor.hpp"

namespace stmfd {

namespace {

// SPC-4 6.3.6.2: the designator of an identification descriptor names an
// LU when it is an LU (association 00b) NAA designator in binary: the NAA
// IEEE Registered Extended designator each LU reports in VPD 83h.
bool names_lu(const scsi::xcopy::cscd& c, const lu_identity& id) {
  return c.association == 0 && c.designator_type == 3 && c.code_set == 1 && c.designator_len == sizeof id.naa &&
         std::memcmp(c.designator, id.naa, sizeof id.naa) == 0;
}

}  // namespace

caf::delegated<caf::message> stmf_actor::start_copy(const copy_request& req, task_ptr ec) {
  auto r = req.get();
  copy_manager_start start;
  start.shell = caf::actor_cast<caf::actor>(current_sender());
  auto params = r.getParameterList();
  auto parsed = scsi::xcopy::parse_accepted_list(params.begin(), params.size());  // LID1 or LID4
  auto sess = sessions_.find(r.getNexus());
  // Only the LUs the requesting nexus reaches through its views can be
  // copy targets: an EXTENDED COPY never opens a path to another LU.
  auto reachable = [&](const lu_slot& s) {
    if (sess == sessions_.end() || !s.actor || s.def.name.empty()) return false;
    auto& names = sess->second.lus;
    return std::find(names.begin(), names.end(), s.def.name) != names.end();
  };
  auto target_of = [&](const lu_slot& s) {
    const lu_provider* p = defs_.providers ? defs_.providers->lu(s.def.provider) : nullptr;
    copy_target t;
    t.lu = s.actor;
    t.block_size = s.def.block_size ? s.def.block_size : 512;
    t.blocks = s.store ? s.store->size() / t.block_size : 0;
    t.block_device = p && p->block_copy_target;
    return t;
  };
  if (parsed.list)
    for (auto& c : parsed.list->cscds) {
      std::optional<copy_target> found;
      for (auto& s : lus_)
        if (reachable(s) && names_lu(c, s.def.id)) found = target_of(s);
      start.cscds.push_back(found);
    }
  for (auto& s : lus_)
    if (reachable(s) && s.def.name == r.getLuName().cStr()) start.local = target_of(s);

  // The copy nexus: the requester's initiator port and target port, so the
  // targets' reservations and ALUA states treat its commands as the
  // requester's; its own id, so its tags and unit attentions are its own.
  const uint64_t copy_nexus = next_nexus_++;
  std::vector<caf::actor> attached;
  if (sess != sessions_.end()) {
    start.relative_port_id = sess->second.relative_port_id;
    for (auto& p : *local_ports_)
      if (p.relative_port_id == start.relative_port_id) start.target_port_group = p.target_port_group;
    nexus_attach_msg attach = make_attach(nexus_attach{copy_nexus, sess->second.initiator, start.relative_port_id});
    auto attach_to = [&](const std::optional<copy_target>& t) {
      if (!t || !t->lu || std::find(attached.begin(), attached.end(), t->lu) != attached.end()) return;
      send(t->lu, login_atom::value, attach);
      attached.push_back(t->lu);
    };
    for (auto& t : start.cscds) attach_to(t);
    attach_to(start.local);
  }
  start.nexus = copy_nexus;
  log::debug("stmf: EXTENDED COPY from nexus {} on {}: copy nexus {}, {} target LU(s)", r.getNexus(),
             r.getLuName().cStr(), copy_nexus, attached.size());
  auto cm = spawn<copy_manager>(std::move(start));
  monitor(cm);
  children_[cm.address()] = {child_kind::copy, size_t(copy_nexus)};
  copies_[copy_nexus] = std::move(attached);
  return delegate(cm, copy_atom::value, req, std::move(ec));
}

// The copy manager ended (its result delivered, or it failed: the LU shell
// then hears an error): its nexus leaves the LUs it was attached to.
void stmf_actor::copy_ended(uint64_t copy_nexus) {
  auto it = copies_.find(copy_nexus);
  if (it == copies_.end()) return;
  nexus_detach detach = make_detach(copy_nexus);
  for (auto& lu : it->second) send(lu, logout_atom::value, detach);
  copies_.erase(it);
}

}  // namespace stmfd
