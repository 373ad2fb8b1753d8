#include "actors/stmf/providers.hpp"

namespace stmfd {

bool provider_registry::add(lu_provider p) {
  if (p.version != lu_interface_version || !p.make || lu(p.name) != nullptr) return false;
  lus_.push_back(std::move(p));
  return true;
}

bool provider_registry::add(port_provider p) {
  if (p.version != port_interface_version || !p.spawn) return false;
  for (auto& x : ports_)
    if (x.name == p.name) return false;
  if (size_t(next_relative_port_) + p.ports.size() > 0xFFFF) return false;
  for (auto& lp : p.ports) {
    lp.relative_port_id = next_relative_port_++;
    if (p.describe) p.describe(lp);
  }
  ports_.push_back(std::move(p));
  return true;
}

const lu_provider* provider_registry::lu(std::string_view name) const {
  for (auto& p : lus_)
    if (p.name == name) return &p;
  return nullptr;
}

std::vector<local_port> provider_registry::local_ports() const {
  std::vector<local_port> out;
  for (auto& p : ports_) out.insert(out.end(), p.ports.begin(), p.ports.end());
  return out;
}

}  // namespace stmfd
