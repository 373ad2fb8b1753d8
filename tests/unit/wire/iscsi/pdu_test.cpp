// The BHS codec against RFC 7143 section 11 byte layouts.
#include <catch2/catch.hpp>

#include <array>

#include "wire/iscsi/pdu.hpp"

using namespace stmfd::iscsi;

namespace {
std::array<uint8_t, bhs_len> scsi_command_bytes() {
  std::array<uint8_t, bhs_len> b{};
  b[0] = 0x41;                // immediate SCSI Command
  b[1] = 0x80 | 0x40 | 0x01;  // F, R, ATTR=simple
  b[4] = 2;                   // 8 bytes of AHS
  b[5] = 0x01;
  b[6] = 0x02;
  b[7] = 0x03;  // DataSegmentLength 0x010203
  b[9] = 0x05;  // LUN 5, peripheral addressing
  put_be32(b.data() + 16, 0xdeadbeef);
  put_be32(b.data() + 20, 4096);
  put_be32(b.data() + 24, 77);
  put_be32(b.data() + 28, 12);
  b[32] = 0x28;  // READ(10)
  return b;
}
}  // namespace

TEST_CASE("bhs_view reads a SCSI Command in place", "[pdu]") {
  auto b = scsi_command_bytes();
  bhs_view h(b.data());
  CHECK(h.op() == opcode::scsi_command);
  CHECK(h.immediate());
  CHECK(h.final_bit());
  CHECK(h.read_bit());
  CHECK_FALSE(h.write_bit());
  CHECK(h.task_attr() == 1);
  CHECK(h.ahs_bytes() == 8);
  CHECK(h.data_segment_length() == 0x010203);
  CHECK(h.lun_field() == 0x0005000000000000ull);
  CHECK(h.itt() == 0xdeadbeef);
  CHECK(h.expected_data_length() == 4096);
  CHECK(h.cmd_sn() == 77);
  CHECK(h.exp_stat_sn() == 12);
  CHECK(h.cdb()[0] == 0x28);
}

TEST_CASE("bhs_view reads Login Request stage bits, ISID and CID", "[pdu]") {
  std::array<uint8_t, bhs_len> b{};
  b[0] = 0x43;
  b[1] = 0x80 | (1 << 2) | 3;  // T, CSG=1, NSG=3
  b[2] = 0x00;
  b[3] = 0x00;
  uint8_t isid[6] = {0x80, 1, 2, 3, 4, 5};
  std::memcpy(b.data() + 8, isid, 6);
  put_be16(b.data() + 14, 0x1234);
  put_be16(b.data() + 20, 7);
  bhs_view h(b.data());
  CHECK(h.op() == opcode::login_request);
  CHECK(h.transit());
  CHECK(h.csg() == 1);
  CHECK(h.nsg() == 3);
  CHECK(std::memcmp(h.isid(), isid, 6) == 0);
  CHECK(h.tsih() == 0x1234);
  CHECK(h.login_cid() == 7);
}

TEST_CASE("Data-In with status carries S, F, residual flags and StatSN", "[pdu]") {
  uint8_t b[bhs_len];
  build::data_in_args a;
  a.lun_field = 0x0001000000000000ull;
  a.itt = 9;
  a.data_sn = 3;
  a.buffer_offset = 8192;
  a.status_present = true;
  a.status = 0;
  a.underflow = true;
  a.residual = 512;
  a.sn = {100, 200, 327};
  build::data_in(b, a);
  build::set_data_length(b, 4096);
  CHECK(b[0] == 0x25);
  CHECK(b[1] == (0x80 | 0x02 | 0x01));  // F, U, S
  CHECK(b[3] == 0);
  CHECK(get_be24(b + 5) == 4096);
  CHECK(get_be64(b + 8) == 0x0001000000000000ull);
  CHECK(get_be32(b + 16) == 9);
  CHECK(get_be32(b + 20) == reserved_tag);
  CHECK(get_be32(b + 24) == 100);
  CHECK(get_be32(b + 28) == 200);
  CHECK(get_be32(b + 32) == 327);
  CHECK(get_be32(b + 36) == 3);
  CHECK(get_be32(b + 40) == 8192);
  CHECK(get_be32(b + 44) == 512);
}

TEST_CASE("Data-In without status leaves StatSN and residual reserved", "[pdu]") {
  uint8_t b[bhs_len];
  build::data_in_args a;
  a.itt = 1;
  a.data_sn = 0;
  a.buffer_offset = 0;
  a.final = false;
  a.residual = 99;  // ignored without S
  a.sn = {5, 6, 7};
  build::data_in(b, a);
  CHECK(b[1] == 0);
  CHECK(get_be32(b + 24) == 0);
  CHECK(get_be32(b + 28) == 6);
  CHECK(get_be32(b + 44) == 0);
}

TEST_CASE("SCSI Response encodes overflow residual and ExpDataSN", "[pdu]") {
  uint8_t b[bhs_len];
  build::scsi_response(b, {0x42, 0x02, 0, true, false, 312, 4, {1, 2, 3}});
  CHECK(b[0] == 0x21);
  CHECK(b[1] == (0x80 | 0x04));
  CHECK(b[2] == 0);
  CHECK(b[3] == 0x02);
  CHECK(get_be32(b + 16) == 0x42);
  CHECK(get_be32(b + 36) == 4);
  CHECK(get_be32(b + 44) == 312);
}

TEST_CASE("R2T, NOP-In, TMF, Logout, Reject and Login Response layouts", "[pdu]") {
  uint8_t b[bhs_len];
  build::r2t(b, {0x0002000000000000ull, 10, 11, 1, 65536, 262144, {7, 8, 9}});
  CHECK(b[0] == 0x31);
  CHECK(b[1] == 0x80);
  CHECK(get_be32(b + 20) == 11);
  CHECK(get_be32(b + 36) == 1);
  CHECK(get_be32(b + 40) == 65536);
  CHECK(get_be32(b + 44) == 262144);

  build::nop_in(b, 0, reserved_tag, 0x55, {1, 2, 3});
  CHECK(b[0] == 0x20);
  CHECK(get_be32(b + 16) == reserved_tag);
  CHECK(get_be32(b + 20) == 0x55);

  build::task_mgmt_response(b, 0x77, tmf::task_not_exist, {1, 2, 3});
  CHECK(b[0] == 0x22);
  CHECK(b[2] == 1);

  build::logout_response(b, 3, 0, 2, 20, {1, 2, 3});
  CHECK(b[0] == 0x26);
  CHECK(get_be16(b + 40) == 2);
  CHECK(get_be16(b + 42) == 20);

  build::reject(b, reject_reason::data_digest_error, 0, {4, 5, 6});
  CHECK(b[0] == 0x3f);
  CHECK(b[2] == 0x02);
  CHECK(get_be24(b + 5) == bhs_len);
  CHECK(get_be32(b + 16) == reserved_tag);

  uint8_t isid[6] = {0x80, 0, 0, 0, 0, 1};
  build::login_response(b, {true, false, 1, 3, 0, 0, isid, 0x10, 0x99, 0x02, 0x03, {1, 2, 3}});
  CHECK(b[0] == 0x23);
  CHECK(b[1] == (0x80 | (1 << 2) | 3));
  CHECK(std::memcmp(b + 8, isid, 6) == 0);
  CHECK(get_be16(b + 14) == 0x10);
  CHECK(b[36] == 0x02);
  CHECK(b[37] == 0x03);
}

TEST_CASE("serial number arithmetic wraps (RFC 1982)", "[pdu]") {
  CHECK(sn_lt(1, 2));
  CHECK(sn_lt(0xfffffff0u, 5));
  CHECK_FALSE(sn_lt(5, 0xfffffff0u));
  CHECK(sn_le(7, 7));
  CHECK_FALSE(sn_lt(7, 7));
  CHECK(pad4(0) == 0);
  CHECK(pad4(1) == 4);
  CHECK(pad4(48) == 48);
}
