#pragma once
// Splits a fuzzer input into iSCSI PDUs the way a connection frames its byte
// stream (RFC 7143 11.2): a 48-byte BHS, TotalAHSLength words of AHS, then
// DataSegmentLength bytes padded to 4. A PDU whose segment runs past the
// input's end gets what is left (a truncated PDU is itself interesting);
// no digests (the harnesses negotiate none).
#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "wire/iscsi/pdu.hpp"

namespace stmfd::fuzz {

struct pdu_ref {
  const uint8_t* bhs = nullptr;
  const uint8_t* data = nullptr;
  uint32_t dlen = 0;
};

class pdu_stream {
 public:
  pdu_stream(const uint8_t* p, size_t n) : p_(p), n_(n) {}
  // The next PDU; false when fewer than 48 bytes are left.
  bool next(pdu_ref& out) {
    if (n_ - pos_ < iscsi::bhs_len) return false;
    iscsi::bhs_view h(p_ + pos_);
    out.bhs = p_ + pos_;
    pos_ += iscsi::bhs_len;
    pos_ += std::min<size_t>(h.ahs_bytes(), n_ - pos_);
    const size_t want = h.data_segment_length();
    out.dlen = uint32_t(std::min(want, n_ - pos_));
    out.data = p_ + pos_;
    pos_ += std::min<size_t>(iscsi::pad4(out.dlen), n_ - pos_);
    return true;
  }

 private:
  const uint8_t* p_;
  size_t n_, pos_ = 0;
};

}  // namespace stmfd::fuzz
