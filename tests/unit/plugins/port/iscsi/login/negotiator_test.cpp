// Whole login conversations without authentication, the stage rules, and
// the identity keys of the first request.
#include "login_test_util.hpp"

using namespace login_test;

TEST_CASE("login_normal_one_pdu_like_libiscsi", "[login]") {
  auto dir = make_directory();
  target_limits lim;
  negotiator n(dir, lim);
  auto r = send(n, 1, 3, true,
                concat(concat(normal_identity(), {{"InitiatorAlias", "host-a"}}), libiscsi_operational_keys()));

  REQUIRE(status_of(r) == status::success);
  CHECK(r.transit);
  CHECK(r.csg == 1);
  CHECK(r.nsg == 3);
  CHECK(r.complete);
  CHECK_FALSE(r.close);

  auto k = keys_of(r);
  CHECK(k == std::map<std::string, std::string>{{"TargetAlias", "disk one"},
                                                {"TargetPortalGroupTag", "7"},
                                                {"HeaderDigest", "None"},
                                                {"DataDigest", "None"},
                                                {"InitialR2T", "No"},
                                                {"ImmediateData", "Yes"},
                                                {"MaxBurstLength", "262144"},
                                                {"FirstBurstLength", "65536"},
                                                {"DefaultTime2Wait", "2"},
                                                {"DefaultTime2Retain", "0"},
                                                {"MaxOutstandingR2T", "1"},
                                                {"ErrorRecoveryLevel", "0"},
                                                {"IFMarker", "No"},
                                                {"OFMarker", "No"},
                                                {"MaxConnections", "1"},
                                                {"DataPDUInOrder", "Yes"},
                                                {"DataSequenceInOrder", "Yes"},
                                                {"MaxRecvDataSegmentLength", "262144"}});
  auto order = key_order(r);
  CHECK(order.front() == "TargetAlias");  // declarations of the first response lead
  CHECK(order.back() == "MaxRecvDataSegmentLength");

  const session_params& p = n.params();
  CHECK_FALSE(p.discovery);
  CHECK(p.initiator_name == initiator_iqn);
  CHECK(p.initiator_alias == "host-a");
  CHECK(p.target_name == target_iqn);
  CHECK(n.target() == &dir.targets[0]);
  CHECK_FALSE(p.header_digest);
  CHECK_FALSE(p.data_digest);
  CHECK(p.initiator_mrdsl == 262144);
  CHECK(p.target_mrdsl == 262144);
  CHECK(p.max_burst_length == 262144);
  CHECK(p.first_burst_length == 65536);
  CHECK_FALSE(p.initial_r2t);
  CHECK(p.immediate_data);
  CHECK(p.default_time2retain == 0);
  CHECK(p.error_recovery_level == 0);
  CHECK(p.max_connections == 1);
}

TEST_CASE("login_exact_response_bytes", "[login]") {
  auto dir = make_directory();
  dir.targets[0].alias.clear();
  target_limits lim;
  lim.max_recv_data_segment_length = 65536;
  negotiator n(dir, lim);
  auto r = send(n, 1, 3, true, concat(normal_identity(), {{"MaxBurstLength", "131072"}}));
  REQUIRE(status_of(r) == status::success);
  const char lit[] = "TargetPortalGroupTag=7\0MaxBurstLength=131072\0MaxRecvDataSegmentLength=65536\0";
  std::string expect(lit, sizeof lit - 1);
  CHECK(std::string(r.data.begin(), r.data.end()) == expect);
}

TEST_CASE("login_two_stages_auth_none_like_open_iscsi", "[login]") {
  auto dir = make_directory();
  target_limits lim;
  negotiator n(dir, lim);
  auto r1 = send(n, 0, 1, true, concat(normal_identity(), {{"AuthMethod", "None"}}));
  REQUIRE(status_of(r1) == status::success);
  CHECK(r1.transit);
  CHECK(r1.csg == 0);
  CHECK(r1.nsg == 1);
  CHECK_FALSE(r1.complete);
  auto k1 = keys_of(r1);
  CHECK(k1.at("AuthMethod") == "None");
  CHECK(k1.at("TargetPortalGroupTag") == "7");
  CHECK(k1.count("MaxRecvDataSegmentLength") == 0);  // declared in the operational stage

  auto r2 = send(n, 1, 3, true, {{"HeaderDigest", "CRC32C,None"}, {"DataDigest", "CRC32C"}});
  REQUIRE(status_of(r2) == status::success);
  CHECK(r2.complete);
  auto k2 = keys_of(r2);
  CHECK(k2.at("HeaderDigest") == "CRC32C");
  CHECK(k2.at("DataDigest") == "CRC32C");
  CHECK(k2.at("MaxRecvDataSegmentLength") == "262144");
  CHECK(k2.count("TargetPortalGroupTag") == 0);  // first response only
  CHECK(n.params().header_digest);
  CHECK(n.params().data_digest);
}

TEST_CASE("login_discovery_session", "[login]") {
  auto dir = make_directory();
  target_limits lim;
  negotiator n(dir, lim);
  auto r = send(n, 1, 3, true,
                concat({{"InitiatorName", initiator_iqn}, {"SessionType", "Discovery"}}, libiscsi_operational_keys()));
  REQUIRE(status_of(r) == status::success);
  CHECK(r.complete);
  auto k = keys_of(r);
  CHECK(k.count("TargetPortalGroupTag") == 0);
  CHECK(k.count("TargetAlias") == 0);
  CHECK(k.at("MaxBurstLength") == "Irrelevant");
  CHECK(k.at("FirstBurstLength") == "Irrelevant");
  CHECK(k.at("InitialR2T") == "Irrelevant");
  CHECK(k.at("ImmediateData") == "Irrelevant");
  CHECK(k.at("MaxConnections") == "Irrelevant");
  CHECK(k.at("MaxOutstandingR2T") == "Irrelevant");
  CHECK(k.at("DataPDUInOrder") == "Irrelevant");
  CHECK(k.at("DataSequenceInOrder") == "Irrelevant");
  CHECK(k.at("HeaderDigest") == "None");
  CHECK(k.at("ErrorRecoveryLevel") == "0");
  CHECK(k.at("MaxRecvDataSegmentLength") == "262144");
  CHECK(n.params().discovery);
  CHECK(n.target() == nullptr);
  CHECK(n.params().target_name.empty());
  CHECK(n.params().initiator_mrdsl == 262144);
}

TEST_CASE("login_identity_errors", "[login]") {
  auto dir = make_directory();
  target_limits lim;
  SECTION("unknown target") {
    negotiator n(dir, lim);
    auto r = send(n, 1, 3, true, {{"InitiatorName", initiator_iqn}, {"TargetName", "iqn.2024-01.com.example:nope"}});
    CHECK(status_of(r) == status::not_found);
    CHECK(r.close);
    CHECK_FALSE(r.transit);
    CHECK(r.data.empty());
  }
  SECTION("missing InitiatorName") {
    negotiator n(dir, lim);
    auto r = send(n, 1, 3, true, {{"TargetName", target_iqn}});
    CHECK(status_of(r) == status::missing_parameter);
    CHECK(r.close);
  }
  SECTION("missing TargetName in a normal session") {
    negotiator n(dir, lim);
    auto r = send(n, 0, 1, true, {{"InitiatorName", initiator_iqn}, {"AuthMethod", "None"}});
    CHECK(status_of(r) == status::missing_parameter);
  }
  SECTION("unknown session type") {
    negotiator n(dir, lim);
    auto r = send(n, 1, 3, true, {{"InitiatorName", initiator_iqn}, {"SessionType", "Bogus"}});
    CHECK(status_of(r) == status::session_type_not_supported);
  }
  SECTION("unsupported version") {
    negotiator n(dir, lim);
    request q(1, 3, true, normal_identity());
    q.req.version_max = 2;
    q.req.version_min = 1;
    CHECK(status_of(n.on_request(q.req)) == status::unsupported_version);
  }
  SECTION("malformed text") {
    negotiator n(dir, lim);
    request q(1, 3, true, normal_identity());
    q.data.push_back('X');  // "X" without '=' at the end
    q.req.data = q.data.data();
    q.req.data_len = q.data.size();
    CHECK(status_of(n.on_request(q.req)) == status::initiator_error);
  }
}

TEST_CASE("login_stage_and_flag_rules", "[login]") {
  auto dir = make_directory();
  target_limits lim;
  auto first_fails = [&](uint8_t csg, uint8_t nsg, bool t, bool c) {
    negotiator n(dir, lim);
    request q(csg, nsg, t, normal_identity());
    q.req.cont = c;
    auto r = n.on_request(q.req);
    CHECK(r.close);
    return status_of(r);
  };
  CHECK(first_fails(1, 3, true, true) == status::initiator_error);   // T and C together
  CHECK(first_fails(0, 2, true, false) == status::initiator_error);  // NSG 2 is reserved
  CHECK(first_fails(1, 1, true, false) == status::initiator_error);  // no transit to the same stage
  CHECK(first_fails(3, 3, true, false) == status::initiator_error);  // CSG 3 is not a login stage
  CHECK(first_fails(2, 3, true, false) == status::initiator_error);

  SECTION("T=0 stays in the stage, then the stage must not go back") {
    negotiator n(dir, lim);
    auto r1 = send(n, 1, 3, false, normal_identity());
    REQUIRE(status_of(r1) == status::success);
    CHECK_FALSE(r1.transit);
    CHECK_FALSE(r1.complete);
    CHECK(r1.nsg == 0);
    auto r2 = send(n, 0, 1, true, {{"AuthMethod", "None"}});
    CHECK(status_of(r2) == status::initiator_error);
  }
  SECTION("the next request must carry the stage we moved to") {
    negotiator n(dir, lim);
    REQUIRE(send(n, 0, 1, true, concat(normal_identity(), {{"AuthMethod", "None"}})).transit);
    auto r = send(n, 0, 1, true, {});
    CHECK(status_of(r) == status::initiator_error);
  }
  SECTION("security straight to full feature") {
    negotiator n(dir, lim);
    auto r = send(n, 0, 3, true, concat(normal_identity(), {{"AuthMethod", "None"}}));
    REQUIRE(status_of(r) == status::success);
    CHECK(r.complete);
    CHECK(r.nsg == 3);
    CHECK(n.params().target_mrdsl == 8192);  // never declared: the RFC default holds
  }
  SECTION("requests after completion are refused") {
    negotiator n(dir, lim);
    REQUIRE(send(n, 1, 3, true, normal_identity()).complete);
    CHECK(status_of(send(n, 1, 3, true, {})) == status::initiator_error);
  }
  SECTION("security keys are refused in the operational stage") {
    negotiator n(dir, lim);
    auto r = send(n, 1, 3, true, concat(normal_identity(), {{"AuthMethod", "None"}}));
    CHECK(status_of(r) == status::initiator_error);
  }
}

TEST_CASE("login_keys_once_identity_repeatable", "[login]") {
  auto dir = make_directory();
  target_limits lim;
  SECTION("identity repeated unchanged in a later stage (libiscsi)") {
    negotiator n(dir, lim);
    REQUIRE(send(n, 0, 1, true, concat(normal_identity(), {{"AuthMethod", "None"}})).transit);
    auto r = send(n, 1, 3, true, concat(normal_identity(), {{"MaxBurstLength", "65536"}}));
    REQUIRE(status_of(r) == status::success);
    CHECK(keys_of(r).count("TargetPortalGroupTag") == 0);
  }
  SECTION("identity changed") {
    negotiator n(dir, lim);
    REQUIRE(send(n, 0, 1, true, concat(normal_identity(), {{"AuthMethod", "None"}})).transit);
    auto r = send(n, 1, 3, true, {{"TargetName", "iqn.2024-01.com.example:disk2"}});
    CHECK(status_of(r) == status::initiator_error);
  }
  SECTION("a key renegotiated in a later PDU") {
    negotiator n(dir, lim);
    REQUIRE(status_of(send(n, 1, 3, false, concat(normal_identity(), {{"MaxBurstLength", "65536"}}))) == 0);
    CHECK(status_of(send(n, 1, 3, true, {{"MaxBurstLength", "65536"}})) == status::initiator_error);
  }
  SECTION("a key twice in one PDU") {
    negotiator n(dir, lim);
    auto r = send(n, 1, 3, true, concat(normal_identity(), {{"ImmediateData", "Yes"}, {"ImmediateData", "No"}}));
    CHECK(status_of(r) == status::initiator_error);
  }
}

TEST_CASE("login_text_split_across_pdus_with_c_bit", "[login]") {
  auto dir = make_directory();
  target_limits lim;
  negotiator n(dir, lim);
  auto all = text(concat(normal_identity(), {{"MaxBurstLength", "65536"}, {"HeaderDigest", "CRC32C"}}));
  // Split in the middle of the "MaxBurstLength" key.
  size_t cut = std::string(all.begin(), all.end()).find("BurstLength");
  REQUIRE(cut != std::string::npos);

  login_request a;
  a.csg = 1;
  a.nsg = 0;
  a.cont = true;
  a.data = all.data();
  a.data_len = cut;
  auto r1 = n.on_request(a);
  REQUIRE(status_of(r1) == status::success);
  CHECK_FALSE(r1.transit);
  CHECK(r1.data.empty());
  CHECK_FALSE(r1.complete);

  login_request b;
  b.csg = 1;
  b.nsg = 3;
  b.transit = true;
  b.data = all.data() + cut;
  b.data_len = all.size() - cut;
  auto r2 = n.on_request(b);
  REQUIRE(status_of(r2) == status::success);
  CHECK(r2.complete);
  auto k = keys_of(r2);
  CHECK(k.at("MaxBurstLength") == "65536");
  CHECK(k.at("HeaderDigest") == "CRC32C");
  CHECK(k.at("TargetPortalGroupTag") == "7");
}

TEST_CASE("login_text_buffer_is_bounded", "[login]") {
  auto dir = make_directory();
  target_limits lim;
  negotiator n(dir, lim);
  std::vector<uint8_t> chunk(40000, 'a');
  login_request q;
  q.csg = 1;
  q.cont = true;
  q.data = chunk.data();
  q.data_len = chunk.size();
  REQUIRE(status_of(n.on_request(q)) == status::success);
  auto r = n.on_request(q);  // 80000 bytes > 64 KiB
  CHECK(status_of(r) == status::initiator_error);
  CHECK(r.close);
}

// A login reports the tag of the portal group of the portal it arrived
// through (RFC 7143 13.9), for a target bound to several groups.
TEST_CASE("login_reports_the_tag_of_its_portal", "[login]") {
  auto dir = make_directory();
  dir.targets[0].tpgt = 2;
  dir.targets[0].portals = {"127.0.0.1:3260", "127.0.0.1:3261"};
  dir.targets[0].portal_tags = {2, 5};
  target_limits lim;
  for (auto [portal, tag] :
       {std::pair<const char*, const char*>{"127.0.0.1:3261", "5"}, {"127.0.0.1:3260", "2"}, {"", "2"}}) {
    negotiator n(dir, lim);
    n.set_portal(portal);
    auto r = send(n, 1, 3, true, normal_identity());
    REQUIRE(status_of(r) == status::success);
    CHECK(keys_of(r).at("TargetPortalGroupTag") == tag);
  }
}
