// Text Request reassembly (RFC 7143 11.10.2): pieces with C=1 are kept
// until one with C=0 completes the text, within a bound.
#include <catch2/catch.hpp>

#include <string>

#include "wire/iscsi/text_assembly.hpp"

using namespace stmfd::iscsi;

namespace {
text_assembly::step add(text_assembly& t, const std::string& s, bool cont) {
  return t.add(reinterpret_cast<const uint8_t*>(s.data()), s.size(), cont);
}
std::string text_of(const text_assembly& t) { return std::string(t.text().begin(), t.text().end()); }
}  // namespace

TEST_CASE("a_single_piece_is_complete_at_once", "[text]") {
  text_assembly t;
  CHECK(add(t, std::string("SendTargets=All\0", 16), false) == text_assembly::step::complete);
  CHECK_FALSE(t.open());
  CHECK(text_of(t) == std::string("SendTargets=All\0", 16));
}

TEST_CASE("continued_pieces_join_even_inside_a_pair", "[text]") {
  text_assembly t;
  CHECK(add(t, "SendTar", true) == text_assembly::step::more);
  CHECK(t.open());
  CHECK(add(t, "gets=A", true) == text_assembly::step::more);
  CHECK(add(t, std::string("ll\0", 3), false) == text_assembly::step::complete);
  CHECK_FALSE(t.open());
  CHECK(text_of(t) == std::string("SendTargets=All\0", 16));
  // The next text starts afresh.
  CHECK(add(t, "X=1", false) == text_assembly::step::complete);
  CHECK(text_of(t) == "X=1");
}

TEST_CASE("too_many_pieces_or_bytes_end_the_text", "[text][bounds]") {
  text_assembly t;
  SECTION("pieces") {
    for (size_t i = 0; i + 1 < text_assembly::max_pieces; ++i) CHECK(add(t, "a", true) == text_assembly::step::more);
    CHECK(add(t, "a", true) == text_assembly::step::more);  // the 8th is still taken
    CHECK(add(t, "a", false) == text_assembly::step::too_long);
  }
  SECTION("bytes") {
    std::string half(text_assembly::max_bytes / 2, 'x');
    CHECK(add(t, half, true) == text_assembly::step::more);
    CHECK(add(t, half, true) == text_assembly::step::more);
    CHECK(add(t, "y", false) == text_assembly::step::too_long);
  }
  CHECK_FALSE(t.open());
  CHECK(t.text().empty());
  CHECK(add(t, "X=1", false) == text_assembly::step::complete);  // usable again
}
