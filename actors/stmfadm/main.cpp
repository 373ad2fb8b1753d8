// stmfadm / sbdadm / itadm: one binary, the verbs chosen by the name it is
// run as (actors/stmfadm/shell.hpp).
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "actors/admin/socket_path.hpp"
#include "actors/stmfadm/shell.hpp"

int main(int argc, char** argv) {
  using namespace stmfd::stmfadm;
  std::string program = std::filesystem::path(argv[0]).filename().string();
  if (program != "sbdadm" && program != "itadm") program = "stmfadm";
  std::string socket = stmfd::admin::default_socket_path();
  std::vector<std::string> args;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (args.empty() && (a == "--socket" || a == "-S")) {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "%s: %s needs a path\n", program.c_str(), a.c_str());
        return exit_usage;
      }
      socket = argv[++i];
    } else if (args.empty() && a.rfind("--socket=", 0) == 0) {
      socket = a.substr(9);
    } else {
      args.push_back(a);
    }
  }
  connection conn(socket);
  if (args.empty()) return interactive(program, conn);
  return run_verb(program, args, conn);
}
