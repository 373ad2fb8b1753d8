// Security stage conversations: CHAP one-way and mutual, as libiscsi and
// open-iscsi run them (AuthMethod, then CHAP_A, then CHAP_N/CHAP_R).
#include "login_test_util.hpp"

#include <cstring>

#include "plugins/port/iscsi/login/md5.hpp"

using namespace login_test;

namespace {

const char* chap_user = "alice";
const char* chap_secret = "alice-secret-123";
const char* mutual_user = "target-bob";
const char* mutual_secret = "bob-secret-4567";

fake_directory chap_directory(bool mutual) {
  auto d = make_directory();
  d.targets[0].chap.user = chap_user;
  d.targets[0].chap.secret = chap_secret;
  if (mutual) {
    d.targets[0].chap.mutual_user = mutual_user;
    d.targets[0].chap.mutual_secret = mutual_secret;
  }
  return d;
}

std::string md5_hex(uint8_t id, const std::string& secret, const std::vector<uint8_t>& challenge) {
  md5 h;
  h.update(&id, 1);
  h.update(secret.data(), secret.size());
  h.update(challenge.data(), challenge.size());
  auto d = h.finish();
  return hex(d.data(), d.size());
}

struct challenge {
  uint8_t id;
  std::vector<uint8_t> bytes;
};

// PDU 1 and 2 of the libiscsi exchange; returns the target's challenge.
challenge start_chap(negotiator& n) {
  auto r1 = send(n, 0, 1, true, concat(normal_identity(), {{"AuthMethod", "CHAP,None"}}));
  REQUIRE(status_of(r1) == status::success);
  CHECK_FALSE(r1.transit);  // authentication not finished: stay in the security stage
  auto k1 = keys_of(r1);
  CHECK(k1.at("AuthMethod") == "CHAP");
  CHECK(k1.at("TargetPortalGroupTag") == "7");

  auto r2 = send(n, 0, 1, false, {{"CHAP_A", "5"}});
  REQUIRE(status_of(r2) == status::success);
  CHECK_FALSE(r2.transit);
  auto k2 = keys_of(r2);
  CHECK(k2.at("CHAP_A") == "5");
  challenge c;
  unsigned long id = std::stoul(k2.at("CHAP_I"));
  REQUIRE(id <= 255);
  c.id = static_cast<uint8_t>(id);
  c.bytes = hex_decode(k2.at("CHAP_C"));
  CHECK(c.bytes.size() == 16);
  return c;
}

}  // namespace

TEST_CASE("chap_one_way_success_then_operational", "[login][chap]") {
  auto dir = chap_directory(false);
  target_limits lim;
  negotiator n(dir, lim);
  challenge c = start_chap(n);

  auto r3 = send(n, 0, 1, true, {{"CHAP_N", chap_user}, {"CHAP_R", md5_hex(c.id, chap_secret, c.bytes)}});
  REQUIRE(status_of(r3) == status::success);
  CHECK(r3.transit);
  CHECK(r3.csg == 0);
  CHECK(r3.nsg == 1);
  CHECK(r3.data.empty());  // one-way: the target has nothing to prove

  // libiscsi repeats its identity in the operational stage.
  auto r4 = send(n, 1, 3, true, concat(normal_identity(), libiscsi_operational_keys()));
  REQUIRE(status_of(r4) == status::success);
  CHECK(r4.complete);
  CHECK(keys_of(r4).at("MaxRecvDataSegmentLength") == "262144");
}

TEST_CASE("chap_response_in_base64_is_accepted", "[login][chap]") {
  auto dir = chap_directory(false);
  target_limits lim;
  negotiator n(dir, lim);
  challenge c = start_chap(n);
  md5 h;
  h.update(&c.id, 1);
  h.update(chap_secret, std::strlen(chap_secret));
  h.update(c.bytes.data(), c.bytes.size());
  auto d = h.finish();
  // Encode the 16 bytes as base64 by hand (5 groups of 3 + 1 byte).
  static const char a[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string b64 = "0b";
  for (size_t i = 0; i < 15; i += 3) {
    uint32_t v = uint32_t(d[i]) << 16 | uint32_t(d[i + 1]) << 8 | d[i + 2];
    for (int s = 18; s >= 0; s -= 6) b64 += a[(v >> s) & 63];
  }
  b64 += a[d[15] >> 2];
  b64 += a[(d[15] & 3) << 4];
  b64 += "==";
  auto r = send(n, 0, 1, true, {{"CHAP_N", chap_user}, {"CHAP_R", b64}});
  CHECK(status_of(r) == status::success);
  CHECK(r.transit);
}

TEST_CASE("chap_one_way_failures", "[login][chap]") {
  auto dir = chap_directory(false);
  target_limits lim;
  negotiator n(dir, lim);
  challenge c = start_chap(n);
  SECTION("wrong secret") {
    auto r = send(n, 0, 1, true, {{"CHAP_N", chap_user}, {"CHAP_R", md5_hex(c.id, "wrong-secret-999", c.bytes)}});
    CHECK(status_of(r) == status::authentication_failure);
    CHECK(r.close);
    CHECK_FALSE(r.transit);
  }
  SECTION("wrong user") {
    auto r = send(n, 0, 1, true, {{"CHAP_N", "mallory"}, {"CHAP_R", md5_hex(c.id, chap_secret, c.bytes)}});
    CHECK(status_of(r) == status::authentication_failure);
  }
  SECTION("wrong identifier") {
    auto r = send(n, 0, 1, true, {{"CHAP_N", chap_user}, {"CHAP_R", md5_hex(uint8_t(c.id + 1), chap_secret, c.bytes)}});
    CHECK(status_of(r) == status::authentication_failure);
  }
  SECTION("truncated response") {
    auto r = send(n, 0, 1, true, {{"CHAP_N", chap_user}, {"CHAP_R", "0x0011"}});
    CHECK(status_of(r) == status::authentication_failure);
  }
  SECTION("no response at all") {
    auto r = send(n, 0, 1, true, {});
    CHECK(status_of(r) == status::authentication_failure);
  }
}

TEST_CASE("chap_required_refuses_other_paths", "[login][chap]") {
  auto dir = chap_directory(false);
  target_limits lim;
  SECTION("AuthMethod=None") {
    negotiator n(dir, lim);
    auto r = send(n, 0, 1, true, concat(normal_identity(), {{"AuthMethod", "None"}}));
    CHECK(status_of(r) == status::authentication_failure);
    CHECK(r.close);
  }
  SECTION("skipping the security stage") {
    negotiator n(dir, lim);
    auto r = send(n, 1, 3, true, concat(normal_identity(), libiscsi_operational_keys()));
    CHECK(status_of(r) == status::authentication_failure);
  }
  SECTION("leaving the security stage without AuthMethod") {
    negotiator n(dir, lim);
    auto r = send(n, 0, 1, true, normal_identity());
    CHECK(status_of(r) == status::authentication_failure);
  }
  SECTION("no MD5 among the CHAP algorithms") {
    negotiator n(dir, lim);
    REQUIRE(status_of(send(n, 0, 1, true, concat(normal_identity(), {{"AuthMethod", "CHAP"}}))) == 0);
    auto r = send(n, 0, 1, false, {{"CHAP_A", "7,6"}});
    CHECK(status_of(r) == status::authentication_failure);
  }
  SECTION("MD5 picked from a longer list") {
    negotiator n(dir, lim);
    REQUIRE(status_of(send(n, 0, 1, true, concat(normal_identity(), {{"AuthMethod", "CHAP"}}))) == 0);
    auto r = send(n, 0, 1, false, {{"CHAP_A", "7,6,5"}});
    REQUIRE(status_of(r) == status::success);
    CHECK(keys_of(r).at("CHAP_A") == "5");
  }
  SECTION("CHAP response before the challenge") {
    negotiator n(dir, lim);
    REQUIRE(status_of(send(n, 0, 1, true, concat(normal_identity(), {{"AuthMethod", "CHAP"}}))) == 0);
    auto r = send(n, 0, 1, true, {{"CHAP_N", chap_user}, {"CHAP_R", "0x00"}});
    CHECK(status_of(r) == status::initiator_error);
  }
}

TEST_CASE("chap_not_configured_picks_none", "[login][chap]") {
  auto dir = make_directory();
  target_limits lim;
  negotiator n(dir, lim);
  auto r = send(n, 0, 1, true, concat(normal_identity(), {{"AuthMethod", "CHAP,None"}}));
  REQUIRE(status_of(r) == status::success);
  CHECK(keys_of(r).at("AuthMethod") == "None");
  CHECK(r.transit);
  CHECK(r.nsg == 1);
}

TEST_CASE("chap_mutual_success", "[login][chap]") {
  auto dir = chap_directory(true);
  target_limits lim;
  negotiator n(dir, lim);
  challenge c = start_chap(n);
  std::vector<uint8_t> ours(32);
  for (size_t i = 0; i < ours.size(); ++i) ours[i] = static_cast<uint8_t>(0xA0 + i);

  auto r3 = send(n, 0, 1, true,
                 {{"CHAP_N", chap_user},
                  {"CHAP_R", md5_hex(c.id, chap_secret, c.bytes)},
                  {"CHAP_I", "77"},
                  {"CHAP_C", hex(ours.data(), ours.size())}});
  REQUIRE(status_of(r3) == status::success);
  CHECK(r3.transit);
  CHECK(r3.nsg == 1);
  auto k = keys_of(r3);
  CHECK(k.at("CHAP_N") == mutual_user);
  CHECK(k.at("CHAP_R") == md5_hex(77, mutual_secret, ours));
  CHECK(k.size() == 2);
}

TEST_CASE("chap_mutual_failures", "[login][chap]") {
  target_limits lim;
  SECTION("reflected challenge") {
    auto dir = chap_directory(true);
    negotiator n(dir, lim);
    challenge c = start_chap(n);
    auto r = send(n, 0, 1, true,
                  {{"CHAP_N", chap_user},
                   {"CHAP_R", md5_hex(c.id, chap_secret, c.bytes)},
                   {"CHAP_I", std::to_string(c.id)},
                   {"CHAP_C", hex(c.bytes.data(), c.bytes.size())}});
    CHECK(status_of(r) == status::authentication_failure);
    CHECK(r.data.empty());  // no CHAP_R computed for a reflected challenge
  }
  SECTION("target has no mutual secret") {
    auto dir = chap_directory(false);
    negotiator n(dir, lim);
    challenge c = start_chap(n);
    auto r = send(n, 0, 1, true,
                  {{"CHAP_N", chap_user},
                   {"CHAP_R", md5_hex(c.id, chap_secret, c.bytes)},
                   {"CHAP_I", "1"},
                   {"CHAP_C", "0x0102030405060708"}});
    CHECK(status_of(r) == status::authentication_failure);
  }
  SECTION("mutual challenge without identifier") {
    auto dir = chap_directory(true);
    negotiator n(dir, lim);
    challenge c = start_chap(n);
    auto r = send(
        n, 0, 1, true,
        {{"CHAP_N", chap_user}, {"CHAP_R", md5_hex(c.id, chap_secret, c.bytes)}, {"CHAP_C", "0x0102030405060708"}});
    CHECK(status_of(r) == status::authentication_failure);
  }
  SECTION("initiator fails before the target answers") {
    auto dir = chap_directory(true);
    negotiator n(dir, lim);
    challenge c = start_chap(n);
    auto r = send(n, 0, 1, true,
                  {{"CHAP_N", chap_user},
                   {"CHAP_R", md5_hex(c.id, "not-the-secret", c.bytes)},
                   {"CHAP_I", "1"},
                   {"CHAP_C", "0x0102030405060708"}});
    CHECK(status_of(r) == status::authentication_failure);
    CHECK(r.data.empty());
  }
}

TEST_CASE("chap_challenges_differ_between_logins", "[login][chap]") {
  auto dir = chap_directory(false);
  target_limits lim;
  negotiator a(dir, lim), b(dir, lim);
  CHECK(start_chap(a).bytes != start_chap(b).bytes);
}
