// Defaults, derived values and path resolution: the "Filled in:" clauses
// of wire/config.capnp, plus load_file and the shipped configs.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <cstdio>
#include <fstream>

#include "config_test_util.hpp"
#include "wire/config/identity.hpp"

using namespace stmfd::wire::cfg;
using namespace stmfd::wire::cfg::test;

TEST_CASE("an_empty_object_gives_every_schema_default", "[config][defaults]") {
  auto r = load("{}");
  REQUIRE(r.ok);
  CHECK(r.error.empty());
  auto c = r.root();
  CHECK(str(c.getDataDir()) == "/var/lib/stmfd");
  CHECK(str(c.getLogLevel()) == "info");
  CHECK(c.getThreads().getWorkers() == 1);
  CHECK(c.getThreads().getRings() == 1);
  auto i = c.getIscsi();
  CHECK(i.getMaxRecvDataSegmentLength() == 262144);
  CHECK(i.getMaxBurstLength() == 1048576);
  CHECK(i.getFirstBurstLength() == 65536);
  CHECK(i.getImmediateData() == true);
  CHECK(i.getInitialR2T() == false);
  CHECK(i.getMaxOutstandingR2T() == 1);
  CHECK(i.getDefaultTime2Wait() == 2);
  CHECK(i.getDefaultTime2Retain() == 0);
  CHECK(i.getCmdWindow() == 128);
  CHECK(i.getNopInInterval() == 30);
  CHECK(i.getNopInTimeout() == 30);
  CHECK(i.getLoginTimeout() == 15);
  CHECK(c.getTargets().size() == 0);
  CHECK(c.getLogicalUnits().size() == 0);
}

TEST_CASE("target_and_lu_defaults_are_filled", "[config][defaults]") {
  auto r = load(one_target());
  REQUIRE(r.ok);
  auto t = r.root().getTargets()[0];
  CHECK(t.getTpgt() == 1);
  CHECK(str(t.getAlias()) == "");
  CHECK(str(t.getAuth().getMethod()) == "none");
  CHECK(t.getLuns()[0].getLun() == 0);
  auto lu = r.root().getLogicalUnits()[0];
  CHECK(lu.getCreate() == true);
  CHECK(lu.getBlockSize() == 512);
  CHECK(lu.getWriteCache() == true);
  CHECK(lu.getReadOnly() == false);
  CHECK(lu.getThinProvisioning() == true);  // thin unless the config says otherwise (issue 7)
  CHECK(str(lu.getVendor()) == "STMFD");
  CHECK(str(lu.getProduct()) == "VDISK");
  CHECK(str(lu.getGuid()) == derived_guid("d0"));
  CHECK(str(lu.getSerial()) == derived_serial("d0"));
  CHECK(str(lu.getGuid()).substr(0, 7) == "6025354");
}

TEST_CASE("explicit_identity_is_kept_and_guid_upper_cased", "[config][defaults]") {
  auto r = load(one_target(R"(, "serial": "SN-1", "guid": "600144f0c0a8010000005ab1c0000001")"));
  REQUIRE(r.ok);
  auto lu = r.root().getLogicalUnits()[0];
  CHECK(str(lu.getSerial()) == "SN-1");
  CHECK(str(lu.getGuid()) == "600144F0C0A8010000005AB1C0000001");
}

TEST_CASE("paths_resolve_against_config_dir_then_data_dir", "[config][defaults]") {
  auto r = load(one_target({}, {}, R"(, "dataDir": "../var/")"));
  REQUIRE(r.ok);
  CHECK(str(r.root().getDataDir()) == "/etc/var");
  CHECK(str(r.root().getLogicalUnits()[0].getPath()) == "/etc/var/d0.img");

  r = load(one_target());
  REQUIRE(r.ok);
  CHECK(str(r.root().getLogicalUnits()[0].getPath()) == "/var/lib/stmfd/d0.img");

  r = load(R"({"logicalUnits": [{"name": "a", "backing": "file", "path": "/dev/shm/./x.img",
      "sizeBytes": 512}]})");
  REQUIRE(r.ok);
  CHECK(str(r.root().getLogicalUnits()[0].getPath()) == "/dev/shm/x.img");

  CHECK(error_of(R"({"dataDir": ""})") == "t.json: dataDir: must not be empty");
}

TEST_CASE("portals_are_stored_in_canonical_form", "[config][defaults]") {
  auto r = load(R"({"targets": [{"name": "iqn.2026-11.t:a",
      "portals": ["127.0.0.1", "[0:0::1]:3262", "0.0.0.0:860"]}]})");
  REQUIRE(r.ok);
  auto p = r.root().getTargets()[0].getPortals();
  REQUIRE(p.size() == 3);
  CHECK(str(p[0]) == "127.0.0.1:3260");
  CHECK(str(p[1]) == "[::1]:3262");
  CHECK(str(p[2]) == "0.0.0.0:860");
}

TEST_CASE("a_failed_load_has_no_message_and_a_default_root", "[config][defaults]") {
  auto r = load(R"({"logLevel": "loud"})");
  CHECK_FALSE(r.ok);
  CHECK(r.message == nullptr);
  CHECK(str(r.root().getLogLevel()) == "info");
  CHECK(r.root().getTargets().size() == 0);
}

TEST_CASE("load_file_reports_unreadable_files", "[config][file]") {
  CHECK(load_file("/nonexistent/stmfd.json").error ==
        "/nonexistent/stmfd.json: cannot read: No such file or directory");
  CHECK(load_file("/tmp").error == "/tmp: cannot read: it is a directory");
}

TEST_CASE("load_file_resolves_against_the_file_directory", "[config][file]") {
  char dir_template[] = "/tmp/stmfd-config-test-XXXXXX";
  REQUIRE(mkdtemp(dir_template) != nullptr);
  std::string dir = dir_template;
  std::string file = dir + "/c.json";
  {
    std::ofstream out(file);
    out << R"({"dataDir": "state", "logicalUnits": [{"name": "a", "backing": "file",
        "path": "a.img", "sizeBytes": 4096}]})";
  }
  auto r = load_file(file);
  REQUIRE(r.ok);
  CHECK(str(r.root().getDataDir()) == dir + "/state");
  CHECK(str(r.root().getLogicalUnits()[0].getPath()) == dir + "/state/a.img");
  {
    std::ofstream out(file);
    out << "{\n  \"threads\": {\"workers\": 0}\n}\n";
  }
  CHECK(load_file(file).error == file + ": threads.workers: must be between 1 and 256, got 0");
  std::remove(file.c_str());
  rmdir(dir.c_str());
}

TEST_CASE("shipped_default_config_loads", "[config][file]") {
  auto root = repo_root();
  auto r = load_file((root / "config/default.json").string());
  REQUIRE(r.error == "");
  auto c = r.root();
  CHECK(str(c.getDataDir()) == (root / "var").string());
  REQUIRE(c.getTargets().size() == 1);
  auto t = c.getTargets()[0];
  CHECK(str(t.getName()) == "iqn.2026-11.org.stmfd:default");
  REQUIRE(t.getPortals().size() == 1);
  CHECK(str(t.getPortals()[0]) == "127.0.0.1:3260");
  REQUIRE(t.getLuns().size() == 1);
  CHECK(t.getLuns()[0].getLun() == 0);
  CHECK(str(t.getLuns()[0].getLogicalUnit()) == "disk0");
  REQUIRE(c.getLogicalUnits().size() == 1);
  auto lu = c.getLogicalUnits()[0];
  CHECK(str(lu.getBacking()) == "file");
  CHECK(str(lu.getPath()) == (root / "var/disk0.img").string());
  CHECK(lu.getSizeBytes() == (1ULL << 30));
  CHECK(lu.getCreate());
}

TEST_CASE("shipped_example_configs_load", "[config][file]") {
  auto root = repo_root();
  for (const char* name : {"chap.json", "ram.json", "multi.json", "tape.json", "vtl.json"}) {
    INFO(name);
    auto r = load_file((root / "config/examples" / name).string());
    CHECK(r.error == "");
  }
  auto multi = load_file((root / "config/examples/multi.json").string());
  REQUIRE(multi.ok);
  CHECK(multi.root().getTargets().size() == 2);
  for (auto lu : multi.root().getLogicalUnits()) CHECK(lu.getBlockSize() == 4096);
}
