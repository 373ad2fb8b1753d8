// stmfadm / sbdadm / itadm: one binary, the verbs chosen by the name it is
// run as (actors/stmfadm/shell.hpp).
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "actors/admin/socket_path.hpp"
#include "actors/admin/token_file.hpp"
#include "actors/stmfadm/shell.hpp"

int main(int argc, char** argv) {
  using namespace stmfd::stmfadm;
  std::string program = std::filesystem::path(argv[0]).filename().string();
  if (program != "sbdadm" && program != "itadm") program = "stmfadm";
  endpoint ep;
  ep.socket_path = stmfd::admin::default_socket_path();
  std::string token_file;
  // Options before the verb: --NAME VALUE or --NAME=VALUE.
  const std::pair<const char*, std::string*> global[] = {{"--socket", &ep.socket_path}, {"-S", &ep.socket_path},
                                                         {"--connect", &ep.remote},     {"--ca", &ep.ca_file},
                                                         {"--tls-name", &ep.tls_name},  {"--token-file", &token_file}};
  std::vector<std::string> args;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    bool taken = false;
    for (auto& [name, target] : global) {
      if (!args.empty()) break;
      std::string n = name;
      if (a == n) {
        if (i + 1 >= argc) {
          std::fprintf(stderr, "%s: %s needs a value\n", program.c_str(), a.c_str());
          return exit_usage;
        }
        *target = argv[++i];
        taken = true;
      } else if (a.rfind(n + "=", 0) == 0) {
        *target = a.substr(n.size() + 1);
        taken = true;
      }
      if (taken) break;
    }
    if (!taken) args.push_back(a);
  }
  if (!token_file.empty()) {
    std::string error;
    ep.token = stmfd::admin::read_token_file(token_file, error);
    if (ep.token.empty()) {
      std::fprintf(stderr, "%s: %s\n", program.c_str(), error.c_str());
      return exit_usage;
    }
  } else if (const char* t = std::getenv("STMFD_ADMIN_TOKEN"); t != nullptr) {
    ep.token = t;
  }
  if (ep.remote.empty() && (!ep.ca_file.empty() || !ep.tls_name.empty())) {
    std::fprintf(stderr, "%s: --ca and --tls-name go with --connect HOST:PORT\n", program.c_str());
    return exit_usage;
  }
  connection conn(ep);
  if (args.empty()) return interactive(program, conn);
  return run_verb(program, args, conn);
}
