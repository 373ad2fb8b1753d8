#include "actors/stmf/providers.hpp"

namespace stmfd {

bool provider_registry::add(lu_provider p) {
  if (p.version != provider_interface_version || !p.spawn || lu(p.name) != nullptr) return false;
  lus_.push_back(std::move(p));
  return true;
}

bool provider_registry::add(port_provider p) {
  if (p.version != provider_interface_version || !p.spawn) return false;
  for (auto& q : ports_)
    if (q.name == p.name) return false;
  ports_.push_back(std::move(p));
  return true;
}

const lu_provider* provider_registry::lu(std::string_view name) const {
  for (auto& p : lus_)
    if (p.name == name) return &p;
  return nullptr;
}

}  // namespace stmfd
