#pragma once
// Loads the daemon's JSON config (schema and meaning: wire/config.capnp).
// Pure: no CAF, no io_uring; load_file reads one file, nothing else touches
// the system. Never throws: every problem comes back as a message that
// names the file and, when there is one, the key path or line:column.

#include <capnp/message.h>

#include <memory>
#include <string>
#include <string_view>

#include "wire/config.capnp.h"

namespace stmfd::wire::cfg {

struct load_result {
  bool ok = false;
  // When !ok: one line, "<origin>: <where>: <what>", e.g.
  //   "config.json: logicalUnits[0].blockSize: must be 512 or 4096"
  //   "config.json:4:17: expected ',' or '}' after an object member"
  std::string error;
  // When ok: the validated, completed config (defaults derived, paths
  // absolute, portals canonical). Null when !ok.
  std::unique_ptr<capnp::MallocMessageBuilder> message;

  // The config, valid while this load_result lives; a default Config
  // (every field at its schema default, no targets, no LUs) when !ok.
  Config::Reader root() const;
};

// Reads and loads `path`. Relative paths inside resolve against the
// directory that holds the file. `path` itself is the origin in messages.
load_result load_file(const std::string& path);

// Loads config text. `origin` names it in messages; `base_dir` is the
// directory a relative dataDir resolves against (empty: the current one).
load_result load_text(std::string_view json, const std::string& origin, const std::string& base_dir);

}  // namespace stmfd::wire::cfg
