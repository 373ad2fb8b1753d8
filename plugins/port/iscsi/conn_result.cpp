// Sending a command's outcome (RFC 7143 11.4, 11.7): Data-In PDUs bounded by
// the initiator's MaxRecvDataSegmentLength, in sequences of MaxBurstLength,
// with GOOD status folded into the last one (phase collapse); otherwise a
// SCSI Response carrying sense. Residuals compare what the command
// transferred with the Expected Data Transfer Length (11.4.5).
#include <caf/all.hpp>

#include "plugins/port/iscsi/connection.hpp"
#include "wire/scsi/inquiry.hpp"
#include "wire/scsi/report_luns.hpp"
#include "wire/scsi/sense.hpp"

namespace stmfd::iscsi {

void connection::send_result(const result_view& r, task_ptr keep) {
  uint32_t edtl = r.expected_length;
  uint32_t moved = r.data_len;  // bytes the command itself wanted to move
  bool overflow = moved > edtl, underflow = moved < edtl;
  uint32_t residual = overflow ? moved - edtl : edtl - moved;
  bool good = r.status == scsi::status::good && r.sense_len == 0;
  uint32_t to_send = (r.read_bit && !r.data_out && r.data) ? std::min(moved, edtl) : 0;

  uint32_t data_sn = 0, offset = 0;
  uint32_t burst_left = params_.max_burst_length;
  while (offset < to_send) {
    uint32_t chunk = std::min({params_.initiator_mrdsl, to_send - offset, burst_left});
    bool last = offset + chunk == to_send;
    burst_left -= chunk;
    bool end_of_sequence = last || burst_left == 0;
    if (burst_left == 0) burst_left = params_.max_burst_length;
    build::data_in_args a;
    a.lun_field = r.lun_field;
    a.itt = r.itt;
    a.data_sn = data_sn++;
    a.buffer_offset = offset;
    a.final = end_of_sequence;
    a.status_present = last && good;
    a.status = r.status;
    a.overflow = overflow;
    a.underflow = underflow;
    a.residual = residual;
    a.sn = next_sn(a.status_present);
    uint8_t bhs[bhs_len];
    build::data_in(bhs, a);
    send_pdu(bhs, r.data + offset, chunk, keep);
    offset += chunk;
  }
  if (to_send > 0 && good) return;

  build::scsi_response_args a;
  a.itt = r.itt;
  a.status = r.status;
  a.overflow = overflow;
  a.underflow = underflow;
  a.residual = residual;
  a.exp_data_sn = data_sn;
  a.sn = next_sn(true);
  uint8_t bhs[bhs_len];
  build::scsi_response(bhs, a);
  if (r.sense_len == 0) {
    send_pdu(bhs, nullptr, 0);
    return;
  }
  // 11.4.7: the data segment is SenseLength (2 bytes) then the sense data.
  std::vector<uint8_t> seg(2 + r.sense_len);
  put_be16(seg.data(), uint16_t(r.sense_len));
  std::memcpy(seg.data() + 2, r.sense, r.sense_len);
  send_owned(bhs, std::move(seg));
}

// Commands the session answers itself: REPORT LUNS (the view lives here),
// and anything addressed to a LUN that is not in the view (SPC-4 6.6.2:
// INQUIRY reports peripheral qualifier 011b; REQUEST SENSE reports why;
// other commands get LOGICAL UNIT NOT SUPPORTED).
void connection::answer_locally(bhs_view h, uint32_t itt) {
  const uint8_t* cdb = h.cdb();
  uint32_t edtl = h.expected_data_length();
  constexpr size_t cap = 8 + 8 * 16384;  // every possible LUN
  auto ctx = pool_->acquire();
  ctx->data = io::buffer_pool::global().acquire(cap);
  if (!ctx->data) {
    send_result({itt, h.lun_field(), edtl, h.read_bit(), scsi::status::busy, nullptr, 0, nullptr, 0, false}, nullptr);
    return;
  }
  uint8_t* out = ctx->data.data;
  scsi::reply r;
  switch (cdb[0]) {
    case 0xA0: {  // REPORT LUNS (SPC-4 6.33)
      auto d = scsi::decode_report_luns(cdb, 12);
      if (d.error) {
        r.error = d.error;
        break;
      }
      std::vector<uint16_t> numbers;
      for (auto& e : luns_) numbers.push_back(uint16_t(e.lun));
      std::sort(numbers.begin(), numbers.end());
      r = scsi::build_report_luns(numbers, d.req, out, cap);
      break;
    }
    case 0x12:  // INQUIRY to a LUN with no LU
      r = scsi::build_unmapped_inquiry(cdb, 6, "STMFD", "NO LUN", "0001", out, cap);
      break;
    case 0x03:  // REQUEST SENSE
      r.length = std::min<size_t>(
          scsi::build_sense({scsi::sense::lu_not_supported(), std::nullopt, std::nullopt}, (cdb[1] & 1) != 0, out, 252),
          cdb[4]);
      break;
    default:
      r.error = scsi::sense_info{scsi::sense::lu_not_supported(), std::nullopt, std::nullopt};
      break;
  }
  if (r.error) {
    uint8_t sense[64];
    size_t n = scsi::build_sense(*r.error, false, sense, sizeof sense);
    send_result({itt, h.lun_field(), edtl, h.read_bit(), scsi::status::check_condition, sense, uint32_t(n), nullptr,
                 0, false},
                nullptr);
    return;
  }
  send_result({itt, h.lun_field(), edtl, h.read_bit(), scsi::status::good, nullptr, 0, out, uint32_t(r.length), false},
              ctx);
}

}  // namespace stmfd::iscsi
