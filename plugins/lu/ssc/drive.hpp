#pragma once
// The tape drive LU provider's pure core (SSC-3 sequential-access device
// plus the SPC-4 commands every LU answers), behind the LU provider
// contract's lu_core (actors/contracts/lu_provider.hpp, version 3). It holds
// the drive's identity, mode parameters and the loaded cartridge's index
// (plugins/lu/ssc/media); it performs no I/O: reads and writes of the
// cartridge file are plan steps on the shell's medium store, loading is
// the medium_* conversation, LOAD UNLOAD asks the shell for a medium action.
//
// Every command that moves the tape is ser_class::exclusive, so at most one
// plan is in flight and finish() completes the one execute() planned.

#include <cstddef>
#include <cstdint>

#include "actors/contracts/lu_provider.hpp"
#include "plugins/lu/ssc/types.hpp"

namespace stmfd::ssc {

class drive final : public lu_core {
 public:
  // blank: the header a new cartridge file gets (barcode, capacity).
  drive(lu_identity id, media::header blank);

  command_info classify(const uint8_t* cdb, size_t len) const override;
  // Dispatch through the command table: unknown opcode -> 05/20/00, unknown
  // service action or reserved bit -> 05/24/00 with the byte and bit, no
  // cartridge (rows that need one) -> 02/3A/00, a write to a write-protected
  // cartridge -> 07/27/00, then the handler.
  lu_outcome execute(const lu_command& cmd, uint8_t* data_in, size_t data_in_cap) override;
  // Completes the plan execute() returned (read, write, sync, load/unload).
  lu_outcome finish(const lu_command& cmd, const lu_outcome& planned, int io_result, uint8_t failed_step,
                    const uint8_t* buffer) override;
  bool descriptor_sense() const override { return st_.mode.d_sense; }
  std::vector<uint8_t> saved_state() const override;
  void restore(const std::vector<uint8_t>& saved);

  medium_request medium_attached(uint64_t file_size, bool writable) override;
  medium_request medium_read_done(const uint8_t* data, size_t n) override;
  medium_request medium_write_done() override;
  void medium_detached() override;
  // A library lends the drive a cartridge: a new file gets its barcode
  // and capacity. Its unload is refused while PREVENT is in effect.
  void medium_changing(const std::string& barcode, uint64_t capacity) override {
    st_.blank.barcode = barcode;
    st_.blank.capacity = capacity;
  }
  bool medium_removal_prevented() const override { return st_.prevent_removal; }

  // For tests and the provider: the loaded cartridge, if any.
  const media::cartridge* cartridge() const { return st_.tape ? &*st_.tape : nullptr; }
  const drive_mode& mode() const { return st_.mode; }

 private:
  medium_request next(const media::file_request& r);
  drive_state st_;
};

}  // namespace stmfd::ssc
