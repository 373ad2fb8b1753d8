#pragma once
// An LU's persisted definition: what STMF restarts an LU from. Built from
// the config file's logicalUnits entries (wire/config.capnp).
#include <cstdint>
#include <string>
#include <vector>

#include "plugins/lu/sbd/disk.hpp"

namespace stmfd {

struct lu_definition {
  enum class backing_kind { file, block, ram };
  std::string name;
  std::string provider = "sbd";  // the registered LU provider that serves it
  backing_kind backing = backing_kind::file;
  std::string path;          // absolute (file/block)
  uint64_t size_bytes = 0;   // file: created/extended to this; ram: size; block: 0 = device size
  bool create = true;
  uint32_t block_size = 512;
  bool write_cache = true;
  bool read_only = false;
  sbd::identity id;          // vendor, product, serial, NAA
  std::vector<sbd::port_identity> ports;  // target ports that can reach this LU
};

}  // namespace stmfd
