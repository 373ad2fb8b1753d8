#include "actors/model/aca.hpp"

#include "wire/scsi/cdb.hpp"

namespace stmfd {

namespace {
constexpr uint8_t variable_length_opcode = 0x7F;  // SPC-4 4.2.4
constexpr uint8_t naca_bit = 2;                   // CONTROL byte bit 2 (SAM-5 5.3.3)
}  // namespace

std::optional<size_t> control_byte_of(const uint8_t* cdb, size_t len) {
  if (len == 0) return std::nullopt;
  size_t at = cdb[0] == variable_length_opcode ? 1 : scsi::cdb_length_for(cdb[0]);
  if (cdb[0] != variable_length_opcode) {
    if (at == 0) return std::nullopt;
    at -= 1;
  }
  if (at >= len) return std::nullopt;
  return at;
}

std::optional<scsi::sense_info> unsupported_aca(bool aca_attribute, const uint8_t* cdb, size_t len) {
  if (auto at = control_byte_of(cdb, len); at && (cdb[*at] >> naca_bit) & 1)
    return scsi::invalid_cdb_field(uint16_t(*at), int8_t(naca_bit));
  if (aca_attribute) return scsi::plain(scsi::sense::invalid_message_error());
  return std::nullopt;
}

}  // namespace stmfd
