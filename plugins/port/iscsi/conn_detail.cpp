// The framework's session details of one iSCSI session
// (actors/contracts/session_detail.hpp): its identity, connection and the
// operational keys its login negotiated (RFC 7143 13), read on the
// connection's own actor when STMF asks.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cstdio>

#include "plugins/port/iscsi/connection.hpp"

namespace stmfd::iscsi {

std::string socket_address(int fd, bool local) {
  sockaddr_storage ss{};
  socklen_t len = sizeof ss;
  int rc = local ? getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &len)
                 : getpeername(fd, reinterpret_cast<sockaddr*>(&ss), &len);
  if (rc != 0) return "?";
  char host[INET6_ADDRSTRLEN] = {};
  uint16_t port = 0;
  bool v6 = ss.ss_family == AF_INET6;
  if (v6) {
    auto* a = reinterpret_cast<sockaddr_in6*>(&ss);
    inet_ntop(AF_INET6, &a->sin6_addr, host, sizeof host);
    port = ntohs(a->sin6_port);
  } else {
    auto* a = reinterpret_cast<sockaddr_in*>(&ss);
    inet_ntop(AF_INET, &a->sin_addr, host, sizeof host);
    port = ntohs(a->sin_port);
  }
  // snprintf rather than string concatenation: GCC 12 warns falsely (-Wrestrict) on the latter.
  char out[INET6_ADDRSTRLEN + 16];
  std::snprintf(out, sizeof out, v6 ? "[%s]:%u" : "%s:%u", host, unsigned(port));
  return out;
}

std::string isid_hex(const uint8_t* isid) {
  static constexpr char hex[] = "0123456789abcdef";
  std::string s;
  for (int i = 0; i < 6; ++i) s += hex[isid[i] >> 4], s += hex[isid[i] & 0xF];
  return s;
}

session_detail connection::detail() const {
  session_detail d;
  d.session_id = "isid=" + isid_hex(isid_) + ",tsih=" + std::to_string(tsih_);
  if (auto* t = port_->directory.find(params_.target_name)) d.tpgt = t->tag_for(portal_);
  d.connections.push_back({cid_, socket_address(fd_, true), peer_});
  d.login_time_ns = login_time_ns_;
  auto yes_no = [](bool b) { return std::string(b ? "Yes" : "No"); };
  auto digest = [](bool b) { return std::string(b ? "CRC32C" : "None"); };
  auto& p = params_;
  d.parameters = {
      {"HeaderDigest", digest(p.header_digest)},
      {"DataDigest", digest(p.data_digest)},
      // RFC 7143 13.12: each side declares what it receives. The
      // initiator's is what this target may send; ours what it may send.
      {"MaxRecvDataSegmentLength", std::to_string(p.initiator_mrdsl)},
      {"TargetMaxRecvDataSegmentLength", std::to_string(p.target_mrdsl)},
      {"MaxBurstLength", std::to_string(p.max_burst_length)},
      {"FirstBurstLength", std::to_string(p.first_burst_length)},
      {"ImmediateData", yes_no(p.immediate_data)},
      {"InitialR2T", yes_no(p.initial_r2t)},
      {"MaxOutstandingR2T", std::to_string(p.max_outstanding_r2t)},
      {"ErrorRecoveryLevel", std::to_string(p.error_recovery_level)},
      {"DataPDUInOrder", yes_no(p.data_pdu_in_order)},
      {"DataSequenceInOrder", yes_no(p.data_sequence_in_order)},
      {"DefaultTime2Wait", std::to_string(p.default_time2wait)},
      {"DefaultTime2Retain", std::to_string(p.default_time2retain)},
      {"MaxConnections", std::to_string(p.max_connections)},
  };
  if (!p.initiator_alias.empty()) d.parameters.push_back({"InitiatorAlias", p.initiator_alias});
  return d;
}

}  // namespace stmfd::iscsi
