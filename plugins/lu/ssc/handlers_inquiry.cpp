// INQUIRY (standard data and VPD pages of a sequential-access device), READ
// BLOCK LIMITS and REPORT DENSITY SUPPORT.

#include <algorithm>
#include <array>

#include "plugins/lu/common/inquiry.hpp"
#include "plugins/lu/ssc/types.hpp"
#include "wire/scsi/byte_writer.hpp"
#include "wire/scsi/cdb.hpp"
#include "wire/scsi/inquiry.hpp"
#include "wire/scsi/vpd.hpp"

namespace stmfd::ssc::handlers {

using namespace scsi;

namespace {

constexpr uint8_t periph = 0x01;                        // SPC-4 6.6.2: sequential-access device
constexpr uint8_t page_sequential_capabilities = 0xB0;  // SSC-3 8.4.2

// SSC-3 8.4: 00h, 80h, 83h and B0h.
constexpr std::array<uint8_t, 4> supported_pages = {vpd::page::supported, vpd::page::unit_serial, vpd::page::device_id,
                                                    page_sequential_capabilities};

}  // namespace

// SPC-4 6.6, SSC-3 8.4: standard data (sequential-access, removable, the
// framework's ALUA support) and VPD 00h, 80h, 83h (plugins/lu/common/
// inquiry.hpp), plus the Sequential-Access Device Capabilities page.
outcome inquiry(exec_ctx& x) {
  static constexpr uint16_t versions[] = {version_descriptor::sam5, version_descriptor::iscsi, version_descriptor::spc4,
                                          version_descriptor::ssc3};
  const lu_inquiry::device d{periph, true, versions, supported_pages, true};
  return lu_inquiry::answer(x.cmd, x.st.id, d, x.data_in, x.data_in_cap, [](uint8_t page, byte_writer& w) {
    if (page != page_sequential_capabilities) return;
    vpd::begin_page(w, periph, page_sequential_capabilities);
    w.u8(0);  // WORM 0: the medium is rewritable
    w.zeros(3);
  });
}

// SSC-3 7.6 READ BLOCK LIMITS: granularity 0 (any length), the longest and
// shortest block READ/WRITE accept.
outcome read_block_limits(exec_ctx& x) {
  byte_writer w(x.data_in, x.data_in_cap);
  w.u8(0);
  w.be24(max_block_length);
  w.be16(uint16_t(min_block_length));
  return good(uint32_t(w.written()));
}

// SSC-3 6.13 REPORT DENSITY SUPPORT: one density descriptor (this format)
// for MEDIA 0 (what the drive supports) and MEDIA 1 (what the loaded
// cartridge holds; NOT READY without one). MEDIUM TYPE=1 (medium type
// descriptors) is not supported: INVALID FIELD IN CDB.
outcome report_density_support(exec_ctx& x) {
  const uint8_t* c = x.cmd.cdb;
  const bool media = c[1] & 0x01;
  if (c[1] & 0x02) return check(invalid_cdb_field(1, 1));
  if (media && !x.st.tape) return check(sense::medium_not_present());
  const uint16_t alloc = get_be16(c + 7);
  byte_writer w(x.data_in, std::min<size_t>(alloc, x.data_in_cap));
  w.be16(4 + 52 - 2);  // AVAILABLE DENSITY SUPPORT LENGTH
  w.zeros(2);
  w.u8(density_code);  // PRIMARY DENSITY CODE
  w.u8(density_code);  // SECONDARY DENSITY CODE
  w.u8(0xA0);          // WRTOK, DEFLT
  w.zeros(2);
  w.be24(0);  // BITS PER MM
  w.be16(0);  // MEDIA WIDTH
  w.be16(1);  // TRACKS
  const uint64_t cap_bytes = x.st.tape ? x.st.tape->info().capacity : x.st.blank.capacity;
  w.be32(uint32_t(std::min<uint64_t>(cap_bytes / 1000000, 0xFFFFFFFFu)));  // CAPACITY in 10^6 bytes
  w.ascii("STMFD", 8);
  w.ascii("VTAPE1", 8);
  w.ascii("stmfd cartridge v1", 20);
  return good(uint32_t(w.written()));
}

}  // namespace stmfd::ssc::handlers
