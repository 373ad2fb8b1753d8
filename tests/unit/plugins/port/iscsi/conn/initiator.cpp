#include "initiator.hpp"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>

#include "wire/crc32c.hpp"

namespace stmfd::iscsi::test {

namespace {

using steady = std::chrono::steady_clock;

int left_ms(steady::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - steady::now()).count();
  return left < 0 ? 0 : int(left);
}

}  // namespace

bytes header(uint8_t opcode, bool immediate, uint8_t flags, uint32_t itt, uint32_t dlen) {
  bytes b(bhs_len, 0);
  b[0] = uint8_t(opcode | (immediate ? 0x40 : 0));
  b[1] = flags;
  put_be24(&b[5], dlen);
  put_be32(&b[16], itt);
  return b;
}

bytes with_data(bytes bhs, const bytes& data) {
  bhs.insert(bhs.end(), data.begin(), data.end());
  bhs.resize(bhs_len + pad4(uint32_t(data.size())), 0);
  return bhs;
}

bytes text_keys(const std::vector<std::pair<std::string, std::string>>& kv) {
  bytes out;
  for (auto& [k, v] : kv) {
    out.insert(out.end(), k.begin(), k.end());
    out.push_back('=');
    out.insert(out.end(), v.begin(), v.end());
    out.push_back(0);
  }
  return out;
}

bytes initiator::frame(const bytes& bhs, const bytes& data) {
  bytes out(bhs.begin(), bhs.begin() + bhs_len);
  if (digests_) {
    uint8_t d[4];
    wire::put_digest(d, wire::crc32c(out.data(), bhs_len) ^ (corrupt_header_ ? 1u : 0u));
    corrupt_header_ = false;
    out.insert(out.end(), d, d + 4);
  }
  size_t at = out.size();
  out.insert(out.end(), data.begin(), data.end());
  out.resize(at + pad4(uint32_t(data.size())), 0);
  if (digests_ && !data.empty()) {
    uint8_t d[4];
    wire::put_digest(d, wire::crc32c(out.data() + at, out.size() - at) ^ (corrupt_data_ ? 1u : 0u));
    corrupt_data_ = false;
    out.insert(out.end(), d, d + 4);
  }
  return out;
}

bool initiator::send(const bytes& b, int timeout_ms) {
  auto deadline = steady::now() + std::chrono::milliseconds(timeout_ms);
  size_t off = 0;
  while (off < b.size()) {
    ssize_t n = ::send(fd_, b.data() + off, b.size() - off, MSG_DONTWAIT | MSG_NOSIGNAL);
    if (n > 0) {
      off += size_t(n);
      continue;
    }
    if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) return false;
    pollfd p{fd_, POLLOUT, 0};
    if (::poll(&p, 1, left_ms(deadline)) <= 0) return false;
  }
  return true;
}

bool initiator::read_exact(uint8_t* p, size_t n, int timeout_ms) {
  auto deadline = steady::now() + std::chrono::milliseconds(timeout_ms);
  size_t got = 0;
  while (got < n) {
    pollfd pf{fd_, POLLIN, 0};
    if (::poll(&pf, 1, left_ms(deadline)) <= 0) return false;
    ssize_t r = ::recv(fd_, p + got, n - got, MSG_DONTWAIT);
    if (r == 0) return false;
    if (r < 0) {
      if (errno == EAGAIN || errno == EINTR) continue;
      return false;
    }
    got += size_t(r);
  }
  return true;
}

std::optional<pdu> initiator::recv(int timeout_ms) {
  pdu p;
  p.bhs.resize(bhs_len);
  if (!read_exact(p.bhs.data(), bhs_len, timeout_ms)) return std::nullopt;
  uint8_t d[4];
  if (digests_) {
    if (!read_exact(d, 4, timeout_ms + 2000)) return std::nullopt;
    if (wire::get_digest(d) != wire::crc32c(p.bhs.data(), bhs_len)) target_digests_ok_ = false;
  }
  uint32_t dlen = get_be24(&p.bhs[5]);
  if (dlen > 0) {
    p.data.resize(pad4(dlen));
    if (!read_exact(p.data.data(), p.data.size(), timeout_ms + 2000)) return std::nullopt;
    if (digests_) {
      if (!read_exact(d, 4, timeout_ms + 2000)) return std::nullopt;
      if (wire::get_digest(d) != wire::crc32c(p.data.data(), p.data.size())) target_digests_ok_ = false;
    }
    p.data.resize(dlen);
  }
  uint8_t o = p.op();
  bool has_sn = o == op::nop_in || o == op::scsi_response || o == op::login_response || o == op::data_in ||
                o == op::r2t || o == op::reject || o == 0x22 || o == 0x24 || o == 0x26 || o == 0x32;
  if (has_sn) {
    bool advances = o != op::r2t && o != 0x32 && !(o == op::nop_in && p.itt() == reserved_tag) &&
                    !(o == op::data_in && !(p.flags() & 0x01));
    if (advances) exp_stat_sn_ = p.stat_sn() + 1;
    if (o != op::login_response) {
      if (seen_window_ && sn_lt(p.max_cmd_sn(), max_cmd_sn_)) max_decreased_ = true;
      seen_window_ = true;
      max_cmd_sn_ = p.max_cmd_sn();
      exp_cmd_sn_ = p.exp_cmd_sn();
    }
  }
  return p;
}

bool initiator::closed_within(int timeout_ms) {
  auto deadline = steady::now() + std::chrono::milliseconds(timeout_ms);
  uint8_t sink[4096];
  for (;;) {
    pollfd pf{fd_, POLLIN, 0};
    if (::poll(&pf, 1, left_ms(deadline)) <= 0) return false;
    ssize_t r = ::recv(fd_, sink, sizeof sink, MSG_DONTWAIT);
    if (r == 0 || (r < 0 && errno != EAGAIN && errno != EINTR)) return true;
  }
}

std::optional<pdu> initiator::login(const std::string& target, login_options o) {
  bytes keys = text_keys({{"InitiatorName", "iqn.2026-11.org.stmfd:unit-initiator"},
                          {"SessionType", "Normal"},
                          {"TargetName", target},
                          {"HeaderDigest", o.digests ? "CRC32C" : "None"},
                          {"DataDigest", o.digests ? "CRC32C" : "None"},
                          {"ErrorRecoveryLevel", "0"},
                          {"InitialR2T", o.initial_r2t ? "Yes" : "No"},
                          {"ImmediateData", "Yes"},
                          {"MaxBurstLength", "262144"},
                          {"FirstBurstLength", "65536"},
                          {"MaxConnections", "1"},
                          {"DefaultTime2Wait", "0"},
                          {"DefaultTime2Retain", "0"},
                          {"MaxOutstandingR2T", std::to_string(o.max_outstanding_r2t)},
                          {"DataPDUInOrder", "Yes"},
                          {"DataSequenceInOrder", "Yes"},
                          {"MaxRecvDataSegmentLength", "262144"}});
  uint32_t itt = ++itt_;
  std::optional<pdu> rsp;
  std::string text;  // every answer's keys
  for (int round = 0; round < 4; ++round) {
    bytes b = header(op::login_request, true, 0x80 | (1 << 2) | 3, itt, uint32_t(keys.size()));
    const uint8_t isid[6] = {0x80, 0x12, 0x34, 0x56, 0, 1};
    std::copy(isid, isid + 6, &b[8]);
    put_be32(&b[24], cmd_sn_);
    put_be32(&b[28], exp_stat_sn_);
    if (!send(with_data(b, keys))) return std::nullopt;
    rsp = recv();
    if (!rsp || rsp->op() != op::login_response || rsp->bhs[36] != 0) return rsp;
    text.append(rsp->data.begin(), rsp->data.end());
    if ((rsp->flags() & 0x80) && (rsp->flags() & 3) == 3) {
      // Both digests as offered, if the target's answers took them, from
      // the full feature phase on (RFC 7143 13.1).
      digests_ = o.digests && text.find("HeaderDigest=CRC32C") != std::string::npos &&
                 text.find("DataDigest=CRC32C") != std::string::npos;
      exp_cmd_sn_ = rsp->exp_cmd_sn();
      max_cmd_sn_ = rsp->max_cmd_sn();
      seen_window_ = true;
      cmd_sn_ = exp_cmd_sn_;
      return rsp;
    }
    keys.clear();
  }
  return rsp;
}

uint32_t initiator::command(const uint8_t* cdb, size_t cdb_len, bool read, bool write, uint32_t edtl,
                            const bytes& immediate_data, bool immediate, bool final, std::optional<uint32_t> cmd_sn) {
  uint32_t itt = ++itt_;
  uint8_t flags = uint8_t((final ? 0x80 : 0) | (read ? 0x40 : 0) | (write ? 0x20 : 0) | 1);  // SIMPLE
  bytes b = header(op::scsi_command, immediate, flags, itt, uint32_t(immediate_data.size()));
  put_be32(&b[20], edtl);
  put_be32(&b[24], cmd_sn ? *cmd_sn : cmd_sn_);
  put_be32(&b[28], exp_stat_sn_);
  std::copy(cdb, cdb + cdb_len, &b[32]);
  if (!cmd_sn && !immediate) ++cmd_sn_;
  send(frame(b, immediate_data));
  return itt;
}

uint32_t initiator::command_with_ahs(const bytes& cdb16, const bytes& ahs) {
  uint32_t itt = ++itt_;
  bytes b = header(op::scsi_command, false, 0x81, itt, 0);  // F, SIMPLE
  b[4] = uint8_t(ahs.size() / 4);
  put_be32(&b[24], cmd_sn_++);
  put_be32(&b[28], exp_stat_sn_);
  std::copy(cdb16.begin(), cdb16.begin() + std::min<size_t>(16, cdb16.size()), &b[32]);
  b.insert(b.end(), ahs.begin(), ahs.end());
  send(b);  // (no digests here: frame() knows no AHS)
  return itt;
}

void initiator::text(uint32_t itt, uint32_t ttt, const bytes& data, bool final, bool cont) {
  bytes b =
      header(op::text_request, false, uint8_t((final ? 0x80 : 0) | (cont ? 0x40 : 0)), itt, uint32_t(data.size()));
  put_be32(&b[20], ttt);
  put_be32(&b[24], cmd_sn_++);
  put_be32(&b[28], exp_stat_sn_);
  send(frame(b, data));
}

uint32_t initiator::test_unit_ready(bool immediate, std::optional<uint32_t> cmd_sn) {
  const uint8_t cdb[6] = {};
  return command(cdb, sizeof cdb, false, false, 0, {}, immediate, true, cmd_sn);
}

uint32_t initiator::write10(uint32_t lba, uint32_t bytes_len, const bytes& immediate_data) {
  uint16_t blocks = uint16_t(bytes_len / 512);
  uint8_t cdb[10] = {0x2a,         0, uint8_t(lba >> 24),   uint8_t(lba >> 16), uint8_t(lba >> 8),
                     uint8_t(lba), 0, uint8_t(blocks >> 8), uint8_t(blocks),    0};
  return command(cdb, sizeof cdb, false, true, bytes_len, immediate_data);
}

uint32_t initiator::read10(uint32_t lba, uint32_t bytes_len) {
  uint16_t blocks = uint16_t(bytes_len / 512);
  uint8_t cdb[10] = {0x28,         0, uint8_t(lba >> 24),   uint8_t(lba >> 16), uint8_t(lba >> 8),
                     uint8_t(lba), 0, uint8_t(blocks >> 8), uint8_t(blocks),    0};
  return command(cdb, sizeof cdb, true, false, bytes_len);
}

bool initiator::data_out(uint32_t itt, uint32_t ttt, uint32_t data_sn, uint32_t offset, const bytes& data, bool final) {
  bytes b = header(op::data_out, false, final ? 0x80 : 0, itt, uint32_t(data.size()));
  put_be32(&b[20], ttt);
  put_be32(&b[28], exp_stat_sn_);
  put_be32(&b[36], data_sn);
  put_be32(&b[40], offset);
  return send(frame(b, data));
}

bool initiator::answer_r2t(const pdu& r2t, const bytes& all_data, uint32_t pdu_bytes) {
  uint32_t off = r2t.r2t_offset(), end = off + r2t.r2t_length(), sn = 0;
  while (off < end) {
    uint32_t n = std::min(pdu_bytes, end - off);
    bytes chunk(all_data.begin() + off, all_data.begin() + off + n);
    if (!data_out(r2t.itt(), r2t.ttt(), sn++, off, chunk, off + n == end)) return false;
    off += n;
  }
  return true;
}

bytes initiator::ping_pdu(uint32_t itt, const bytes& data) {
  bytes b = header(op::nop_out, true, 0x80, itt, uint32_t(data.size()));
  put_be32(&b[20], reserved_tag);
  put_be32(&b[24], cmd_sn_);
  put_be32(&b[28], exp_stat_sn_);
  return frame(b, data);
}

uint32_t initiator::ping(const bytes& data) {
  uint32_t itt = ++itt_;
  send(ping_pdu(itt, data));
  return itt;
}

}  // namespace stmfd::iscsi::test
