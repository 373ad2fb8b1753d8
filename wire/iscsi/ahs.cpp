#include "wire/iscsi/ahs.hpp"

#include <cstring>

#include "wire/iscsi/pdu.hpp"

namespace stmfd::iscsi {

namespace {
constexpr uint8_t type_extended_cdb = 1, type_bidi_read_length = 2;
constexpr uint8_t first_extension_type = 60;
constexpr size_t bhs_cdb_len = 16;
}  // namespace

ahs_status parse_command_ahs(const uint8_t* bhs, const uint8_t* ahs, size_t ahs_len, command_cdb& out) {
  out = command_cdb{};
  std::memcpy(out.bytes.data(), bhs + 32, bhs_cdb_len);
  bool seen_cdb = false;
  size_t pos = 0;
  while (pos < ahs_len) {
    if (ahs_len - pos < 4) return ahs_status::malformed;  // every AHS takes at least one word
    const uint8_t* a = ahs + pos;
    const size_t length = get_be16(a);  // bytes after AHSType, padding excluded
    const uint8_t type = a[2] & 0x3f;
    const size_t padded = (3 + length + 3) & ~size_t(3);
    if (length == 0 || padded > ahs_len - pos) return ahs_status::malformed;
    const uint8_t* specific = a + 3;
    switch (type) {
      case type_extended_cdb: {
        // A reserved byte, then CDB bytes 16 onwards.
        const size_t extra = length - 1;
        if (seen_cdb || extra == 0 || bhs_cdb_len + extra > max_cdb_len) return ahs_status::malformed;
        std::memcpy(out.bytes.data() + bhs_cdb_len, specific + 1, extra);
        out.len = bhs_cdb_len + extra;
        seen_cdb = true;
        break;
      }
      case type_bidi_read_length:
        if (out.has_bidi_read_length || length != 5) return ahs_status::malformed;
        out.has_bidi_read_length = true;
        out.bidi_read_length = get_be32(specific + 1);
        break;
      default:
        if (type < first_extension_type) return ahs_status::unsupported_type;
        break;  // an extension outside iSCSI: skipped
    }
    pos += padded;
  }
  return ahs_status::ok;
}

}  // namespace stmfd::iscsi
