#pragma once
// Turns a validated config (wire/config.capnp) into what STMF starts: LU
// definitions, the LUN mapping (host groups, target groups, views) and the
// thread counts. Port providers build their own contexts from the config
// (main registers them). Pure; no actors.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "actors/common/event_hub.hpp"
#include "actors/contracts/lu_provider.hpp"
#include "actors/model/alua.hpp"
#include "actors/model/mapping.hpp"
#include "actors/model/restart_policy.hpp"
#include "actors/stmf/providers.hpp"
#include "wire/config.capnp.h"

namespace stmfd {

struct stmf_definitions {
  std::vector<lu_definition> lus;
  mapping views;  // who sees which LU at which LUN (COMSTAR views)
  // ALUA target port groups and their access states (actors/model/alua).
  target_port_groups alua;
  uint32_t workers = 1;
  uint32_t rings = 1;
  uint32_t ring_spin_us = 0;  // ring thread polls this long before sleeping
  // When failed LUs and port providers are tried again: a store that
  // cannot be opened after 1 s, doubling to 60 s; a child that dies more
  // than 5 times within 30 s likewise (tests shorten these).
  retry_limits retry;
  // The LU and port providers main registered; STMF starts nothing else.
  // Mutable: live target and portal changes (stmf_targets.cpp) go through it.
  std::shared_ptr<provider_registry> providers;
  // Where STMF publishes logins, logouts, LU state changes and recoveries
  // (actors/common/event_hub.hpp; the admin plane's `subscribe`). Set by
  // main; null: none published.
  std::shared_ptr<event_hub> events;
};

// The definitions, or an error message (a view conflict the config loader
// cannot see).
struct definitions_result {
  std::optional<stmf_definitions> defs;
  std::string error;
};
definitions_result definitions_from(wire::cfg::Config::Reader cfg);

// Issue 8: a library cartridge's file: `path` as the config gives it
// (Cartridge.path; relative: in dataDir), by default
// <dataDir>/<library>/<barcode>.cart.
std::string cartridge_path(const std::string& data_dir, const std::string& library, const std::string& barcode,
                           const std::string& path);

}  // namespace stmfd
