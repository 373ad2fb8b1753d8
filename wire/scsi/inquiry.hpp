#pragma once
// INQUIRY (SPC-4 6.6): CDB decoding, the standard INQUIRY data builder every
// device type shares, and the reply for a LUN that has no logical unit.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "wire/scsi/reply.hpp"
#include "wire/scsi/sense.hpp"

namespace stmfd::scsi {

// SPC-4 6.6.1 Table 142 fields, after the usage mask accepted the CDB.
struct inquiry_request {
  bool evpd = false;
  uint8_t page = 0;
  uint16_t alloc_len = 0;
};
inquiry_request decode_inquiry(const uint8_t* cdb6);

// Usage mask of the INQUIRY CDB (EVPD only; CMDDT is obsolete -> reserved).
inline constexpr uint8_t inquiry_usage[6] = {0x12, 0x01, 0xFF, 0xFF, 0xFF, 0x00};

// Version descriptors (SPC-4 6.6.2 Table 147).
namespace version_descriptor {
constexpr uint16_t sam5 = 0x00A0, spc4 = 0x0460, sbc3 = 0x04C0, ssc3 = 0x0400, smc3 = 0x0480, iscsi = 0x0960;
}

// Peripheral qualifier/type byte (SPC-4 6.6.2).
namespace peripheral {
constexpr uint8_t direct_access = 0x00;
constexpr uint8_t unmapped = 0x7F;    // qualifier 011b (no LU at this LUN), type 1Fh
constexpr uint8_t well_known = 0x1E;  // qualifier 000b, type 1Eh: a well known LU (SPC-4 8.1)
}  // namespace peripheral

struct standard_inquiry {
  uint8_t peripheral = peripheral::direct_access;
  bool removable = false;
  uint8_t tpgs = 0;                               // TPGS field (ALUA support), 2 bits
  bool protect = false;                           // protection information supported
  bool third_party_copy = false;                  // 3PC: EXTENDED COPY supported (SPC-4 6.6.2)
  bool cmdque = true;                             // command queuing supported (SAM-5 task set)
  std::string_view vendor, product, revision;     // 8, 16, 4 ASCII bytes, space padded
  std::span<const uint16_t> version_descriptors;  // up to 8
};

// Full length of our standard INQUIRY data: 96 bytes (through the reserved
// bytes 74..95 after the version descriptors), ADDITIONAL LENGTH = 91.
constexpr size_t standard_inquiry_len = 96;

// Writes the standard INQUIRY data (VERSION 06h = SPC-4, RESPONSE DATA FORMAT
// 2, HISUP 1) cut to cap; returns the bytes written.
size_t build_standard_inquiry(const standard_inquiry& d, uint8_t* out, size_t cap);

// INQUIRY addressed to a LUN with no logical unit (SPC-4 6.6.2, SAM-5 5.8.2):
// peripheral qualifier 011b / type 1Fh in byte 0 of standard data and of the
// Supported VPD Pages page (the only VPD page offered). Reserved bits, EVPD=0
// with a page code, or another page: INVALID FIELD IN CDB.
reply build_unmapped_inquiry(const uint8_t* cdb, size_t len, std::string_view vendor, std::string_view product,
                             std::string_view revision, uint8_t* out, size_t cap);

// The same for a well known logical unit (SPC-4 8.2, REPORT LUNS W-LUN):
// peripheral qualifier 000b, device type 1Eh.
reply build_well_known_inquiry(const uint8_t* cdb, size_t len, std::string_view vendor, std::string_view product,
                               std::string_view revision, uint8_t* out, size_t cap);

}  // namespace stmfd::scsi
