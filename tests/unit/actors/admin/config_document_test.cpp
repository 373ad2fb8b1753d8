// render_config: the admin plane's keys are rewritten, everything else is
// kept as the operator wrote it.
#include <catch2/catch.hpp>

#include "actors/admin/config_document.hpp"
#include "wire/config/loader.hpp"

using namespace stmfd;
using namespace stmfd::admin;

namespace {
const char* base = R"({ "logLevel": "debug", "dataDir": "../var",
  "targets": [ { "name": "iqn.2026-11.t:a", "portals": ["127.0.0.1:3260"], "tpgt": 3,
                 "luns": [ { "lun": 0, "logicalUnit": "a" } ] } ],
  "logicalUnits": [ { "name": "a", "backing": "ram", "sizeBytes": "1048576" } ] })";
}

TEST_CASE("render keeps unowned keys and order, rewrites views and groups", "[admin][document]") {
  mapping_state m;
  m.lus = {"a", "b"};
  m.host_groups = {{"hg1", {"iqn.2026-11.h:x"}}};
  m.views = {{"a", "", "", "iqn.2026-11.t:a", 0}, {"b", "hg1", "", "", 4}};
  lu_entry_fields b{"b", "file", "b.img", 1 << 20};
  auto r = render_config(base, document_change{.mapping = &m, .added_lus = {b}});
  REQUIRE(r.error.empty());
  auto& t = r.text;
  CHECK(t.find("\"logLevel\": \"debug\"") < t.find("\"dataDir\": \"../var\""));
  CHECK(t.find("\"tpgt\": 3") != std::string::npos);
  CHECK(t.find("\"sizeBytes\": \"1048576\"") != std::string::npos);  // the existing LU as written
  CHECK(t.find("\"hostGroups\"") != std::string::npos);
  CHECK(t.find("{\"lun\": 4, \"logicalUnit\": \"b\", \"hostGroup\": \"hg1\"}") != std::string::npos);
  auto loaded = wire::cfg::load_text(t, "t.json", "/etc/stmfd");
  INFO(loaded.error);
  REQUIRE(loaded.ok);
  CHECK(loaded.root().getLogicalUnits().size() == 2);
  CHECK(loaded.root().getTargets()[0].getLuns().size() == 1);
  CHECK(loaded.root().getViews().size() == 1);
}

TEST_CASE("render removes an LU and the target's LUN list follows the mapping", "[admin][document]") {
  mapping_state m;  // no LUs, no views left
  auto r = render_config(base, document_change{.mapping = &m, .removed_lus = {"a"}});
  REQUIRE(r.error.empty());
  auto loaded = wire::cfg::load_text(r.text, "t.json", "/etc/stmfd");
  INFO(loaded.error);
  REQUIRE(loaded.ok);
  CHECK(loaded.root().getLogicalUnits().size() == 0);
  CHECK(loaded.root().getTargets()[0].getLuns().size() == 0);
}

TEST_CASE("render refuses text that is not a JSON object", "[admin][document]") {
  CHECK(!render_config("[1, 2]", {}).error.empty());
  CHECK(!render_config("{ broken", {}).error.empty());
}

TEST_CASE("render writes a thick LU as thinProvisioning false, a thin one without the key", "[admin][document]") {
  lu_entry_fields thick{"t", "file", "t.img", 1 << 20};
  thick.thin = false;
  lu_entry_fields thin{"s", "file", "s.img", 1 << 20};
  auto r = render_config(base, document_change{.added_lus = {thick, thin}});
  REQUIRE(r.error.empty());
  auto loaded = wire::cfg::load_text(r.text, "t.json", "/etc/stmfd");
  INFO(loaded.error);
  REQUIRE(loaded.ok);
  auto lus = loaded.root().getLogicalUnits();
  REQUIRE(lus.size() == 3);
  CHECK_FALSE(lus[1].getThinProvisioning());
  CHECK(lus[2].getThinProvisioning());
  CHECK(r.text.find("\"thinProvisioning\"") == r.text.rfind("\"thinProvisioning\""));  // only once
}

TEST_CASE("render modifies an LU entry in place, keeping the keys modify-lu does not own", "[admin][document]") {
  const char* doc = R"({ "logicalUnits": [ { "name": "a", "backing": "file", "path": "a.img", "sizeBytes": 1048576,
                          "serial": "S1", "vendor": "OLD" }, { "name": "b", "backing": "ram", "sizeBytes": 512 } ] })";
  lu_entry_fields m{"a", "file", "a.img", 2 << 20};
  m.write_cache = false;
  m.vendor = "ACME";
  auto r = render_config(doc, document_change{.modified_lus = {m}});
  REQUIRE(r.error.empty());
  auto loaded = wire::cfg::load_text(r.text, "t.json", "/etc/stmfd");
  INFO(loaded.error);
  REQUIRE(loaded.ok);
  auto lus = loaded.root().getLogicalUnits();
  REQUIRE(lus.size() == 2);
  CHECK(lus[0].getSizeBytes() == (2u << 20));
  CHECK_FALSE(lus[0].getWriteCache());
  CHECK(std::string(lus[0].getVendor()) == "ACME");
  CHECK(std::string(lus[0].getSerial()) == "S1");  // not owned by modify-lu: kept
  CHECK(lus[1].getSizeBytes() == 512);             // another LU untouched
  CHECK(r.text.find("OLD") == std::string::npos);
}

TEST_CASE("render writes libraries with their drives and cartridges", "[admin][document][library]") {
  std::vector<library_entry> libs = {
      {"vtl", "vtl-changer", {"vtl-drive0"}, 4, 1, {{"A00001L6", 1 << 20, ""}, {"A00002L6", 1 << 20, "in/a2.cart"}}}};
  lu_entry_fields changer{"vtl-changer", "ram"};
  changer.provider = "smc";
  lu_entry_fields drive{"vtl-drive0", "file"};
  drive.provider = "ssc";
  document_change c;
  c.added_lus = {changer, drive};
  c.libraries = &libs;
  auto r = render_config(base, c);
  REQUIRE(r.error.empty());
  auto loaded = wire::cfg::load_text(r.text, "t.json", "/etc/stmfd");
  INFO(loaded.error << "\n" << r.text);
  REQUIRE(loaded.ok);
  auto lib = loaded.root().getLibraries();
  REQUIRE(lib.size() == 1);
  CHECK(std::string(lib[0].getChanger().cStr()) == "vtl-changer");
  CHECK(lib[0].getImportExport() == 1);
  REQUIRE(lib[0].getCartridges().size() == 2);
  CHECK(std::string(lib[0].getCartridges()[0].getPath().cStr()).empty());
  CHECK(std::string(lib[0].getCartridges()[1].getPath().cStr()) == "in/a2.cart");
  // Two cartridges in one file are refused.
  libs[0].cartridges[1].path = "vtl/A00001L6.cart";
  auto dup = wire::cfg::load_text(render_config(base, c).text, "t.json", "/etc/stmfd");
  CHECK_FALSE(dup.ok);
  CHECK(dup.error.find("is already the file of") != std::string::npos);
}
