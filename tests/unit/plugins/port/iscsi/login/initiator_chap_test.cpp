// itadm's CHAP model in the negotiator: a target whose auth is "chap"
// without credentials of its own takes the initiator's record
// (directory::initiator_chap); discovery CHAP (directory::discovery_chap);
// an offline target answers Service Unavailable.
#include "login_test_util.hpp"

#include "plugins/port/iscsi/login/md5.hpp"

using namespace login_test;

namespace {

const char* record_user = "host-a";
const char* record_secret = "record-secret-12";

struct record_directory final : directory {
  fake_directory base = make_directory();
  chap_config record{record_user, record_secret, {}, {}};
  bool discovery = false;
  const target_info* find(std::string_view name) const override { return base.find(name); }
  std::vector<const target_info*> all() const override { return base.all(); }
  const chap_config* initiator_chap(std::string_view initiator) const override {
    return initiator == initiator_iqn ? &record : nullptr;
  }
  bool discovery_chap() const override { return discovery; }
};

std::string response(const login_response& challenge_pdu, const std::string& secret) {
  auto k = keys_of(challenge_pdu);
  auto c = hex_decode(k.at("CHAP_C"));
  auto id = static_cast<uint8_t>(std::stoul(k.at("CHAP_I")));
  auto d = chap_md5_response(id, secret, c.data(), c.size());
  return hex(d.data(), d.size());
}

// The CHAP exchange with `identity`; the status of the CHAP_R answer.
uint16_t run_chap(const directory& dir, const kv_list& identity, const std::string& user, const std::string& secret) {
  target_limits lim;
  negotiator n(dir, lim);
  auto r1 = send(n, 0, 1, true, concat(identity, {{"AuthMethod", "CHAP,None"}}));
  if (status_of(r1) != status::success) return status_of(r1);
  CHECK(keys_of(r1).at("AuthMethod") == "CHAP");
  auto r2 = send(n, 0, 1, false, {{"CHAP_A", "5"}});
  REQUIRE(status_of(r2) == status::success);
  auto r3 = send(n, 0, 1, true, {{"CHAP_N", user}, {"CHAP_R", response(r2, secret)}});
  return status_of(r3);
}

kv_list discovery_identity() { return {{"InitiatorName", initiator_iqn}, {"SessionType", "Discovery"}}; }

}  // namespace

TEST_CASE("per_initiator_chap_takes_the_record", "[login][chap][itadm]") {
  record_directory dir;
  dir.base.targets[0].chap_per_initiator = true;
  CHECK(run_chap(dir, normal_identity(), record_user, record_secret) == status::success);
  CHECK(run_chap(dir, normal_identity(), record_user, "wrong-secret-123") == status::authentication_failure);
  CHECK(run_chap(dir, normal_identity(), "someone-else", record_secret) == status::authentication_failure);
}

TEST_CASE("per_initiator_chap_refuses_an_initiator_without_record", "[login][chap][itadm]") {
  record_directory dir;
  dir.base.targets[0].chap_per_initiator = true;
  kv_list other = {{"InitiatorName", "iqn.2024-01.com.example:other"}, {"TargetName", target_iqn}};
  target_limits lim;
  negotiator n(dir, lim);
  auto r = send(n, 0, 1, true, concat(other, {{"AuthMethod", "None"}}));
  CHECK(status_of(r) == status::authentication_failure);
  CHECK(r.close);
}

TEST_CASE("discovery_chap_uses_the_record", "[login][chap][itadm]") {
  record_directory dir;
  target_limits lim;
  {  // off: None is taken
    negotiator n(dir, lim);
    auto r = send(n, 0, 1, true, concat(discovery_identity(), {{"AuthMethod", "None"}}));
    CHECK(status_of(r) == status::success);
  }
  dir.discovery = true;
  {  // on: None is refused
    negotiator n(dir, lim);
    auto r = send(n, 0, 1, true, concat(discovery_identity(), {{"AuthMethod", "None"}}));
    CHECK(status_of(r) == status::authentication_failure);
  }
  CHECK(run_chap(dir, discovery_identity(), record_user, record_secret) == status::success);
  CHECK(run_chap(dir, discovery_identity(), record_user, "wrong-secret-123") == status::authentication_failure);
}

TEST_CASE("offline_target_answers_service_unavailable", "[login][itadm]") {
  record_directory dir;
  dir.base.targets[0].online = false;
  target_limits lim;
  negotiator n(dir, lim);
  auto r = send(n, 0, 1, true, concat(normal_identity(), {{"AuthMethod", "None"}}));
  CHECK(status_of(r) == status::service_unavailable);
  CHECK(r.close);
}
