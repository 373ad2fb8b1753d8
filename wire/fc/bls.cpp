#include "wire/fc/bls.hpp"

#include "wire/fc/bytes.hpp"

namespace stmfd::fc::bls {

std::vector<uint8_t> encode(const ba_acc& a) {
  std::vector<uint8_t> out;
  appender w{out};
  w.u8(a.seq_id_valid ? 0x80 : 0x00);
  w.u8(a.seq_id);
  w.zeros(2);
  w.be16(a.ox_id);
  w.be16(a.rx_id);
  w.be16(a.low_seq_cnt);
  w.be16(a.high_seq_cnt);
  return out;
}

std::optional<ba_acc> decode_ba_acc(const uint8_t* p, size_t len) {
  if (len < 12) return std::nullopt;
  return ba_acc{(p[0] & 0x80) != 0, p[1], get_be16(p + 4), get_be16(p + 6), get_be16(p + 8), get_be16(p + 10)};
}

std::vector<uint8_t> encode(const ba_rjt& r) { return {0, r.reason, r.explanation, r.vendor}; }

std::optional<ba_rjt> decode_ba_rjt(const uint8_t* p, size_t len) {
  if (len < 4) return std::nullopt;
  return ba_rjt{p[1], p[2], p[3]};
}

}  // namespace stmfd::fc::bls
