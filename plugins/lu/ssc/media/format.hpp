#pragma once
// The on-disk layout of a virtual tape cartridge, format version 1
// (docs/tape-format.md is the reference; this file is its code). Pure byte
// encoding and decoding: no I/O, no SCSI. All integers little-endian.
//
//   [0, 512)     header copy A   } two copies, rewritten alternately at each
//   [512, 1024)  header copy B   } load; the valid one with the higher
//                                  load count wins (a torn header write
//                                  leaves the other intact)
//   [1024, ...)  records, back to back: a 40-byte lead tag, `length`
//                payload bytes (data blocks only), a 40-byte trail tag
//
// A record is valid when both tags decode (magic, CRC), say the same
// thing (type, length, payload CRC, epoch, object), its object number is
// its index on the tape and its epoch is not lower than the previous
// record's. Writes reach the file in order (a kill -9 keeps every write
// the kernel accepted), so a valid trail tag after a valid lead means the
// payload between them is whole; the payload CRC is checked when the block
// is read. The tape ends at the first end-of-data record or the first
// invalid record. Every write puts its records and a fresh end-of-data
// record at the position, sealed first and committed last by one byte
// each (cartridge.hpp, write_plan), and a write that replaces
// data (not at end of data) starts a new epoch, so records left behind a
// shorter rewrite can never be mistaken for live ones.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

namespace stmfd::ssc::media {

constexpr uint32_t format_version = 1;
constexpr uint32_t header_copy_len = 512;
constexpr uint64_t records_offset = 2 * header_copy_len;
constexpr uint32_t tag_len = 40;
constexpr uint32_t record_overhead = 2 * tag_len;  // lead + trail
constexpr size_t barcode_max = 32;                 // SMC-3 volume tag: 32 bytes

// The cartridge header (one copy).
struct header {
  uint32_t version = format_version;
  uint64_t capacity = 0;    // bytes the records may occupy from offset 0 (file size limit)
  uint64_t load_count = 0;  // incremented at every load that may write; records carry it in their epoch
  bool write_protect = false;
  std::string barcode;  // printable ASCII, at most barcode_max bytes
};

void encode_header(const header& h, uint8_t out[header_copy_len]);
// nullopt: bad magic, bad CRC or a version this code does not read.
std::optional<header> decode_header(const uint8_t in[header_copy_len]);

enum class record_type : uint8_t { data = 1, filemark = 2, end_of_data = 3 };

// One tag; the lead and the trail of a record carry the same fields.
struct record_tag {
  record_type type = record_type::data;
  uint32_t length = 0;       // payload bytes (0 for filemarks and end of data)
  uint32_t payload_crc = 0;  // CRC32C of the payload (0 when length is 0)
  uint64_t epoch = 0;        // (load_count << 32) | rewrite counter within that load
  uint64_t object = 0;       // SSC logical object identifier: the record's index on the tape
};

enum class tag_kind : uint8_t { lead, trail };
void encode_tag(const record_tag& r, tag_kind k, uint8_t out[tag_len]);
// nullopt: not a tag of kind k (magic), bad CRC, unknown type, or a
// payload length on a filemark or end-of-data record.
std::optional<record_tag> decode_tag(const uint8_t in[tag_len], tag_kind k);
bool same_record(const record_tag& a, const record_tag& b);

uint32_t payload_crc(const uint8_t* data, size_t len);

}  // namespace stmfd::ssc::media
