// Text Requests in pieces (RFC 7143 11.10.2, 11.11): each piece with C=1
// gets an empty Text Response with the same ITT and a TTT the next piece
// echoes; the piece with C=0 completes the text and the answer follows.
// C=1 with F=1, a TTT that continues nothing, and a text beyond the bound
// are refused with a Reject.
#include <string>

#include "conn_fixture.hpp"
#include "wire/iscsi/text_assembly.hpp"

using namespace stmfd;
using namespace stmfd::iscsi;
using namespace stmfd::iscsi::test;

namespace {
bytes str(const std::string& s) { return bytes(s.begin(), s.end()); }
}  // namespace

TEST_CASE("a_text_request_in_pieces_is_reassembled_and_answered", "[iscsi][conn][text]") {
  conn_fixture f;
  f.login();
  const uint32_t itt = f.ini.new_itt();
  // "SendTargets=\0X-Vendor=1\0" (in a normal session: this session's
  // target, RFC 7143 12.3) split inside a key and inside a pair.
  f.ini.text(itt, reserved_tag, str("SendTar"), false, true);
  pdu r1 = f.expect(op::text_response, itt);
  CHECK(r1.data.empty());
  CHECK((r1.flags() & 0xc0) == 0);  // F=0, C=0
  CHECK(r1.ttt() != reserved_tag);
  f.ini.text(itt, r1.ttt(), str(std::string("gets=\0X-Vendor", 14)), false, true);
  pdu r2 = f.expect(op::text_response, itt);
  CHECK(r2.data.empty());
  CHECK(r2.ttt() != reserved_tag);
  CHECK(r2.ttt() != r1.ttt());
  f.ini.text(itt, r2.ttt(), str(std::string("=1\0", 3)), true, false);
  pdu answer = f.expect(op::text_response, itt);
  CHECK((answer.flags() & 0x80) != 0);  // F=1: the whole answer
  CHECK(answer.ttt() == reserved_tag);
  std::string text(answer.data.begin(), answer.data.end());
  CHECK(text.find("TargetName=" + target_name) != std::string::npos);
  CHECK(text.find(std::string("X-Vendor=Reject\0", 16)) != std::string::npos);
}

TEST_CASE("broken_text_continuations_are_rejected", "[iscsi][conn][text]") {
  conn_fixture f;
  f.login();
  const uint32_t itt = f.ini.new_itt();
  SECTION("C=1 with F=1") {
    f.ini.text(itt, reserved_tag, str("SendTar"), true, true);
    CHECK(f.expect(op::reject).reject_reason() == reject_reason::protocol_error);
  }
  SECTION("a TTT that continues no exchange") {
    f.ini.text(itt, reserved_tag, str("SendTar"), false, true);
    pdu r = f.expect(op::text_response, itt);
    f.ini.text(itt, r.ttt() + 7, str("gets=All"), true, false);
    CHECK(f.expect(op::reject).reject_reason() == reject_reason::invalid_pdu_field);
  }
  SECTION("more pieces than the bound") {
    uint32_t ttt = reserved_tag;
    for (size_t i = 0; i < text_assembly::max_pieces; ++i) {
      f.ini.text(itt, ttt, str("X-Long=aaaa"), false, true);
      ttt = f.expect(op::text_response, itt).ttt();
    }
    f.ini.text(itt, ttt, str("aaaa"), false, true);
    CHECK(f.expect(op::reject).reject_reason() == reject_reason::protocol_error);
    // The exchange is gone: its TTT continues nothing any more.
    f.ini.text(itt, ttt, str("aaaa"), true, false);
    CHECK(f.expect(op::reject).reject_reason() == reject_reason::invalid_pdu_field);
  }
  // A new exchange works afterwards.
  const uint32_t again = f.ini.new_itt();
  f.ini.text(again, reserved_tag, str(std::string("SendTargets=\0", 13)), true, false);
  pdu answer = f.expect(op::text_response, again);
  CHECK(std::string(answer.data.begin(), answer.data.end()).find("TargetName=") != std::string::npos);
}
