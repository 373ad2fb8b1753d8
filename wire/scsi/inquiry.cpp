#include "wire/scsi/inquiry.hpp"

#include <algorithm>

#include "wire/scsi/byte_writer.hpp"
#include "wire/scsi/cdb.hpp"

namespace stmfd::scsi {

inquiry_request decode_inquiry(const uint8_t* c) { return {bool(c[1] & 0x01), c[2], get_be16(c + 3)}; }

size_t build_standard_inquiry(const standard_inquiry& d, uint8_t* out, size_t cap) {
  byte_writer w(out, cap);
  w.u8(d.peripheral);
  w.u8(d.removable ? 0x80 : 0x00);
  w.u8(0x06);                               // VERSION: SPC-4
  w.u8(0x10 | 0x02);                        // HISUP | RESPONSE DATA FORMAT 2
  w.u8(uint8_t(standard_inquiry_len - 5));  // ADDITIONAL LENGTH
  w.u8(uint8_t((d.tpgs & 0x03) << 4 | (d.third_party_copy ? 0x08 : 0x00) | (d.protect ? 0x01 : 0x00)));
  w.u8(0);  // ENCSERV, MULTIP: 0
  w.u8(d.cmdque ? 0x02 : 0x00);
  w.ascii(d.vendor, 8);
  w.ascii(d.product, 16);
  w.ascii(d.revision, 4);
  w.zeros(20);  // vendor specific 36..55
  w.zeros(2);   // 56..57
  for (size_t i = 0; i < 8; ++i) w.be16(i < d.version_descriptors.size() ? d.version_descriptors[i] : 0);
  w.zeros(standard_inquiry_len - w.size());  // reserved 74..95
  return w.written();
}

namespace {

// Standard data and a Supported VPD Pages page that lists only itself, with
// the given peripheral byte: what the framework answers for LUNs it serves
// without an LU.
reply build_minimal_inquiry(uint8_t periph, const uint8_t* cdb, size_t len, std::string_view vendor,
                            std::string_view product, std::string_view revision, uint8_t* out, size_t cap) {
  if (len < 6) return {invalid_cdb_field(0), 0};
  if (auto bad = check_usage(cdb, inquiry_usage, 6)) return {sense_info{sense::invalid_field_in_cdb(), {}, bad}, 0};
  const auto req = decode_inquiry(cdb);
  const size_t limit = std::min<size_t>(cap, req.alloc_len);
  if (!req.evpd) {
    if (req.page != 0) return {invalid_cdb_field(2), 0};
    static constexpr uint16_t versions[] = {version_descriptor::sam5, version_descriptor::iscsi,
                                            version_descriptor::spc4};
    standard_inquiry d;
    d.peripheral = periph;
    d.vendor = vendor, d.product = product, d.revision = revision;
    d.version_descriptors = versions;
    return {std::nullopt, build_standard_inquiry(d, out, limit)};
  }
  if (req.page != 0x00) return {invalid_cdb_field(2), 0};
  byte_writer w(out, limit);
  w.u8(periph);
  w.u8(0x00);
  w.be16(1);
  w.u8(0x00);  // supported pages: only this one
  return {std::nullopt, w.written()};
}

}  // namespace

reply build_unmapped_inquiry(const uint8_t* cdb, size_t len, std::string_view vendor, std::string_view product,
                             std::string_view revision, uint8_t* out, size_t cap) {
  return build_minimal_inquiry(peripheral::unmapped, cdb, len, vendor, product, revision, out, cap);
}

reply build_well_known_inquiry(const uint8_t* cdb, size_t len, std::string_view vendor, std::string_view product,
                               std::string_view revision, uint8_t* out, size_t cap) {
  return build_minimal_inquiry(peripheral::well_known, cdb, len, vendor, product, revision, out, cap);
}

}  // namespace stmfd::scsi
