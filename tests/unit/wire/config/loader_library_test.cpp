// Config.libraries (issue 8): a virtual tape library's changer, drives,
// slots and cartridges, and the LU rules that come with them.
#include <catch2/catch.hpp>

#include <string>

#include "config_test_util.hpp"

using namespace stmfd::wire::cfg::test;

namespace {

// A library "lib" with changer "c", drives d0 and d1; `lib_extra` and
// `lus_extra` are spliced into the library object and the LU list.
std::string library(std::string_view lib_extra = R"("slots": 4)", std::string_view lus_extra = {}) {
  return std::string(R"({"logicalUnits": [
      {"name": "c", "provider": "smc", "backing": "ram"},
      {"name": "d0", "provider": "ssc", "backing": "file"},
      {"name": "d1", "provider": "ssc", "backing": "file"})") +
         std::string(lus_extra) + R"(],
    "libraries": [{"name": "lib", "changer": "c", "drives": ["d0", "d1"], )" +
         std::string(lib_extra) + "}]}";
}

}  // namespace

TEST_CASE("library_loads_with_defaults_filled_in", "[config][library]") {
  auto r = load(library(R"("slots": 4, "cartridges": [{"barcode": "A00001L6", "sizeBytes": 1048576}])"));
  REQUIRE(r.error == "");
  auto lib = r.root().getLibraries()[0];
  CHECK(str(lib.getChanger()) == "c");
  CHECK(lib.getSlots() == 4);
  CHECK(lib.getImportExport() == 0);
  REQUIRE(lib.getCartridges().size() == 1);
  auto lus = r.root().getLogicalUnits();
  CHECK(str(lus[0].getProduct()) == "VLIBRARY");
  CHECK(str(lus[1].getProduct()) == "VTAPE");
  CHECK_FALSE(lus[1].hasPath());
}

TEST_CASE("library_errors_name_the_field", "[config][library]") {
  CHECK(error_of(library(R"("slots": 1, "cartridges": [{"barcode": "A1", "sizeBytes": 1048576},
      {"barcode": "A2", "sizeBytes": 1048576}])")) ==
        "t.json: libraries[0].cartridges: 2 cartridges do not fit in 1 slots");
  CHECK(error_of(library(R"("slots": 2, "cartridges": [{"barcode": "A1", "sizeBytes": 1048576},
      {"barcode": "A1", "sizeBytes": 1048576}])")) ==
        "t.json: libraries[0].cartridges[1].barcode: \"A1\" is already the barcode of libraries[0].cartridges[0]");
  CHECK(error_of(library(R"("slots": 2, "cartridges": [{"barcode": "a/b", "sizeBytes": 1048576}])"))
            .find("libraries[0].cartridges[0].barcode: ") != std::string::npos);
  CHECK(error_of(library(R"("slots": 2, "cartridges": [{"barcode": ".x", "sizeBytes": 1048576}])")) ==
        "t.json: libraries[0].cartridges[0].barcode: must not start with '.'");
  CHECK(error_of(library(R"("slots": 2, "cartridges": [{"barcode": "A1", "sizeBytes": 512}])"))
            .find("libraries[0].cartridges[0].sizeBytes") != std::string::npos);
  CHECK(error_of(library(R"("slots": 0)")).find("libraries[0].slots") != std::string::npos);
  CHECK(error_of(library(R"("importExport": 1)")).find("libraries[0].slots") != std::string::npos);  // required
}

TEST_CASE("library_changer_and_drives_must_fit", "[config][library]") {
  auto no_changer = R"({"logicalUnits": [], "libraries": [{"name": "l", "changer": "x", "slots": 1}]})";
  CHECK(error_of(no_changer) == "t.json: libraries[0].changer: no logical unit is named \"x\"");
  auto disk_changer = R"({"logicalUnits": [{"name": "x", "backing": "ram", "sizeBytes": 1048576}],
      "libraries": [{"name": "l", "changer": "x", "slots": 1}]})";
  CHECK(error_of(disk_changer) == "t.json: libraries[0].changer: \"x\" is not a media changer (provider \"smc\")");
  auto lonely = R"({"logicalUnits": [{"name": "c", "provider": "smc", "backing": "ram"}]})";
  CHECK(error_of(lonely) ==
        "t.json: logicalUnits[0].provider: a media changer (\"smc\") must be the changer of a library "
        "(libraries[].changer)");
  auto twice = R"({"logicalUnits": [{"name": "c", "provider": "smc", "backing": "ram"},
      {"name": "d", "provider": "ssc", "backing": "file"}],
      "libraries": [{"name": "l", "changer": "c", "drives": ["d", "d"], "slots": 1}]})";
  CHECK(error_of(twice) == "t.json: libraries[0].drives[1]: \"d\" is already a drive at libraries[0].drives[0]");
  CHECK(error_of(library(R"("slots": 1)", R"(, {"name": "disk", "backing": "ram", "sizeBytes": 1048576})")) == "OK");
  auto disk_drive = R"({"logicalUnits": [{"name": "c", "provider": "smc", "backing": "ram"},
      {"name": "d", "backing": "ram", "sizeBytes": 1048576}],
      "libraries": [{"name": "l", "changer": "c", "drives": ["d"], "slots": 1}]})";
  CHECK(error_of(disk_drive) == "t.json: libraries[0].drives[0]: \"d\" is not a tape drive (provider \"ssc\")");
  auto drive_with_path = R"({"logicalUnits": [{"name": "c", "provider": "smc", "backing": "ram"},
      {"name": "d", "provider": "ssc", "backing": "file", "path": "d.cart", "sizeBytes": 1048576}],
      "libraries": [{"name": "l", "changer": "c", "drives": ["d"], "slots": 1}]})";
  CHECK(error_of(drive_with_path) ==
        "t.json: logicalUnits[1].path: not used by a library's drive (the library lends it its cartridges)");
  auto standalone_without_path = R"({"logicalUnits": [{"name": "d", "provider": "ssc", "backing": "file"}]})";
  CHECK(error_of(standalone_without_path) == "t.json: logicalUnits[0].path: required with backing \"file\"");
  auto two_libraries_one_changer = R"({"logicalUnits": [{"name": "c", "provider": "smc", "backing": "ram"}],
      "libraries": [{"name": "a", "changer": "c", "slots": 1}, {"name": "b", "changer": "c", "slots": 1}]})";
  CHECK(error_of(two_libraries_one_changer) ==
        "t.json: libraries[1].changer: \"c\" is already the changer of libraries[0]");
}
