// libFuzzer harness: Fibre Channel frames as the FC port receives them
// (FC-FS-4 9, FC-LS-3 4, FCP-4 9, FC-BB-6 7): FCoE and FIP Ethernet frames
// through the decoders the FCoE driver uses, the VN2VN machine fed every FIP
// frame, and each FC frame dispatched the way lport_actor.cpp and
// rport_fcp.cpp do: ELS requests to the link service replies, replies,
// FCP_CMND/XFER_RDY/RSP and basic link services to their decoders.
// The input is records: [kind][length, 2 bytes][bytes]; kind 0 an Ethernet
// frame (FCoE or FIP by its type), 1 a bare FC frame (header + payload),
// 2 a second of the VN2VN clock passing.
// What must hold: no crash, leak or UB; every ELS reply fits one frame;
// a login, PRLI or FCP_CMND that decodes, encoded again, decodes again.
#include <chrono>
#include <cstdint>
#include <cstdlib>

#include "plugins/port/fc/hba/vn2vn.hpp"
#include "plugins/port/fc/link_services.hpp"
#include "wire/fc/bls.hpp"
#include "wire/fc/els.hpp"
#include "wire/fc/fcoe.hpp"
#include "wire/fc/fcp.hpp"
#include "wire/fc/fip.hpp"
#include "wire/fc/fip_vn2vn.hpp"
#include "wire/fc/frame.hpp"

namespace {

using namespace stmfd;
using namespace stmfd::fc;

[[noreturn]] void bug() { std::abort(); }

void reply(const frame_header& req, const els_reply& r) {
  frame out;
  out.hdr = reply_header(req, r_ctl::els_reply, 0x010203, 0x1234);
  out.payload = r.payload;
  if (serialize(out).empty()) bug();  // every reply must fit one frame
}

void on_els(const frame& f, const local_identity& me) {
  if (f.payload.empty()) return;
  const uint8_t* p = f.payload.data();
  const size_t len = f.payload.size();
  switch (p[0]) {
    case els::cmd::flogi: reply(f.hdr, flogi_reply(me, p, len)); return;
    case els::cmd::plogi: {
      els::login_params remote;
      auto r = plogi_reply(me, p, len, remote);
      reply(f.hdr, r);
      if (r.accepted) {
        (void)remote_rx_size(remote);
        if (!els::decode_login(els::encode(remote).data(), els::encode(remote).size())) bug();
      }
      return;
    }
    case els::cmd::prli: {
      bool pair = false, confirmed = false;
      reply(f.hdr, prli_reply(p, len, pair, confirmed));
      if (auto d = els::decode_prli(p, len)) {
        auto again = els::encode(*d);
        if (!els::decode_prli(again.data(), again.size())) bug();
      }
      return;
    }
    case els::cmd::prlo: {
      bool fcp = false;
      reply(f.hdr, prlo_reply(p, len, fcp));
      return;
    }
    case els::cmd::logo: (void)els::decode_logo(p, len); return;
    case els::cmd::adisc: reply(f.hdr, adisc_reply(me, p, len)); return;
    case els::cmd::rtv: reply(f.hdr, rtv_reply()); return;
    case els::cmd::rls: reply(f.hdr, rls_reply(me, p, len)); return;
    case els::cmd::echo: reply(f.hdr, echo_reply(p, len, max_payload)); return;
    default: reply(f.hdr, unsupported_reply(p[0])); return;
  }
}

void on_frame(const uint8_t* p, size_t len, const local_identity& me) {
  auto f = parse(p, len);
  if (!f) return;
  const uint8_t* pl = f->payload.data();
  const size_t n = f->payload.size();
  switch (f->hdr.r_ctl) {
    case r_ctl::els_request: on_els(*f, me); return;
    case r_ctl::els_reply:  // answers to a PLOGI this port sent
      (void)plogi_accept(pl, n);
      (void)els::decode_ls_rjt(pl, n);
      (void)els::decode_rtv_accept(pl, n);
      (void)els::decode_rls_accept(pl, n);
      (void)els::decode_adisc(pl, n);
      (void)els::echo_accept(pl, n);
      return;
    case r_ctl::fcp_cmnd:
      if (auto c = fcp::decode_cmnd(pl, n)) {
        auto again = fcp::encode(*c);
        if (!fcp::decode_cmnd(again.data(), again.size())) bug();
      }
      return;
    case r_ctl::fcp_xfer_rdy: (void)fcp::decode_xfer_rdy(pl, n); return;
    case r_ctl::fcp_rsp: (void)fcp::decode_rsp(pl, n); return;
    case r_ctl::ba_acc: (void)bls::decode_ba_acc(pl, n); return;
    case r_ctl::ba_rjt: (void)bls::decode_ba_rjt(pl, n); return;
    default: return;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const local_identity me{0x2000000000000001ull, 0x2100000000000001ull, 0x010203, 2112};
  hba::vn2vn_config cfg;
  cfg.wwpn = me.wwpn;
  cfg.wwnn = me.wwnn;
  cfg.enode = {0x02, 0, 0, 0, 0, 1};
  cfg.fcoe_size = 2158;
  cfg.seed = 1;
  hba::vn2vn vn(cfg);
  auto now = hba::vn2vn::clock::time_point{} + std::chrono::hours(1);
  vn.start(now);
  size_t at = 0;
  while (size - at >= 3) {
    const uint8_t kind = data[at];
    const size_t n = std::min<size_t>(size_t(data[at + 1]) << 8 | data[at + 2], size - at - 3);
    const uint8_t* p = data + at + 3;
    at += 3 + n;
    if (kind % 3 == 1) {
      on_frame(p, n, me);
    } else if (kind % 3 == 2) {
      now += std::chrono::seconds(1);
      vn.tick(now);
    } else if (n >= 14 && (p[12] << 8 | p[13]) == fcoe::ethertype_fip) {
      auto m = fip::decode(p + 14, n - 14);
      if (!m) continue;
      fcoe::mac src;
      std::copy(p + 6, p + 12, src.begin());
      (void)vn.on_fip(src, *m, now);
      (void)fip::decode_vn2vn(*m);
      if (auto l = fip::decode_link_service(*m)) on_frame(l->fc.data(), l->fc.size(), me);
    } else {
      fcoe::decapsulated d;
      if (fcoe::decapsulate(p, n, d) == fcoe::error::none) on_frame(d.fc, d.fc_len, me);
    }
    (void)vn.take_output();
    (void)vn.take_lost();
  }
  return 0;
}
