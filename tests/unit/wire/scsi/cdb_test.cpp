#include <catch2/catch.hpp>

#include <cstdint>

#include "wire/scsi/cdb.hpp"

using namespace stmfd::scsi;

TEST_CASE("big_endian_helpers_round_trip", "[scsi][cdb]") {
  uint8_t b[8] = {};
  put_be64(b, 0x0102030405060708ull);
  CHECK(b[0] == 1);
  CHECK(b[7] == 8);
  CHECK(get_be64(b) == 0x0102030405060708ull);
  CHECK(get_be32(b + 4) == 0x05060708u);
  CHECK(get_be24(b + 1) == 0x020304u);
  CHECK(get_be16(b + 6) == 0x0708);
  put_be24(b, 0xABCDEF);
  CHECK(get_be24(b) == 0xABCDEFu);
}

TEST_CASE("usage_check_reports_highest_reserved_bit", "[scsi][cdb]") {
  const uint8_t usage[10] = {0x28, 0x18, 0xFF, 0xFF, 0xFF, 0xFF, 0x1F, 0xFF, 0xFF, 0x00};
  uint8_t cdb[10] = {0x28, 0x18, 0, 0, 0, 1, 0x1F, 0, 1, 0};
  CHECK_FALSE(check_usage(cdb, usage, 10).has_value());
  cdb[1] = 0x38;  // RDPROTECT 001b
  auto f = check_usage(cdb, usage, 10);
  REQUIRE(f);
  CHECK(f->in_cdb);
  CHECK(f->byte == 1);
  CHECK(f->bit == 5);
  cdb[1] = 0x18;
  cdb[9] = 0x04;  // NACA
  f = check_usage(cdb, usage, 10);
  REQUIRE(f);
  CHECK(f->byte == 9);
  CHECK(f->bit == 2);
  cdb[6] = 0xE0;  // earlier byte wins
  f = check_usage(cdb, usage, 10);
  REQUIRE(f);
  CHECK(f->byte == 6);
  CHECK(f->bit == 7);
}

TEST_CASE("read6_zero_length_means_256_blocks", "[scsi][cdb]") {
  const uint8_t cdb[6] = {0x08, 0xFF, 0x12, 0x34, 0x00, 0x00};
  auto r = decode_rw(cdb, 6);
  REQUIRE(r);
  CHECK(r->lba == 0x1F1234);  // 21 bits
  CHECK(r->blocks == 256);
  CHECK(r->len_byte == 4);
}

TEST_CASE("decode_rw_10_12_16", "[scsi][cdb]") {
  const uint8_t r10[10] = {0x2A, 0x18, 0x00, 0x00, 0x10, 0x00, 0x03, 0x00, 0x08, 0x00};
  auto a = decode_rw(r10, 10);
  REQUIRE(a);
  CHECK(a->lba == 0x1000);
  CHECK(a->blocks == 8);
  CHECK(a->fua);
  CHECK(a->dpo);
  CHECK(a->group == 3);
  CHECK(a->len_byte == 7);

  const uint8_t r12[12] = {0xA8, 0x20, 0, 0, 0, 5, 0, 1, 0, 0, 0, 0};
  auto b = decode_rw(r12, 12);
  REQUIRE(b);
  CHECK(b->protect == 1);
  CHECK(b->blocks == 0x10000);
  CHECK(b->len_byte == 6);

  const uint8_t r16[16] = {0x88, 0x08, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 1, 0, 0};
  auto c = decode_rw(r16, 16);
  REQUIRE(c);
  CHECK(c->lba == UINT64_MAX);
  CHECK(c->blocks == 1);
  CHECK(c->fua);
  CHECK_FALSE(c->dpo);
  CHECK(c->len_byte == 10);
}

TEST_CASE("decode_rw_verify_bytchk_and_sync_immed", "[scsi][cdb]") {
  const uint8_t v[10] = {0x2F, 0x16, 0, 0, 0, 0, 0, 0, 1, 0};
  auto a = decode_rw(v, 10);
  REQUIRE(a);
  CHECK(a->bytchk == 3);
  CHECK(a->dpo);
  CHECK_FALSE(a->fua);
  const uint8_t s[16] = {0x91, 0x02, 0, 0, 0, 0, 0, 0, 0, 9, 0, 0, 0, 2, 0, 0};
  auto b = decode_rw(s, 16);
  REQUIRE(b);
  CHECK(b->immed);
  CHECK(b->lba == 9);
  CHECK(b->blocks == 2);
}

TEST_CASE("decode_rw_write_atomic16", "[scsi][cdb]") {
  // SBC-4 5.48: LBA in bytes 2-9, ATOMIC BOUNDARY 10-11, TRANSFER LENGTH 12-13.
  const uint8_t c[16] = {0x9C, 0x18, 0, 0, 0, 0, 0, 0, 0x01, 0x02, 0xAA, 0xBB, 0x00, 0x10, 0x05, 0};
  auto r = decode_rw(c, 16);
  REQUIRE(r);
  CHECK(r->lba == 0x0102);
  CHECK(r->blocks == 16);
  CHECK(r->fua);
  CHECK(r->dpo);
  CHECK(r->group == 5);
  CHECK(r->len_byte == 12);
}

TEST_CASE("decode_rw_rejects_other_opcodes_and_short_cdbs", "[scsi][cdb]") {
  const uint8_t inq[6] = {0x12, 0, 0, 0, 36, 0};
  CHECK_FALSE(decode_rw(inq, 6).has_value());
  const uint8_t r10[10] = {0x28, 0, 0, 0, 0, 0, 0, 0, 1, 0};
  CHECK_FALSE(decode_rw(r10, 9).has_value());
  CHECK_FALSE(decode_rw(r10, 0).has_value());
}

TEST_CASE("lba_range_is_overflow_safe", "[scsi][cdb]") {
  CHECK(lba_range_ok(0, 100, 100));
  CHECK(lba_range_ok(99, 1, 100));
  CHECK(lba_range_ok(100, 0, 100));
  CHECK_FALSE(lba_range_ok(101, 0, 100));
  CHECK_FALSE(lba_range_ok(99, 2, 100));
  CHECK_FALSE(lba_range_ok(UINT64_MAX, 2, 100));
  CHECK_FALSE(lba_range_ok(0xFFFFFFFF, 256, 100));
}
