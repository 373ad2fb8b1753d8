#include "wire/fc/els.hpp"

#include "wire/fc/bytes.hpp"

namespace stmfd::fc::els {

namespace {

void put_common(appender& w, const common_params& c) {
  w.be16(c.version);
  w.be16(c.bb_credit);
  w.be16(c.features);
  w.be16(c.rx_size & 0x0FFF);
  w.be32(c.word2);
  w.be32(c.e_d_tov);
}

common_params get_common(const uint8_t* p) {
  common_params c;
  c.version = get_be16(p);
  c.bb_credit = get_be16(p + 2);
  c.features = get_be16(p + 4);
  c.rx_size = get_be16(p + 6) & 0x0FFF;
  c.word2 = get_be32(p + 8);
  c.e_d_tov = get_be32(p + 12);
  return c;
}

void put_class(appender& w, const class_params& c) {
  w.be16(c.service_options);
  w.be16(c.initiator_control);
  w.be16(c.recipient_control);
  w.be16(c.rx_size);
  w.be16(c.concurrent_sequences);
  w.be16(c.ee_credit);
  w.be16(c.open_sequences);
  w.zeros(2);
}

class_params get_class(const uint8_t* p) {
  class_params c;
  c.service_options = get_be16(p);
  c.initiator_control = get_be16(p + 2);
  c.recipient_control = get_be16(p + 4);
  c.rx_size = get_be16(p + 6);
  c.concurrent_sequences = get_be16(p + 8);
  c.ee_credit = get_be16(p + 10);
  c.open_sequences = get_be16(p + 12);
  return c;
}

}  // namespace

// FC-LS-3 Table 135: command word, common parameters (16), port name, node
// name, class 1/2/3/4 parameters (16 each), vendor version level (16).
std::vector<uint8_t> encode(const login_params& p) {
  std::vector<uint8_t> out;
  out.reserve(login_len);
  appender w{out};
  w.command(p.code);
  put_common(w, p.common);
  w.be64(p.port_name);
  w.be64(p.node_name);
  w.zeros(32);  // classes 1 and 2: not supported
  put_class(w, p.class3);
  w.zeros(32);  // class 4, vendor version level
  return out;
}

std::optional<login_params> decode_login(const uint8_t* p, size_t len) {
  if (len < login_len) return std::nullopt;
  login_params l;
  l.code = p[0];
  l.common = get_common(p + 4);
  l.port_name = get_be64(p + 20);
  l.node_name = get_be64(p + 28);
  l.class3 = get_class(p + 68);
  return l;
}

std::vector<uint8_t> encode(const prli& r) {
  std::vector<uint8_t> out;
  appender w{out};
  w.u8(r.code);
  w.u8(16);  // page length
  w.be16(uint16_t(4 + 16 * r.pages.size()));
  for (auto& pg : r.pages) {
    w.u8(pg.type);
    w.u8(pg.type_ext);
    w.u8(uint8_t((pg.flags & 0xE0) | (pg.response & 0x0F)));
    w.u8(0);
    w.be32(pg.originator_pa);
    w.be32(pg.responder_pa);
    w.be32(pg.params);
  }
  return out;
}

std::optional<prli> decode_prli(const uint8_t* p, size_t len) {
  if (len < 4 || p[1] != 16) return std::nullopt;
  size_t total = get_be16(p + 2);
  if (total < 20 || (total - 4) % 16 != 0 || total > len) return std::nullopt;
  prli r;
  r.code = p[0];
  for (size_t at = 4; at < total; at += 16) {
    prli_page pg;
    pg.type = p[at];
    pg.type_ext = p[at + 1];
    pg.flags = p[at + 2] & 0xE0;
    pg.response = p[at + 2] & 0x0F;
    pg.originator_pa = get_be32(p + at + 4);
    pg.responder_pa = get_be32(p + at + 8);
    pg.params = get_be32(p + at + 12);
    r.pages.push_back(pg);
  }
  return r;
}

std::vector<uint8_t> encode(const logo& l) {
  std::vector<uint8_t> out;
  appender w{out};
  w.command(cmd::logo);
  w.u8(0);
  w.be24(l.port_id);
  w.be64(l.port_name);
  return out;
}

std::optional<logo> decode_logo(const uint8_t* p, size_t len) {
  if (len < 16) return std::nullopt;
  return logo{get_be24(p + 5), get_be64(p + 8)};
}

std::vector<uint8_t> encode(const adisc& a) {
  std::vector<uint8_t> out;
  appender w{out};
  w.command(a.code);
  w.u8(0);
  w.be24(a.hard_address);
  w.be64(a.port_name);
  w.be64(a.node_name);
  w.u8(0);
  w.be24(a.port_id);
  return out;
}

std::optional<adisc> decode_adisc(const uint8_t* p, size_t len) {
  if (len < 28) return std::nullopt;
  return adisc{p[0], get_be24(p + 5), get_be64(p + 8), get_be64(p + 16), get_be24(p + 25)};
}

std::vector<uint8_t> encode(const rtv_accept& r) {
  std::vector<uint8_t> out;
  appender w{out};
  w.command(cmd::ls_acc);
  w.be32(r.r_a_tov);
  w.be32(r.e_d_tov);
  w.be32(r.qualifier);
  return out;
}

std::optional<rtv_accept> decode_rtv_accept(const uint8_t* p, size_t len) {
  if (len < 16) return std::nullopt;
  return rtv_accept{get_be32(p + 4), get_be32(p + 8), get_be32(p + 12)};
}

std::vector<uint8_t> encode(const rls_request& r) {
  std::vector<uint8_t> out;
  appender w{out};
  w.command(cmd::rls);
  w.u8(0);
  w.be24(r.port_id);
  return out;
}

std::optional<rls_request> decode_rls(const uint8_t* p, size_t len) {
  if (len < 8) return std::nullopt;
  return rls_request{get_be24(p + 5)};
}

std::vector<uint8_t> encode(const link_error_status& s) {
  std::vector<uint8_t> out;
  appender w{out};
  w.command(cmd::ls_acc);
  for (uint32_t v :
       {s.link_failures, s.sync_losses, s.signal_losses, s.primitive_errors, s.invalid_words, s.invalid_crcs})
    w.be32(v);
  return out;
}

std::optional<link_error_status> decode_rls_accept(const uint8_t* p, size_t len) {
  if (len < 28) return std::nullopt;
  return link_error_status{get_be32(p + 4),  get_be32(p + 8),  get_be32(p + 12),
                           get_be32(p + 16), get_be32(p + 20), get_be32(p + 24)};
}

std::optional<std::vector<uint8_t>> echo_accept(const uint8_t* p, size_t len) {
  if (len < 4) return std::nullopt;
  std::vector<uint8_t> out(p, p + len);
  out[0] = cmd::ls_acc;
  out[1] = out[2] = out[3] = 0;
  return out;
}

std::vector<uint8_t> encode(const ls_rjt& r) {
  std::vector<uint8_t> out;
  appender w{out};
  w.command(cmd::ls_rjt);
  w.u8(0);
  w.u8(r.reason);
  w.u8(r.explanation);
  w.u8(r.vendor);
  return out;
}

std::optional<ls_rjt> decode_ls_rjt(const uint8_t* p, size_t len) {
  if (len < 8 || p[0] != cmd::ls_rjt) return std::nullopt;
  return ls_rjt{p[5], p[6], p[7]};
}

std::vector<uint8_t> ls_acc() { return command_only(cmd::ls_acc); }

std::vector<uint8_t> command_only(uint8_t code) {
  std::vector<uint8_t> out;
  appender w{out};
  w.command(code);
  return out;
}

}  // namespace stmfd::fc::els
