#pragma once
// The difference between two validated configurations (wire/config.capnp),
// for the transactional apply and the SIGHUP reload (admin_apply.cpp).
// Pure: no actors, unit-tested.
//
// What can change live (the admin plane's own keys): LUs added or removed,
// host groups, target groups and their members, views (and targets[].luns,
// which are views through one target). Everything else (dataDir, logLevel,
// threads, iscsi, limits, targets other than their luns, fcPorts, metrics,
// an existing LU's definition) needs a restart: such differences are
// listed in `not_live` and the apply is refused.
#include <string>
#include <vector>

#include "actors/stmf/definitions.hpp"
#include "wire/config.capnp.h"

namespace stmfd::admin {

struct config_diff {
  // One line per difference, in a stable order:
  //   "+ lu NAME" / "- lu NAME"
  //   "+ host-group G" / "- host-group G", "+ host-group-member G NAME", ...
  //   "+ target-group G" ..., "+ target-group-member G NAME" ...
  //   "+ view LU host=HG|* targets=TG|*|target:T lun=N" / "- view ..."
  //   "! KEY: needs a restart" (not applied)
  std::vector<std::string> lines;
  std::vector<std::string> not_live;     // the keys behind the "!" lines
  std::vector<std::string> added_lus;    // names, in the new file's order
  std::vector<std::string> removed_lus;  // names
  bool mapping_changed = false;
  bool empty() const { return lines.empty(); }
};

config_diff diff_configs(wire::cfg::Config::Reader before, const stmf_definitions& before_defs,
                         wire::cfg::Config::Reader after, const stmf_definitions& after_defs);

}  // namespace stmfd::admin
