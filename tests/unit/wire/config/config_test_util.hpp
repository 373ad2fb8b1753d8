#pragma once
// Shared helpers of the config loader tests.

#include <filesystem>
#include <string>
#include <string_view>

#include "wire/config/loader.hpp"

namespace stmfd::wire::cfg::test {

// The repository root, found from this file's own path
// (tests/unit/wire/config/config_test_util.hpp).
inline std::filesystem::path repo_root() { return std::filesystem::path(STMFD_SOURCE_ROOT); }

// Loads `json` as "t.json" with its directory at /etc/stmfd.
inline load_result load(std::string_view json) { return load_text(json, "t.json", "/etc/stmfd"); }

// The error of loading `json`, or "OK" when it loads.
inline std::string error_of(std::string_view json) {
  auto r = load(json);
  return r.ok ? std::string("OK") : r.error;
}

// A config with one valid file LU "d0" of 1049088 bytes (a multiple of 512,
// not of 4096) and one target "iqn.2026-11.t:a"
// mapping it at LUN 0; `lu_extra` and `target_extra` are spliced into the
// LU and target objects (each starting with ", " when non-empty).
inline std::string one_target(std::string_view lu_extra = {}, std::string_view target_extra = {},
                              std::string_view top_extra = {}) {
  return std::string(R"({"logicalUnits": [{"name": "d0", "backing": "file", "path": "d0.img",
      "sizeBytes": 1049088)") +
         std::string(lu_extra) + R"(}],
    "targets": [{"name": "iqn.2026-11.t:a", "portals": ["127.0.0.1:3260"],
      "luns": [{"lun": 0, "logicalUnit": "d0"}])" +
         std::string(target_extra) + "}]" + std::string(top_extra) + "}";
}

// A config with one RAM LU "r" whose object ends with `lu_extra`.
inline std::string ram_lu(std::string_view lu_extra) {
  return std::string(R"({"logicalUnits": [{"name": "r", "backing": "ram")") + std::string(lu_extra) + "}]}";
}

inline std::string str(capnp::Text::Reader t) { return std::string(t.cStr(), t.size()); }

}  // namespace stmfd::wire::cfg::test
