// An administrator's changes of a library (lu_provider.hpp library_change):
// cartridges created or imported into a slot or an import/export element,
// exported, drives added or removed. The new map is built beside the old
// one and replaces it only when every cartridge found its place, so a
// refusal changes nothing.
#include <algorithm>

#include "plugins/lu/smc/changer.hpp"

namespace stmfd::smc {

namespace {

using result = library_change_result;
using code = library_change_result::code;

result refuse(code c, std::string why) { return {c, std::move(why), std::nullopt}; }

std::string hex(uint16_t a) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%04Xh", a);
  return buf;
}

int index_of(const std::vector<library_definition::cartridge>& carts, const std::string& code) {
  for (size_t i = 0; i < carts.size(); ++i)
    if (carts[i].barcode == code) return int(i);
  return -1;
}

// The data transfer element of a drive LU in a definition, if it has one.
std::optional<uint16_t> drive_address(const library_definition& l, const std::string& lu) {
  for (size_t i = 0; i < l.drives.size(); ++i)
    if (l.drives[i].lu_name == lu) return uint16_t(drive_base + i);
  return std::nullopt;
}

std::vector<std::string> barcodes_of(const library_definition& l) {
  std::vector<std::string> out;
  for (const auto& c : l.cartridges) out.push_back(c.barcode);
  return out;
}

}  // namespace

std::vector<library_element> changer::library_elements() const {
  std::vector<library_element> out;
  for (const auto& e : st_.map.elements())
    out.push_back({uint8_t(e.type), e.address, e.full() ? st_.map.barcode(e.cartridge) : std::string(), e.source});
  return out;
}

// Every cartridge the old map holds stays where it is (a drive's follows
// its drive LU, whose element address may shift when another drive goes)
// unless `next` no longer has it (exported: never out of a drive). New
// cartridges go where the change says. Operator access to an import/export
// element, or an export, is refused while an initiator prevents medium
// removal (SMC-3 6.13: the import/export elements are locked).
library_change_result changer::change_library(const library_change& c) {
  if (st_.pending.active) return refuse(code::conflict, "a MOVE MEDIUM is in progress; try again");
  if (!c.next) return refuse(code::invalid, "no library definition");
  const library_definition& next = *c.next;
  const library_definition& now = *st_.library;
  if (next.slots == 0 || next.slots > max_slots || next.import_export > max_import_export ||
      next.drives.size() > max_drives)
    return refuse(code::invalid, "the library's layout is out of range");
  element_map m(layout{next.slots, next.import_export, uint32_t(next.drives.size())}, barcodes_of(next));
  m.clear();
  bool operator_access = false, changed = next.slots != now.slots || next.import_export != now.import_export ||
                                          next.drives.size() != now.drives.size();
  struct homeless {
    int cartridge;
    std::optional<uint16_t> source;
  };
  std::vector<homeless> evicted;
  std::vector<bool> placed(next.cartridges.size(), false);
  for (const auto& e : st_.map.elements()) {
    if (!e.full()) continue;
    const std::string& code_now = st_.map.barcode(e.cartridge);
    const int i = index_of(next.cartridges, code_now);
    if (i < 0) {  // exported
      if (e.type == element_type::data_transfer)
        return refuse(code::conflict, "cartridge '" + code_now + "' is loaded in drive '" +
                                          now.drives[e.address - drive_base].lu_name + "'; move it to a slot first");
      operator_access = changed = true;
      continue;
    }
    uint16_t at = e.address;
    if (e.type == element_type::data_transfer) {
      const std::string& lu = now.drives[e.address - drive_base].lu_name;
      auto moved = drive_address(next, lu);
      if (!moved) {
        if (!c.force)
          return refuse(code::conflict,
                        "drive '" + lu + "' holds cartridge '" + code_now + "' (force sends it back to its slot)");
        evicted.push_back({i, e.source});
        placed[size_t(i)] = changed = true;
        continue;
      }
      at = *moved;
      changed |= at != e.address;
    }
    if (!m.put(at, i, e.source))
      return refuse(code::conflict, "element " + hex(at) + " holding '" + code_now + "' would no longer exist");
    placed[size_t(i)] = true;
  }
  for (const auto& h : evicted) {  // back to the slot it came from, or the first empty one
    std::optional<uint16_t> home = h.source;
    if (!home || !m.put(*home, h.cartridge, h.source)) {
      home = m.first_empty_address(element_type::storage);
      if (!home || !m.put(*home, h.cartridge, h.source))
        return refuse(code::conflict,
                      "no empty slot for cartridge '" + next.cartridges[size_t(h.cartridge)].barcode + "'");
    }
  }
  for (size_t i = 0; i < next.cartridges.size(); ++i) {
    if (placed[i]) continue;
    std::optional<uint16_t> at = c.place;
    if (at) {
      const element* e = m.find(*at);
      if (!e || (e->type != element_type::storage && e->type != element_type::import_export))
        return refuse(code::invalid, "element " + hex(*at) + " is neither a slot nor an import/export element");
      if (e->full())
        return refuse(code::conflict, "element " + hex(*at) + " already holds '" + m.barcode(e->cartridge) + "'");
    } else {
      at = m.first_empty_address(c.to_import_export ? element_type::import_export : element_type::storage);
      if (!at)
        return refuse(code::conflict, std::string("library '") + next.name + "' has no empty " +
                                          (c.to_import_export ? "import/export element" : "slot"));
    }
    m.put(*at, int(i), std::nullopt);
    operator_access |= m.find(*at)->type == element_type::import_export;
    changed = true;
  }
  if (operator_access && !st_.preventing.empty())
    return refuse(code::conflict,
                  "an initiator prevents medium removal (PREVENT ALLOW MEDIUM REMOVAL): the import/export "
                  "elements are locked");
  // The map before the change stays in the state file until the next
  // restart, tagged with its definition (changer_persist.cpp).
  if (const uint64_t d = definition_digest(next); d != st_.digest) {
    st_.previous = earlier_map{st_.digest, st_.map.encode()};
    st_.digest = d;
  }
  st_.library = c.next;
  st_.map = std::move(m);
  result r;
  if (operator_access)
    r.unit_attention = scsi::sense::import_export_element_accessed();
  else if (changed)
    r.unit_attention = scsi::sense::medium_may_have_changed();
  return r;
}

}  // namespace stmfd::smc
