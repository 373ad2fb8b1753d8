// ACA for a device server that does not support it (actors/model/aca.hpp):
// NACA=1 in the CONTROL byte and the ACA task attribute are refused with
// the sense SAM-5 gives, wherever the CONTROL byte of the CDB's group is.
#include <catch2/catch.hpp>

#include "actors/model/aca.hpp"

using namespace stmfd;

namespace {
void check_naca(const scsi::sense_info& s, uint16_t byte) {
  CHECK(s.code == scsi::sense::invalid_field_in_cdb());
  REQUIRE(s.field);
  CHECK(s.field->in_cdb);
  CHECK(s.field->byte == byte);
  CHECK(s.field->bit == 2);
}
}  // namespace

TEST_CASE("naca_bit_is_refused_in_every_cdb_group", "[model][aca]") {
  const uint8_t tur[6] = {0x00, 0, 0, 0, 0, 0x04};
  const uint8_t read10[10] = {0x28, 0, 0, 0, 0, 0, 0, 0, 1, 0x04};
  const uint8_t read12[12] = {0xA8, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0x04};
  const uint8_t read16[16] = {0x88, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0x04};
  const uint8_t variable[32] = {0x7F, 0x04, 0, 0, 0, 0, 0, 0x18};
  check_naca(*unsupported_aca(false, tur, sizeof tur), 5);
  check_naca(*unsupported_aca(false, read10, sizeof read10), 9);
  check_naca(*unsupported_aca(false, read12, sizeof read12), 11);
  check_naca(*unsupported_aca(false, read16, sizeof read16), 15);
  check_naca(*unsupported_aca(false, variable, sizeof variable), 1);
  // A 6-byte CDB in the 16-byte field a transport carries: byte 5 still.
  uint8_t padded[16] = {0x00, 0, 0, 0, 0, 0x04};
  check_naca(*unsupported_aca(false, padded, sizeof padded), 5);
  // NACA is reported before the task attribute (the CDB's own field).
  check_naca(*unsupported_aca(true, tur, sizeof tur), 5);
}

TEST_CASE("other_control_bits_and_plain_commands_pass", "[model][aca]") {
  const uint8_t link[6] = {0x00, 0, 0, 0, 0, 0x01};  // LINK: the provider's usage mask answers it
  const uint8_t vendor[10] = {0x28, 0, 0, 0, 0, 0, 0, 0, 1, 0xC0};
  const uint8_t plain[10] = {0x2A, 0, 0, 0, 0, 0, 0, 0, 1, 0};
  CHECK_FALSE(unsupported_aca(false, link, sizeof link));
  CHECK_FALSE(unsupported_aca(false, vendor, sizeof vendor));
  CHECK_FALSE(unsupported_aca(false, plain, sizeof plain));
  // No defined length (group 3, vendor groups 6 and 7), a CDB shorter than its
  // group's, or none: nothing to read.
  const uint8_t group3[6] = {0x60, 0, 0, 0, 0, 0x04};
  const uint8_t short10[6] = {0x28, 0, 0, 0, 0, 0x04};
  CHECK_FALSE(unsupported_aca(false, group3, sizeof group3));
  CHECK_FALSE(unsupported_aca(false, short10, sizeof short10));
  CHECK_FALSE(unsupported_aca(false, plain, 0));
}

TEST_CASE("aca_task_attribute_is_an_invalid_message", "[model][aca]") {
  const uint8_t tur[6] = {0x00, 0, 0, 0, 0, 0};
  auto s = unsupported_aca(true, tur, sizeof tur);
  REQUIRE(s);
  CHECK(s->code == scsi::sense::invalid_message_error());
  CHECK_FALSE(s->field);
  // With the CDB not examined (an opcode no table row knows), still refused.
  CHECK(unsupported_aca(true, tur, 0));
}
