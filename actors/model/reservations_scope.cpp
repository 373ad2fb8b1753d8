#include "actors/model/reservations_scope.hpp"

#include <algorithm>
#include <cctype>

namespace stmfd {

namespace {

char lower(char c) { return char(std::tolower(uint8_t(c))); }

// The initiator device part of a port name: what precedes ",i,0x" (iSCSI);
// the whole name otherwise (FC, or already a device name).
std::string_view device_of(std::string_view port) {
  constexpr std::string_view sep = ",i,0x";
  const auto it = std::search(port.begin(), port.end(), sep.begin(), sep.end(),
                              [](char a, char b) { return lower(a) == lower(b); });
  return port.substr(0, size_t(it - port.begin()));
}

bool initiator_covers(const nexus_scope& s, std::string_view port) {
  return s.device_wide ? iequal(s.initiator, device_of(port)) : iequal(s.initiator, port);
}

bool ports_overlap(const nexus_scope& a, const nexus_scope& b) {
  return a.all_tg_pt || b.all_tg_pt || a.relative_port == b.relative_port;
}

}  // namespace

bool iequal(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return lower(x) == lower(y); });
}

bool same_nexus(const nexus_identity& a, const nexus_identity& b) {
  return a.relative_port == b.relative_port && iequal(a.initiator_port, b.initiator_port);
}

nexus_scope nexus_scope::of(const nexus_identity& n, bool all_tg_pt) {
  return nexus_scope{n.initiator_port, false, all_tg_pt, all_tg_pt ? uint16_t(0) : n.relative_port};
}

bool nexus_scope::covers(const nexus_identity& n) const {
  return (all_tg_pt || relative_port == n.relative_port) && initiator_covers(*this, n.initiator_port);
}

bool nexus_scope::same_initiator(const nexus_scope& o) const {
  if (device_wide || o.device_wide) return iequal(device_of(initiator), device_of(o.initiator));
  return iequal(initiator, o.initiator);
}

bool nexus_scope::overlaps(const nexus_scope& o) const { return ports_overlap(*this, o) && same_initiator(o); }

bool nexus_scope::contains(const nexus_scope& o) const {
  const bool ports = all_tg_pt || (!o.all_tg_pt && relative_port == o.relative_port);
  if (!ports) return false;
  if (device_wide) return iequal(initiator, device_of(o.initiator));
  return !o.device_wide && iequal(initiator, o.initiator);
}

}  // namespace stmfd
