#pragma once
// Turns a validated config (wire/config.capnp) into what STMF starts: LU
// definitions and the iSCSI port provider's context. Pure; no actors.
#include <memory>
#include <string>
#include <vector>

#include "actors/lu/lu_definition.hpp"
#include "actors/stmf/providers.hpp"
#include "plugins/port/iscsi/port_config.hpp"
#include "wire/config.capnp.h"

namespace stmfd {

// LUN mapping of one target: its view (every initiator sees these LUNs; host
// and target groups narrow it later).
struct target_view {
  std::string target_name;
  std::vector<std::pair<uint64_t, std::string>> luns;  // LUN -> LU name
};

struct stmf_definitions {
  std::vector<lu_definition> lus;
  std::shared_ptr<const iscsi::port_context> iscsi;
  std::vector<target_view> views;
  uint32_t workers = 1;
  uint32_t rings = 1;
  uint32_t ring_spin_us = 0;  // ring thread polls this long before sleeping
  // The LU and port providers main registered; STMF starts nothing else.
  std::shared_ptr<const provider_registry> providers;
};

stmf_definitions definitions_from(wire::cfg::Config::Reader cfg);

}  // namespace stmfd
