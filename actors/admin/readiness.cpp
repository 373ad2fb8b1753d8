#include "actors/admin/readiness.hpp"

#include <arpa/inet.h>
#include <systemd/sd-daemon.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "actors/common/log.hpp"

namespace stmfd::admin {
namespace {

// "a.b.c.d:port" / "[v6]:port" as /proc/net/tcp{,6} prints a local
// address: each 32-bit word of the address in host order as %08X, then
// ":%04X" of the port. Empty when it does not parse.
std::string proc_form(const std::string& address, bool& v6) {
  auto colon = address.rfind(':');
  if (colon == std::string::npos) return {};
  std::string host = address.substr(0, colon);
  int port = std::atoi(address.c_str() + colon + 1);
  v6 = !host.empty() && host.front() == '[';
  if (v6) host = host.substr(1, host.size() - 2);
  unsigned char bytes[16];
  if (inet_pton(v6 ? AF_INET6 : AF_INET, host.c_str(), bytes) != 1) return {};
  std::string out;
  char buf[16];
  for (int w = 0; w < (v6 ? 4 : 1); ++w) {
    uint32_t word;
    std::memcpy(&word, bytes + 4 * w, 4);
    std::snprintf(buf, sizeof buf, "%08X", word);
    out += buf;
  }
  std::snprintf(buf, sizeof buf, ":%04X", port);
  return out + buf;
}

// Inodes of the listening sockets bound to `local` in `table`.
std::set<std::string> listening_inodes(const char* table, const std::string& local) {
  std::set<std::string> out;
  std::ifstream in(table);
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::istringstream f(line);
    std::string sl, loc, rem, st, queues, timer, retr, uid, timeout, inode;
    f >> sl >> loc >> rem >> st >> queues >> timer >> retr >> uid >> timeout >> inode;
    if (st == "0A" && loc == local) out.insert(inode);  // TCP_LISTEN
  }
  return out;
}

std::set<std::string> own_socket_inodes() {
  std::set<std::string> out;
  std::error_code ec;
  for (auto& e : std::filesystem::directory_iterator("/proc/self/fd", ec)) {
    auto target = std::filesystem::read_symlink(e.path(), ec);
    if (ec) continue;
    std::string t = target.string();
    if (t.rfind("socket:[", 0) == 0 && t.back() == ']') out.insert(t.substr(8, t.size() - 9));
  }
  return out;
}

}  // namespace

bool listening_here(const std::vector<std::string>& addresses, std::string* missing) {
  auto mine = own_socket_inodes();
  for (auto& a : addresses) {
    bool v6 = false;
    std::string local = proc_form(a, v6);
    bool found = false;
    if (!local.empty())
      for (auto& inode : listening_inodes(v6 ? "/proc/net/tcp6" : "/proc/net/tcp", local))
        found = found || mine.count(inode) > 0;
    if (!found) {
      if (missing) *missing = a;
      return false;
    }
  }
  return true;
}

void readiness_notifier::start(std::vector<std::string> portals) {
  if (std::getenv("NOTIFY_SOCKET") == nullptr) return;
  thread_ = std::thread([this, portals = std::move(portals)] {
    std::string missing, reported;
    while (!stop_.load()) {
      if (listening_here(portals, &missing)) {
        notify_ready("serving " + std::to_string(portals.size()) + " portal(s)");
        log::info("ready (systemd notified)");
        return;
      }
      if (missing != reported) {  // once per portal, not every 50 ms
        sd_notifyf(0, "STATUS=waiting for portal %s to listen", missing.c_str());
        reported = missing;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  });
}

void readiness_notifier::stop() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

void notify_reloading() { sd_notify(0, "RELOADING=1\nSTATUS=reloading the configuration"); }
void notify_ready(const std::string& status) { sd_notifyf(0, "READY=1\nSTATUS=%s", status.c_str()); }
void notify_stopping() { sd_notify(0, "STOPPING=1\nSTATUS=shutting down"); }

}  // namespace stmfd::admin
