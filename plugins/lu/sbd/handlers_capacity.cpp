// READ CAPACITY (10) and (16).

#include <algorithm>

#include "plugins/lu/sbd/handler.hpp"
#include "wire/scsi/byte_writer.hpp"
#include "wire/scsi/cdb.hpp"

namespace stmfd::sbd::handlers {

using namespace scsi;

namespace {
uint64_t last_lba(const geometry& g) { return g.block_count ? g.block_count - 1 : 0; }
}  // namespace

// SBC-3 5.16: RETURNED LOGICAL BLOCK ADDRESS saturates at FFFFFFFFh, telling
// the initiator to use READ CAPACITY (16). PMI=0 requires LBA 0.
outcome read_capacity10(exec_ctx& x) {
  const uint8_t* c = x.cmd.cdb;
  const bool pmi = c[8] & 0x01;
  if (!pmi && get_be32(c + 2) != 0) return check(invalid_cdb_field(2));
  byte_writer w(x.data_in, std::min<size_t>(8, x.data_in_cap));
  const uint64_t lba = last_lba(x.lu.geo);
  w.be32(lba > 0xFFFFFFFFu ? 0xFFFFFFFFu : uint32_t(lba));
  w.be32(x.lu.geo.block_size);
  return good(uint32_t(w.written()));
}

// SBC-3 5.17 Table 65: 32 bytes, cut to the allocation length (0 is not an
// error). No protection information; a thin LU reports LBPME and LBPRZ
// (deallocated blocks read as zeros).
outcome read_capacity16(exec_ctx& x) {
  const uint8_t* c = x.cmd.cdb;
  const bool pmi = c[14] & 0x01;
  if (!pmi && get_be64(c + 2) != 0) return check(invalid_cdb_field(2));
  byte_writer w(x.data_in, std::min<size_t>(get_be32(c + 10), x.data_in_cap));
  w.be64(last_lba(x.lu.geo));
  w.be32(x.lu.geo.block_size);
  w.u8(0);                             // P_TYPE, PROT_EN
  w.u8(x.lu.geo.lbppbe & 0x0F);        // P_I_EXPONENT 0, LOGICAL BLOCKS PER PHYSICAL BLOCK EXPONENT
  w.be16(x.lu.geo.thin ? 0xC000 : 0);  // LBPME, LBPRZ, LOWEST ALIGNED LOGICAL BLOCK ADDRESS 0
  w.zeros(16);
  return good(uint32_t(w.written()));
}

}  // namespace stmfd::sbd::handlers
