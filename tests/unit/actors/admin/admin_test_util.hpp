#pragma once
// Shared helpers of the admin plane's unit tests: a scratch directory and a
// fake framework that records what the admin service asked of it.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include <memory>

#include "actors/admin/admin_service.hpp"
#include "actors/admin/stmf_link.hpp"

namespace stmfd::admin::test {

// A fresh directory under the system temp dir, removed at scope end.
struct scratch_dir {
  std::filesystem::path path;
  scratch_dir() {
    static int n = 0;
    path = std::filesystem::temp_directory_path() /
           ("stmfd-admin-test-" + std::to_string(::getpid()) + "-" + std::to_string(n++));
    std::filesystem::remove_all(path);
    std::filesystem::create_directories(path);
  }
  ~scratch_dir() { std::filesystem::remove_all(path); }
  std::string file(const std::string& name) const { return (path / name).string(); }
};

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

inline void write_file(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

// Records every call; answers with the configured errors.
struct fake_stmf : stmf_link {
  std::vector<mapping> pushed;  // every apply_views
  std::vector<std::string> created, deleted;
  std::vector<std::pair<std::string, bool>> online_calls;
  std::string create_error;  // returned by create_lu when set
  lu_statuses states;

  std::string apply_views(const mapping& m) override {
    pushed.push_back(m);
    return {};
  }
  lu_statuses lu_states() override { return states; }
  std::string set_lu_online(const std::string& name, bool online) override {
    online_calls.emplace_back(name, online);
    return {};
  }
  std::string create_lu(const lu_definition& def) override {
    if (!create_error.empty()) return create_error;
    created.push_back(def.name);
    return {};
  }
  std::string delete_lu(const std::string& name) override {
    deleted.push_back(name);
    return {};
  }
  port_summary_list ports_answer;  // what ports() answers
  port_summary_list ports() override { return ports_answer; }
  std::vector<std::shared_ptr<const wire::cfg::load_result>> reconfigured;  // every reconfigure_ports
  std::string reconfigure_ports(const config_snapshot& cfg) override {
    reconfigured.push_back(cfg);
    return {};
  }
  std::vector<std::pair<std::string, bool>> target_online_calls;
  std::string set_target_online(const std::string& name, bool online) override {
    target_online_calls.emplace_back(name, online);
    return {};
  }
  std::vector<tpg_change> alua_changes;  // every set_alua_state
  tpg_listing alua_groups() override { return {}; }
  std::string set_alua_state(const tpg_change& c) override {
    alua_changes.push_back(c);
    return {};
  }
};

// A config with one target and one RAM LU "lu0" at LUN 0 of the target,
// its data in `data_dir`.
inline std::string base_config(const std::string& data_dir) {
  return R"({
  "dataDir": ")" +
         data_dir + R"(",
  "logLevel": "info",
  "targets": [ { "name": "iqn.2026-11.t:a", "portals": ["127.0.0.1:3260"],
                 "luns": [ { "lun": 0, "logicalUnit": "lu0" } ] } ],
  "logicalUnits": [ { "name": "lu0", "backing": "ram", "sizeBytes": 1048576 } ]
}
)";
}

// An admin_service over base_config() in a scratch directory, with a fake
// framework.
struct service_fixture {
  scratch_dir dir;
  std::string path = dir.file("stmfd.json");
  fake_stmf stmf;
  std::unique_ptr<admin_service> svc;
  service_fixture() {
    write_file(path, base_config(dir.file("data")));
    svc = std::make_unique<admin_service>(path, read_file(path), stmf);
    REQUIRE(svc->load_error().empty());
  }
};

}  // namespace stmfd::admin::test
