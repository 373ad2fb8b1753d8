#pragma once
// What the framework gives the iSCSI port provider (interface version 1).
// Every field is set by the framework (STMF, from the config) before the
// provider starts; the provider never changes them.
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "plugins/port/iscsi/login/negotiator.hpp"

namespace stmfd::iscsi {

constexpr uint32_t port_interface_version = 1;

// One target as the port serves it: its login identity (its SCSI target
// port's relative identifier is the framework's, see port_start::ports).
struct target_port {
  login::target_info info;  // name, alias, TPGT, portals, CHAP
};

struct port_settings {
  login::target_limits limits;
  uint32_t cmd_window = 128;            // commands the initiator may have queued (MaxCmdSN - ExpCmdSN + 1)
  uint32_t nop_interval_s = 30;         // idle time before a target NOP-In ping, 0 = never
  uint32_t nop_timeout_s = 30;          // unanswered ping -> connection dropped
  uint32_t login_timeout_s = 15;        // login phase must finish within this
  uint32_t max_task_bytes = 16u << 20;  // largest Expected Data Transfer Length accepted
  // A write whose Data-Out makes no progress this long ends in CHECK
  // CONDITION (conn_xfer.cpp); config limits.dataOutTimeout.
  uint32_t data_out_timeout_s = 20;
  // What peers can make the port hold (config `limits`, architecture.md
  // "Resources"); the daemon-wide buffer cap lives in io::buffer_pool.
  uint32_t max_connections = 256;             // open connections, logged in or not
  uint32_t max_logging_in = 32;               // of those, still in the login phase
  uint32_t max_send_backlog = 4u << 20;       // unsent bytes per connection before receiving pauses
  uint64_t session_buffer_bytes = 64u << 20;  // data buffers one session's commands may hold
};

// An initiator record (config `initiators`, itadm create-initiator).
struct initiator_record {
  std::string name;         // its iSCSI name, compared without case
  login::chap_config chap;  // user (default: the name) and secret
};

// The directory the negotiator reads: the configured targets, the
// initiator records and whether discovery needs CHAP.
class target_directory final : public login::directory {
 public:
  explicit target_directory(std::vector<target_port> targets, std::vector<initiator_record> initiators = {},
                            bool discovery_chap = false)
      : targets_(std::move(targets)), initiators_(std::move(initiators)), discovery_chap_(discovery_chap) {}
  const login::target_info* find(std::string_view name) const override {
    for (auto& t : targets_)
      if (t.info.name == name) return &t.info;
    return nullptr;
  }
  // SendTargets: the targets that accept logins now.
  std::vector<const login::target_info*> all() const override {
    std::vector<const login::target_info*> out;
    for (auto& t : targets_)
      if (t.info.online) out.push_back(&t.info);
    return out;
  }
  const login::chap_config* initiator_chap(std::string_view initiator) const override;
  bool discovery_chap() const override { return discovery_chap_; }
  const std::vector<initiator_record>& initiators() const { return initiators_; }
  const target_port* port_of(std::string_view name) const {
    for (auto& t : targets_)
      if (t.info.name == name) return &t;
    return nullptr;
  }
  const std::vector<target_port>& targets() const { return targets_; }

 private:
  std::vector<target_port> targets_;
  std::vector<initiator_record> initiators_;
  bool discovery_chap_ = false;
};

// Immutable (but for the TSIH counter); shared by the port actor and its
// connections. A live change (itadm, offline-target) makes a new context
// for new connections; those logged in keep the one they started with.
struct port_context {
  // A constructor, not aggregate initialization: make_shared<port_context>
  // (a, b, c) needs parenthesized aggregate init (C++20 P0960), which
  // clang 14 (the fuzz build) lacks.
  port_context(target_directory d, port_settings s, std::vector<std::string> p)
      : directory(std::move(d)), settings(std::move(s)), portals(std::move(p)) {}

  target_directory directory;
  port_settings settings;
  std::vector<std::string> portals;  // unique "host:port" listen addresses

  // RFC 7143 11.13.4: a TSIH the target has not handed to a live session;
  // never 0. Sessions live far shorter than 65,535 logins take. Shared by
  // every context of the provider, so live changes never reuse one.
  uint16_t allocate_tsih() const {
    uint16_t t = next_tsih_->fetch_add(1, std::memory_order_relaxed);
    return t == 0 ? next_tsih_->fetch_add(1, std::memory_order_relaxed) : t;
  }
  std::shared_ptr<std::atomic<uint16_t>> next_tsih_ = std::make_shared<std::atomic<uint16_t>>(1);
};

}  // namespace stmfd::iscsi
