// Operational key negotiation: result functions, ranges, unknown keys.
#include "login_test_util.hpp"

using namespace login_test;

namespace {

struct outcome {
  login_response resp;
  std::map<std::string, std::string> keys;
  session_params params;
};

outcome negotiate(const kv_list& keys, target_limits lim = {}) {
  auto dir = make_directory();
  negotiator n(dir, lim);
  outcome o;
  o.resp = send(n, 1, 3, true, concat(normal_identity(), keys));
  REQUIRE(status_of(o.resp) == status::success);
  o.keys = keys_of(o.resp);
  o.params = n.params();
  return o;
}

}  // namespace

TEST_CASE("op_numeric_minimum_and_maximum", "[login][op]") {
  target_limits lim;  // MaxBurstLength 1 MiB, FirstBurstLength 64 KiB, Time2Wait 2, Time2Retain 0
  auto o = negotiate({{"MaxBurstLength", "65536"},
                      {"FirstBurstLength", "262144"},
                      {"DefaultTime2Wait", "5"},
                      {"DefaultTime2Retain", "20"},
                      {"MaxOutstandingR2T", "8"},
                      {"ErrorRecoveryLevel", "2"},
                      {"MaxConnections", "4"}},
                     lim);
  CHECK(o.keys.at("MaxBurstLength") == "65536");    // Minimum
  CHECK(o.keys.at("FirstBurstLength") == "65536");  // Minimum (ours)
  CHECK(o.keys.at("DefaultTime2Wait") == "5");      // Maximum
  CHECK(o.keys.at("DefaultTime2Retain") == "0");    // Minimum
  CHECK(o.keys.at("MaxOutstandingR2T") == "1");     // Minimum
  CHECK(o.keys.at("ErrorRecoveryLevel") == "0");    // we support 0 only
  CHECK(o.keys.at("MaxConnections") == "1");
  CHECK(o.params.max_burst_length == 65536);
  CHECK(o.params.first_burst_length == 65536);
  CHECK(o.params.default_time2wait == 5);
  CHECK(o.params.default_time2retain == 0);
  CHECK(o.params.max_outstanding_r2t == 1);
  CHECK(o.params.error_recovery_level == 0);
  CHECK(o.params.max_connections == 1);
}

TEST_CASE("op_hex_encoded_numbers", "[login][op]") {
  auto o = negotiate({{"MaxBurstLength", "0x8000"}});
  CHECK(o.keys.at("MaxBurstLength") == "32768");
}

TEST_CASE("op_first_burst_never_exceeds_max_burst", "[login][op]") {
  target_limits lim;
  lim.first_burst_length = 262144;
  auto o = negotiate({{"MaxBurstLength", "16384"}, {"FirstBurstLength", "131072"}}, lim);
  CHECK(o.keys.at("MaxBurstLength") == "16384");
  CHECK(o.keys.at("FirstBurstLength") == "16384");
  CHECK(o.params.first_burst_length == 16384);

  // FirstBurstLength not offered: its default (65536) is clamped too.
  auto o2 = negotiate({{"MaxBurstLength", "4096"}});
  CHECK(o2.params.first_burst_length == 4096);
  CHECK(o2.keys.count("FirstBurstLength") == 0);
}

TEST_CASE("op_booleans_and_or", "[login][op]") {
  target_limits lim;
  lim.initial_r2t = false;
  lim.immediate_data = false;
  auto o = negotiate({{"InitialR2T", "Yes"}, {"ImmediateData", "Yes"}, {"DataPDUInOrder", "No"}}, lim);
  CHECK(o.keys.at("InitialR2T") == "Yes");      // OR
  CHECK(o.keys.at("ImmediateData") == "No");    // AND
  CHECK(o.keys.at("DataPDUInOrder") == "Yes");  // OR with our Yes
  CHECK(o.params.initial_r2t);
  CHECK_FALSE(o.params.immediate_data);
  CHECK(o.params.data_pdu_in_order);

  auto o2 = negotiate({{"InitialR2T", "No"}, {"ImmediateData", "Yes"}});  // default limits
  CHECK(o2.keys.at("InitialR2T") == "No");
  CHECK(o2.keys.at("ImmediateData") == "Yes");
  CHECK_FALSE(o2.params.initial_r2t);
  CHECK(o2.params.immediate_data);
}

TEST_CASE("op_digest_lists_first_acceptable", "[login][op]") {
  auto o = negotiate({{"HeaderDigest", "CRC32C,None"}, {"DataDigest", "FancyHash,None"}});
  CHECK(o.keys.at("HeaderDigest") == "CRC32C");
  CHECK(o.keys.at("DataDigest") == "None");
  CHECK(o.params.header_digest);
  CHECK_FALSE(o.params.data_digest);

  auto o2 = negotiate({{"HeaderDigest", "FancyHash"}});
  CHECK(o2.keys.at("HeaderDigest") == "Reject");
  CHECK_FALSE(o2.params.header_digest);
}

TEST_CASE("op_out_of_range_and_malformed_values_rejected", "[login][op]") {
  auto o = negotiate({{"MaxBurstLength", "100"},
                      {"FirstBurstLength", "16777216"},
                      {"DefaultTime2Wait", "3601"},
                      {"MaxOutstandingR2T", "0"},
                      {"ErrorRecoveryLevel", "3"},
                      {"ImmediateData", "Maybe"},
                      {"MaxConnections", "lots"}});
  for (auto k : {"MaxBurstLength", "FirstBurstLength", "DefaultTime2Wait", "MaxOutstandingR2T", "ErrorRecoveryLevel",
                 "ImmediateData", "MaxConnections"}) {
    INFO(k);
    CHECK(o.keys.at(k) == "Reject");
  }
  // Rejected keys keep their defaults.
  CHECK(o.params.max_burst_length == 262144);
  CHECK(o.params.first_burst_length == 65536);
  CHECK(o.params.default_time2wait == 2);
  CHECK(o.params.immediate_data);
}

TEST_CASE("op_unknown_obsolete_and_extension_keys", "[login][op]") {
  auto o = negotiate({{"X-com.example.Feature", "On"},
                      {"FutureKey", "1"},
                      {"IFMarkInt", "2048~8192"},
                      {"OFMarker", "Yes"},
                      {"X#NodeArchitecture", "ExampleOS/1.0"},
                      {"TaskReporting", "FastAbort,RFC3720"},
                      {"iSCSIProtocolLevel", "2"},
                      {"RDMAExtensions", "Yes"}});
  CHECK(o.keys.at("X-com.example.Feature") == "NotUnderstood");
  CHECK(o.keys.at("FutureKey") == "NotUnderstood");
  CHECK(o.keys.at("IFMarkInt") == "Reject");
  CHECK(o.keys.at("OFMarker") == "No");
  CHECK(o.keys.count("X#NodeArchitecture") == 0);  // declarative: no answer
  CHECK(o.keys.at("TaskReporting") == "RFC3720");
  CHECK(o.keys.at("iSCSIProtocolLevel") == "1");
  CHECK(o.keys.at("RDMAExtensions") == "No");
}

TEST_CASE("op_initiator_mrdsl_declaration", "[login][op]") {
  auto o = negotiate({{"MaxRecvDataSegmentLength", "65536"}});
  CHECK(o.params.initiator_mrdsl == 65536);
  CHECK(o.keys.at("MaxRecvDataSegmentLength") == "262144");  // ours, not an answer to theirs

  auto o2 = negotiate({});
  CHECK(o2.params.initiator_mrdsl == 8192);  // RFC default when not declared

  auto dir = make_directory();
  target_limits lim;
  negotiator n(dir, lim);
  auto r = send(n, 1, 3, true, concat(normal_identity(), {{"MaxRecvDataSegmentLength", "511"}}));
  CHECK(status_of(r) == status::initiator_error);
}

TEST_CASE("op_our_limits_are_clamped_to_rfc_ranges", "[login][op]") {
  target_limits lim;
  lim.max_recv_data_segment_length = 100;
  lim.max_burst_length = 1u << 30;
  auto o = negotiate({{"MaxBurstLength", "16777215"}}, lim);
  CHECK(o.keys.at("MaxRecvDataSegmentLength") == "512");
  CHECK(o.keys.at("MaxBurstLength") == "16777215");
  CHECK(o.params.target_mrdsl == 512);
}

TEST_CASE("op_send_targets_refused_during_login", "[login][op]") {
  auto o = negotiate({{"SendTargets", "All"}});
  CHECK(o.keys.at("SendTargets") == "Reject");
}
