// libFuzzer harness: the admin plane's request handling (actors/admin/
// admin_service.hpp; wire/admin.capnp says what each request means) with a
// fake framework behind its stmf_link (tests/unit/actors/admin/
// fake_stmf_link.hpp). Each input starts a service over a small committed
// config in a scratch folder (on /dev/shm when there is one: every accepted
// change rewrites the file) and sends it requests: [op][fields]; strings are
// [length][bytes] (a length byte, at most what is left), numbers big-endian.
// What must hold: no crash, leak, UB or escaping exception; an accepted
// change leaves a config file that loads (the committed text is what
// `stmfd --config` would load); a refused one leaves the text unchanged.
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "actors/admin/admin_service.hpp"
#include "tests/unit/actors/admin/fake_stmf_link.hpp"
#include "wire/config/loader.hpp"

namespace {

using namespace stmfd;
using namespace stmfd::admin;

struct reader {
  const uint8_t* p;
  size_t n, at = 0;
  bool more() const { return at < n; }
  uint8_t u8() { return at < n ? p[at++] : 0; }
  uint16_t u16() { return uint16_t(u8() << 8 | u8()); }
  uint64_t u64() {
    uint64_t v = 0;
    for (int i = 0; i < 8; ++i) v = v << 8 | u8();
    return v;
  }
  std::string str() {
    size_t len = std::min<size_t>(u8(), n - at);
    std::string s(reinterpret_cast<const char*>(p + at), len);
    at += len;
    return s;
  }
  std::string text() {  // a longer string: two length bytes
    size_t len = std::min<size_t>(u16(), n - at);
    std::string s(reinterpret_cast<const char*>(p + at), len);
    at += len;
    return s;
  }
};

std::string base_config(const std::string& data_dir) {
  return R"({
  "dataDir": ")" +
         data_dir +
         R"(",
  "targets": [ { "name": "iqn.2026-11.t:a", "portals": ["127.0.0.1:3260"],
                 "luns": [ { "lun": 0, "logicalUnit": "lu0" } ] } ],
  "hostGroups": [ { "name": "hg", "members": ["iqn.2026-11.i:1"] } ],
  "logicalUnits": [ { "name": "lu0", "backing": "ram", "sizeBytes": 1048576 },
                    { "name": "lu1", "backing": "ram", "sizeBytes": 2097152 } ]
}
)";
}

lu_request lu_fields(reader& r) {
  lu_request q;
  q.name = r.str();
  const uint8_t b = r.u8();
  q.backing = b % 4 == 0 ? "ram" : b % 4 == 1 ? "file" : b % 4 == 2 ? "block" : r.str();
  q.path = r.str();
  q.size_bytes = r.u64();
  q.block_size = r.u16() << 1;
  const uint8_t f = r.u8();
  q.write_cache = f & 1;
  q.read_only = f & 2;
  q.thin = f & 4;
  if (f & 8) q.guid = r.str();
  if (f & 16) q.vendor = r.str(), q.product = r.str(), q.serial = r.str();
  return q;
}

view_entry view(reader& r) {
  view_entry v;
  v.lu = r.str();
  v.host_group = r.str();
  v.target_group = r.str();
  v.target = r.str();
  v.lun = r.u16();
  return v;
}

void check_committed(const admin_service& svc, const std::string& before, const status& st, const std::string& dir) {
  if (!st.ok()) {
    if (svc.text() != before) std::abort();  // a refused request changed the committed text
    return;
  }
  if (svc.text() == before) return;
  auto loaded = wire::cfg::load_text(svc.text(), "committed.json", dir);
  if (!loaded.ok) {
    std::fprintf(stderr, "committed config does not load: %s\n", loaded.error.c_str());
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace fs = std::filesystem;
  static const fs::path root = [] {
    fs::path base = fs::exists("/dev/shm") ? fs::path("/dev/shm") : fs::temp_directory_path();
    return base / ("stmfd-fuzz-admin-" + std::to_string(::getpid()));
  }();
  fs::remove_all(root);
  fs::create_directories(root / "data");
  const std::string path = (root / "stmfd.json").string();
  const std::string text = base_config((root / "data").string());
  std::ofstream(path, std::ios::binary) << text;

  test::fake_stmf stmf;
  admin_service svc(path, text, stmf);
  if (!svc.load_error().empty()) std::abort();  // the base config must load
  reader r{data, size};
  for (int n = 0; n < 16 && r.more(); ++n) {
    const std::string before = svc.text();
    status st;
    const uint8_t op = r.u8();
    const bool hosts = op & 0x80;
    switch (op & 0x7F) {
      case 0: {
        std::string guid;
        st = svc.create_lu(lu_fields(r), guid);
        break;
      }
      case 1: st = svc.delete_lu(r.str()); break;
      case 2: {
        auto name = r.str();
        st = svc.set_lu_online(name, r.u8() & 1);
        break;
      }
      case 3: {
        auto name = r.str();
        st = svc.modify_lu(name, lu_fields(r));
        break;
      }
      case 4: {
        std::string guid;
        auto p = r.str();
        st = svc.import_lu(p, r.str(), guid);
        break;
      }
      case 5: st = svc.create_group(hosts, r.str()); break;
      case 6: st = svc.delete_group(hosts, r.str()); break;
      case 7: {
        auto g = r.str();
        st = svc.add_member(hosts, g, r.str());
        break;
      }
      case 8: {
        auto g = r.str();
        st = svc.remove_member(hosts, g, r.str());
        break;
      }
      case 9: {
        uint16_t lun = 0;
        auto v = view(r);
        st = svc.add_view(v, r.u8() & 1, lun);
        break;
      }
      case 10: st = svc.remove_view(view(r)); break;
      case 11: {
        std::vector<std::string> diff;
        auto t = r.text();
        st = svc.apply(t, r.u8() & 1, diff);
        break;
      }
      case 12: {
        auto group = r.u16();
        auto state = r.str();
        st = svc.set_alua_state(group, state, r.str());
        break;
      }
      case 13: {
        std::vector<lu_listing> lus;
        std::vector<view_entry> views;
        std::vector<group_listing> groups;
        tpg_listing tpgs;
        st = svc.list_lus(r.str(), lus);
        (void)svc.list_views(r.str(), views);
        (void)svc.list_groups(hosts, groups);
        (void)svc.list_alua(tpgs);
        break;
      }
      default: continue;
    }
    check_committed(svc, before, st, root.string());
  }
  return 0;
}
