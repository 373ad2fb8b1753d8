#include "plugins/port/fc/link_services.hpp"

#include <algorithm>

namespace stmfd::fc {

namespace {

els::login_params my_login(const local_identity& me) {
  els::login_params p;
  p.code = els::cmd::ls_acc;
  p.common.bb_credit = 1;
  p.common.features = els::feature::continuous_offset;
  p.common.rx_size = me.rx_size;
  p.common.word2 = 0x00FF0000 | 0x1F;  // 255 concurrent sequences; relative offset for every category
  p.common.e_d_tov = 2000;
  p.port_name = me.wwpn;
  p.node_name = me.wwnn;
  p.class3.service_options = els::class_valid | els::sequential_delivery;
  p.class3.rx_size = me.rx_size;
  p.class3.concurrent_sequences = 255;
  p.class3.open_sequences = 1;
  return p;
}

}  // namespace

els_reply reject(uint8_t reason, uint8_t explanation) {
  return {false, els::encode(els::ls_rjt{reason, explanation, 0})};
}

els_reply flogi_reply(const local_identity& me, const uint8_t* p, size_t len) {
  auto req = els::decode_login(p, len);
  if (!req) return reject(els::reason::protocol_error, els::explain::payload_length);
  if (req->port_name == 0) return reject(els::reason::logical_error, els::explain::invalid_port_name);
  auto acc = my_login(me);
  acc.common.word2 = 10000;  // FLOGI: R_A_TOV in this word
  return {true, els::encode(acc)};
}

uint16_t remote_rx_size(const els::login_params& remote) {
  uint16_t common = remote.common.rx_size;
  uint16_t c3 = remote.class3.rx_size ? remote.class3.rx_size : common;
  return std::clamp<uint16_t>(std::min(common, c3), 256, uint16_t(max_payload));
}

els_reply plogi_reply(const local_identity& me, const uint8_t* p, size_t len, els::login_params& remote) {
  auto req = els::decode_login(p, len);
  if (!req) return reject(els::reason::protocol_error, els::explain::payload_length);
  if (req->port_name == 0) return reject(els::reason::logical_error, els::explain::invalid_port_name);
  if (req->node_name == 0) return reject(els::reason::logical_error, els::explain::invalid_node_name);
  if (!req->class3.valid()) return reject(els::reason::logical_error, els::explain::service_options);
  if ((req->common.rx_size & 0x0FFF) < 256) return reject(els::reason::logical_error, els::explain::rx_size);
  remote = *req;
  return {true, els::encode(my_login(me))};
}

std::vector<uint8_t> plogi_request(const local_identity& me) {
  auto req = my_login(me);
  req.code = els::cmd::plogi;
  return els::encode(req);
}

std::optional<els::login_params> plogi_accept(const uint8_t* p, size_t len) {
  auto acc = els::decode_login(p, len);
  if (!acc || acc->code != els::cmd::ls_acc || acc->port_name == 0 || acc->node_name == 0 || !acc->class3.valid() ||
      (acc->common.rx_size & 0x0FFF) < 256)
    return std::nullopt;
  return acc;
}

namespace {

// PRLI and PRLO accepts share their form (FC-LS-3 4.3.15/16): one page
// answered for each page of the request, by `answer(request, accept)`.
template <class Answer>
els_reply answer_pages(const uint8_t* p, size_t len, Answer answer) {
  auto req = els::decode_prli(p, len);
  if (!req) return reject(els::reason::protocol_error, els::explain::payload_length);
  els::prli acc;
  acc.code = els::cmd::ls_acc;
  for (auto& pg : req->pages) {
    els::prli_page a;
    a.type = pg.type;
    a.type_ext = pg.type_ext;
    a.response = els::prli_response::precluded;  // this port serves FCP only
    if (pg.type == type::fcp) answer(pg, a);
    acc.pages.push_back(a);
  }
  return {true, els::encode(acc)};
}

}  // namespace

els_reply prli_reply(const uint8_t* p, size_t len, bool& image_pair, bool& confirmed) {
  image_pair = confirmed = false;
  return answer_pages(p, len, [&](const els::prli_page& pg, els::prli_page& a) {
    if (pg.flags & (els::page_flag::originator_pa_valid | els::page_flag::responder_pa_valid)) {
      a.response = els::prli_response::no_such_pa;  // FCP-4 6.3.2: process associators are not used
      return;
    }
    a.response = els::prli_response::executed;
    if (pg.flags & els::page_flag::image_pair) {
      image_pair = true;
      a.flags = els::page_flag::image_pair;
    }
    confirmed = (pg.params & els::fcp_param::confirmed_completion) != 0;
    // Target function; reads never wait for XFER_RDY (FCP-4 requires the
    // bit); no FCP retry (REC/SRR); confirmation allowed when asked for.
    a.params = els::fcp_param::target | els::fcp_param::read_xfer_rdy_disabled |
               (confirmed ? els::fcp_param::confirmed_completion : 0);
  });
}

els_reply prlo_reply(const uint8_t* p, size_t len, bool& fcp) {
  fcp = false;
  return answer_pages(p, len, [&](const els::prli_page&, els::prli_page& a) {
    a.response = els::prli_response::executed;
    fcp = true;
  });
}

els_reply adisc_reply(const local_identity& me, const uint8_t* p, size_t len) {
  if (!els::decode_adisc(p, len)) return reject(els::reason::protocol_error, els::explain::payload_length);
  return {true, els::encode(els::adisc{els::cmd::ls_acc, 0, me.wwpn, me.wwnn, me.port_id})};
}

els_reply rtv_reply() { return {true, els::encode(els::rtv_accept{})}; }

els_reply rls_reply(const local_identity& me, const uint8_t* p, size_t len) {
  auto req = els::decode_rls(p, len);
  if (!req) return reject(els::reason::protocol_error, els::explain::payload_length);
  if (req->port_id != me.port_id) return reject(els::reason::logical_error, els::explain::invalid_port_id);
  // The loopback link loses nothing; FCoE will report its NIC's counters.
  return {true, els::encode(els::link_error_status{})};
}

els_reply echo_reply(const uint8_t* p, size_t len, size_t max) {
  auto acc = els::echo_accept(p, len);
  if (!acc || acc->size() > max) return reject(els::reason::protocol_error, els::explain::payload_length);
  return {true, std::move(*acc)};
}

els_reply unsupported_reply(uint8_t code) {
  switch (code) {
    case els::cmd::fdisc:  // point-to-point: there is no fabric to discover
    case els::cmd::rec:    // FCP-4 error recovery is not offered (PRLI: no retry)
    case 0x06:             // ABTX
    case 0x0B:             // RCS
    case 0x0D:             // RES
    case 0x14:             // SRR
    case 0x50:             // PDISC
    case 0x62:             // SCR
      return reject(els::reason::not_supported, els::explain::not_supported);
    default: return reject(els::reason::invalid_command, els::explain::none);
  }
}

frame_header reply_header(const frame_header& req, uint8_t r_ctl, uint32_t my_id, uint16_t rx_id) {
  frame_header h;
  h.r_ctl = r_ctl;
  h.d_id = req.s_id;
  h.s_id = my_id;
  h.type = req.type;
  h.f_ctl = f_ctl::exchange_responder | f_ctl::last_sequence | f_ctl::end_sequence | f_ctl::sequence_initiative;
  h.seq_id = uint8_t(req.seq_id + 1);
  h.ox_id = req.ox_id;
  h.rx_id = rx_id;
  return h;
}

}  // namespace stmfd::fc
