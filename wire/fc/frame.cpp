#include "wire/fc/frame.hpp"

#include "wire/scsi/cdb.hpp"

namespace stmfd::fc {

using scsi::get_be16;
using scsi::get_be24;
using scsi::get_be32;
using scsi::put_be16;
using scsi::put_be24;
using scsi::put_be32;

void encode(const frame_header& h, uint8_t out[header_len]) {
  out[0] = h.r_ctl;
  put_be24(out + 1, h.d_id);
  out[4] = h.cs_ctl;
  put_be24(out + 5, h.s_id);
  out[8] = h.type;
  put_be24(out + 9, h.f_ctl);
  out[12] = h.seq_id;
  out[13] = h.df_ctl;
  put_be16(out + 14, h.seq_cnt);
  put_be16(out + 16, h.ox_id);
  put_be16(out + 18, h.rx_id);
  put_be32(out + 20, h.parameter);
}

std::optional<frame_header> decode_header(const uint8_t* p, size_t len) {
  if (len < header_len) return std::nullopt;
  frame_header h;
  h.r_ctl = p[0];
  h.d_id = get_be24(p + 1);
  h.cs_ctl = p[4];
  h.s_id = get_be24(p + 5);
  h.type = p[8];
  h.f_ctl = get_be24(p + 9);
  h.seq_id = p[12];
  h.df_ctl = p[13];
  h.seq_cnt = get_be16(p + 14);
  h.ox_id = get_be16(p + 16);
  h.rx_id = get_be16(p + 18);
  h.parameter = get_be32(p + 20);
  return h;
}

std::vector<uint8_t> serialize(const frame& f) {
  if (f.payload.size() > max_payload) return {};
  size_t fill = (4 - f.payload.size() % 4) % 4;
  frame_header h = f.hdr;
  h.f_ctl = (h.f_ctl & ~f_ctl::fill_mask) | uint32_t(fill);
  std::vector<uint8_t> out(header_len + f.payload.size() + fill, 0);
  encode(h, out.data());
  std::copy(f.payload.begin(), f.payload.end(), out.begin() + header_len);
  return out;
}

std::optional<frame> parse(const uint8_t* p, size_t len) {
  auto h = decode_header(p, len);
  if (!h) return std::nullopt;
  size_t body = len - header_len;
  size_t fill = h->f_ctl & f_ctl::fill_mask;
  if (fill > body || body - fill > max_payload) return std::nullopt;
  frame f;
  f.hdr = *h;
  f.payload.assign(p + header_len, p + len - fill);
  return f;
}

}  // namespace stmfd::fc
