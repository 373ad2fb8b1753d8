#pragma once
// LUN fields (SAM-5 4.6) and REPORT LUNS (SPC-4 6.33). The session layer
// answers REPORT LUNS from its view of the LUN mapping; no LU is involved.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "wire/scsi/reply.hpp"
#include "wire/scsi/sense.hpp"

namespace stmfd::scsi {

// Largest LUN we address: 14 bits of the flat space method.
constexpr uint16_t max_lun = 0x3FFF;

// SAM-5 4.6.7/4.6.9 single level LUN structure: LUNs 0..255 use the
// peripheral device addressing method (bus 0), 256..16383 the flat space
// method (01b). Bytes 2..7 are zero. Values above max_lun are masked.
std::array<uint8_t, 8> encode_lun(uint16_t lun);

// Inverse of encode_lun; also accepts flat space encodings of LUNs below
// 256. Anything else (other bus, extended or well-known LUNs, a second
// level) is not a LUN we serve: nullopt.
std::optional<uint16_t> decode_lun(const uint8_t* lun8);

// The REPORT LUNS well known logical unit (SPC-4 8.2: C101h).
bool is_report_luns_wlun(const uint8_t* lun8);

// SPC-4 6.33 Table 272: SELECT REPORT values we accept.
namespace select_report {
constexpr uint8_t all_but_well_known = 0x00, well_known_only = 0x01, all = 0x02;
}

struct report_luns_request {
  uint8_t select = 0;
  uint32_t alloc_len = 0;
};
// Validates the 12-byte CDB (reserved bits, SELECT REPORT) and decodes it.
// On error `error` names the field (INVALID FIELD IN CDB with pointer).
struct report_luns_decoded {
  std::optional<sense_info> error;
  report_luns_request req;
};
report_luns_decoded decode_report_luns(const uint8_t* cdb, size_t len);

// SPC-4 6.33 Table 273: LUN LIST LENGTH, 4 reserved bytes, then one 8-byte
// entry per LUN in the given order (callers pass them sorted). The list
// length always reports every LUN; the bytes are cut to min(alloc_len, cap).
// SELECT REPORT 00h lists the LUNs, 01h only the REPORT LUNS well known
// LUN (C101h, the one W-LUN we serve), 02h both.
reply build_report_luns(std::span<const uint16_t> luns, const report_luns_request& req, uint8_t* out, size_t cap);

}  // namespace stmfd::scsi
