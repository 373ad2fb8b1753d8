// READ ELEMENT STATUS (SMC-3 6.10): the element map as element status
// pages, one page per run of consecutive reported elements of one type.

#include <algorithm>
#include <vector>

#include "plugins/lu/smc/types.hpp"
#include "wire/scsi/byte_writer.hpp"
#include "wire/scsi/cdb.hpp"

namespace stmfd::smc::handlers {

using namespace scsi;

namespace {

constexpr size_t header_len = 8;       // element status data header (SMC-3 6.10.2)
constexpr size_t page_header_len = 8;  // element status page header (SMC-3 6.10.3)
constexpr size_t descriptor_len = 12;  // without volume tags and device identifier
constexpr size_t volume_tag_len = 36;  // SMC-3 6.10.4 primary volume tag information
constexpr size_t id_header_len = 4;    // CODE SET .. IDENTIFIER LENGTH (SMC-3 6.10.5)

// The drive's identification for DVCID: T10 vendor identification (8),
// product identification (16) and the unit serial number, as a T10 vendor
// ID based designator (SPC-4 7.8.6.4; code set ASCII). An empty serial is
// the NAA in hex, as the drive's own VPD 80h reports it.
std::string drive_identifier(const lu_identity& id, size_t serial_width) {
  std::string serial = id.serial;
  if (serial.empty()) {
    static constexpr char hex[] = "0123456789abcdef";
    for (uint8_t b : id.naa) serial += {hex[b >> 4], hex[b & 15]};
  }
  std::string out;
  auto field = [&](const std::string& s, size_t n) {
    out += s.substr(0, n) + std::string(n - std::min(n, s.size()), ' ');
  };
  field(id.vendor, 8);
  field(id.product, 16);
  field(serial, serial_width);
  return out;
}

struct request {
  bool voltag;
  element_type type;
  uint16_t start;
  uint16_t count;
  bool dvcid;
  uint32_t alloc;
};

struct writer_ctx {
  const changer_state& st;
  const request& req;
  byte_writer& w;
  size_t serial_width;
};

// One element descriptor (SMC-3 6.10.4 .. 6.10.7).
void put_descriptor(writer_ctx& c, const element& e, bool with_id) {
  byte_writer& w = c.w;
  w.be16(e.address);
  uint8_t flags = e.full() ? 0x01 : 0;  // FULL
  switch (e.type) {
    case element_type::transport: break;
    case element_type::import_export:
      flags |= 0x30 | 0x08;
      break;  // INENAB, EXENAB, ACCESS (IMPEXP 0: placed by the transport)
    case element_type::storage:
    case element_type::data_transfer: flags |= 0x08; break;  // ACCESS
    case element_type::all: break;
  }
  w.u8(flags);
  w.u8(0);
  w.u8(0);  // ADDITIONAL SENSE CODE
  w.u8(0);  // ADDITIONAL SENSE CODE QUALIFIER
  w.zeros(3);
  w.u8(e.full() && e.source ? 0x80 : 0);  // SVALID
  w.be16(e.full() && e.source ? *e.source : 0);
  if (c.req.voltag) {  // PRIMARY VOLUME TAG INFORMATION: the barcode, space padded
    w.ascii(e.full() ? c.st.map.barcode(e.cartridge) : std::string(), 32, e.full() ? ' ' : '\0');
    w.zeros(2);
    w.be16(0);  // VOLUME SEQUENCE NUMBER
  }
  if (with_id) {
    const uint32_t drive = uint32_t(e.address - drive_base);
    const std::string ident = drive_identifier(c.st.library->drives[drive].id, c.serial_width);
    w.u8(0x02);  // CODE SET: ASCII
    w.u8(0x01);  // IDENTIFIER TYPE: T10 vendor ID based
    w.u8(0);
    w.u8(uint8_t(ident.size()));
    w.ascii(ident, ident.size());
  }
}

}  // namespace

// SMC-3 6.10. The reported elements are those of the requested type (all
// types: 0) at or above STARTING ELEMENT ADDRESS, at most NUMBER OF
// ELEMENTS of them, in address order. An ELEMENT TYPE CODE above 4 ->
// INVALID FIELD IN CDB; no element of the type at or above the start ->
// INVALID ELEMENT ADDRESS. The header's counts describe everything
// requested; the data is cut to ALLOCATION LENGTH (SPC-4 4.2.5.6).
outcome read_element_status(exec_ctx& x) {
  const uint8_t* c = x.cmd.cdb;
  const uint8_t type = c[1] & 0x0F;
  if (type > uint8_t(element_type::data_transfer)) return check(invalid_cdb_field(1, 3));
  request req{bool(c[1] & 0x10), element_type(type), get_be16(c + 2),
              get_be16(c + 4),   bool(c[6] & 0x01),  get_be24(c + 7)};
  std::vector<const element*> picked;
  bool any_at_or_above = false;
  for (const auto& e : x.st.map.elements()) {
    if (req.type != element_type::all && e.type != req.type) continue;
    if (e.address < req.start) continue;
    any_at_or_above = true;
    if (picked.size() < req.count) picked.push_back(&e);
  }
  if (!any_at_or_above) return check(sense::invalid_element_address());
  size_t serial_width = 0;
  for (const auto& d : x.st.library->drives)
    serial_width = std::max(serial_width, d.id.serial.empty() ? 2 * sizeof d.id.naa : d.id.serial.size());
  serial_width = std::min<size_t>(serial_width, 255 - 24);

  byte_writer w(x.data_in, std::min<size_t>(req.alloc, x.data_in_cap));
  writer_ctx wc{x.st, req, w, serial_width};
  w.be16(picked.empty() ? 0 : picked.front()->address);  // FIRST ELEMENT ADDRESS REPORTED
  w.be16(uint16_t(picked.size()));                       // NUMBER OF ELEMENTS AVAILABLE
  w.u8(0);
  w.be24(0);  // BYTE COUNT OF REPORT AVAILABLE: patched below
  for (size_t i = 0; i < picked.size();) {
    const element_type t = picked[i]->type;
    size_t j = i;
    while (j < picked.size() && picked[j]->type == t) ++j;
    const bool with_id = req.dvcid && t == element_type::data_transfer;
    const size_t dlen =
        descriptor_len + (req.voltag ? volume_tag_len : 0) + (with_id ? id_header_len + 24 + serial_width : 0);
    w.u8(uint8_t(t));
    w.u8(req.voltag ? 0x80 : 0);  // PVOLTAG; AVOLTAG 0
    w.be16(uint16_t(dlen));
    w.u8(0);
    w.be24(uint32_t(dlen * (j - i)));  // BYTE COUNT OF DESCRIPTOR DATA AVAILABLE
    for (; i < j; ++i) put_descriptor(wc, *picked[i], with_id);
  }
  const uint32_t report = uint32_t(w.size() - header_len);
  w.set_u8(5, uint8_t(report >> 16));
  w.set_be16(6, uint16_t(report));
  return good(uint32_t(w.written()));
}

}  // namespace stmfd::smc::handlers
