#pragma once
// Writes the admin plane's changes into the config file's JSON text while
// keeping everything else as the operator wrote it (key order, keys the
// admin plane does not own, relative paths, omitted defaults). Pure.
//
// The keys the admin plane owns and rewrites from its model:
//   hostGroups, targetGroups, views    from the mapping (views whose
//                                      `target` is set are left out: they
//                                      live in their target's `luns`)
//   targets[i].luns                    the mapping's views through exactly
//                                      that target
//   logicalUnits                       existing entries kept as written,
//                                      minus removed ones, plus added ones
//   targetPortGroups                   from the ALUA model (its config
//                                      states; never STPG's)
//   libraries                          from the library verbs' model
// The result is the same JSON `stmfd --config` reads (wire/config.capnp).
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "actors/model/alua.hpp"
#include "actors/model/mapping.hpp"

namespace stmfd::admin {

// An LU created through the admin plane, as its config entry.
struct lu_entry_fields {
  std::string name;
  std::string backing{};  // "file", "block" or "ram"
  std::string path{};     // file/block; as given (relative: against dataDir)
  uint64_t size_bytes = 0;
  uint32_t block_size = 512;
  bool write_cache = true;
  bool read_only = false;
  bool thin = true;                           // false: written as thinProvisioning false (allocated in full)
  bool create = true;                         // false (import-lu): written as create false, the file must exist
  std::string guid{};                         // empty: derived by the loader
  std::string vendor{}, product{}, serial{};  // empty: schema defaults
  // Issue 8: "ssc" (tape drive) or "smc" (media changer); empty: "sbd". A
  // standalone drive's cartridge barcode (empty: none).
  std::string provider{}, barcode{};
};

// Issue 8: a library's config entry (wire/config.capnp Library), as the
// admin plane rewrites the `libraries` key.
struct library_entry {
  struct cartridge {
    std::string barcode;
    uint64_t size_bytes = 0;
    std::string path;  // as the config says it (empty: the default file)
  };
  std::string name, changer;
  std::vector<std::string> drives;
  uint32_t slots = 0, import_export = 0;
  std::vector<cartridge> cartridges;
};

// An iSCSI target as itadm writes it: each *_set replaces that key (on an
// existing entry; a new entry writes every set key).
struct target_entry {
  std::string name;
  bool alias_set = false;
  std::string alias;
  bool groups_set = false;  // writes portalGroups and drops portals and tpgt
  std::vector<std::string> portal_groups;
  bool auth_set = false;
  std::string method;  // "none", "chap" or "default"
  std::string chap_user, chap_secret, mutual_user, mutual_secret;
};

struct document_change {
  const mapping_state* mapping = nullptr;  // null: leave the mapping keys alone
  std::vector<lu_entry_fields> added_lus{};
  std::vector<std::string> removed_lus{};
  // ALUA: the new targetPortGroups, written in full (null: left alone).
  const std::vector<tpg_definition>* tpgs = nullptr;
  // sbdadm modify-lu: each named entry keeps its other keys as written and
  // gets sizeBytes, writeCache, readOnly, thinProvisioning, vendor and
  // product from these fields (vendor/product: only when not empty).
  std::vector<lu_entry_fields> modified_lus{};
  // Issue 8: the whole new `libraries` (null: left alone).
  const std::vector<library_entry>* libraries = nullptr;
  // itadm (admin_service_itadm.cpp): targets added, removed (with their
  // `luns`) and modified; whole keys (portalGroups, initiators,
  // iscsiDefaults) replaced by a JSON value given as text.
  std::vector<target_entry> added_targets{};
  std::vector<std::string> removed_targets{};
  std::vector<target_entry> modified_targets{};
  std::vector<std::pair<std::string, std::string>> replaced_keys{};
};

// A JSON string literal of `s` (quotes and escapes included).
std::string json_string(std::string_view s);

struct render_result {
  std::string text;   // the new file content (pretty-printed JSON)
  std::string error;  // set: `base` is not a JSON object
};

render_result render_config(std::string_view base, const document_change& change);

}  // namespace stmfd::admin
