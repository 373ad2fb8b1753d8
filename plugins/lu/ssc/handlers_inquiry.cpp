// INQUIRY (standard data and VPD pages of a sequential-access device), READ
// BLOCK LIMITS and REPORT DENSITY SUPPORT.

#include <algorithm>
#include <array>

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

// SPC-4 6.6. EVPD=0 with a page code, or an unsupported VPD page ->
// INVALID FIELD IN CDB at byte 2. Replies are cut to ALLOCATION LENGTH.
outcome inquiry(exec_ctx& x) {
  const auto req = decode_inquiry(x.cmd.cdb);
  if (!req.evpd && req.page != 0) return check(invalid_cdb_field(2));
  const size_t cap = std::min<size_t>(req.alloc_len, x.data_in_cap);
  if (!req.evpd) {
    static constexpr uint16_t versions[] = {version_descriptor::sam5, version_descriptor::iscsi,
                                            version_descriptor::spc4, version_descriptor::ssc3};
    standard_inquiry d;
    d.peripheral = periph;
    d.removable = true;
    d.vendor = x.st.id.vendor;
    d.product = x.st.id.product;
    d.revision = x.st.id.revision;
    d.version_descriptors = versions;
    d.tpgs = x.cmd.tpgs;  // the framework's ALUA support (REPORT/SET TARGET PORT GROUPS)
    return good(uint32_t(build_standard_inquiry(d, x.data_in, cap)));
  }
  byte_writer w(x.data_in, cap);
  switch (req.page) {
    case vpd::page::supported:
      vpd::begin_page(w, periph, vpd::page::supported);
      for (uint8_t p : supported_pages) w.u8(p);
      break;
    case vpd::page::unit_serial:
      vpd::begin_page(w, periph, vpd::page::unit_serial);
      vpd::put_serial(w, x.st.id.serial, x.st.id.naa, sizeof x.st.id.naa);
      break;
    case vpd::page::device_id:
      // SPC-4 7.8.6: the LU's NAA designator and the designators the port
      // provider built for the target port the command came through.
      vpd::begin_page(w, periph, vpd::page::device_id);
      vpd::put_naa(w, x.st.id.naa, sizeof x.st.id.naa);
      if (x.cmd.port) w.bytes(x.cmd.port->designators.data(), x.cmd.port->designators.size());
      break;
    case page_sequential_capabilities:
      vpd::begin_page(w, periph, page_sequential_capabilities);
      w.u8(0);  // WORM 0: the medium is rewritable
      w.zeros(3);
      break;
    default: return check(invalid_cdb_field(2));
  }
  vpd::end_page(w, 0);
  return good(uint32_t(w.written()));
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
