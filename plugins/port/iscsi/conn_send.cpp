// The send path of a connection: PDUs queue in order and go out in batches
// of one sendv each, one batch in flight at a time, so PDUs never interleave
// and many small responses share one system call. Every queued byte counts
// in the send backlog (tx_bytes_) until the kernel took it; past
// limits.maxSendBacklog the receive side pauses (connection.cpp), and no
// queued PDU is ever dropped.
#include <caf/all.hpp>

#include "actors/common/log.hpp"
#include "plugins/port/iscsi/connection.hpp"
#include "wire/crc32c.hpp"

namespace stmfd::iscsi {

namespace {
constexpr uint64_t cookie_send = 2;
constexpr size_t max_batch_pdus = 16;  // 4 iovecs each fit ring::max_iov
}  // namespace

sn_fields connection::next_sn(bool advance_stat_sn) {
  sn_fields sn;
  sn.stat_sn = advance_stat_sn ? stat_sn_++ : stat_sn_;
  sn.exp_cmd_sn = exp_cmd_sn_;
  if (phase_ == phase::full_feature) open_window();  // login: set per request (conn_login.cpp)
  sn.max_cmd_sn = max_cmd_sn_;
  return sn;
}

void connection::send_pdu(const uint8_t* bhs, const uint8_t* data, uint32_t len, task_ptr keep) {
  if (phase_ == phase::closing) return;
  out_pdu& o = queue_pdu(bhs, data, len);
  o.keep = std::move(keep);
  flush_sends();
}

void connection::send_owned(const uint8_t* bhs, std::vector<uint8_t> data) {
  if (phase_ == phase::closing) return;
  // The PDU owns the bytes before anything can hand it to the ring (the
  // vector's heap block does not move when the out_pdu moves).
  const uint8_t* p = data.data();
  out_pdu& o = queue_pdu(bhs, p, uint32_t(data.size()));
  o.owned = std::move(data);
  flush_sends();
}

void connection::send_pooled(const uint8_t* bhs, io::buffer data, uint32_t len) {
  if (phase_ == phase::closing) {
    io::buffer_pool::global().release(data);
    return;
  }
  out_pdu& o = queue_pdu(bhs, data.data, len);
  o.pooled.b = data;
  flush_sends();
}

// Appends one PDU (header digest, padding and data digest computed now) to
// the send queue without starting a send.
connection::out_pdu& connection::queue_pdu(const uint8_t* bhs, const uint8_t* data, uint32_t len) {
  out_pdu& o = tx_queue_.emplace_back();
  std::memcpy(o.hdr, bhs, bhs_len);
  build::set_data_length(o.hdr, len);
  bool ffp = phase_ == phase::full_feature;
  if (ffp && params_.header_digest) {
    wire::put_digest(o.hdr + bhs_len, wire::crc32c(o.hdr, bhs_len));
    o.hdr_len = bhs_len + 4;
  }
  o.data = data;
  o.len = len;
  uint32_t pad = pad4(len) - len;
  std::memset(o.trailer, 0, sizeof o.trailer);
  o.trailer_len = pad;
  if (ffp && params_.data_digest && len > 0) {
    uint32_t st = wire::crc32c_update(wire::crc32c_init, data, len);
    st = wire::crc32c_update(st, o.trailer, pad);
    wire::put_digest(o.trailer + pad, wire::crc32c_final(st));
    o.trailer_len = pad + 4;
  }
  tx_bytes_ += o.bytes();
  return o;
}

void connection::flush_sends() {
  if (tx_posted_ || tx_queue_.empty()) return;
  tx_inflight_.clear();
  while (!tx_queue_.empty() && tx_inflight_.size() < max_batch_pdus) {
    tx_inflight_.push_back(std::move(tx_queue_.front()));
    tx_queue_.pop_front();
  }
  tx_iov_.clear();
  for (auto& o : tx_inflight_) {
    tx_iov_.push_back({o.hdr, o.hdr_len});
    if (o.len) tx_iov_.push_back({const_cast<uint8_t*>(o.data), o.len});
    if (o.trailer_len) tx_iov_.push_back({o.trailer, o.trailer_len});
  }
  tx_posted_ = true;
  ring_->sendv(fd_, tx_iov_.data(), unsigned(tx_iov_.size()), caf::actor_cast<caf::actor>(this), cookie_send);
}

void connection::on_sent(int32_t result) {
  tx_posted_ = false;
  for (auto& o : tx_inflight_) tx_bytes_ -= o.bytes();
  tx_inflight_.clear();  // drops data buffers and task handles
  if (phase_ == phase::closing) {
    if (!rx_posted_) quit();
    return;
  }
  if (result < 0) {
    close("send error");
    return;
  }
  if (tx_queue_.empty() && close_after_send_) {
    close("logout complete");
    return;
  }
  flush_sends();
  if (!receive_paused()) {  // the backlog may have drained below its limit: read on
    parse_input();
    post_recv();
  }
}

}  // namespace stmfd::iscsi
