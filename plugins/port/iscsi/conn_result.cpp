// Sending a command's outcome (RFC 7143 11.4, 11.7): Data-In PDUs bounded by
// the initiator's MaxRecvDataSegmentLength, in sequences of MaxBurstLength,
// with GOOD status folded into the last one (phase collapse); otherwise a
// SCSI Response carrying sense. Residuals compare what the command
// transferred with the Expected Data Transfer Length (11.4.5).
#include <caf/all.hpp>

#include "plugins/port/iscsi/connection.hpp"
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

// Commands the framework's session layer answers for every port (REPORT
// LUNS, and anything addressed to a LUN with no LU in this nexus's view).
void connection::answer_by_framework(bhs_view h, uint32_t itt) {
  task_ptr ctx = session_.new_task();
  auto t = ctx->task;
  t.setTaskTag(itt);
  t.setCdb(capnp::Data::Reader(h.cdb(), 16));
  t.setExpectedLength(h.expected_data_length());
  session_.answer(*ctx, h.lun_field_bytes());
  auto sense = t.getSense();
  uint32_t len = t.getDataInLength();
  send_result({itt, h.lun_field(), h.expected_data_length(), h.read_bit(), t.getStatus(), sense.begin(),
               uint32_t(sense.size()), len ? ctx->data.data : nullptr, len, false},
              ctx);
}

}  // namespace stmfd::iscsi
