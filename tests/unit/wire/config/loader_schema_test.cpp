// What the schema walk rejects before JsonCodec decodes: unknown keys,
// wrong JSON types, the $required/$range/$oneOf/$maxBytes annotations.
#include <catch2/catch.hpp>

#include "config_test_util.hpp"

using namespace stmfd::wire::cfg::test;

TEST_CASE("unknown_keys_are_named_with_their_path", "[config][schema]") {
  CHECK(error_of(R"({"logLevl": "info"})") ==
        "t.json: logLevl: unknown key (known keys: dataDir, logLevel, threads, iscsi, targets, "
        "logicalUnits, hostGroups, targetGroups, views, limits, fcPorts, targetPortGroups, libraries, admin, metrics, "
        "portalGroups, initiators, iscsiDefaults)");
  CHECK(error_of(R"({"threads": {"worker": 2}})") ==
        "t.json: threads.worker: unknown key (known keys: workers, rings, ringSpinUs)");
  CHECK(error_of(one_target(R"(, "sise": 5)")) ==
        "t.json: logicalUnits[0].sise: unknown key (known keys: name, backing, path, "
        "sizeBytes, create, blockSize, writeCache, readOnly, serial, vendor, product, guid, removable, "
        "thinProvisioning, provider, barcode, physicalBlockSize)");
  CHECK(error_of(one_target({}, R"(, "auth": {"method": "none", "secret": "x"})")) ==
        "t.json: targets[0].auth.secret: unknown key (known keys: method, chapUser, "
        "chapSecret, mutualUser, mutualSecret)");
  CHECK(error_of(R"({"targets": [{"name": "iqn.2026-11.t:a", "portals": ["127.0.0.1"],
      "luns": [{"lun": 0, "lu": "d0"}]}]})") ==
        "t.json: targets[0].luns[0].lu: unknown key (known keys: lun, logicalUnit)");
}

TEST_CASE("wrong_json_types_are_named", "[config][schema]") {
  CHECK(error_of("[]") == "t.json: the document: must be an object, got an array");
  CHECK(error_of(R"({"logLevel": 3})") == "t.json: logLevel: must be a string, got a number");
  CHECK(error_of(R"({"threads": 2})") == "t.json: threads: must be an object, got a number");
  CHECK(error_of(R"({"threads": {"workers": "2"}})") == "t.json: threads.workers: must be an integer, got a string");
  CHECK(error_of(R"({"threads": {"workers": 1.5}})") == "t.json: threads.workers: must be an integer");
  CHECK(error_of(R"({"iscsi": {"immediateData": "yes"}})") ==
        "t.json: iscsi.immediateData: must be true or false, got a string");
  CHECK(error_of(R"({"iscsi": {"initialR2T": 1}})") == "t.json: iscsi.initialR2T: must be true or false, got a number");
  CHECK(error_of(R"({"targets": {}})") == "t.json: targets: must be an array, got an object");
  CHECK(error_of(R"({"targets": ["iqn.2026-11.t:a"]})") == "t.json: targets[0]: must be an object, got a string");
  CHECK(error_of(R"({"dataDir": null})") ==
        "t.json: dataDir: null is not a value here (leave the key out for the default)");
  CHECK(error_of(ram_lu(R"(, "sizeBytes": true)")) ==
        "t.json: logicalUnits[0].sizeBytes: must be an integer (number or decimal string), "
        "got a boolean");
}

TEST_CASE("duplicate_keys_are_rejected", "[config][schema]") {
  CHECK(error_of(R"({"logLevel": "info", "logLevel": "debug"})") == "t.json: logLevel: key appears twice");
}

TEST_CASE("ranges_from_the_schema_are_enforced", "[config][schema]") {
  CHECK(error_of(R"({"threads": {"workers": 0}})") == "t.json: threads.workers: must be between 1 and 256, got 0");
  CHECK(error_of(R"({"threads": {"rings": -1}})") == "t.json: threads.rings: must be between 1 and 64, got -1");
  CHECK(error_of(R"({"iscsi": {"maxRecvDataSegmentLength": 511}})") ==
        "t.json: iscsi.maxRecvDataSegmentLength: must be between 512 and 16777215, got 511");
  CHECK(error_of(R"({"iscsi": {"maxBurstLength": 16777216}})") ==
        "t.json: iscsi.maxBurstLength: must be between 512 and 16777215, got 16777216");
  CHECK(error_of(R"({"iscsi": {"defaultTime2Wait": 3601}})") ==
        "t.json: iscsi.defaultTime2Wait: must be between 0 and 3600, got 3601");
  CHECK(error_of(R"({"iscsi": {"maxOutstandingR2T": 0}})") ==
        "t.json: iscsi.maxOutstandingR2T: must be between 1 and 65535, got 0");
  CHECK(error_of(R"({"iscsi": {"nopInTimeout": 0}})") ==
        "t.json: iscsi.nopInTimeout: must be between 1 and 3600, got 0");
  CHECK(error_of(R"({"iscsi": {"cmdWindow": 0}})") == "t.json: iscsi.cmdWindow: must be between 1 and 65536, got 0");
  // Without a $range the type's own bounds apply.
  CHECK(error_of(one_target({}, R"(, "tpgt": 65536)")) ==
        "t.json: targets[0].tpgt: must be between 0 and 65535, got 65536");
  CHECK(error_of(one_target(R"(, "blockSize": 4294967296)")) ==
        "t.json: logicalUnits[0].blockSize: must be between 0 and 4294967295, got 4294967296");
  CHECK(error_of(R"({"targets": [{"name": "iqn.2026-11.t:a", "portals": ["127.0.0.1"],
      "luns": [{"lun": 16384, "logicalUnit": "d0"}]}]})") ==
        "t.json: targets[0].luns[0].lun: must be between 0 and 16383, got 16384");
}

TEST_CASE("64_bit_integers_accept_decimal_strings", "[config][schema]") {
  auto r = load(ram_lu(R"(, "sizeBytes": "9007199254740992000")"));
  REQUIRE(r.ok);
  CHECK(r.root().getLogicalUnits()[0].getSizeBytes() == 9007199254740992000ULL);
  CHECK(error_of(ram_lu(R"(, "sizeBytes": 9007199254740993000)")) ==
        "t.json: logicalUnits[0].sizeBytes: integers above 2^53 must be written as a decimal "
        "string");
  CHECK(error_of(ram_lu(R"(, "sizeBytes": "1G")")) ==
        "t.json: logicalUnits[0].sizeBytes: must be an integer (a number, or a string of "
        "decimal digits)");
  CHECK(error_of(ram_lu(R"(, "sizeBytes": "18446744073709551616")")) ==
        "t.json: logicalUnits[0].sizeBytes: \"18446744073709551616\" is too large");
  CHECK(error_of(ram_lu(R"(, "sizeBytes": "-512")")) ==
        "t.json: logicalUnits[0].sizeBytes: must be between 0 and 18446744073709551615, "
        "got -512");
}

TEST_CASE("one_of_lists_the_accepted_values", "[config][schema]") {
  CHECK(error_of(R"({"logLevel": "verbose"})") ==
        "t.json: logLevel: must be one of \"error\", \"warn\", \"info\", \"debug\"; got "
        "\"verbose\"");
  CHECK(error_of(one_target(R"(, "backing": "disk")")) == "t.json: logicalUnits[0].backing: key appears twice");
  CHECK(error_of(R"({"logicalUnits": [{"name": "d0", "backing": "disk"}]})") ==
        "t.json: logicalUnits[0].backing: must be one of \"file\", \"block\", \"ram\"; got "
        "\"disk\"");
  CHECK(error_of(one_target({}, R"(, "auth": {"method": "kerberos"})")) ==
        "t.json: targets[0].auth.method: must be one of \"none\", \"chap\", \"default\"; got \"kerberos\"");
}

TEST_CASE("required_keys_must_be_present_and_non_empty", "[config][schema]") {
  CHECK(error_of(R"({"logicalUnits": [{"backing": "ram", "sizeBytes": 512}]})") ==
        "t.json: logicalUnits[0].name: required key is missing");
  CHECK(error_of(R"({"logicalUnits": [{"name": "r", "sizeBytes": 512}]})") ==
        "t.json: logicalUnits[0].backing: required key is missing");
  CHECK(error_of(R"({"logicalUnits": [{"name": "", "backing": "ram"}]})") ==
        "t.json: logicalUnits[0].name: must not be empty");
  CHECK(error_of(R"({"targets": [{"portals": ["127.0.0.1"]}]})") == "t.json: targets[0].name: required key is missing");
  CHECK(error_of(R"({"targets": [{"name": "iqn.2026-11.t:a"}]})") ==
        "t.json: targets[0]: needs portals or portalGroups");
  CHECK(error_of(R"({"targets": [{"name": "iqn.2026-11.t:a", "portals": []}]})") ==
        "t.json: targets[0]: needs portals or portalGroups");
  CHECK(error_of(R"({"targets": [{"name": "iqn.2026-11.t:a", "portals": [""]}]})") ==
        "t.json: targets[0].portals[0]: a portal is \"a.b.c.d[:port]\" or \"[ipv6][:port]\"");
  CHECK(error_of(R"({"targets": [{"name": "iqn.2026-11.t:a", "portals": ["127.0.0.1"],
      "luns": [{"logicalUnit": "d0"}]}]})") == "t.json: targets[0].luns[0].lun: required key is missing");
  CHECK(error_of(R"({"targets": [{"name": "iqn.2026-11.t:a", "portals": ["127.0.0.1"],
      "luns": [{"lun": 0}]}]})") == "t.json: targets[0].luns[0].logicalUnit: required key is missing");
}

TEST_CASE("text_lengths_are_bounded", "[config][schema]") {
  CHECK(error_of(one_target(R"(, "vendor": "ABCDEFGHI")")) ==
        "t.json: logicalUnits[0].vendor: must be at most 8 bytes, got 9");
  CHECK(error_of(one_target(R"(, "product": "ABCDEFGHIJKLMNOPQ")")) ==
        "t.json: logicalUnits[0].product: must be at most 16 bytes, got 17");
  CHECK(error_of(one_target(R"(, "serial": "a\u0000b")")) ==
        "t.json: logicalUnits[0].serial: must not contain NUL characters");
}
