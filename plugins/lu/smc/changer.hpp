#pragma once
// The media changer LU provider's pure core (SMC-3 medium changer device
// plus the SPC-4 commands every LU answers), behind the LU provider
// contract's lu_core (actors/contracts/lu_provider.hpp, the "media
// changer" blocks). It holds the library's element map; it never touches
// a drive LU: a move to or from a drive returns drive operations
// (lu_outcome::drive_ops) that the shell has STMF perform on the drive
// LUs, and the map changes only in finish(), once they succeeded. Every
// change of the map asks the shell to persist it (lu_outcome::persist).
//
// Moves are ser_class::exclusive, so at most one is in flight and finish()
// completes the one execute() started.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "actors/contracts/lu_provider.hpp"
#include "plugins/lu/smc/types.hpp"

namespace stmfd::smc {

// A digest (FNV-1a, 64 bits) of what the element map depends on in a
// library definition: slots, import/export elements, drive LU names,
// cartridges (barcode, file, capacity).
uint64_t definition_digest(const library_definition& l);

class changer final : public lu_core {
 public:
  // The library must not be null and must have no more cartridges than
  // slots (the provider checks).
  changer(lu_identity id, std::shared_ptr<const library_definition> library);

  command_info classify(const uint8_t* cdb, size_t len) const override;
  // Dispatch through the command table: unknown opcode -> 05/20/00,
  // unknown service action or reserved bit -> 05/24/00 with the byte and
  // bit, then the handler.
  lu_outcome execute(const lu_command& cmd, uint8_t* data_in, size_t data_in_cap) override;
  lu_outcome finish(const lu_command& cmd, const lu_outcome& planned, int io_result, uint8_t failed_step,
                    const uint8_t* buffer) override;
  bool descriptor_sense() const override { return st_.d_sense; }
  void nexus_gone(uint64_t nexus) override { st_.preventing.erase(nexus); }
  void reset() override { st_.preventing.clear(); }  // SPC-4 6.17: a reset ends every PREVENT
  // The state file (changer_persist.cpp, docs/framework.md "Media changer"):
  //   stmfd-library 2
  //   map <digest of the library definition, 16 hex digits>
  //   <element address> <source address or -> <barcode>     (per full element)
  //   [map <digest of the previous definition> + its lines]
  // The previous definition's map is there between an administrator's
  // change and the next restart, so a crash before the config file took
  // the change restarts from the map that matches the file.
  std::vector<uint8_t> persistent_state() const override;
  // The state file's map: the section whose digest is this library
  // definition's, else the first (a config edited by hand: unknown
  // cartridges dropped, new ones to the first empty slot); version 1 files
  // (one map, no digest) too. Drive elements keep what the file says until
  // adopt_drives(). False: not a state file; the configured placement stays.
  bool restore(std::span<const uint8_t> persisted);
  // What the library's drives hold now (lu_make_args::drive_media: the
  // medium file per drive, empty: none) wins over the map for the drive
  // elements (element_map::adopt_drives). True when the map changed.
  bool adopt_drives(const std::vector<std::string>& drive_media);

  const element_map& map() const { return st_.map; }

  // Admin verbs (library_admin.cpp; lu_provider.hpp library_change).
  std::vector<library_element> library_elements() const override;
  library_change_result change_library(const library_change& c) override;

 private:
  changer_state st_;
};

}  // namespace stmfd::smc
