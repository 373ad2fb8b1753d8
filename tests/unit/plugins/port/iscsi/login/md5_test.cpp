#include "plugins/port/iscsi/login/md5.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace stmfd::iscsi::login;

namespace {

std::string hex(const md5_digest& d) {
  static const char x[] = "0123456789abcdef";
  std::string s;
  for (uint8_t b : d) {
    s += x[b >> 4];
    s += x[b & 15];
  }
  return s;
}

std::string md5_hex(const std::string& s) { return hex(md5_of(s.data(), s.size())); }

std::vector<uint8_t> pattern(size_t n) {
  std::vector<uint8_t> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = static_cast<uint8_t>(i * 7 + 3);
  return v;
}

}  // namespace

TEST_CASE("md5_rfc1321_test_suite", "[md5]") {
  CHECK(md5_hex("") == "d41d8cd98f00b204e9800998ecf8427e");
  CHECK(md5_hex("a") == "0cc175b9c0f1b6a831c399e269772661");
  CHECK(md5_hex("abc") == "900150983cd24fb0d6963f7d28e17f72");
  CHECK(md5_hex("message digest") == "f96b697d7cb7938d525a2f31aaf161d0");
  CHECK(md5_hex("abcdefghijklmnopqrstuvwxyz") == "c3fcd3d76192e4007dfb496cca67e13b");
  CHECK(md5_hex("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789") ==
        "d174ab98d277d9f5a5611c2c9f419d9f");
  CHECK(md5_hex("12345678901234567890123456789012345678901234567890123456789012345678901234567890") ==
        "57edf4a22be3c955ac49da2e2107b67a");
}

TEST_CASE("md5_padding_boundaries", "[md5]") {
  // Lengths around the 56-byte padding limit and the 64-byte block.
  const std::pair<size_t, const char*> cases[] = {
      {55, "52c0e574e1198de5fe3f8f11440dcb1b"}, {56, "46c9907fc908ee68b1e7b8e71286a518"},
      {63, "a62f6d59e837867693f042f5b8f5a236"}, {64, "7160b8fb5e9e4023d549c3971fbaeead"},
      {65, "70bd662e7aefbda85a0f7244167b7897"}, {1000, "10046f077f2082ac19676b8079f1cb1a"}};
  for (auto [n, want] : cases) {
    auto v = pattern(n);
    INFO("length " << n);
    CHECK(hex(md5_of(v.data(), v.size())) == want);
  }
}

TEST_CASE("md5_chunked_updates_match", "[md5]") {
  auto v = pattern(1000);
  for (size_t chunk : {size_t{1}, size_t{3}, size_t{63}, size_t{64}, size_t{65}, size_t{333}}) {
    md5 h;
    for (size_t off = 0; off < v.size(); off += chunk) h.update(v.data() + off, std::min(chunk, v.size() - off));
    INFO("chunk " << chunk);
    CHECK(hex(h.finish()) == "10046f077f2082ac19676b8079f1cb1a");
  }
}
