// preflight: what `stmfd --check` finds wrong between a loaded config and
// the host (a fake one here), every problem named by its LU or target.
#include <catch2/catch.hpp>

#include <map>

#include "actors/model/preflight.hpp"
#include "wire/config/loader.hpp"

using namespace stmfd;
using kind = path_info::kind;

namespace {

struct fake_host final : host_probe {
  std::map<std::string, path_info> paths;  // absent: missing
  uint64_t memory = 8ull << 30;
  std::vector<std::string> addresses = {"192.0.2.10", "::1"};

  path_info stat(const std::string& path) const override {
    auto it = paths.find(path);
    return it == paths.end() ? path_info{} : it->second;
  }
  uint64_t memory_bytes() const override { return memory; }
  bool local_address(const std::string& host, bool) const override {
    return host.rfind("127.", 0) == 0 || std::find(addresses.begin(), addresses.end(), host) != addresses.end();
  }

  void dir(const std::string& p, bool writable = true) { paths[p] = {kind::directory, 0, true, true, writable, {}}; }
  void file(const std::string& p, uint64_t size, bool writable = true) {
    paths[p] = {kind::regular, size, true, true, writable, {}};
  }
  void device(const std::string& p, uint64_t size) { paths[p] = {kind::block, size, true, true, true, {}}; }
};

// The host most tests start from: /srv/stmfd (dataDir) exists and is writable.
fake_host usual_host() {
  fake_host h;
  h.dir("/");
  h.dir("/srv");
  h.dir("/srv/stmfd");
  return h;
}

// The problems found for `json` (a config that must load; dataDir /srv/stmfd), as "subject: what".
std::vector<std::string> problems(const std::string& json, const fake_host& host) {
  auto loaded = wire::cfg::load_text(json, "t.json", "/etc/stmfd");
  if (!loaded.ok) FAIL("load failed: " << loaded.error);
  std::vector<std::string> out;
  for (auto& p : preflight(loaded.root(), host)) out.push_back(p.subject + ": " + p.what);
  return out;
}

std::string with_lus(const std::string& lus) { return R"({"dataDir": "/srv/stmfd", "logicalUnits": [)" + lus + "]}"; }

std::string with_portals(const std::string& a, const std::string& b) {
  return R"({"dataDir": "/srv/stmfd", "targets": [
      {"name": "iqn.2026-11.org.stmfd:a", "portals": )" +
         a + R"(},
      {"name": "iqn.2026-11.org.stmfd:b", "portals": )" +
         b + "}]}";
}

}  // namespace

TEST_CASE("a_config_the_host_can_serve_has_no_problems", "[preflight]") {
  auto h = usual_host();
  h.file("/srv/stmfd/old.img", 1 << 20);
  h.device("/dev/sdb", 1ull << 30);
  h.device("/dev/sdc", 1ull << 30);
  auto json = with_lus(R"(
      {"name": "new", "backing": "file", "path": "new.img", "sizeBytes": 1048576},
      {"name": "old", "backing": "file", "path": "old.img", "sizeBytes": 1048576},
      {"name": "grown", "backing": "file", "path": "old.img.2", "sizeBytes": 2097152},
      {"name": "disk", "backing": "block", "path": "/dev/sdb"},
      {"name": "part", "backing": "block", "path": "/dev/sdc", "sizeBytes": 1048576},
      {"name": "mem", "backing": "ram", "sizeBytes": 1048576})");
  CHECK(problems(json, h).empty());
}

TEST_CASE("a_missing_file_in_a_missing_dataDir_is_fine_when_dataDir_can_be_created", "[preflight]") {
  fake_host h;
  h.dir("/");
  h.dir("/srv");
  auto json = with_lus(R"({"name": "d0", "backing": "file", "path": "d0.img", "sizeBytes": 1048576})");
  CHECK(problems(json, h).empty());  // /srv/stmfd is created at start
  h.dir("/srv", false);
  CHECK(problems(json, h) ==
        std::vector<std::string>{"lu d0: cannot create /srv/stmfd/d0.img: dataDir /srv/stmfd cannot be created: "
                                 "/srv is not writable"});
  h.file("/srv", 10);
  CHECK(problems(json, h) ==
        std::vector<std::string>{"lu d0: cannot create /srv/stmfd/d0.img: dataDir /srv/stmfd cannot be created: "
                                 "/srv is a regular file"});
}

TEST_CASE("a_missing_file_needs_an_existing_writable_directory_outside_dataDir", "[preflight]") {
  auto h = usual_host();
  h.dir("/ro", false);
  auto json = with_lus(R"(
      {"name": "sub", "backing": "file", "path": "sub/d.img", "sizeBytes": 1048576},
      {"name": "ro", "backing": "file", "path": "/ro/d.img", "sizeBytes": 1048576})");
  CHECK(problems(json, h) ==
        std::vector<std::string>{
            "lu sub: cannot create /srv/stmfd/sub/d.img: directory /srv/stmfd/sub does not exist (only dataDir is "
            "created at start)",
            "lu ro: cannot create /ro/d.img: directory /ro is not writable"});
}

TEST_CASE("a_missing_file_that_may_not_be_created_is_a_problem", "[preflight]") {
  auto h = usual_host();
  auto json = with_lus(R"(
      {"name": "nc", "backing": "file", "path": "nc.img", "sizeBytes": 1048576, "create": false},
      {"name": "ro", "backing": "file", "path": "ro.img", "sizeBytes": 1048576, "readOnly": true})");
  CHECK(problems(json, h) ==
        std::vector<std::string>{"lu nc: /srv/stmfd/nc.img does not exist and create is false",
                                 "lu ro: /srv/stmfd/ro.img does not exist and readOnly: it cannot be created"});
}

TEST_CASE("an_existing_file_must_agree_with_sizeBytes", "[preflight]") {
  auto h = usual_host();
  h.file("/srv/stmfd/big.img", 4 << 20);
  h.file("/srv/stmfd/small.img", 4096);
  h.file("/srv/stmfd/grows.img", 4096);
  auto json = with_lus(R"(
      {"name": "big", "backing": "file", "path": "big.img", "sizeBytes": 1048576},
      {"name": "small", "backing": "file", "path": "small.img", "sizeBytes": 1048576, "readOnly": true},
      {"name": "grows", "backing": "file", "path": "grows.img", "sizeBytes": 1048576})");
  auto p = problems(json, h);
  REQUIRE(p.size() == 2);  // a smaller writable file is extended: fine
  CHECK(p[0] ==
        "lu big: /srv/stmfd/big.img is 4194304 bytes, more than sizeBytes (1048576 bytes): the rest would "
        "not be served");
  CHECK(p[1] ==
        "lu small: /srv/stmfd/small.img is 4096 bytes, less than sizeBytes (1048576 bytes), and readOnly: "
        "it cannot be extended");
}

TEST_CASE("a_file_lu_path_must_be_a_regular_file_this_process_may_use", "[preflight]") {
  auto h = usual_host();
  h.dir("/srv/stmfd/adir");
  h.device("/srv/stmfd/dev", 1 << 20);
  h.file("/srv/stmfd/locked", 1 << 20, false);
  h.file("/srv/stmfd/locked.ro", 1 << 20, false);
  h.paths["/srv/stmfd/hidden"] = {kind::unknown, 0, true, false, false, "Permission denied"};
  auto json = with_lus(R"(
      {"name": "a", "backing": "file", "path": "adir", "sizeBytes": 1048576},
      {"name": "b", "backing": "file", "path": "dev", "sizeBytes": 1048576},
      {"name": "c", "backing": "file", "path": "locked", "sizeBytes": 1048576},
      {"name": "d", "backing": "file", "path": "locked.ro", "sizeBytes": 1048576, "readOnly": true},
      {"name": "e", "backing": "file", "path": "hidden", "sizeBytes": 1048576})");
  CHECK(problems(json, h) ==
        std::vector<std::string>{"lu a: /srv/stmfd/adir is a directory, not a regular file",
                                 "lu b: /srv/stmfd/dev is a block device: use backing \"block\"",
                                 "lu c: /srv/stmfd/locked: not writable by this process (and readOnly is false)",
                                 "lu e: /srv/stmfd/hidden is not examinable (Permission denied), not a regular file"});
}

TEST_CASE("a_block_lu_needs_a_block_device_large_enough", "[preflight]") {
  auto h = usual_host();
  h.device("/dev/sdb", 1 << 20);
  h.device("/dev/empty", 0);
  h.file("/srv/stmfd/f.img", 1 << 20);
  path_info unreadable{kind::block, 0, false, false, false, {}};
  h.paths["/dev/sdc"] = unreadable;
  auto json = with_lus(R"(
      {"name": "gone", "backing": "block", "path": "/dev/sdz"},
      {"name": "file", "backing": "block", "path": "f.img"},
      {"name": "over", "backing": "block", "path": "/dev/sdb", "sizeBytes": 2097152},
      {"name": "empty", "backing": "block", "path": "/dev/empty"},
      {"name": "locked", "backing": "block", "path": "/dev/sdc"})");
  CHECK(problems(json, h) ==
        std::vector<std::string>{"lu gone: /dev/sdz does not exist",
                                 "lu file: /srv/stmfd/f.img is a regular file, not a block device",
                                 "lu over: sizeBytes (2097152 bytes) is more than /dev/sdb holds (1048576 bytes)",
                                 "lu empty: /dev/empty is 0 bytes, less than one block (512 bytes)",
                                 "lu locked: /dev/sdc: not readable by this process",
                                 "lu locked: /dev/sdc: not writable by this process (and readOnly is false)"});
}

TEST_CASE("ram_lus_must_fit_in_memory_each_and_together", "[preflight]") {
  auto h = usual_host();
  h.memory = 64 << 20;
  auto one = with_lus(R"({"name": "huge", "backing": "ram", "sizeBytes": 134217728})");
  CHECK(problems(one, h) ==
        std::vector<std::string>{
            "lu huge: sizeBytes (134217728 bytes) is more than this host's memory (67108864 bytes)"});
  auto two = with_lus(R"(
      {"name": "r1", "backing": "ram", "sizeBytes": 41943040},
      {"name": "r2", "backing": "ram", "sizeBytes": 41943040})");
  CHECK(problems(two, h) ==
        std::vector<std::string>{"lus r1, r2: these RAM LUs need 83886080 bytes together, more than this host's memory "
                                 "(67108864 bytes)"});
  h.memory = 0;  // not known: nothing said
  CHECK(problems(two, h).empty());
}

TEST_CASE("portals_must_be_addresses_of_this_host", "[preflight]") {
  auto h = usual_host();
  auto json = with_portals(R"(["192.0.2.10:3260", "127.0.0.2", "[::1]:3261", "0.0.0.0:3262", "[::]:3262"])",
                           R"(["198.51.100.7:3260", "[2001:db8::1]"])");
  CHECK(problems(json, h) ==
        std::vector<std::string>{
            "target iqn.2026-11.org.stmfd:b: portal 198.51.100.7:3260: 198.51.100.7 is not an address of this host "
            "(it cannot be bound)",
            "target iqn.2026-11.org.stmfd:b: portal [2001:db8::1]:3260: 2001:db8::1 is not an address of this host "
            "(it cannot be bound)"});
}

TEST_CASE("a_wildcard_portal_takes_its_port_from_specific_addresses_of_its_family", "[preflight]") {
  auto h = usual_host();
  // Shared portals are bound once; IPv6 sockets are V6ONLY, so [::] and 0.0.0.0 coexist.
  auto fine = with_portals(R"(["0.0.0.0:3260", "[::]:3260", "127.0.0.1:3261"])", R"(["0.0.0.0:3260", "[::1]:3261"])");
  CHECK(problems(fine, h).empty());
  auto clash = with_portals(R"(["0.0.0.0:3260", "[::]:3261"])", R"(["127.0.0.1:3260", "[::1]:3261", "[::1]:3262"])");
  CHECK(problems(clash, h) ==
        std::vector<std::string>{
            "target iqn.2026-11.org.stmfd:b: portal 127.0.0.1:3260: its port is taken by the wildcard portal "
            "0.0.0.0:3260 (target iqn.2026-11.org.stmfd:a)",
            "target iqn.2026-11.org.stmfd:b: portal [::1]:3261: its port is taken by the wildcard portal [::]:3261 "
            "(target iqn.2026-11.org.stmfd:a)"});
}

TEST_CASE("a_library_drive_has_no_file_to_check", "[preflight][library]") {
  auto json = std::string(R"({"dataDir": "/srv/stmfd", "logicalUnits": [
      {"name": "c", "provider": "smc", "backing": "ram"},
      {"name": "d0", "provider": "ssc", "backing": "file"},
      {"name": "t", "provider": "ssc", "backing": "file", "path": "nodir/t.cart", "sizeBytes": 1048576}],
    "libraries": [{"name": "lib", "changer": "c", "drives": ["d0"], "slots": 1,
                   "cartridges": [{"barcode": "A1", "sizeBytes": 1048576}]}]})");
  // Only the standalone drive's file is checked (its directory is missing).
  auto found = problems(json, usual_host());
  REQUIRE(found.size() == 1);
  CHECK(found[0].rfind("lu t: ", 0) == 0);
}
