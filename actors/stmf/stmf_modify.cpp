// sbdadm modify-lu on STMF's side (actors/stmf/stmf_admin.hpp,
// modify_lu_atom): a running LU takes a new definition without dropping a
// session.
#include <cstring>

#include "actors/common/log.hpp"
#include "actors/lu/backing_store.hpp"
#include "actors/stmf/stmf_actor.hpp"
#include "wire/scsi/sense.hpp"

namespace stmfd {

namespace {

// What modify-lu may not change; empty when `next` only changes what it may.
std::string fixed_fields_changed(const lu_definition& cur, const lu_definition& next) {
  if (next.backing != cur.backing || next.path != cur.path) return "its backing store cannot change";
  if (next.block_size != cur.block_size) return "its block size cannot change";
  if (next.provider != cur.provider || next.removable != cur.removable) return "its kind cannot change";
  if (std::memcmp(next.id.naa, cur.id.naa, sizeof cur.id.naa) != 0 || next.id.serial != cur.id.serial)
    return "its GUID and serial number cannot change";
  if (next.size_bytes < cur.size_bytes)
    return "shrinking is refused (" + std::to_string(next.size_bytes) + " < " + std::to_string(cur.size_bytes) +
           " bytes): data past the new end would be lost";
  if (next.size_bytes > cur.size_bytes && cur.backing != lu_definition::backing_kind::file)
    return "only a file LU can grow online";
  return {};
}

}  // namespace

std::string stmf_actor::modify_lu(lu_definition def) {
  size_t i = 0;
  while (i < lus_.size() && (lus_[i].def.name.empty() || lus_[i].def.name != def.name)) ++i;
  if (i == lus_.size()) return "there is no LU '" + def.name + "'";
  auto& s = lus_[i];
  if (s.medium_only) return "LU '" + def.name + "' holds removable media: modify-lu does not serve it";
  if (auto err = fixed_fields_changed(s.def, def); !err.empty()) return "LU '" + def.name + "': " + err;

  std::vector<scsi::sense_code> uas;
  bool grow = def.size_bytes > s.def.size_bytes;
  if (grow) uas.push_back(scsi::sense::capacity_data_changed());  // SBC-3 4.10 / SPC-4 5.14
  if (def.write_cache != s.def.write_cache) uas.push_back(scsi::sense::mode_parameters_changed());
  if (def.read_only != s.def.read_only || def.id.vendor != s.def.id.vendor || def.id.product != s.def.id.product)
    uas.push_back(scsi::sense::inquiry_data_changed());
  if (uas.empty() && def.thin == s.def.thin) return {};  // nothing to do

  // The store first: when it cannot grow, nothing changes. The new store is
  // another descriptor on the same file; the old one stays valid for any
  // I/O still in flight from the LU's current actor.
  std::shared_ptr<backing_store> store = s.store;
  if (grow || !store) {
    auto r = backing_store::open(def);
    if (!r.store) return r.error;
    store = std::move(r.store);
  }
  bool running = s.actor != nullptr;
  if (running) stop_lu_actor(i);
  s.def = std::move(def);
  s.store = std::move(store);
  log::info("lu {}: modified ({} bytes, write cache {}{})", s.def.name, s.store->size(),
            s.def.write_cache ? "on" : "off", s.def.read_only ? ", read-only" : "");
  // An LU the administrator took offline stays offline with its new
  // definition; online-lu starts it (with POWER ON, which covers the rest).
  if (running && started_) spawn_lu(i, false, std::move(uas));
  return {};
}

}  // namespace stmfd
