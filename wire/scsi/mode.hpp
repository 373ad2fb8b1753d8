#pragma once
// MODE SENSE / MODE SELECT framing shared by device types (SPC-4 6.11-6.14,
// 7.5.4-7.5.5): CDB decoding, mode parameter headers, block descriptors.
// The pages themselves belong to each device type.

#include <cstddef>
#include <cstdint>

#include <optional>

#include "wire/scsi/byte_writer.hpp"
#include "wire/scsi/sense.hpp"

namespace stmfd::scsi::mode {

// PAGE CONTROL (SPC-4 6.11.1 Table 158).
namespace pc {
constexpr uint8_t current = 0, changeable = 1, default_values = 2, saved = 3;
}
constexpr uint8_t all_pages = 0x3F;
constexpr uint8_t all_subpages = 0xFF;

struct sense_request {
  bool ten = false;    // MODE SENSE(10)
  bool dbd = false;    // disable block descriptors
  bool llbaa = false;  // long LBA block descriptors accepted (10 only)
  uint8_t pc = 0;
  uint8_t page = 0;
  uint8_t subpage = 0;
  uint16_t alloc_len = 0;
};
sense_request decode_sense(const uint8_t* cdb);  // 1Ah or 5Ah

struct select_request {
  bool ten = false;
  bool pf = false;  // page format
  bool sp = false;  // save pages
  uint16_t param_len = 0;
};
select_request decode_select(const uint8_t* cdb);  // 15h or 55h

constexpr size_t header_len(bool ten) { return ten ? 8 : 4; }
constexpr size_t block_descriptor_len(bool long_lba) { return long_lba ? 16 : 8; }

// Mode parameter header (SPC-4 7.5.5 Tables 451/452). MODE DATA LENGTH is
// written as 0; finish_header() patches it once the pages are written.
void put_header(byte_writer& w, bool ten, uint8_t device_specific, bool long_lba, uint16_t bd_len);
void finish_header(byte_writer& w, bool ten);

// Direct-access block descriptor (SBC-3 6.4.2): short (8 bytes, block count
// saturated at FFFFFFFFh) or long (16 bytes).
void put_block_descriptor(byte_writer& w, bool long_lba, uint64_t blocks, uint32_t block_len);

// Parsed mode parameter header of MODE SELECT parameter data.
struct select_header {
  uint8_t medium_type = 0;
  uint8_t device_specific = 0;
  bool long_lba = false;
  uint16_t bd_len = 0;
};
select_header parse_header(const uint8_t* data, bool ten);  // data holds >= header_len(ten) bytes

// MODE SELECT page framing (SPC-4 7.5.7), shared by the device types'
// page loops. d is the parameter list of n bytes, pos a page's offset.
// The page header: two bytes there, PS (reserved in MODE SELECT) and SPF
// (no subpages are supported) 0.
std::optional<sense_info> check_page_header(const uint8_t* d, size_t pos, size_t n);
// A known page whose PAGE LENGTH is `length`: the field says so and the
// page fits in the list.
std::optional<sense_info> check_page_length(const uint8_t* d, size_t pos, size_t n, uint8_t length);
// The page given[0..len) differs from the current values cur only in the
// changeable bits of mask; else INVALID FIELD IN PARAMETER LIST at the
// first other bit (pos: the page's offset in the list).
std::optional<sense_info> check_changeable(const uint8_t* given, const uint8_t* cur, const uint8_t* mask, size_t len,
                                           size_t pos);

}  // namespace stmfd::scsi::mode
