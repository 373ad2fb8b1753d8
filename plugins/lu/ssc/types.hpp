#pragma once
// Internal to the tape drive core (SSC-3 sequential-access device): the
// state handlers see, the handler signature, and the I/O a command has in
// flight. Handlers run after the dispatcher validated the CDB against the
// row's usage mask, the medium (NOT READY without a cartridge) and the
// write-protect rule; they never re-check reserved bits.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "actors/contracts/lu_provider.hpp"
#include "plugins/lu/common/outcome.hpp"
#include "plugins/lu/ssc/media/cartridge.hpp"
#include "plugins/lu/ssc/media/loader.hpp"
#include "wire/scsi/sense.hpp"

namespace stmfd::ssc {

using outcome = lu_outcome;
using command = lu_command;

// Limits reported by READ BLOCK LIMITS (SSC-3 7.6) and enforced by READ/WRITE.
constexpr uint32_t max_block_length = 1u << 20;
constexpr uint32_t min_block_length = 1;
constexpr uint32_t max_transfer_bytes = 8u << 20;  // one READ/WRITE(6) in fixed mode
// Density code of this format (SSC-3 8.3: 80h..FFh are vendor specific).
constexpr uint8_t density_code = 0x80;

// Changeable mode parameters (SSC-3 8.3, SPC-4 7.5).
struct drive_mode {
  uint32_t block_length = 0;  // block descriptor BLOCK LENGTH: 0 = variable-block mode
  bool buffered = true;       // BUFFERED MODE 1: GOOD once the write is in the file (page cache)
  bool d_sense = false;       // control page D_SENSE
};

// The I/O a command has in flight: what finish() needs to complete it.
struct pending_op {
  enum class kind : uint8_t { none, read, write, sync, load, unload } what = kind::none;
  media::read_span span;  // read
  bool fixed = false;
  bool sili = false;
  uint32_t count = 0;     // the CDB's TRANSFER LENGTH or filemark count
  uint32_t transfer = 0;  // bytes the CDB asks to move (the transport's residual)
  media::write_plan plan;
  std::vector<media::write_item> items;
};

struct drive_state {
  lu_identity id;
  drive_mode mode;
  drive_mode defaults;
  media::header blank;  // what a new cartridge file is formatted with
  std::optional<media::cartridge> tape;
  std::optional<media::loader> loading;
  bool prevent_removal = false;  // PREVENT ALLOW MEDIUM REMOVAL (SPC-4 6.17)
  pending_op pending;
  std::vector<uint8_t> staging;  // the file span a read plan reads
  std::vector<uint8_t> out;      // Data-In a read assembles from it
};

struct exec_ctx {
  drive_state& st;
  const command& cmd;
  uint8_t* data_in;  // scratch for small Data-In replies
  size_t data_in_cap;
};

using handler_fn = outcome (*)(exec_ctx&);

using lu_reply::check;
using lu_reply::good;
// CHECK CONDITION with stream bits and INFORMATION (SSC-3 4.2: residues).
inline outcome check_stream(scsi::sense_code c, uint8_t bits, uint64_t information) {
  return check(scsi::sense_info{c, information, std::nullopt, bits});
}

// Handlers by family, one file each (handlers_*.cpp).
namespace handlers {
// misc: SPC-4 6.47, 6.39, 6.17, 6.35
outcome test_unit_ready(exec_ctx&);
outcome request_sense(exec_ctx&);
outcome prevent_allow(exec_ctx&);
outcome report_supported_opcodes(exec_ctx&);
outcome session_layer_only(exec_ctx&);
// inquiry and limits: SPC-4 6.6, 7.8; SSC-3 7.6, 6.13
outcome inquiry(exec_ctx&);
outcome read_block_limits(exec_ctx&);
outcome report_density_support(exec_ctx&);
// mode pages: SPC-4 6.11-6.14, SSC-3 8.3
outcome mode_sense(exec_ctx&);
outcome mode_select(exec_ctx&);
// transfers: SSC-3 6.2 ERASE(6), 6.4 READ(6), 6.5 WRITE(6), 6.6 WRITE FILEMARKS(6)
outcome read(exec_ctx&);
outcome write(exec_ctx&);
outcome write_filemarks(exec_ctx&);
outcome erase(exec_ctx&);
outcome finish_read(exec_ctx&, int io_result);
outcome finish_write(exec_ctx&, int io_result, uint8_t failed_step);
// motion: SSC-3 6.3 LOAD UNLOAD, 7.4 LOCATE, 7.5 READ POSITION, 7.6 REWIND, 6.7/7.7 SPACE
outcome space(exec_ctx&);
outcome rewind(exec_ctx&);
outcome locate(exec_ctx&);
outcome read_position(exec_ctx&);
outcome load_unload(exec_ctx&);
outcome finish_load_unload(exec_ctx&, int io_result);
}  // namespace handlers

}  // namespace stmfd::ssc
