#include "plugins/port/iscsi/login/operational.hpp"

#include <algorithm>
#include <string_view>

#include "plugins/port/iscsi/login/values.hpp"

namespace stmfd::iscsi::login {
namespace {

enum class rule : uint8_t {
  digest_list,      // CRC32C | None, first offered we support (13.1)
  task_reporting,   // we implement RFC3720 reporting only (13.23)
  num_min,          // result function Minimum
  num_max,          // result function Maximum
  bool_and,         // result function AND
  bool_or,          // result function OR
  initiator_mrdsl,  // declarative number: the initiator's receive limit (13.12)
  silent,           // declarative we take note of without answering
  reject,           // answered with Reject
};

constexpr uint32_t max_24 = (1u << 24) - 1;

struct key_row {
  std::string_view name;
  rule kind;
  uint32_t lo = 0, hi = 0;                  // legal range of a numeric offer
  bool irrelevant_in_discovery = false;     // "Irrelevant when: SessionType=Discovery"
  uint32_t session_params::*num = nullptr;  // negotiated numeric field
  bool session_params::*flag = nullptr;     // negotiated boolean field
  uint32_t fixed = 0;                       // our value when there is no field
};

using sp = session_params;

// RFC 7143 section 13, plus keys of neighbouring RFCs an initiator may offer.
constexpr key_row keys[] = {
    {"HeaderDigest", rule::digest_list, 0, 0, false, nullptr, &sp::header_digest},
    {"DataDigest", rule::digest_list, 0, 0, false, nullptr, &sp::data_digest},
    {"MaxConnections", rule::num_min, 1, 65535, true, &sp::max_connections},
    {"InitialR2T", rule::bool_or, 0, 0, true, nullptr, &sp::initial_r2t},
    {"ImmediateData", rule::bool_and, 0, 0, true, nullptr, &sp::immediate_data},
    {"MaxRecvDataSegmentLength", rule::initiator_mrdsl, 512, max_24},
    {"MaxBurstLength", rule::num_min, 512, max_24, true, &sp::max_burst_length},
    {"FirstBurstLength", rule::num_min, 512, max_24, true, &sp::first_burst_length},
    {"DefaultTime2Wait", rule::num_max, 0, 3600, false, &sp::default_time2wait},
    {"DefaultTime2Retain", rule::num_min, 0, 3600, false, &sp::default_time2retain},
    {"MaxOutstandingR2T", rule::num_min, 1, 65535, true, &sp::max_outstanding_r2t},
    {"DataPDUInOrder", rule::bool_or, 0, 0, true, nullptr, &sp::data_pdu_in_order},
    {"DataSequenceInOrder", rule::bool_or, 0, 0, true, nullptr, &sp::data_sequence_in_order},
    {"ErrorRecoveryLevel", rule::num_min, 0, 2, false, &sp::error_recovery_level},
    {"TaskReporting", rule::task_reporting, 0, 0, true},
    // RFC 7144 2.1: we implement RFC 7143, protocol level 1.
    {"iSCSIProtocolLevel", rule::num_min, 0, 31, false, nullptr, nullptr, 1},
    // RFC 7143 13.25: obsolete markers. IFMarker/OFMarker may be answered No
    // (kept for RFC 3720 initiators); the intervals MUST be answered Reject.
    {"IFMarker", rule::bool_and, 0, 0, false, nullptr, nullptr, 0},
    {"OFMarker", rule::bool_and, 0, 0, false, nullptr, nullptr, 0},
    {"IFMarkInt", rule::reject},
    {"OFMarkInt", rule::reject},
    // RFC 7145 (iSER): we are a TCP target.
    {"RDMAExtensions", rule::bool_and, 0, 0, false, nullptr, nullptr, 0},
    // RFC 7143 13.26: informational declaration.
    {"X#NodeArchitecture", rule::silent},
    // Target-declared keys are not the initiator's to send; ignored.
    {"TargetAlias", rule::silent},
    {"TargetAddress", rule::silent},
    {"TargetPortalGroupTag", rule::silent},
    // Full feature phase only (RFC 7143 13.3).
    {"SendTargets", rule::reject},
};

const key_row* find_row(std::string_view name) {
  for (const key_row& r : keys)
    if (r.name == name) return &r;
  return nullptr;
}

uint32_t clamp(uint32_t v, uint32_t lo, uint32_t hi) { return std::min(std::max(v, lo), hi); }

}  // namespace

operational_negotiator::operational_negotiator(const target_limits& limits, session_params& params) : params_(params) {
  ours_.max_burst_length = clamp(limits.max_burst_length, 512, max_24);
  ours_.first_burst_length = clamp(limits.first_burst_length, 512, ours_.max_burst_length);
  ours_.immediate_data = limits.immediate_data;
  ours_.initial_r2t = limits.initial_r2t;
  ours_.max_outstanding_r2t = clamp(limits.max_outstanding_r2t, 1, 65535);
  ours_.default_time2wait = clamp(limits.default_time2wait, 0, 3600);
  ours_.default_time2retain = clamp(limits.default_time2retain, 0, 3600);
  ours_.error_recovery_level = 0;
  ours_.max_connections = 1;
  ours_.data_pdu_in_order = true;  // OR with Yes: in-order data is all we handle
  ours_.data_sequence_in_order = true;
  our_mrdsl_ = clamp(limits.max_recv_data_segment_length, 512, max_24);
}

uint16_t operational_negotiator::on_key(const text_pair& kv, bool discovery, std::vector<text_pair>& out) {
  const key_row* row = find_row(kv.key);
  if (!row) {
    out.push_back({kv.key, "NotUnderstood"});
    return status::success;
  }
  auto answer = [&](std::string v) { out.push_back({kv.key, std::move(v)}); };

  switch (row->kind) {
    case rule::silent: return status::success;
    case rule::reject: answer("Reject"); return status::success;
    case rule::initiator_mrdsl: {
      // Declarative: no answer; an illegal declaration cannot be refused by
      // value, so it fails the login.
      auto n = parse_number(kv.value);
      if (!n || *n < row->lo || *n > row->hi) return status::initiator_error;
      params_.initiator_mrdsl = static_cast<uint32_t>(*n);
      return status::success;
    }
    default: break;
  }

  if (discovery && row->irrelevant_in_discovery) {
    answer("Irrelevant");
    return status::success;
  }

  switch (row->kind) {
    case rule::digest_list:
      for (std::string_view v : split_list(kv.value)) {
        if (v != "CRC32C" && v != "None") continue;
        params_.*(row->flag) = v == "CRC32C";
        answer(std::string(v));
        return status::success;
      }
      answer("Reject");
      return status::success;
    case rule::task_reporting:
      for (std::string_view v : split_list(kv.value))
        if (v == "RFC3720") {
          answer("RFC3720");
          return status::success;
        }
      answer("Reject");
      return status::success;
    case rule::num_min:
    case rule::num_max: {
      auto n = parse_number(kv.value);
      if (!n || *n < row->lo || *n > row->hi) {
        answer("Reject");
        return status::success;
      }
      uint32_t offer = static_cast<uint32_t>(*n);
      uint32_t mine = row->num ? ours_.*(row->num) : row->fixed;
      uint32_t result = row->kind == rule::num_min ? std::min(offer, mine) : std::max(offer, mine);
      if (row->num) params_.*(row->num) = result;
      answer(std::to_string(result));
      return status::success;
    }
    case rule::bool_and:
    case rule::bool_or: {
      auto b = parse_boolean(kv.value);
      if (!b) {
        answer("Reject");
        return status::success;
      }
      bool mine = row->flag ? ours_.*(row->flag) : row->fixed != 0;
      bool result = row->kind == rule::bool_and ? (*b && mine) : (*b || mine);
      if (row->flag) params_.*(row->flag) = result;
      answer(boolean_text(result));
      return status::success;
    }
    default: return status::target_error;  // every kind is handled above
  }
}

void operational_negotiator::end_of_text(std::vector<text_pair>& out) {
  if (params_.first_burst_length <= params_.max_burst_length) return;
  params_.first_burst_length = params_.max_burst_length;
  for (text_pair& p : out)
    if (p.key == "FirstBurstLength" && p.value != "Irrelevant" && p.value != "Reject")
      p.value = std::to_string(params_.first_burst_length);
}

}  // namespace stmfd::iscsi::login
