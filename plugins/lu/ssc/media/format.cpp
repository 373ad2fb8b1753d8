#include "plugins/lu/ssc/media/format.hpp"

#include <cstring>

#include "wire/crc32c.hpp"

namespace stmfd::ssc::media {

namespace {

constexpr uint8_t header_magic[8] = {'S', 'T', 'M', 'F', 'D', 'T', 'A', 'P'};
constexpr uint8_t lead_magic[4] = {'T', 'R', 'E', 'C'};
constexpr uint8_t trail_magic[4] = {'T', 'E', 'N', 'D'};
constexpr size_t header_crc_at = header_copy_len - 4;
constexpr size_t record_crc_at = 32;
constexpr uint32_t flag_write_protect = 1;

void put32(uint8_t* p, uint32_t v) {
  for (int i = 0; i < 4; ++i) p[i] = uint8_t(v >> (8 * i));
}
void put64(uint8_t* p, uint64_t v) {
  for (int i = 0; i < 8; ++i) p[i] = uint8_t(v >> (8 * i));
}
uint32_t get32(const uint8_t* p) {
  uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = v << 8 | p[i];
  return v;
}
uint64_t get64(const uint8_t* p) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = v << 8 | p[i];
  return v;
}

}  // namespace

uint32_t payload_crc(const uint8_t* data, size_t len) { return len ? wire::crc32c(data, len) : 0; }

// Header copy: magic 0..7, version 8..11, flags 12..15, capacity 16..23,
// load count 24..31, barcode length 32, barcode 33..64, zeros, CRC32C of
// bytes 0..507 at 508.
void encode_header(const header& h, uint8_t out[header_copy_len]) {
  std::memset(out, 0, header_copy_len);
  std::memcpy(out, header_magic, sizeof header_magic);
  put32(out + 8, h.version);
  put32(out + 12, h.write_protect ? flag_write_protect : 0);
  put64(out + 16, h.capacity);
  put64(out + 24, h.load_count);
  const size_t n = h.barcode.size() < barcode_max ? h.barcode.size() : barcode_max;
  out[32] = uint8_t(n);
  std::memcpy(out + 33, h.barcode.data(), n);
  put32(out + header_crc_at, wire::crc32c(out, header_crc_at));
}

std::optional<header> decode_header(const uint8_t in[header_copy_len]) {
  if (std::memcmp(in, header_magic, sizeof header_magic) != 0) return std::nullopt;
  if (get32(in + header_crc_at) != wire::crc32c(in, header_crc_at)) return std::nullopt;
  header h;
  h.version = get32(in + 8);
  if (h.version != format_version) return std::nullopt;
  h.write_protect = get32(in + 12) & flag_write_protect;
  h.capacity = get64(in + 16);
  h.load_count = get64(in + 24);
  const size_t n = in[32] < barcode_max ? in[32] : barcode_max;
  h.barcode.assign(reinterpret_cast<const char*>(in + 33), n);
  return h;
}

// Tag: magic 0..3 ("TREC" lead, "TEND" trail), type 4, zeros 5..7, length 8..11, payload
// CRC 12..15, epoch 16..23, object 24..31, CRC32C of bytes 0..31 at 32,
// zeros 36..39.
void encode_tag(const record_tag& r, tag_kind k, uint8_t out[tag_len]) {
  std::memset(out, 0, tag_len);
  std::memcpy(out, k == tag_kind::lead ? lead_magic : trail_magic, 4);
  out[4] = uint8_t(r.type);
  put32(out + 8, r.length);
  put32(out + 12, r.payload_crc);
  put64(out + 16, r.epoch);
  put64(out + 24, r.object);
  put32(out + record_crc_at, wire::crc32c(out, record_crc_at));
}

std::optional<record_tag> decode_tag(const uint8_t in[tag_len], tag_kind k) {
  if (std::memcmp(in, k == tag_kind::lead ? lead_magic : trail_magic, 4) != 0) return std::nullopt;
  if (get32(in + record_crc_at) != wire::crc32c(in, record_crc_at)) return std::nullopt;
  record_tag r;
  switch (in[4]) {
    case uint8_t(record_type::data):
    case uint8_t(record_type::filemark):
    case uint8_t(record_type::end_of_data): r.type = record_type(in[4]); break;
    default: return std::nullopt;
  }
  r.length = get32(in + 8);
  r.payload_crc = get32(in + 12);
  r.epoch = get64(in + 16);
  r.object = get64(in + 24);
  if (r.type != record_type::data && r.length != 0) return std::nullopt;
  return r;
}

bool same_record(const record_tag& a, const record_tag& b) {
  return a.type == b.type && a.length == b.length && a.payload_crc == b.payload_crc && a.epoch == b.epoch &&
         a.object == b.object;
}

}  // namespace stmfd::ssc::media
