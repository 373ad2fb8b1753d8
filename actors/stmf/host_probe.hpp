#pragma once
// The real host behind preflight's host_probe (actors/model/preflight.hpp):
// stat(2), faccessat(2) with the effective ids, BLKGETSIZE64 for block
// devices, sysconf for memory, getifaddrs for local addresses.
#include "actors/model/preflight.hpp"

namespace stmfd {

class system_probe final : public host_probe {
 public:
  path_info stat(const std::string& path) const override;
  uint64_t memory_bytes() const override;
  bool local_address(const std::string& host, bool ipv6) const override;
};

}  // namespace stmfd
