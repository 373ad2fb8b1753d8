#include "actors/stmf/providers.hpp"

#include "wire/config/names.hpp"

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
    lp.relative_port_id = id_for(lp.target_name);
    if (p.describe) p.describe(lp);
  }
  ports_.push_back(std::move(p));
  return true;
}

namespace {
// Target names compare without case (RFC 3722 stringprep folds it).
std::string fold(std::string_view s) { return wire::cfg::fold_case(s); }
}  // namespace

uint16_t provider_registry::id_for(const std::string& target_name) {
  auto [it, fresh] = ids_.emplace(fold(target_name), next_relative_port_);
  if (fresh) ++next_relative_port_;
  return it->second;
}

bool provider_registry::reconfigure(wire::cfg::Config::Reader cfg) {
  std::vector<std::vector<local_port>> next(ports_.size());
  size_t fresh = 0;
  for (size_t i = 0; i < ports_.size(); ++i) {
    if (!ports_[i].reconfigure) continue;
    next[i] = ports_[i].reconfigure(cfg);
    for (auto& lp : next[i]) fresh += ids_.count(fold(lp.target_name)) == 0;
  }
  if (size_t(next_relative_port_) + fresh > 0xFFFF) return false;
  for (size_t i = 0; i < ports_.size(); ++i) {
    auto& p = ports_[i];
    if (!p.reconfigure) continue;
    for (auto& lp : next[i]) {
      lp.relative_port_id = id_for(lp.target_name);
      for (auto& old : p.ports)
        if (old.relative_port_id == lp.relative_port_id) {
          lp.online = old.online;
          lp.link_up = old.link_up;
        }
      if (p.describe) p.describe(lp);
    }
    p.ports = std::move(next[i]);
  }
  return true;
}

bool provider_registry::set_online(std::string_view target, bool online) {
  for (auto& p : ports_)
    for (auto& lp : p.ports)
      if (fold(lp.target_name) == fold(target)) {
        lp.online = online;
        return true;
      }
  return false;
}

bool provider_registry::set_link(uint16_t relative_port_id, bool up) {
  for (auto& p : ports_)
    for (auto& lp : p.ports)
      if (lp.relative_port_id == relative_port_id) {
        if (lp.link_up == up) return false;
        lp.link_up = up;
        return true;
      }
  return false;
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
