#include <catch2/catch.hpp>

#include <array>
#include <vector>

#include "wire/scsi/rsoc.hpp"

using namespace stmfd::scsi;
using bytes = std::vector<uint8_t>;

namespace {

op_info make(uint8_t opcode, std::initializer_list<uint8_t> usage, bool has_sa = false) {
  op_info o;
  o.opcode = opcode;
  o.cdb_len = uint8_t(usage.size());
  size_t i = 0;
  for (uint8_t b : usage) o.usage[i++] = b;
  if (has_sa) o.has_sa = true, o.sa = o.usage[1] & 0x1F;
  return o;
}

const std::array<op_info, 3> ops = {
    make(0x00, {0x00, 0, 0, 0, 0, 0}),
    make(0x28, {0x28, 0x18, 0xFF, 0xFF, 0xFF, 0xFF, 0x1F, 0xFF, 0xFF, 0}),
    make(0x9E, {0x9E, 0x10, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01, 0}, true),
};

rsoc_request req(uint8_t options, uint8_t opcode = 0, uint16_t sa = 0, bool rctd = false, uint32_t alloc = 4096) {
  return {rctd, options, opcode, sa, alloc};
}

bytes run(const rsoc_request& r, reply* out_reply = nullptr) {
  bytes out(4096, 0xEE);
  reply rep = build_rsoc(ops, r, out.data(), out.size());
  if (out_reply) *out_reply = rep;
  out.resize(rep.length);
  return out;
}

}  // namespace

TEST_CASE("rsoc_all_commands_without_timeouts", "[scsi][rsoc]") {
  const bytes want = {0,    0, 0, 24,                                                     // COMMAND DATA LENGTH
                      0x00, 0, 0, 0,  0, 0x00, 0, 6,                                      // TEST UNIT READY
                      0x28, 0, 0, 0,  0, 0x00, 0, 10, 0x9E, 0, 0, 0x10, 0, 0x01, 0, 16};  // SERVACTV
  CHECK(run(req(0)) == want);
}

TEST_CASE("rsoc_all_commands_with_timeouts", "[scsi][rsoc]") {
  const bytes got = run(req(0, 0, 0, true));
  REQUIRE(got.size() == 4 + 3 * 20);
  CHECK(got[3] == 60);
  CHECK(got[4 + 5] == 0x02);  // CTDP
  CHECK(got[4 + 8] == 0x00);  // timeout descriptor length 000Ah
  CHECK(got[4 + 9] == 0x0A);
  CHECK(got[4 + 20 + 0] == 0x28);
  CHECK(got[4 + 40 + 5] == 0x03);  // CTDP | SERVACTV
}

TEST_CASE("rsoc_one_command_reports_usage_data", "[scsi][rsoc]") {
  const bytes want = {0, 0x03, 0, 10, 0x28, 0x18, 0xFF, 0xFF, 0xFF, 0xFF, 0x1F, 0xFF, 0xFF, 0x00};
  CHECK(run(req(1, 0x28)) == want);
  const bytes got = run(req(2, 0x9E, 0x10, true));
  REQUIRE(got.size() == 4 + 16 + 12);
  CHECK(got[1] == 0x83);  // CTDP | supported
  CHECK(got[4] == 0x9E);
  CHECK(got[5] == 0x10);
  CHECK(got[21] == 0x0A);
}

TEST_CASE("rsoc_one_command_option_must_match_service_actions", "[scsi][rsoc]") {
  reply r;
  run(req(1, 0x9E, 0x10), &r);
  REQUIRE(r.error);
  CHECK(r.error->code == sense::invalid_field_in_cdb());
  CHECK(r.error->field->byte == 2);
  run(req(2, 0x28), &r);
  REQUIRE(r.error);
  CHECK(r.error->code == sense::invalid_field_in_cdb());
  run(req(5), &r);
  REQUIRE(r.error);
}

TEST_CASE("rsoc_unsupported_command_is_support_001b", "[scsi][rsoc]") {
  CHECK(run(req(1, 0x2A)) == bytes{0, 0x01, 0, 0});
  CHECK(run(req(2, 0x9E, 0x11)) == bytes{0, 0x01, 0, 0});
  CHECK(run(req(3, 0x28)).size() == 14);  // 011b: no service actions -> opcode form
}

TEST_CASE("rsoc_truncates_to_allocation_length_keeping_full_length", "[scsi][rsoc]") {
  const bytes got = run(req(0, 0, 0, false, 6));
  CHECK(got == bytes{0, 0, 0, 24, 0x00, 0});
}

TEST_CASE("rsoc_decode_cdb", "[scsi][rsoc]") {
  const uint8_t cdb[12] = {0xA3, 0x0C, 0x82, 0x9E, 0x00, 0x10, 0, 0, 0x01, 0x00, 0, 0};
  const auto r = decode_rsoc(cdb);
  CHECK(r.rctd);
  CHECK(r.options == 2);
  CHECK(r.opcode == 0x9E);
  CHECK(r.sa == 0x10);
  CHECK(r.alloc_len == 256);
}
