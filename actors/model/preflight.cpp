#include "actors/model/preflight.hpp"

#include <filesystem>
#include <map>
#include <string_view>
#include <tuple>

#include "wire/config/names.hpp"

namespace stmfd {

namespace {

namespace fs = std::filesystem;
using kind = path_info::kind;

struct checker {
  const host_probe& host;
  std::vector<preflight_problem>& out;
  std::string subject;

  void problem(std::string what) { out.push_back({subject, std::move(what)}); }
};

std::string bytes(uint64_t n) { return std::to_string(n) + " bytes"; }

std::string what_it_is(const path_info& p) {
  switch (p.what) {
    case kind::missing: return "missing";
    case kind::regular: return "a regular file";
    case kind::block: return "a block device";
    case kind::directory: return "a directory";
    case kind::other: return "a special file";
    case kind::unknown: return "not examinable (" + p.error + ")";
  }
  return "unknown";
}

// Why no file can be created in `dir` ("" when one can). `created`: the
// daemon creates dir at start (dataDir), so only its nearest existing
// ancestor must be a writable directory.
std::string cannot_create_in(const fs::path& dir, bool created, const host_probe& host) {
  auto st = host.stat(dir.string());
  if (st.what == kind::directory) return st.writable ? "" : "directory " + dir.string() + " is not writable";
  if (st.what != kind::missing) return dir.string() + " is " + what_it_is(st) + ", not a directory";
  if (!created) return "directory " + dir.string() + " does not exist (only dataDir is created at start)";
  for (fs::path p = dir.parent_path();; p = p.parent_path()) {
    auto a = host.stat(p.string());
    if (a.what == kind::missing && p != p.root_path()) continue;
    if (a.what != kind::directory)
      return "dataDir " + dir.string() + " cannot be created: " + p.string() + " is " + what_it_is(a);
    if (!a.writable) return "dataDir " + dir.string() + " cannot be created: " + p.string() + " is not writable";
    return "";
  }
}

void check_access(checker& c, const std::string& path, const path_info& st, bool read_only) {
  if (!st.readable) c.problem(path + ": not readable by this process");
  if (!read_only && !st.writable) c.problem(path + ": not writable by this process (and readOnly is false)");
}

void check_file_lu(checker& c, wire::cfg::LogicalUnit::Reader lu, const fs::path& data_dir) {
  std::string path = lu.getPath();
  if (path.empty()) return;  // a library's drive (issue 8): it has no file of its own
  uint64_t size = lu.getSizeBytes();
  bool read_only = lu.getReadOnly();
  auto st = c.host.stat(path);
  switch (st.what) {
    case kind::regular:
      check_access(c, path, st, read_only);
      if (st.size > size)
        c.problem(path + " is " + bytes(st.size) + ", more than sizeBytes (" + bytes(size) +
                  "): the rest would not be served");
      else if (st.size < size && read_only)
        c.problem(path + " is " + bytes(st.size) + ", less than sizeBytes (" + bytes(size) +
                  "), and readOnly: it cannot be extended");
      return;
    case kind::missing: {
      if (!lu.getCreate()) return c.problem(path + " does not exist and create is false");
      if (read_only) return c.problem(path + " does not exist and readOnly: it cannot be created");
      fs::path parent = fs::path(path).parent_path();
      auto why = cannot_create_in(parent, parent == data_dir, c.host);
      if (!why.empty()) c.problem("cannot create " + path + ": " + why);
      return;
    }
    case kind::block: return c.problem(path + " is a block device: use backing \"block\"");
    default: return c.problem(path + " is " + what_it_is(st) + ", not a regular file");
  }
}

void check_block_lu(checker& c, wire::cfg::LogicalUnit::Reader lu) {
  std::string path = lu.getPath();
  auto st = c.host.stat(path);
  if (st.what == kind::missing) return c.problem(path + " does not exist");
  if (st.what != kind::block) return c.problem(path + " is " + what_it_is(st) + ", not a block device");
  check_access(c, path, st, lu.getReadOnly());
  if (!st.size_known) return;  // no right to open it
  if (st.size < lu.getBlockSize())
    c.problem(path + " is " + bytes(st.size) + ", less than one block (" + bytes(lu.getBlockSize()) + ")");
  if (lu.getSizeBytes() > st.size)
    c.problem("sizeBytes (" + bytes(lu.getSizeBytes()) + ") is more than " + path + " holds (" + bytes(st.size) + ")");
}

// One RAM LU against this host's memory (0: not known); false if it does not fit.
bool check_ram_lu(checker& c, wire::cfg::LogicalUnit::Reader lu, uint64_t memory) {
  if (memory == 0 || lu.getSizeBytes() <= memory) return true;
  c.problem("sizeBytes (" + bytes(lu.getSizeBytes()) + ") is more than this host's memory (" + bytes(memory) + ")");
  return false;
}

bool is_wildcard(const wire::cfg::portal& p) { return p.host == "0.0.0.0" || p.host == "::"; }

void check_portals(wire::cfg::Config::Reader cfg, const host_probe& host, std::vector<preflight_problem>& out) {
  struct bound {
    std::string text, target;
    bool wildcard;
  };
  // Distinct portals by (family, port): the port provider binds each once.
  std::map<std::tuple<bool, uint16_t>, std::map<std::string, bound>> by_port;
  for (auto t : cfg.getTargets()) {
    std::string subject = "target " + std::string(t.getName());
    for (auto text : t.getPortals()) {
      wire::cfg::portal p;
      if (auto err = wire::cfg::parse_portal(text.cStr(), p); !err.empty()) {
        out.push_back({subject, "portal \"" + std::string(text) + "\": " + err});
        continue;
      }
      bool wildcard = is_wildcard(p);
      if (!wildcard && !host.local_address(p.host, p.ipv6))
        out.push_back({subject, "portal " + p.to_string() + ": " + p.host +
                                    " is not an address of this host (it cannot be bound)"});
      by_port[{p.ipv6, p.port}].emplace(p.host, bound{p.to_string(), std::string(t.getName()), wildcard});
    }
  }
  for (auto& [key, hosts] : by_port) {
    const bound* any = nullptr;
    for (auto& [h, b] : hosts)
      if (b.wildcard) any = &b;
    if (any == nullptr) continue;
    for (auto& [h, b] : hosts)
      if (!b.wildcard)
        out.push_back({"target " + b.target, "portal " + b.text + ": its port is taken by the wildcard portal " +
                                                 any->text + " (target " + any->target + ")"});
  }
}

}  // namespace

std::vector<preflight_problem> preflight(wire::cfg::Config::Reader cfg, const host_probe& host) {
  std::vector<preflight_problem> out;
  fs::path data_dir(cfg.getDataDir().cStr());
  uint64_t memory = host.memory_bytes(), ram_total = 0;
  std::vector<std::string> ram_lus;
  bool each_fits = true;
  for (auto lu : cfg.getLogicalUnits()) {
    checker c{host, out, "lu " + std::string(lu.getName())};
    std::string_view backing = lu.getBacking().cStr();
    if (backing == "file") check_file_lu(c, lu, data_dir);
    if (backing == "block") check_block_lu(c, lu);
    if (backing == "ram") {
      each_fits = check_ram_lu(c, lu, memory) && each_fits;
      ram_total += lu.getSizeBytes();
      ram_lus.push_back(lu.getName());
    }
  }
  if (each_fits && ram_lus.size() > 1 && ram_total > memory && memory != 0) {
    std::string names;
    for (auto& n : ram_lus) names += (names.empty() ? "" : ", ") + n;
    out.push_back({"lus " + names, "these RAM LUs need " + bytes(ram_total) +
                                       " together, more than this host's memory (" + bytes(memory) + ")"});
  }
  check_portals(cfg, host, out);
  return out;
}

}  // namespace stmfd
