#pragma once
// Extended link service payloads (FC-LS-3 4): command codes, the login
// service parameters of FLOGI/PLOGI and their LS_ACC (common and class-3
// parameters), PRLI/PRLO service parameter pages with FCP's parameters
// (FCP-4 6.3), LOGO, ADISC, RTV, RLS, ECHO and LS_RJT. Pure: decoders check
// lengths and return nullopt for truncated or inconsistent payloads.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

namespace stmfd::fc::els {

// ELS command codes (FC-LS-3 4.2, the first byte of the payload).
namespace cmd {
constexpr uint8_t ls_rjt = 0x01;
constexpr uint8_t ls_acc = 0x02;
constexpr uint8_t plogi = 0x03;
constexpr uint8_t flogi = 0x04;
constexpr uint8_t logo = 0x05;
constexpr uint8_t rtv = 0x0E;
constexpr uint8_t rls = 0x0F;
constexpr uint8_t echo = 0x10;
constexpr uint8_t rrq = 0x12;
constexpr uint8_t rec = 0x13;
constexpr uint8_t prli = 0x20;
constexpr uint8_t prlo = 0x21;
constexpr uint8_t fdisc = 0x51;
constexpr uint8_t adisc = 0x52;
}  // namespace cmd

// LS_RJT reason codes (FC-LS-3 4.3.2, Table 13).
namespace reason {
constexpr uint8_t invalid_command = 0x01;
constexpr uint8_t logical_error = 0x03;
constexpr uint8_t logical_busy = 0x05;
constexpr uint8_t protocol_error = 0x07;
constexpr uint8_t unable = 0x09;  // unable to perform command request
constexpr uint8_t not_supported = 0x0B;
constexpr uint8_t in_progress = 0x0E;
}  // namespace reason

// LS_RJT reason code explanations (FC-LS-3 Table 14), the ones used here.
namespace explain {
constexpr uint8_t none = 0x00;
constexpr uint8_t service_options = 0x01;  // service parameter error: options (class 3 not offered)
constexpr uint8_t rx_size = 0x07;          // service parameter error: receive data field size
constexpr uint8_t invalid_port_name = 0x0D;
constexpr uint8_t invalid_node_name = 0x0E;
constexpr uint8_t invalid_common_params = 0x0F;
constexpr uint8_t invalid_ox_rx = 0x17;
constexpr uint8_t payload_length = 0x1D;  // invalid payload length
constexpr uint8_t login_required = 0x1E;  // N_Port login required
constexpr uint8_t invalid_port_id = 0x1F;
constexpr uint8_t insufficient_resources = 0x29;
constexpr uint8_t not_supported = 0x2C;  // request not supported
}  // namespace explain

// Common service parameter features (FC-LS-3 6.6.2, word 1 bits 31-16).
namespace feature {
constexpr uint16_t continuous_offset = 0x8000;  // PLOGI: continuously increasing relative offset
constexpr uint16_t random_offset = 0x4000;
constexpr uint16_t vendor_version = 0x2000;
constexpr uint16_t f_port = 0x1000;  // the sender is an F_Port (0: an N_Port, point-to-point)
constexpr uint16_t ed_tov_ns = 0x0400;
}  // namespace feature

constexpr uint16_t class_valid = 0x8000;  // class service options: the class is supported
constexpr uint16_t sequential_delivery = 0x0800;

struct common_params {
  uint16_t version = 0x2020;  // highest/lowest FC-PH version
  uint16_t bb_credit = 0;
  uint16_t features = 0;
  uint16_t rx_size = 2112;  // receive data field size (12 bits)
  uint32_t word2 = 0;       // PLOGI: total concurrent sequences, relative offset by category; FLOGI: R_A_TOV
  uint32_t e_d_tov = 2000;  // ms
  bool operator==(const common_params&) const = default;
};

struct class_params {
  uint16_t service_options = 0;  // class_valid, sequential_delivery
  uint16_t initiator_control = 0;
  uint16_t recipient_control = 0;
  uint16_t rx_size = 0;
  uint16_t concurrent_sequences = 0;
  uint16_t ee_credit = 0;
  uint16_t open_sequences = 0;  // per exchange
  bool valid() const { return (service_options & class_valid) != 0; }
  bool operator==(const class_params&) const = default;
};

// FLOGI, PLOGI, FDISC and their LS_ACC (FC-LS-3 4.3.7, 4.3.11): 116 bytes.
constexpr size_t login_len = 116;
struct login_params {
  uint8_t code = cmd::plogi;
  common_params common;
  uint64_t port_name = 0;
  uint64_t node_name = 0;
  class_params class3;
  bool operator==(const login_params&) const = default;
};
std::vector<uint8_t> encode(const login_params& p);
std::optional<login_params> decode_login(const uint8_t* p, size_t len);

// PRLI/PRLO service parameter page (FC-LS-3 4.3.15, FCP-4 6.3).
namespace page_flag {
constexpr uint8_t originator_pa_valid = 0x80;
constexpr uint8_t responder_pa_valid = 0x40;
constexpr uint8_t image_pair = 0x20;  // request: establish; accept: established
}  // namespace page_flag
// Accept response codes (FC-LS-3 Table 112, low nibble of byte 2).
namespace prli_response {
constexpr uint8_t executed = 1;
constexpr uint8_t no_resources = 2;
constexpr uint8_t not_initialized = 3;
constexpr uint8_t no_such_pa = 4;
constexpr uint8_t precluded = 5;  // the configuration precludes it (a TYPE this port does not serve)
constexpr uint8_t invalid_params = 8;
}  // namespace prli_response
// FCP service parameters (FCP-4 Table 7, word 3 of an FCP page).
namespace fcp_param {
constexpr uint32_t task_retry_id = 0x0200;
constexpr uint32_t retry = 0x0100;
constexpr uint32_t confirmed_completion = 0x0080;
constexpr uint32_t data_overlay = 0x0040;
constexpr uint32_t initiator = 0x0020;
constexpr uint32_t target = 0x0010;
constexpr uint32_t read_xfer_rdy_disabled = 0x0002;
constexpr uint32_t write_xfer_rdy_disabled = 0x0001;
}  // namespace fcp_param

struct prli_page {
  uint8_t type = 0x08;  // FC-4 TYPE: 08h FCP
  uint8_t type_ext = 0;
  uint8_t flags = 0;     // page_flag bits
  uint8_t response = 0;  // accept only: prli_response
  uint32_t originator_pa = 0, responder_pa = 0;
  uint32_t params = 0;  // fcp_param bits (PRLO: reserved)
  bool operator==(const prli_page&) const = default;
};
struct prli {
  uint8_t code = cmd::prli;  // PRLI, PRLO or LS_ACC
  std::vector<prli_page> pages;
  bool operator==(const prli&) const = default;
};
std::vector<uint8_t> encode(const prli& p);
// Page length must be 16 and the payload length a whole number of pages
// (at least one) that fits in what was received.
std::optional<prli> decode_prli(const uint8_t* p, size_t len);

// LOGO (FC-LS-3 4.3.8): 16 bytes.
struct logo {
  uint32_t port_id = 0;
  uint64_t port_name = 0;
  bool operator==(const logo&) const = default;
};
std::vector<uint8_t> encode(const logo& l);
std::optional<logo> decode_logo(const uint8_t* p, size_t len);

// ADISC and its LS_ACC (FC-LS-3 4.3.2): 28 bytes.
struct adisc {
  uint8_t code = cmd::adisc;
  uint32_t hard_address = 0;
  uint64_t port_name = 0, node_name = 0;
  uint32_t port_id = 0;
  bool operator==(const adisc&) const = default;
};
std::vector<uint8_t> encode(const adisc& a);
std::optional<adisc> decode_adisc(const uint8_t* p, size_t len);

// RTV LS_ACC (FC-LS-3 4.3.21): R_A_TOV, E_D_TOV, timeout qualifier.
struct rtv_accept {
  uint32_t r_a_tov = 10000, e_d_tov = 2000;
  uint32_t qualifier = 0;
  bool operator==(const rtv_accept&) const = default;
};
std::vector<uint8_t> encode(const rtv_accept& r);
std::optional<rtv_accept> decode_rtv_accept(const uint8_t* p, size_t len);

// RLS request (port identifier) and its LS_ACC with the link error status
// block (FC-LS-3 4.3.19, FC-FS-4 Table 37).
struct rls_request {
  uint32_t port_id = 0;
};
std::optional<rls_request> decode_rls(const uint8_t* p, size_t len);
std::vector<uint8_t> encode(const rls_request& r);
struct link_error_status {
  uint32_t link_failures = 0, sync_losses = 0, signal_losses = 0;
  uint32_t primitive_errors = 0, invalid_words = 0, invalid_crcs = 0;
  bool operator==(const link_error_status&) const = default;
};
std::vector<uint8_t> encode(const link_error_status& s);  // the LS_ACC
std::optional<link_error_status> decode_rls_accept(const uint8_t* p, size_t len);

// ECHO (FC-LS-3 4.3.6): the LS_ACC returns the request's bytes after the
// command word; nullopt for a payload shorter than the command word.
std::optional<std::vector<uint8_t>> echo_accept(const uint8_t* p, size_t len);

// LS_RJT (FC-LS-3 4.3.2): 8 bytes.
struct ls_rjt {
  uint8_t reason = reason::unable;
  uint8_t explanation = explain::none;
  uint8_t vendor = 0;
  bool operator==(const ls_rjt&) const = default;
};
std::vector<uint8_t> encode(const ls_rjt& r);
std::optional<ls_rjt> decode_ls_rjt(const uint8_t* p, size_t len);

// A bare LS_ACC (4 bytes: LOGO, PRLO-less replies).
std::vector<uint8_t> ls_acc();
// A bare request of one command word (RTV, or a test's unknown ELS).
std::vector<uint8_t> command_only(uint8_t code);

}  // namespace stmfd::fc::els
