#include <catch2/catch.hpp>

#include <vector>

#include "wire/scsi/sense.hpp"

using namespace stmfd::scsi;
using bytes = std::vector<uint8_t>;

namespace {
bytes build(const sense_info& s, bool desc, size_t cap = 64) {
  bytes out(cap, 0xEE);
  out.resize(build_sense(s, desc, out.data(), out.size()));
  return out;
}
}  // namespace

TEST_CASE("fixed_sense_invalid_field_with_bit_pointer", "[scsi][sense]") {
  // SPC-4 4.5.3: 70h, key 5, ASC 24h, SKSV|C/D|BPV|bit 4, field byte 1.
  const bytes want = {0x70, 0, 0x05, 0, 0, 0, 0, 0x0A, 0, 0, 0, 0, 0x24, 0x00, 0, 0xCC, 0x00, 0x01};
  CHECK(build(invalid_cdb_field(1, 4), false) == want);
}

TEST_CASE("fixed_sense_parameter_list_pointer_without_bit", "[scsi][sense]") {
  const bytes want = {0x70, 0, 0x05, 0, 0, 0, 0, 0x0A, 0, 0, 0, 0, 0x26, 0x00, 0, 0x80, 0x01, 0x02};
  CHECK(build(invalid_param_field(0x0102), false) == want);
}

TEST_CASE("fixed_sense_information_sets_valid", "[scsi][sense]") {
  sense_info s = plain(sense::miscompare_during_verify());
  s.information = 0x1234;
  const bytes want = {0xF0, 0, 0x0E, 0, 0, 0x12, 0x34, 0x0A, 0, 0, 0, 0, 0x1D, 0x00, 0, 0, 0, 0};
  CHECK(build(s, false) == want);
}

TEST_CASE("fixed_sense_information_too_wide_clears_valid", "[scsi][sense]") {
  sense_info s = plain(sense::read_error());
  s.information = 0x100000000ull;
  const bytes got = build(s, false);
  REQUIRE(got.size() == fixed_sense_len);
  CHECK(got[0] == 0x70);
  CHECK(got[3] == 0);
  CHECK(got[6] == 0);
  CHECK(got[2] == 0x03);
  CHECK(got[12] == 0x11);
}

TEST_CASE("descriptor_sense_with_field_pointer", "[scsi][sense]") {
  // SPC-4 4.5.2: 72h header, then the sense key specific descriptor (02h).
  const bytes want = {0x72, 0x05, 0x24, 0x00, 0, 0, 0, 0x08, 0x02, 0x06, 0, 0, 0xCF, 0x00, 0x02, 0};
  CHECK(build(invalid_cdb_field(2, 7), true) == want);
}

TEST_CASE("descriptor_sense_with_information", "[scsi][sense]") {
  sense_info s = plain(sense::miscompare_during_verify());
  s.information = 0x0102030405060708ull;
  const bytes want = {0x72, 0x0E, 0x1D, 0x00, 0, 0, 0, 0x0C, 0x00, 0x0A, 0x80, 0x00, 1, 2, 3, 4, 5, 6, 7, 8};
  CHECK(build(s, true) == want);
}

TEST_CASE("sense_progress_indication_fixed_and_descriptor", "[scsi][sense]") {
  // SPC-4 4.5.2.4.4: NOT READY, SANITIZE IN PROGRESS, SKSV and a progress
  // of 4000h (a quarter done) in the sense key specific bytes.
  sense_info s = plain(sense::not_ready_sanitize_in_progress());
  s.progress = 0x4000;
  const bytes fixed = {0x70, 0, 0x02, 0, 0, 0, 0, 0x0A, 0, 0, 0, 0, 0x04, 0x1B, 0, 0x80, 0x40, 0x00};
  CHECK(build(s, false) == fixed);
  const bytes desc = {0x72, 0x02, 0x04, 0x1B, 0, 0, 0, 0x08, 0x02, 0x06, 0, 0, 0x80, 0x40, 0x00, 0};
  CHECK(build(s, true) == desc);
  CHECK(sense::from_wire(0x02, 0x04, 0x04) == sense::not_ready_format_in_progress());
  CHECK(sense::from_wire(0x03, 0x31, 0x03) == sense::sanitize_command_failed());
}

TEST_CASE("descriptor_sense_plain", "[scsi][sense]") {
  const bytes want = {0x72, 0x06, 0x29, 0x00, 0, 0, 0, 0x00};
  CHECK(build(plain(sense::power_on_reset()), true) == want);
}

TEST_CASE("sense_truncated_to_cap", "[scsi][sense]") {
  bytes out(8, 0xEE);
  CHECK(build_sense(plain(sense::lba_out_of_range()), false, out.data(), out.size()) == 8);
  CHECK(out == bytes{0x70, 0, 0x05, 0, 0, 0, 0, 0x0A});
}

TEST_CASE("sense_codes_pair_key_and_asc", "[scsi][sense]") {
  CHECK(sense::invalid_opcode() == sense::from_wire(0x05, 0x20, 0x00));
  CHECK(sense::space_allocation_failed_write_protect().key == sense_key::data_protect);
  CHECK(sense::bus_device_reset().ascq == 0x03);
  CHECK_FALSE(sense::from_wire(0x05, 0x29, 0x00).has_value());  // UA code with the wrong key
  CHECK_FALSE(sense::from_wire(0x06, 0x24, 0x00).has_value());
  CHECK(sense::it_nexus_loss().is_reset());
  CHECK_FALSE(sense::mode_parameters_changed().is_reset());
}

TEST_CASE("stream bits: FILEMARK/EOM/ILI in fixed byte 2 and the 04h descriptor", "[wire][sense]") {
  sense_info s{sense::filemark_detected(), uint64_t(3), std::nullopt, stream::filemark | stream::ili};
  uint8_t b[64] = {};
  REQUIRE(build_sense(s, false, b, sizeof b) == fixed_sense_len);
  CHECK(b[0] == 0xF0);                 // VALID, current error
  CHECK(b[2] == (0x80 | 0x20 | 0x0));  // FILEMARK, ILI, NO SENSE
  CHECK((b[3] << 24 | b[4] << 16 | b[5] << 8 | b[6]) == 3);
  CHECK(b[12] == 0x00);
  CHECK(b[13] == 0x01);
  const size_t n = build_sense(s, true, b, sizeof b);
  CHECK(b[0] == 0x72);
  CHECK(b[1] == 0x0);
  // information descriptor (12 bytes) then the stream commands descriptor
  REQUIRE(n == 8 + 12 + 4);
  CHECK(b[7] == 16);
  CHECK(b[20] == 0x04);
  CHECK(b[21] == 0x02);
  CHECK(b[23] == 0xA0);
  sense_info eod = plain(sense::end_of_data_detected());
  build_sense(eod, false, b, sizeof b);
  CHECK(b[2] == 0x08);  // BLANK CHECK, no stream bits
  CHECK(sense::from_wire(0xD, 0x00, 0x02) == sense::volume_overflow());
  CHECK(sense::from_wire(0x6, 0x28, 0x00) == sense::medium_may_have_changed());
}
