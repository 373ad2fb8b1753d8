// stmfadm apply FILE [--dry-run]: a whole desired configuration
// (wire/admin.capnp `apply`), its difference printed one line each.
#include <cstdio>
#include <fstream>
#include <sstream>

#include "actors/stmfadm/print.hpp"
#include "actors/stmfadm/verbs.hpp"

namespace stmfd::stmfadm {

runner apply_config(CLI::App& app, std::shared_ptr<context> c) {
  auto file = std::make_shared<std::string>();
  auto dry = std::make_shared<bool>(false);
  app.add_flag("-n,--dry-run", *dry, "print the difference and change nothing");
  app.add_option("file", *file, "the desired configuration (the daemon's JSON config format)")->required();
  return [c, file, dry](connection& conn) {
    std::ifstream in(*file, std::ios::binary);
    if (!in) {
      std::fprintf(stderr, "%s: cannot read %s\n", c->program.c_str(), file->c_str());
      return int(exit_usage);
    }
    std::ostringstream text;
    text << in.rdbuf();
    auto req = conn.admin().applyRequest();
    req.initDesired().setJson(text.str());
    req.setDryRun(*dry);
    auto resp = req.send().wait(conn.wait_scope());
    if (c->json) return print_json(resp), report(c->program, resp.getStatus());
    // The plan is printed even when the daemon refused it: its "!" lines
    // name what would need a restart.
    auto changes = resp.getDiff().getChanges();
    for (auto line : changes) std::printf("%s\n", line.cStr());
    if (changes.size() == 0 && resp.getStatus().getCode() == wire::admin::ErrorCode::OK) std::printf("no changes\n");
    return report(c->program, resp.getStatus());
  };
}

}  // namespace stmfd::stmfadm
