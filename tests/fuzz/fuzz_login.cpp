// libFuzzer harness: the iSCSI login phase and full-feature text
// negotiation (RFC 7143 6, 11.10, 11.12, 13) without a socket. The input is
// a stream of PDUs (pdu_stream.hpp); Login Requests go to one negotiator
// exactly as conn_login.cpp hands them over, until it completes or closes;
// then each Text Request's data is parsed and SendTargets answered as
// conn_control.cpp does. Two targets: one open, one behind CHAP (one-way
// and mutual secrets), so the security stage is reached.
// What must hold: no crash, leak or UB; a response never both completes and
// closes; a response's text always parses back (we only emit valid text).
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "plugins/port/iscsi/login/negotiator.hpp"
#include "plugins/port/iscsi/login/request.hpp"
#include "plugins/port/iscsi/login/send_targets.hpp"
#include "tests/fuzz/pdu_stream.hpp"
#include "wire/iscsi/text_keys.hpp"

namespace {

using namespace stmfd;
using namespace stmfd::iscsi::login;

struct two_targets final : directory {
  std::vector<target_info> targets;
  two_targets() {
    target_info open;
    open.name = "iqn.2026-11.org.stmfd:open";
    open.alias = "open";
    open.portals = {"127.0.0.1:3260", "[::1]:3260"};
    target_info chap;
    chap.name = "iqn.2026-11.org.stmfd:chap";
    chap.tpgt = 2;
    chap.portals = {"10.0.0.1:3260"};
    chap.chap = {"user", "secret123456", "target", "mutual123456"};
    targets = {open, chap};
  }
  const target_info* find(std::string_view name) const override {
    for (const auto& t : targets)
      if (t.name == name) return &t;
    return nullptr;
  }
  std::vector<const target_info*> all() const override { return {&targets[0], &targets[1]}; }
};

void check_text(const std::vector<uint8_t>& text) {
  if (!iscsi::parse_text(text.data(), text.size()).ok) std::abort();  // we must only emit valid text
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const two_targets dir;
  static const target_limits limits;
  negotiator n(dir, limits);
  fuzz::pdu_stream s(data, size);
  fuzz::pdu_ref pdu;
  bool full_feature = false;
  while (s.next(pdu)) {
    iscsi::bhs_view h(pdu.bhs);
    if (!full_feature) {
      if (h.op() != iscsi::opcode::login_request) return 0;  // the connection closes
      login_response r = n.on_request(decode_request(h, pdu.data, pdu.dlen));
      if (r.complete && r.close) std::abort();
      if (!r.close) check_text(r.data);
      if (r.close || r.status_class != 0) return 0;
      full_feature = r.complete;
    } else if (h.op() == iscsi::opcode::text_request) {
      auto parsed = iscsi::parse_text(pdu.data, pdu.dlen);
      if (!parsed.ok) continue;  // Reject
      const auto& p = n.params();
      for (const auto& kv : parsed.pairs)
        if (kv.key == "SendTargets") check_text(send_targets(dir, kv.value, p.discovery ? nullptr : &p.target_name));
    }
  }
  return 0;
}
