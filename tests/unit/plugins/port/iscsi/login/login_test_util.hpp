#pragma once
// Helpers for driving a negotiator through whole login conversations.

#include <catch2/catch.hpp>

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "plugins/port/iscsi/login/negotiator.hpp"
#include "wire/iscsi/text_keys.hpp"

namespace login_test {

using namespace stmfd::iscsi;
using namespace stmfd::iscsi::login;

struct fake_directory final : directory {
  std::vector<target_info> targets;
  const target_info* find(std::string_view name) const override {
    for (const auto& t : targets)
      if (t.name == name) return &t;
    return nullptr;
  }
  std::vector<const target_info*> all() const override {
    std::vector<const target_info*> out;
    for (const auto& t : targets) out.push_back(&t);
    return out;
  }
};

inline const char* initiator_iqn = "iqn.2024-01.com.example:initiator";
inline const char* target_iqn = "iqn.2024-01.com.example:disk1";

inline fake_directory make_directory() {
  fake_directory d;
  target_info t;
  t.name = target_iqn;
  t.alias = "disk one";
  t.tpgt = 7;
  t.portals = {"127.0.0.1:3260", "[::1]:3260"};
  d.targets.push_back(t);
  target_info t2;
  t2.name = "iqn.2024-01.com.example:disk2";
  t2.portals = {"10.0.0.2:3260"};
  d.targets.push_back(t2);
  return d;
}

using kv_list = std::vector<std::pair<std::string, std::string>>;

inline std::vector<uint8_t> text(const kv_list& kvs) {
  std::vector<uint8_t> out;
  for (const auto& [k, v] : kvs) append_text(out, k, v);
  return out;
}

// Owns the text so the borrowed pointer in login_request stays valid.
struct request {
  login_request req;
  std::vector<uint8_t> data;
  request(uint8_t csg, uint8_t nsg, bool transit, const kv_list& kvs) : data(text(kvs)) {
    req.csg = csg;
    req.nsg = nsg;
    req.transit = transit;
    req.data = data.data();
    req.data_len = data.size();
  }
};

inline login_response send(negotiator& n, uint8_t csg, uint8_t nsg, bool transit, const kv_list& kvs) {
  request r(csg, nsg, transit, kvs);
  return n.on_request(r.req);
}

inline uint16_t status_of(const login_response& r) { return uint16_t(r.status_class << 8 | r.status_detail); }

// The answer as a map; requires well-formed text without duplicate keys.
inline std::map<std::string, std::string> keys_of(const login_response& r) {
  auto parsed = parse_text(r.data.data(), r.data.size());
  REQUIRE(parsed.ok);
  std::map<std::string, std::string> m;
  for (auto& p : parsed.pairs) {
    INFO("duplicate key " << p.key);
    REQUIRE(m.emplace(p.key, p.value).second);
  }
  return m;
}

inline std::vector<std::string> key_order(const login_response& r) {
  auto parsed = parse_text(r.data.data(), r.data.size());
  REQUIRE(parsed.ok);
  std::vector<std::string> keys;
  for (auto& p : parsed.pairs) keys.push_back(p.key);
  return keys;
}

inline std::vector<uint8_t> hex_decode(const std::string& v) {
  REQUIRE(v.size() >= 2);
  REQUIRE(v.substr(0, 2) == "0x");
  REQUIRE(v.size() % 2 == 0);
  std::vector<uint8_t> out;
  for (size_t i = 2; i < v.size(); i += 2) out.push_back(static_cast<uint8_t>(std::stoul(v.substr(i, 2), nullptr, 16)));
  return out;
}

inline std::string hex(const uint8_t* p, size_t n) {
  static const char d[] = "0123456789abcdef";
  std::string s = "0x";
  for (size_t i = 0; i < n; ++i) {
    s += d[p[i] >> 4];
    s += d[p[i] & 15];
  }
  return s;
}

// The operational keys libiscsi sends (lib/login.c), in its order.
inline kv_list libiscsi_operational_keys() {
  return {{"HeaderDigest", "None,CRC32C"},
          {"DataDigest", "None"},
          {"InitialR2T", "No"},
          {"ImmediateData", "Yes"},
          {"MaxBurstLength", "262144"},
          {"FirstBurstLength", "262144"},
          {"DefaultTime2Wait", "2"},
          {"DefaultTime2Retain", "0"},
          {"MaxOutstandingR2T", "1"},
          {"ErrorRecoveryLevel", "0"},
          {"IFMarker", "No"},
          {"OFMarker", "No"},
          {"MaxConnections", "1"},
          {"MaxRecvDataSegmentLength", "262144"},
          {"DataPDUInOrder", "Yes"},
          {"DataSequenceInOrder", "Yes"}};
}

inline kv_list concat(kv_list a, const kv_list& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

inline kv_list normal_identity() {
  return {{"InitiatorName", initiator_iqn}, {"TargetName", target_iqn}, {"SessionType", "Normal"}};
}

}  // namespace login_test
