#include <catch2/catch.hpp>

#include <vector>

#include "wire/scsi/mode.hpp"

using namespace stmfd::scsi;
using bytes = std::vector<uint8_t>;

TEST_CASE("mode_sense_cdb_decoding", "[scsi][mode]") {
  const uint8_t s6[6] = {0x1A, 0x08, 0x7F, 0xFF, 0xC0, 0};
  auto a = mode::decode_sense(s6);
  CHECK_FALSE(a.ten);
  CHECK(a.dbd);
  CHECK_FALSE(a.llbaa);
  CHECK(a.pc == mode::pc::changeable);
  CHECK(a.page == 0x3F);
  CHECK(a.subpage == 0xFF);
  CHECK(a.alloc_len == 0xC0);
  const uint8_t s10[10] = {0x5A, 0x10, 0x88, 0, 0, 0, 0, 0x01, 0x02, 0};
  auto b = mode::decode_sense(s10);
  CHECK(b.ten);
  CHECK(b.llbaa);
  CHECK(b.pc == mode::pc::default_values);
  CHECK(b.page == 0x08);
  CHECK(b.alloc_len == 0x0102);
}

TEST_CASE("mode_headers_and_block_descriptors", "[scsi][mode]") {
  bytes out(64, 0xEE);
  byte_writer w(out.data(), out.size());
  mode::put_header(w, false, 0x90, false, 8);
  mode::put_block_descriptor(w, false, 0x100000000ull, 4096);
  mode::finish_header(w, false);
  out.resize(w.written());
  CHECK(out == bytes{11, 0, 0x90, 8, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0x00, 0x10, 0x00});

  bytes l(64, 0xEE);
  byte_writer w2(l.data(), l.size());
  mode::put_header(w2, true, 0x10, true, 16);
  mode::put_block_descriptor(w2, true, 0x100000000ull, 512);
  mode::finish_header(w2, true);
  l.resize(w2.written());
  CHECK(l == bytes{0, 22, 0, 0x10, 0x01, 0, 0, 16, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02, 0x00});
}

TEST_CASE("mode_select_cdb_and_header_parsing", "[scsi][mode]") {
  const uint8_t c[10] = {0x55, 0x11, 0, 0, 0, 0, 0, 0x00, 0x18, 0};
  auto r = mode::decode_select(c);
  CHECK(r.ten);
  CHECK(r.pf);
  CHECK(r.sp);
  CHECK(r.param_len == 0x18);
  const uint8_t h[8] = {0, 0, 0, 0, 0x01, 0, 0, 16};
  auto p = mode::parse_header(h, true);
  CHECK(p.long_lba);
  CHECK(p.bd_len == 16);
}
