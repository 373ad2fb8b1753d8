#pragma once
// `stmfd --check` beyond the config's own validity (the loader has checked
// its syntax and meaning): what the config asks of this host. Every problem
// is reported, each naming its LU or target:
//  - file LUs: an existing path is a regular file this process can read
//    (and write unless readOnly), not larger than sizeBytes (the rest would
//    not be served) nor smaller when readOnly (it could not be extended); a
//    missing one may be created (create true, not readOnly) in a directory
//    that exists and is writable, or in dataDir, which the daemon creates
//    at start (mkdir -p) when its nearest existing ancestor is a writable
//    directory;
//  - block LUs: the path is a block device this process can open, at
//    least one block long, and sizeBytes is not above its size;
//  - RAM LUs: each, and all together, fit in this host's memory;
//  - portals: each parses (a.b.c.d:port, [v6]:port), its address is this
//    host's (a socket can be bound to it), and no wildcard portal takes the
//    port of a specific address of the same family.
// The daemon refuses none of these at start (an LU whose store cannot be
// opened, a portal that cannot be bound, is reported and retried), but
// --check exits 2 on any.
//
// Pure: the host is asked through host_probe (the real one is
// actors/stmf/host_probe.hpp), so tests bring a fake host.
#include <cstdint>
#include <string>
#include <vector>

#include "wire/config.capnp.h"

namespace stmfd {

// What a path is on this host (stat(2), access(2), the device's size).
struct path_info {
  enum class kind : uint8_t { missing, regular, block, directory, other, unknown };
  kind what = kind::missing;
  uint64_t size = 0;       // regular: its length; block: the device's size
  bool size_known = true;  // false: a block device this process may not open
  bool readable = false;   // by this process
  bool writable = false;   // a directory: entries can be created in it
  std::string error;       // kind::unknown: why it could not be examined (EACCES ...)
};

class host_probe {
 public:
  virtual ~host_probe() = default;
  virtual path_info stat(const std::string& path) const = 0;
  // Physical memory in bytes (0: not known).
  virtual uint64_t memory_bytes() const = 0;
  // A listening socket can be bound to this numeric address here (an
  // interface's address, or IPv4 loopback). Never asked for wildcards.
  virtual bool local_address(const std::string& host, bool ipv6) const = 0;
};

struct preflight_problem {
  std::string subject;  // "lu disk0", "target iqn.2026-11.org.stmfd:default"
  std::string what;     // what is wrong, naming the path or portal
};

// Every problem found, in config order (LUs, then targets); empty: none.
std::vector<preflight_problem> preflight(wire::cfg::Config::Reader cfg, const host_probe& host);

}  // namespace stmfd
