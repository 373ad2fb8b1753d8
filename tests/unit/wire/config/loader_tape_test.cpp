// LogicalUnit.provider "ssc" (a standalone tape drive) and barcode.
#include <catch2/catch.hpp>

#include "config_test_util.hpp"

using namespace stmfd::wire::cfg::test;

TEST_CASE("tape_drive_lu_loads_with_defaults_filled_in", "[config][tape]") {
  auto r = load(R"({"logicalUnits": [{"name": "t0", "provider": "ssc", "backing": "file",
      "path": "t0.tape", "sizeBytes": 104857600, "barcode": "TAPE01L6"}]})");
  REQUIRE(r.error == "");
  auto lu = r.root().getLogicalUnits()[0];
  CHECK(str(lu.getProvider()) == "ssc");
  CHECK(str(lu.getBarcode()) == "TAPE01L6");
  CHECK(str(lu.getProduct()) == "VTAPE");
  CHECK(str(lu.getPath()) == "/var/lib/stmfd/t0.tape");  // relative to the default dataDir
}

TEST_CASE("tape_drive_lu_errors_name_the_field", "[config][tape]") {
  CHECK(error_of(R"({"logicalUnits": [{"name": "t", "provider": "ssc", "backing": "ram",
      "sizeBytes": 1048576}]})") ==
        "t.json: logicalUnits[0].backing: must be \"file\" (a cartridge file) with provider \"ssc\"");
  CHECK(error_of(R"({"logicalUnits": [{"name": "t", "provider": "ssc", "backing": "file", "path": "t",
      "sizeBytes": 512}]})") ==
        "t.json: logicalUnits[0].sizeBytes: a cartridge's capacity must be at least 1048576 bytes (1 MiB)");
  CHECK(error_of(R"({"logicalUnits": [{"name": "t", "provider": "ssc", "backing": "file", "path": "t",
      "sizeBytes": 1048576, "barcode": "BAD\u0001"}]})")
            .find("logicalUnits[0].barcode: ") != std::string::npos);
  CHECK(error_of(R"({"logicalUnits": [{"name": "d", "backing": "file", "path": "d",
      "sizeBytes": 1048576, "barcode": "X"}]})") ==
        "t.json: logicalUnits[0].barcode: only for provider \"ssc\" (a tape drive)");
  CHECK(error_of(R"({"logicalUnits": [{"name": "d", "provider": "smc", "backing": "file", "path": "d",
      "sizeBytes": 1048576}]})") ==
        "t.json: logicalUnits[0].backing: must be \"ram\" with provider \"smc\" (a media changer stores nothing)");
  CHECK(error_of(R"({"logicalUnits": [{"name": "d", "provider": "vtl", "backing": "ram", "sizeBytes": 1048576}]})")
            .find("logicalUnits[0].provider") != std::string::npos);
}
