// Cross-field checks: the "Checked:" clauses of wire/config.capnp.
#include <catch2/catch.hpp>

#include "config_test_util.hpp"

using namespace stmfd::wire::cfg::test;

namespace {
// Two LUs d0/d1 and the given targets array.
std::string with_targets(std::string_view targets) {
  return std::string(R"({"logicalUnits": [
      {"name": "d0", "backing": "file", "path": "d0.img", "sizeBytes": 1048576},
      {"name": "d1", "backing": "ram", "sizeBytes": 1048576}],
    "targets": )") +
         std::string(targets) + "}";
}
std::string with_auth(std::string_view auth) {
  return one_target({}, std::string(R"(, "auth": )") + std::string(auth));
}
}  // namespace

TEST_CASE("the_sample_config_helpers_load", "[config][semantic]") {
  CHECK(error_of(one_target()) == "OK");
  CHECK(error_of(with_targets("[]")) == "OK");
}

TEST_CASE("logical_unit_block_size_and_capacity", "[config][semantic]") {
  CHECK(error_of(one_target(R"(, "blockSize": 1024)")) == "t.json: logicalUnits[0].blockSize: must be 512 or 4096");
  // physicalBlockSize: a power of two, at least blockSize, at most 2^15 of them (issue 7).
  for (const char* bad :
       {R"(, "physicalBlockSize": 256)", R"(, "physicalBlockSize": 3072)", R"(, "physicalBlockSize": 33554432)"})
    CHECK(error_of(one_target(bad)) ==
          "t.json: logicalUnits[0].physicalBlockSize: must be 0 or a power of two from blockSize to 32768 x blockSize");
  CHECK(error_of(one_target(R"(, "physicalBlockSize": 4096)")) == "OK");
  CHECK(error_of(one_target(R"(, "blockSize": 4096)")) ==
        "t.json: logicalUnits[0].sizeBytes: must be a multiple of blockSize (4096)");
  CHECK(error_of(R"({"logicalUnits": [{"name": "d", "backing": "file", "path": "d",
      "sizeBytes": 1000}]})") == "t.json: logicalUnits[0].sizeBytes: must be a multiple of blockSize (512)");
  CHECK(error_of(R"({"logicalUnits": [{"name": "d", "backing": "file", "path": "d"}]})") ==
        "t.json: logicalUnits[0].sizeBytes: must be above 0 with backing \"file\"");
  CHECK(error_of(R"({"logicalUnits": [{"name": "r", "backing": "ram"}]})") ==
        "t.json: logicalUnits[0].sizeBytes: must be above 0 with backing \"ram\"");
  // A block device may leave its size to the device.
  CHECK(error_of(R"({"logicalUnits": [{"name": "b", "backing": "block", "path": "/dev/sdz"}]})") == "OK");
  CHECK(error_of(R"({"logicalUnits": [{"name": "b", "backing": "block", "path": "/dev/sdz",
      "sizeBytes": 100}]})") == "t.json: logicalUnits[0].sizeBytes: must be a multiple of blockSize (512)");
}

TEST_CASE("logical_unit_path_depends_on_backing", "[config][semantic]") {
  CHECK(error_of(R"({"logicalUnits": [{"name": "d", "backing": "file", "sizeBytes": 512}]})") ==
        "t.json: logicalUnits[0].path: required with backing \"file\"");
  CHECK(error_of(R"({"logicalUnits": [{"name": "d", "backing": "block"}]})") ==
        "t.json: logicalUnits[0].path: required with backing \"block\"");
  CHECK(error_of(R"({"logicalUnits": [{"name": "d", "backing": "ram", "path": "x",
      "sizeBytes": 512}]})") == "t.json: logicalUnits[0].path: not used with backing \"ram\"");
}

TEST_CASE("logical_unit_identity_fields", "[config][semantic]") {
  CHECK(error_of(one_target(R"(, "name": "d0")")) == "t.json: logicalUnits[0].name: key appears twice");
  CHECK(error_of(R"({"logicalUnits": [{"name": "my disk", "backing": "ram", "sizeBytes": 512}]})") ==
        "t.json: logicalUnits[0].name: character ' ' is not allowed (use letters, digits, '.', "
        "'-', '_' and ':')");
  CHECK(error_of(one_target(R"(, "vendor": "ST\tMFD")")) == "t.json: logicalUnits[0].vendor: must be printable ASCII");
  CHECK(error_of(one_target(R"(, "product": "café")")) == "t.json: logicalUnits[0].product: must be printable ASCII");
  CHECK(error_of(one_target(R"(, "serial": "x\ny")")) == "t.json: logicalUnits[0].serial: must be printable ASCII");
  CHECK(error_of(one_target(R"(, "guid": "600144F0")")) == "t.json: logicalUnits[0].guid: must be 32 hex digits");
  CHECK(error_of(one_target(R"(, "guid": "500144F0C0A8010000005AB1C0000001")")) ==
        "t.json: logicalUnits[0].guid: must start with 6 (NAA IEEE Registered Extended, SPC-4 "
        "7.8.6.6.5)");
  CHECK(error_of(one_target(R"(, "guid": "600144F0C0A8010000005AB1C000000Z")")) ==
        "t.json: logicalUnits[0].guid: must be 32 hex digits");
}

TEST_CASE("logical_units_are_unique", "[config][semantic]") {
  CHECK(error_of(R"({"logicalUnits": [
      {"name": "d", "backing": "ram", "sizeBytes": 512},
      {"name": "d", "backing": "ram", "sizeBytes": 512}]})") ==
        "t.json: logicalUnits[1].name: \"d\" is already the name of logicalUnits[0]");
  CHECK(error_of(R"({"logicalUnits": [
      {"name": "a", "backing": "ram", "sizeBytes": 512, "guid": "600144f0c0a8010000005ab1c0000001"},
      {"name": "b", "backing": "ram", "sizeBytes": 512, "guid": "600144F0C0A8010000005AB1C0000001"}]})") ==
        "t.json: logicalUnits[1].guid: \"600144F0C0A8010000005AB1C0000001\" is already the "
        "guid of logicalUnits[0]");
  // Two spellings of one file are one file.
  CHECK(error_of(R"({"dataDir": "/srv", "logicalUnits": [
      {"name": "a", "backing": "file", "path": "x/../d.img", "sizeBytes": 512},
      {"name": "b", "backing": "file", "path": "/srv/d.img", "sizeBytes": 512}]})") ==
        "t.json: logicalUnits[1].path: \"/srv/d.img\" is already the backing of "
        "logicalUnits[0]");
}

TEST_CASE("iscsi_burst_lengths_are_consistent", "[config][semantic]") {
  CHECK(error_of(R"({"iscsi": {"firstBurstLength": 262144, "maxBurstLength": 131072}})") ==
        "t.json: iscsi.firstBurstLength: must not be above iscsi.maxBurstLength (131072) (RFC "
        "7143 13.14)");
  CHECK(error_of(R"({"iscsi": {"firstBurstLength": 131072, "maxBurstLength": 131072}})") == "OK");
}

TEST_CASE("target_names_are_valid_and_unique", "[config][semantic]") {
  CHECK(error_of(with_targets(R"([{"name": "target1", "portals": ["127.0.0.1"]}])")) ==
        "t.json: targets[0].name: an iSCSI name starts with \"iqn.\", \"eui.\" or \"naa.\" (RFC "
        "7143 4.2.7)");
  CHECK(error_of(with_targets(R"([{"name": "eui.02004567a425678d", "portals": ["127.0.0.1"]},
      {"name": "eui.02004567A425678D", "portals": ["127.0.0.1"]}])")) ==
        "t.json: targets[1].name: \"eui.02004567A425678D\" is already the name of targets[0]");
  CHECK(error_of(with_targets(R"([{"name": "iqn.2026-11.t:a", "alias": "a\tb",
      "portals": ["127.0.0.1"]}])")) ==
        "t.json: targets[0].alias: must not contain control "
        "characters");
}

TEST_CASE("target_portals_are_parsed_and_unique", "[config][semantic]") {
  CHECK(error_of(with_targets(R"([{"name": "iqn.2026-11.t:a", "portals": ["localhost:3260"]}])")) ==
        "t.json: targets[0].portals[0]: \"localhost\" is not an IPv4 address (host names are "
        "not resolved)");
  CHECK(error_of(with_targets(R"([{"name": "iqn.2026-11.t:a",
      "portals": ["127.0.0.1", "127.0.0.1:3260"]}])")) ==
        "t.json: targets[0].portals[1]: \"127.0.0.1:3260\" is already listed as "
        "targets[0].portals[0]");
  // Two targets may share a portal (one listener, the login names the target).
  CHECK(error_of(with_targets(R"([{"name": "iqn.2026-11.t:a", "portals": ["127.0.0.1"]},
      {"name": "iqn.2026-11.t:b", "portals": ["127.0.0.1"]}])")) == "OK");
}

TEST_CASE("target_lun_mappings", "[config][semantic]") {
  CHECK(error_of(with_targets(R"([{"name": "iqn.2026-11.t:a", "portals": ["127.0.0.1"],
      "luns": [{"lun": 0, "logicalUnit": "d9"}]}])")) ==
        "t.json: targets[0].luns[0].logicalUnit: no logical unit is named \"d9\"");
  CHECK(error_of(with_targets(R"([{"name": "iqn.2026-11.t:a", "portals": ["127.0.0.1"],
      "luns": [{"lun": 3, "logicalUnit": "d0"}, {"lun": 3, "logicalUnit": "d1"}]}])")) ==
        "t.json: targets[0].luns[1].lun: LUN 3 is already mapped by targets[0].luns[0]");
  CHECK(error_of(with_targets(R"([{"name": "iqn.2026-11.t:a", "portals": ["127.0.0.1"],
      "luns": [{"lun": 0, "logicalUnit": "d0"}, {"lun": 1, "logicalUnit": "d0"}]}])")) ==
        "t.json: targets[0].luns[1].logicalUnit: \"d0\" is already mapped by "
        "targets[0].luns[0]");
  // One LU behind two targets (two paths to it) is fine.
  CHECK(error_of(with_targets(R"([
      {"name": "iqn.2026-11.t:a", "portals": ["127.0.0.1"], "luns": [{"lun": 0, "logicalUnit": "d0"}]},
      {"name": "iqn.2026-11.t:b", "portals": ["127.0.0.1"], "luns": [{"lun": 5, "logicalUnit": "d0"}]}])")) == "OK");
}

TEST_CASE("chap_settings_follow_the_method", "[config][semantic]") {
  CHECK(error_of(with_auth(R"({"chapUser": "u"})")) ==
        "t.json: targets[0].auth.chapUser: only used with method \"chap\"");
  CHECK(error_of(with_auth(R"({"method": "none", "mutualSecret": "0123456789abc"})")) ==
        "t.json: targets[0].auth.mutualSecret: only used with method \"chap\"");
  // Neither user nor secret: the initiator's record (Config.initiators) answers.
  CHECK(error_of(with_auth(R"({"method": "chap"})")) == "OK");
  CHECK(error_of(with_auth(R"({"method": "chap", "chapSecret": "123456789012"})")) ==
        "t.json: targets[0].auth.chapUser: required with chapSecret");
  CHECK(error_of(with_auth(R"({"method": "chap", "chapUser": "u"})")) ==
        "t.json: targets[0].auth.chapSecret: required with method \"chap\"");
  CHECK(error_of(with_auth(R"({"method": "chap", "chapUser": "u", "chapSecret": "short"})")) ==
        "t.json: targets[0].auth.chapSecret: must be at least 12 bytes (RFC 7143 9.2.1: shorter "
        "secrets need IPsec)");
  CHECK(error_of(with_auth(R"({"method": "chap", "chapUser": "u", "chapSecret": "123456789012"})")) == "OK");
  CHECK(error_of(with_auth(R"({"method": "chap", "chapUser": "u", "chapSecret": "123456789012",
      "mutualUser": "t"})")) == "t.json: targets[0].auth.mutualSecret: required with mutualUser");
  CHECK(error_of(with_auth(R"({"method": "chap", "chapUser": "u", "chapSecret": "123456789012",
      "mutualSecret": "abcdefghijkl"})")) == "t.json: targets[0].auth.mutualUser: required with mutualSecret");
  CHECK(error_of(with_auth(R"({"method": "chap", "chapUser": "u", "chapSecret": "123456789012",
      "mutualUser": "t", "mutualSecret": "abc"})")) ==
        "t.json: targets[0].auth.mutualSecret: must be at least 12 bytes (RFC 7143 9.2.1: "
        "shorter secrets need IPsec)");
  CHECK(error_of(with_auth(R"({"method": "chap", "chapUser": "u", "chapSecret": "123456789012",
      "mutualUser": "t", "mutualSecret": "123456789012"})")) ==
        "t.json: targets[0].auth.mutualSecret: must differ from chapSecret (RFC 7143 9.2.1)");
  CHECK(error_of(with_auth(R"({"method": "chap", "chapUser": "u\u0001", "chapSecret": "123456789012"})")) ==
        "t.json: targets[0].auth.chapUser: must not contain control characters");
}
